#!/usr/bin/env bash
# Limits: a 1 GB line and a 10 GB file (sparse, nothing written to disk) through
# `syncledger ingest`, with peak RSS from /usr/bin/time -v. Each must exit 65 with a clear
# error, in bounded memory. Usage: Tools/limits.sh  (binary: $SYNCLEDGER_BINARY, else the debug build)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
bin="${SYNCLEDGER_BINARY:-$(cd "$root" && swift build --show-bin-path)/syncledger}"
work="$(mktemp -d "${TMPDIR:-/tmp}/syncledger-limits.XXXXXX")"
trap 'rm -rf "$work"' EXIT
"$bin" init --ledger "$work/l.sqlite" --tenant contoso --mode profile-sync >/dev/null
measure() {  # LABEL COMMAND: runs it under /usr/bin/time -v, prints exit, seconds, peak RSS, error
    local label="$1"; shift
    local start=$(date +%s%N) code=0
    /usr/bin/time -v "$@" >/dev/null 2>"$work/err" || code=$?
    local rss=$(grep "Maximum resident" "$work/err" | awk '{print $NF}')
    echo "$label: exit $code, $(( ($(date +%s%N) - start) / 1000000 )) ms, peak RSS ${rss} kB: $(grep '^syncledger' "$work/err")"
}
truncate -s 10G "$work/ten.ndjson"   # sparse: one 10 GB line of NULs
measure "1 GB line on stdin" sh -c "head -c 1073741824 /dev/zero | tr '\\000' 'a' | '$bin' ingest --ledger '$work/l.sqlite' -"
measure "10 GB file" "$bin" ingest --ledger "$work/l.sqlite" "$work/ten.ndjson"
python3 -c "print('{\"type\":\"UserCreated\",\"object\":\"user:QQ\",\"data\":' + '['*900000)" >"$work/deep.ndjson"
measure "JSON nested 900000 deep" "$bin" ingest --ledger "$work/l.sqlite" "$work/deep.ndjson"
"$bin" verify --ledger "$work/l.sqlite"
