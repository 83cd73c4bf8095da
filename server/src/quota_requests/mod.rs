//! Quota requests: a tenant admin asks for a bigger budget or namespace quota with a reason; a
//! platform admin approves (possibly edited) or rejects; approval applies the change through the
//! same path as a direct edit. Owns `/api/v1/quota-requests` and
//! `/api/v1/tenants/{tenant}/quota-requests`.

mod decide;

use api_types::portal::{CreateQuotaRequest, QuotaRequest, Role};
use api_types::quota::ResourceList;
use axum::Json;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use serde::Deserialize;
use serde_json::json;
use sqlx::types::Json as Jsonb;
use uuid::Uuid;

use crate::audit::{self, Audit};
use crate::auth::Principal;
use crate::error::{ApiError, ApiResult, JsonBody, QueryParams};
use crate::request_id::RequestId;
use crate::state::AppState;
use crate::time::{rfc3339, rfc3339_opt};
use crate::{namespaces, tenants, validate};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/quota-requests", get(list))
        .route("/api/v1/quota-requests/{id}", get(get_one))
        .route("/api/v1/quota-requests/{id}/approve", post(decide::approve))
        .route("/api/v1/quota-requests/{id}/reject", post(decide::reject))
        .route("/api/v1/quota-requests/{id}/cancel", post(decide::cancel))
        .route("/api/v1/tenants/{tenant}/quota-requests", post(create))
}

pub(crate) struct Row {
    id: Uuid,
    tenant_id: Uuid,
    tenant: String,
    namespace: Option<String>,
    requested_by: Option<Uuid>,
    requester: String,
    reason: String,
    requested: Jsonb<ResourceList>,
    status: String,
    approved: Option<Jsonb<ResourceList>>,
    decider: Option<String>,
    decision_reason: String,
    created_at: time::OffsetDateTime,
    decided_at: Option<time::OffsetDateTime>,
}

impl Row {
    fn into_api(self) -> QuotaRequest {
        QuotaRequest {
            id: self.id.to_string(),
            tenant: self.tenant,
            namespace: self.namespace,
            requester: self.requester,
            reason: self.reason,
            requested: self.requested.0,
            status: self.status,
            approved: self.approved.map(|a| a.0),
            decider: self.decider,
            decision_reason: self.decision_reason,
            created_at: rfc3339(self.created_at),
            decided_at: rfc3339_opt(self.decided_at),
        }
    }
}

/// Loads one request; with `lock`, takes its row lock (`FOR UPDATE`) first, so the status read
/// is the one a concurrent decision left.
pub(crate) async fn load(conn: &mut sqlx::PgConnection, id: &str, lock: bool) -> ApiResult<Row> {
    let missing = || ApiError::not_found(format!("quota request {id}"));
    let uuid = Uuid::parse_str(id).map_err(|_| missing())?;
    if lock {
        sqlx::query!(
            "SELECT id FROM quota_requests WHERE id = $1 FOR UPDATE",
            uuid
        )
        .fetch_optional(&mut *conn)
        .await?
        .ok_or_else(missing)?;
    }
    let row = sqlx::query_as!(
        Row,
        r#"SELECT r.id, r.tenant_id, t.name AS tenant, n.name AS "namespace?", r.requested_by, r.requester,
                  r.reason, r.requested AS "requested: Jsonb<ResourceList>", r.status,
                  r.approved AS "approved: Jsonb<ResourceList>", r.decider, r.decision_reason,
                  r.created_at, r.decided_at
           FROM quota_requests r JOIN tenants t ON t.id = r.tenant_id
           LEFT JOIN namespaces n ON n.id = r.namespace_id
           WHERE r.id = $1"#,
        uuid
    )
    .fetch_optional(&mut *conn)
    .await?
    .ok_or_else(missing)?;
    Ok(row)
}

#[derive(Debug, Deserialize)]
pub struct Filter {
    pub status: Option<String>,
    pub tenant: Option<String>,
}

