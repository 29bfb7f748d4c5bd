#!/usr/bin/env bash
# Installs the Debian packages Mediary needs at run time and for its tests, when missing.
# Usage: scripts/install-deps.sh [--test]
set -euo pipefail

# nodejs and npm build the web app (scripts/build-web.sh) for the server too.
packages=(ffmpeg libvips-tools libvips42 poppler-utils nodejs npm)
if [[ "${1:-}" == "--test" ]]; then
  packages+=(libimage-exiftool-perl python3 wrk)
  # The browser tests drive Debian's Chromium through playwright-core; Playwright's own builds are never downloaded.
  packages+=(chromium)
  # The tests also run on a PostgreSQL server they start themselves; any installed version will do.
  compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || packages+=(postgresql)
fi

missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
# node may come from elsewhere than Debian (e.g. preinstalled); only ask apt for it when absent.
if command -v node >/dev/null && command -v npm >/dev/null; then
  filtered=()
  for package in "${missing[@]}"; do [[ "$package" == nodejs || "$package" == npm ]] || filtered+=("$package"); done
  missing=("${filtered[@]}")
fi

if (( ${#missing[@]} > 0 )); then
  echo "Installing: ${missing[*]}" >&2
  SUDO=""; [[ $(id -u) -eq 0 ]] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >&2
fi

command -v dotnet >/dev/null || { echo "The .NET 10 SDK is required: https://learn.microsoft.com/dotnet/core/install/linux-debian" >&2; exit 1; }
