#!/usr/bin/env bash
# Fuzzes every importer (NDJSON, CSV, SCIM, LDIF, Graph delta) and the ack parser for a time
# budget, with seeded mutations of valid documents (Tests/SyncLedgerTestSupport/Mutator.swift).
#
# Usage: Tools/fuzz.sh [SECONDS] [SEED]   (default 60 s per target, seed from the clock)
# An input that crashes the test process or fails a check is kept under Tools/fuzz-corpus/FORMAT/,
# where `swift test` replays it forever after (FuzzTests.corpus); commit it with its fix.
# Then every corpus file runs through the built binary: exit 0 or 65, never a crash.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
seconds="${1:-60}"
seed="${2:-$(date +%s)}"
work="$(mktemp -d "${TMPDIR:-/tmp}/syncledger-fuzz.XXXXXX")"
trap 'rm -rf "$work"' EXIT

echo "fuzz: $seconds s per target, seed $seed"
status=0
SYNCLEDGER_FUZZ_SECONDS="$seconds" SYNCLEDGER_FUZZ_SEED="$seed" SYNCLEDGER_FUZZ_WORK="$work" \
    swift test --filter 'FuzzTests/mutations|AckFuzzTests' 2>&1 | tee "$work/log" | grep -E '^fuzz |✘|error:' || true
if grep -q '✘\|error: Exited with\|Fatal error' "$work/log"; then
    status=1
    # A crash leaves the input being run as current-FORMAT.input: keep it in the corpus.
    for input in "$work"/current-*.input; do
        [ -e "$input" ] || continue
        format="${input##*/current-}"
        format="${format%.input}"
        mkdir -p "Tools/fuzz-corpus/$format"
        cp "$input" "Tools/fuzz-corpus/$format/crash-$seed.input"
        echo "fuzz: kept Tools/fuzz-corpus/$format/crash-$seed.input (the last input run; a crash is in it or after it)"
    done
fi

bin="$(swift build --show-bin-path)/syncledger"
ledger="$work/ledger.sqlite"
"$bin" init --ledger "$ledger" --tenant contoso --mode universal-sync >/dev/null
for file in Tools/fuzz-corpus/*/*; do
    format="$(basename "$(dirname "$file")")"
    extra=()
    [ "$format" = csv ] && extra=(--kind users)
    code=0
    "$bin" ingest --ledger "$ledger" --dry-run --format "$format" "${extra[@]}" "$file" >/dev/null 2>"$work/err" || code=$?
    if [ "$code" != 0 ] && [ "$code" != 65 ]; then
        echo "fuzz: $file exits $code through the binary: $(head -c 300 "$work/err")"
        status=1
    fi
done
echo "fuzz: corpus of $(ls Tools/fuzz-corpus/*/* | wc -l) inputs replayed through the binary"
exit $status
