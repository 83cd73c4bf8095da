#!/usr/bin/env bash
# Browser tests: Playwright (e2e/package.json, pinned) driving Debian's Chromium against a
# `ku8portal demo` on free ports with its own data folder (e2e/global-setup.js). Needs the web
# app built into the binary: scripts/build-frontend.sh, then cargo build -p ku8portal (this
# script does the build unless KU8PORTAL_BIN names a binary). Screenshots land in e2e/screenshots.
set -euo pipefail
cd "$(dirname "$0")/.."
say() { printf '[e2e] %s\n' "$*"; }
export SQLX_OFFLINE=true
if [[ -z ${KU8PORTAL_BIN:-} ]]; then
    cargo build --locked -p ku8portal
    export KU8PORTAL_BIN="${CARGO_TARGET_DIR:-$PWD/target}/debug/ku8portal"
fi
cd e2e
if [[ ! -d node_modules/@playwright/test ]]; then
    say "npm ci (Playwright; no browser download: Debian's Chromium is used)"
    PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund
fi
rm -rf screenshots
npx --no-install playwright test "$@"
