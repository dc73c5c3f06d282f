#!/usr/bin/env bash
# Starts the local PostgreSQL used as the reference for the sqllogictest
# expected results (a developer tool: CI never needs it, the results are
# committed). Safe to run twice. On Debian 12:
#   - installs the `postgresql` package when psql or the server is missing;
#   - starts the first cluster pg_lsclusters lists (normally 15/main);
#   - gives the current OS user a superuser role of the same name, so psql
#     connects over the Unix socket with peer authentication and no password.
# With PGHOST/PGPORT/PGUSER pointing at another server, nothing here is needed.
set -euo pipefail

log() { printf '==> %s\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"
    elif command -v sudo >/dev/null 2>&1; then sudo "$@"
    else die "need root to run: $*"; fi
}

as_postgres() {
    if [ "$(id -u)" -eq 0 ]; then su postgres -c "$*"
    else sudo -u postgres sh -c "$*"; fi
}

if ! command -v pg_lsclusters >/dev/null 2>&1 || ! command -v psql >/dev/null 2>&1; then
    log "installing postgresql (Debian package)"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql
fi

read -r version cluster status < <(pg_lsclusters --no-header | awk 'NR == 1 { print $1, $2, $4 }')
[ -n "${version:-}" ] || die "no PostgreSQL cluster (pg_createcluster 15 main --start)"
if [ "$status" != "online" ]; then
    log "starting PostgreSQL cluster $version/$cluster"
    as_root pg_ctlcluster "$version" "$cluster" start
fi

me="$(id -un)"
if [ "$me" != postgres ]; then
    exists="$(as_postgres "psql -XAtq -d postgres -c \"SELECT 1 FROM pg_roles WHERE rolname = '$me'\"")"
    if [ "$exists" != 1 ]; then
        log "creating PostgreSQL superuser role $me"
        as_postgres "createuser --superuser '$me'"
    fi
fi
pg_isready -q -d postgres || die "PostgreSQL is not accepting connections"
log "PostgreSQL $version/$cluster is up"
