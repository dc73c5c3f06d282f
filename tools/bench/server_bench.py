#!/usr/bin/env python3
"""The server benchmark of issue 5, in one run on one machine:

1. pgbench select-only transactions per second, Basalt against PostgreSQL 15
   serving the same 10,000-row table (simple and extended protocol, 1 and 8
   clients), interleaved rounds, medians and ratios. Basalt runs twice: with
   its result cache (the "cached point query": the key range is small and warmed
   first) and without (`--result-cache-mb 0`: every query scans Parquet).
2. Latency percentiles (p50/p95/p99) of demo-lake queries under 20 concurrent
   clients, with and without the result cache.

Usage: .venv/bin/python tools/bench/server_bench.py [--seconds 5] [--rounds 3]
Needs: a release build (.build/release/basalt), pgbench/psql, and the Debian
postgresql-15 server package (installed when missing). PostgreSQL runs as the
`postgres` OS user in a throw-away data directory on a private port.
"""
import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "Tests" / "Integration"))
os.environ.setdefault("BASALT_BIN", str(REPO / ".build" / "release" / "basalt"))
from basalt_server import BasaltServer  # noqa: E402

PG_BIN = Path("/usr/lib/postgresql/15/bin")
ROWS = 10_000
DEMO_QUERIES = [
    "SELECT region, count(*), sum(revenue) FROM sales.orders WHERE year = 2024 AND month = %d GROUP BY region ORDER BY region",
    "SELECT channel, sum(quantity) FROM sales.orders WHERE year = 2023 AND month = %d GROUP BY channel ORDER BY channel",
    "SELECT p.category, sum(o.revenue) FROM sales.orders o JOIN sales.products p USING (product_id) "
    "WHERE o.year = 2024 AND o.month = %d GROUP BY p.category ORDER BY 2 DESC LIMIT 3",
]


def sh(args, **kw):
    return subprocess.run(args, check=True, capture_output=True, text=True, **kw)


