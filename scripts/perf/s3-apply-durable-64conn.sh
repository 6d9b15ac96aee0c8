#!/usr/bin/env bash
# S3: APPLY_EVENT, fsync_policy every_write, 64 connections, 200-byte payloads.
source "$(dirname "$0")/lib.sh"
perf_start_server RSTMDB_FSYNC_POLICY=every_write
perf_bench S3 "APPLY_EVENT durable, 64 connections" \
  "--min-ops 60000 --max-p99 3000 --no-errors" \
  apply --connections 64 --payload-bytes 200
