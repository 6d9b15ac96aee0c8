#!/usr/bin/env bash
# S5: APPLY_EVENT, fsync_policy never, 16 connections.
source "$(dirname "$0")/lib.sh"
perf_start_server RSTMDB_FSYNC_POLICY=never
perf_bench S5 "APPLY_EVENT fsync never, 16 connections" \
  "--min-ops 70000 --no-errors" \
  apply --connections 16 --payload-bytes 200
