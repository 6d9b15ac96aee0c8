#!/usr/bin/env python3
"""Issue 11's peers on this machine: Redis (appendfsync always) and PostgreSQL
(synchronous_commit on), the durable-write rows S1-S4 and S6 in their terms.

The issue's reference points for the peers were measured on another machine "of this kind". Run
here, next to the S rows, they say how much of a gap is the machine and how much the server.

    scripts/perf/peers.py                 # both peers, every row, PERF_RUNS runs each
    scripts/perf/peers.py redis S2 S6     # a subset

Needs redis-server + redis-benchmark and/or PostgreSQL's initdb, pg_ctl and pgbench (Debian:
redis-server, postgresql); a peer whose tools are missing is skipped. PostgreSQL runs as the
`postgres` user when started as root. Knobs: PERF_RUNS (3), PERF_DURATION (seconds per run, 6),
PERF_TMP (data directories, /tmp; put it on the disk you measure), PERF_OUT (raw output).
"""

import glob
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time

RUNS = int(os.environ.get("PERF_RUNS", "3"))
DURATION = float(os.environ.get("PERF_DURATION", "6"))
TMP = os.environ.get("PERF_TMP", os.environ.get("TMPDIR", "/tmp"))
OUT = os.environ.get("PERF_OUT", os.path.join(TMP, "rstmdb-perf-results"))
PAYLOAD = 200

# row -> (clients, requests in flight per client): the same shapes as the S scripts.
ROWS = {"S1": (1, 1), "S2": (16, 1), "S3": (64, 1), "S4": (256, 1), "S6": (1, 64)}


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def find_tool(name):
    found = shutil.which(name)
    if found:
        return found
    matches = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    return matches[-1] if matches else None


def wait_port(port, proc, seconds=60):
    deadline = time.time() + seconds
    while time.time() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode} during start-up")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"nothing listens on {port} after {seconds} s")


def percentile(sorted_values, p):
    if not sorted_values:
        return float("nan")
    i = min(len(sorted_values) - 1, int(round(p / 100 * (len(sorted_values) - 1))))
    return sorted_values[i]


