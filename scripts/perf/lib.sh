#!/usr/bin/env bash
# Shared by the scripts in scripts/perf: builds nothing, starts a server on a free port with a
# fresh data directory, runs `rstmdb-cli bench` PERF_RUNS times and prints the median and min-max.
#
# Knobs (environment):
#   PERF_RUNS      runs per row (default 3)
#   PERF_DURATION  measured seconds per bench run (default 10)
#   PERF_WARMUP    unmeasured seconds before each bench run (default 3)
#   PERF_TMP       where data directories go; put it on the disk you want to measure (default /tmp)
#   PERF_OUT       where raw results go (default $PERF_TMP/rstmdb-perf-results)
#   PERF_ROOT      the checkout whose jars are used (default: this script's checkout)
#   RSTMDB_JAVA_OPTS  JVM flags of the server (default: bin/rstmdb's)
set -euo pipefail

PERF_ROOT="${PERF_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}"
PERF_RUNS="${PERF_RUNS:-3}"
PERF_DURATION="${PERF_DURATION:-10}"
PERF_WARMUP="${PERF_WARMUP:-3}"
PERF_TMP="${PERF_TMP:-${TMPDIR:-/tmp}}"
PERF_OUT="${PERF_OUT:-$PERF_TMP/rstmdb-perf-results}"
PERF_CLI="$PERF_ROOT/bin/rstmdb-cli"
PERF_BENCH_JAR="$PERF_ROOT/benchmarks/target/benchmarks.jar"
PERF_SUMMARIZE="$PERF_ROOT/scripts/perf/summarize.py"
mkdir -p "$PERF_OUT"

PERF_SERVER_PID=""
PERF_PORT=""
PERF_DIR=""

perf_free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

# Starts a server; arguments are extra environment assignments (RSTMDB_FSYNC_POLICY=never ...).
# With PERF_DATA_DIR set, that directory is used as the data directory instead of a fresh one.
perf_start_server() {
  PERF_DIR="$(mktemp -d "$PERF_TMP/rstmdb-perf.XXXXXX")"
  local data="${PERF_DATA_DIR:-$PERF_DIR/data}"
  PERF_PORT="$(perf_free_port)"
  env RSTMDB_BIND="127.0.0.1:$PERF_PORT" RSTMDB_DATA="$data" RSTMDB_MAX_CONNECTIONS=2000 "$@" \
    "$PERF_ROOT/bin/rstmdb" >"$PERF_DIR/server.log" 2>&1 &
  PERF_SERVER_PID=$!
  trap perf_stop_server EXIT
  perf_wait_ready
}

# Waits until the server accepts connections (it binds only after recovery).
perf_wait_ready() {
  local deadline=$((SECONDS + 300))
  until (exec 3<>"/dev/tcp/127.0.0.1/$PERF_PORT") 2>/dev/null; do
    if ! kill -0 "$PERF_SERVER_PID" 2>/dev/null; then
      echo "server exited during startup; its log:" >&2
      cat "$PERF_DIR/server.log" >&2
      exit 1
    fi
    if ((SECONDS > deadline)); then
      echo "server not ready after 300 s" >&2
      exit 1
    fi
    sleep 0.05
  done
}

perf_stop_server() {
  if [ -n "$PERF_SERVER_PID" ] && kill -0 "$PERF_SERVER_PID" 2>/dev/null; then
    kill "$PERF_SERVER_PID"
    wait "$PERF_SERVER_PID" 2>/dev/null || true
  fi
  PERF_SERVER_PID=""
  if [ -n "$PERF_DIR" ] && [ -z "${PERF_KEEP:-}" ]; then
    rm -rf "$PERF_DIR"
  fi
}

# CPU seconds (user + system) the server process has used so far.
perf_server_cpu() {
  awk -v hz="$(getconf CLK_TCK)" '{ printf "%.2f", ($14 + $15) / hz }' "/proc/$PERF_SERVER_PID/stat"
}

# Gets the server's hot paths through the JIT before anything is measured: at one connection a
# fresh server needs >10 s of requests before C2 stops compiling (and burning a core), so the
# first row of a low-rate scenario would measure the compiler. A high-rate mix compiles most of
# it, but on a busy 2-core machine C2 was still 70 % of an S6 server's CPU 20 s after start
# (docs/performance.md, fourth run), hence 15 s per shape. The third shape, one connection with 64
# requests in flight, takes paths the others do not (a long burst's early writer wake-up, inline
# bursts): without it C2 still took a third of an S6 server's samples as the row's own warm-up
# ended (tenth run). PERF_JIT_WARMUP=0 skips it.
perf_warm_server() {
  local secs="${PERF_JIT_WARMUP:-15}"
  [ "$secs" = 0 ] && return 0
  local shape
  for shape in "apply 16 8" "get 16 8" "apply 1 64"; do
    set -- $shape
    "$PERF_CLI" -s "127.0.0.1:$PERF_PORT" bench "$1" --connections "$2" --pipeline "$3" \
      --duration "$secs" --warmup 0 >/dev/null 2>&1 || true
  done
  PERF_WARMED="$PERF_SERVER_PID"
}

