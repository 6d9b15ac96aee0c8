#!/usr/bin/env python3
"""Turns $PERF_OUT/rows.jsonl (written by summarize.py) into Markdown table rows."""
import json
import sys


def fmt(v):
    return f"{v:,.0f}" if abs(v) >= 100 else f"{v:,.2f}"


rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
print("| row | scenario | metric | median | min-max | runs | target | met |")
print("|---|---|---|---|---|---|---|---|")
for r in rows:
    met = "" if r["met"] is None else ("yes" if r["met"] else "**no**")
    print(f"| {r['row']} | {r['title']} | {r['metric']} | {fmt(r['median'])} | "
          f"{fmt(r['min'])} - {fmt(r['max'])} | {r['runs']} | {r['target'] or ''} | {met} |")
