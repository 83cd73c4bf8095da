//! Test databases: one ephemeral embedded PostgreSQL per test binary, a migrated template
//! database, and a fresh copy of it for each test.
//!
//! The server is started by a dedicated thread that owns a current-thread tokio runtime and never
//! returns: it keeps the server (and the admin pool, which belongs to that runtime) alive for the
//! whole process, whichever test came first, and serves "create a database" requests from tests
//! running on their own runtimes. When the test process ends, the server gets its parent-death
//! signal and quits, and a janitor process removes its folder.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::time::Duration;

use ku8portal::db::{self, embedded::EmbeddedPostgres};
use sqlx::PgPool;
use tokio::sync::{mpsc, oneshot};

/// The migrated database every test database is copied from.
const TEMPLATE: &str = "ku8_template";
const DIR_PREFIX: &str = "ku8portal-test-pg-";

type Reply = oneshot::Sender<Result<String, String>>;

static HARNESS: OnceLock<Result<mpsc::UnboundedSender<Reply>, String>> = OnceLock::new();

/// The URL of a new database, private to the caller, with every migration applied.
pub async fn fresh_database() -> String {
    let requests = HARNESS
        .get_or_init(start_harness)
        .as_ref()
        .unwrap_or_else(|e| panic!("test database server: {e}"));
    let (reply, answer) = oneshot::channel();
    requests.send(reply).expect("test database thread is alive");
    let answer = answer.await.expect("test database thread answers");
    answer.unwrap_or_else(|e| panic!("creating a test database: {e}"))
}

/// Starts the harness thread and waits until the template is ready (blocking the calling test's
/// thread; concurrent first callers wait in `OnceLock`).
fn start_harness() -> Result<mpsc::UnboundedSender<Reply>, String> {
    let (ready_tx, ready_rx) = std::sync::mpsc::channel();
    std::thread::Builder::new()
        .name("test-postgres".into())
        .spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("tokio runtime for the test database thread");
            runtime.block_on(serve(ready_tx))
        })
        .map_err(|e| format!("spawn the test database thread: {e}"))?;
    ready_rx
        .recv()
        .map_err(|_| "the test database thread died while starting".to_string())?
}

async fn serve(ready: std::sync::mpsc::Sender<Result<mpsc::UnboundedSender<Reply>, String>>) {
    let (server, admin) = match prepare().await {
        Ok(started) => started,
        Err(e) => {
            let _ = ready.send(Err(e));
            return;
        }
    };
    // Held (never written) until the process exits.
    let _janitor = match spawn_janitor(server.pid(), server.data_dir()) {
        Ok(pipe) => pipe,
        Err(e) => {
            let _ = ready.send(Err(format!("start the janitor: {e}")));
            return;
        }
    };
    let (tx, mut requests) = mpsc::unbounded_channel::<Reply>();
    let _ = ready.send(Ok(tx));
    // The sender lives in a static, so this loop (and the server) last as long as the process.
    while let Some(reply) = requests.recv().await {
        let name = format!("t_{}", uuid::Uuid::new_v4().simple());
        let (admin, url) = (admin.clone(), server.url(&name));
        tokio::spawn(async move {
            // FILE_COPY (copy the files, checkpoint) measured faster than the default WAL_LOG here.
            let create = format!("CREATE DATABASE {name} TEMPLATE {TEMPLATE} STRATEGY FILE_COPY");
            let created = sqlx::query(&create).execute(&admin).await;
            let _ = reply.send(created.map(|_| url).map_err(|e| e.to_string()));
        });
    }
    std::future::pending::<()>().await;
}

/// Starts the server, migrates the template and closes every connection to it (a database with
/// connections cannot be copied).
async fn prepare() -> Result<(EmbeddedPostgres, PgPool), String> {
    let dir = server_dir();
    let server = EmbeddedPostgres::start_ephemeral(&dir)
        .await
        .map_err(|e| e.to_string())?;
    server
        .ensure_database(TEMPLATE)
        .await
        .map_err(|e| e.to_string())?;
    let template = db::connect(&server.url(TEMPLATE), 2)
        .await
        .map_err(|e| format!("connect to {TEMPLATE}: {e}"))?;
    db::migrate(&template)
        .await
        .map_err(|e| format!("migrate {TEMPLATE}: {e}"))?;
    template.close().await;
    let admin = db::connect(&server.url("postgres"), 8)
        .await
        .map_err(|e| format!("connect to postgres: {e}"))?;
    // No connections from now on, not even by mistake.
    sqlx::query(&format!(
        "ALTER DATABASE {TEMPLATE} WITH ALLOW_CONNECTIONS false"
    ))
    .execute(&admin)
    .await
    .map_err(|e| e.to_string())?;
    wait_until_unused(&admin).await?;
    Ok((server, admin))
}

