"""`basalt ingest` end to end: messy inputs round-tripped and compared with
DuckDB reading the same files, compressed and standard inputs, the table
left intact when the process is killed mid-ingest, idempotent
overwrite-partitions, and bounded memory on a large generated file."""
import gzip
import os
import random
import resource
import signal
import subprocess
import sys
import time

import duckdb
import pyarrow as pa
import pytest

from basalt_support import basalt_bin, run_basalt


def ingest(lake, table, *inputs, extra=(), stdin=None, timeout=300):
    args = [str(basalt_bin()), "ingest", "--lake", str(lake), "--table", table, "--quiet"] + [str(i) for i in inputs] + list(extra)
    return subprocess.run(args, input=stdin, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=timeout)


def query(lake, sql, fmt="csv"):
    run = run_basalt(["query", "--lake", lake, "--format", fmt, sql], check=True)
    return run.text()


def rows_csv(text):
    """Basalt's CSV output as lists of strings (header dropped)."""
    import csv
    import io
    return [r for r in csv.reader(io.StringIO(text))][1:]


def duck_rows(sql):
    out = []
    for row in duckdb.sql(sql).fetchall():
        out.append(["" if v is None else (("t" if v else "f") if isinstance(v, bool) else str(v)) for v in row])
    return out


def orders_csv(path, n, seed=7):
    """Order lines with the messy parts real exports have: quoted commas and
    newlines, doubled quotes, empty fields, decimals, dates over three years."""
    rng = random.Random(seed)
    names = ["Acme, Inc.", 'The "Best" Shop', "plain", "multi\nline", "Zürich AG", ""]
    with open(path, "w", newline="") as f:
        f.write("order_id,order_date,customer,quantity,unit_price,note\n")
        for i in range(n):
            day = 1 + rng.randrange(28)
            month = 1 + rng.randrange(12)
            year = 2022 + rng.randrange(3)
            name = rng.choice(names)
            quoted = '"' + name.replace('"', '""') + '"' if name else ""
            price = "%d.%02d" % (rng.randrange(1000), rng.randrange(100))
            qty = "" if rng.random() < 0.05 else str(1 + rng.randrange(20))
            f.write("%d,%04d-%02d-%02d,%s,%s,%s,%s\n" % (i, year, month, day, quoted, qty, price, "x" * rng.randrange(5)))


@pytest.fixture(scope="module")
def orders(tmp_path_factory):
    d = tmp_path_factory.mktemp("ingest")
    path = d / "orders.csv"
    orders_csv(path, 20_000)
    return path


DUCK_CSV = "read_csv('%s', header=true, quote='\"', escape='\"', allow_quoted_nulls=false, types={'unit_price': 'DECIMAL(5,2)'})"


def test_round_trip_matches_duckdb(tmp_path, orders):
    lake = tmp_path / "lake"
    run = ingest(lake, "sales.orders", orders, extra=["--partition-by", "year(order_date)", "--partition-by", "month(order_date)"])
    assert run.returncode == 0, run.stderr.decode()
    assert b"20,000 written" in run.stdout
    got = rows_csv(query(lake, "SELECT order_id, order_date, customer, quantity, unit_price, note, year, month "
                               "FROM sales.orders ORDER BY order_id"))
    want = duck_rows("SELECT order_id, order_date, customer, quantity, unit_price, note, year(order_date), month(order_date) "
                     "FROM %s ORDER BY order_id" % (DUCK_CSV % orders))
    assert len(got) == len(want) == 20_000
    assert got == want
    # Aggregates through the engine, with partition pruning.
    got = rows_csv(query(lake, "SELECT year, month, count(*), sum(unit_price), sum(quantity) FROM sales.orders "
                               "WHERE year = 2023 GROUP BY 1, 2 ORDER BY 1, 2"))
    want = duck_rows("SELECT year(order_date), month(order_date), count(*), sum(unit_price), sum(quantity) FROM %s "
                     "WHERE year(order_date) = 2023 GROUP BY 1, 2 ORDER BY 1, 2" % (DUCK_CSV % orders))
    assert got == want
    dirs = sorted(p.relative_to(lake / "sales" / "orders").parent.as_posix() for p in (lake / "sales" / "orders").rglob("*.parquet"))
    assert dirs[0] == "year=2022/month=1" and len(set(dirs)) == 36


