#!/usr/bin/env python3
"""TPC-H on Parquet: Basalt beside DuckDB and Polars, in one run, on one machine.

Data (generated once per scale with DuckDB's tpch extension, the offline recipe
of shared/notes/tpch.md, and cached under tools/.data/, which git ignores):

  tools/.data/tpch-sf<S>/lake/tpch/<table>/part-0.parquet      the 8 tables, as DuckDB writes them
  tools/.data/tpch-sf<S>/lake/tpch_part/lineitem/year=Y/month=M/part-0.parquet
  tools/.data/tpch-sf<S>/lake/tpch_part/orders/year=Y/month=M/part-0.parquet
                                                                lineitem by month of l_shipdate and orders
                                                                by month of o_orderdate (DuckDB COPY ...
                                                                PARTITION_BY (year, month)); the other six
                                                                tables of schema tpch_part are symlinks to
                                                                the files of schema tpch

The 22 queries (Fixtures/tpch/qNN.sql, unedited) run on three engines, 2 threads each:
  basalt  by default through its server: `basalt serve --threads 2 --result-cache-mb 0` on a loopback
          port and one asyncpg connection; each query's time is the round trip of
          `COPY (query) TO STDOUT (FORMAT csv, HEADER)` (a `SELECT 1` round trip is shown beside as
          "start-up"). asyncpg's COPY reader hands the stream to Python in buffered chunks, where
          psycopg's iterates in Python once per row (a CopyData message each): its client-side cost
          per row (about 0.35 us, 6 ms of Q16's 18,314 rows) is not the server's work, and DuckDB's
          and Polars' Arrow results pay none. With --via process: `basalt query --lake L --schema tpch --format csv
          --threads 2 SQL`, a new process per query, process start and CSV output included;
  duckdb  python duckdb, `SET threads=2`, views over read_parquet() of the same files, otherwise
          default settings; time of con.execute(sql).fetch_arrow_table();
  polars  POLARS_MAX_THREADS=2, pl.scan_parquet() of the same files registered in a pl.SQLContext;
          time of ctx.execute(sql).collect(). A query Polars' SQL cannot run is run instead from the
          lazy DataFrame API version in tools/bench/tpch_polars.py (marked "api" in the tables).
One warm-up round, whose results are checked against DuckDB's (numbers rounded to 2 places, or within
half a cent; rows sorted when the query has no top-level ORDER BY; mismatches and errors are printed
and marked in the table, never hidden), then --reps interleaved rounds: in each round every query
runs on every engine in turn. Reported: per-query medians, Basalt/DuckDB and Polars/DuckDB time
ratios (below 1: faster than DuckDB), wins, and the geometric mean per engine.

Pruning: a one-month aggregate on lineitem, with a date range on the unpartitioned copy and with
`year = 1995 AND month = 3` on the partitioned copy, on Basalt and DuckDB (hive_partitioning=true),
medians and the partitioned-vs-unpartitioned speed-up; then Basalt's EXPLAIN ANALYZE of the
partitioned query, whose "files:" lines show how many files were read. Page pruning: the same
date-range query on a copy of lineitem sorted by l_shipdate and written by pyarrow with a page index
(tools/.data/tpch-sf<S>/lake/tpch_sorted/lineitem/part-0.parquet), Basalt with page pruning on and off
(`--set basalt.page_pruning=off`) and DuckDB, interleaved, with Basalt's "pages:" lines.

Usage (from the repository root, with .venv created by tools/test.sh or tools/demo.sh and basalt
built in release mode; the binary is copied to a temporary folder first, so a rebuild during the run
does not change what is measured):
  .venv/bin/python tools/bench/tpch_bench.py [--scale 1] [--reps 5] [--queries 1,6,13-15]
      [--basalt .build/release/basalt] [--no-pruning] [--no-queries] [--timeout 600] [--polars-api]
--reps 0 only checks the results. --polars-api runs Polars from tpch_polars.py wherever that module
has the query (to check those versions against DuckDB).
Prints markdown tables ready to paste into the README (progress goes to stderr).
"""
import argparse
import csv
import datetime
import decimal
import glob
import hashlib
import importlib.util
import io
import math
import os
import pathlib
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

THREADS = 2
os.environ["POLARS_MAX_THREADS"] = str(THREADS)     # must be set before polars is imported

import duckdb  # noqa: E402
import polars as pl  # noqa: E402

REPO = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import tpch_polars  # noqa: E402

TABLES = ("customer", "lineitem", "nation", "orders", "part", "partsupp", "region", "supplier")
PARTITIONED = {"lineitem": "l_shipdate", "orders": "o_orderdate"}
QUERY_DIR = REPO / "Fixtures" / "tpch"
ENGINES = ("basalt", "duckdb", "polars")
CENT = decimal.Decimal("0.01")
HALF_CENT = decimal.Decimal("0.005") + decimal.Decimal("1e-9")

PRUNE_UNPART = ("SELECT sum(l_extendedprice * l_discount) AS revenue FROM lineitem "
                "WHERE l_shipdate >= DATE '1995-03-01' AND l_shipdate < DATE '1995-04-01'")
