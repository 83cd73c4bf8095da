//! Login, logout and the session side of authentication: a new session id at login, idle and
//! absolute timeouts, and sessions that end when the user's password changes or the user is
//! disabled or removed (the session stores the user's `session_epoch`).

use api_types::portal::{ChangePassword, LoginRequest, Me};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use serde_json::json;
use tower_sessions::Session;
use uuid::Uuid;

use super::principal::{Principal, Via, load};
use super::ratelimit::ClientAddr;
use super::{password, ratelimit};
use crate::audit::{self, Audit};
use crate::error::{ApiError, ApiResult, JsonBody};
use crate::request_id::RequestId;
use crate::state::AppState;

const KEY: &str = "login";

/// What a logged-in session stores.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct LoginData {
    user_id: Uuid,
    epoch: i32,
    /// Unix seconds of the login, for the absolute timeout.
    at: i64,
}

fn ended() -> ApiError {
    ApiError::Unauthenticated("your session has ended; log in again".into())
}

/// The principal of a session cookie, or 401 (and the session is cleared when it is no longer valid).
pub async fn authenticate(state: &AppState, session: &Session) -> ApiResult<Principal> {
    let data: Option<LoginData> = session.get(KEY).await.map_err(ApiError::internal)?;
    let Some(data) = data else {
        return Err(ApiError::Unauthenticated("log in first".into()));
    };
    let age = crate::time::now().unix_timestamp() - data.at;
    let too_old = age > state.settings.session_absolute.as_secs() as i64;
    let principal = load(state, data.user_id, Via::Session).await?;
    match principal {
        Some(p) if p.session_epoch == data.epoch && !too_old => Ok(p),
        _ => {
            session.flush().await.map_err(ApiError::internal)?;
            Err(ended())
        }
    }
}

pub async fn login(
    State(state): State<AppState>,
    session: Session,
    rid: RequestId,
    ClientAddr(addr): ClientAddr,
    JsonBody(req): JsonBody<LoginRequest>,
) -> ApiResult<Json<Me>> {
    let username = req.username.trim().to_string();
    if username.is_empty() || req.password.is_empty() {
        return Err(ApiError::BadRequest(
            "enter a user name and a password".into(),
        ));
    }
    ratelimit::check(&state, &username, &addr).await?;
    let user = sqlx::query!(
        "SELECT id, password_hash, disabled, session_epoch FROM users WHERE username = $1",
        username
    )
    .fetch_optional(&state.db)
    .await?;
    let hash = user.as_ref().map(|u| u.password_hash.clone());
    let ok = state.hasher.verify(hash, &req.password).await;
    let user = match user {
        Some(u) if ok && !u.disabled => u,
        _ => {
            ratelimit::record_failure(&state, &username, &addr).await?;
            audit::record_standalone(
                &state.db,
                Audit::anonymous(&username, "auth.login", format!("user/{username}"), &rid)
                    .result("refused: wrong user name or password")
                    .detail(json!({"addr": addr})),
            )
            .await;
            return Err(ApiError::Unauthenticated(
                "wrong user name or password, or the account is disabled".into(),
            ));
        }
    };
    ratelimit::clear(&state, &username).await?;
    // A fresh session id at login: no session fixation.
    session.cycle_id().await.map_err(ApiError::internal)?;
    let data = LoginData {
        user_id: user.id,
        epoch: user.session_epoch,
        at: crate::time::now().unix_timestamp(),
    };
    session
        .insert(KEY, data)
        .await
        .map_err(ApiError::internal)?;
    let p = load(&state, user.id, Via::Session)
        .await?
        .ok_or_else(ended)?;
    audit::record_standalone(
        &state.db,
        Audit::new(&p, "auth.login", format!("user/{}", p.username), &rid)
            .detail(json!({"addr": addr})),
    )
    .await;
    Ok(Json(p.me()))
}

pub async fn logout(session: Session) -> ApiResult<StatusCode> {
    session.flush().await.map_err(ApiError::internal)?;
    Ok(StatusCode::NO_CONTENT)
}

pub async fn me(p: Principal) -> Json<Me> {
    Json(p.me())
}

/// Changes the caller's password; every session of the user ends, and this one continues
/// under a new id.
/// Wrong current passwords count like failed logins (a stolen session must not become a way
/// to guess the password).
pub async fn change_password(
    State(state): State<AppState>,
    p: Principal,
    session: Session,
    rid: RequestId,
    ClientAddr(addr): ClientAddr,
    JsonBody(req): JsonBody<ChangePassword>,
) -> ApiResult<StatusCode> {
    password::check_policy(&req.new_password).map_err(|m| ApiError::field("new_password", m))?;
    ratelimit::check(&state, &p.username, &addr).await?;
    let hash = sqlx::query_scalar!("SELECT password_hash FROM users WHERE id = $1", p.user_id)
        .fetch_one(&state.db)
        .await?;
    if !state.hasher.verify(Some(hash), &req.current_password).await {
        ratelimit::record_failure(&state, &p.username, &addr).await?;
        return Err(ApiError::field(
            "current_password",
            "the current password is wrong",
        ));
    }
    ratelimit::clear(&state, &p.username).await?;
    let new_hash = state
        .hasher
        .hash(&req.new_password)
        .await
        .map_err(ApiError::internal)?;
    let mut tx = state.db.begin().await?;
    let epoch = sqlx::query_scalar!(
        "UPDATE users SET password_hash = $2, session_epoch = session_epoch + 1, updated_at = now() WHERE id = $1 RETURNING session_epoch",
        p.user_id,
        new_hash
    )
    .fetch_one(&mut *tx)
    .await?;
    audit::record(
        &mut tx,
        Audit::new(&p, "user.password", format!("user/{}", p.username), &rid),
    )
    .await?;
    tx.commit().await?;
    if p.via == Via::Session {
        session.cycle_id().await.map_err(ApiError::internal)?;
        let data = LoginData {
            user_id: p.user_id,
            epoch,
            at: crate::time::now().unix_timestamp(),
        };
        session
            .insert(KEY, data)
            .await
            .map_err(ApiError::internal)?;
    }
    Ok(StatusCode::NO_CONTENT)
}
