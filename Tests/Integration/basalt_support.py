"""Helpers shared by the integration tests: running the `basalt` binary under
a time and memory limit, finding the conformance corpus, comparing results.

Environment (tools/test.sh sets both):
  BASALT_BIN       path of the release binary (.build/release/basalt)
  PARQUET_TESTING  the conformance corpus (default: <repo>/../shared/parquet-testing)
"""
import json
import os
import pathlib
import resource
import signal
import subprocess
from dataclasses import dataclass

REPO = pathlib.Path(__file__).resolve().parents[2]
GiB = 1 << 30

ERROR_CATEGORIES = {"corrupt", "unsupported", "encrypted", "checksum", "io"}

# Keys of the canonical JSON form that carry meaning (README of the corpus);
# "file", "canon_version" and "note" are informational.
COMPARED_KEYS = ("num_rows", "num_row_groups", "columns", "null_counts", "schema",
                 "rows", "head_rows", "tail_rows", "error")


def basalt_bin():
    path = os.environ.get("BASALT_BIN") or str(REPO / ".build" / "release" / "basalt")
    return pathlib.Path(path)


def corpus_root():
    root = os.environ.get("PARQUET_TESTING") or str(REPO.parent / "shared" / "parquet-testing")
    return pathlib.Path(root).resolve()


def corpus_files():
    """Every Parquet file of the corpus (data/ and bad_data/, recursively,
    encrypted ones included) as paths relative to the corpus root, sorted.
    Raises when the corpus is missing so that collection fails loudly."""
    root = corpus_root()
    if not (root / "data").is_dir() or not (root / "check.py").is_file():
        raise RuntimeError("Parquet conformance corpus not found at %s (set PARQUET_TESTING)" % root)
    out = []
    for top in ("data", "bad_data"):
        for p in (root / top).rglob("*"):
            if p.is_file() and (p.name.endswith(".parquet") or p.name.endswith(".parquet.encrypted")):
                out.append(p.relative_to(root).as_posix())
    return sorted(out)


def expected_result(rel):
    """The corpus's expected canonical JSON for a file (relative path)."""
    with open(corpus_root() / "expected" / (rel + ".json"), "rb") as fh:
        return json.loads(fh.read().decode("utf-8"))


@dataclass
class Run:
    args: list
    returncode: int          # exit status; 124 on timeout, 128+N when killed by signal N
    stdout: bytes
    stderr: bytes
    timed_out: bool = False

    @property
    def crashed(self):
        return self.timed_out or self.returncode >= 128

    def text(self):
        return self.stdout.decode("utf-8", errors="replace")

    def json(self):
        return json.loads(self.stdout.decode("utf-8"))

    def describe(self):
        err = self.stderr.decode("utf-8", errors="replace").strip()
        what = "timed out" if self.timed_out else "exit %d" % self.returncode
        if self.returncode >= 128 and not self.timed_out:
            try:
                what += " (%s)" % signal.Signals(self.returncode - 128).name
            except ValueError:
                pass
        return "basalt %s: %s; stderr: %s" % (" ".join(map(str, self.args)), what, err[-600:])


def _limits(mem_bytes):
    def apply():
        if mem_bytes:
            resource.setrlimit(resource.RLIMIT_AS, (mem_bytes, mem_bytes))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    return apply


def run_basalt(args, timeout=60, mem_bytes=8 * GiB, check=False):
    """Runs `basalt ARGS...` with a wall-clock timeout and an address-space cap.
    Never raises for the child's failure unless check=True (then on exit != 0)."""
    cmd = [str(basalt_bin())] + [str(a) for a in args]
    try:
        p = subprocess.run(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, timeout=timeout, preexec_fn=_limits(mem_bytes))
        rc = p.returncode if p.returncode >= 0 else 128 - p.returncode
        run = Run(list(args), rc, p.stdout, p.stderr)
    except subprocess.TimeoutExpired as e:
        run = Run(list(args), 124, e.stdout or b"", e.stderr or b"", timed_out=True)
    if check and run.returncode != 0:
        raise AssertionError(run.describe())
    return run


def error_problem(run):
    """None if a failed run reported its error properly, else what is wrong:
    exit 1, stdout one JSON object {"error": <category>, "message": <non-empty>},
    and something on stderr."""
    if run.crashed:
        return run.describe()
    if run.returncode != 1:
        return "expected exit 1 on failure, got %d" % run.returncode
    try:
        obj = run.json()
    except (ValueError, UnicodeDecodeError) as e:
        return "stdout is not JSON (%s): %r" % (e, run.stdout[:300])
    if not isinstance(obj, dict):
        return "stdout is not a JSON object: %r" % run.stdout[:300]
    if obj.get("error") not in ERROR_CATEGORIES:
        return "bad error category %r" % obj.get("error")
    msg = obj.get("message")
    if not isinstance(msg, str) or not msg.strip():
        return "missing or empty message: %r" % obj
    if not run.stderr.strip():
        return "nothing on stderr"
    return None


def canonical_subset(result, drop=()):
    return {k: result[k] for k in COMPARED_KEYS if k in result and k not in drop}


# ---------------------------------------------------------------------------
# Comparing tables read back by pyarrow or DuckDB.

class _NaN:
    def __eq__(self, other):
        return isinstance(other, _NaN)

    def __repr__(self):
        return "NaN"


def normalize(v):
    """Python values with NaN made comparable (NaN == NaN), recursively."""
    if isinstance(v, (list, tuple)):
        return [normalize(x) for x in v]
    if isinstance(v, dict):
        return {k: normalize(x) for k, x in v.items()}
    if v is not None and v != v:      # NaN of any float type (Python, numpy float16)
        return _NaN()
    return v


