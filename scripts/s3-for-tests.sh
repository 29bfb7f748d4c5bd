#!/usr/bin/env bash
# Starts s3rver (an S3-compatible server, npm) for the tests on a free loopback port and prints
# its URL (every test server creates a bucket of its own). Usage: scripts/s3-for-tests.sh start DIR | stop DIR
set -euo pipefail
action=$1 dir=$2
cd "$(dirname "$0")/.."
case "$action" in
  start)
    mkdir -p "$dir/data"
    port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    node tests/e2e/node_modules/s3rver/bin/s3rver.js -d "$dir/data" -a 127.0.0.1 -p "$port" \
      >"$dir/s3rver.log" 2>&1 &
    echo $! >"$dir/pid"
    for _ in $(seq 1 100); do
      if curl -s -o /dev/null "http://127.0.0.1:$port/"; then echo "http://127.0.0.1:$port"; exit 0; fi
      sleep 0.1
    done
    cat "$dir/s3rver.log" >&2
    exit 1
    ;;
  stop)
    [[ -f "$dir/pid" ]] && kill "$(cat "$dir/pid")" 2>/dev/null || true
    ;;
esac