class Postgres:
    """A private PostgreSQL 15 on 127.0.0.1:port, trust authentication."""

    def __init__(self, port):
        if not (PG_BIN / "postgres").exists():
            sh(["apt-get", "install", "-y", "-q", "postgresql-15"], env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"})
        self.port = port
        self.dir = Path(tempfile.mkdtemp(prefix="basalt-pg-"))
        shutil.chown(self.dir, "postgres", "postgres")
        self.data = self.dir / "data"
        self._as_postgres([str(PG_BIN / "initdb"), "-D", str(self.data), "-A", "trust", "-U", "postgres", "--no-sync"])
        self._as_postgres([str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-l", str(self.dir / "log"), "-w", "start",
                           "-o", "-p %d -k %s -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200" % (port, self.dir)])

    @staticmethod
    def _as_postgres(args):
        sh(["su", "postgres", "-c", " ".join("'%s'" % a for a in args)])

    def env(self):
        return {**os.environ, "PGHOST": "127.0.0.1", "PGPORT": str(self.port), "PGUSER": "postgres", "PGDATABASE": "postgres"}

    def psql(self, sql):
        sh(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-c", sql], env=self.env())

    def stop(self):
        self._as_postgres([str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-m", "fast", "stop"])
        shutil.rmtree(self.dir, ignore_errors=True)


def make_lake(root):
    """bench.accounts as Parquet (for Basalt) and as CSV (for PostgreSQL's COPY)."""
    import pyarrow as pa
    import pyarrow.parquet as pq
    aid = list(range(1, ROWS + 1))
    table = pa.table({"aid": pa.array(aid, pa.int32()), "abalance": pa.array([(a * 7919) % 100_000 for a in aid], pa.int32()),
                      "filler": pa.array(["x" * 84] * ROWS)})
    (root / "bench" / "accounts").mkdir(parents=True)
    pq.write_table(table, root / "bench" / "accounts" / "part-0.parquet", row_group_size=1000, write_page_index=True)
    csv = root.parent / "accounts.csv"
    with open(csv, "w") as f:
        for a in aid:
            f.write("%d,%d,%s\n" % (a, (a * 7919) % 100_000, "x" * 84))
    return csv


def pgbench(env, script, mode, clients, seconds):
    out = sh(["pgbench", "-n", "-f", str(script), "-M", mode, "-c", str(clients), "-j", str(min(clients, 2)),
              "-T", str(seconds)], env=env, timeout=seconds * 4 + 60)
    assert "number of failed transactions: 0" in out.stdout, out.stdout
    return float(out.stdout.split("tps = ")[1].split()[0])


def latencies(server, queries, clients=20, per_client=15):
    import psycopg
    times = []
    lock = threading.Lock()

    def client(i):
        with psycopg.connect(server.dsn(), autocommit=True) as conn:
            for k in range(per_client):
                sql = queries[(i + k) % len(queries)]
                start = time.perf_counter()
                conn.execute(sql).fetchall()
                with lock:
                    times.append(time.perf_counter() - start)

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    times.sort()
    pick = lambda q: times[min(len(times) - 1, int(q * len(times)))] * 1000
    return pick(0.50), pick(0.95), pick(0.99)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=int, default=5)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--scale", default="1")
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="basalt-server-bench-"))
    lake = work / "lake"
    csv = make_lake(lake)
    os.chmod(work, 0o755)
    os.chmod(csv, 0o644)

    pg = Postgres(55432)
    # No query log (PostgreSQL logs no statements by default either).
    cached = BasaltServer(lake, extra_args=["--query-log", "off"])
    uncached = BasaltServer(lake, extra_args=["--result-cache-mb", "0", "--query-log", "off"])
    try:
        pg.psql("CREATE SCHEMA bench; CREATE TABLE bench.accounts (aid int PRIMARY KEY, abalance int, filler text); "
                "COPY bench.accounts FROM '%s' (FORMAT csv); ANALYZE bench.accounts;" % csv)
        # The cached point query: 1,000 keys, all warmed before measuring.
        hot = work / "hot.sql"
        hot.write_text("\\set aid random(1, 1000)\nSELECT abalance FROM bench.accounts WHERE aid = :aid;\n")
        cold = work / "cold.sql"
        cold.write_text("\\set aid random(1, %d)\nSELECT abalance FROM bench.accounts WHERE aid = :aid;\n" % ROWS)
        import psycopg
        with psycopg.connect(cached.dsn(), autocommit=True) as conn:
            for aid in range(1, 1001):
                conn.execute("SELECT abalance FROM bench.accounts WHERE aid = %d" % aid)
                conn.execute("SELECT abalance FROM bench.accounts WHERE aid = %s", (aid,))

        targets = {"postgres": (pg.env(), hot), "basalt cached": (cached.env(), hot), "basalt uncached": (uncached.env(), cold)}
        results = {}
        for mode in ("simple", "extended"):
            for clients in (1, 8):
                for r in range(args.rounds):
                    for name, (env, script) in targets.items():
                        tps = pgbench(env, script, mode, clients, args.seconds)
                        results.setdefault((mode, clients, name), []).append(tps)
                        print("  %-8s %d clients  %-16s round %d: %8.0f tps" % (mode, clients, name, r + 1, tps), flush=True)
        print("\npgbench select-only (tps, median of %d x %d s; ratio = Basalt / PostgreSQL)" % (args.rounds, args.seconds))
        print("| protocol | clients | PostgreSQL 15 | Basalt cached | ratio | Basalt uncached | ratio |")
        print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
        for mode in ("simple", "extended"):
            for clients in (1, 8):
                p = statistics.median(results[(mode, clients, "postgres")])
                c = statistics.median(results[(mode, clients, "basalt cached")])
                u = statistics.median(results[(mode, clients, "basalt uncached")])
                print("| %s | %d | %.0f | %.0f | %.2f | %.0f | %.2f |" % (mode, clients, p, c, c / p, u, u / p))

        # Demo-lake latencies under 20 concurrent clients.
        demo = work / "demo"
        sh([os.environ["BASALT_BIN"], "demo", "generate", "--lake", str(demo), "--scale", args.scale])
        demo_cached = BasaltServer(demo, extra_args=["--query-log", "off"])
        demo_uncached = BasaltServer(demo, extra_args=["--result-cache-mb", "0", "--query-log", "off"])
        try:
            queries = [q % m for q in DEMO_QUERIES for m in range(1, 13)]
            with psycopg.connect(demo_cached.dsn(), autocommit=True) as conn:
                for q in queries:
                    conn.execute(q).fetchall()
            rows = {}
            for r in range(args.rounds):
                for name, server in (("cached", demo_cached), ("uncached", demo_uncached)):
                    rows.setdefault(name, []).append(latencies(server, queries))
            print("\nDemo-lake queries, 20 concurrent clients, 15 queries each (ms; median over %d rounds)" % args.rounds)
            print("| result cache | p50 | p95 | p99 |")
            print("| --- | ---: | ---: | ---: |")
            for name in ("cached", "uncached"):
                p50, p95, p99 = (statistics.median(x[i] for x in rows[name]) for i in range(3))
                print("| %s | %.1f | %.1f | %.1f |" % (name, p50, p95, p99))
        finally:
            demo_cached.stop()
            demo_uncached.stop()
    finally:
        cached.stop()
        uncached.stop()
        pg.stop()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
