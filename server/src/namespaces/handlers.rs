//! Namespace endpoints: list (per tenant and across the caller's tenants), get, create within
//! budget, edit quota and container defaults, delete (after typed confirmation).

use api_types::portal::{ContainerLimits, CreateNamespace, Namespace, Role, UpdateNamespace};
use api_types::quota::ResourceList;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::Deserialize;
use serde_json::json;
use sqlx::types::Json as Jsonb;
use uuid::Uuid;

use super::{NamespaceRow, ensure_fits, find};
use crate::audit::{self, Audit};
use crate::auth::Principal;
use crate::error::{ApiError, ApiResult, JsonBody, QueryParams};
use crate::reconciler;
use crate::request_id::RequestId;
use crate::state::AppState;
use crate::tenants::{self, TenantRow};
use crate::validate;

async fn list_rows(state: &AppState, tenants: Option<&[Uuid]>) -> ApiResult<Vec<Namespace>> {
    let rows = sqlx::query_as!(
        NamespaceRow,
        r#"SELECT n.id, n.name, t.name AS tenant, n.quota AS "quota: Jsonb<ResourceList>",
                  n.limits AS "limits: Jsonb<ContainerLimits>", n.generation, n.synced_generation,
                  n.sync_state, n.sync_message, n.synced_at, n.created_at
           FROM namespaces n JOIN tenants t ON t.id = n.tenant_id
           WHERE n.sync_state <> 'removed' AND ($1::uuid[] IS NULL OR n.tenant_id = ANY($1))
           ORDER BY n.name"#,
        tenants
    )
    .fetch_all(&state.db)
    .await?;
    Ok(rows.into_iter().map(NamespaceRow::into_api).collect())
}

/// Every namespace the caller can see (all for platform admins).
pub async fn list_all(
    State(state): State<AppState>,
    p: Principal,
) -> ApiResult<Json<Vec<Namespace>>> {
    let ids: Option<Vec<Uuid>> =
        (!p.platform_admin).then(|| p.memberships.iter().map(|m| m.tenant_id).collect());
    Ok(Json(list_rows(&state, ids.as_deref()).await?))
}

pub async fn list(
    State(state): State<AppState>,
    p: Principal,
    Path(tenant): Path<String>,
) -> ApiResult<Json<Vec<Namespace>>> {
    let t = tenants::visible(&state, &p, &tenant).await?;
    Ok(Json(list_rows(&state, Some(&[t.id])).await?))
}

pub async fn get(
    State(state): State<AppState>,
    p: Principal,
    Path((tenant, name)): Path<(String, String)>,
) -> ApiResult<Json<Namespace>> {
    let t = tenants::visible(&state, &p, &tenant).await?;
    let ns = find(&mut *state.db.acquire().await?, t.id, &name)
        .await?
        .ok_or_else(|| ApiError::not_found(format!("namespace \"{name}\"")))?;
    Ok(Json(ns.into_api()))
}

/// Tenant admins may change their tenant's namespaces unless the tenant is disabled.
fn may_change(p: &Principal, t: &TenantRow) -> ApiResult<()> {
    p.require_role(t.id, &t.name, Role::TenantAdmin)?;
    if t.disabled && !p.platform_admin {
        return Err(ApiError::Forbidden(format!(
            "tenant \"{}\" is disabled; ask a platform admin",
            t.name
        )));
    }
    Ok(())
}

