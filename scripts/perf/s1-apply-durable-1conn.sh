#!/usr/bin/env bash
# S1: APPLY_EVENT, fsync_policy every_write, 1 connection, 200-byte payloads.
source "$(dirname "$0")/lib.sh"
perf_start_server RSTMDB_FSYNC_POLICY=every_write
perf_bench S1 "APPLY_EVENT durable, 1 connection" \
  "--min-ops 6000 --max-p50 200 --max-p99 500 --no-errors" \
  apply --connections 1 --payload-bytes 200
