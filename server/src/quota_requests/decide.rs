//! Deciding quota requests: approve (possibly with edited values; applied through the same
//! budget-checked path as a direct edit), reject with a reason, or cancel by the tenant.

use api_types::portal::{DecideQuotaRequest, QuotaRequest, Role};
use api_types::quota::ResourceList;
use axum::Json;
use axum::extract::{Path, State};
use serde_json::json;
use sqlx::types::Json as Jsonb;

use super::load;
use crate::audit::{self, Audit};
use crate::auth::Principal;
use crate::error::{ApiError, ApiResult, JsonBody};
use crate::namespaces::change_quota;
use crate::request_id::RequestId;
use crate::state::AppState;
use crate::{tenants, validate};

fn not_pending(status: &str) -> ApiError {
    ApiError::Conflict(format!("the request is already {status}"))
}

pub async fn approve(
    State(state): State<AppState>,
    p: Principal,
    rid: RequestId,
    Path(id): Path<String>,
    JsonBody(req): JsonBody<DecideQuotaRequest>,
) -> ApiResult<Json<QuotaRequest>> {
    let result = approve_in_tx(&state, &p, &rid, &id, &req).await;
    if let Err(e @ ApiError::Unprocessable { .. }) = &result {
        audit::record_standalone(
            &state.db,
            Audit::new(
                &p,
                "quota-request.approve",
                format!("quota-request/{id}"),
                &rid,
            )
            .detail(json!({"approved": req.approved}))
            .result(format!("refused: {e}")),
        )
        .await;
    }
    result
}

async fn approve_in_tx(
    state: &AppState,
    p: &Principal,
    rid: &RequestId,
    id: &str,
    req: &DecideQuotaRequest,
) -> ApiResult<Json<QuotaRequest>> {
    p.require_platform_admin()?;
    if let Some(a) = &req.approved {
        let mut errors = Vec::new();
        validate::resource_list("approved", a, &mut errors);
        if !errors.is_empty() {
            return Err(ApiError::invalid(errors));
        }
    }
    let mut tx = state.db.begin().await?;
    let peek = load(&mut tx, id, false).await?;
    // Tenant lock first (the order every quota change takes), then the request.
    let t = tenants::lock(&mut tx, &peek.tenant).await?;
    let r = load(&mut tx, id, true).await?;
    if r.status != "pending" {
        return Err(not_pending(&r.status));
    }
    let values: ResourceList = req
        .approved
        .clone()
        .unwrap_or_else(|| r.requested.0.clone());
    let applied = match &r.namespace {
        Some(ns) => {
            let current = crate::namespaces::find(&mut tx, t.id, ns)
                .await?
                .ok_or_else(|| {
                    ApiError::Conflict(format!("namespace \"{ns}\" no longer exists"))
                })?;
            let mut quota = current.quota.0.clone();
            quota.extend(values.clone());
            change_quota(&mut tx, p, rid, &t, ns, Some(&quota), None).await?;
            quota
        }
        None => tenants::set_budget(&mut tx, &t, &values).await?,
    };
    sqlx::query!(
        r#"UPDATE quota_requests SET status = 'approved', approved = $2, decided_by = $3, decider = $4,
                  decision_reason = $5, decided_at = now() WHERE id = $1"#,
        r.id,
        Jsonb(&values) as _,
        p.user_id,
        p.username,
        req.reason
    )
    .execute(&mut *tx)
    .await?;
    audit::record(
        &mut tx,
        Audit::new(
            p,
            "quota-request.approve",
            format!("quota-request/{id}"),
            rid,
        )
        .tenant(t.id, &t.name)
        .detail(json!({"requested": r.requested.0, "approved": values, "now": applied})),
    )
    .await?;
    tx.commit().await?;
    Ok(Json(
        load(&mut *state.db.acquire().await?, id, false)
            .await?
            .into_api(),
    ))
}

pub async fn reject(
    State(state): State<AppState>,
    p: Principal,
    rid: RequestId,
    Path(id): Path<String>,
    JsonBody(req): JsonBody<DecideQuotaRequest>,
) -> ApiResult<Json<QuotaRequest>> {
    p.require_platform_admin()?;
    if req.reason.trim().is_empty() {
        return Err(ApiError::field(
            "reason",
            "tell the tenant why the request is rejected",
        ));
    }
    finish(&state, &p, &rid, &id, "rejected", &req.reason).await
}

/// The requester (or a tenant admin of the tenant) withdraws a pending request.
pub async fn cancel(
    State(state): State<AppState>,
    p: Principal,
    rid: RequestId,
    Path(id): Path<String>,
) -> ApiResult<Json<QuotaRequest>> {
    let r = load(&mut *state.db.acquire().await?, &id, false).await?;
    let own = r.requested_by == Some(p.user_id);
    match p.role_in(r.tenant_id) {
        None => return Err(ApiError::not_found(format!("quota request {id}"))),
        Some(role) if !own && role < Role::TenantAdmin => {
            return Err(ApiError::Forbidden(
                "only the requester or a tenant admin can cancel a request".into(),
            ));
        }
        Some(_) => {}
    }
    finish(&state, &p, &rid, &id, "cancelled", "").await
}

async fn finish(
    state: &AppState,
    p: &Principal,
    rid: &RequestId,
    id: &str,
    status: &str,
    reason: &str,
) -> ApiResult<Json<QuotaRequest>> {
    let mut tx = state.db.begin().await?;
    let r = load(&mut tx, id, true).await?;
    if r.status != "pending" {
        return Err(not_pending(&r.status));
    }
    sqlx::query!(
        r#"UPDATE quota_requests SET status = $2, decided_by = $3, decider = $4, decision_reason = $5,
                  decided_at = now() WHERE id = $1"#,
        r.id,
        status,
        p.user_id,
        p.username,
        reason.trim()
    )
    .execute(&mut *tx)
    .await?;
    let action = if status == "rejected" {
        "quota-request.reject"
    } else {
        "quota-request.cancel"
    };
    audit::record(
        &mut tx,
        Audit::new(p, action, format!("quota-request/{id}"), rid)
            .tenant(r.tenant_id, &r.tenant)
            .detail(json!({"requested": r.requested.0, "reason": reason})),
    )
    .await?;
    tx.commit().await?;
    Ok(Json(
        load(&mut *state.db.acquire().await?, id, false)
            .await?
            .into_api(),
    ))
}
