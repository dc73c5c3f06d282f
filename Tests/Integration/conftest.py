"""Fixtures shared by the integration suites. Nothing is skipped when the
binary or the corpus is missing: those are set-up errors and fail loudly."""
import os

import pytest

from basalt_support import basalt_bin, corpus_root, corpus_files


@pytest.fixture(scope="session")
def basalt():
    """Absolute path of the `basalt` binary under test."""
    path = basalt_bin()
    if not path.is_file() or not os.access(path, os.X_OK):
        pytest.fail("basalt binary not found or not executable at %s "
                    "(build it with `swift build -c release` or set BASALT_BIN)" % path,
                    pytrace=False)
    return path


@pytest.fixture(scope="session", autouse=True)
def _require_basalt(basalt):
    """Every test runs the binary, directly or through a fixture: check it once."""


@pytest.fixture(scope="session")
def corpus():
    """Root of the Parquet conformance corpus (PARQUET_TESTING)."""
    root = corpus_root()
    if not (root / "data").is_dir() or not (root / "check.py").is_file():
        pytest.fail("Parquet conformance corpus not found at %s (set PARQUET_TESTING)" % root,
                    pytrace=False)
    return root


@pytest.fixture(scope="session")
def corpus_list(corpus):
    """Relative paths of every Parquet file in the corpus."""
    return corpus_files()


# Memory cap for reading a corpus file. data/large_string_map.brotli.parquet
# legitimately holds two 1 GiB strings in one column chunk (2 GiB decompressed
# plus the decoded values), so the cap leaves room for that.
CONFORMANCE_MEM = int(float(os.environ.get("BASALT_TEST_MEM_GIB", "8")) * (1 << 30))
CONFORMANCE_TIMEOUT = 60


@pytest.fixture(scope="session")
def conformance(basalt, corpus, corpus_list, tmp_path_factory):
    """Runs `basalt parquet cat F --format json` on every corpus file (two at a
    time) and lays the outputs out as the corpus's check.py expects: OUT/<rel>.json,
    or OUT/<rel>.rc holding the exit status after a timeout or crash.
    Returns (OUT, {rel: Run})."""
    from concurrent.futures import ThreadPoolExecutor
    from basalt_support import run_basalt

    out = tmp_path_factory.mktemp("conformance")

    def one(rel):
        run = run_basalt(["parquet", "cat", corpus / rel, "--format", "json"],
                         timeout=CONFORMANCE_TIMEOUT, mem_bytes=CONFORMANCE_MEM)
        dest = out / rel
        dest.parent.mkdir(parents=True, exist_ok=True)
        if run.crashed:
            (dest.parent / (dest.name + ".rc")).write_text("%d\n" % run.returncode)
        else:
            (dest.parent / (dest.name + ".json")).write_bytes(run.stdout)
        return rel, run

    # The biggest file first so it does not end up running alone at the end.
    order = sorted(corpus_list, key=lambda r: -(corpus / r).stat().st_size)
    with ThreadPoolExecutor(max_workers=2) as pool:
        runs = dict(pool.map(one, order))
    return out, runs