class Redis:
    name = "redis"
    tools = ("redis-server", "redis-benchmark")
    counts_requests = True  # runs are sized in requests: a short probe finds the rate first
    pipelines = True

    def __enter__(self):
        self.dir = tempfile.mkdtemp(prefix="peer-redis.", dir=TMP)
        self.port = free_port()
        self.proc = subprocess.Popen(
            [find_tool("redis-server"), "--port", str(self.port), "--bind", "127.0.0.1",
             "--dir", self.dir, "--appendonly", "yes", "--appendfsync", "always",
             "--save", "", "--auto-aof-rewrite-percentage", "0", "--protected-mode", "no",
             "--logfile", os.path.join(self.dir, "redis.log")],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            wait_port(self.port, self.proc)
        except RuntimeError:
            self.__exit__()
            raise
        return self

    def __exit__(self, *exc):
        self.proc.terminate()
        self.proc.wait()
        shutil.rmtree(self.dir, ignore_errors=True)

    def run(self, clients, pipeline, rate_guess):
        requests = max(1000, int(rate_guess * DURATION))
        out = subprocess.run(
            [find_tool("redis-benchmark"), "-p", str(self.port), "-t", "set", "-d", str(PAYLOAD),
             "-r", "100000", "-c", str(clients), "-P", str(pipeline), "-n", str(requests),
             "--csv"],
            check=True, capture_output=True, text=True).stdout
        header, values = [line for line in out.splitlines() if line.startswith('"')][:2]
        row = dict(zip(
            [h.strip('"') for h in header.split(",")], [v.strip('"') for v in values.split(",")]))
        return {"ops": float(row["rps"]), "p50_us": float(row["p50_latency_ms"]) * 1000,
                "p99_us": float(row["p99_latency_ms"]) * 1000, "p999_us": None}


class Postgres:
    name = "postgres"
    tools = ("initdb", "pg_ctl", "pgbench")
    counts_requests = False
    pipelines = False  # pgbench pipelines only inside one transaction's script: no S6 here

    def _as_owner(self, argv):
        if os.geteuid() == 0:
            return ["runuser", "-u", "postgres", "--"] + argv
        return argv

    def __enter__(self):
        self.dir = tempfile.mkdtemp(prefix="peer-pg.", dir=TMP)
        if os.geteuid() == 0:
            shutil.chown(self.dir, "postgres", "postgres")
        self.data = os.path.join(self.dir, "data")
        self.port = free_port()
        try:
            self._start()
        except (subprocess.CalledProcessError, OSError):
            self.__exit__()
            raise
        return self

    def _start(self):
        subprocess.run(self._as_owner([find_tool("initdb"), "-D", self.data, "-A", "trust",
                                       "-U", "bench"]), check=True, capture_output=True)
        opts = (f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 "
                "-c synchronous_commit=on -c fsync=on -c max_connections=300 "
                "-c shared_buffers=256MB")
        subprocess.run(self._as_owner([find_tool("pg_ctl"), "-D", self.data, "-o", opts, "-l",
                                       os.path.join(self.dir, "pg.log"), "-w", "start"]),
                       check=True, capture_output=True)
        self._psql("CREATE TABLE rec (id int PRIMARY KEY, n bigint NOT NULL, v text NOT NULL);"
                   "INSERT INTO rec SELECT g, 0, '' FROM generate_series(1, 100000) g;")
        self.script = os.path.join(self.dir, "apply.sql")
        with open(self.script, "w") as f:
            # One durable transaction that changes one record, like an APPLY_EVENT.
            f.write("\\set id random(1, 100000)\n"
                    f"UPDATE rec SET n = n + 1, v = repeat('x', {PAYLOAD}) WHERE id = :id;\n")
        os.chmod(self.dir, 0o755)
        os.chmod(self.script, 0o644)

    def _psql(self, sql):
        subprocess.run(["psql", "-h", "127.0.0.1", "-p", str(self.port), "-U", "bench",
                        "-d", "postgres", "-q", "-c", sql], check=True, capture_output=True)

    def __exit__(self, *exc):
        subprocess.run(self._as_owner([find_tool("pg_ctl"), "-D", self.data, "-m", "fast",
                                       "stop"]), capture_output=True)
        shutil.rmtree(self.dir, ignore_errors=True)

    def run(self, clients, pipeline, rate_guess):
        logs = tempfile.mkdtemp(prefix="pgbench-log.", dir=TMP)
        argv = [find_tool("pgbench"), "-h", "127.0.0.1", "-p", str(self.port), "-U", "bench",
                "-n", "-M", "prepared", "-c", str(clients), "-j", str(min(clients, 2)),
                "-T", str(int(DURATION)), "-f", self.script, "-l",
                "--log-prefix", os.path.join(logs, "tx"), "postgres"]
        out = subprocess.run(argv, check=True, capture_output=True, text=True).stdout
        tps = next(float(line.split("=")[1].split()[0]) for line in out.splitlines()
                   if line.startswith("tps ="))
        lat = []
        for path in glob.glob(os.path.join(logs, "tx*")):
            with open(path) as f:
                lat.extend(int(line.split()[2]) for line in f if line.strip())
        shutil.rmtree(logs, ignore_errors=True)
        lat.sort()
        return {"ops": tps, "p50_us": percentile(lat, 50), "p99_us": percentile(lat, 99),
                "p999_us": percentile(lat, 99.9)}


def fmt(values, unit=""):
    values = [v for v in values if v is not None]
    if not values:
        return "-"
    return (f"{statistics.median(values):,.0f}{unit} "
            f"({min(values):,.0f} - {max(values):,.0f})")


def main(argv):
    unknown = [a for a in argv if a not in ROWS and a not in (Redis.name, Postgres.name)]
    if unknown:
        sys.exit(f"unknown argument(s) {' '.join(unknown)}; usage: peers.py "
                 f"[redis|postgres ...] [{' '.join(ROWS)} ...]")
    named = [p for p in (Redis, Postgres) if p.name in argv]
    peers = named or [Redis, Postgres]
    rows = [r for r in ROWS if r in argv] or list(ROWS)
    os.makedirs(OUT, exist_ok=True)
    print(f"# peers, {RUNS} runs of ~{DURATION:.0f} s, {PAYLOAD}-byte payloads, "
          f"load average {os.getloadavg()[0]:.1f}")
    print("| peer | row | clients x in flight | ops/s | p50 us | p99 us | p99.9 us |")
    print("|---|---|---|---|---|---|---|")
    for peer in peers:
        missing = [t for t in peer.tools if not find_tool(t)]
        if missing:
            print(f"| {peer.name} | skipped: {', '.join(missing)} not installed | | | | | |")
            continue
        try:
            measure(peer, rows)
        except (subprocess.CalledProcessError, RuntimeError, OSError) as e:
            detail = getattr(e, "stderr", None) or str(e)
            if isinstance(detail, bytes):
                detail = detail.decode(errors="replace")
            last = detail.strip().splitlines()[-1] if detail.strip() else type(e).__name__
            print(f"| {peer.name} | failed: {last} | | | | | |", flush=True)


def measure(peer, rows):
    with peer() as server:
        for row in rows:
            clients, pipeline = ROWS[row]
            if pipeline > 1 and not server.pipelines:
                continue
            rate = 0
            if server.counts_requests:
                rate = server.run(clients, pipeline, 2000 / DURATION)["ops"]
            results = [server.run(clients, pipeline, rate) for _ in range(RUNS)]
            with open(os.path.join(OUT, f"peer-{peer.name}-{row}.txt"), "w") as f:
                f.write(repr(results) + "\n")
            print(f"| {peer.name} | {row} | {clients} x {pipeline} | "
                  f"{fmt([r['ops'] for r in results])} | "
                  f"{fmt([r['p50_us'] for r in results])} | "
                  f"{fmt([r['p99_us'] for r in results])} | "
                  f"{fmt([r['p999_us'] for r in results])} |", flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
