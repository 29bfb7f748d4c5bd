#!/usr/bin/env bash
# Sets up and runs Mediary on the embedded default (SQLite + local files in ./data).
# Extra arguments go to `serve`, e.g. scripts/run.sh --urls http://0.0.0.0:8080
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build-web.sh
dotnet build src/Mediary -c Release -v quiet -nologo >&2
exec dotnet src/Mediary/bin/Release/net10.0/Mediary.dll serve "$@"
