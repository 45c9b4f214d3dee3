#!/bin/sh
# Runs syncledger's main job on its embedded default, a SQLite file (./ledger.sqlite):
# creates a ledger, ingests a small sample history, lists it and verifies the chain.
set -eu
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
swift build -c release --product syncledger >/dev/null
bin="$(swift build -c release --show-bin-path)/syncledger"
export SYNCLEDGER_LEDGER="${SYNCLEDGER_LEDGER:-$root/ledger.sqlite}"
if [ ! -s "$SYNCLEDGER_LEDGER" ]; then
    "$bin" init --tenant contoso --mode profile-sync --actor admin:setup
fi
"$bin" ingest Tools/samples/history.ndjson
"$bin" log --format table
"$bin" verify
echo "ledger: $SYNCLEDGER_LEDGER (open it with: sqlite3 $SYNCLEDGER_LEDGER 'SELECT seq, stream, type, actor FROM events')"
