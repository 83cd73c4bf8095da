//! The data folder: creating the cluster (initdb), checking the socket path, and URLs that reach
//! the socket.

use std::path::Path;
use std::process::Stdio;

use super::runas::RunAs;
use super::supervise::{self, Log};
use super::{Durability, EmbeddedError, PORT, io_err};

/// initdb into a staging folder, renamed to `pgdata` only when complete, so an interrupted
/// initdb is redone instead of leaving a half-made cluster behind.
pub(super) async fn init_cluster(
    mut initdb: std::process::Command,
    run_as: &RunAs,
    data_dir: &Path,
    pgdata: &Path,
    durability: Durability,
    log: &Log,
) -> Result<(), EmbeddedError> {
    let is_empty_dir = |dir: &Path| std::fs::read_dir(dir).is_ok_and(|mut d| d.next().is_none());
    if pgdata.exists() {
        if !is_empty_dir(pgdata) {
            return Err(EmbeddedError::UnusablePath {
                path: pgdata.to_path_buf(),
                reason:
                    "it is not empty but holds no PostgreSQL cluster (no PG_VERSION); move it away"
                        .into(),
            });
        }
        std::fs::remove_dir(pgdata).map_err(io_err(format!("remove {}", pgdata.display())))?;
    }
    let staging = data_dir.join("pgdata.initdb");
    if staging.exists() {
        std::fs::remove_dir_all(&staging)
            .map_err(io_err(format!("remove {}", staging.display())))?;
    }
    run_as.private_dir(&staging, 0o700)?;
    tracing::info!(pgdata = %pgdata.display(), "creating a PostgreSQL cluster (initdb)");
    initdb.arg("-D").arg(&staging);
    initdb.args([
        "-A",
        "trust",
        "-U",
        "postgres",
        "--encoding=UTF8",
        "--no-locale",
    ]);
    if durability == Durability::Ephemeral {
        initdb.arg("--no-sync");
    }
    initdb.current_dir(data_dir).stdin(Stdio::null());
    let exit = supervise::run(initdb, "initdb").await?;
    if !exit.success {
        return Err(EmbeddedError::Initdb {
            status: exit.status,
            log: log.path.clone(),
            tail: log.tail(20),
        });
    }
    std::fs::rename(&staging, pgdata).map_err(io_err(format!("rename {}", staging.display())))
}

pub(super) fn check_socket_path(data_dir: &Path, socket_dir: &Path) -> Result<(), EmbeddedError> {
    let unusable = |reason: &str| EmbeddedError::UnusablePath {
        path: data_dir.to_path_buf(),
        reason: reason.to_string(),
    };
    let Some(dir) = socket_dir.to_str() else {
        return Err(unusable("its path is not UTF-8; choose another"));
    };
    // sun_path holds 108 bytes including the terminating NUL.
    if format!("{dir}/.s.PGSQL.{PORT}").len() > 107 {
        return Err(unusable(
            "its path is too long for a Unix socket inside it (at most about 90 bytes); choose a shorter one",
        ));
    }
    Ok(())
}

/// The URL of database `db` through the socket in `socket_dir`, with the port explicit so that
/// a `PGPORT` in the environment cannot change the socket's name.
pub(super) fn url(socket_dir: &str, db: &str) -> String {
    format!(
        "postgres://postgres@localhost:{PORT}/{}?host={}&sslmode=disable",
        percent_encode(db, b""),
        percent_encode(socket_dir, b"/")
    )
}

/// Percent-encodes everything but RFC 3986 unreserved characters and `keep`.
fn percent_encode(s: &str, keep: &[u8]) -> String {
    let mut out = String::with_capacity(s.len());
    for &b in s.as_bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) || keep.contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use sqlx::postgres::PgConnectOptions;

    #[test]
    fn sqlx_reads_the_socket_dir_and_database_from_the_url() {
        let url = super::url("/tmp/a dir+x/run", "my db");
        assert_eq!(
            url,
            "postgres://postgres@localhost:5432/my%20db?host=/tmp/a%20dir%2Bx/run&sslmode=disable"
        );
        let options: PgConnectOptions = url.parse().unwrap();
        assert_eq!(
            options.get_socket(),
            Some(std::path::Path::new("/tmp/a dir+x/run").to_path_buf()).as_ref()
        );
        assert_eq!(options.get_database(), Some("my db"));
        assert_eq!(options.get_port(), 5432);
        assert_eq!(options.get_username(), "postgres");
    }
}
