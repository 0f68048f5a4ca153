#!/usr/bin/env bash
# Installs the browser the HTML report and playground tests drive: Debian's chromium, run
# headless by playwright-core (which never downloads a browser of its own). Quiet when
# already there. When another apt or dpkg process holds the package locks (an unattended
# upgrade, a parallel setup), it waits for them, for at most SETUP_BROWSER_WAIT seconds
# (default 600), saying so, instead of failing at once.
set -euo pipefail

if [ -x /usr/bin/chromium ]; then
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  SUDO=sudo
else
  SUDO=
fi

WAIT=${SETUP_BROWSER_WAIT:-600}
deadline=$(( $(date +%s) + WAIT ))

# Runs an apt-get command, retrying while another process holds a lock it needs.
# DPkg::Lock::Timeout covers dpkg's lock; `apt-get update`'s list lock is not covered by
# it on every apt version, hence the retry on apt's "Could not get lock" message.
apt_retry() {
  local log
  log=$(mktemp)
  while true; do
    if DEBIAN_FRONTEND=noninteractive $SUDO apt-get -o DPkg::Lock::Timeout="$WAIT" "$@" >"$log" 2>&1; then
      rm -f "$log"
      return 0
    fi
    if grep -qiE 'could not get lock|unable to acquire|is another process using it' "$log" && [ "$(date +%s)" -lt "$deadline" ]; then
      echo "setup-browser: another apt/dpkg process holds the package lock; waiting (up to ${WAIT}s in all)" >&2
      sleep 5
      continue
    fi
    cat "$log" >&2
    rm -f "$log"
    return 1
  done
}

echo "setup-browser: installing Debian's chromium (apt-get update, then install; about a minute)" >&2
apt_retry update -qq
# fonts-dejavu-core: the report's charts need one real font for their text (chromium's own
# dependencies do not promise any).
apt_retry install -y -qq --no-install-recommends chromium fonts-dejavu-core

if [ ! -x /usr/bin/chromium ]; then
  echo "setup-browser: apt-get finished but /usr/bin/chromium is missing" >&2
  exit 1
fi
echo "setup-browser: $(/usr/bin/chromium --version 2>/dev/null || echo chromium installed)" >&2
