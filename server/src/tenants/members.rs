//! `/api/v1/tenants/{tenant}/members[/{username}]`: who belongs to a tenant and in which role.
//! Tenant admins (and platform admins) manage them; a tenant keeps at least one tenant admin
//! unless a platform admin changes it.

use api_types::portal::{Member, Role, SetMember};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde_json::json;

use super::{lock, visible};
use crate::audit::{self, Audit};
use crate::auth::Principal;
use crate::error::{ApiError, ApiResult, JsonBody};
use crate::request_id::RequestId;
use crate::state::AppState;

pub async fn list(
    State(state): State<AppState>,
    p: Principal,
    Path(tenant): Path<String>,
) -> ApiResult<Json<Vec<Member>>> {
    let t = visible(&state, &p, &tenant).await?;
    let rows = sqlx::query!(
        r#"SELECT u.username, u.display_name, m.role FROM memberships m JOIN users u ON u.id = m.user_id
           WHERE m.tenant_id = $1 ORDER BY u.username"#,
        t.id
    )
    .fetch_all(&state.db)
    .await?;
    Ok(Json(
        rows.into_iter()
            .filter_map(|r| {
                Some(Member {
                    username: r.username,
                    display_name: r.display_name,
                    role: Role::parse(&r.role)?,
                })
            })
            .collect(),
    ))
}

/// Refuses a change that would leave the tenant without a tenant admin (platform admins may).
async fn keep_an_admin(
    tx: &mut sqlx::PgConnection,
    p: &Principal,
    tenant_id: uuid::Uuid,
    username: &str,
) -> ApiResult<()> {
    if p.platform_admin {
        return Ok(());
    }
    let others = sqlx::query_scalar!(
        r#"SELECT count(*) AS "n!" FROM memberships m JOIN users u ON u.id = m.user_id
           WHERE m.tenant_id = $1 AND m.role = 'tenant-admin' AND u.username <> $2"#,
        tenant_id,
        username
    )
    .fetch_one(&mut *tx)
    .await?;
    if others == 0 {
        return Err(ApiError::Conflict(
            "the tenant would have no tenant admin left; make someone else tenant admin first"
                .into(),
        ));
    }
    Ok(())
}

pub async fn set(
    State(state): State<AppState>,
    p: Principal,
    rid: RequestId,
    Path((tenant, username)): Path<(String, String)>,
    JsonBody(req): JsonBody<SetMember>,
) -> ApiResult<Json<Member>> {
    let t = visible(&state, &p, &tenant).await?;
    p.require_role(t.id, &t.name, Role::TenantAdmin)?;
    let mut tx = state.db.begin().await?;
    lock(&mut tx, &tenant).await?;
    let user = sqlx::query!(
        "SELECT id, display_name FROM users WHERE username = $1",
        username
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or_else(|| ApiError::not_found(format!("user \"{username}\"")))?;
    let before = sqlx::query_scalar!(
        "SELECT role FROM memberships WHERE tenant_id = $1 AND user_id = $2",
        t.id,
        user.id
    )
    .fetch_optional(&mut *tx)
    .await?;
    if before.as_deref() == Some("tenant-admin") && req.role != Role::TenantAdmin {
        keep_an_admin(&mut tx, &p, t.id, &username).await?;
    }
    sqlx::query!(
        r#"INSERT INTO memberships (tenant_id, user_id, role) VALUES ($1, $2, $3)
           ON CONFLICT (tenant_id, user_id) DO UPDATE SET role = EXCLUDED.role"#,
        t.id,
        user.id,
        req.role.as_str()
    )
    .execute(&mut *tx)
    .await?;
    audit::record(
        &mut tx,
        Audit::new(&p, "member.set", format!("user/{username}"), &rid)
            .tenant(t.id, &t.name)
            .detail(json!({"before": before, "after": req.role})),
    )
    .await?;
    tx.commit().await?;
    Ok(Json(Member {
        username,
        display_name: user.display_name,
        role: req.role,
    }))
}

pub async fn remove(
    State(state): State<AppState>,
    p: Principal,
    rid: RequestId,
    Path((tenant, username)): Path<(String, String)>,
) -> ApiResult<StatusCode> {
    let t = visible(&state, &p, &tenant).await?;
    p.require_role(t.id, &t.name, Role::TenantAdmin)?;
    let mut tx = state.db.begin().await?;
    lock(&mut tx, &tenant).await?;
    let gone = sqlx::query_scalar!(
        r#"SELECT m.role FROM memberships m JOIN users u ON u.id = m.user_id
           WHERE m.tenant_id = $1 AND u.username = $2"#,
        t.id,
        username
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or_else(|| ApiError::not_found(format!("member \"{username}\" of tenant \"{tenant}\"")))?;
    if gone == "tenant-admin" {
        keep_an_admin(&mut tx, &p, t.id, &username).await?;
    }
    sqlx::query!(
        "DELETE FROM memberships m USING users u WHERE u.id = m.user_id AND m.tenant_id = $1 AND u.username = $2",
        t.id,
        username
    )
    .execute(&mut *tx)
    .await?;
    audit::record(
        &mut tx,
        Audit::new(&p, "member.remove", format!("user/{username}"), &rid)
            .tenant(t.id, &t.name)
            .detail(json!({"before": gone})),
    )
    .await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}