pub async fn list(
    State(state): State<AppState>,
    p: Principal,
    QueryParams(f): QueryParams<Filter>,
) -> ApiResult<Json<Vec<QuotaRequest>>> {
    let ids: Option<Vec<Uuid>> =
        (!p.platform_admin).then(|| p.memberships.iter().map(|m| m.tenant_id).collect());
    let rows = sqlx::query_as!(
        Row,
        r#"SELECT r.id, r.tenant_id, t.name AS tenant, n.name AS "namespace?", r.requested_by, r.requester,
                  r.reason, r.requested AS "requested: Jsonb<ResourceList>", r.status,
                  r.approved AS "approved: Jsonb<ResourceList>", r.decider, r.decision_reason,
                  r.created_at, r.decided_at
           FROM quota_requests r JOIN tenants t ON t.id = r.tenant_id
           LEFT JOIN namespaces n ON n.id = r.namespace_id
           WHERE ($1::uuid[] IS NULL OR r.tenant_id = ANY($1))
             AND ($2::text IS NULL OR r.status = $2)
             AND ($3::text IS NULL OR t.name = $3)
           ORDER BY r.created_at DESC
           LIMIT 500"#,
        ids.as_deref(),
        f.status,
        f.tenant
    )
    .fetch_all(&state.db)
    .await?;
    Ok(Json(rows.into_iter().map(Row::into_api).collect()))
}

pub async fn get_one(
    State(state): State<AppState>,
    p: Principal,
    Path(id): Path<String>,
) -> ApiResult<Json<QuotaRequest>> {
    let row = load(&mut *state.db.acquire().await?, &id, false).await?;
    if p.role_in(row.tenant_id).is_none() {
        return Err(ApiError::not_found(format!("quota request {id}")));
    }
    Ok(Json(row.into_api()))
}

pub async fn create(
    State(state): State<AppState>,
    p: Principal,
    rid: RequestId,
    Path(tenant): Path<String>,
    JsonBody(req): JsonBody<CreateQuotaRequest>,
) -> ApiResult<(StatusCode, Json<QuotaRequest>)> {
    let t = tenants::visible(&state, &p, &tenant).await?;
    p.require_role(t.id, &t.name, Role::TenantAdmin)?;
    if t.disabled && !p.platform_admin {
        return Err(ApiError::Forbidden(format!(
            "tenant \"{}\" is disabled; ask a platform admin",
            t.name
        )));
    }
    let mut errors = Vec::new();
    if req.reason.trim().is_empty() {
        errors.push(api_types::FieldError::new(
            "reason",
            "say why the tenant needs more",
        ));
    }
    errors.extend(validate::text("reason", &req.reason, 2000).err());
    if req.requested.is_empty() {
        errors.push(api_types::FieldError::new(
            "requested",
            "name at least one resource and its new value",
        ));
    }
    validate::resource_list("requested", &req.requested, &mut errors);
    if !errors.is_empty() {
        return Err(ApiError::invalid(errors));
    }
    let mut tx = state.db.begin().await?;
    let ns_id = match &req.namespace {
        Some(n) => Some(
            namespaces::find(&mut tx, t.id, n)
                .await?
                .ok_or_else(|| {
                    ApiError::not_found(format!("namespace \"{n}\" of tenant \"{tenant}\""))
                })?
                .id,
        ),
        None => None,
    };
    let id = sqlx::query_scalar!(
        r#"INSERT INTO quota_requests (tenant_id, namespace_id, requested_by, requester, reason, requested)
           VALUES ($1, $2, $3, $4, $5, $6) RETURNING id"#,
        t.id,
        ns_id,
        p.user_id,
        p.username,
        req.reason.trim(),
        Jsonb(&req.requested) as _
    )
    .fetch_one(&mut *tx)
    .await?;
    let target = match &req.namespace {
        Some(n) => format!("namespace/{n}"),
        None => format!("tenant/{tenant}"),
    };
    audit::record(
        &mut tx,
        Audit::new(&p, "quota-request.create", target, &rid)
            .tenant(t.id, &t.name)
            .detail(json!({"request": id, "requested": req.requested, "reason": req.reason})),
    )
    .await?;
    tx.commit().await?;
    let row = load(&mut *state.db.acquire().await?, &id.to_string(), false).await?;
    Ok((StatusCode::CREATED, Json(row.into_api())))
}
