"""TPC-H at scale 0.1: each of the 22 queries through `basalt query` must return
DuckDB's result on the same Parquet files (issue 3, "Correctness").

The data is generated once per pytest session with DuckDB's tpch extension
(shared/notes/tpch.md: the `duckdb-ext-tpch` package ships it, no download)
into a lake laid out as Basalt discovers it:

    <tmp>/tpch/<table>/part-0.parquet          -> table tpch.<table>

Basalt runs `basalt query --lake <tmp> --schema tpch --format csv "<sql>"`, the
queries naming tables unqualified; it prints CSV with a header row. DuckDB runs
the same text over views on the same files. Query texts come from
Fixtures/tpch/qNN.sql when present, else from DuckDB's tpch_queries().

Comparison: same number of columns and rows; numbers (ints, decimals, floats)
equal after rounding to 2 places (or within half a cent, so a value exactly
between two cents may round either way); dates as ISO text; text exactly; NULL
as an empty field. Rows are sorted on both sides when the query has no top-level
ORDER BY. Nothing here is skipped or expected to fail: until the engine and the
CLI exist these tests fail, and say why.
"""
import csv
import datetime
import decimal
import importlib.util
import io
import pathlib
import re

import pytest

from basalt_support import REPO, run_basalt

TABLES = ("customer", "lineitem", "nation", "orders", "part", "partsupp", "region", "supplier")
SCALE = 0.1
QUERY_TIMEOUT = 300
QUERY_DIR = REPO / "Fixtures" / "tpch"
CENT = decimal.Decimal("0.01")


def tpch_extension():
    import duckdb
    spec = importlib.util.find_spec("duckdb_ext")
    if spec is None or not spec.submodule_search_locations:
        pytest.fail("duckdb-ext-tpch is not installed in the venv (tools/requirements.txt)", pytrace=False)
    root = pathlib.Path(list(spec.submodule_search_locations)[0])
    found = sorted(root.glob("extensions/v%s/*/tpch.duckdb_extension" % duckdb.__version__))
    if not found:
        pytest.fail("no tpch extension for DuckDB %s under %s" % (duckdb.__version__, root), pytrace=False)
    return found[0]


def connect():
    import duckdb
    con = duckdb.connect(config={"allow_unsigned_extensions": "true", "threads": "2"})
    con.execute("LOAD '%s'" % tpch_extension())
    return con


@pytest.fixture(scope="session")
def tpch_lake(tmp_path_factory):
    """The lake root: <root>/tpch/<table>/part-0.parquet, generated once per session."""
    root = tmp_path_factory.mktemp("tpch-lake")
    con = connect()
    con.execute("CALL dbgen(sf=%s)" % SCALE)
    for table in TABLES:
        folder = root / "tpch" / table
        folder.mkdir(parents=True)
        con.execute("COPY %s TO '%s' (FORMAT parquet)" % (table, folder / "part-0.parquet"))
    con.close()
    return root


@pytest.fixture(scope="session")
def reference(tpch_lake):
    """A DuckDB connection whose unqualified tables are views over the lake's files."""
    con = connect()
    for table in TABLES:
        con.execute("CREATE VIEW %s AS SELECT * FROM read_parquet('%s')"
                    % (table, tpch_lake / "tpch" / table / "part-0.parquet"))
    yield con
    con.close()


def query_text(number):
    path = QUERY_DIR / ("q%02d.sql" % number)
    if path.is_file():
        return path.read_text(encoding="utf-8")
    con = connect()
    try:
        row = con.execute("SELECT query FROM tpch_queries() WHERE query_nr = ?", [number]).fetchone()
    finally:
        con.close()
    return row[0]


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


def as_number(text):
    try:
        return decimal.Decimal(text.strip())
    except (decimal.InvalidOperation, AttributeError):
        return None


def cell_key(value):
    """A sortable, comparable form of a reference value (rounded numbers, ISO dates)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, (int, float, decimal.Decimal)):
        return str(decimal.Decimal(str(value)).quantize(CENT, rounding=decimal.ROUND_HALF_UP))
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat(sep=" ") if isinstance(value, datetime.datetime) else value.isoformat()
    return str(value)


def basalt_key(text, like):
    """Basalt's CSV field in the same form as the reference value `like`."""
    if text == "" or text == "NULL":
        return ""
    if isinstance(like, (int, float, decimal.Decimal)) and not isinstance(like, bool):
        number = as_number(text)
        return text if number is None else str(number.quantize(CENT, rounding=decimal.ROUND_HALF_UP))
    if isinstance(like, bool):
        return {"true": "t", "false": "f"}.get(text, text)
    return text


