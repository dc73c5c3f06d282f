#!/usr/bin/env bash
# Basalt's main job on the built-in demo data: builds the release binary
# (installing the system libraries it needs first), generates the demo sales
# lake into .demo-lake/ (once; git ignores it), and answers a few questions
# over it with SQL. Safe to run twice. Until the server exists, `basalt query`
# is the way in; try your own: .build/release/basalt query --lake .demo-lake "SELECT ..."
set -euo pipefail
# shellcheck source=tools/lib/setup.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/setup.sh"
cd "$BASALT_ROOT"

ensure_apt_packages
build_release

lake="$BASALT_ROOT/.demo-lake"
basalt="$BASALT_BIN_DEFAULT"
if [ ! -d "$lake/sales/orders" ]; then
    mkdir -p "$lake"
    log "basalt demo generate --lake .demo-lake"
    "$basalt" demo generate --lake "$lake"
fi

run() {
    log "basalt query --lake .demo-lake \"$1\""
    "$basalt" query --lake "$lake" "$1"
    echo
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