/// Backends exit shortly after their client disconnects; wait for the template's to be gone.
/// (An autovacuum worker may be there too: `CREATE DATABASE` ends those itself.)
async fn wait_until_unused(admin: &PgPool) -> Result<(), String> {
    for i in 0..3000 {
        let (n,): (i64,) = sqlx::query_as(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = $1 AND backend_type = 'client backend'",
        )
                .bind(TEMPLATE)
                .fetch_one(admin)
                .await
                .map_err(|e| e.to_string())?;
        if n == 0 {
            return Ok(());
        }
        if i % 100 == 99 {
            // A backend still there after a second (a loaded machine, a connection the pool
            // opened as it closed): nothing uses the template, so end it.
            sqlx::query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND backend_type = 'client backend'")
                .bind(TEMPLATE)
                .execute(admin)
                .await
                .map_err(|e| e.to_string())?;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    Err(format!("{TEMPLATE} still has connections after 30 s"))
}

/// The base folder of test servers: `$KU8PORTAL_TEST_PG_DIR`, else /dev/shm (tmpfs: creating a
/// database there takes 15-30 ms, on this machine's disk 75 ms when idle and 300-600 ms while
/// other builds write; each test database holds ~8 MB of memory until the test binary exits),
/// else the temp folder.
pub fn base_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("KU8PORTAL_TEST_PG_DIR") {
        return dir.into();
    }
    let shm = Path::new("/dev/shm");
    let writable = shm.is_dir()
        && std::fs::metadata(shm).is_ok_and(|m| !m.permissions().readonly())
        && tempfile::tempdir_in(shm).is_ok();
    if writable {
        shm.to_path_buf()
    } else {
        std::env::temp_dir()
    }
}

/// A temporary folder under [`base_dir`], for tests that start their own server.
pub fn scratch_dir() -> tempfile::TempDir {
    tempfile::Builder::new()
        .prefix("ku8portal-test-")
        .tempdir_in(base_dir())
        .expect("create a scratch folder")
}

/// `<base>/ku8portal-test-pg-<pid>`, after removing the folders of test processes that are gone
/// (normally their janitor has done so).
fn server_dir() -> PathBuf {
    let base = base_dir();
    if let Ok(entries) = std::fs::read_dir(&base) {
        for entry in entries.flatten() {
            let name = entry.file_name();
            let pid = name.to_str().and_then(|n| n.strip_prefix(DIR_PREFIX));
            if pid.is_some_and(|pid| !Path::new("/proc").join(pid).exists()) {
                let _ = std::fs::remove_dir_all(entry.path());
            }
        }
    }
    let dir = base.join(format!("{DIR_PREFIX}{}", std::process::id()));
    // Left by an earlier process with our (reused) pid.
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

/// Removes `dir` once this process has exited and the server (killed by its parent-death signal)
/// is gone: a shell that blocks reading a pipe whose only writer is this process (never closed
/// before exit; close-on-exec keeps it out of other children). Returns the writer to keep.
fn spawn_janitor(server_pid: u32, dir: &Path) -> std::io::Result<std::process::ChildStdin> {
    // /proc/<pid>/cwd stops resolving once the server has exited, even while it is a zombie
    // waiting for init to reap it.
    let script = r#"read _; while [ -e "/proc/$0/cwd" ]; do sleep 0.05; done; rm -rf "$1""#;
    use std::os::unix::process::CommandExt;
    let mut janitor = Command::new("sh")
        .args(["-c", script])
        .arg(server_pid.to_string())
        .arg(dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .process_group(0) // a Ctrl-C must not stop it before it has cleaned up
        .spawn()?;
    Ok(janitor.stdin.take().expect("piped stdin"))
}
