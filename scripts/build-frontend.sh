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
app="$work/app"
mkdir -p "$app"
# Code splitting: every lazily loaded route (frontend/src/app/routes.rs) becomes its own chunk,
# loaded by __wasm_split.js when first needed. The wasm is linked with --emit-relocs
# (.cargo/config.toml) so that wasm-split-cli can move functions; the main module it leaves is
# what wasm-bindgen then processes.
wasm-split-cli --target web --out-name ku8portal \
    "$target_dir/wasm32-unknown-unknown/$out_dir/frontend.wasm" "$app" >/dev/null
mv "$app/ku8portal.wasm" "$work/main.wasm"
# The chunks keep the input's custom sections (3.7 MB of function names); nothing reads them.
python3 scripts/wasm-strip.py "$app"/*.wasm
wasm-bindgen --target web --no-typescript --keep-lld-exports --remove-name-section --remove-producers-section --out-dir "$app" --out-name ku8portal \
    "$work/main.wasm"

hash() { sha256sum "$1" | cut -c1-16; }
dist=frontend/dist
rm -rf "$dist"
mkdir -p "$dist/static"

# The module starts the app itself. All of it sits in one folder named by the hash of its
# contents (the chunks find each other by relative names).
printf '\n__wbg_init({ module_or_path: new URL("ku8portal_bg.wasm", import.meta.url) });\n' >> "$app/ku8portal.js"
dir="app-$(cat "$app"/* | sha256sum | cut -c1-16)"
cp -r "$app" "$dist/static/$dir"
js="$dir/ku8portal.js"
wasm="$dir/ku8portal_bg.wasm"

cat assets/css/*.css > "$work/app.css"
css="ku8portal-$(hash "$work/app.css").css"
cp "$work/app.css" "$dist/static/$css"
cp assets/favicon.svg "$dist/favicon.svg"

sed -e "s#@JS@#$js#g" -e "s#@WASM@#$wasm#g" -e "s#@CSS@#$css#g" frontend/index.html > "$dist/index.html"

# Precompressed copies: the server sends them to browsers that accept them.
for f in "$dist"/index.html "$dist"/favicon.svg "$dist"/static/*.css "$dist"/static/"$dir"/*; do
    gzip -9 -n -k "$f"
    if command -v brotli >/dev/null; then brotli -q 11 -k "$f"; fi
done

size() { stat -c %s "$1"; }
say "main wasm $(size "$dist/static/$wasm") B (br $(size "$dist/static/$wasm.br" 2>/dev/null || echo -) B, gz $(size "$dist/static/$wasm.gz") B), js $(size "$dist/static/$js") B, css $(size "$dist/static/$css") B"
chunks=("$dist/static/$dir"/*.wasm)
say "$((${#chunks[@]} - 1)) lazily loaded chunks, $(cat "${chunks[@]}" | wc -c) B in all with the main module"