PRUNE_PART = ("SELECT sum(l_extendedprice * l_discount) AS revenue FROM lineitem "
              "WHERE year = 1995 AND month = 3")


def log(msg):
    print(msg, file=sys.stderr, flush=True)


# ---------------------------------------------------------------------------
# Data

def tpch_extension():
    spec = importlib.util.find_spec("duckdb_ext")
    if spec is None or not spec.submodule_search_locations:
        sys.exit("duckdb-ext-tpch is not installed (it is in tools/requirements.txt)")
    for folder in spec.submodule_search_locations:
        hits = sorted(glob.glob(os.path.join(folder, "extensions", "v%s" % duckdb.__version__,
                                             "*", "tpch.duckdb_extension")))
        if hits:
            return hits[0]
    sys.exit("no tpch.duckdb_extension for DuckDB %s in duckdb-ext-tpch" % duckdb.__version__)


def table_file(lake, table):
    return lake / "tpch" / table / "part-0.parquet"


def make_lake(scale, data_dir):
    """The lake root, generated once per scale; every piece is written under a temporary
    name and renamed into place, so an interrupted run leaves nothing half-written."""
    root = data_dir / ("tpch-sf%s" % scale)
    lake = root / "lake"
    missing = [t for t in TABLES if not table_file(lake, t).exists()]
    if missing:
        log("generating TPC-H at scale %s with DuckDB into %s" % (scale, lake))
        staging = root / "staging"
        shutil.rmtree(staging, ignore_errors=True)
        staging.mkdir(parents=True)
        con = duckdb.connect(config={"allow_unsigned_extensions": "true"})
        con.execute("SET enable_progress_bar = false")
        con.execute("LOAD '%s'" % tpch_extension())
        con.execute("CALL dbgen(sf=%s)" % float(scale))
        for table in missing:
            con.execute("COPY %s TO '%s' (FORMAT parquet)" % (table, staging / ("%s.parquet" % table)))
        con.close()
        for table in missing:
            table_file(lake, table).parent.mkdir(parents=True, exist_ok=True)
            (staging / ("%s.parquet" % table)).rename(table_file(lake, table))
        shutil.rmtree(staging)

    part = lake / "tpch_part"
    for table, date_column in PARTITIONED.items():
        target = part / table
        if target.is_dir() and not target.is_symlink():
            continue
        log("writing %s partitioned by year and month of %s" % (table, date_column))
        tmp = root / ("partitioning-%s" % table)
        shutil.rmtree(tmp, ignore_errors=True)
        con = duckdb.connect()
        con.execute("SET enable_progress_bar = false")
        con.execute("COPY (SELECT *, year(%s) AS year, month(%s) AS month FROM read_parquet('%s')) "
                    "TO '%s' (FORMAT parquet, PARTITION_BY (year, month), FILENAME_PATTERN 'part-{i}')"
                    % (date_column, date_column, table_file(lake, table), tmp))
        con.close()
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp.rename(target)
    for table in TABLES:
        if table in PARTITIONED:
            continue
        link = part / table / "part-0.parquet"
        if not link.exists():
            link.parent.mkdir(parents=True, exist_ok=True)
            link.symlink_to(os.path.relpath(table_file(lake, table), link.parent))
    return lake


def sorted_lineitem(lake):
    """lineitem sorted by l_shipdate, written by pyarrow with a page index (default 1 MiB pages),
    for page pruning; made once."""
    target = lake / "tpch_sorted" / "lineitem" / "part-0.parquet"
    if not target.exists():
        import pyarrow.parquet as pq
        log("writing lineitem sorted by l_shipdate with a page index")
        table = pq.read_table(table_file(lake, "lineitem")).sort_by("l_shipdate")
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name("part-0.parquet.tmp")
        pq.write_table(table, tmp, compression="snappy", write_page_index=True, row_group_size=1 << 20)
        tmp.rename(target)
    return target


def partition_files(lake, table):
    return sorted((lake / "tpch_part" / table).glob("year=*/month=*/*.parquet"))


# ---------------------------------------------------------------------------
# Queries and result checking

def strip_comments(sql):
    sql = re.sub(r"--[^\n]*", "", sql)
    return re.sub(r"/\*.*?\*/", "", sql, flags=re.S)


def has_top_level_order_by(sql):
    """Whether ORDER BY appears outside parentheses (not in a subquery or window)."""
    text, depth, flat = strip_comments(sql), 0, []
    for ch in text:
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif depth == 0:
            flat.append(ch)
    return re.search(r"\border\s+by\b", "".join(flat), re.I) is not None


def load_queries(numbers):
    out = []
    for n in numbers:
        path = QUERY_DIR / ("q%02d.sql" % n)
        out.append((n, path.read_text(encoding="utf-8")))
    return out


def as_decimal(value):
    try:
        return decimal.Decimal(str(value).strip())
    except (decimal.InvalidOperation, ValueError):
        return None


class Result:
    """A result as rows of comparable cells: numbers as Decimal, dates as ISO text,
    NULL as None, everything else as text; `width` is the number of columns."""

    def __init__(self, rows, width):
        self.rows = rows
        self.width = width


