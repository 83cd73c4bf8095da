//! Finding the PostgreSQL server binaries (`postgres`, `initdb`) on this machine.

use std::path::{Path, PathBuf};
use std::process::Command;

use super::EmbeddedError;

/// The directory holding the `postgres` and `initdb` binaries: `pg_config --bindir` when it has
/// them, else the first `PATH` entry that does, else the newest `/usr/lib/postgresql/<version>/bin`
/// (Debian/Ubuntu, whose `PATH` holds only wrappers).
pub fn find_bindir() -> Result<PathBuf, EmbeddedError> {
    pick_bindir(&candidates())
}

/// The first candidate directory that holds both `postgres` and `initdb`; the error names every
/// place searched and what to install.
pub fn pick_bindir(candidates: &[PathBuf]) -> Result<PathBuf, EmbeddedError> {
    candidates
        .iter()
        .find(|dir| is_server_bindir(dir))
        .cloned()
        .ok_or_else(|| EmbeddedError::NoBinaries {
            searched: if candidates.is_empty() {
                "nowhere: no pg_config, PATH or /usr/lib/postgresql".to_string()
            } else {
                candidates
                    .iter()
                    .map(|d| d.display().to_string())
                    .collect::<Vec<_>>()
                    .join(", ")
            },
        })
}

fn is_server_bindir(dir: &Path) -> bool {
    ["postgres", "initdb"]
        .iter()
        .all(|bin| is_executable(&dir.join(bin)))
}

pub(crate) fn is_executable(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}

/// Where to look, in order of preference, without duplicates.
fn candidates() -> Vec<PathBuf> {
    let mut dirs = Vec::new();
    if let Ok(out) = Command::new("pg_config").arg("--bindir").output()
        && out.status.success()
    {
        let dir = String::from_utf8_lossy(&out.stdout).trim().to_string();
        if !dir.is_empty() {
            dirs.push(PathBuf::from(dir));
        }
    }
    if let Some(path) = std::env::var_os("PATH") {
        dirs.extend(std::env::split_paths(&path).filter(|d| d.is_absolute()));
    }
    dirs.extend(versioned_dirs(Path::new("/usr/lib/postgresql")));
    let mut seen = std::collections::HashSet::new();
    dirs.retain(|d| seen.insert(d.clone()));
    dirs
}

/// `<root>/<version>/bin`, newest version first (versions compare numerically: 9.6 < 15 < 16).
fn versioned_dirs(root: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(root) else {
        return Vec::new();
    };
    let mut versions: Vec<(Vec<u64>, PathBuf)> = entries
        .flatten()
        .filter_map(|e| {
            let name = e.file_name().into_string().ok()?;
            let key = name
                .split('.')
                .map(|p| p.parse::<u64>().ok())
                .collect::<Option<Vec<_>>>()?;
            Some((key, e.path().join("bin")))
        })
        .collect();
    versions.sort_by(|a, b| b.0.cmp(&a.0));
    versions.into_iter().map(|(_, dir)| dir).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_sort_numerically_newest_first() {
        let root = tempfile::tempdir().unwrap();
        for v in ["9.6", "15", "16", "not-a-version"] {
            std::fs::create_dir_all(root.path().join(v).join("bin")).unwrap();
        }
        let dirs = versioned_dirs(root.path());
        let names: Vec<_> = dirs
            .iter()
            .map(|d| d.parent().unwrap().file_name().unwrap().to_str().unwrap())
            .collect();
        assert_eq!(names, ["16", "15", "9.6"]);
    }

    #[test]
    fn a_directory_needs_both_postgres_and_initdb() {
        use std::os::unix::fs::PermissionsExt;
        let half = tempfile::tempdir().unwrap();
        let full = tempfile::tempdir().unwrap();
        let exe = |p: PathBuf| {
            std::fs::write(&p, "#!/bin/sh\n").unwrap();
            std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o755)).unwrap();
        };
        exe(half.path().join("postgres"));
        exe(full.path().join("postgres"));
        exe(full.path().join("initdb"));
        let picked = pick_bindir(&[half.path().into(), full.path().into()]).unwrap();
        assert_eq!(picked, full.path());
    }
}
