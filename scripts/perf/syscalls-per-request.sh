#!/usr/bin/env bash
# System calls, context switches and CPU per request of the server and of the bench tool, counted
# by `perf stat` for PERF_COUNT_SECS in the middle of one bench run. Unlike ops/s, these counts
# hardly move with how busy the shared machine is, so two transports or two builds can be compared
# in a noisy hour (docs/performance.md, sixteenth run).
#
#   scripts/perf/syscalls-per-request.sh FSYNC_POLICY bench-args...
#   scripts/perf/syscalls-per-request.sh every_write get --connections 16 --io-threads 1
#   RSTMDB_TRANSPORT=epoll scripts/perf/syscalls-per-request.sh never apply --connections 16
#
# RSTMDB_TRANSPORT (io_uring, epoll or nio) sets -Drstmdb.transport for both processes. Needs
# Linux `perf` with access to tracepoints (root, or kernel.perf_event_paranoid <= 1).
source "$(dirname "$0")/lib.sh"

if [ $# -lt 2 ]; then
  echo "usage: $0 FSYNC_POLICY bench-args..." >&2
  exit 2
fi
command -v perf >/dev/null || { echo "needs Linux perf (package linux-perf)" >&2; exit 1; }
policy="$1"
shift
secs="${PERF_COUNT_SECS:-5}"
transport=""
[ -n "${RSTMDB_TRANSPORT:-}" ] && transport="-Drstmdb.transport=$RSTMDB_TRANSPORT"
export RSTMDB_CLI_JAVA_OPTS="${RSTMDB_CLI_JAVA_OPTS:-} $transport"
# RSTMDB_JAVA_OPTS replaces bin/rstmdb's default flags, so the default restates them.
RSTMDB_JAVA_OPTS="${RSTMDB_JAVA_OPTS:--XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:+ExitOnOutOfMemoryError -Dio.netty.leakDetection.level=disabled} $transport" \
  perf_start_server RSTMDB_FSYNC_POLICY="$policy"
perf_warm_server

warm=$((PERF_WARMUP > 3 ? PERF_WARMUP : 3))
total=$((warm + secs + 4))
bench_out="$PERF_DIR/bench.txt"
"$PERF_CLI" -s "127.0.0.1:$PERF_PORT" bench "$@" --duration "$((total - warm))" --warmup "$warm" \
  >"$bench_out" 2>&1 &
cli_launcher=$!
sleep "$((warm + 2))"
# bin/rstmdb-cli execs java, so the launcher's pid is the tool's JVM.
counters=raw_syscalls:sys_enter,context-switches,task-clock
perf stat -x, -e "$counters" -p "$PERF_SERVER_PID" -o "$PERF_DIR/server.csv" -- sleep "$secs" &
server_stat=$!
perf stat -x, -e "$counters" -p "$cli_launcher" -o "$PERF_DIR/tool.csv" -- sleep "$secs" &
tool_stat=$!
wait "$server_stat" "$tool_stat"
wait "$cli_launcher" || true

python3 - "$bench_out" "$PERF_DIR/server.csv" "$PERF_DIR/tool.csv" "$secs" <<'EOF'
import re, sys
bench, server, tool, secs = sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4])
m = re.search(r"\(([\d.]+) ops/s\)", open(bench).read())
if not m:
    sys.exit("no ops/s in the bench output:\n" + open(bench).read())
ops = float(m.group(1)) * secs
def counts(path):
    out = {}
    for line in open(path):
        parts = line.strip().split(",")
        if len(parts) > 2 and parts[0].replace(".", "").isdigit():
            out[parts[2]] = float(parts[0])
    return out
print(f"ops/s {float(m.group(1)):,.0f} (whole bench run)")
for name, path in (("server", server), ("tool", tool)):
    c = counts(path)
    print(f"{name:6}  syscalls/req {c['raw_syscalls:sys_enter'] / ops:6.2f}"
          f"  context switches/req {c['context-switches'] / ops:6.3f}"
          f"  CPU us/req {c['task-clock'] * 1000 / ops:7.1f}")
EOF
