#!/usr/bin/env bash
# Installs the machine's Chromium for the console tests (playwright-core drives it; no browser
# download from a CDN), unless it is already there. Debian's package, as root or through sudo.
set -euo pipefail

CHROMIUM_PATH=${CHROMIUM_PATH:-/usr/bin/chromium}
if [ -x "$CHROMIUM_PATH" ]; then
  echo "Chromium present: $("$CHROMIUM_PATH" --version 2>/dev/null | head -n1)"
  exit 0
fi

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
echo "installing Chromium (apt-get install chromium)"
as_root apt-get update
as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y chromium
"$CHROMIUM_PATH" --version
