//! Embedded PostgreSQL: a private server started from the system's PostgreSQL binaries in a data
//! folder (`ku8portal demo` without a database URL, and the test harness), reachable only through
//! a Unix socket inside that folder.

mod bindir;
mod cluster;
mod error;
mod runas;
mod supervise;

pub use bindir::{find_bindir, pick_bindir};
pub use error::EmbeddedError;
pub(crate) use error::io_err;

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

use rustix::process::Signal;
use sqlx::{Connection, PgConnection, postgres::PgConnectOptions};

use cluster::{check_socket_path, init_cluster};
use runas::RunAs;
use supervise::{Log, Supervised};

/// The port in the socket's name (`.s.PGSQL.5432`); the server does not listen on TCP.
const PORT: u16 = 5432;
const READY_TIMEOUT: Duration = Duration::from_secs(30);
const STOP_TIMEOUT: Duration = Duration::from_secs(60);

#[derive(Debug, Clone, Copy, PartialEq)]
enum Durability {
    /// Every commit reaches the disk (the demo's data survives crashes).
    Durable,
    /// No fsync at all: fast, for throwaway test servers.
    Ephemeral,
}

/// A private PostgreSQL server in a data folder: the cluster in `pgdata/` (created by initdb on
/// first use, superuser `postgres`, trust authentication), its socket in `run/` (mode 0700: no
/// other local user can connect; no TCP), its output appended to `postgres.log`.
///
/// When we run as root, PostgreSQL runs as the `postgres` system user (through `setpriv`), so the
/// data folder must be reachable by that user. Lifetime: [`stop`](Self::stop) shuts it down and
/// waits; dropping requests the same fast shutdown without waiting; and when our process ends in
/// any way (even SIGKILL) the server gets SIGQUIT (immediate shutdown, crash-safe) through its
/// parent-death signal. Linux ties that signal to the *thread* that spawned the child; here that
/// is an internal supervisor thread living exactly as long as the server, so `start` may be called
/// from any thread or task (without it, a server spawned from a tokio blocking-pool thread would
/// die when tokio retires the idle thread). Without `setpriv` (a non-root user on a system
/// without util-linux) there is no death signal; a server that outlives us makes the next `start`
/// on the same folder fail with PostgreSQL's "lock file already exists".
pub struct EmbeddedPostgres {
    data_dir: PathBuf,
    pgdata: PathBuf,
    socket_dir: PathBuf,
    server: Supervised,
    log: Log,
    stopped: bool,
}

impl EmbeddedPostgres {
    /// Start (initdb on first use) a private server in `data_dir`; returns once it accepts connections.
    pub async fn start(data_dir: &Path) -> Result<EmbeddedPostgres, EmbeddedError> {
        Self::start_with(data_dir, Durability::Durable).await
    }

    /// Like [`start`](Self::start), but with fsync, synchronous commit and full-page writes off:
    /// for tests, whose data may be lost in a crash.
    pub async fn start_ephemeral(data_dir: &Path) -> Result<EmbeddedPostgres, EmbeddedError> {
        Self::start_with(data_dir, Durability::Ephemeral).await
    }

    async fn start_with(data_dir: &Path, durability: Durability) -> Result<Self, EmbeddedError> {
        let begun = Instant::now();
        let bindir = find_bindir()?;
        let run_as = RunAs::detect()?;
        std::fs::create_dir_all(data_dir)
            .map_err(io_err(format!("create {}", data_dir.display())))?;
        let data_dir = data_dir
            .canonicalize()
            .map_err(io_err(format!("resolve {}", data_dir.display())))?;
        let socket_dir = data_dir.join("run");
        check_socket_path(&data_dir, &socket_dir)?;
        run_as.check_reachable(&data_dir)?;
        run_as.private_dir(&socket_dir, 0o700)?;
        let (log, log_file) = Log::open(data_dir.join("postgres.log"))?;
        let output = |f: &std::fs::File| {
            f.try_clone()
                .map(Stdio::from)
                .map_err(io_err("duplicate the log file handle"))
        };
        let pgdata = data_dir.join("pgdata");
        if !pgdata.join("PG_VERSION").exists() {
            let mut initdb = run_as.command(&bindir.join("initdb"));
            initdb.stdout(output(&log_file)?).stderr(output(&log_file)?);
            init_cluster(initdb, &run_as, &data_dir, &pgdata, durability, &log).await?;
        }
        supervise::clear_stale_server(&pgdata, &socket_dir).await?;

        let mut cmd = run_as.command(&bindir.join("postgres"));
        cmd.arg("-D").arg(&pgdata).arg("-k").arg(&socket_dir);
        let port = format!("port={PORT}");
        for setting in ["listen_addresses=", &port, "max_connections=300"] {
            cmd.args(["-c", setting]);
        }
        cmd.args(["-c", "unix_socket_permissions=0700"]);
        if durability == Durability::Ephemeral {
            for setting in [
                "fsync=off",
                "synchronous_commit=off",
                "full_page_writes=off",
            ] {
                cmd.args(["-c", setting]);
            }
        }
        cmd.current_dir(&data_dir)
            .stdin(Stdio::null())
            .stdout(output(&log_file)?)
            .stderr(output(&log_file)?);
        let server = supervise::spawn(cmd, "postgres").await?;
        let pg = EmbeddedPostgres {
            pgdata,
            data_dir,
            socket_dir,
            server,
            log,
            stopped: false,
        };
        pg.wait_ready().await?;
        tracing::info!(
            data_dir = %pg.data_dir.display(),
            pid = pg.server.pid,
            elapsed_ms = begun.elapsed().as_millis() as u64,
            "embedded PostgreSQL ready"
        );
        Ok(pg)
    }

