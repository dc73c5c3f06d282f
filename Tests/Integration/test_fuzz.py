"""Deterministic mutation fuzzing of the reader: small valid corpus files,
truncated and with bytes or bits changed in the footer, the page headers and
the page data. Whatever the damage, `basalt parquet cat --format json` must
either read the file (exit 0, JSON result) or refuse it cleanly (exit 1, JSON
error with a message): never crash, hang or run out of memory."""
import random
import struct
from concurrent.futures import ThreadPoolExecutor, as_completed

import pyarrow.parquet as pq
import pytest

from basalt_support import GiB, chunk_pages, error_problem, run_basalt

SOURCES = [
    "data/alltypes_plain.parquet",
    "data/alltypes_dictionary.parquet",
    "data/datapage_v2.snappy.parquet",
    "data/delta_length_byte_array.parquet",
    "data/byte_stream_split.zstd.parquet",
    "data/nested_lists.snappy.parquet",
    "data/nested_maps.snappy.parquet",
    "data/list_columns.parquet",
    "data/lz4_raw_compressed.parquet",
    "data/int32_with_null_pages.parquet",
]
MUTANTS_PER_FILE = 40          # 400 in all
TIMEOUT = 20
MEMORY = 2 * GiB
MAX_TIMEOUTS = 4               # stop early rather than spend minutes on hangs


def _regions(path, data):
    """Byte ranges (start, end) of the footer, the page headers and the page data."""
    footer_len = struct.unpack("<I", data[-8:-4])[0]
    footer = (len(data) - 8 - footer_len, len(data) - 8)
    headers, bodies = [], []
    meta = pq.ParquetFile(path).metadata
    for g in range(meta.num_row_groups):
        for c in range(meta.num_columns):
            for page in chunk_pages(path, meta.row_group(g).column(c)):
                start = page["offset"] + page["header_size"]
                headers.append((page["offset"], start))
                if page["compressed_size"]:
                    bodies.append((start, start + page["compressed_size"]))
    return footer, headers, bodies


def _flip_bits(rng, buf, lo, hi, count):
    for _ in range(count):
        i = rng.randrange(lo, hi)
        buf[i] ^= 1 << rng.randrange(8)


def _set_bytes(rng, buf, lo, hi, count):
    for _ in range(count):
        buf[rng.randrange(lo, hi)] = rng.choice([0x00, 0xFF, 0x7F, 0x80, rng.randrange(256)])


def mutants(path, seed):
    """[(name, bytes)]: MUTANTS_PER_FILE deterministic mutants of one file."""
    data = path.read_bytes()
    footer, headers, bodies = _regions(path, data)
    rng = random.Random(seed)

    def truncate_anywhere():
        return data[:rng.randrange(0, len(data))]

    def truncate_in_footer():
        return data[:rng.randrange(footer[0], len(data))]

    def footer_bits():
        buf = bytearray(data)
        _flip_bits(rng, buf, *footer, rng.randint(1, 3))
        return bytes(buf)

    def footer_bytes():
        buf = bytearray(data)
        _set_bytes(rng, buf, *footer, rng.randint(1, 4))
        return bytes(buf)

    def footer_length():
        buf = bytearray(data)
        value = rng.choice([0, 1, 7, 0xFFFFFFFF, 0x7FFFFFFF, len(data), len(data) - 7,
                            footer[1] - footer[0] + rng.randint(-16, 16), rng.getrandbits(32)])
        buf[-8:-4] = struct.pack("<I", value & 0xFFFFFFFF)
        return bytes(buf)

    def header_bits():
        buf = bytearray(data)
        lo, hi = rng.choice(headers)
        _flip_bits(rng, buf, lo, hi, rng.randint(1, 2))
        return bytes(buf)

    def header_bytes():
        buf = bytearray(data)
        lo, hi = rng.choice(headers)
        _set_bytes(rng, buf, lo, hi, rng.randint(1, 3))
        return bytes(buf)

    def data_bits():
        buf = bytearray(data)
        lo, hi = rng.choice(bodies)
        _flip_bits(rng, buf, lo, hi, rng.randint(1, 8))
        return bytes(buf)

    def data_bytes():
        buf = bytearray(data)
        lo, hi = rng.choice(bodies)
        start = rng.randrange(lo, hi)
        n = min(hi - start, rng.randint(1, 16))
        buf[start:start + n] = bytes(rng.choice([0x00, 0xFF, rng.randrange(256)]) for _ in range(n))
        return bytes(buf)

    kinds = [truncate_anywhere, truncate_in_footer, footer_bits, footer_bytes, footer_length,
             header_bits, header_bytes, data_bits, data_bytes]
    out = []
    for k in range(MUTANTS_PER_FILE):
        kind = kinds[k % len(kinds)]
        out.append(("%02d-%s" % (k, kind.__name__), kind()))
    return out


def _judge(run):
    """None when the run behaved, else what went wrong."""
    if run.returncode == 0:
        try:
            result = run.json()
        except (ValueError, UnicodeDecodeError) as e:
            return "exit 0 but stdout is not JSON (%s)" % e
        if not isinstance(result, dict) or "error" in result or "num_rows" not in result:
            return "exit 0 but stdout is not a canonical result: %r" % run.stdout[:200]
        return None
    return error_problem(run)


@pytest.mark.parametrize("rel", SOURCES)
def test_mutants_fail_cleanly(basalt, corpus, rel, tmp_path):
    seed = 1000 + SOURCES.index(rel)
    files = []
    for name, blob in mutants(corpus / rel, seed):
        path = tmp_path / ("%s.parquet" % name)
        path.write_bytes(blob)
        files.append(path)

    problems, timeouts = [], 0
    with ThreadPoolExecutor(max_workers=2) as pool:
        futures = {pool.submit(run_basalt, ["parquet", "cat", f, "--format", "json"],
                               TIMEOUT, MEMORY): f for f in files}
        for fut in as_completed(futures):
            run = fut.result()
            why = _judge(run)
            if why:
                problems.append("%s: %s" % (futures[fut].name, why))
            if run.timed_out:
                timeouts += 1
                if timeouts >= MAX_TIMEOUTS:
                    for other in futures:
                        other.cancel()
                    problems.append("stopped after %d timeouts" % timeouts)
                    break
    assert not problems, "%s (seed %d), mutants kept in %s:\n%s" % (
        rel, seed, tmp_path, "\n".join(sorted(problems)))
