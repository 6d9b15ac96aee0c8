#!/usr/bin/env bash
# Issue 5: COMPACT time (force_snapshot: STATE snapshot + WAL deletion) with 100,000 instances.
source "$(dirname "$0")/lib.sh"
perf_start_server RSTMDB_FSYNC_POLICY=every_write RSTMDB_COMPACT_ENABLED=false
perf_load create --count 100000 --batch 100 --connections 16 --pipeline 4 --ctx-bytes 20 >/dev/null
times=()
for i in $(seq 1 "$PERF_RUNS"); do
  out="$(perf_load compact --force-snapshot true --connections 1)"
  echo "  run $i: $out"
  times+=("$(perf_json seconds <<<"$out")")
done
python3 "$PERF_SUMMARIZE" values --row COMPACT-100k --title "COMPACT with 100,000 instances" \
  --command "LoadTool compact --force-snapshot true" --unit seconds "${times[@]}" |
  tee -a "$PERF_OUT/summary.txt"
