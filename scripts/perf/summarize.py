#!/usr/bin/env python3
"""Prints the median and min-max of repeated runs and whether each target is met.

  summarize.py bench --row S2 --title T --command C [--min-ops N] [--max-p50 US] [--max-p99 US]
                     [--max-p999 US] run1.json run2.json ...     (files from rstmdb-cli --json bench)
  summarize.py values --row R --title T --command C --unit U [--min X] [--max X] v1 v2 ...
  summarize.py jmh --row R --title T --command C result.json       (JMH -rf json output)

bench takes --host FILE (host_probe.py's JSON line, taken just before the runs) and prints it
under the command, so that every row says how fast the host's disk and CPU were at the time.
"""
import argparse
import json
import os
import statistics
import sys

RECORDED = []


def record(row, title, command, name, values, bound=None, higher_is_better=True, verdict=None):
    med, lo, hi = stats(values)
    RECORDED.append({"row": row, "title": title, "command": command, "metric": name,
                     "median": med, "min": lo, "max": hi, "runs": len(values),
                     "target": None if bound is None else (">= " if higher_is_better else "<= ") + fmt(bound),
                     "met": verdict})


def flush_records():
    out = os.environ.get("PERF_OUT")
    if out and RECORDED:
        with open(os.path.join(out, "rows.jsonl"), "a") as f:
            for r in RECORDED:
                f.write(json.dumps(r) + "\n")


def stats(values):
    return statistics.median(values), min(values), max(values)


def fmt(v):
    return f"{v:,.0f}" if abs(v) >= 100 else f"{v:,.2f}"


CONTEXT = {}


def line(name, values, bound=None, higher_is_better=True):
    med, lo, hi = stats(values)
    text = f"  {name:<13} median {fmt(med):>12}   min-max {fmt(lo)} - {fmt(hi)}"
    verdict = None
    if bound is not None:
        verdict = med >= bound if higher_is_better else med <= bound
        op = ">=" if higher_is_better else "<="
        text += f"   target {op} {fmt(bound)}: {'MET' if verdict else 'NOT MET'}"
    print(text)
    if CONTEXT:
        record(CONTEXT["row"], CONTEXT["title"], CONTEXT["command"], name, values, bound,
               higher_is_better, verdict)
    return verdict


def host(path, row, title, command):
    try:
        with open(path) as f:
            h = json.load(f)
    except (OSError, ValueError) as e:
        print(f"  host:      no probe ({e})")
        return
    print(f"  host:      fdatasync {h['fdatasync_zero_filled_per_s']:,}/s "
          f"(p50 {h['fdatasync_zero_filled_p50_us']} us) into zero-filled space, "
          f"{h['fdatasync_growing_per_s']:,}/s growing; "
          + (f"p50 {h['fdatasync_after_idle_p50_us']} us after 200 us asleep; "
             if 'fdatasync_after_idle_p50_us' in h else "")
          + f"cpu loop {h['cpu_loop_ms']} ms; "
          f"load {h['load1']}")
    for key, value in h.items():
        record(row, title, command, f"host {key}", [value])


def bench(args):
    runs = []
    for path in args.files:
        try:
            with open(path) as f:
                runs.append(json.load(f))
        except (OSError, ValueError) as e:
            print(f"  run {path} produced no result ({e}); see the .err file next to it")
    if not runs:
        print(f"[{args.row}] {args.title}: NO RESULT")
        return 1
    print(f"[{args.row}] {args.title}  ({len(runs)} runs)")
    print(f"  command:   {args.command}")
    if args.host:
        host(args.host, args.row, args.title, args.command)
    verdicts = [
        line("ops/s", [r["ops_per_sec"] for r in runs], args.min_ops, True),
        line("p50 us", [r["latency_us"]["p50"] for r in runs], args.max_p50, False),
        line("p99 us", [r["latency_us"]["p99"] for r in runs], args.max_p99, False),
        line("p99.9 us", [r["latency_us"]["p99_9"] for r in runs], args.max_p999, False),
        line("max us", [r["latency_us"]["max"] for r in runs]),
    ]
    cpu = []
    for path, r in zip(args.files, runs):
        try:
            with open(path + ".cpu") as f:
                seconds = float(f.read())
            ops = r["ops_per_sec"] * args.cpu_window
            if ops > 0 and args.cpu_window > 0:
                cpu.append(seconds * 1e6 / ops)
        except (OSError, ValueError):
            pass
    if cpu:
        line("srv cpu us/op", cpu)
    errors = [r["error_count"] for r in runs]
    print(f"  errors     {errors}")
    if args.no_errors:
        verdicts.append(sum(errors) == 0)
        record(args.row, args.title, args.command, "errors", errors, 0, False, sum(errors) == 0)
    checked = [v for v in verdicts if v is not None]
    print(f"  RESULT {args.row}: {'MET' if all(checked) else 'NOT MET'}" if checked else "")
    return 0


