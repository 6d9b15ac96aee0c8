#!/usr/bin/env bash
# S5: APPLY_EVENT, fsync_policy never, 16 connections.
source "$(dirname "$0")/lib.sh"
# The bench tool on one I/O thread: without fsyncs this row is CPU-bound, and a second tool thread
# takes the core the server's event loop needs (as in S13; twelfth run in docs/performance.md).
perf_start_server RSTMDB_FSYNC_POLICY=never
perf_bench S5 "APPLY_EVENT fsync never, 16 connections" \
  "--min-ops 70000 --no-errors" \
  apply --connections 16 --io-threads 1 --payload-bytes 200
