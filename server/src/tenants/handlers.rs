//! `/api/v1/tenants[/{tenant}]`: list (what the caller belongs to; everything for operators),
//! create / edit budget / disable / delete (platform admins).

use std::collections::BTreeMap;

use api_types::portal::{CreateTenant, Tenant, UpdateTenant};
use api_types::quota::{self, ResourceList, STANDARD_RESOURCES};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde_json::json;
use sqlx::types::Json as Jsonb;
use uuid::Uuid;

use super::budget::set_budget;
use super::{TenantRow, lock, namespace_quotas, visible};
use crate::audit::{self, Audit};
use crate::auth::Principal;
use crate::error::{ApiError, ApiResult, JsonBody};
use crate::reconciler;
use crate::request_id::RequestId;
use crate::state::AppState;
use crate::time::rfc3339;
use crate::validate;

fn to_api(t: TenantRow, quotas: &[&ResourceList]) -> Tenant {
    let allocated = quota::sum(quotas.iter().copied())
        .into_iter()
        .map(|(k, v)| (k, v.to_canonical_string()))
        .collect();
    Tenant {
        id: t.id.to_string(),
        name: t.name,
        display_name: t.display_name,
        description: t.description,
        budget: t.budget.0,
        allocated,
        pod_security: t.pod_security,
        disabled: t.disabled,
        namespaces: quotas.len() as i64,
        created_at: rfc3339(t.created_at),
    }
}

pub async fn list(State(state): State<AppState>, p: Principal) -> ApiResult<Json<Vec<Tenant>>> {
    let ids: Option<Vec<Uuid>> =
        (!p.platform_admin).then(|| p.memberships.iter().map(|m| m.tenant_id).collect());
    let tenants = sqlx::query_as!(
        TenantRow,
        r#"SELECT id, name, display_name, description, budget AS "budget: Jsonb<ResourceList>",
                  pod_security, disabled, created_at
           FROM tenants WHERE $1::uuid[] IS NULL OR id = ANY($1) ORDER BY name"#,
        ids.as_deref()
    )
    .fetch_all(&state.db)
    .await?;
    let rows = sqlx::query!(
        r#"SELECT tenant_id, quota AS "quota: Jsonb<ResourceList>" FROM namespaces
           WHERE sync_state <> 'removed' AND ($1::uuid[] IS NULL OR tenant_id = ANY($1))"#,
        ids.as_deref()
    )
    .fetch_all(&state.db)
    .await?;
    let mut by_tenant: BTreeMap<Uuid, Vec<ResourceList>> = BTreeMap::new();
    for r in rows {
        by_tenant.entry(r.tenant_id).or_default().push(r.quota.0);
    }
    Ok(Json(
        tenants
            .into_iter()
            .map(|t| {
                let qs: Vec<&ResourceList> = by_tenant
                    .get(&t.id)
                    .map(|v| v.iter().collect())
                    .unwrap_or_default();
                to_api(t, &qs)
            })
            .collect(),
    ))
}

pub async fn get(
    State(state): State<AppState>,
    p: Principal,
    Path(name): Path<String>,
) -> ApiResult<Json<Tenant>> {
    let t = visible(&state, &p, &name).await?;
    let quotas = namespace_quotas(&mut *state.db.acquire().await?, t.id).await?;
    Ok(Json(to_api(t, &quotas.values().collect::<Vec<_>>())))
}

/// The budget of a new tenant: what was given, and every standard resource not given at 0
/// (so nothing is unlimited by accident; GPUs especially).
fn full_budget(given: &ResourceList) -> ResourceList {
    let mut b = given.clone();
    for r in STANDARD_RESOURCES {
        b.entry((*r).to_string()).or_insert_with(|| "0".to_string());
    }
    b
}

pub async fn create(
    State(state): State<AppState>,
    p: Principal,
    rid: RequestId,
    JsonBody(req): JsonBody<CreateTenant>,
) -> ApiResult<(StatusCode, Json<Tenant>)> {
    p.require_platform_admin()?;
    let mut errors = Vec::new();
    errors.extend(validate::dns_label("name", &req.name, 40).err());
    errors.extend(validate::text("display_name", &req.display_name, 100).err());
    errors.extend(validate::text("description", &req.description, 2000).err());
    validate::resource_list("budget", &req.budget, &mut errors);
    let pod_security = req
        .pod_security
        .clone()
        .unwrap_or_else(|| "baseline".into());
    errors.extend(validate::pod_security(&pod_security).err());
    if !errors.is_empty() {
        return Err(ApiError::invalid(errors));
    }
    let budget = full_budget(&req.budget);
    let mut tx = state.db.begin().await?;
    let exists = sqlx::query_scalar!("SELECT 1 FROM tenants WHERE name = $1", req.name)
        .fetch_optional(&mut *tx)
        .await?;
    if exists.is_some() {
        return Err(ApiError::Conflict(format!(
            "a tenant named \"{}\" already exists",
            req.name
        )));
    }
    let t = sqlx::query_as!(
        TenantRow,
        r#"INSERT INTO tenants (name, display_name, description, budget, pod_security)
           VALUES ($1, $2, $3, $4, $5)
           RETURNING id, name, display_name, description, budget AS "budget: Jsonb<ResourceList>",
                     pod_security, disabled, created_at"#,
        req.name,
        req.display_name,
        req.description,
        Jsonb(&budget) as _,
        pod_security
    )
    .fetch_one(&mut *tx)
    .await?;
    audit::record(
        &mut tx,
        Audit::new(&p, "tenant.create", format!("tenant/{}", t.name), &rid)
            .tenant(t.id, &t.name)
            .detail(json!({"after": {"budget": budget, "pod_security": t.pod_security}})),
    )
    .await?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, Json(to_api(t, &[]))))
}

