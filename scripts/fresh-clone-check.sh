#!/usr/bin/env bash
# The repository on its own: clones the committed HEAD into a temporary folder with no
# shared/ data folder beside it (nor anything else of this machine's checkout), installs with
# `npm ci`, then runs the suites that need no browser and `npm run docs -- --check`
# there. A test, example or document that reads a file outside the repository fails here.
# CI runs it after `npm test` (.ci/run); run it by hand with `npm run test:fresh-clone`.
set -euo pipefail
src="$(cd "$(dirname "$0")/.." && pwd)"
tmp="$(mktemp -d "${TMPDIR:-/tmp}/servesim-fresh-XXXXXX")"
trap 'rm -rf "$tmp"' EXIT
git clone --quiet --no-hardlinks "$src" "$tmp/servesim"
cd "$tmp/servesim"
if [ -e "$tmp/shared" ]; then echo "fresh-clone-check: $tmp/shared exists; the check needs a folder without it" >&2; exit 1; fi
echo "fresh-clone-check: $(git log -1 --format='%h %s' | cut -c1-72) in $tmp/servesim" >&2
npm ci --no-audit --no-fund --loglevel=error
npx tsc --noEmit
npx vitest run --exclude 'test/playground/**' --exclude 'test/report/html.test.ts' --exclude 'test/report/cli-report.test.ts' --exclude 'test/package/consumer.test.ts'
npm run --silent docs -- --check
echo "fresh-clone-check: passed with nothing beside the clone" >&2
