#!/usr/bin/env bash
# Runs every test of the project: unit and integration tests of all crates, the golden
# transcript replay and the kubectl suite against simcluster, then the browser tests of the
# web app (built first, so the server binary embeds it).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/ensure-tools.sh
export SQLX_OFFLINE=true
scripts/build-frontend.sh
# --show-output prints what passing tests printed (the `golden: N passed, M failed` lines).
cargo test --workspace --locked -- --show-output
scripts/e2e.sh
