#!/usr/bin/env bash
# Builds the web app into frontend/dist (index.html, favicon, static/ku8portal-<hash>.{js,wasm,css}
# with .br and .gz siblings). The server embeds that folder at compile time (server/build.rs),
# so run this before `cargo build -p ku8portal` to get a binary with the web app (or serve the
# folder without rebuilding the server: KU8PORTAL_WEB_DIR=frontend/dist ku8portal demo).
# Needs the wasm32 target and wasm-bindgen-cli of the Cargo.lock version (scripts/ensure-tools.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
say() { printf '[build-frontend] %s\n' "$*"; }

target_dir=${CARGO_TARGET_DIR:-target}
want=$(scripts/wasm-bindgen-version.sh)
have=$(wasm-bindgen --version 2>/dev/null | awk '{print $2}' || true)
if [[ $have != "$want" ]]; then
    echo "wasm-bindgen $want is needed (found '${have:-none}'): run scripts/ensure-tools.sh" >&2
    exit 1
fi

# KU8PORTAL_WASM_PROFILE=dev builds much faster (and much bigger) while working on the app.
profile=${KU8PORTAL_WASM_PROFILE:-wasm-release}
say "cargo build --target wasm32-unknown-unknown --profile $profile -p frontend"
cargo build --locked --target wasm32-unknown-unknown --profile "$profile" -p frontend
out_dir=$profile
[[ $profile == dev ]] && out_dir=debug

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
wasm-bindgen --target web --no-typescript --remove-name-section --remove-producers-section --out-dir "$work" --out-name ku8portal \
    "$target_dir/wasm32-unknown-unknown/$out_dir/frontend.wasm"

hash() { sha256sum "$1" | cut -c1-16; }
dist=frontend/dist
rm -rf "$dist"
mkdir -p "$dist/static"

wasm="ku8portal-$(hash "$work/ku8portal_bg.wasm").wasm"
cp "$work/ku8portal_bg.wasm" "$dist/static/$wasm"
# The module starts the app itself, from the hashed wasm.
printf '\n__wbg_init({ module_or_path: "/static/%s" });\n' "$wasm" >> "$work/ku8portal.js"
js="ku8portal-$(hash "$work/ku8portal.js").js"
cp "$work/ku8portal.js" "$dist/static/$js"

cat assets/css/*.css > "$work/app.css"
css="ku8portal-$(hash "$work/app.css").css"
cp "$work/app.css" "$dist/static/$css"
cp assets/favicon.svg "$dist/favicon.svg"

sed -e "s/@JS@/$js/g" -e "s/@WASM@/$wasm/g" -e "s/@CSS@/$css/g" frontend/index.html > "$dist/index.html"

# Precompressed copies: the server sends them to browsers that accept them.
for f in "$dist"/index.html "$dist"/favicon.svg "$dist"/static/*; do
    gzip -9 -n -k "$f"
    if command -v brotli >/dev/null; then brotli -q 11 -k "$f"; fi
done

size() { stat -c %s "$1"; }
say "wasm $(size "$dist/static/$wasm") B (br $(size "$dist/static/$wasm.br" 2>/dev/null || echo -) B, gz $(size "$dist/static/$wasm.gz") B), js $(size "$dist/static/$js") B, css $(size "$dist/static/$css") B"