pub async fn update(
    State(state): State<AppState>,
    p: Principal,
    rid: RequestId,
    Path(name): Path<String>,
    JsonBody(req): JsonBody<UpdateTenant>,
) -> ApiResult<Json<Tenant>> {
    p.require_platform_admin()?;
    let mut errors = Vec::new();
    if let Some(d) = &req.display_name {
        errors.extend(validate::text("display_name", d, 100).err());
    }
    if let Some(d) = &req.description {
        errors.extend(validate::text("description", d, 2000).err());
    }
    if let Some(b) = &req.budget {
        validate::resource_list("budget", b, &mut errors);
    }
    if let Some(ps) = &req.pod_security {
        errors.extend(validate::pod_security(ps).err());
    }
    if !errors.is_empty() {
        return Err(ApiError::invalid(errors));
    }
    let mut tx = state.db.begin().await?;
    let before = lock(&mut tx, &name).await?;
    if let Some(changes) = &req.budget
        && let Err(err) = set_budget(&mut tx, &before, changes).await
    {
        drop(tx);
        audit::record_standalone(
            &state.db,
            Audit::new(&p, "tenant.update", format!("tenant/{name}"), &rid)
                .tenant(before.id, &name)
                .detail(json!({"budget": changes}))
                .result(format!("refused: {err}")),
        )
        .await;
        return Err(err);
    }
    let t = sqlx::query_as!(
        TenantRow,
        r#"UPDATE tenants SET display_name = $2, description = $3, pod_security = $4,
                  disabled = $5, updated_at = now()
           WHERE id = $1
           RETURNING id, name, display_name, description, budget AS "budget: Jsonb<ResourceList>",
                     pod_security, disabled, created_at"#,
        before.id,
        req.display_name.as_deref().unwrap_or(&before.display_name),
        req.description.as_deref().unwrap_or(&before.description),
        req.pod_security.as_deref().unwrap_or(&before.pod_security),
        req.disabled.unwrap_or(before.disabled)
    )
    .fetch_one(&mut *tx)
    .await?;
    if t.pod_security != before.pod_security {
        reconciler::touch_tenant(&mut tx, t.id).await?;
    }
    let quotas = namespace_quotas(&mut tx, t.id).await?;
    audit::record(
        &mut tx,
        Audit::new(&p, "tenant.update", format!("tenant/{name}"), &rid)
            .tenant(t.id, &t.name)
            .detail(json!({
                "before": {"budget": before.budget.0, "pod_security": before.pod_security, "disabled": before.disabled},
                "after": {"budget": t.budget.0, "pod_security": t.pod_security, "disabled": t.disabled},
            })),
    )
    .await?;
    tx.commit().await?;
    Ok(Json(to_api(t, &quotas.values().collect::<Vec<_>>())))
}

pub async fn delete(
    State(state): State<AppState>,
    p: Principal,
    rid: RequestId,
    Path(name): Path<String>,
) -> ApiResult<StatusCode> {
    p.require_platform_admin()?;
    let mut tx = state.db.begin().await?;
    let t = lock(&mut tx, &name).await?;
    let live = namespace_quotas(&mut tx, t.id).await?;
    if !live.is_empty() {
        return Err(ApiError::Conflict(format!(
            "tenant \"{name}\" still has {} namespace(s) ({}); delete them first",
            live.len(),
            live.keys().cloned().collect::<Vec<_>>().join(", ")
        )));
    }
    sqlx::query!("DELETE FROM namespaces WHERE tenant_id = $1", t.id)
        .execute(&mut *tx)
        .await?;
    sqlx::query!("DELETE FROM tenants WHERE id = $1", t.id)
        .execute(&mut *tx)
        .await?;
    audit::record(
        &mut tx,
        Audit::new(&p, "tenant.delete", format!("tenant/{name}"), &rid).tenant(t.id, &name),
    )
    .await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}