def test_sorted_ingest_matches_duckdb(tmp_path, orders):
    """--sort-by sorts whole files (spilled runs merged under a small memory
    limit): the rows are DuckDB's, and each file's rows, read in file order,
    come in (customer, quantity) order with NULLs last."""
    lake = tmp_path / "lake"
    run = ingest(lake, "sales.sorted", orders, extra=["--partition-by", "year(order_date)", "--sort-by", "customer",
                                                      "--sort-by", "quantity", "--row-group-rows", "200", "--memory-limit", "1"])
    assert run.returncode == 0, run.stderr.decode()
    cols = "order_id, order_date, customer, quantity, unit_price, note"
    got = rows_csv(query(lake, "SELECT %s FROM sales.sorted ORDER BY customer NULLS LAST, quantity NULLS LAST, order_id" % cols))
    want = duck_rows("SELECT %s FROM %s ORDER BY customer NULLS LAST, quantity NULLS LAST, order_id" % (cols, DUCK_CSV % orders))
    assert len(got) == len(want) == 20_000
    assert got == want
    files = sorted((lake / "sales" / "sorted").rglob("*.parquet"))
    assert len(files) == 3 and not list((lake / "sales").rglob("*_sort-runs*"))
    import pyarrow.parquet as pq
    for f in files:
        t = pq.read_table(f, columns=["customer", "quantity", "order_id"]).to_pylist()  # file order, all row groups
        assert len(t) > 2000 and pq.ParquetFile(f).num_row_groups > 10
        in_file_order = [(r["customer"], r["quantity"], r["order_id"]) for r in t]
        key = lambda r: (r[0] is None, (r[0] or "").encode(), r[1] is None, r[1] or 0, r[2])  # NULLs last, stable
        assert in_file_order == sorted(in_file_order, key=key), f


def test_ndjson_matches_duckdb(tmp_path):
    rng = random.Random(3)
    path = tmp_path / "events.ndjson"
    with open(path, "w") as f:
        for i in range(2000):
            f.write('{"id": %d, "kind": "%s", "score": %s, "at": "2024-0%d-1%d 10:00:00", "who": {"name": "u%d", "vip": %s}, "tags": [%s]}\n' % (
                i, rng.choice(["click", "view"]), rng.choice(["1.5", "2", "null"]), 1 + i % 9, i % 10, i % 50,
                rng.choice(["true", "false"]), ", ".join('"t%d"' % k for k in range(i % 3))))
    lake = tmp_path / "lake"
    run = ingest(lake, "raw.events", path, extra=["--partition-by", "kind", "--flatten"])
    assert run.returncode == 0, run.stderr.decode()
    got = rows_csv(query(lake, "SELECT id, kind, score, at, who_name, who_vip, cardinality(tags) FROM raw.events ORDER BY id"))
    want = duck_rows("SELECT id, kind, score, strftime(\"at\"::timestamp, '%%Y-%%m-%%d %%H:%%M:%%S'), who.name, who.vip, len(tags) "
                     "FROM read_json('%s', format='newline_delimited') ORDER BY id" % path)
    assert [r[:2] + r[3:] for r in got] == [r[:2] + r[3:] for r in want]
    assert [float(r[2]) if r[2] else None for r in got] == [float(r[2]) if r[2] else None for r in want]


def test_compressed_and_standard_input(tmp_path, orders):
    data = orders.read_bytes()
    gz = tmp_path / "orders.csv.gz"
    gz.write_bytes(gzip.compress(data))
    zst = tmp_path / "orders.csv.zst"
    zst.write_bytes(pa.compress(data, codec="zstd", asbytes=True))
    lake = tmp_path / "lake"
    for name, source, stdin in [("gz", gz, None), ("zst", zst, None), ("stdin", "-", data), ("stdin_gz", "-", gzip.compress(data))]:
        run = ingest(lake, "s." + name, source, stdin=stdin)
        assert run.returncode == 0, (name, run.stderr.decode())
        assert rows_csv(query(lake, "SELECT count(*), sum(unit_price), count(DISTINCT customer) FROM s." + name)) == \
            duck_rows("SELECT count(*), sum(unit_price), count(DISTINCT customer) FROM %s" % (DUCK_CSV % orders)), name


