//! Personal API tokens: created with a secret shown once, stored as a SHA-256 hash, with expiry
//! and revocation; usable as `Authorization: Bearer` for the portal API and its Kubernetes proxy.

use api_types::portal::{ApiToken, CreateToken, CreatedToken};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use base64::Engine;
use rand::RngCore;
use serde_json::json;
use sha2::{Digest, Sha256};
use uuid::Uuid;

use super::Principal;
use crate::audit::{self, Audit};
use crate::error::{ApiError, ApiResult, JsonBody};
use crate::request_id::RequestId;
use crate::state::AppState;
use crate::time::{rfc3339, rfc3339_opt};

/// Every token starts with this, so leaked tokens are easy to recognise (and scan for).
pub const PREFIX: &str = "ku8p_";

pub(crate) fn hash(secret: &str) -> Vec<u8> {
    Sha256::digest(secret.as_bytes()).to_vec()
}

/// The user a bearer secret belongs to, if it is valid, not revoked and not expired.
pub async fn authenticate(state: &AppState, secret: &str) -> ApiResult<Uuid> {
    let invalid =
        || ApiError::Unauthenticated("the API token is invalid, expired or revoked".into());
    if !secret.starts_with(PREFIX) {
        return Err(invalid());
    }
    let row = sqlx::query!(
        r#"UPDATE api_tokens SET last_used_at = now()
           WHERE token_hash = $1 AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > now())
           RETURNING user_id"#,
        hash(secret)
    )
    .fetch_optional(&state.db)
    .await?;
    row.map(|r| r.user_id).ok_or_else(invalid)
}

pub async fn list(State(state): State<AppState>, p: Principal) -> ApiResult<Json<Vec<ApiToken>>> {
    let rows = sqlx::query!(
        r#"SELECT id, name, prefix, expires_at, last_used_at, revoked_at, created_at
           FROM api_tokens WHERE user_id = $1 ORDER BY created_at DESC"#,
        p.user_id
    )
    .fetch_all(&state.db)
    .await?;
    Ok(Json(
        rows.into_iter()
            .map(|r| ApiToken {
                id: r.id.to_string(),
                name: r.name,
                prefix: r.prefix,
                expires_at: rfc3339_opt(r.expires_at),
                last_used_at: rfc3339_opt(r.last_used_at),
                revoked: r.revoked_at.is_some(),
                created_at: rfc3339(r.created_at),
            })
            .collect(),
    ))
}

pub async fn create(
    State(state): State<AppState>,
    p: Principal,
    rid: RequestId,
    JsonBody(req): JsonBody<CreateToken>,
) -> ApiResult<(StatusCode, Json<CreatedToken>)> {
    Ok((
        StatusCode::CREATED,
        Json(mint(&state, &p, &rid, &req).await?),
    ))
}

/// Creates a token for `p` (validated, audited); its secret is in the answer only.
pub async fn mint(
    state: &AppState,
    p: &Principal,
    rid: &RequestId,
    req: &CreateToken,
) -> ApiResult<CreatedToken> {
    let name = req.name.trim();
    if name.is_empty() || name.len() > 100 {
        return Err(ApiError::field(
            "name",
            "give the token a name of 1 to 100 characters",
        ));
    }
    if req.expires_in_days == Some(0) || req.expires_in_days.is_some_and(|d| d > 3650) {
        return Err(ApiError::field(
            "expires_in_days",
            "must be between 1 and 3650 (or omitted for no expiry)",
        ));
    }
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    let secret = format!(
        "{PREFIX}{}",
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
    );
    let prefix: String = secret.chars().take(PREFIX.len() + 6).collect();
    let expires = req
        .expires_in_days
        .map(|d| crate::time::now() + time::Duration::days(i64::from(d)));
    let mut tx = state.db.begin().await?;
    let r = sqlx::query!(
        r#"INSERT INTO api_tokens (user_id, name, token_hash, prefix, expires_at)
           VALUES ($1, $2, $3, $4, $5) RETURNING id, created_at"#,
        p.user_id,
        name,
        hash(&secret),
        prefix,
        expires
    )
    .fetch_one(&mut *tx)
    .await?;
    audit::record(
        &mut tx,
        Audit::new(p, "token.create", format!("token/{name}"), rid)
            .detail(json!({"prefix": prefix, "expires_at": rfc3339_opt(expires)})),
    )
    .await?;
    tx.commit().await?;
    let token = ApiToken {
        id: r.id.to_string(),
        name: name.to_string(),
        prefix,
        expires_at: rfc3339_opt(expires),
        last_used_at: None,
        revoked: false,
        created_at: rfc3339(r.created_at),
    };
    Ok(CreatedToken { token, secret })
}

pub async fn revoke(
    State(state): State<AppState>,
    p: Principal,
    rid: RequestId,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    let id = Uuid::parse_str(&id).map_err(|_| ApiError::not_found(format!("token {id}")))?;
    let mut tx = state.db.begin().await?;
    let row = sqlx::query!(
        "UPDATE api_tokens SET revoked_at = coalesce(revoked_at, now()) WHERE id = $1 AND user_id = $2 RETURNING name",
        id,
        p.user_id
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or_else(|| ApiError::not_found(format!("token {id}")))?;
    audit::record(
        &mut tx,
        Audit::new(&p, "token.revoke", format!("token/{}", row.name), &rid),
    )
    .await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}
