"""Page pruning against pyarrow-written files: small pages with a page index
(ColumnIndex + OffsetIndex), sorted data, every physical type and nullable
columns. Every query must return the same rows with page pruning on (the
default) and off (`--set basalt.page_pruning=off`), the rows pyarrow's own
filtering finds, and for filters on sorted columns EXPLAIN ANALYZE must show
pages skipped."""
import csv
import datetime
import decimal
import io
import re

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest

from basalt_support import run_basalt

N = 6000


def columns():
    """Sorted columns of each physical type, nullable ones with runs of NULLs, one list column."""
    ids = list(range(N))
    nulls = [None if (i // 300) % 3 == 1 else i for i in ids]     # runs of 300 NULLs: whole pages
    scattered = [None if i % 7 == 3 else i for i in ids]           # NULLs in every page
    base = datetime.date(2020, 1, 1)
    epoch = datetime.datetime(2021, 1, 1)
    return {
        "id": pa.array(ids, pa.int64()),
        "b": pa.array([i >= N // 2 for i in ids], pa.bool_()),                         # BOOLEAN
        "i16": pa.array([i - 3000 for i in ids], pa.int16()),                             # INT32
        "i32": pa.array(nulls, pa.int32()),                                               # INT32, nullable
        "i64": pa.array([i * 1_000_003 for i in ids], pa.int64()),                        # INT64
        "u32": pa.array(ids, pa.uint32()),                                                # INT32, unsigned
        "f32": pa.array([i / 4 for i in ids], pa.float32()),                              # FLOAT
        "f64": pa.array([None if x is None else x * 0.5 for x in scattered], pa.float64()),  # DOUBLE, nullable
        "s": pa.array(["k%06d" % i for i in ids], pa.string()),                           # BYTE_ARRAY
        "s_null": pa.array([None if x is None else "v%05d" % x for x in nulls], pa.string()),
        "bin": pa.array([("b%05d" % i).encode() for i in ids], pa.binary()),
        "fixed": pa.array([i.to_bytes(4, "big") for i in ids], pa.binary(4)),            # FIXED_LEN_BYTE_ARRAY
        "dec": pa.array([decimal.Decimal(i) / 100 for i in ids], pa.decimal128(9, 2)),    # FIXED_LEN_BYTE_ARRAY
        "dec_big": pa.array([None if x is None else decimal.Decimal(x) * 1000 for x in scattered], pa.decimal128(25, 3)),
        "d": pa.array([base + datetime.timedelta(days=i // 10) for i in ids], pa.date32()),
        "ts": pa.array([epoch + datetime.timedelta(seconds=i) for i in ids], pa.timestamp("us")),
        "tags": pa.array([[i % 5, i % 3] if i % 4 else None for i in ids], pa.list_(pa.int32())),
    }


LAYOUTS = {
    # name: pq.write_table options (row groups of 2500 rows, pages of about 64-128 rows)
    "v1_dict": dict(use_dictionary=True, data_page_version="1.0", compression="snappy"),
    "v2_plain": dict(use_dictionary=False, data_page_version="2.0", compression="zstd"),
}


@pytest.fixture(scope="module")
def lake(tmp_path_factory):
    root = tmp_path_factory.mktemp("page-pruning-lake")
    table = pa.table(columns())
    for name, options in LAYOUTS.items():
        target = root / "p" / name
        target.mkdir(parents=True)
        pq.write_table(table, target / "part-0.parquet", row_group_size=2500, data_page_size=512,
                       write_batch_size=64, write_page_index=True, **options)
        meta = pq.ParquetFile(target / "part-0.parquet").metadata
        assert meta.row_group(0).column(0).has_column_index and meta.row_group(0).column(0).has_offset_index
    # INT96 timestamps (no statistics order: never pruned, but read through the same path).
    int96 = root / "p" / "int96"
    int96.mkdir(parents=True)
    pq.write_table(pa.table({"id": table["id"], "ts": table["ts"]}), int96 / "part-0.parquet", row_group_size=2500,
                   data_page_size=512, write_batch_size=64, write_page_index=True, use_deprecated_int96_timestamps=True)
    return root, table


# (filter, pyarrow expression for the same rows, whether pages must be skipped)
FILTERS = [
    ("id BETWEEN 1234 AND 1300", lambda t: pc.and_(pc.greater_equal(t["id"], 1234), pc.less_equal(t["id"], 1300)), True),
    ("id IN (5, 2600, 5999)", lambda t: pc.is_in(t["id"], pa.array([5, 2600, 5999])), True),
    ("b = true AND id < 3100", lambda t: pc.and_(t["b"], pc.less(t["id"], 3100)), True),
    ("i16 >= 2900", lambda t: pc.greater_equal(t["i16"], 2900), True),
    ("i32 < 700", lambda t: pc.less(t["i32"], 700), True),
    ("i32 IS NULL AND id < 1000", lambda t: pc.and_(pc.is_null(t["i32"]), pc.less(t["id"], 1000)), True),
    ("i64 > 5990000000", lambda t: pc.greater(t["i64"], 5990000000), True),
    ("u32 <= 10", lambda t: pc.less_equal(t["u32"], 10), True),
    ("f32 > 1400", lambda t: pc.greater(t["f32"], 1400), False),
    ("f64 < 3.0", lambda t: pc.less(t["f64"], 3.0), False),
    ("s >= 'k005900'", lambda t: pc.greater_equal(t["s"], "k005900"), True),
    ("s = 'k000777'", lambda t: pc.equal(t["s"], "k000777"), True),
    ("s_null < 'v00400'", lambda t: pc.less(t["s_null"], "v00400"), True),
    ("dec BETWEEN 10.00 AND 10.50", lambda t: pc.and_(pc.greater_equal(t["dec"], decimal.Decimal("10.00")),
                                                       pc.less_equal(t["dec"], decimal.Decimal("10.50"))), True),
    ("dec_big > 5990000", lambda t: pc.greater(t["dec_big"], decimal.Decimal(5990000)), True),
    ("d = DATE '2020-03-01'", lambda t: pc.equal(t["d"], pa.scalar(datetime.date(2020, 3, 1))), True),
    ("ts < TIMESTAMP '2021-01-01 00:01:00'", lambda t: pc.less(t["ts"], pa.scalar(datetime.datetime(2021, 1, 1, 0, 1), pa.timestamp("us"))), True),
    ("id > 100000", lambda t: pc.greater(t["id"], 100000), False),
]


def query(lake_root, sql, *extra):
    run = run_basalt(["query", "--lake", str(lake_root), "--format", "csv", *extra, sql], timeout=120)
    assert run.returncode == 0, run.describe()
    return run.text()


def explain(lake_root, sql):
    run = run_basalt(["query", "--lake", str(lake_root), "EXPLAIN ANALYZE " + sql], timeout=120)
    assert run.returncode == 0, run.describe()
    return run.text()


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
@pytest.mark.parametrize("where,expected,prunes", FILTERS, ids=[f[0] for f in FILTERS])
def test_same_rows_with_and_without_page_pruning(lake, layout, where, expected, prunes):
    root, table = lake
    everything = ("SELECT id, b, i16, i32, i64, u32, f32, f64, s, s_null, bin, fixed, dec, dec_big, d, ts, tags "
                  "FROM p.%s WHERE %s ORDER BY id" % (layout, where))
    pruned = query(root, everything)
    unpruned = query(root, everything, "--set", "basalt.page_pruning=off")
    assert pruned == unpruned
    ids = [int(row[0]) for row in list(csv.reader(io.StringIO(pruned)))[1:]]
    assert ids == table.filter(expected(table))["id"].to_pylist()
    aggregate = "SELECT count(*), sum(i64), min(s), max(dec), count(i32), count(tags) FROM p.%s WHERE %s" % (layout, where)
    assert query(root, aggregate) == query(root, aggregate, "--set", "basalt.page_pruning=off")
    plan = explain(root, everything)
    pages = re.search(r"pages: (\d+) read, (\d+) skipped by page index", plan)
    assert pages, plan
    if prunes:
        assert int(pages.group(2)) > 0, plan


def test_int96_and_nested_columns(lake):
    root, table = lake
    sql = "SELECT id, ts FROM p.int96 WHERE id BETWEEN 2490 AND 2510 ORDER BY id"
    assert query(root, sql) == query(root, sql, "--set", "basalt.page_pruning=off")
    rows = list(csv.reader(io.StringIO(query(root, sql))))[1:]
    assert [int(r[0]) for r in rows] == list(range(2490, 2511))
    assert rows[0][1] == "2021-01-01 00:41:30"


def test_setting_is_validated(lake):
    root, _ = lake
    run = run_basalt(["query", "--lake", str(root), "--set", "basalt.page_pruning=maybe", "SELECT 1"])
    assert run.returncode != 0
    assert "Boolean" in run.stderr.decode()
