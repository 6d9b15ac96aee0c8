#!/usr/bin/env bash
# S9 and issue 5: startup recovery time.
#   full-1m:   full replay of a WAL of 1,000,000 apply entries (+ 1,000 creates), 200-byte payloads
#   full-1gib: full replay of a WAL of >= 1 GiB of the same entries (linearity: s/GB vs full-1m)
#   snap-tail: the 1m directory after COMPACT (STATE snapshot) plus a 10,000-entry tail
#   empty:     an empty data directory: the fixed cost of a cold JVM opening the stores
# The directories are generated once (slow; any time, even on a busy machine) under S9_DATA and
# reused; S9_SETS picks which sets to time. The timing runs RecoveryTimer (WAL open + snapshot
# open + state rebuild, as at server start) PERF_RUNS times each, in a fresh JVM started as
# bin/rstmdb starts the server (its JVM options, the server jar first on the class path, the
# build's AppCDS archive; PERF_CDS=off without the archive), with a warm page cache.
source "$(dirname "$0")/lib.sh"
# The server's own defaults (bin/rstmdb), so recovery runs under the same GC settings as at startup.
RSTMDB_JAVA_OPTS="${RSTMDB_JAVA_OPTS:-$(sed -n 's/^default_opts="\(.*\)"$/\1/p' "$PERF_ROOT/bin/rstmdb")}"
export RSTMDB_JAVA_OPTS
S9_DATA="${S9_DATA:-$PERF_TMP/rstmdb-perf-s9}"
gen() { java -cp "$PERF_BENCH_JAR" io.rstmdb.bench.load.DataGenerator "$@"; }

if [ ! -f "$S9_DATA/prepared" ]; then
  rm -rf "$S9_DATA" && mkdir -p "$S9_DATA"
  echo "preparing data under $S9_DATA (once)"
  gen fill "$S9_DATA/full-1m" --instances 1000 --applies 1000000 --payload-bytes 200
  cp -a "$S9_DATA/full-1m" "$S9_DATA/full-1gib"
  gen fill "$S9_DATA/full-1gib" --instances 1000 --until-wal-bytes 1073741824 --payload-bytes 200
  cp -a "$S9_DATA/full-1m" "$S9_DATA/snap-tail"
  gen compact "$S9_DATA/snap-tail" --instances 1000 --tail 10000 --payload-bytes 200
  echo cut >"$S9_DATA/snap-tail.layout"
  touch "$S9_DATA/prepared"
fi

# COMPACT cuts the WAL at its snapshot's offset since the eighth run (docs/performance.md), so a
# snap-tail made by older code still holds the 64 MiB segment that the cut now deletes: remake it.
if [ "$(cat "$S9_DATA/snap-tail.layout" 2>/dev/null)" != cut ]; then
  echo "remaking $S9_DATA/snap-tail with the WAL cut at the snapshot (once)"
  rm -rf "$S9_DATA/snap-tail"
  cp -a "$S9_DATA/full-1m" "$S9_DATA/snap-tail"
  gen compact "$S9_DATA/snap-tail" --instances 1000 --tail 10000 --payload-bytes 200
  echo cut >"$S9_DATA/snap-tail.layout"
fi

perf_check_cds
mkdir -p "$S9_DATA/empty"
sets=(${S9_SETS:-empty full-1m full-1gib snap-tail})
# S9_COMPARE_CDS=1 also times every set without the archive, in the same rounds ("<set>-nocds").
runs=("${sets[@]}")
if [ -n "${S9_COMPARE_CDS:-}" ]; then
  for set in "${sets[@]}"; do runs+=("$set-nocds"); done
fi
# Runs go round the sets (empty, full-1m, ..., empty, full-1m, ...) rather than set by set, so a
# change in the machine's load during the script hits every set alike instead of skewing the ratio.
declare -A walls cpus median
for i in $(seq 1 "$PERF_RUNS"); do
  for run in "${runs[@]}"; do
    cds="${PERF_CDS:-on}"
    [ "$run" != "${run%-nocds}" ] && cds=off
    out="$(PERF_CDS=$cds perf_recover "$S9_DATA/${run%-nocds}")"
    echo "  $run run $i: $out"
    walls[$run]+="$(perf_json seconds <<<"$out") "
    cpus[$run]+="$(perf_json cpu_seconds <<<"$out") "
  done
done
for set in "${runs[@]}"; do
  # shellcheck disable=SC2206
  w=(${walls[$set]})
  # shellcheck disable=SC2206
  c=(${cpus[$set]})
  median[$set]="$(printf '%s\n' "${w[@]}" | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }')"
  max=()
  [ "$set" = full-1gib ] && max=(--max 7)
  python3 "$PERF_SUMMARIZE" values --row "S9-$set" --title "recovery, $set (wall)" \
    --command "RecoveryTimer $S9_DATA/${set%-nocds}$([ "$set" != "${set%-nocds}" ] && echo ' without the archive')" --unit seconds "${max[@]}" "${w[@]}" |
    tee -a "$PERF_OUT/summary.txt"
  python3 "$PERF_SUMMARIZE" values --row "S9-$set-cpu" --title "recovery, $set (process CPU)" \
    --command "RecoveryTimer $S9_DATA/${set%-nocds}$([ "$set" != "${set%-nocds}" ] && echo ' without the archive')" --unit cpu-seconds "${c[@]}" |
    tee -a "$PERF_OUT/summary.txt"
done
for suffix in "" -nocds; do
  [ -n "${median[full-1gib$suffix]:-}" ] && [ -n "${median[snap-tail$suffix]:-}" ] &&
    python3 -c 'import sys; f, s = float(sys.argv[1]), float(sys.argv[2]); print("S9 snap-tail%s vs full-1gib%s (median wall): %.2f s vs %.2f s = %.1fx faster (target >= 10x)" % (sys.argv[3], sys.argv[3], s, f, f / s))' \
      "${median[full-1gib$suffix]}" "${median[snap-tail$suffix]}" "$suffix" | tee -a "$PERF_OUT/summary.txt"
done
