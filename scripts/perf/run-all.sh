#!/usr/bin/env bash
# Every row, one after another, on a quiet machine (check `uptime` first). Results accumulate in
# $PERF_OUT/summary.txt. Build first: mvn -B -q -Pbench -DskipTests package
# Rows: ping S1 S2 S3 S4 S5 S6 S13 S10 JMH S9 COMPACT-100k S7+S11+S12.
set -uo pipefail
dir="$(cd "$(dirname "$0")" && pwd)"
for script in ping s1-apply-durable-1conn s2-apply-durable-16conn s3-apply-durable-64conn \
  s4-apply-durable-256conn s5-apply-nofsync-16conn s6-apply-durable-pipelined s13-get-16conn \
  s10-walread-scan jmh s9-recovery compact-100k million-instances; do
  echo "=== $script ($(date -u +%H:%M:%S), load $(cut -d' ' -f1-3 /proc/loadavg))"
  bash "$dir/$script.sh" || echo "!!! $script failed"
done