def same_cell(expected, got_text):
    e, g = cell_key(expected), basalt_key(got_text, expected)
    if e == g:
        return True
    # Half a cent apart: the two sides rounded a value on the boundary differently.
    en, gn = as_number(e), as_number(got_text)
    if isinstance(expected, (int, float, decimal.Decimal)) and en is not None and gn is not None:
        return abs(decimal.Decimal(str(expected)) - gn) < decimal.Decimal("0.005") + decimal.Decimal("1e-9")
    return False


def describe_rows(rows, limit=10):
    lines = ["    " + " | ".join(map(str, r)) for r in rows[:limit]]
    if len(rows) > limit:
        lines.append("    ... %d more" % (len(rows) - limit))
    return "\n".join(lines)


@pytest.mark.parametrize("number", range(1, 23), ids=lambda n: "q%02d" % n)
def test_tpch_query_matches_duckdb(number, tpch_lake, reference):
    sql = query_text(number)
    want = reference.execute(sql).fetchall()
    width = len(reference.description)

    run = run_basalt(["query", "--lake", tpch_lake, "--schema", "tpch", "--format", "csv", sql],
                     timeout=QUERY_TIMEOUT)
    assert run.returncode == 0, "q%02d: basalt query --lake %s --schema tpch --format csv <q%02d>: %s; stderr: %s" % (
        number, tpch_lake, number, "timed out" if run.timed_out else "exit %d" % run.returncode,
        run.stderr.decode("utf-8", errors="replace").strip()[-800:])
    table = list(csv.reader(io.StringIO(run.stdout.decode("utf-8"))))
    assert table, "q%02d: no output at all (expected a CSV header row)" % number
    header, got = table[0], table[1:]
    assert len(header) == width, "q%02d: %d columns %s, DuckDB has %d %s" % (
        number, len(header), header, width, [d[0] for d in reference.description])
    bad = [i for i, r in enumerate(got) if len(r) != width]
    assert not bad, "q%02d: row %d has %d fields, expected %d" % (number, bad[0] + 1, len(got[bad[0]]), width)
    assert len(got) == len(want), "q%02d: %d rows, DuckDB has %d\nBasalt:\n%s\nDuckDB:\n%s" % (
        number, len(got), len(want), describe_rows(got), describe_rows(want))

    if not has_top_level_order_by(sql):
        want = sorted(want, key=lambda r: [cell_key(v) for v in r])
        got = sorted(got, key=lambda r: [basalt_key(t, v) for t, v in zip(r, want[0] if want else r)])
    for i, (w, g) in enumerate(zip(want, got)):
        for c, (wv, gv) in enumerate(zip(w, g)):
            assert same_cell(wv, gv), (
                "q%02d: row %d column %d (%s): DuckDB %r, Basalt %r\nDuckDB row: %s\nBasalt row: %s"
                % (number, i + 1, c + 1, header[c], cell_key(wv), gv, w, g))


def test_order_by_detection():
    """The sorting rule above depends on this; checked on the forms TPC-H uses."""
    assert has_top_level_order_by("SELECT a FROM t ORDER BY a")
    assert has_top_level_order_by("SELECT a FROM t\norder\n  by a")
    assert not has_top_level_order_by("SELECT sum(x) FROM (SELECT x FROM t ORDER BY x) s")
    assert not has_top_level_order_by("SELECT rank() OVER (ORDER BY x) FROM t")
    assert not has_top_level_order_by("SELECT 1 -- ORDER BY 1")
    assert not has_top_level_order_by("SELECT border_by FROM t")


def test_cell_comparison():
    assert same_cell(decimal.Decimal("12.345"), "12.35")
    assert same_cell(12.344999, "12.34")
    assert same_cell(0.125, "0.13") and same_cell(0.125, "0.12"), "half-cent boundary rounds either way"
    assert not same_cell(decimal.Decimal("1.00"), "1.02")
    assert same_cell(42, "42")
    assert same_cell(datetime.date(1995, 3, 15), "1995-03-15")
    assert same_cell("BUILDING", "BUILDING") and not same_cell("BUILDING", "building")
    assert same_cell(None, "")
