"""Basalt's writer against real readers: `basalt parquet rewrite` a file that
pyarrow wrote (every type, nulls everywhere, nesting) under a matrix of writer
options, then check that pyarrow, DuckDB and Basalt itself read back what they
read from the input, and that the footer and page headers show the options
took effect. Then rewrite every readable file of the conformance corpus."""
import datetime
import decimal
import math
import random

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from basalt_support import (GiB, canonical_subset, chunk_pages, corpus_files,
                            error_problem, expected_result, json_difference, run_basalt,
                            table_difference)

N = 1500          # rows: under the 2,000 rows the canonical JSON prints in full
LONG = 5000       # longer than the 4,096 bytes after which JSON shows a hash


# ---------------------------------------------------------------------------
# The input table

def _column(rng, n, gen, null_rate=0.1):
    return [None if rng.random() < null_rate else gen(i) for i in range(n)]


def _ints(rng, n, lo, hi):
    specials = [lo, hi, 0, -1 if lo < 0 else 1]
    return _column(rng, n, lambda i: specials[i] if i < len(specials) else rng.randint(lo, hi))


def _float_values(rng, n, specials):
    return _column(rng, n, lambda i: specials[i] if i < len(specials)
                   else rng.choice([rng.uniform(-1e6, 1e6), rng.gauss(0, 1), float(rng.randint(-5, 5))]))


def _decimals(rng, n, precision, scale):
    top = 10 ** precision - 1
    specials = [top, -top, 0, 1, -1]

    def gen(i):
        unscaled = specials[i] if i < len(specials) else rng.randint(-top, top) // (10 ** rng.randint(0, precision - 1))
        return decimal.Decimal(unscaled).scaleb(-scale, context=decimal.Context(prec=60))
    return _column(rng, n, gen)


def _text(rng, i):
    if i % 97 == 5:
        return "long-%d-" % i + "x" * LONG
    return rng.choice(["", "a", "héllo wörld", "日本語テキスト", "emoji 🎉🚀", "tab\tnew\nline \"quote\" \\",
                       "%08x" % rng.getrandbits(32)])


