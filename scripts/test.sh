#!/usr/bin/env bash
# Sets up and runs every test; ends with one line "N passed, N failed" and a non-zero exit on any failure.
set -uo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh --test || exit 1
scripts/make-fixtures.sh .fixtures >&2 || { echo "0 passed, 1 failed"; exit 1; }
( cd tests/e2e && { [[ -d node_modules ]] || npm ci --no-audit --no-fund --loglevel=error; } ) >&2 || { echo "0 passed, 1 failed"; exit 1; }

results=$(mktemp -d)
dotnet test tests/Mediary.Tests -c Release --nologo \
  --logger "trx;LogFileName=results.trx" --results-directory "$results" -- RunConfiguration.TestSessionTimeout=3000000
status=$?

trx="$results/results.trx"
if [[ ! -f "$trx" ]]; then
  echo "0 passed, 1 failed"
  exit 1
fi
passed=$(grep -o '<Counters [^>]*' "$trx" | grep -o 'passed="[0-9]*"' | grep -o '[0-9]*')
failed=$(grep -o '<Counters [^>]*' "$trx" | grep -o 'failed="[0-9]*"' | grep -o '[0-9]*')
echo "${passed:-0} passed, ${failed:-0} failed"
if [[ $status -ne 0 || ${failed:-0} -ne 0 ]]; then exit 1; fi
