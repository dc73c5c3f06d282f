#!/usr/bin/env bash
# Basalt's main job on the built-in demo data: builds the release binary
# (installing the system libraries it needs first), generates the demo sales
# lake into .demo-lake/ (once; git ignores it), starts the PostgreSQL-protocol
# server on it, answers a few questions through psql, and keeps serving until
# Ctrl-C. Safe to run twice. BASALT_PORT (default 5433) and
# BASALT_ADMIN_PASSWORD (default: a random one, kept in .demo-lake/_basalt/) change
# how to connect; the connect command is printed.
set -euo pipefail
# shellcheck source=tools/lib/setup.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/setup.sh"
cd "$BASALT_ROOT"

ensure_apt_packages
build_release

lake="$BASALT_ROOT/.demo-lake"
basalt="$BASALT_BIN_DEFAULT"
port="${BASALT_PORT:-5433}"
if [ ! -d "$lake/sales/orders" ]; then
    mkdir -p "$lake"
    log "basalt demo generate --lake .demo-lake"
    "$basalt" demo generate --lake "$lake"
fi
password_file="$lake/_basalt/demo-admin-password"
if [ -n "${BASALT_ADMIN_PASSWORD:-}" ]; then
    password="$BASALT_ADMIN_PASSWORD"
elif [ -s "$password_file" ]; then
    password="$(cat "$password_file")"
else
    password="$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')"
    mkdir -p "$lake/_basalt"
    (umask 077 && printf '%s' "$password" > "$password_file")
fi

log "basalt serve --lake .demo-lake --port $port"
"$basalt" serve --lake "$lake" --port "$port" --http-port none --query-log off --admin-password "$password" --policy "$BASALT_ROOT/tools/demo-policy.yaml" &
server=$!
trap 'kill "$server" 2>/dev/null; wait "$server" 2>/dev/null' EXIT
export PGHOST=127.0.0.1 PGPORT="$port" PGDATABASE=basalt PGUSER=admin PGPASSWORD="$password" PGSSLMODE=disable
for _ in $(seq 100); do
    pg_isready -q && break
    kill -0 "$server" 2>/dev/null || die "basalt serve exited (is port $port free? set BASALT_PORT)"
    sleep 0.1
done

run() {
    log "psql -c \"$1\""
    psql -X -c "$1"
}

run "SELECT region, year, count(*) AS lines, sum(revenue) AS revenue
     FROM sales.orders WHERE status <> 'Cancelled'
     GROUP BY region, year ORDER BY region, year"
run "SELECT p.category, p.name, sum(o.quantity) AS units, sum(o.revenue) AS revenue
     FROM sales.orders o JOIN sales.products p USING (product_id)
     WHERE o.year = 2024
     GROUP BY p.category, p.name ORDER BY revenue DESC LIMIT 5"
run "SELECT channel, round(avg(discount) * 100, 1) AS avg_discount_pct,
            rank() OVER (ORDER BY sum(revenue) DESC) AS rank_by_revenue
     FROM sales.orders GROUP BY channel ORDER BY 3"
# One month of orders: the scan reads one partition of 36 (see "files:").
run "EXPLAIN ANALYZE SELECT count(*), sum(revenue) FROM sales.orders WHERE year = 2023 AND month = 11"

cat <<EOF

Basalt is serving the demo lake on 127.0.0.1:$port (database "basalt"). Connect with:
    PGPASSWORD=$password psql "host=127.0.0.1 port=$port dbname=basalt user=admin"
Try \\dt sales.*  or  \\d sales.orders.  Ctrl-C stops the server.
EOF
wait "$server"