    /// Connection URL for database `db` (created if missing by `ensure_database`).
    pub fn url(&self, db: &str) -> String {
        // start() refused non-UTF-8 paths.
        cluster::url(self.socket_dir.to_str().unwrap_or_default(), db)
    }

    /// Creates database `db` unless it exists (safe to race with other callers).
    pub async fn ensure_database(&self, db: &str) -> Result<(), EmbeddedError> {
        let db_err = |source| EmbeddedError::Database {
            db: db.to_string(),
            source,
        };
        let mut conn = PgConnection::connect_with(&self.options("postgres")?)
            .await
            .map_err(db_err)?;
        let exists: bool =
            sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)")
                .bind(db)
                .fetch_one(&mut conn)
                .await
                .map_err(db_err)?;
        if !exists {
            let create = format!("CREATE DATABASE \"{}\"", db.replace('"', "\"\""));
            match sqlx::query(&create).execute(&mut conn).await {
                Ok(_) => {}
                // duplicate_database, or the unique index when two creators race.
                Err(sqlx::Error::Database(e))
                    if matches!(e.code().as_deref(), Some("42P04" | "23505")) => {}
                Err(e) => return Err(db_err(e)),
            }
        }
        conn.close().await.map_err(db_err)
    }

    /// Fast shutdown (SIGINT) and wait.
    pub async fn stop(mut self) -> Result<(), EmbeddedError> {
        self.stopped = true;
        self.server.signal(Signal::INT);
        if self.server.wait(STOP_TIMEOUT).await.is_some() {
            return Ok(());
        }
        self.server.signal(Signal::QUIT);
        self.server.wait(Duration::from_secs(5)).await;
        Err(EmbeddedError::StopTimeout {
            secs: STOP_TIMEOUT.as_secs(),
        })
    }

    /// The data folder (canonical path) given to `start`.
    pub fn data_dir(&self) -> &Path {
        &self.data_dir
    }

    /// The directory holding the server's Unix socket.
    pub fn socket_dir(&self) -> &Path {
        &self.socket_dir
    }

    /// The server log (initdb and postgres output of every run).
    pub fn log_path(&self) -> &Path {
        &self.log.path
    }

    /// The postmaster's process id.
    pub fn pid(&self) -> u32 {
        self.server.pid
    }

    fn options(&self, db: &str) -> Result<PgConnectOptions, EmbeddedError> {
        self.url(db)
            .parse()
            .map_err(|source| EmbeddedError::Database {
                db: db.to_string(),
                source,
            })
    }

    async fn wait_ready(&self) -> Result<(), EmbeddedError> {
        let options = self.options("postgres")?;
        let deadline = Instant::now() + READY_TIMEOUT;
        loop {
            if let Some(exit) = self.server.exited() {
                return Err(EmbeddedError::Exited {
                    status: exit.status,
                    log: self.log.path.clone(),
                    tail: self.log.tail(20),
                });
            }
            let attempt =
                tokio::time::timeout(Duration::from_secs(5), PgConnection::connect_with(&options));
            // The socket answers for whichever server holds the data folder: ours only once
            // the lock file names our child.
            let ours = supervise::lock_owner(&self.pgdata) == Some(self.server.pid);
            let last = match attempt.await {
                Ok(Ok(conn)) if ours => {
                    let _ = conn.close().await;
                    return Ok(());
                }
                Ok(Ok(conn)) => {
                    let _ = conn.close().await;
                    "the socket is served by another server".to_string()
                }
                Ok(Err(e)) => e.to_string(),
                Err(_) => "connecting timed out".to_string(),
            };
            if Instant::now() >= deadline {
                self.server.signal(Signal::QUIT);
                return Err(EmbeddedError::NotReady {
                    secs: READY_TIMEOUT.as_secs(),
                    last,
                    log: self.log.path.clone(),
                    tail: self.log.tail(20),
                });
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
}

impl Drop for EmbeddedPostgres {
    fn drop(&mut self) {
        if !self.stopped {
            self.server.signal(Signal::INT);
        }
    }
}
