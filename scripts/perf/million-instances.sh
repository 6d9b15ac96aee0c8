#!/usr/bin/env bash
# S7, S11 and S12 on one fresh durable server per run (every_write, automatic compaction off):
#   S7   create 1,000,000 instances (small ctx, ~20 bytes) in BATCHes of 100 over 16 connections,
#        4 batches in flight each; seconds for all of them.
#   S12  live heap after a full GC (jcmd GC.run + GC.heap_info), minus the same after 1,000
#        warm-up instances, divided by the instance count.
#   S11  COMPACT (force_snapshot) with those instances: seconds; then writers' p99 during a
#        COMPACT: `bench apply` at 64 connections without and with a COMPACT 3 s into it.
source "$(dirname "$0")/lib.sh"
COUNT="${MILLION_COUNT:-1000000}"
create_args=(--count "$COUNT" --batch 100 --connections 16 --pipeline 4 --ctx-bytes 20)
creates=() heaps=() compacts=() p99_alone=() p99_compacting=()
writers() { # writes one bench JSON to $1
  "$PERF_CLI" -s "127.0.0.1:$PERF_PORT" --json bench apply --connections 64 --payload-bytes 200 \
    --duration "$PERF_DURATION" --warmup "$PERF_WARMUP" >"$1" 2>/dev/null || true
}
for i in $(seq 1 "$PERF_RUNS"); do
  perf_start_server RSTMDB_FSYNC_POLICY=every_write RSTMDB_COMPACT_ENABLED=false
  perf_load create --count 1000 --batch 100 --connections 4 --pipeline 2 --ctx-bytes 20 >/dev/null
  h0="$(perf_heap_used)"
  out="$(perf_load create "${create_args[@]}")"
  echo "  run $i create: $out"
  creates+=("$(perf_json seconds <<<"$out")")
  h1="$(perf_heap_used)"
  heaps+=("$(((h1 - h0) / COUNT))")
  echo "  run $i heap: $h0 -> $h1 bytes ($(((h1 - h0) / COUNT)) bytes/instance)"
  out="$(perf_load compact --force-snapshot true --connections 1)"
  echo "  run $i compact: $out"
  compacts+=("$(perf_json seconds <<<"$out")")
  writers "$PERF_OUT/S11-alone.run$i.json"
  writers "$PERF_OUT/S11-compacting.run$i.json" &
  wpid=$!
  # bench needs ~2 s to start and set up; COMPACT lands in the middle of the measured phase.
  sleep "$((${PERF_WARMUP%.*} + 2 + ${PERF_DURATION%.*} / 2))"
  out="$(perf_load compact --force-snapshot true --connections 1)"
  echo "  run $i compact under writers: $out"
  wait "$wpid"
  p99_alone+=("$(jq .latency_us.p99 "$PERF_OUT/S11-alone.run$i.json")")
  p99_compacting+=("$(jq .latency_us.p99 "$PERF_OUT/S11-compacting.run$i.json")")
  perf_stop_server
done
{
  python3 "$PERF_SUMMARIZE" values --row S7 --title "CREATE_INSTANCE x $COUNT, durable, BATCH 100" \
    --command "LoadTool create ${create_args[*]}" --unit seconds --max 10 "${creates[@]}"
  python3 "$PERF_SUMMARIZE" values --row S12 --title "heap per instance at $COUNT instances" \
    --command "jcmd GC.run; jcmd GC.heap_info (after 1,000 vs after $COUNT more)" \
    --unit bytes --max 600 "${heaps[@]}"
  python3 "$PERF_SUMMARIZE" values --row S11 --title "COMPACT (force_snapshot) with $COUNT instances" \
    --command "LoadTool compact --force-snapshot true" --unit seconds --max 2 "${compacts[@]}"
  python3 "$PERF_SUMMARIZE" values --row S11-writers-alone \
    --title "writers' p99, 64 connections, no COMPACT (same server)" \
    --command "rstmdb-cli bench apply --connections 64" --unit p99-us "${p99_alone[@]}"
  python3 "$PERF_SUMMARIZE" values --row S11-writers-compacting \
    --title "writers' p99, 64 connections, COMPACT during the run" \
    --command "rstmdb-cli bench apply --connections 64 + COMPACT mid-measurement" --unit p99-us \
    "${p99_compacting[@]}"
} | tee -a "$PERF_OUT/summary.txt"
