#!/usr/bin/env bash
# The bench tool's own ceiling on this machine: PING at 1 and 16 connections (no database work).
source "$(dirname "$0")/lib.sh"
perf_start_server RSTMDB_FSYNC_POLICY=every_write
perf_bench PING1 "PING, 1 connection (tool + loopback floor)" "--no-errors" \
  ping --connections 1
perf_bench PING16 "PING, 16 connections (tool + server ceiling)" "--no-errors" \
  ping --connections 16
perf_bench PING16P "PING, 16 connections x pipeline 16" "--no-errors" \
  ping --connections 16 --pipeline 16
