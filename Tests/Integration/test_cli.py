"""The `basalt parquet` command line as a user meets it: inspect, cat in its
three formats, column projection, scan, and clean failures."""
import csv
import io
import json
import re

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from basalt_support import error_problem, run_basalt

ALLTYPES = "data/alltypes_plain.parquet"
ALLTYPES_COLUMNS = ["id", "bool_col", "tinyint_col", "smallint_col", "int_col", "bigint_col",
                    "float_col", "double_col", "date_string_col", "string_col", "timestamp_col"]
ALLTYPES_IDS = [4, 5, 6, 7, 2, 3, 0, 1]
CRASH_MARKERS = ("Traceback", "Fatal error", "Stack dump", "Segmentation fault", "Illegal instruction")


def ok(args, **kw):
    run = run_basalt(args, **kw)
    assert run.returncode == 0, run.describe()
    assert not any(m in run.stderr.decode(errors="replace") for m in CRASH_MARKERS), run.describe()
    return run


@pytest.fixture(scope="module")
def alltypes(corpus):
    return corpus / ALLTYPES


@pytest.fixture(scope="module")
def stats_file(tmp_path_factory):
    """A small file with statistics and known minima and maxima."""
    path = tmp_path_factory.mktemp("cli") / "fruit.parquet"
    table = pa.table({"qty": pa.array([10, 42, None, 99, 57], pa.int64()),
                      "fruit": ["kiwi", "apple", "pear", "kiwi", None]})
    pq.write_table(table, path, compression="zstd")
    return path


# --- inspect ---------------------------------------------------------------

def test_inspect_shows_rows_columns_codec_encodings(alltypes):
    text = ok(["parquet", "inspect", alltypes]).text()
    assert re.search(r"rows?\W{0,20}8\b|\b8\s+rows?", text, re.I), "row count 8 not shown:\n" + text
    missing = [c for c in ALLTYPES_COLUMNS if c not in text]
    assert not missing, "columns %s not shown:\n%s" % (missing, text)
    upper = text.upper()
    assert "UNCOMPRESSED" in upper, "codec not shown:\n" + text
    for enc in ("PLAIN_DICTIONARY", "RLE"):
        assert enc in upper, "encoding %s not shown:\n%s" % (enc, text)
    assert "INT96" in upper, "physical type of timestamp_col not shown:\n" + text


def test_inspect_shows_statistics(stats_file):
    text = ok(["parquet", "inspect", stats_file]).text()
    assert "ZSTD" in text.upper(), text
    for value in ("10", "99", "apple", "pear"):
        assert re.search(r"\b%s\b" % value, text), "statistic %s not shown:\n%s" % (value, text)


def test_inspect_of_missing_file_is_a_clean_error(tmp_path):
    missing = tmp_path / "no-such-file.parquet"
    run = run_basalt(["parquet", "inspect", missing])
    assert run.returncode == 1, run.describe()
    err = run.stderr.decode(errors="replace")
    assert "no-such-file.parquet" in err, "the message should name the file: %r" % err
    assert not any(m in err for m in CRASH_MARKERS), err


# --- cat -------------------------------------------------------------------

def test_cat_json_is_canonical(alltypes):
    result = ok(["parquet", "cat", alltypes, "--format", "json"]).json()
    assert result["columns"] == ALLTYPES_COLUMNS
    assert result["num_rows"] == 8
    assert [row[0] for row in result["rows"]] == ALLTYPES_IDS


def test_cat_csv(alltypes):
    rows = list(csv.reader(io.StringIO(ok(["parquet", "cat", alltypes, "--format", "csv"]).text())))
    assert rows[0] == ALLTYPES_COLUMNS
    body = [r for r in rows[1:] if r]
    assert len(body) == 8
    assert [int(r[0]) for r in body] == ALLTYPES_IDS
    assert all(len(r) == len(ALLTYPES_COLUMNS) for r in body)


