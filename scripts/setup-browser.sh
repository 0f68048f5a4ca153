#!/usr/bin/env bash
# Installs the browser the HTML report test drives: Debian's chromium, run headless by
# playwright-core (which never downloads a browser of its own). Quiet when already there.
set -euo pipefail

if [ -x /usr/bin/chromium ]; then
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  SUDO=sudo
else
  SUDO=
fi

echo "setup-browser: installing Debian's chromium" >&2
$SUDO apt-get update -qq
# fonts-dejavu-core: the report's charts need one real font for their text (chromium's own
# dependencies do not promise any).
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >/dev/null

if [ ! -x /usr/bin/chromium ]; then
  echo "setup-browser: apt-get finished but /usr/bin/chromium is missing" >&2
  exit 1
fi
echo "setup-browser: $(/usr/bin/chromium --version 2>/dev/null || echo chromium installed)" >&2