def test_errors_name_file_line_and_column(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("id,day,amount\n1,2024-01-01,1.5\n2,2024-13-01,2.5\n")
    lake = tmp_path / "lake"
    run = ingest(lake, "s.t", bad, extra=["--type", "day=date"])
    assert run.returncode == 1
    err = run.stderr.decode()
    assert "bad.csv:3:3 (column 'day'): '2024-13-01' is not a valid date" in err, err
    assert not (lake / "s" / "t").exists()
    run = ingest(lake, "s.t", bad, extra=["--type", "day=date", "--on-error", "skip"])
    assert run.returncode == 0 and b"1 rejected" in run.stdout, run.stdout
    missing = ingest(lake, "s.t", tmp_path / "nope.csv")
    assert missing.returncode == 1 and b"nope.csv" in missing.stderr


def test_overwrite_partitions_is_idempotent(tmp_path, orders):
    lake = tmp_path / "lake"
    keys = ["--partition-by", "year(order_date)", "--partition-by", "month(order_date)"]
    assert ingest(lake, "sales.orders", orders, extra=keys).returncode == 0
    march = tmp_path / "march.csv"
    march.write_text("order_id,order_date,customer,quantity,unit_price,note\n1,2023-03-05,x,1,1.00,\n2,2023-03-06,y,2,2.00,\n")
    before = rows_csv(query(lake, "SELECT count(*) FROM sales.orders WHERE NOT (year = 2023 AND month = 3)"))
    for _ in range(2):
        run = ingest(lake, "sales.orders", march, extra=["--mode", "overwrite-partitions"])
        assert run.returncode == 0, run.stderr.decode()
        assert rows_csv(query(lake, "SELECT count(*), sum(quantity) FROM sales.orders WHERE year = 2023 AND month = 3")) == [["2", "3"]]
        assert rows_csv(query(lake, "SELECT count(*) FROM sales.orders WHERE NOT (year = 2023 AND month = 3)")) == before
    files = list((lake / "sales" / "orders" / "year=2023" / "month=3").glob("*.parquet"))
    assert len(files) == 1


def big_csv(path, rows):
    """A large demo-like orders CSV, generated by DuckDB (fast)."""
    duckdb.sql("""COPY (SELECT range AS order_id, DATE '2022-01-01' + (range * 1096 // %d)::INTEGER AS order_date,
                        range %% 50000 AS customer_id, ['Online','Retail','Partner'][range %% 3 + 1] AS channel,
                        1 + range %% 20 AS quantity, ((range * 7919) %% 100000) / 100 AS unit_price,
                        'note ' || (range %% 977) AS note
                 FROM range(%d)) TO '%s' (HEADER)""" % (rows, rows, path))


def test_killed_mid_ingest_leaves_the_table_as_it_was(tmp_path, orders):
    lake = tmp_path / "lake"
    assert ingest(lake, "sales.orders", orders, extra=["--partition-by", "year(order_date)"]).returncode == 0
    before = query(lake, "SELECT count(*), sum(unit_price) FROM sales.orders")
    big = tmp_path / "big.csv"
    big_csv(big, 3_000_000)
    for sig in (signal.SIGKILL, signal.SIGINT):
        p = subprocess.Popen([str(basalt_bin()), "ingest", "--lake", str(lake), "--table", "sales.orders", "--quiet", str(big),
                              "--row-group-rows", "50000", "--allow-new-columns"],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        # Wait until it has written some files into its staging directory, then kill it.
        deadline = time.time() + 60
        while time.time() < deadline and p.poll() is None:
            if any((lake / "sales").glob("_ingest-orders-*/**/*.parquet")):
                break
            time.sleep(0.02)
        time.sleep(0.2)
        assert p.poll() is None, "the ingest finished before it could be killed"
        p.send_signal(sig)
        p.wait(timeout=60)
        assert p.returncode != 0
        if sig == signal.SIGINT:
            assert p.returncode == 130
            assert not list((lake / "sales").glob("_ingest-*")), "Ctrl-C removes the staging directory"
        assert query(lake, "SELECT count(*), sum(unit_price) FROM sales.orders") == before
    # The next ingest clears the killed one's leftovers and works.
    run = ingest(lake, "sales.orders", orders)
    assert run.returncode == 0, run.stderr.decode()
    assert not list((lake / "sales").glob("_ingest-*"))
    assert rows_csv(query(lake, "SELECT count(*) FROM sales.orders")) == [["40000"]]


def test_memory_stays_bounded_on_a_large_input(tmp_path):
    big = tmp_path / "big.csv"
    big_csv(big, 12_000_000)
    size = big.stat().st_size
    assert size > 580_000_000
    lake = tmp_path / "lake"
    # Linux starts a forked child's peak RSS at its parent's (this test process
    # holds DuckDB): a fresh, small Python process starts basalt and reports its peak.
    spawn = ("import os, subprocess, sys\n"
             "p = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL)\n"
             "_, status, usage = os.wait4(p.pid, 0)\n"
             "print(usage.ru_maxrss)\n"
             "sys.exit(os.waitstatus_to_exitcode(status))\n")
    run = subprocess.run([sys.executable, "-c", spawn, str(basalt_bin()), "ingest", "--lake", str(lake), "--table", "s.big",
                          "--quiet", str(big), "--partition-by", "year(order_date)", "--partition-by", "month(order_date)",
                          "--memory-limit", "32"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=600)
    assert run.returncode == 0, run.stderr.decode()
    peak = int(run.stdout.split()[-1]) * 1024
    assert peak < size / 3, "peak RSS %d MB for a %d MB input" % (peak >> 20, size >> 20)
    assert rows_csv(query(lake, "SELECT count(*), count(DISTINCT customer_id) FROM s.big")) == [["12000000", "50000"]]