def test_cat_table(alltypes):
    text = ok(["parquet", "cat", alltypes, "--format", "table"]).text()
    header = next(line for line in text.splitlines() if "id" in line)
    assert all(c in header for c in ALLTYPES_COLUMNS), "header line lacks column names:\n" + text
    lines = text.splitlines()
    for i in ALLTYPES_IDS:
        assert any(re.search(r"(^|\W)%d(\W|$)" % i, line) for line in lines[1:]), text


def test_cat_projection(alltypes):
    result = ok(["parquet", "cat", alltypes, "--columns", "id,bool_col", "--format", "json"]).json()
    assert result["columns"] == ["id", "bool_col"]
    assert all(len(r) == 2 for r in result["rows"])
    assert [r[0] for r in result["rows"]] == ALLTYPES_IDS
    assert [r[1] for r in result["rows"]] == [i % 2 == 0 for i in ALLTYPES_IDS]
    assert len(result["null_counts"]) == 2

    rows = list(csv.reader(io.StringIO(
        ok(["parquet", "cat", alltypes, "--columns", "id,bool_col", "--format", "csv"]).text())))
    assert rows[0] == ["id", "bool_col"]


def test_cat_unknown_column_is_an_error(alltypes):
    run = run_basalt(["parquet", "cat", alltypes, "--columns", "id,no_such_column", "--format", "json"])
    assert run.returncode != 0 and not run.crashed, run.describe()
    assert "no_such_column" in (run.stderr + run.stdout).decode(errors="replace")


def test_cat_of_missing_file_is_a_clean_error(tmp_path):
    missing = tmp_path / "no-such-file.parquet"
    run = run_basalt(["parquet", "cat", missing, "--format", "json"])
    assert error_problem(run) is None, error_problem(run)
    assert run.json()["error"] == "io"
    assert "no-such-file.parquet" in run.stderr.decode(errors="replace")
    assert not any(m in run.stderr.decode(errors="replace") for m in CRASH_MARKERS)


def test_cat_of_a_text_file_is_corrupt(tmp_path):
    path = tmp_path / "not-parquet.parquet"
    path.write_text("id,name\n1,hello\n" * 20)
    run = run_basalt(["parquet", "cat", path, "--format", "json"])
    assert error_problem(run) is None, error_problem(run)
    assert run.json()["error"] == "corrupt"


# --- scan and rewrite ------------------------------------------------------

@pytest.mark.parametrize("threads", [1, 2])
def test_scan_reports_one_json_line_per_repetition(alltypes, threads):
    text = ok(["parquet", "scan", alltypes, "--threads", threads, "--repeat", 3]).text()
    lines = [json.loads(line) for line in text.splitlines() if line.strip()]
    assert len(lines) == 3, text
    for line in lines:
        assert line["rows"] == 8
        assert line["decoded_bytes"] > 0
        assert isinstance(line["seconds"], (int, float)) and line["seconds"] >= 0


def test_scan_projection(alltypes):
    full = json.loads(ok(["parquet", "scan", alltypes]).text().splitlines()[0])
    one = json.loads(ok(["parquet", "scan", alltypes, "--columns", "id"]).text().splitlines()[0])
    assert one["rows"] == 8
    assert 0 < one["decoded_bytes"] < full["decoded_bytes"]


def test_rewrite_with_unknown_codec_is_rejected(alltypes, tmp_path):
    out = tmp_path / "out.parquet"
    run = run_basalt(["parquet", "rewrite", alltypes, out, "--codec", "lzo-please"])
    assert run.returncode != 0 and not run.crashed, run.describe()
    assert run.stderr.strip(), "no message on stderr"


def test_rewrite_default_options(alltypes, tmp_path):
    out = tmp_path / "out.parquet"
    ok(["parquet", "rewrite", alltypes, out])
    table = pq.read_table(out)
    assert table.column_names == ALLTYPES_COLUMNS
    assert table.column("id").to_pylist() == ALLTYPES_IDS
