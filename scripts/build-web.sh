#!/usr/bin/env bash
# Builds the web app (web/) into web/dist, which the server's build copies beside it as webapp/:
# npm ci when web/package-lock.json changed since the last install, a type check (tsc, strict), then
# esbuild (web/build.mjs), which bundles without checking types.
set -euo pipefail
cd "$(dirname "$0")/../web"
[[ node_modules/.package-lock.json -nt package-lock.json ]] || npm ci --no-audit --no-fund --loglevel=error >&2
node_modules/.bin/tsc -p . >&2
node build.mjs >&2
