#!/usr/bin/env bash
# S10: WAL_READ scan rate. Fills the WAL with S10_ENTRIES apply entries (fsync never, to fill
# fast), then reads it all with WAL_READ (limit 1000) over 4 connections: once to warm up, then
# PERF_RUNS times.
source "$(dirname "$0")/lib.sh"
ENTRIES="${S10_ENTRIES:-500000}"
perf_start_server RSTMDB_FSYNC_POLICY=never RSTMDB_COMPACT_ENABLED=false
perf_load apply --count "$ENTRIES" --instances 1000 --connections 16 --pipeline 16 >/dev/null
perf_load scan --connections 4 --pipeline 4 --limit 1000 >/dev/null # warm-up, not counted
rates=()
for i in $(seq 1 "$PERF_RUNS"); do
  out="$(perf_load scan --connections 4 --pipeline 4 --limit 1000)"
  echo "  run $i: $out"
  rates+=("$(perf_json per_sec <<<"$out")")
done
python3 "$PERF_SUMMARIZE" values --row S10 --title "WAL_READ scan of $ENTRIES entries" \
  --command "LoadTool scan --connections 4 --pipeline 4 --limit 1000" --unit entries/s \
  --min 300000 "${rates[@]}" | tee -a "$PERF_OUT/summary.txt"
