#!/usr/bin/env bash
# The whole test suite: XCTest (release build) then the Python integration
# tests in Tests/Integration. Installs what it needs first; safe to run twice.
# Extra arguments go to pytest (e.g. tools/test.sh -k fuzz). The output ends
# with pytest's summary line; the exit status is non-zero if anything failed.
set -euo pipefail
# shellcheck source=tools/lib/setup.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/setup.sh"
cd "$BASALT_ROOT"

ensure_apt_packages
ensure_venv
build_release

BASALT_BIN="${BASALT_BIN:-$BASALT_BIN_DEFAULT}"
PARQUET_TESTING="${PARQUET_TESTING:-$BASALT_ROOT/../shared/parquet-testing}"
[ -d "$PARQUET_TESTING/data" ] ||
    die "Parquet conformance corpus not found at $PARQUET_TESTING (set PARQUET_TESTING)"
PARQUET_TESTING="$(cd "$PARQUET_TESTING" && pwd)"
export BASALT_BIN PARQUET_TESTING
export PYTHONDONTWRITEBYTECODE=1     # no __pycache__ in the work tree

log "swift test -c release --skip-build"
xctest_status=0
swift test -c release --skip-build || xctest_status=$?
if [ "$xctest_status" -ne 0 ]; then
    log "XCTest FAILED (exit $xctest_status); running the integration tests anyway"
fi

log "pytest Tests/Integration (BASALT_BIN=$BASALT_BIN, PARQUET_TESTING=$PARQUET_TESTING)"
pytest_status=0
"$BASALT_ROOT/.venv/bin/python" -m pytest -q Tests/Integration "$@" || pytest_status=$?

# Nothing is printed from here on, so pytest's summary stays the last line.
if [ "$pytest_status" -ne 0 ]; then exit "$pytest_status"; fi
exit "$xctest_status"