def make_table(n=N, seed=1234):
    rng = random.Random(seed)
    cols, fields = {}, []

    def add(name, typ, values, nullable=True):
        cols[name] = pa.array(values, type=typ)
        fields.append(pa.field(name, typ, nullable=nullable))

    add("id", pa.int64(), list(range(n)), nullable=False)
    for bits in (8, 16, 32, 64):
        add("i%d" % bits, getattr(pa, "int%d" % bits)(), _ints(rng, n, -(1 << bits - 1), (1 << bits - 1) - 1))
        add("u%d" % bits, getattr(pa, "uint%d" % bits)(), _ints(rng, n, 0, (1 << bits) - 1))
    add("f32", pa.float32(), _float_values(rng, n, [float("nan"), float("inf"), float("-inf"), -0.0,
                                                     1e-45, 3.4028234663852886e38, 0.1]))
    add("f64", pa.float64(), _float_values(rng, n, [float("nan"), float("inf"), float("-inf"), -0.0,
                                                     5e-324, 1.7976931348623157e308, 0.1]))
    f16 = np.array([rng.uniform(-100, 100) for _ in range(n)], dtype=np.float16)
    f16[:4] = [np.nan, np.inf, -0.0, 65504]
    mask = np.array([rng.random() < 0.1 for _ in range(n)])
    cols["f16"] = pa.array(f16, type=pa.float16(), mask=mask)
    fields.append(pa.field("f16", pa.float16()))
    for p, s in ((5, 2), (9, 0), (18, 4), (19, 3), (38, 10)):
        add("dec_%d_%d" % (p, s), pa.decimal128(p, s), _decimals(rng, n, p, s))
    add("str", pa.string(), _column(rng, n, lambda i: _text(rng, i)))
    add("category", pa.string(), _column(rng, n, lambda i: rng.choice(["red", "green", "blue", "", "ünïcode"]), 0.05))
    add("req_str", pa.string(), [_text(rng, i) for i in range(n)], nullable=False)
    add("bin", pa.binary(), _column(rng, n, lambda i: rng.randbytes(LONG) if i % 211 == 7
                                    else rng.randbytes(rng.randint(0, 40))))
    add("fixed16", pa.binary(16), _column(rng, n, lambda i: rng.randbytes(16)))
    add("bool", pa.bool_(), _column(rng, n, lambda i: rng.random() < 0.5))
    add("date", pa.date32(), _column(rng, n, lambda i: datetime.date.fromordinal(rng.randint(1, 3652059))))
    add("time_ms", pa.time32("ms"), _column(rng, n, lambda i: rng.randrange(86_400_000)))
    add("time_us", pa.time64("us"), _column(rng, n, lambda i: rng.randrange(86_400_000_000)))
    add("time_ns", pa.time64("ns"), _column(rng, n, lambda i: rng.randrange(86_400_000_000_000)))
    lo_us, hi_us = -62_135_596_800_000_000, 253_402_300_799_999_999   # years 1..9999
    for unit, scale in (("ms", 1000), ("us", 1)):
        add("ts_%s" % unit, pa.timestamp(unit), _column(rng, n, lambda i: rng.randint(lo_us // scale, hi_us // scale)))
        add("ts_%s_utc" % unit, pa.timestamp(unit, tz="UTC"),
            _column(rng, n, lambda i: rng.randint(lo_us // scale, hi_us // scale)))
    add("ts_ns", pa.timestamp("ns"), _column(rng, n, lambda i: rng.randint(-(1 << 62), 1 << 62)))
    add("ts_ns_tz", pa.timestamp("ns", tz="America/New_York"),
        _column(rng, n, lambda i: rng.randint(-(1 << 62), 1 << 62)))

    def small_list(gen, max_len=5, null_rate=0.1):
        return lambda i: [None if rng.random() < null_rate else gen() for _ in range(rng.randint(0, max_len))]

    add("list_i32", pa.list_(pa.int32()), _column(rng, n, small_list(lambda: rng.randint(-1000, 1000))))
    add("req_list_i16", pa.list_(pa.field("element", pa.int16(), nullable=False)),
        [[rng.randint(-300, 300) for _ in range(rng.randint(0, 4))] for _ in range(n)], nullable=False)
    add("list_list_str", pa.list_(pa.list_(pa.string())),
        _column(rng, n, small_list(lambda: [None if rng.random() < 0.1 else _text(rng, 0)
                                            for _ in range(rng.randint(0, 3))], 3)))
    struct_t = pa.struct([("a", pa.int32()), ("b", pa.string()), ("c", pa.list_(pa.float64()))])
    add("struct", struct_t, _column(rng, n, lambda i: {
        "a": None if rng.random() < 0.2 else rng.randint(-50, 50),
        "b": None if rng.random() < 0.2 else _text(rng, i),
        "c": None if rng.random() < 0.2 else [rng.uniform(-1, 1) for _ in range(rng.randint(0, 3))]}))
    add("map", pa.map_(pa.string(), pa.int64()), _column(rng, n, lambda i: [
        ("k%d" % k, None if rng.random() < 0.2 else rng.randint(-10**12, 10**12))
        for k in rng.sample(range(20), rng.randint(0, 4))]))
    point_t = pa.struct([("x", pa.int32()), ("y", pa.string())])
    add("list_struct", pa.list_(point_t), _column(rng, n, small_list(lambda: {
        "x": None if rng.random() < 0.2 else rng.randint(0, 99),
        "y": None if rng.random() < 0.2 else rng.choice(["p", "q", ""])}, 3)))
    add("all_null", pa.int32(), [None] * n)
    return pa.Table.from_arrays([cols[f.name] for f in fields], schema=pa.schema(fields))


# ---------------------------------------------------------------------------
# Fixtures: the input and what every reader makes of it, computed once

def duckdb_read(path):
    con = duckdb.connect()
    try:
        return con.execute("SELECT * FROM read_parquet(?)", [str(path)]).fetch_arrow_table()
    finally:
        con.close()


def duckdb_metadata(path):
    """One dict per column chunk, from DuckDB's parquet_metadata()."""
    con = duckdb.connect()
    try:
        cur = con.execute("SELECT row_group_id, path_in_schema, type, compression, encodings, "
                          "bloom_filter_offset, bloom_filter_length FROM parquet_metadata(?)", [str(path)])
        names = [d[0] for d in cur.description]
        return [dict(zip(names, row)) for row in cur.fetchall()]
    finally:
        con.close()


def basalt_json(path):
    run = run_basalt(["parquet", "cat", path, "--format", "json"], timeout=120, check=True)
    return run.json()


@pytest.fixture(scope="module")
def source(tmp_path_factory):
    table = make_table()
    path = tmp_path_factory.mktemp("roundtrip") / "all_types.parquet"
    pq.write_table(table, path)
    return {"path": path, "table": table, "pyarrow": pq.read_table(path), "duckdb": duckdb_read(path)}


@pytest.fixture(scope="module")
def source_json(basalt, source):
    return basalt_json(source["path"])


def test_source_reads_back_in_pyarrow(source):
    # Guards the test itself: pyarrow's own round trip is exact.
    assert table_difference(source["table"], source["pyarrow"]) is None


# ---------------------------------------------------------------------------
# The option matrix

CODEC_NAMES = {"uncompressed": "UNCOMPRESSED", "snappy": "SNAPPY", "gzip": "GZIP",
               "zstd": "ZSTD", "lz4_raw": "LZ4_RAW", "brotli": "BROTLI"}

MATRIX = {
    **{codec: ["--codec", codec] for codec in CODEC_NAMES},
    "v2": ["--page-version", "2"],
    "v2-zstd-no-dict": ["--page-version", "2", "--codec", "zstd", "--no-dictionary"],
    "no-dictionary": ["--no-dictionary"],
    "delta": ["--encoding", "delta", "--no-dictionary"],
    "delta-v2-snappy": ["--encoding", "delta", "--no-dictionary", "--page-version", "2", "--codec", "snappy"],
    "delta-with-dictionary": ["--encoding", "delta"],
    "small-pages": ["--row-group-rows", "100", "--page-rows", "7"],
    "small-pages-v2-gzip-delta": ["--row-group-rows", "333", "--page-rows", "10", "--page-version", "2",
                                  "--codec", "gzip", "--encoding", "delta", "--no-dictionary"],
    "bloom": ["--bloom-filter", "id,category"],
    "bloom-row-groups-zstd": ["--bloom-filter", "id,category", "--row-group-rows", "500", "--codec", "zstd"],
}


def _opt(args, name, default=None):
    return args[args.index(name) + 1] if name in args else default


@pytest.fixture(scope="module", params=sorted(MATRIX), ids=sorted(MATRIX))
def rewritten(request, basalt, source, tmp_path_factory):
    args = MATRIX[request.param]
    out = tmp_path_factory.mktemp("rewrite") / ("%s.parquet" % request.param)
    run_basalt(["parquet", "rewrite", source["path"], out] + args, timeout=300, check=True)
    return out, args


def test_pyarrow_reads_same_values(source, rewritten):
    out, _ = rewritten
    diff = table_difference(source["pyarrow"], pq.read_table(out))
    assert diff is None, diff


def test_duckdb_reads_same_rows(source, rewritten):
    out, _ = rewritten
    diff = table_difference(source["duckdb"], duckdb_read(out))
    assert diff is None, "DuckDB: " + diff


def writer_neutral(canonical):
    """The canonical form without what a writer may choose freely: the physical
    storage of a DECIMAL (pyarrow uses FIXED_LEN_BYTE_ARRAY, Basalt INT32/INT64
    up to 18 digits as the format recommends)."""
    for entry in canonical.get("schema", []):
        if "DECIMAL" in str(entry.get("logical_type")):
            entry["physical_type"] = entry["type_length"] = None
    return canonical


def test_basalt_reads_same_json(source_json, rewritten):
    out, _ = rewritten
    got = writer_neutral(canonical_subset(basalt_json(out), drop=("num_row_groups",)))
    want = writer_neutral(canonical_subset(source_json, drop=("num_row_groups",)))
    diff = json_difference(want, got)
    assert diff is None, "canonical JSON of the rewritten file differs: " + diff


def test_options_took_effect(rewritten):
    check_options(*rewritten)


def check_options(out, args):
    """The footer and the page headers of `out` show every option in `args`."""
    meta = pq.ParquetFile(out).metadata
    chunks = duckdb_metadata(out)
    assert meta.num_rows == N

    codec = _opt(args, "--codec")
    if codec:
        wrong = {(c["path_in_schema"], c["compression"]) for c in chunks
                 if c["compression"] != CODEC_NAMES[codec]}
        assert not wrong, "expected %s everywhere, got %s" % (CODEC_NAMES[codec], sorted(wrong))

    uses_dict = ["DICTIONARY" in c["encodings"] for c in chunks]
    if "--no-dictionary" in args:
        assert not any(uses_dict), "dictionary encoding despite --no-dictionary"
    else:
        assert any(uses_dict), "no column chunk is dictionary-encoded (the default)"

    if _opt(args, "--encoding") == "delta" and "--no-dictionary" in args:
        not_delta = [c["path_in_schema"] for c in chunks
                     if c["type"] in ("INT32", "INT64", "BYTE_ARRAY") and "DELTA" not in c["encodings"]
                     and c["path_in_schema"] != "all_null"]      # no values: any encoding will do
        assert not not_delta, "no DELTA_* encoding in %s" % sorted(set(not_delta))

    rg_rows = int(_opt(args, "--row-group-rows", 0))
    if rg_rows:
        assert meta.num_row_groups == math.ceil(N / rg_rows)
        assert all(meta.row_group(g).num_rows <= rg_rows for g in range(meta.num_row_groups))

    version = _opt(args, "--page-version", "1")
    page_rows = int(_opt(args, "--page-rows", 0))
    want_type = "DATA_PAGE_V2" if version == "2" else "DATA_PAGE"
    for g in range(meta.num_row_groups):
        rg = meta.row_group(g)
        for c in range(rg.num_columns):
            col = rg.column(c)
            pages = [p for p in chunk_pages(out, col) if p["type"] != "DICTIONARY_PAGE"]
            assert pages, "no data pages in %s" % col.path_in_schema
            bad = {p["type"] for p in pages} - {want_type}
            assert not bad, "%s: %s pages, expected only %s" % (col.path_in_schema, bad, want_type)
            if page_rows and col.path_in_schema == "id":       # flat and required: values == rows
                assert max(p["num_values"] for p in pages) <= page_rows
                assert len(pages) >= math.ceil(rg.num_rows / page_rows)

    bloom = _opt(args, "--bloom-filter")
    if bloom:
        wanted = set(bloom.split(","))
        for c in chunks:
            has = c["bloom_filter_offset"] is not None
            assert has == (c["path_in_schema"] in wanted), \
                "%s: bloom filter %s" % (c["path_in_schema"], "unexpected" if has else "missing")
        _check_bloom_probes(out, rg_rows or N)


def _check_bloom_probes(path, rows_per_group):
    """DuckDB probes Basalt's bloom filters: a present value is never excluded
    from the row group that holds it; absent values are (nearly always)."""
    con = duckdb.connect()
    try:
        def excludes(column, value):
            return {g: ex for _, g, ex in con.execute(
                "SELECT * FROM parquet_bloom_probe(?, ?, ?)", [str(path), column, value]).fetchall()}
        for v in (0, 1, 777, N - 1):
            assert excludes("id", v)[v // rows_per_group] is False, "id=%d excluded by its own row group" % v
        for v in ("red", "ünïcode"):
            assert not all(excludes("category", v).values()), "category=%r excluded everywhere" % v
        absent = [N + 1000 + 7919 * k for k in range(50)]
        kept = sum(not ex for v in absent for ex in excludes("id", v).values())
        groups = math.ceil(N / rows_per_group)
        assert kept <= max(2, len(absent) * groups // 10), \
            "bloom filter on id lets %d of %d absent probes through" % (kept, len(absent) * groups)
    finally:
        con.close()


# ---------------------------------------------------------------------------
# Every readable file of the conformance corpus

def _corpus_rewrite_cases():
    cases = []
    for rel in corpus_files():
        if not rel.startswith("data/") or rel.endswith(".encrypted"):
            continue
        if rel == "data/large_string_map.brotli.parquet":      # 2 GiB of strings
            continue
        if "error" in expected_result(rel):
            continue
        cases.append(rel)
    return cases


ROW_KEYS = ("columns", "null_counts", "rows", "head_rows", "tail_rows")


@pytest.mark.parametrize("rel", _corpus_rewrite_cases())
def test_rewrite_corpus_file(basalt, corpus, rel, tmp_path):
    expected = expected_result(rel)
    out = tmp_path / "rewritten.parquet"
    run = run_basalt(["parquet", "rewrite", corpus / rel, out], timeout=120, mem_bytes=8 * GiB)
    if run.returncode != 0:
        alt = expected.get("also_accept", {})
        if "error" in alt:
            cat = run_basalt(["parquet", "cat", corpus / rel, "--format", "json"], timeout=60)
            if cat.returncode == 1 and error_problem(cat) is None and cat.json()["error"] == alt["error"]:
                pytest.skip("Basalt rejects the input (%s), an accepted alternative" % alt["error"])
        pytest.fail(run.describe(), pytrace=False)

    got = canonical_subset(basalt_json(out))
    candidates = [expected]
    if "also_accept" in expected and "error" not in expected["also_accept"]:
        candidates.append(expected["also_accept"])
    diffs = []
    for want in candidates:
        diff = json_difference({k: want[k] for k in ROW_KEYS if k in want},
                               {k: got[k] for k in ROW_KEYS if k in got})
        if diff is None:
            break
        diffs.append(diff)
    else:
        pytest.fail("%s rewritten: %s" % (rel, "; or ".join(diffs)), pytrace=False)

    table = pq.read_table(out)      # pyarrow reads Basalt's output
    if "rows" in got:
        assert table.num_rows == len(got["rows"])
