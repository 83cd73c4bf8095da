//! User accounts, managed by platform admins: create, list, edit (display name, platform-admin,
//! disabled, password reset), delete. Disabling, a password reset or deletion ends the user's
//! sessions (their `session_epoch` moves on, or the row is gone). Owns `/api/v1/users`.

use api_types::portal::{CreateUser, UpdateUser, User};
use axum::Json;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::get;
use serde_json::json;

use crate::audit::{self, Audit};
use crate::auth::{Principal, password};
use crate::error::{ApiError, ApiResult, JsonBody};
use crate::request_id::RequestId;
use crate::state::AppState;
use crate::time::rfc3339;
use crate::validate;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/users", get(list).post(create))
        .route(
            "/api/v1/users/{username}",
            get(get_one).patch(update).delete(remove),
        )
}

struct Row {
    id: uuid::Uuid,
    username: String,
    display_name: String,
    platform_admin: bool,
    disabled: bool,
    created_at: time::OffsetDateTime,
}

impl Row {
    fn into_api(self) -> User {
        User {
            id: self.id.to_string(),
            username: self.username,
            display_name: self.display_name,
            platform_admin: self.platform_admin,
            disabled: self.disabled,
            created_at: rfc3339(self.created_at),
        }
    }
}

/// Tenant admins may list users too (to add members); everything else is platform-admin only.
pub async fn list(State(state): State<AppState>, p: Principal) -> ApiResult<Json<Vec<User>>> {
    let tenant_admin = p
        .memberships
        .iter()
        .any(|m| m.role == api_types::portal::Role::TenantAdmin);
    if !p.platform_admin && !tenant_admin {
        return Err(ApiError::Forbidden(
            "listing users needs the platform-admin role or tenant-admin in a tenant".into(),
        ));
    }
    let rows = sqlx::query_as!(
        Row,
        "SELECT id, username, display_name, platform_admin, disabled, created_at FROM users ORDER BY username"
    )
    .fetch_all(&state.db)
    .await?;
    Ok(Json(rows.into_iter().map(Row::into_api).collect()))
}

async fn find(state: &AppState, username: &str) -> ApiResult<Row> {
    sqlx::query_as!(
        Row,
        "SELECT id, username, display_name, platform_admin, disabled, created_at FROM users WHERE username = $1",
        username
    )
    .fetch_optional(&state.db)
    .await?
    .ok_or_else(|| ApiError::not_found(format!("user \"{username}\"")))
}

pub async fn get_one(
    State(state): State<AppState>,
    p: Principal,
    Path(username): Path<String>,
) -> ApiResult<Json<User>> {
    p.require_platform_admin()?;
    Ok(Json(find(&state, &username).await?.into_api()))
}

