//! `POST /api/v1/tenants/{tenant}/adopt`: a platform admin brings an existing cluster namespace
//! under a tenant; its current quota becomes the desired one if it fits the budget.

use api_types::portal::{AdoptNamespace, Namespace};
use api_types::quota;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use k8s_openapi::api::core::v1::Namespace as K8sNamespace;
use kube::api::{Patch, PatchParams};
use serde_json::json;
use sqlx::types::Json as Jsonb;

use super::{ensure_fits, find};
use crate::audit::{self, Audit};
use crate::auth::Principal;
use crate::error::{ApiError, ApiResult, JsonBody};
use crate::reconciler::{self, cluster};
use crate::request_id::RequestId;
use crate::state::AppState;
use crate::{tenants, validate};

fn unreachable(e: impl std::fmt::Display) -> ApiError {
    ApiError::Unavailable(format!("the cluster cannot be reached: {e}"))
}

/// Labels an existing cluster namespace as the tenant's, so the reconciler manages it.
pub async fn claim(kube: &kube::Client, name: &str, tenant: &str) -> Result<(), kube::Error> {
    let api: kube::Api<K8sNamespace> = kube::Api::all(kube.clone());
    let labels = json!({"metadata": {"labels": {
        cluster::TENANT_LABEL: tenant,
        cluster::MANAGED_BY.0: cluster::MANAGED_BY.1,
    }}});
    api.patch(
        name,
        &PatchParams::apply("ku8portal"),
        &Patch::Merge(&labels),
    )
    .await?;
    Ok(())
}

pub async fn adopt(
    State(state): State<AppState>,
    p: Principal,
    rid: RequestId,
    Path(tenant): Path<String>,
    JsonBody(req): JsonBody<AdoptNamespace>,
) -> ApiResult<(StatusCode, Json<Namespace>)> {
    p.require_platform_admin()?;
    validate::namespace_name(&req.name).map_err(|e| ApiError::invalid(vec![e]))?;
    let api: kube::Api<K8sNamespace> = kube::Api::all(state.kube.clone());
    let existing = api.get_opt(&req.name).await.map_err(unreachable)?;
    if existing.is_none() {
        return Err(ApiError::not_found(format!(
            "namespace \"{}\" in the cluster",
            req.name
        )));
    }
    let found = cluster::existing_quota(&state.kube, &req.name)
        .await
        .map_err(|e| ApiError::Unavailable(e.to_string()))?;
    // Keep only what a portal quota can hold.
    let desired: quota::ResourceList = found
        .into_iter()
        .filter(|(k, v)| {
            quota::validate_resource_name(k).is_ok() && quota::parse_value(k, v).is_ok()
        })
        .collect();
    let mut tx = state.db.begin().await?;
    let t = tenants::lock(&mut tx, &tenant).await?;
    super::ensure_name_free(&mut tx, &req.name).await?;
    ensure_fits(&mut tx, &t, &req.name, &desired).await?;
    let limits = validate::default_limits();
    sqlx::query!(
        "INSERT INTO namespaces (tenant_id, name, quota, limits) VALUES ($1, $2, $3, $4)",
        t.id,
        req.name,
        Jsonb(&desired) as _,
        Jsonb(&limits) as _
    )
    .execute(&mut *tx)
    .await?;
    claim(&state.kube, &req.name, &t.name)
        .await
        .map_err(unreachable)?;
    reconciler::notify(&mut tx, &req.name).await?;
    audit::record(
        &mut tx,
        Audit::new(
            &p,
            "namespace.adopt",
            format!("namespace/{}", req.name),
            &rid,
        )
        .tenant(t.id, &t.name)
        .detail(json!({"after": {"quota": desired}})),
    )
    .await?;
    tx.commit().await?;
    let ns = find(&mut *state.db.acquire().await?, t.id, &req.name)
        .await?
        .ok_or_else(|| ApiError::internal(anyhow::anyhow!("namespace vanished after adopt")))?;
    Ok((StatusCode::CREATED, Json(ns.into_api())))
}