# perf_bench ROW "description" "targets for summarize.py" bench-args...
# Runs `rstmdb-cli bench` PERF_RUNS times against the running server and prints the summary.
perf_bench() {
  local row="$1" title="$2" targets="$3"
  shift 3
  [ "${PERF_WARMED:-}" = "$PERF_SERVER_PID" ] || perf_warm_server
  local host="$PERF_OUT/$row.host.json"
  python3 "$PERF_ROOT/scripts/perf/host_probe.py" "$PERF_TMP" >"$host" 2>&1 || true
  local files=()
  for i in $(seq 1 "$PERF_RUNS"); do
    local f="$PERF_OUT/$row.run$i.json"
    local err="$PERF_OUT/$row.run$i.err"
    "$PERF_CLI" -s "127.0.0.1:$PERF_PORT" --json bench "$@" \
      --duration "$PERF_DURATION" --warmup "$PERF_WARMUP" >"$f" 2>"$err" &
    local bench_pid=$! cpu0=""
    # Server CPU from the first measured progress line (1 s into the measurement) to the end:
    # CPU per op does not depend on how busy the machine is, unlike ops/s. Match the progress
    # line's "] measure": bench's header line ("… s measured") comes before the warm-up, and
    # matching it counted the warm-up's CPU too (docs/performance.md, tenth run).
    while kill -0 "$bench_pid" 2>/dev/null; do
      if [ -z "$cpu0" ] && grep -q -F "] measure" "$err" 2>/dev/null; then
        cpu0="$(perf_server_cpu)"
      fi
      sleep 0.1
    done
    wait "$bench_pid" || true
    if [ -n "$cpu0" ]; then
      python3 -c "import sys; print((float(sys.argv[2]) - float(sys.argv[1])))" \
        "$cpu0" "$(perf_server_cpu)" >"$f.cpu"
    fi
    files+=("$f")
  done
  # shellcheck disable=SC2086
  python3 "$PERF_SUMMARIZE" bench --row "$row" --title "$title" --cpu-window "$((${PERF_DURATION%.*} - 1))" \
    --command "rstmdb-cli bench $* --duration $PERF_DURATION --warmup $PERF_WARMUP" \
    --host "$host" $targets "${files[@]}" | tee -a "$PERF_OUT/summary.txt"
}

# perf_load COMMAND [--option value]...: runs the fixed-size load tool against the running server
# and prints its JSON line.
perf_load() {
  local cmd="$1"
  shift
  java -cp "$PERF_BENCH_JAR" io.rstmdb.bench.load.LoadTool "$cmd" \
    --server "127.0.0.1:$PERF_PORT" "$@"
}

# perf_recover DATA_DIR: times WAL + snapshot open and state rebuild in a fresh JVM (JSON line).
# The JVM starts as bin/rstmdb starts the server: the server jar first on the class path (so the
# stores and the engine load from it, RecoveryTimer itself from benchmarks/target/classes), its
# AppCDS archive when there is one, and RSTMDB_JAVA_OPTS. PERF_CDS=off leaves the archive out.
perf_recover() {
  local server_jar="$PERF_ROOT/server/target/rstmdb-server.jar"
  local archive="$PERF_ROOT/server/target/rstmdb-server.jsa"
  local cds=()
  if [ "${PERF_CDS:-on}" != off ] && [ -f "$archive" ]; then
    cds=("-XX:SharedArchiveFile=$archive" -Xshare:auto "-Xlog:cds*=off")
  fi
  # shellcheck disable=SC2086
  java ${cds[@]+"${cds[@]}"} ${RSTMDB_JAVA_OPTS:--XX:+UseG1GC} \
    -cp "$server_jar:$PERF_ROOT/benchmarks/target/classes" io.rstmdb.bench.load.RecoveryTimer "$1"
}

# Fails unless the server's AppCDS archive matches its jar and this JVM (with PERF_CDS=off: passes).
perf_check_cds() {
  [ "${PERF_CDS:-on}" = off ] && return 0
  local archive="$PERF_ROOT/server/target/rstmdb-server.jsa"
  if ! java "-XX:SharedArchiveFile=$archive" -Xshare:on \
    -cp "$PERF_ROOT/server/target/rstmdb-server.jar:$PERF_ROOT/benchmarks/target/classes" \
    -version >/dev/null 2>&1; then
    echo "the server's AppCDS archive $archive is missing or does not match its jar:" \
      "rebuild (mvn package) or set PERF_CDS=off" >&2
    exit 1
  fi
}

# perf_json FIELD: reads one field of the JSON line on stdin.
perf_json() {
  jq -r ".$1"
}

# Live heap of the server after a full GC, in bytes (jcmd GC.run, then GC.heap_info's "used").
perf_heap_used() {
  jcmd "$PERF_SERVER_PID" GC.run >/dev/null
  sleep 1
  jcmd "$PERF_SERVER_PID" GC.heap_info |
    awk '/used/ { for (i = 1; i <= NF; i++) if ($i == "used") { v = $(i + 1); sub(/K,?$/, "", v); print v * 1024; exit } }'
}