/// Creates a user (also used by `ku8portal admin` and the demo); the caller validated nothing.
pub async fn insert_user(
    state: &AppState,
    req: &CreateUser,
    actor: Option<(&Principal, &RequestId)>,
) -> ApiResult<User> {
    let mut errors = Vec::new();
    errors.extend(validate::dns_label("username", &req.username, 63).err());
    errors.extend(validate::text("display_name", &req.display_name, 100).err());
    if let Err(m) = password::check_policy(&req.password) {
        errors.push(api_types::FieldError::new("password", m));
    }
    if !errors.is_empty() {
        return Err(ApiError::invalid(errors));
    }
    let hash = state
        .hasher
        .hash(&req.password)
        .await
        .map_err(ApiError::internal)?;
    let mut tx = state.db.begin().await?;
    let row = sqlx::query_as!(
        Row,
        r#"INSERT INTO users (username, display_name, password_hash, platform_admin)
           VALUES ($1, $2, $3, $4) ON CONFLICT (username) DO NOTHING
           RETURNING id, username, display_name, platform_admin, disabled, created_at"#,
        req.username,
        req.display_name,
        hash,
        req.platform_admin
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or_else(|| {
        ApiError::Conflict(format!("a user named \"{}\" already exists", req.username))
    })?;
    let a = match actor {
        Some((p, rid)) => Audit::new(p, "user.create", format!("user/{}", req.username), rid),
        None => Audit::system("user.create", format!("user/{}", req.username)),
    };
    audit::record(
        &mut tx,
        a.detail(json!({"platform_admin": req.platform_admin})),
    )
    .await?;
    tx.commit().await?;
    Ok(row.into_api())
}

pub async fn create(
    State(state): State<AppState>,
    p: Principal,
    rid: RequestId,
    JsonBody(req): JsonBody<CreateUser>,
) -> ApiResult<(StatusCode, Json<User>)> {
    p.require_platform_admin()?;
    let u = insert_user(&state, &req, Some((&p, &rid))).await?;
    Ok((StatusCode::CREATED, Json(u)))
}

pub async fn update(
    State(state): State<AppState>,
    p: Principal,
    rid: RequestId,
    Path(username): Path<String>,
    JsonBody(req): JsonBody<UpdateUser>,
) -> ApiResult<Json<User>> {
    p.require_platform_admin()?;
    let before = find(&state, &username).await?;
    if before.id == p.user_id && (req.disabled == Some(true) || req.platform_admin == Some(false)) {
        return Err(ApiError::Conflict(
            "you cannot disable yourself or drop your own platform-admin role".into(),
        ));
    }
    if let Some(d) = &req.display_name {
        validate::text("display_name", d, 100).map_err(|e| ApiError::invalid(vec![e]))?;
    }
    let hash = match &req.password {
        Some(pw) => {
            password::check_policy(pw).map_err(|m| ApiError::field("password", m))?;
            Some(state.hasher.hash(pw).await.map_err(ApiError::internal)?)
        }
        None => None,
    };
    let disabled = req.disabled.unwrap_or(before.disabled);
    // A reset password or disabling ends the user's sessions.
    let end_sessions = hash.is_some() || (disabled && !before.disabled);
    let mut tx = state.db.begin().await?;
    let row = sqlx::query_as!(
        Row,
        r#"UPDATE users SET display_name = $2, platform_admin = $3, disabled = $4,
                  password_hash = coalesce($5, password_hash),
                  session_epoch = session_epoch + CASE WHEN $6 THEN 1 ELSE 0 END,
                  updated_at = now()
           WHERE id = $1
           RETURNING id, username, display_name, platform_admin, disabled, created_at"#,
        before.id,
        req.display_name.as_deref().unwrap_or(&before.display_name),
        req.platform_admin.unwrap_or(before.platform_admin),
        disabled,
        hash,
        end_sessions
    )
    .fetch_one(&mut *tx)
    .await?;
    audit::record(
        &mut tx,
        Audit::new(&p, "user.update", format!("user/{username}"), &rid).detail(json!({
            "before": {"platform_admin": before.platform_admin, "disabled": before.disabled},
            "after": {"platform_admin": row.platform_admin, "disabled": row.disabled},
            "password_reset": req.password.is_some(),
        })),
    )
    .await?;
    tx.commit().await?;
    Ok(Json(row.into_api()))
}

pub async fn remove(
    State(state): State<AppState>,
    p: Principal,
    rid: RequestId,
    Path(username): Path<String>,
) -> ApiResult<StatusCode> {
    p.require_platform_admin()?;
    let u = find(&state, &username).await?;
    if u.id == p.user_id {
        return Err(ApiError::Conflict("you cannot delete yourself".into()));
    }
    let mut tx = state.db.begin().await?;
    sqlx::query!("DELETE FROM users WHERE id = $1", u.id)
        .execute(&mut *tx)
        .await?;
    audit::record(
        &mut tx,
        Audit::new(&p, "user.delete", format!("user/{username}"), &rid),
    )
    .await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Sets a new password for `username` (by an operator on the command line); the user's
/// sessions end.
pub async fn reset_password(state: &AppState, username: &str, new: &str) -> ApiResult<()> {
    password::check_policy(new).map_err(|m| ApiError::field("password", m))?;
    let hash = state.hasher.hash(new).await.map_err(ApiError::internal)?;
    let mut tx = state.db.begin().await?;
    let done = sqlx::query!(
        "UPDATE users SET password_hash = $2, session_epoch = session_epoch + 1, updated_at = now() WHERE username = $1",
        username,
        hash
    )
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() == 0 {
        return Err(ApiError::not_found(format!("user \"{username}\"")));
    }
    audit::record(
        &mut tx,
        Audit::system("user.update", format!("user/{username}"))
            .detail(json!({"password_reset": true})),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
