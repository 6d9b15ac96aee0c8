#!/usr/bin/env bash
# S13: GET_INSTANCE, 16 connections (instances created with 200-byte contexts).
source "$(dirname "$0")/lib.sh"
perf_start_server RSTMDB_FSYNC_POLICY=every_write
perf_bench S13 "GET_INSTANCE, 16 connections" \
  "--min-ops 70000 --no-errors" \
  get --connections 16 --payload-bytes 200
