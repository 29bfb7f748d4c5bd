#!/usr/bin/env bash
# Sets up and runs every test; ends with one line "N passed, N failed" and a non-zero exit on any failure.
# The suite runs twice: on the embedded default (SQLite and local files), then on a PostgreSQL
# server and an S3-compatible server (s3rver) started here on loopback, where every test server
# gets a database and a bucket of its own (MEDIARY_TEST_SKIP_POSTGRES=1 skips that second run).
set -uo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh --test || exit 1
scripts/make-fixtures.sh .fixtures >&2 || { echo "0 passed, 1 failed"; exit 1; }
# npm ci again when package-lock.json changed since the last install (npm writes node_modules/.package-lock.json).
( cd tests/e2e && { [[ node_modules/.package-lock.json -nt package-lock.json ]] || npm ci --no-audit --no-fund --loglevel=error; } ) >&2 || { echo "0 passed, 1 failed"; exit 1; }
# The web app, as scripts/run.sh builds it: the browser tests run the built app.
scripts/build-web.sh || { echo "0 passed, 1 failed"; exit 1; }

results=$(mktemp -d)
postgres_dir=$(mktemp -d)   # its own: the server runs as the postgres user when we are root
s3_dir=$(mktemp -d)
trap 'scripts/postgres-for-tests.sh stop "$postgres_dir"; scripts/s3-for-tests.sh stop "$s3_dir"; rm -rf "$postgres_dir" "$s3_dir"' EXIT

total_passed=0 total_failed=0 status=0
run_suite() { # NAME [--no-build]: runs the suite, adds its trx counters to the totals
  local name=$1; shift
  echo "== tests on $name" >&2
  dotnet test tests/Mediary.Tests -c Release --nologo "$@" \
    --logger "trx;LogFileName=$name.trx" --results-directory "$results" -- RunConfiguration.TestSessionTimeout=3000000 || status=1
  local trx="$results/$name.trx"
  if [[ ! -f "$trx" ]]; then total_failed=$((total_failed + 1)); status=1; return; fi
  local passed failed
  passed=$(grep -o '<Counters [^>]*' "$trx" | grep -o 'passed="[0-9]*"' | grep -o '[0-9]*')
  failed=$(grep -o '<Counters [^>]*' "$trx" | grep -o 'failed="[0-9]*"' | grep -o '[0-9]*')
  echo "== $name: ${passed:-0} passed, ${failed:-0} failed" >&2
  total_passed=$((total_passed + ${passed:-0})) total_failed=$((total_failed + ${failed:-0}))
}

run_suite sqlite
if [[ "${MEDIARY_TEST_SKIP_POSTGRES:-}" != 1 ]]; then
  if server=$(scripts/postgres-for-tests.sh start "$postgres_dir") && bucket=$(scripts/s3-for-tests.sh start "$s3_dir"); then
    MEDIARY_TEST_POSTGRES="$server" MEDIARY_TEST_S3="$bucket" run_suite postgresql --no-build
  else
    echo "could not start PostgreSQL or s3rver for the tests" >&2
    total_failed=$((total_failed + 1)) status=1
  fi
fi

echo "$total_passed passed, $total_failed failed"
if [[ $status -ne 0 || $total_failed -ne 0 ]]; then exit 1; fi
