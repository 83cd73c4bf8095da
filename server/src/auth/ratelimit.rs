//! Password rate limits (logins and password changes) per user name and per client address, counted in Postgres so they hold
//! across portal replicas.

use std::convert::Infallible;
use std::net::SocketAddr;

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;

use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

/// Refuses with 429 when too many recent logins failed for this user name or address.
pub async fn check(state: &AppState, username: &str, addr: &str) -> ApiResult<()> {
    let window = state.settings.login_window.as_secs_f64();
    let r = sqlx::query!(
        r#"SELECT
             count(*) FILTER (WHERE username = $1) AS "by_user!",
             count(*) FILTER (WHERE addr = $2) AS "by_addr!",
             min(at) AS oldest
           FROM login_failures
           WHERE at > now() - make_interval(secs => $3) AND (username = $1 OR addr = $2)"#,
        username,
        addr,
        window
    )
    .fetch_one(&state.db)
    .await?;
    let s = &state.settings;
    if r.by_user >= s.login_failures_per_user || r.by_addr >= s.login_failures_per_addr {
        let retry_after = r
            .oldest
            .map(|o| {
                let until = o + s.login_window;
                (until - crate::time::now()).whole_seconds().max(1) as u64
            })
            .unwrap_or(60);
        return Err(ApiError::TooManyRequests {
            message: format!(
                "too many wrong passwords; try again in {} minute(s)",
                retry_after.div_ceil(60)
            ),
            retry_after,
        });
    }
    Ok(())
}

pub async fn record_failure(state: &AppState, username: &str, addr: &str) -> ApiResult<()> {
    sqlx::query!(
        "INSERT INTO login_failures (username, addr) VALUES ($1, $2)",
        username,
        addr
    )
    .execute(&state.db)
    .await?;
    Ok(())
}

/// A successful login forgets the user's failures (and old rows of everyone).
pub async fn clear(state: &AppState, username: &str) -> ApiResult<()> {
    sqlx::query!(
        "DELETE FROM login_failures WHERE username = $1 OR at < now() - interval '1 day'",
        username
    )
    .execute(&state.db)
    .await?;
    Ok(())
}

/// The client's IP address as the portal's listener saw it ("unknown" without one).
#[derive(Debug, Clone)]
pub struct ClientAddr(pub String);

impl<S: Send + Sync> FromRequestParts<S> for ClientAddr {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Infallible> {
        Ok(ClientAddr(
            parts
                .extensions
                .get::<ConnectInfo<SocketAddr>>()
                .map_or_else(|| "unknown".to_string(), |c| c.0.ip().to_string()),
        ))
    }
}
