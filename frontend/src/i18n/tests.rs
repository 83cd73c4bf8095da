//! Every key the app uses exists, in both languages, with the same placeholders.

use std::collections::BTreeSet;
use std::path::Path;

use super::*;

fn placeholders(s: &str) -> BTreeSet<&str> {
    s.split('{')
        .skip(1)
        .filter_map(|p| p.split_once('}'))
        .map(|(n, _)| n)
        .collect()
}

#[test]
fn tables_are_complete() {
    let mut seen = BTreeSet::new();
    for (key, en, zh) in TABLES.iter().flat_map(|t| t.iter()) {
        assert!(seen.insert(*key), "duplicate key {key}");
        assert!(!en.is_empty() && !zh.is_empty(), "{key} is empty");
        assert_eq!(placeholders(en), placeholders(zh), "placeholders of {key}");
        assert!(
            zh.chars().any(|c| c > '\u{2E80}') || en == zh,
            "{key}: not translated: {zh}"
        );
    }
}

fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// Keys are used as `t("key")`, `tr("key")`, `trf("key", ..)`, `set_title("key")` in the app.
#[test]
fn every_used_key_exists() {
    let mut files = Vec::new();
    rust_files(
        Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/src/app")),
        &mut files,
    );
    assert!(files.len() > 5, "app sources not found");
    let mut missing = Vec::new();
    let mut used = 0;
    for f in files {
        let src = std::fs::read_to_string(&f).unwrap();
        for marker in ["t(\"", "tr(\"", "trf(\"", "set_title(\"", "stat(\""] {
            for (at, _) in src.match_indices(marker) {
                let prev = src[..at].chars().last().unwrap_or(' ');
                if prev.is_alphanumeric() || prev == '_' {
                    continue;
                }
                let rest = &src[at + marker.len()..];
                let key = &rest[..rest.find('"').unwrap()];
                used += 1;
                if lookup(Lang::En, key).is_none() {
                    missing.push(format!("{}: {key}", f.display()));
                }
            }
        }
    }
    assert!(used > 50, "only {used} translated strings found");
    assert!(
        missing.is_empty(),
        "keys without translations:\n{}",
        missing.join("\n")
    );
}

#[test]
fn fill_replaces_placeholders() {
    assert_eq!(fill("try in {n} s", &[("n", "5")]), "try in 5 s");
    assert_eq!(Lang::parse(Lang::Zh.code()), Some(Lang::Zh));
}
