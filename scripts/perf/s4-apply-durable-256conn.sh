#!/usr/bin/env bash
# S4: APPLY_EVENT, fsync_policy every_write, 256 connections: no errors, p99.9 <= 10 ms.
source "$(dirname "$0")/lib.sh"
perf_start_server RSTMDB_FSYNC_POLICY=every_write
perf_bench S4 "APPLY_EVENT durable, 256 connections" \
  "--max-p999 10000 --no-errors" \
  apply --connections 256 --payload-bytes 200
