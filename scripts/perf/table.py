#!/usr/bin/env python3
"""Turns $PERF_OUT/rows.jsonl (written by summarize.py) into Markdown table rows.

  table.py rows.jsonl             every metric of every row
  table.py rows.jsonl --targets   only the metrics that have a target, with met / not met
"""
import json
import sys


def fmt(v):
    return f"{v:,.0f}" if abs(v) >= 100 else f"{v:,.2f}"


rows = [json.loads(line) for line in open(sys.argv[1]) if line.strip()]
only_targets = "--targets" in sys.argv[2:]
if only_targets:
    rows = [r for r in rows if r["target"] is not None]
print("| row | scenario | metric | median | min-max | runs | target | met |")
print("|---|---|---|---|---|---|---|---|")
for r in rows:
    met = "" if r["met"] is None else ("yes" if r["met"] else "**no**")
    print(f"| {r['row']} | {r['title']} | {r['metric']} | {fmt(r['median'])} | "
          f"{fmt(r['min'])} - {fmt(r['max'])} | {r['runs']} | {r['target'] or ''} | {met} |")
