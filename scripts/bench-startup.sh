#!/usr/bin/env bash
# Start-up of the CLI from the build (dist/) beside bare Node and the sources through tsx,
# measured side by side by hyperfine (apt-get install hyperfine). Figures: bench/README.md,
# "Start-up". Run after `npm run build`; the machine's load average is printed with them.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -f dist/lib/cli.cjs ] || npm run build
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); node $(node --version); load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
hyperfine --warmup 3 --runs "${RUNS:-20}" -N --export-markdown "${OUT:-/dev/null}" --export-json "${JSON:-/dev/null}" \
  -n 'node -e 0' 'node -e 0' \
  -n 'servesim --version (dist)' 'env SERVESIM_DEV=0 node bin/servesim.mjs --version' \
  -n 'servesim list (dist)' 'env SERVESIM_DEV=0 node bin/servesim.mjs list' \
  -n 'servesim run mm4, 1,000 requests (dist)' 'env SERVESIM_DEV=0 node bin/servesim.mjs run mm4 --set stop.requests=1000 --set warmup.requests=0' \
  -n 'servesim --version (checkout, freshness check)' 'node bin/servesim.mjs --version' \
  -n 'servesim --version (sources, tsx)' 'env SERVESIM_DEV=1 node bin/servesim.mjs --version' \
  -n 'servesim list (sources, tsx)' 'env SERVESIM_DEV=1 node bin/servesim.mjs list'
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
