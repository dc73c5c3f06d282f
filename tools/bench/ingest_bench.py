#!/usr/bin/env python3
"""CSV ingestion: `basalt ingest` beside DuckDB's COPY ... TO ... (PARTITION_BY), in one run.

Data (generated once and cached under tools/.data/, which git ignores):
  tools/.data/ingest/demo-s<S>/      `basalt demo generate --scale S` (the demo sales lake)
  tools/.data/ingest/orders-s<S>.csv its sales.orders exported to CSV by DuckDB, ordered by
                                     order_date, order_id, line_no (about 98 bytes a row: scale 10
                                     is about 1 GB)

Both tools turn the CSV into a year/month-partitioned, ZSTD-compressed Parquet table, 2 threads each:
  basalt  `basalt ingest --lake L --table sales.orders orders.csv --partition-by 'year(order_date)'
          --partition-by 'month(order_date)' --threads 2 --quiet` (types inferred, ZSTD by default);
  duckdb  a `duckdb` Python child process, SET threads=2, then
          COPY (SELECT *, year(order_date) AS year, month(order_date) AS month FROM read_csv(F))
          TO D (FORMAT parquet, PARTITION_BY (year, month), COMPRESSION zstd).
Each run is a fresh child process whose wall time and peak RSS (ru_maxrss from wait4, in a small
launcher process: Linux starts a forked child's peak at its parent's RSS) are measured;
the output directory is removed between runs. One warm-up round (which also checks that both tables
hold every row), then --reps interleaved rounds. Reported: medians of time, rows/s, CPU seconds (user +
system, from the same wait4: steadier than wall time on a shared machine) and peak memory,
and the throughput ratio Basalt/DuckDB (above 1: Basalt is faster).

Usage (repository root, .venv from tools/test.sh, basalt built in release mode; the binary is
copied to a temporary folder first so a rebuild during the run does not change what is measured):
  .venv/bin/python tools/bench/ingest_bench.py [--scale 10] [--reps 3] [--basalt .build/release/basalt]
Prints a markdown table ready to paste into the README (progress goes to stderr).
"""
import argparse
import os
import pathlib
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

REPO = pathlib.Path(__file__).resolve().parents[2]
DATA = REPO / "tools" / ".data" / "ingest"

DUCK_CHILD = r"""
import duckdb, sys
con = duckdb.connect()
con.execute("SET threads=2")
con.execute("COPY (SELECT *, year(order_date) AS year, month(order_date) AS month FROM read_csv('%s')) "
            "TO '%s' (FORMAT parquet, PARTITION_BY (year, month), COMPRESSION zstd)" % (sys.argv[1], sys.argv[2]))
"""


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def prepare(basalt, scale):
    DATA.mkdir(parents=True, exist_ok=True)
    csv = DATA / ("orders-s%g.csv" % scale)
    if csv.exists():
        return csv
    demo = DATA / ("demo-s%g" % scale)
    if not (demo / "sales" / "orders").exists():
        log("generating the demo lake at scale %g" % scale)
        subprocess.run([basalt, "demo", "generate", "--lake", str(demo), "--scale", str(scale), "--force"], check=True,
                       stdout=subprocess.DEVNULL)
    log("exporting sales.orders to %s" % csv)
    tmp = str(csv) + ".tmp"
    # In a child process: this process stays small (see SPAWN).
    subprocess.run([sys.executable, "-c", "import duckdb, sys; duckdb.sql(sys.argv[1])",
                    "COPY (SELECT * EXCLUDE (year, month) FROM read_parquet('%s/sales/orders/*/*/*.parquet', hive_partitioning=true) "
                    "ORDER BY order_date, order_id, line_no) TO '%s' (HEADER)" % (demo, tmp)], check=True)
    os.rename(tmp, csv)
    shutil.rmtree(demo)
    return csv


# Linux counts a forked child's peak RSS from the parent's at fork time, so the
# measured process is started by a fresh, small Python process that reports it.
SPAWN = r"""
import os, subprocess, sys
p = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL)
_, status, usage = os.wait4(p.pid, 0)
print(usage.ru_maxrss, usage.ru_utime + usage.ru_stime)
sys.exit(os.waitstatus_to_exitcode(status))
"""