def table_difference(expected, actual):
    """None when two pyarrow tables hold the same values, else a description of
    the first difference. `actual` is cast to `expected`'s schema first when the
    schemas differ only in what Parquet cannot keep without pyarrow's stored
    Arrow schema (list/map field names, time-zone names, ...)."""
    import pyarrow as pa
    if expected.column_names != actual.column_names:
        return "columns differ: %s vs %s" % (expected.column_names, actual.column_names)
    if expected.num_rows != actual.num_rows:
        return "row counts differ: %d vs %d" % (expected.num_rows, actual.num_rows)
    if not actual.schema.equals(expected.schema):
        try:
            actual = actual.cast(expected.schema)
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError, pa.ArrowTypeError) as e:
            return "schema differs and cannot be cast (%s):\nexpected %s\nactual   %s" % (
                e, expected.schema, actual.schema)
    if actual.equals(expected):
        return None
    for name in expected.column_names:
        e, a = expected.column(name), actual.column(name)
        if e.equals(a):
            continue
        # Arrow's equality treats NaN as unequal to itself: compare values.
        try:
            ev, av = e.to_pylist(), a.to_pylist()
        except (ValueError, OverflowError, pa.ArrowException) as exc:
            return "column %r differs (values not comparable in Python: %s)" % (name, exc)
        for i, (x, y) in enumerate(zip(ev, av)):
            if normalize(x) != normalize(y):
                return "column %r row %d: expected %r, got %r" % (name, i, x, y)
    return None


# ---------------------------------------------------------------------------
# Page headers, read independently of Basalt (Thrift compact protocol), so the
# tests can check what a writer really put into a column chunk.

class _Compact:
    """Just enough of the Thrift compact protocol to read a PageHeader:
    structs become {field id: value}, lists become Python lists."""

    def __init__(self, buf, pos):
        self.buf, self.pos = buf, pos

    def byte(self):
        b = self.buf[self.pos]
        self.pos += 1
        return b

    def varint(self):
        shift = result = 0
        while True:
            b = self.byte()
            result |= (b & 0x7F) << shift
            if not b & 0x80:
                return result
            shift += 7

    def zigzag(self):
        n = self.varint()
        return (n >> 1) ^ -(n & 1)

    def value(self, t):
        if t in (1, 2):                       # bool inside a struct: in the type nibble
            return t == 1
        if t == 3:
            return self.byte()
        if t in (4, 5, 6):
            return self.zigzag()
        if t == 7:
            self.pos += 8
            return None
        if t == 8:
            n = self.varint()
            self.pos += n
            return bytes(self.buf[self.pos - n:self.pos])
        if t in (9, 10):
            h = self.byte()
            size, et = h >> 4, h & 0x0F
            if size == 15:
                size = self.varint()
            if et in (1, 2):
                return [self.byte() == 1 for _ in range(size)]
            return [self.value(et) for _ in range(size)]
        if t == 11:
            size = self.varint()
            if size == 0:
                return {}
            kv = self.byte()
            return {self.value(kv >> 4): self.value(kv & 0x0F) for _ in range(size)}
        if t == 12:
            return self.struct()
        raise ValueError("bad Thrift compact type %d at %d" % (t, self.pos))

    def struct(self):
        fields, last = {}, 0
        while True:
            h = self.byte()
            if h == 0:
                return fields
            delta, t = h >> 4, h & 0x0F
            fid = last + delta if delta else self.zigzag()
            fields[fid] = self.value(t)
            last = fid


PAGE_TYPES = {0: "DATA_PAGE", 1: "INDEX_PAGE", 2: "DICTIONARY_PAGE", 3: "DATA_PAGE_V2"}


def chunk_pages(path, column_chunk):
    """The pages of one column chunk (a pyarrow ColumnChunkMetaData) as dicts
    {type, num_values, num_rows (v2 only), compressed_size, offset (of the
    header in the file), header_size}."""
    start = column_chunk.data_page_offset
    if column_chunk.has_dictionary_page and column_chunk.dictionary_page_offset:
        start = min(start, column_chunk.dictionary_page_offset)
    end = start + column_chunk.total_compressed_size
    with open(path, "rb") as fh:
        fh.seek(start)
        buf = fh.read(end - start)
    pages, pos = [], 0
    while pos < len(buf):
        r = _Compact(buf, pos)
        h = r.struct()
        size = h[3]
        page = {"type": PAGE_TYPES.get(h[1], h[1]), "compressed_size": size,
                "offset": start + pos, "header_size": r.pos - pos}
        if 5 in h:
            page["num_values"] = h[5][1]
        if 8 in h:
            page["num_values"] = h[8][1]
            page["num_rows"] = h[8][3]
        pages.append(page)
        pos = r.pos + size
    return pages


def json_difference(want, got, path="$"):
    """First difference between two JSON values as text, or None if equal
    (strict about types: 1, 1.0, "1" and true all differ)."""
    if type(want) is not type(got):
        return "%s: expected %s, got %s" % (path, _short(want), _short(got))
    if isinstance(want, list):
        for i, (w, g) in enumerate(zip(want, got)):
            d = json_difference(w, g, "%s[%d]" % (path, i))
            if d:
                return d
        if len(want) != len(got):
            return "%s: expected %d items, got %d" % (path, len(want), len(got))
        return None
    if isinstance(want, dict):
        if set(want) != set(got):
            return "%s: keys differ: expected %s, got %s" % (path, sorted(want), sorted(got))
        for k in want:
            d = json_difference(want[k], got[k], "%s.%s" % (path, k))
            if d:
                return d
        return None
    return None if want == got else "%s: expected %s, got %s" % (path, _short(want), _short(got))


def _short(v, n=160):
    s = json.dumps(v, ensure_ascii=False)
    return s if len(s) <= n else s[:n] + "..."