def values(args):
    nums = [float(v) for v in args.values]
    print(f"[{args.row}] {args.title}  ({len(nums)} runs)")
    print(f"  command:   {args.command}")
    verdicts = []
    if args.min is not None:
        verdicts.append(line(args.unit, nums, args.min, True))
    if args.max is not None:
        verdicts.append(line(args.unit, nums, args.max, False))
    if not verdicts:
        line(args.unit, nums)
    if verdicts:
        print(f"  RESULT {args.row}: {'MET' if all(verdicts) else 'NOT MET'}")
    return 0


def jmh(args):
    with open(args.file) as f:
        results = json.load(f)
    print(f"[{args.row}] {args.title}")
    print(f"  command:   {args.command}")
    for r in results:
        name = r["benchmark"].rsplit(".", 1)[-1]
        params = ",".join(f"{k}={v}" for k, v in sorted((r.get("params") or {}).items()))
        label = f"{name}[{params}]" if params else name
        unit = r["primaryMetric"]["scoreUnit"]
        raw = [v for fork in r["primaryMetric"]["rawData"] for v in fork]
        med, lo, hi = stats(raw)
        record(args.row, args.title, args.command, f"{label} {unit}", raw)
        text = f"  {label:<44} median {fmt(med):>14} {unit}  min-max {fmt(lo)} - {fmt(hi)}  ({len(raw)} iterations, {r['threads']} threads)"
        for sname, sm in (r.get("secondaryMetrics") or {}).items():
            sraw = [v for fork in sm.get("rawData", []) for v in fork]
            if sraw and not sname.startswith("·"):
                smed, slo, shi = stats(sraw)
                record(args.row, args.title, args.command, f"{label} {sname} {sm['scoreUnit']}", sraw)
                text += f"\n  {'  ' + sname:<44} median {fmt(smed):>14} {sm['scoreUnit']}  min-max {fmt(slo)} - {fmt(shi)}"
        print(text)
    return 0


def main():
    p = argparse.ArgumentParser()
    sub = p.add_subparsers(dest="mode", required=True)
    b = sub.add_parser("bench")
    v = sub.add_parser("values")
    j = sub.add_parser("jmh")
    j.add_argument("file")
    for s in (b, v, j):
        s.add_argument("--row", required=True)
        s.add_argument("--title", required=True)
        s.add_argument("--command", required=True)
    b.add_argument("--min-ops", type=float)
    b.add_argument("--max-p50", type=float)
    b.add_argument("--max-p99", type=float)
    b.add_argument("--max-p999", type=float)
    b.add_argument("--no-errors", action="store_true")
    b.add_argument("--cpu-window", type=float, default=0)
    b.add_argument("--host")
    b.add_argument("files", nargs="+")
    v.add_argument("--unit", required=True)
    v.add_argument("--min", type=float)
    v.add_argument("--max", type=float)
    v.add_argument("values", nargs="+")
    args = p.parse_args()
    if args.mode != "jmh":
        CONTEXT.update(row=args.row, title=args.title, command=args.command)
    try:
        return {"bench": bench, "values": values, "jmh": jmh}[args.mode](args)
    finally:
        flush_records()


if __name__ == "__main__":
    sys.exit(main())
