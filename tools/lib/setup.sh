# shellcheck shell=bash
# Set-up shared by tools/demo.sh and tools/test.sh (sourced, not run).
#
# Every function is safe to run twice: it checks first and only installs what
# is missing. Works on Debian 12 with the Swift toolchain, git and Python 3;
# as root (CI) or as a user with sudo.

BASALT_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
export BASALT_ROOT

# System libraries the codec shims (Sources/CShims) and GRDB (SQLite) link against.
# postgresql-client: psql and pgbench; the JDBC driver and a JDK: the pgJDBC test and its tiny Java program.
BASALT_APT_PACKAGES=(libsnappy-dev libzstd-dev zlib1g-dev liblz4-dev libbrotli-dev libsqlite3-dev
    postgresql-client-15 libpostgresql-jdbc-java openjdk-17-jdk-headless)

log() { printf '==> %s\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# Runs a command as root: directly when we are root, else through sudo.
as_root() {
    if [ "$(id -u)" -eq 0 ]; then
        "$@"
    elif command -v sudo >/dev/null 2>&1; then
        sudo "$@"
    else
        die "need root to run: $* (install sudo or run as root)"
    fi
}

ensure_apt_packages() {
    local missing=() pkg
    for pkg in "${BASALT_APT_PACKAGES[@]}"; do
        dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
    done
    # `python3 -m venv` needs ensurepip, which Debian ships separately.
    if ! python3 -c 'import ensurepip, venv' >/dev/null 2>&1; then
        missing+=(python3-venv)
    fi
    if [ "${#missing[@]}" -eq 0 ]; then
        return 0
    fi
    log "installing system packages: ${missing[*]}"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
}

ensure_swift() {
    if ! command -v swift >/dev/null 2>&1; then
        if [ -x /opt/swift/usr/bin/swift ]; then
            PATH="/opt/swift/usr/bin:$PATH"
            export PATH
        else
            die "swift not found on PATH (install the Swift 6 toolchain from swift.org)"
        fi
    fi
}

# .venv in the repository (gitignored) with tools/requirements.txt installed.
# pip runs only when the stamp differs from the requirements file.
ensure_venv() {
    local venv="$BASALT_ROOT/.venv"
    local req="$BASALT_ROOT/tools/requirements.txt"
    local stamp="$venv/.basalt-stamp"
    if [ -x "$venv/bin/python" ] && "$venv/bin/python" -c 'import sys' >/dev/null 2>&1; then
        if cmp -s "$req" "$stamp"; then
            return 0
        fi
    else
        log "creating Python virtual environment in .venv"
        rm -rf "$venv"
        python3 -m venv "$venv" || die "python3 -m venv failed (on Debian: apt-get install python3-venv)"
    fi
    log "installing Python packages from tools/requirements.txt"
    rm -f "$stamp"
    "$venv/bin/python" -m pip install --disable-pip-version-check -q -r "$req"
    cp "$req" "$stamp"
}

# One release build shared by the CLI and the XCTest suites (the tests use
# only public API, so no -enable-testing / debug build is needed).
build_release() {
    ensure_swift
    log "swift build -c release --build-tests"
    (cd "$BASALT_ROOT" && swift build -c release --build-tests)
}

export BASALT_BIN_DEFAULT="$BASALT_ROOT/.build/release/basalt"
