//! `GET /api/v1/audit`: filter by user, tenant, action (prefix), time; newest first, paged by id.

use api_types::portal::{AuditEvent, AuditPage};
use axum::Json;
use axum::extract::State;
use serde::Deserialize;
use time::OffsetDateTime;
use uuid::Uuid;

use crate::auth::Principal;
use crate::error::{ApiError, ApiResult, QueryParams};
use crate::state::AppState;
use crate::time::rfc3339;

#[derive(Debug, Deserialize)]
pub struct Filter {
    pub user: Option<String>,
    pub tenant: Option<String>,
    /// Matches actions starting with this (`namespace.` finds every namespace change).
    pub action: Option<String>,
    #[serde(default, with = "time::serde::rfc3339::option")]
    pub since: Option<OffsetDateTime>,
    #[serde(default, with = "time::serde::rfc3339::option")]
    pub until: Option<OffsetDateTime>,
    /// Only events with an id below this (the `next` of the previous page).
    pub before: Option<i64>,
    pub limit: Option<i64>,
}

pub async fn list(
    State(state): State<AppState>,
    p: Principal,
    QueryParams(f): QueryParams<Filter>,
) -> ApiResult<Json<AuditPage>> {
    let limit = f.limit.unwrap_or(50);
    if !(1..=500).contains(&limit) {
        return Err(ApiError::field("limit", "must be between 1 and 500"));
    }
    // Platform admins see everything; tenant admins the events of their tenants.
    let scope: Option<Vec<Uuid>> = if p.platform_admin {
        None
    } else {
        let admin_of: Vec<Uuid> = p
            .memberships
            .iter()
            .filter(|m| m.role == api_types::portal::Role::TenantAdmin)
            .map(|m| m.tenant_id)
            .collect();
        if admin_of.is_empty() {
            return Err(ApiError::Forbidden(
                "the audit log needs the platform-admin role or tenant-admin in a tenant".into(),
            ));
        }
        Some(admin_of)
    };
    let action_prefix = f.action.map(|a| format!("{}%", a.replace(['%', '_'], "")));
    let rows = sqlx::query!(
        r#"SELECT id, at, actor, tenant, action, target, detail, result, request_id
           FROM audit_events
           WHERE ($1::uuid[] IS NULL OR tenant_id = ANY($1))
             AND ($2::text IS NULL OR actor = $2)
             AND ($3::text IS NULL OR tenant = $3)
             AND ($4::text IS NULL OR action LIKE $4)
             AND ($5::timestamptz IS NULL OR at >= $5)
             AND ($6::timestamptz IS NULL OR at < $6)
             AND ($7::bigint IS NULL OR id < $7)
           ORDER BY id DESC
           LIMIT $8"#,
        scope.as_deref(),
        f.user,
        f.tenant,
        action_prefix,
        f.since,
        f.until,
        f.before,
        limit + 1
    )
    .fetch_all(&state.db)
    .await?;
    let more = rows.len() as i64 > limit;
    let events: Vec<AuditEvent> = rows
        .into_iter()
        .take(limit as usize)
        .map(|r| AuditEvent {
            id: r.id,
            at: rfc3339(r.at),
            actor: r.actor,
            tenant: r.tenant,
            action: r.action,
            target: r.target,
            detail: r.detail,
            result: r.result,
            request_id: r.request_id,
        })
        .collect();
    let next = if more {
        events.last().map(|e| e.id)
    } else {
        None
    };
    Ok(Json(AuditPage { events, next }))
}