pub async fn create(
    State(state): State<AppState>,
    p: Principal,
    rid: RequestId,
    Path(tenant): Path<String>,
    JsonBody(req): JsonBody<CreateNamespace>,
) -> ApiResult<(StatusCode, Json<Namespace>)> {
    let t = tenants::visible(&state, &p, &tenant).await?;
    may_change(&p, &t)?;
    let limits = req.limits.clone().unwrap_or_else(validate::default_limits);
    let mut errors = Vec::new();
    errors.extend(validate::namespace_name(&req.name).err());
    validate::resource_list("quota", &req.quota, &mut errors);
    validate::limits(&limits, &mut errors);
    if !errors.is_empty() {
        return Err(ApiError::invalid(errors));
    }
    if let Some(owner) = reconciler::cluster_owner(&state.kube, &req.name).await
        && owner.as_deref() != Some(t.name.as_str())
    {
        return Err(ApiError::Conflict(format!(
            "namespace \"{}\" already exists in the cluster and is not this tenant's; choose another name (a platform admin can adopt existing namespaces)",
            req.name
        )));
    }
    let mut tx = state.db.begin().await?;
    let t = tenants::lock(&mut tx, &tenant).await?;
    super::ensure_name_free(&mut tx, &req.name).await?;
    if let Err(e) = ensure_fits(&mut tx, &t, &req.name, &req.quota).await {
        drop(tx);
        refused(
            &state,
            &p,
            &rid,
            &t,
            "namespace.create",
            &req.name,
            json!({"quota": req.quota}),
            &e,
        )
        .await;
        return Err(e);
    }
    sqlx::query!(
        "INSERT INTO namespaces (tenant_id, name, quota, limits) VALUES ($1, $2, $3, $4)",
        t.id,
        req.name,
        Jsonb(&req.quota) as _,
        Jsonb(&limits) as _
    )
    .execute(&mut *tx)
    .await?;
    reconciler::notify(&mut tx, &req.name).await?;
    audit::record(
        &mut tx,
        Audit::new(
            &p,
            "namespace.create",
            format!("namespace/{}", req.name),
            &rid,
        )
        .tenant(t.id, &t.name)
        .detail(json!({"after": {"quota": req.quota, "limits": limits}})),
    )
    .await?;
    tx.commit().await?;
    let ns = find(&mut *state.db.acquire().await?, t.id, &req.name)
        .await?
        .ok_or_else(|| ApiError::internal(anyhow::anyhow!("namespace vanished after create")))?;
    Ok((StatusCode::CREATED, Json(ns.into_api())))
}

/// Audits a refused change (outside the rolled-back transaction).
#[allow(clippy::too_many_arguments)]
pub async fn refused(
    state: &AppState,
    p: &Principal,
    rid: &RequestId,
    t: &TenantRow,
    action: &str,
    name: &str,
    detail: serde_json::Value,
    e: &ApiError,
) {
    audit::record_standalone(
        &state.db,
        Audit::new(p, action, format!("namespace/{name}"), rid)
            .tenant(t.id, &t.name)
            .detail(detail)
            .result(format!("refused: {e}")),
    )
    .await;
}

pub async fn update(
    State(state): State<AppState>,
    p: Principal,
    rid: RequestId,
    Path((tenant, name)): Path<(String, String)>,
    JsonBody(req): JsonBody<UpdateNamespace>,
) -> ApiResult<Json<Namespace>> {
    let t = tenants::visible(&state, &p, &tenant).await?;
    may_change(&p, &t)?;
    let mut errors = Vec::new();
    if let Some(q) = &req.quota {
        validate::resource_list("quota", q, &mut errors);
    }
    if let Some(l) = &req.limits {
        validate::limits(l, &mut errors);
    }
    if !errors.is_empty() {
        return Err(ApiError::invalid(errors));
    }
    let mut tx = state.db.begin().await?;
    let t = tenants::lock(&mut tx, &tenant).await?;
    match change_quota(
        &mut tx,
        &p,
        &rid,
        &t,
        &name,
        req.quota.as_ref(),
        req.limits.as_ref(),
    )
    .await
    {
        Ok(ns) => {
            tx.commit().await?;
            Ok(Json(ns.into_api()))
        }
        Err(e) => {
            // Audit the refusal once the transaction (and the tenant lock) is released.
            drop(tx);
            if matches!(e, ApiError::Unprocessable { .. }) {
                refused(
                    &state,
                    &p,
                    &rid,
                    &t,
                    "namespace.update",
                    &name,
                    json!({"quota": req.quota}),
                    &e,
                )
                .await;
            }
            Err(e)
        }
    }
}

