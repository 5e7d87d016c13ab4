#!/usr/bin/env bash
# Makes sure a Chromium for the end-to-end tests exists. Playwright cannot download
# its own browser on these machines, so the tests drive Debian's package.
set -euo pipefail
browser="${CHROMIUM_PATH:-/usr/bin/chromium}"
[ -x "$browser" ] && exit 0

if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "Chromium not found at $browser; installing Debian's chromium package." >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq chromium >/dev/null
  [ -x "$browser" ] && exit 0
fi
echo "error: no Chromium at $browser. Install it (Debian: sudo apt-get install chromium) or set CHROMIUM_PATH." >&2
exit 1
