//! The embedded server's error type: what went wrong and what to do about it.

use std::path::PathBuf;

/// Why the embedded server could not be started or used; each message says what to do.
#[derive(Debug, thiserror::Error)]
pub enum EmbeddedError {
    #[error(
        "no PostgreSQL server binaries found (`postgres` and `initdb`; searched {searched}): install PostgreSQL server binaries, e.g. `apt-get install postgresql` on Debian/Ubuntu, or pass --database-url"
    )]
    NoBinaries { searched: String },
    #[error(
        "running as root, but there is no `postgres` user to run PostgreSQL as (it refuses to run as root): create one (`useradd --system postgres`), run ku8portal as an unprivileged user, or pass --database-url"
    )]
    NoPostgresUser,
    #[error(
        "running as root, but `setpriv` is missing, so PostgreSQL cannot be started as the `postgres` user: install util-linux, or pass --database-url"
    )]
    NoSetpriv,
    #[error(
        "the `postgres` user cannot reach the data folder {path}: {dir} is closed to it; choose a data folder elsewhere (e.g. under /var/lib or /tmp) or allow it through (`chmod o+x {dir}`)"
    )]
    Unreachable { path: PathBuf, dir: PathBuf },
    #[error("cannot use the data folder {path}: {reason}")]
    UnusablePath { path: PathBuf, reason: String },
    #[error("could not {action}: {source}")]
    Io {
        action: String,
        source: std::io::Error,
    },
    #[error(
        "a PostgreSQL server (pid {pid}) is already running in {pgdata}: stop it, or give this one another data folder"
    )]
    AlreadyRunning { pid: u32, pgdata: PathBuf },
    #[error("initdb failed ({status}); its output in {log}:\n{tail}")]
    Initdb {
        status: String,
        log: PathBuf,
        tail: String,
    },
    #[error("PostgreSQL exited while starting ({status}); the end of {log}:\n{tail}")]
    Exited {
        status: String,
        log: PathBuf,
        tail: String,
    },
    #[error(
        "PostgreSQL did not accept connections within {secs} s (last error: {last}); the end of {log}:\n{tail}"
    )]
    NotReady {
        secs: u64,
        last: String,
        log: PathBuf,
        tail: String,
    },
    #[error("PostgreSQL did not shut down within {secs} s; it was killed")]
    StopTimeout { secs: u64 },
    #[error("database {db}: {source}")]
    Database { db: String, source: sqlx::Error },
}

pub(crate) fn io_err(action: impl Into<String>) -> impl FnOnce(std::io::Error) -> EmbeddedError {
    let action = action.into();
    move |source| EmbeddedError::Io { action, source }
}