/// Applies a quota and/or container-defaults change to a namespace in the caller's
/// transaction (which holds the tenant lock): the budget rule, the new generation, the
/// reconciler notification and the audit event. Quota requests use it too. It takes no other
/// connection than `tx`: waiting for a second one while holding the lock could starve the pool.
#[allow(clippy::too_many_arguments)]
pub async fn change_quota(
    tx: &mut sqlx::PgConnection,
    p: &Principal,
    rid: &RequestId,
    t: &TenantRow,
    name: &str,
    quota: Option<&ResourceList>,
    limits: Option<&ContainerLimits>,
) -> ApiResult<NamespaceRow> {
    let before = find(&mut *tx, t.id, name)
        .await?
        .ok_or_else(|| ApiError::not_found(format!("namespace \"{name}\"")))?;
    if before.sync_state == "deleting" {
        return Err(ApiError::Conflict(format!(
            "namespace \"{name}\" is being deleted"
        )));
    }
    let new_quota = quota.cloned().unwrap_or_else(|| before.quota.0.clone());
    let new_limits = limits.cloned().unwrap_or_else(|| before.limits.0.clone());
    ensure_fits(&mut *tx, t, name, &new_quota).await?;
    sqlx::query!(
        r#"UPDATE namespaces SET quota = $2, limits = $3, generation = generation + 1,
                  sync_state = 'pending', updated_at = now()
           WHERE id = $1"#,
        before.id,
        Jsonb(&new_quota) as _,
        Jsonb(&new_limits) as _
    )
    .execute(&mut *tx)
    .await?;
    reconciler::notify(&mut *tx, name).await?;
    audit::record(
        &mut *tx,
        Audit::new(p, "namespace.update", format!("namespace/{name}"), rid)
            .tenant(t.id, &t.name)
            .detail(json!({
                "before": {"quota": before.quota.0, "limits": before.limits.0},
                "after": {"quota": new_quota, "limits": new_limits},
            })),
    )
    .await?;
    find(&mut *tx, t.id, name)
        .await?
        .ok_or_else(|| ApiError::internal(anyhow::anyhow!("namespace vanished during update")))
}

#[derive(Debug, Deserialize)]
pub struct Confirm {
    /// Must repeat the namespace's name.
    pub confirm: Option<String>,
}

pub async fn delete(
    State(state): State<AppState>,
    p: Principal,
    rid: RequestId,
    Path((tenant, name)): Path<(String, String)>,
    QueryParams(c): QueryParams<Confirm>,
) -> ApiResult<StatusCode> {
    let t = tenants::visible(&state, &p, &tenant).await?;
    may_change(&p, &t)?;
    if c.confirm.as_deref() != Some(name.as_str()) {
        return Err(ApiError::field(
            "confirm",
            format!(
                "deleting a namespace deletes everything in it; repeat its name: ?confirm={name}"
            ),
        ));
    }
    let mut tx = state.db.begin().await?;
    let t = tenants::lock(&mut tx, &tenant).await?;
    let ns = find(&mut tx, t.id, &name)
        .await?
        .ok_or_else(|| ApiError::not_found(format!("namespace \"{name}\"")))?;
    if ns.sync_state == "deleting" {
        return Err(ApiError::Conflict(format!(
            "namespace \"{name}\" is already being deleted"
        )));
    }
    sqlx::query!(
        r#"UPDATE namespaces SET sync_state = 'deleting', generation = generation + 1,
                  sync_message = 'waiting for the cluster to delete it', updated_at = now()
           WHERE id = $1"#,
        ns.id
    )
    .execute(&mut *tx)
    .await?;
    reconciler::notify(&mut tx, &name).await?;
    audit::record(
        &mut tx,
        Audit::new(&p, "namespace.delete", format!("namespace/{name}"), &rid)
            .tenant(t.id, &t.name)
            .detail(json!({"before": {"quota": ns.quota.0}})),
    )
    .await?;
    tx.commit().await?;
    Ok(StatusCode::ACCEPTED)
}
