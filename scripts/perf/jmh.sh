#!/usr/bin/env bash
# The JMH rows: engine apply (in-memory WAL), WAL append at 1/8/64 appenders next to one fsync per
# record and raw group-commit loops, frame codec, guard evaluation. One fork, 1 warm-up iteration
# and PERF_RUNS measured iterations of 2 s each; the median and min-max are over the iterations.
# Usage: jmh.sh [engine|wal|codec|guard]...   (default: all four)
source "$(dirname "$0")/lib.sh"
run_jmh() {
  local row="$1" title="$2" pattern="$3"
  shift 3
  local json="$PERF_OUT/$row.jmh.json"
  local args=(-f 1 -wi 1 -w 2s -i "$PERF_RUNS" -r 2s -rf json -rff "$json" "$@")
  java -Dbench.dir="$PERF_TMP" -jar "$PERF_BENCH_JAR" "$pattern" "${args[@]}" \
    >"$PERF_OUT/$row.jmh.log" 2>&1 || { tail -20 "$PERF_OUT/$row.jmh.log"; return 1; }
  grep -h "records/fsync" "$PERF_OUT/$row.jmh.log" | sed 's/^/  /' || true
  python3 "$PERF_SUMMARIZE" jmh --row "$row" --title "$title" \
    --command "java -jar benchmarks/target/benchmarks.jar $pattern ${args[*]:0:10}" "$json" |
    tee -a "$PERF_OUT/summary.txt"
}
rows=("$@")
[ ${#rows[@]} -eq 0 ] && rows=(engine wal codec guard)
for r in "${rows[@]}"; do
  case "$r" in
    engine) run_jmh JMH-engine "engine apply path, durable-at-once WAL" 'EngineApplyBench' ;;
    wal) run_jmh JMH-wal "WAL append (every_write) vs fsync per record vs raw group commit" \
      'WalAppendBench' ;;
    codec) run_jmh JMH-codec "frame codec, small request and response" 'FrameCodecBench' ;;
    guard) run_jmh JMH-guard "guard compile and evaluation" 'GuardBench' ;;
    *) echo "unknown JMH row $r (engine, wal, codec, guard)" >&2; exit 2 ;;
  esac
done
