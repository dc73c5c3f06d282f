#!/usr/bin/env python3
"""The cost of enforcing permissions: the same queries as the superuser and as a user
whose data filter and mask leave the visible data the same, in one run, one server.

Three ways per query, interleaved in every round, through the wire protocol (psycopg,
result cache off so every run really executes):
  admin         the superuser, no policy;
  admin+where   the superuser with the filter's predicate written into the query
                (the filter's own work, done by hand);
  restricted    a user granted only a data filter with that predicate (keeping every
                row) and with a mask on one column (an identity expression), so the
                answer is the same as the admin's.
Reported: medians, restricted/admin (enforcement's whole cost) and
restricted/admin+where (the overhead beyond the filter's own work).

Lakes: the demo lake (generated at --scale into tools/.data/demo-sf<S>/, once) and, if
tools/bench/tpch_bench.py generated it, TPC-H lineitem (tools/.data/tpch-sf1/lake).
The binary is copied to a temporary folder first.

  .venv/bin/python tools/bench/permissions_bench.py [--scale 1] [--reps 7] [--basalt .build/release/basalt]
"""
import argparse
import pathlib
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

import psycopg

REPO = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "Tests" / "Integration"))

DEMO_FILTER = "region IN ('AMER', 'EMEA', 'APAC', 'LATAM')"
DEMO_QUERIES = {
    "revenue by region, year": "SELECT region, year, count(*), sum(revenue) FROM {t} o GROUP BY 1, 2 ORDER BY 1, 2",
    "one month (partition pruning)": "SELECT count(*), sum(revenue) FROM {t} o WHERE year = 2023 AND month = 11",
    "top categories (join)": "SELECT p.category, sum(o.revenue) r FROM {t} o JOIN sales.products p USING (product_id) "
                             "GROUP BY 1 ORDER BY 2 DESC LIMIT 5",
    "channel discounts (masked column)": "SELECT channel, avg(discount) FROM {t} o GROUP BY 1 ORDER BY 1",
    "returned lines": "SELECT count(*) FROM {t} o WHERE status = 'Returned'",
}
TPCH_FILTER = "l_shipdate >= DATE '1990-01-01'"
TPCH_QUERIES = {
    "TPC-H Q1": "SELECT l_returnflag, l_linestatus, sum(l_quantity), sum(l_extendedprice), "
                "sum(l_extendedprice * (1 - l_discount)), avg(l_quantity), count(*) FROM {t} l "
                "WHERE l_shipdate <= DATE '1998-09-02' GROUP BY 1, 2 ORDER BY 1, 2",
    "TPC-H Q6": "SELECT sum(l_extendedprice * l_discount) FROM {t} l WHERE l_shipdate >= DATE '1994-01-01' "
                "AND l_shipdate < DATE '1995-01-01' AND l_discount BETWEEN 0.05 AND 0.07 AND l_quantity < 24",
}


def timed(conn, sql):
    start = time.perf_counter()
    rows = conn.execute(sql).fetchall()
    return time.perf_counter() - start, rows


def bench(server, table, predicate, mask_column, queries, reps, label):
    from basalt_server import BasaltServer  # noqa: F401 (the server is passed in)
    admin = psycopg.connect(server.dsn(), autocommit=True)
    user = "bench_" + table.split(".")[-1]
    admin.execute(f"CREATE USER {user} PASSWORD 'bench'")
    admin.execute(f"CREATE DATA FILTER {user}_all ON {table} WHERE {predicate}")
    admin.execute(f"GRANT SELECT ON DATA FILTER {user}_all TO {user}")
    admin.execute(f"ALTER TABLE {table} ALTER COLUMN {mask_column} SET MASK {mask_column} FOR {user}")
    if table == "sales.orders":
        admin.execute(f"GRANT SELECT ON sales.products TO {user}")
    restricted = psycopg.connect(server.dsn(user=user, password="bench"), autocommit=True)
    ways = {
        "admin": (admin, table),
        "admin+where": (admin, f"(SELECT * FROM {table} WHERE {predicate})"),
        "restricted": (restricted, table),
    }
    times = {(q, w): [] for q in queries for w in ways}
    for q, sql in queries.items():  # warm-up, and the answers must agree
        answers = {w: timed(c, sql.format(t=t))[1] for w, (c, t) in ways.items()}
        assert answers["admin"] == answers["admin+where"] == answers["restricted"], (q, answers)
    for _ in range(reps):
        for q, sql in queries.items():
            for w, (c, t) in ways.items():
                times[(q, w)].append(timed(c, sql.format(t=t))[0])
    print(f"\n{label}\n")
    print("| query | admin ms | admin+where ms | restricted ms | restricted/admin | restricted/admin+where |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for q in queries:
        m = {w: statistics.median(times[(q, w)]) * 1000 for w in ways}
        print(f"| {q} | {m['admin']:.1f} | {m['admin+where']:.1f} | {m['restricted']:.1f} | "
              f"{m['restricted'] / m['admin']:.3f} | {m['restricted'] / m['admin+where']:.3f} |")
    admin.close()
    restricted.close()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", default="1")
    parser.add_argument("--reps", type=int, default=7)
    parser.add_argument("--basalt", default=str(REPO / ".build" / "release" / "basalt"))
    args = parser.parse_args()
    tmp = pathlib.Path(tempfile.mkdtemp(prefix="permissions-bench-"))
    binary = tmp / "basalt"
    shutil.copy2(args.basalt, binary)
    import os
    os.environ["BASALT_BIN"] = str(binary)
    from basalt_server import BasaltServer

    demo = REPO / "tools" / ".data" / f"demo-sf{args.scale}"
    if not (demo / "sales" / "orders").is_dir():
        print(f"generating the demo lake at scale {args.scale} into {demo}", file=sys.stderr)
        subprocess.run([str(binary), "demo", "generate", "--lake", str(demo), "--scale", args.scale], check=True,
                       stdout=subprocess.DEVNULL)
    # The permissions live in the lake's metastore: work on a copy so runs start clean.
    lake = tmp / "demo"
    shutil.copytree(demo, lake, ignore=shutil.ignore_patterns("_basalt"))
    server = BasaltServer(lake, extra_args=["--result-cache-mb", "0", "--threads", "2"])
    try:
        bench(server, "sales.orders", DEMO_FILTER, "channel", DEMO_QUERIES, args.reps,
              f"Demo lake, scale {args.scale} ({args.reps} rounds, medians)")
    finally:
        server.stop()
    tpch = REPO / "tools" / ".data" / "tpch-sf1" / "lake" / "tpch" / "lineitem"
    if tpch.is_dir():
        lake = tmp / "tpch"
        (lake / "tpch").mkdir(parents=True)
        (lake / "tpch" / "lineitem").symlink_to(tpch)
        server = BasaltServer(lake, extra_args=["--result-cache-mb", "0", "--threads", "2"])
        try:
            bench(server, "tpch.lineitem", TPCH_FILTER, "l_comment", TPCH_QUERIES, args.reps,
                  f"TPC-H scale 1, lineitem ({args.reps} rounds, medians)")
        finally:
            server.stop()
    shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
