//! Leader election through a Postgres advisory lock: of several portal replicas, one runs the
//! reconciler (and the metrics collector); when its process or connection dies the lock is
//! released and another replica takes over within seconds.

use std::future::Future;
use std::time::Duration;

use sqlx::PgPool;
use sqlx::pool::PoolConnection;

/// Lock keys (any 64-bit numbers unique to the task).
pub const RECONCILER: i64 = 0x6b75_3870_0000_0001;
pub const COLLECTOR: i64 = 0x6b75_3870_0000_0002;

const POLL: Duration = Duration::from_secs(2);

async fn alive(conn: &mut PoolConnection<sqlx::Postgres>) {
    loop {
        tokio::time::sleep(POLL).await;
        if sqlx::query("SELECT 1").execute(&mut **conn).await.is_err() {
            return;
        }
    }
}

/// Runs `task` whenever this replica holds lock `key`; forever. `task` is restarted after the
/// lock is lost and won again.
pub async fn run_as_leader<F, Fut>(db: PgPool, key: i64, name: &'static str, task: F)
where
    F: Fn() -> Fut,
    Fut: Future<Output = ()>,
{
    loop {
        let mut conn = match db.acquire().await {
            Ok(c) => c,
            Err(e) => {
                tracing::debug!(task = name, error = %e, "leader election: database unavailable");
                tokio::time::sleep(POLL).await;
                continue;
            }
        };
        let got: Result<bool, _> = sqlx::query_scalar("SELECT pg_try_advisory_lock($1)")
            .bind(key)
            .fetch_one(&mut *conn)
            .await;
        if !matches!(got, Ok(true)) {
            drop(conn);
            tokio::time::sleep(POLL).await;
            continue;
        }
        tracing::info!(task = name, "this replica is now the leader");
        tokio::select! {
            () = task() => {}
            () = alive(&mut conn) => {
                tracing::warn!(task = name, "lost the database connection holding the leader lock");
            }
        }
        // Closing the connection releases the lock for sure.
        let _ = conn.detach();
        tokio::time::sleep(POLL).await;
    }
}
