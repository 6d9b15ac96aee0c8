#!/usr/bin/env bash
# S2: APPLY_EVENT, fsync_policy every_write, 16 connections, 200-byte payloads.
source "$(dirname "$0")/lib.sh"
perf_start_server RSTMDB_FSYNC_POLICY=every_write
perf_bench S2 "APPLY_EVENT durable, 16 connections" \
  "--min-ops 35000 --max-p99 2000 --no-errors" \
  apply --connections 16 --payload-bytes 200
