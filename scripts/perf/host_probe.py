#!/usr/bin/env python3
"""Measures what the host gives right now, next to a row's figures: the issue's disk reference
points (a small write + fdatasync into zero-filled space and into a growing file), the same
write + fdatasync after the thread slept (as every durable request's client sleeps while it
waits), a fixed CPU loop, and the load average. On a shared VM the same code measured 1.5 - 2x
apart from one hour to the next (docs/performance.md); these figures say which hour a row ran in.

  host_probe.py DIR     prints one JSON line; the probe files go in DIR and are removed
"""
import json
import os
import statistics
import sys
import time

WRITES = 800
RECORD = b"x" * 200
ZERO_FILLED = 1 << 20
# Long enough for the vCPU to halt and wake late (from ~150 µs on the VM of docs/performance.md,
# twentieth run); the write that follows shows what that costs.
IDLE_SECONDS = 200e-6
IDLE_WRITES = 300


def fdatasync_rate(directory, preallocate, writes=WRITES, idle=0.0):
    """Writes RECORD + fdatasync `writes` times, sleeping `idle` seconds before each; returns
    (syncs per second, median microseconds of write + fdatasync)."""
    path = os.path.join(directory, f"host-probe-{os.getpid()}.dat")
    fd = os.open(path, os.O_CREAT | os.O_RDWR | os.O_TRUNC, 0o600)
    try:
        if preallocate:
            # As the WAL keeps its newest segment: zeros written and synced ahead of the records,
            # so each fdatasync writes data only, no file size.
            os.write(fd, bytes(ZERO_FILLED))
            os.fsync(fd)
            os.lseek(fd, 0, os.SEEK_SET)
        times = []
        start = time.perf_counter()
        for _ in range(writes):
            if idle:
                time.sleep(idle)
            t = time.perf_counter()
            os.write(fd, RECORD)
            os.fdatasync(fd)
            times.append(time.perf_counter() - t)
        elapsed = time.perf_counter() - start
    finally:
        os.close(fd)
        os.unlink(path)
    return writes / elapsed, statistics.median(times) * 1e6


def cpu_loop_ms():
    """A fixed interpreted loop: only comparable with itself on the same machine and Python."""
    start = time.perf_counter()
    total = 0
    for i in range(2_000_000):
        total += i
    return (time.perf_counter() - start) * 1000


def main():
    directory = sys.argv[1] if len(sys.argv) > 1 else "/tmp"
    load1 = os.getloadavg()[0]
    zero_rate, zero_p50 = fdatasync_rate(directory, True)
    grow_rate, grow_p50 = fdatasync_rate(directory, False)
    _, idle_p50 = fdatasync_rate(directory, True, IDLE_WRITES, IDLE_SECONDS)
    print(json.dumps({
        "load1": round(load1, 2),
        "fdatasync_zero_filled_per_s": round(zero_rate),
        "fdatasync_zero_filled_p50_us": round(zero_p50),
        "fdatasync_growing_per_s": round(grow_rate),
        "fdatasync_growing_p50_us": round(grow_p50),
        "fdatasync_after_idle_p50_us": round(idle_p50),
        "cpu_loop_ms": round(cpu_loop_ms()),
    }))


if __name__ == "__main__":
    main()
