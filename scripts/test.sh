#!/usr/bin/env bash
# Runs every test of the project: unit and integration tests of all crates, the golden
# transcript replay and the kubectl suite against simcluster.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/ensure-tools.sh
export SQLX_OFFLINE=true
# --show-output prints what passing tests printed (the `golden: N passed, M failed` lines).
cargo test --workspace --locked -- --show-output
