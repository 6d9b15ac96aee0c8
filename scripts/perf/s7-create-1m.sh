#!/usr/bin/env bash
# S7: CREATE_INSTANCE of 1,000,000 instances, durable (every_write), in BATCHes of 100 over 16
# connections with 4 batches in flight each. A fresh server per run.
source "$(dirname "$0")/lib.sh"
COUNT="${S7_COUNT:-1000000}"
args=(--count "$COUNT" --batch 100 --connections 16 --pipeline 4 --ctx-bytes 20)
times=()
for i in $(seq 1 "$PERF_RUNS"); do
  perf_start_server RSTMDB_FSYNC_POLICY=every_write RSTMDB_COMPACT_ENABLED=false
  out="$(perf_load create "${args[@]}")"
  echo "  run $i: $out"
  times+=("$(perf_json seconds <<<"$out")")
  perf_stop_server
done
python3 "$PERF_SUMMARIZE" values --row S7 --title "CREATE_INSTANCE x $COUNT, durable, BATCH 100" \
  --command "LoadTool create ${args[*]}" --unit seconds --max 10 "${times[@]}" |
  tee -a "$PERF_OUT/summary.txt"