def cell(value):
    if value is None:
        return None
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, (int, float, decimal.Decimal)):
        if isinstance(value, float) and not math.isfinite(value):
            return str(value)
        return decimal.Decimal(str(value))
    if isinstance(value, datetime.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def arrow_result(table):
    return Result([tuple(cell(v) for v in row.values()) for row in table.to_pylist()]
                  if table.num_columns else [], table.num_columns)


def polars_result(frame):
    return Result([tuple(cell(v) for v in row) for row in frame.rows()], frame.width)


def csv_result(text, numeric):
    table = list(csv.reader(io.StringIO(text)))
    if not table:
        return Result([], 0)
    header, body = table[0], table[1:]
    rows = []
    for r in body:
        row = []
        for i, t in enumerate(r):
            if t == "" or t == "NULL":
                row.append(None)
            elif i < len(numeric) and numeric[i]:
                d = as_decimal(t)
                row.append(d if d is not None else t)
            else:
                row.append(t)
        rows.append(tuple(row))
    return Result(rows, len(header))


def sort_key(row):
    out = []
    for v in row:
        if v is None:
            out.append((0, ""))
        elif isinstance(v, decimal.Decimal):
            out.append((1, v.quantize(CENT, rounding=decimal.ROUND_HALF_UP)))
        else:
            out.append((2, v))
    return out


def same_cell(want, got):
    if want is None or got is None:
        return want is None and got is None
    if isinstance(want, decimal.Decimal) and isinstance(got, decimal.Decimal):
        if want.quantize(CENT, rounding=decimal.ROUND_HALF_UP) == got.quantize(CENT, rounding=decimal.ROUND_HALF_UP):
            return True
        return abs(want - got) < HALF_CENT          # a value on the boundary, rounded either way
    return str(want) == str(got)


def compare(want, got, ordered):
    """None when equal, else a one-line description of the first difference."""
    if got.width != want.width:
        return "%d columns, DuckDB has %d" % (got.width, want.width)
    if len(got.rows) != len(want.rows):
        return "%d rows, DuckDB has %d" % (len(got.rows), len(want.rows))
    w_rows, g_rows = want.rows, got.rows
    if not ordered:
        w_rows, g_rows = sorted(w_rows, key=sort_key), sorted(g_rows, key=sort_key)
    for i, (w, g) in enumerate(zip(w_rows, g_rows)):
        for c, (wv, gv) in enumerate(zip(w, g)):
            if not same_cell(wv, gv):
                what = "row %d column %d: DuckDB %s, got %s" % (i + 1, c + 1, wv, gv)
                if ordered and compare(want, got, False) is None:
                    return "same rows in another order (%s)" % what
                return what
    return None


# ---------------------------------------------------------------------------
# Engines: each run returns (seconds, Result or None); failures raise EngineError

class EngineError(Exception):
    pass


class Basalt:
    def __init__(self, binary, lake, timeout):
        self.binary, self.lake, self.timeout = binary, lake, timeout

    def command(self, sql, schema="tpch", fmt="csv", settings=()):
        return ([str(self.binary), "query", "--lake", str(self.lake), "--schema", schema,
                 "--format", fmt, "--threads", str(THREADS)]
                + [arg for setting in settings for arg in ("--set", setting)] + [sql])

    def run_text(self, sql, schema="tpch", fmt="csv", settings=()):
        t0 = time.perf_counter()
        try:
            p = subprocess.run(self.command(sql, schema, fmt, settings), stdin=subprocess.DEVNULL,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=self.timeout)
        except subprocess.TimeoutExpired:
            raise EngineError("timed out after %d s" % self.timeout)
        wall = time.perf_counter() - t0
        if p.returncode != 0:
            err = p.stderr.decode("utf-8", "replace").strip() or p.stdout.decode("utf-8", "replace").strip()
            raise EngineError("exit %d: %s" % (p.returncode, err[-1500:]))
        return wall, p.stdout.decode("utf-8")

    def run(self, number, sql, numeric=None, schema="tpch"):
        wall, text = self.run_text(sql, schema)
        return wall, (csv_result(text, numeric) if numeric is not None else None)

    def startup(self):
        """Wall time of `basalt query --lake L "SELECT 1"`, the process start alone."""
        return self.run_text("SELECT 1", fmt="csv")[0]


class BasaltServer:
    """Basalt through its PostgreSQL wire server (the issue's way to run the benchmark once the
    server exists): one `basalt serve --threads 2 --result-cache-mb 0` on a loopback port, one
    asyncpg connection; each query is `COPY (query) TO STDOUT (FORMAT csv, HEADER)`, so rows cross
    the socket as text and are parsed like the CLI's CSV. No process start per query, and no
    result cache: every run plans and scans."""

    def __init__(self, binary, lake, timeout):
        import psycopg
        self.lake, self.timeout = lake, timeout
        self.proc = subprocess.Popen([str(binary), "serve", "--lake", str(lake), "--port", "0", "--http-port", "none",
                                      "--auth", "trust", "--threads", str(THREADS), "--result-cache-mb", "0",
                                      "--query-log", "off"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        port = None
        for line in self.proc.stdout:
            m = re.search(r"on [\d.]+:(\d+) ", line)
            if m:
                port = int(m.group(1))
                break
        if port is None:
            raise EngineError("basalt serve did not start")
        self.conn = psycopg.connect("host=127.0.0.1 port=%d dbname=basalt user=bench sslmode=disable" % port, autocommit=True)
        self.conn.execute("SET statement_timeout = %d" % (timeout * 1000))
        self.schema = None
        # The timed COPY goes through asyncpg (see the module's notes); psycopg serves the rest.
        import asyncio
        import asyncpg
        self.loop = asyncio.new_event_loop()
        self.copier = self.loop.run_until_complete(asyncpg.connect(host="127.0.0.1", port=port, user="bench", database="basalt",
                                                                   ssl=False, command_timeout=timeout))
        self.loop.run_until_complete(self.copier.execute("SET statement_timeout = %d" % (timeout * 1000)))

    def _both(self, statement):
        self.conn.execute(statement)
        self.loop.run_until_complete(self.copier.execute(statement))

    def _use(self, schema, settings):
        if schema != self.schema:
            self._both("SET search_path = %s" % schema)
            self.schema = schema
        for setting in settings:
            name, _, value = setting.partition("=")
            self._both("SET %s = %s" % (name, value))

    def _copy(self, sql):
        chunks = []

        async def sink(data):
            chunks.append(data)

        self.loop.run_until_complete(self.copier.copy_from_query(sql, output=sink, format="csv", header=True))
        return b"".join(chunks).decode("utf-8")

    def run_text(self, sql, schema="tpch", fmt="csv", settings=()):
        import asyncpg
        import psycopg
        sql = sql.strip().rstrip(";")
        t0 = time.perf_counter()
        try:
            self._use(schema, settings)
            if fmt == "csv":
                text = self._copy(sql)
            else:
                text = "\n".join(str(r[0]) for r in self.conn.execute(sql).fetchall())
        except (psycopg.Error, asyncpg.PostgresError) as e:
            raise EngineError("%s: %s" % (type(e).__name__, str(e).strip()[:1500]))
        finally:
            for setting in settings:
                self._both("RESET %s" % setting.partition("=")[0])
        return time.perf_counter() - t0, text

    def run(self, number, sql, numeric=None, schema="tpch"):
        wall, text = self.run_text(sql, schema)
        return wall, (csv_result(text, numeric) if numeric is not None else None)

    def startup(self):
        """A round trip of `SELECT 1` (what each query pays beyond its own work)."""
        return self.run_text("SELECT 1")[0]

    def close(self):
        self.loop.run_until_complete(self.copier.close())
        self.loop.close()
        self.conn.close()
        self.proc.terminate()
        self.proc.wait(timeout=30)


class DuckDB:
    def __init__(self, lake, schema="tpch"):
        self.con = duckdb.connect(config={"threads": str(THREADS)})
        self.con.execute("SET threads=%d" % THREADS)
        self.con.execute("SET enable_progress_bar = false")
        for table in TABLES:
            if schema == "tpch_part" and table in PARTITIONED:
                source = "read_parquet('%s', hive_partitioning = true)" % (
                    lake / "tpch_part" / table / "*" / "*" / "*.parquet")
            else:
                source = "read_parquet('%s')" % (lake / schema / table / "part-0.parquet")
            self.con.execute("CREATE VIEW %s AS SELECT * FROM %s" % (table, source))

    def run(self, number, sql):
        t0 = time.perf_counter()
        try:
            table = self.con.execute(sql).fetch_arrow_table()
        except duckdb.Error as e:
            raise EngineError("%s: %s" % (type(e).__name__, str(e).strip()[:1500]))
        dt = time.perf_counter() - t0
        return dt, table


class Polars:
    def __init__(self, lake, force_api=False):
        self.frames = {t: pl.scan_parquet(str(table_file(lake, t))) for t in TABLES}
        self.ctx = pl.SQLContext(frames=self.frames)
        self.mode = {}             # query number -> "sql" or "api"
        self.sql_errors = {}       # query number -> what Polars' SQL said
        if force_api:
            for number in tpch_polars.QUERIES:
                self.mode[number] = "api"
                self.sql_errors[number] = "not tried, --polars-api"

    def choose(self, number, sql):
        """Decide once, on the warm-up run, between Polars' SQL and the DataFrame API version."""
        try:
            self.ctx.execute(sql, eager=False).collect()
            self.mode[number] = "sql"
        except Exception as e:  # Polars raises its own exception classes, not one base
            self.sql_errors[number] = "%s: %s" % (type(e).__name__, str(e).strip().splitlines()[0][:300])
            if number in tpch_polars.QUERIES:
                self.mode[number] = "api"
            else:
                raise EngineError("SQL failed and there is no API version: " + self.sql_errors[number])

    def run(self, number, sql):
        if number not in self.mode:
            self.choose(number, sql)
        t0 = time.perf_counter()
        try:
            if self.mode[number] == "sql":
                frame = self.ctx.execute(sql, eager=False).collect()
            else:
                frame = tpch_polars.QUERIES[number](self.frames).collect()
        except Exception as e:
            raise EngineError("%s: %s" % (type(e).__name__, str(e).strip()[:1500]))
        dt = time.perf_counter() - t0
        return dt, frame


# ---------------------------------------------------------------------------

def median(xs):
    return statistics.median(xs) if xs else float("nan")


def geomean(xs):
    xs = [x for x in xs if x and x > 0 and math.isfinite(x)]
    return math.exp(sum(math.log(x) for x in xs) / len(xs)) if xs else float("nan")


def numeric_columns(table):
    import pyarrow as pa
    return [pa.types.is_integer(f.type) or pa.types.is_floating(f.type) or pa.types.is_decimal(f.type)
            for f in table.schema]


def bench_queries(basalt, duck, polars, queries, reps):
    """Returns ({(engine, number): [seconds]}, {(engine, number): error or mismatch}, {(engine, number)
    that failed and are no longer run})."""
    times = {(e, n): [] for e in ENGINES for n, _ in queries}
    notes = {}
    failed = set()

    log("warm-up round (checks every result against DuckDB's)")
    for n, sql in queries:
        ordered = has_top_level_order_by(sql)
        try:
            _, ref_table = duck.run(n, sql)
        except EngineError as e:
            notes[("duckdb", n)] = "error: %s" % e
            failed.add(("duckdb", n))
            log("q%02d duckdb: %s" % (n, e))
            ref_table = None
        reference = arrow_result(ref_table) if ref_table is not None else None
        numeric = numeric_columns(ref_table) if ref_table is not None else []
        for engine in ("basalt", "polars"):
            try:
                if engine == "basalt":
                    _, got = basalt.run(n, sql, numeric)
                else:
                    _, frame = polars.run(n, sql)
                    got = polars_result(frame)
            except EngineError as e:
                notes[(engine, n)] = "error: %s" % e
                failed.add((engine, n))
                log("q%02d %s: %s" % (n, engine, e))
                continue
            if reference is None:
                continue
            diff = compare(reference, got, ordered)
            if diff:
                notes[(engine, n)] = "mismatch: %s" % diff
                log("q%02d %s MISMATCH: %s" % (n, engine, diff))
        log("q%02d checked%s" % (n, "" if polars.mode.get(n) != "api" else
                                 " (polars: DataFrame API; its SQL said %s)" % polars.sql_errors[n]))

    for rep in range(reps):
        for n, sql in queries:
            for engine, runner in (("basalt", basalt), ("duckdb", duck), ("polars", polars)):
                if (engine, n) in failed:
                    continue
                try:
                    dt, _ = runner.run(n, sql)
                except EngineError as e:
                    notes[(engine, n)] = "error in repetition %d: %s" % (rep + 1, e)
                    failed.add((engine, n))
                    log("q%02d %s: %s" % (n, engine, e))
                    continue
                times[(engine, n)].append(dt)
        log("repetition %d/%d done" % (rep + 1, reps))
    return times, notes, failed


def bench_pruning(basalt, lake, reps):
    """Returns (cases, {(label, engine): [seconds]}, {(label, engine): answer or error text},
    {label: Basalt's EXPLAIN ANALYZE "files:", "row groups:" and "pages:" lines}, {(label, engine) that failed})."""
    duck_flat, duck_part = DuckDB(lake, "tpch"), DuckDB(lake, "tpch_part")
    cases = [
        ("unpartitioned, l_shipdate in March 1995", "tpch", PRUNE_UNPART, duck_flat),
        ("partitioned, year = 1995 AND month = 3", "tpch_part", PRUNE_PART, duck_part),
    ]
    times = {(c[0], e): [] for c in cases for e in ("basalt", "duckdb")}
    answers, failed = {}, set()
    for rep in range(reps + 1):                    # the first round warms up and checks
        for label, schema, sql, duck in cases:
            for engine in ("basalt", "duckdb"):
                if (label, engine) in failed:
                    continue
                try:
                    if engine == "basalt":
                        dt, text = basalt.run_text(sql, schema)
                        rows = list(csv.reader(io.StringIO(text)))
                        answer = rows[1][0] if len(rows) > 1 and rows[1] else "(no rows)"
                    else:
                        dt, table = duck.run(0, sql)
                        answer = str(table.column(0)[0].as_py()) if table.num_rows else "(no rows)"
                except EngineError as e:
                    answers[(label, engine)] = "error: %s" % e
                    failed.add((label, engine))
                    log("pruning, %s, %s: %s" % (label, engine, e))
                    continue
                if rep == 0:
                    answers[(label, engine)] = answer
                else:
                    times[(label, engine)].append(dt)
    explain = {}
    for label, schema, sql, _ in cases:
        try:
            _, text = basalt.run_text("EXPLAIN ANALYZE " + sql, schema, fmt="table")
            explain[label] = [line.strip() for line in text.splitlines()
                              if "files:" in line or "row groups:" in line or "pages:" in line]
        except EngineError as e:
            explain[label] = ["EXPLAIN ANALYZE failed: %s" % e]
    return cases, times, answers, explain, failed


def bench_page_pruning(basalt, lake, reps):
    """The one-month query on the sorted copy: Basalt with page pruning on and off, and DuckDB.
    Returns (cases, {label: [seconds]}, {label: answer or error}, Basalt's "pages:" lines on and off)."""
    sorted_lineitem(lake)
    duck = duckdb.connect(config={"threads": str(THREADS)})
    duck.execute("SET enable_progress_bar = false")
    duck.execute("CREATE VIEW lineitem AS SELECT * FROM read_parquet('%s')" % (lake / "tpch_sorted" / "lineitem" / "part-0.parquet"))
    cases = [("Basalt, page pruning on", ()), ("Basalt, page pruning off", ("basalt.page_pruning=off",)), ("DuckDB", None)]
    times = {label: [] for label, _ in cases}
    answers, failed = {}, set()
    for rep in range(reps + 1):                    # the first round warms up and checks
        for label, settings in cases:
            if label in failed:
                continue
            try:
                if settings is None:
                    t0 = time.perf_counter()
                    table = duck.execute(PRUNE_UNPART).fetch_arrow_table()
                    dt = time.perf_counter() - t0
                    answer = str(table.column(0)[0].as_py())
                else:
                    dt, text = basalt.run_text(PRUNE_UNPART, "tpch_sorted", settings=settings)
                    rows = list(csv.reader(io.StringIO(text)))
                    answer = rows[1][0] if len(rows) > 1 and rows[1] else "(no rows)"
            except (EngineError, duckdb.Error) as e:
                answers[label] = "error: %s" % e
                failed.add(label)
                continue
            if rep == 0:
                answers[label] = answer
            else:
                times[label].append(dt)
    pages = {}
    for label, settings in cases[:2]:
        try:
            _, text = basalt.run_text("EXPLAIN ANALYZE " + PRUNE_UNPART, "tpch_sorted", fmt="table", settings=settings)
            pages[label] = [line.strip() for line in text.splitlines() if "row groups:" in line or "pages:" in line]
        except EngineError as e:
            pages[label] = ["EXPLAIN ANALYZE failed: %s" % e]
    return cases, times, answers, pages


# ---------------------------------------------------------------------------
# Report

def cpu_model():
    info = {}
    try:
        for line in open("/proc/cpuinfo"):
            key, _, value = line.partition(":")
            info.setdefault(key.strip(), value.strip())
    except OSError:
        pass
    name = info.get("model name") or platform.processor() or "unknown CPU"
    if "cpu family" in info:
        name += " (family %s, model %s)" % (info["cpu family"], info.get("model", "?"))
    return name


def binary_description(source):
    st = source.stat()
    with open(source, "rb") as fh:
        digest = hashlib.sha256(fh.read()).hexdigest()[:12]
    return "%s, built %s, sha256 %s" % (source, datetime.datetime.fromtimestamp(st.st_mtime)
                                        .strftime("%Y-%m-%d %H:%M"), digest)


def git_commit():
    try:
        sha = subprocess.run(["git", "-C", str(REPO), "log", "-1", "--format=%h, committed %ci"],
                             capture_output=True, text=True, check=True).stdout.strip()[:-6]
        dirty = subprocess.run(["git", "-C", str(REPO), "status", "--porcelain", "--untracked-files=no"],
                               capture_output=True, text=True).stdout.strip()
        return sha + (" (+ uncommitted changes)" if dirty else "")
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def fmt_s(x):
    return "–" if x is None or not math.isfinite(x) else "%.3f" % x


def fmt_r(x):
    return "–" if x is None or not math.isfinite(x) else "%.2f" % x


def report_queries(queries, times, notes, failed, polars, startup, reps):
    med = {k: (median(v) if v and k not in failed else None) for k, v in times.items()}
    print("| query | Basalt s | DuckDB s | Polars s | Basalt/DuckDB | Polars/DuckDB | fastest | notes |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | --- | --- |")
    wins = {e: 0 for e in ENGINES}
    beats = {"basalt": 0, "polars": 0}
    complete = []
    for n, _ in queries:
        b, d, p = (med[("basalt", n)], med[("duckdb", n)], med[("polars", n)])
        rb = b / d if b and d else None
        rp = p / d if p and d else None
        present = {e: t for e, t in zip(ENGINES, (b, d, p)) if t}
        fastest = min(present, key=present.get) if len(present) == 3 else ""
        if fastest:
            wins[fastest] += 1
            complete.append(n)
        if rb is not None and rb < 1:
            beats["basalt"] += 1
        if rp is not None and rp < 1:
            beats["polars"] += 1
        marks = []
        if polars.mode.get(n) == "api":
            marks.append("polars: DataFrame API (SQL: %s)" % polars.sql_errors[n][:120].replace("|", "\\|"))
        for e in ENGINES:
            if (e, n) in notes:
                marks.append("**%s %s**" % (e, notes[(e, n)][:200].replace("|", "\\|").replace("\n", " ")))
        p_text = fmt_s(p) + (" (api)" if polars.mode.get(n) == "api" and p else "")
        print("| Q%02d | %s | %s | %s | %s | %s | %s | %s |" % (n, fmt_s(b), fmt_s(d), p_text, fmt_r(rb),
                                                               fmt_r(rp), fastest, "; ".join(marks)))
    g = {e: geomean([med[(e, n)] for n in complete]) for e in ENGINES}
    print("| **geomean** (%d queries all three ran) | **%s** | **%s** | **%s** | **%s** | **%s** | | |" % (
        len(complete), fmt_s(g["basalt"]), fmt_s(g["duckdb"]), fmt_s(g["polars"]),
        fmt_r(g["basalt"] / g["duckdb"]), fmt_r(g["polars"] / g["duckdb"])))
    print()
    n_all = len(queries)
    print("Fastest of the three: Basalt %d, DuckDB %d, Polars %d (of %d queries all three ran). "
          "Faster than DuckDB: Basalt on %d of %d, Polars on %d of %d." % (
              wins["basalt"], wins["duckdb"], wins["polars"], len(complete),
              beats["basalt"], n_all, beats["polars"], n_all))
    ok_b = [n for n, _ in queries if med[("basalt", n)] and med[("duckdb", n)]]
    if ok_b:
        rb = [med[("basalt", n)] / med[("duckdb", n)] for n in ok_b]
        within2 = sum(1 for r in rb if r <= 2)
        print("Basalt within 2x of DuckDB on %d of %d queries; worst ratio %.2f (Q%02d)." % (
            within2, n_all, max(rb), ok_b[rb.index(max(rb))]))
    print("Basalt per-query overhead (a `SELECT 1` round trip through the server, or `basalt query --lake L \"SELECT 1\"` "
          "with --via process; wall, median of %d): %.3f s; it is "
          "included in every Basalt time above. Basalt's geomean minus start-up per query: %s s." % (
              len(startup), median(startup),
              fmt_s(geomean([med[("basalt", n)] - median(startup) for n in complete]))))
    bad = [(e, n, notes[(e, n)]) for (e, n) in sorted(notes, key=lambda k: (k[1], k[0]))]
    if bad:
        print()
        print("Errors and mismatches (against DuckDB's result):")
        print()
        for e, n, note in bad:
            print("- Q%02d %s: %s" % (n, e, note.replace("\n", " ")))


def report_pruning(lake, cases, times, answers, explain, failed, startup):
    med = {k: (median(v) if v and k not in failed else None) for k, v in times.items()}
    flat, part = cases[0][0], cases[1][0]
    n_li = len(partition_files(lake, "lineitem"))

    def ratio(a, b):
        return a / b if a and b else None

    print("| query on lineitem | Basalt s | DuckDB s | Basalt/DuckDB | Basalt result | DuckDB result |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for label, _, _, _ in cases:
        print("| %s | %s | %s | %s | %s | %s |" % (
            label, fmt_s(med[(label, "basalt")]), fmt_s(med[(label, "duckdb")]),
            fmt_r(ratio(med[(label, "basalt")], med[(label, "duckdb")])),
            answers.get((label, "basalt"), "").replace("|", "\\|")[:200],
            answers.get((label, "duckdb"), "").replace("|", "\\|")[:200]))
    speedup = {e: ratio(med[(flat, e)], med[(part, e)]) for e in ("basalt", "duckdb")}
    print("| **speed-up, partitioned vs unpartitioned** | **%sx** | **%sx** | | | |" % (
        fmt_r(speedup["basalt"]), fmt_r(speedup["duckdb"])))
    print()
    values = [as_decimal(answers.get((c[0], e), "")) for c in cases for e in ("basalt", "duckdb")]
    same = None not in values and len({v.quantize(CENT, rounding=decimal.ROUND_HALF_UP) for v in values}) == 1
    print("The four results %s." % ("agree (to the cent)" if same else "**DO NOT AGREE** (or one failed)"))
    if startup and med[(flat, "basalt")] and med[(part, "basalt")]:
        s = median(startup)
        print("Basalt's times include its per-query overhead (%.3f s, see above); without it the speed-up would be %.1fx." % (
            s, (med[(flat, "basalt")] - s) / max(med[(part, "basalt")] - s, 1e-9)))
    print("Unpartitioned (schema tpch, 1 file): `%s`" % PRUNE_UNPART)
    print("Partitioned (schema tpch_part, %d lineitem files, one per month of l_shipdate): `%s`" % (n_li, PRUNE_PART))
    print()
    for label, _, _, _ in cases:
        lines = explain[label] or ["(no \"files:\" or \"row groups:\" line in the EXPLAIN ANALYZE output)"]
        verdict = ""
        if label == part:
            m = [re.search(r"files:\s*(\d+)\s+read", line) for line in lines]
            read = [int(x.group(1)) for x in m if x]
            verdict = (" (one partition read)" if read == [1] else
                       " (**expected exactly one file read, got %s**)" % (read or "no files: line"))
        print("Basalt `EXPLAIN ANALYZE`, %s%s:" % (label, verdict))
        print()
        print("```")
        for line in lines:
            print(line)
        print("```")
        print()


def report_page_pruning(cases, times, answers, pages):
    med = {label: (median(v) if v else None) for label, v in times.items()}
    on, off = cases[0][0], cases[1][0]
    print("| lineitem sorted by l_shipdate, one month | s | result |")
    print("| --- | ---: | ---: |")
    for label, _ in cases:
        print("| %s | %s | %s |" % (label, fmt_s(med[label]), answers.get(label, "").replace("|", "\\|")[:200]))
    ratio = med[off] / med[on] if med[on] and med[off] else None
    print("| **page pruning speed-up (off / on)** | **%sx** | |" % fmt_r(ratio))
    print()
    print("Query: `%s` on schema tpch_sorted (pyarrow-written, snappy, page index, 1 MiB pages)." % PRUNE_UNPART)
    print()
    for label, _ in cases[:2]:
        print("Basalt `EXPLAIN ANALYZE`, %s:" % label.split(", ", 1)[1])
        print()
        print("```")
        for line in pages.get(label, []):
            print(line)
        print("```")
        print()


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--scale", default="1", help="TPC-H scale factor (default 1)")
    ap.add_argument("--reps", type=int, default=5, help="timed repetitions after one warm-up (default 5)")
    ap.add_argument("--queries", default="1-22", help="e.g. 1,3,6 or 1-22 (default all)")
    ap.add_argument("--basalt", default=os.environ.get("BASALT_BIN", str(REPO / ".build/release/basalt")))
    ap.add_argument("--data-dir", default=str(REPO / "tools" / ".data"))
    ap.add_argument("--timeout", type=int, default=600, help="seconds allowed per Basalt query")
    ap.add_argument("--via", choices=("server", "process"), default="server",
                    help="run Basalt through `basalt serve` (default) or as a `basalt query` process per query")
    ap.add_argument("--no-pruning", action="store_true", help="skip the partition pruning benchmark")
    ap.add_argument("--no-queries", action="store_true", help="skip the 22 queries")
    ap.add_argument("--polars-api", action="store_true",
                    help="run Polars from tools/bench/tpch_polars.py wherever it has the query, not SQL")
    args = ap.parse_args()

    numbers = []
    for part in args.queries.split(","):
        lo, _, hi = part.partition("-")
        numbers += list(range(int(lo), int(hi or lo) + 1))

    source = pathlib.Path(args.basalt)
    if not os.access(source, os.X_OK):
        sys.exit("basalt not found at %s: build it first (swift build -c release)" % source)
    tmp = tempfile.mkdtemp(prefix="tpch-bench-")
    basalt = None
    binary = pathlib.Path(tmp) / "basalt"
    shutil.copy2(source, binary)
    try:
        lake = make_lake(args.scale, pathlib.Path(args.data_dir))
        basalt = BasaltServer(binary, lake, args.timeout) if args.via == "server" else Basalt(binary, lake, args.timeout)
        version = subprocess.run([str(binary), "--version"], capture_output=True, text=True).stdout.strip()
        rows = duckdb.sql("SELECT count(*) FROM read_parquet('%s')" % table_file(lake, "lineitem")).fetchone()[0]
        load = os.getloadavg()

        basalt.startup()                                # the first start warms the page cache
        startup = [basalt.startup() for _ in range(5)]  # again after the queries: 10 in all
        if not args.no_queries:
            duck, polars = DuckDB(lake), Polars(lake, args.polars_api)
            queries = load_queries(numbers)
            times, notes, failed = bench_queries(basalt, duck, polars, queries, args.reps)
            startup += [basalt.startup() for _ in range(5)]
        if not args.no_pruning:
            log("pruning benchmark")
            pruning = bench_pruning(basalt, lake, args.reps)
            log("page pruning benchmark")
            page_pruning = bench_page_pruning(basalt, lake, args.reps)

        print()
        print("TPC-H SF %s on Parquet (lineitem %s rows, DuckDB-written, snappy), %s, %d cores, %d threads "
              "per engine; median of %d interleaved runs after one warm-up; %s." % (
                  args.scale, format(rows, ","), cpu_model(), os.cpu_count(), THREADS, args.reps,
                  datetime.datetime.now().strftime("%Y-%m-%d %H:%M")))
        how = ("`basalt serve` (result cache off), one asyncpg connection, rows as COPY CSV over loopback: wall time "
               "of the round trip" if args.via == "server" else "`basalt query`, a new process per query: wall time "
               "including process start")
        print("Basalt %s (git HEAD %s; binary %s), %s. DuckDB %s (Python, views over read_parquet, default settings, Arrow result). "
              "Polars %s (Python, scan_parquet + SQLContext, default engine, POLARS_MAX_THREADS=%d). "
              "Load average at start %.2f, at end %.2f." % (
                  version or "?", git_commit(), binary_description(source), how, duckdb.__version__,
                  pl.__version__, THREADS, load[0], os.getloadavg()[0]))
        print()
        if not args.no_queries:
            report_queries(queries, times, notes, failed, polars, startup, args.reps)
            print()
        if not args.no_pruning:
            report_pruning(lake, *pruning, startup)
            print()
            report_page_pruning(*page_pruning)
    finally:
        if isinstance(basalt, BasaltServer):
            basalt.close()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
