#!/usr/bin/env bash
# S6: APPLY_EVENT durable, 1 connection with 64 requests in flight (over 64 instances, so every
# pipelined apply is a valid transition of its own instance).
source "$(dirname "$0")/lib.sh"
perf_start_server RSTMDB_FSYNC_POLICY=every_write
perf_bench S6 "APPLY_EVENT durable, 1 connection, pipeline 64" \
  "--min-ops 100000 --no-errors" \
  apply --connections 1 --pipeline 64 --instances 64 --payload-bytes 200
