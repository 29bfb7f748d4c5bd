#!/usr/bin/env bash
# Starts a throwaway PostgreSQL server for the tests on a free loopback port and prints its
# connection string (without a database: each test server creates its own).
# Usage: scripts/postgres-for-tests.sh start DIR   |   scripts/postgres-for-tests.sh stop DIR
set -euo pipefail
action=$1 dir=$2

pgbin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[[ -n "$pgbin" && -x "$pgbin/initdb" ]] || { echo "PostgreSQL is not installed (scripts/install-deps.sh --test installs it)" >&2; exit 1; }

# initdb refuses to run as root: run the server as the postgres user then.
as_owner() { if [[ $(id -u) -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi; }

case "$action" in
  start)
    mkdir -p "$dir"
    [[ $(id -u) -eq 0 ]] && chown postgres:postgres "$dir"
    port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    as_owner "$pgbin/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
      || { cat "$dir/initdb.log" >&2; exit 1; }
    # fsync off: a test database need not survive a power cut. Enough connections for parallel test servers.
    as_owner "$pgbin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
      -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off -c synchronous_commit=off -c max_connections=400" start >/dev/null \
      || { cat "$dir/server.log" >&2; exit 1; }
    echo "Host=127.0.0.1;Port=$port;Username=postgres"
    ;;
  stop)
    [[ -d "$dir/data" ]] && as_owner "$pgbin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
    ;;
esac