def timed(cmd):
    """Wall seconds, peak RSS (bytes) and CPU seconds (user + system) of one child process."""
    start = time.perf_counter()
    p = subprocess.run([sys.executable, "-c", SPAWN] + cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    elapsed = time.perf_counter() - start
    if p.returncode != 0:
        raise SystemExit("failed: %s\n%s" % (" ".join(cmd), p.stderr.decode(errors="replace")))
    rss, cpu = p.stdout.split()[-2:]
    return elapsed, int(rss) * 1024, float(cpu)


def count_rows(directory):
    out = subprocess.run([sys.executable, "-c", "import duckdb, sys; print(duckdb.sql(sys.argv[1]).fetchone()[0])",
                          "SELECT count(*) FROM read_parquet('%s/**/*.parquet')" % directory], check=True, stdout=subprocess.PIPE)
    return int(out.stdout)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--scale", type=float, default=10)
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--basalt", default=str(REPO / ".build" / "release" / "basalt"))
    args = ap.parse_args()

    work = pathlib.Path(tempfile.mkdtemp(prefix="ingest-bench-"))
    basalt = str(work / "basalt")
    shutil.copy2(args.basalt, basalt)
    csv = prepare(basalt, args.scale)
    size = csv.stat().st_size
    with open(csv, "rb") as f:
        rows = sum(chunk.count(b"\n") for chunk in iter(lambda: f.read(1 << 24), b"")) - 1
    log("input: %s, %.2f GB, %d rows" % (csv, size / 1e9, rows))

    def run_basalt():
        out = work / "basalt-lake"
        shutil.rmtree(out, ignore_errors=True)
        t, rss, cpu = timed([basalt, "ingest", "--lake", str(out), "--table", "sales.orders", str(csv),
                        "--partition-by", "year(order_date)", "--partition-by", "month(order_date)", "--threads", "2", "--quiet"])
        return t, rss, cpu, out / "sales" / "orders"

    def run_duckdb():
        out = work / "duckdb-out"
        shutil.rmtree(out, ignore_errors=True)
        t, rss, cpu = timed([sys.executable, "-c", DUCK_CHILD, str(csv), str(out)])
        return t, rss, cpu, out

    results = {"basalt": [], "duckdb": []}
    runners = {"basalt": run_basalt, "duckdb": run_duckdb}
    for round_no in range(args.reps + 1):
        for name in ("basalt", "duckdb"):
            t, rss, cpu, out = runners[name]()
            if round_no == 0:
                n = count_rows(out)
                files = len(list(out.rglob("*.parquet")))
                mb = sum(p.stat().st_size for p in out.rglob("*.parquet")) / 1e6
                log("warm-up %s: %.2f s, %d rows in %d files, %.1f MB, peak %.0f MB" % (name, t, n, files, mb, rss / 2**20))
                if n != rows:
                    raise SystemExit("%s wrote %d rows, the input has %d" % (name, n, rows))
                results[name + "_mb"] = mb
            else:
                log("round %d %s: %.2f s, %.2f CPU s, peak %.0f MB" % (round_no, name, t, cpu, rss / 2**20))
                results[name].append((t, rss, cpu))
    shutil.rmtree(work, ignore_errors=True)

    def med(name, i):
        return statistics.median(r[i] for r in results[name])

    print("Input: `%s` (%.2f GB, %s rows); median of %d interleaved runs, 2 threads each.\n"
          % (csv.name, size / 1e9, format(rows, ","), args.reps))
    print("| tool | time s | rows/s | MB/s | CPU s | peak memory MB | output MB |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for name, label in (("basalt", "Basalt `ingest`"), ("duckdb", "DuckDB 1.4.4 `COPY`")):
        t = med(name, 0)
        print("| %s | %.2f | %s | %.0f | %.2f | %.0f | %.1f |" % (label, t, format(int(rows / t), ","), size / t / 1e6,
                                                               med(name, 2), med(name, 1) / 2**20, results[name + "_mb"]))
    print("\nBasalt/DuckDB throughput: **%.2fx** (per round: %s; CPU time DuckDB/Basalt %.2fx)" % (
        med("duckdb", 0) / med("basalt", 0),
        ", ".join("%.2fx" % (d[0] / b[0]) for b, d in zip(results["basalt"], results["duckdb"])),
        med("duckdb", 2) / med("basalt", 2)))


if __name__ == "__main__":
    main()
