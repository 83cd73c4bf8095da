//! The database layer: connection pools, the schema migrations, and the embedded server used
//! when no database URL is given.

pub mod embedded;

use std::str::FromStr;
use std::time::Duration;

use sqlx::PgPool;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};

/// The schema: every `migrations/*.sql` file, embedded in the binary.
pub static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("../migrations");

/// A pool of at most `max` connections to `url`; waits at most 5 s for a free connection.
/// Connections are named `ku8portal-<pid>` in `pg_stat_activity`, so operators (and tests) can
/// tell the replicas apart.
pub async fn connect(url: &str, max: u32) -> Result<PgPool, sqlx::Error> {
    let options = PgConnectOptions::from_str(url)?
        .application_name(&format!("ku8portal-{}", std::process::id()));
    PgPoolOptions::new()
        .max_connections(max)
        .acquire_timeout(Duration::from_secs(5))
        .connect_with(options)
        .await
}

/// Applies the migrations not yet applied (they are tracked in `_sqlx_migrations`) and creates
/// the session store's table.
pub async fn migrate(pool: &PgPool) -> anyhow::Result<()> {
    MIGRATOR.run(pool).await?;
    tower_sessions_sqlx_store::PostgresStore::new(pool.clone())
        .migrate()
        .await?;
    Ok(())
}

/// The server's version, e.g. "15.14 (Debian 15.14-0+deb12u1)".
pub async fn server_version(pool: &PgPool) -> Result<String, sqlx::Error> {
    sqlx::query_scalar!("SELECT current_setting('server_version') AS \"v!\"")
        .fetch_one(pool)
        .await
}
