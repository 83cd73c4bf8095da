//! The server process: spawned and reaped by a dedicated supervisor thread, cleanup after a
//! killed predecessor, and the server log.
//!
//! Linux delivers the parent-death signal (`setpriv --pdeathsig`) when the *thread* that forked
//! the child exits, not the process. Spawning from whichever async task calls `start` would tie
//! the server's life to a runtime worker or blocking-pool thread (which tokio retires when idle);
//! a supervisor thread that spawns the child and then blocks in `wait()` lives exactly as long as
//! the child, or until our process ends, which is what the death signal should track.

use std::io::{Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use tokio::sync::{oneshot, watch};

use super::{EmbeddedError, io_err};

/// A running child: its pid and its exit, once it has happened.
pub(super) struct Supervised {
    pub pid: u32,
    pub exit: watch::Receiver<Option<Exit>>,
}

/// How a child ended: `status` reads "exit status: 1", "signal: 9 (SIGKILL)", ...
#[derive(Debug, Clone)]
pub(super) struct Exit {
    pub success: bool,
    pub status: String,
}

impl Supervised {
    pub(super) fn exited(&self) -> Option<Exit> {
        self.exit.borrow().clone()
    }

    /// Sends `signal` unless the child has already been reaped (its pid may be reused then).
    pub(super) fn signal(&self, signal: rustix::process::Signal) {
        if self.exited().is_none()
            && let Some(pid) = rustix::process::Pid::from_raw(self.pid as i32)
        {
            let _ = rustix::process::kill_process(pid, signal);
        }
    }

    /// Waits up to `timeout` for the exit; `None` on timeout.
    pub(super) async fn wait(&mut self, timeout: Duration) -> Option<Exit> {
        let exited = tokio::time::timeout(timeout, self.exit.wait_for(Option::is_some)).await;
        match exited {
            Ok(Ok(status)) => status.clone(),
            Ok(Err(_)) => Some(Exit {
                success: false,
                status: "supervisor thread ended".to_string(),
            }),
            Err(_) => None,
        }
    }
}

/// Spawns `cmd` from a new supervisor thread that then waits for it.
pub(super) async fn spawn(mut cmd: Command, name: &str) -> Result<Supervised, EmbeddedError> {
    let (pid_tx, pid_rx) = oneshot::channel();
    let (exit_tx, exit_rx) = watch::channel(None);
    let program = cmd.get_program().to_string_lossy().into_owned();
    std::thread::Builder::new()
        .name(format!("{name}-supervisor"))
        .spawn(move || {
            let mut child = match cmd.spawn() {
                Ok(child) => child,
                Err(e) => {
                    let _ = pid_tx.send(Err(e));
                    return;
                }
            };
            let _ = pid_tx.send(Ok(child.id()));
            let status = match child.wait() {
                Ok(status) => Exit {
                    success: status.success(),
                    status: status.to_string(),
                },
                Err(e) => Exit {
                    success: false,
                    status: format!("could not wait for it: {e}"),
                },
            };
            exit_tx.send_replace(Some(status));
        })
        .map_err(io_err("start a supervisor thread"))?;
    let spawned = pid_rx
        .await
        .unwrap_or_else(|_| Err(std::io::Error::other("the supervisor thread died")));
    let pid = spawned.map_err(io_err(format!("run {program}")))?;
    Ok(Supervised { pid, exit: exit_rx })
}

/// Runs `cmd` to completion (also from a thread that lives until it ends).
pub(super) async fn run(cmd: Command, name: &str) -> Result<Exit, EmbeddedError> {
    let mut child = spawn(cmd, name).await?;
    Ok(child
        .wait(Duration::from_secs(24 * 3600))
        .await
        .unwrap_or(Exit {
            success: false,
            status: "still running after a day".to_string(),
        }))
}

/// The pid in `pgdata/postmaster.pid`: the server holding the data folder, or that last held it.
pub(super) fn lock_owner(pgdata: &Path) -> Option<u32> {
    let text = std::fs::read_to_string(pgdata.join("postmaster.pid")).ok()?;
    text.lines().next()?.trim().parse().ok()
}

/// Refuses when a server is running in `pgdata`; else makes way for a new one after a killed
/// one: removes `postmaster.pid` (and the socket lock) when its pid is no longer a process in
/// `pgdata` (PostgreSQL itself would refuse to start when that pid was reused by an unrelated
/// process), then waits up to 10 s for orphaned backends of the old server to exit, since they
/// hold its shared memory.
pub(super) async fn clear_stale_server(
    pgdata: &Path,
    socket_dir: &Path,
) -> Result<(), EmbeddedError> {
    let Some(pid) = lock_owner(pgdata) else {
        return Ok(()); // none, or unreadable: PostgreSQL decides and says so in its log.
    };
    match runs_in(pid, pgdata) {
        Some(true) => {
            return Err(EmbeddedError::AlreadyRunning {
                pid,
                pgdata: pgdata.to_path_buf(),
            });
        }
        None => return Ok(()), // cannot tell: as above.
        Some(false) => {}
    }
    let pid_file = pgdata.join("postmaster.pid");
    tracing::info!(pid_file = %pid_file.display(), "removing the lock file of a server that is gone");
    let _ = std::fs::remove_file(&pid_file);
    let _ = std::fs::remove_file(socket_dir.join(format!(".s.PGSQL.{}.lock", super::PORT)));
    let deadline = Instant::now() + Duration::from_secs(10);
    while Instant::now() < deadline && processes_in(pgdata) > 0 {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    Ok(())
}

/// Whether process `pid` runs with `dir` as working directory (PostgreSQL processes `chdir` into
/// their data directory); `None` when that cannot be told (no permission to look).
fn runs_in(pid: u32, dir: &Path) -> Option<bool> {
    match std::fs::read_link(format!("/proc/{pid}/cwd")) {
        Ok(cwd) => Some(cwd == dir),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Some(false),
        Err(_) => None,
    }
}

fn processes_in(dir: &Path) -> usize {
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return 0;
    };
    entries
        .flatten()
        .filter_map(|e| e.file_name().to_str()?.parse::<u32>().ok())
        .filter(|&pid| runs_in(pid, dir) == Some(true))
        .count()
}

/// The server log, appended to by every run; errors quote only what this run wrote.
pub(super) struct Log {
    pub path: PathBuf,
    start: u64,
}

impl Log {
    pub(super) fn open(path: PathBuf) -> Result<(Log, std::fs::File), EmbeddedError> {
        use std::os::unix::fs::OpenOptionsExt;
        let file = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .mode(0o600)
            .open(&path)
            .map_err(io_err(format!("open {}", path.display())))?;
        let start = file.metadata().map(|m| m.len()).unwrap_or(0);
        Ok((Log { path, start }, file))
    }

    /// The last `lines` lines written since `open`.
    pub(super) fn tail(&self, lines: usize) -> String {
        let mut text = String::new();
        if let Ok(mut f) = std::fs::File::open(&self.path)
            && f.seek(SeekFrom::Start(self.start)).is_ok()
        {
            let mut bytes = Vec::new();
            let _ = f.read_to_end(&mut bytes);
            text = String::from_utf8_lossy(&bytes).into_owned();
        }
        let all: Vec<&str> = text.lines().collect();
        all[all.len().saturating_sub(lines)..].join("\n")
    }
}
