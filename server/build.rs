//! Build script. Rebuilds when a migration is added or changed (`sqlx::migrate!` embeds the
//! `migrations/` folder at compile time and cargo does not track it otherwise). Embeds the
//! built web app (`frontend/dist`, made by `scripts/build-frontend.sh`) into the binary:
//! generates `$OUT_DIR/web_assets.rs`, a table of `include_bytes!` for every file with its
//! precompressed `.br`/`.gz` siblings. Without a dist folder the table is empty and the server
//! explains how to build the web app.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::{env, fs};

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            files(&path, out);
        } else if !matches!(path.extension().and_then(|e| e.to_str()), Some("gz" | "br")) {
            out.push(path);
        }
    }
}

fn sibling(path: &Path, ext: &str) -> String {
    let mut s = path.as_os_str().to_owned();
    s.push(ext);
    let p = PathBuf::from(s);
    if p.is_file() {
        format!("Some(include_bytes!({:?}))", p.display().to_string())
    } else {
        "None".into()
    }
}

fn main() {
    println!("cargo:rerun-if-changed=../migrations");
    let manifest = PathBuf::from(env::var("CARGO_MANIFEST_DIR").expect("CARGO_MANIFEST_DIR"));
    let frontend = manifest.join("../frontend");
    let dist = frontend.join("dist");
    let mut code = String::from(
        "/// The built web app (empty when it was not built).\npub static FILES: &[Asset] = &[\n",
    );
    if dist.join("index.html").is_file() {
        println!("cargo:rerun-if-changed={}", dist.display());
        let mut all = Vec::new();
        files(&dist, &mut all);
        all.sort();
        for path in all {
            let rel = path.strip_prefix(&dist).expect("inside dist");
            let rel = rel.to_string_lossy().replace('\\', "/");
            writeln!(
                code,
                "    Asset {{ path: {rel:?}, body: include_bytes!({:?}), br: {}, gzip: {} }},",
                path.display().to_string(),
                sibling(&path, ".br"),
                sibling(&path, ".gz"),
            )
            .expect("write to string");
        }
    } else {
        // Rebuild once the web app appears.
        println!("cargo:rerun-if-changed={}", frontend.display());
    }
    code.push_str("];\n");
    let out = PathBuf::from(env::var("OUT_DIR").expect("OUT_DIR")).join("web_assets.rs");
    fs::write(out, code).expect("write web_assets.rs");
}
