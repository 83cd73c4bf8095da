//! The database layer: connection pools, the schema migrations, and the embedded server used
//! when no database URL is given.

pub mod embedded;

use std::time::Duration;

use sqlx::PgPool;
use sqlx::postgres::PgPoolOptions;

/// The schema: every `migrations/*.sql` file, embedded in the binary.
pub static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("../migrations");

/// A pool of at most `max` connections to `url`; waits at most 5 s for a free connection.
pub async fn connect(url: &str, max: u32) -> Result<PgPool, sqlx::Error> {
    PgPoolOptions::new()
        .max_connections(max)
        .acquire_timeout(Duration::from_secs(5))
        .connect(url)
        .await
}

/// Applies the migrations not yet applied (they are tracked in `_sqlx_migrations`).
pub async fn migrate(pool: &PgPool) -> Result<(), sqlx::migrate::MigrateError> {
    MIGRATOR.run(pool).await
}

/// The server's version, e.g. "15.14 (Debian 15.14-0+deb12u1)".
pub async fn server_version(pool: &PgPool) -> Result<String, sqlx::Error> {
    sqlx::query_scalar!("SELECT current_setting('server_version') AS \"v!\"")
        .fetch_one(pool)
        .await
}
