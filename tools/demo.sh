#!/usr/bin/env bash
# Basalt on the built-in demo data: builds the release binary (installing the
# system libraries it needs first), then inspects and prints the demo orders.
# Safe to run twice.
set -euo pipefail
# shellcheck source=tools/lib/setup.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/setup.sh"
cd "$BASALT_ROOT"

ensure_apt_packages
build_release

demo=Fixtures/parquet/demo_orders.parquet
log "basalt parquet inspect $demo"
"$BASALT_BIN_DEFAULT" parquet inspect "$demo"
echo
log "basalt parquet cat $demo --format table"
"$BASALT_BIN_DEFAULT" parquet cat "$demo" --format table
