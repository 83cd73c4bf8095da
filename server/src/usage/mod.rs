//! Usage: used vs hard per namespace from the cluster's ResourceQuota status, summed per
//! tenant, and the cluster's allocatable capacity next to what the budgets promise. Owns
//! `/api/v1/tenants/{tenant}/usage` and `/api/v1/cluster/capacity`.

pub mod cache;

use std::collections::BTreeMap;

use api_types::portal::{ClusterCapacity, NamespaceUsage, NodeCapacity, TenantUsage};
use api_types::quota::{self, ResourceList};
use axum::Json;
use axum::Router;
use axum::extract::{Path, State};
use axum::routing::get;
use futures::StreamExt;
use sqlx::types::Json as Jsonb;

use crate::auth::Principal;
use crate::error::{ApiError, ApiResult};
use crate::reconciler::cluster;
use crate::state::AppState;
use crate::tenants;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/tenants/{tenant}/usage", get(tenant_usage))
        .route("/api/v1/cluster/capacity", get(capacity))
}

fn canonical(m: BTreeMap<String, api_types::quantity::Quantity>) -> ResourceList {
    m.into_iter()
        .map(|(k, v)| (k, v.to_canonical_string()))
        .collect()
}

pub async fn tenant_usage(
    State(state): State<AppState>,
    p: Principal,
    Path(tenant): Path<String>,
) -> ApiResult<Json<TenantUsage>> {
    let t = tenants::visible(&state, &p, &tenant).await?;
    let quotas = tenants::namespace_quotas(&mut *state.db.acquire().await?, t.id).await?;
    let allocated = canonical(quota::sum(quotas.values()));
    let names: Vec<String> = quotas.keys().cloned().collect();
    let results: Vec<(
        String,
        Result<Option<cluster::QuotaStatus>, cluster::ClusterError>,
    )> = futures::stream::iter(names)
        .map(|n| {
            let client = state.kube.clone();
            async move {
                let r = cluster::quota_status(&client, &n).await;
                (n, r)
            }
        })
        .buffered(16)
        .collect()
        .await;
    let mut cluster_error = None;
    let mut namespaces = Vec::new();
    for (name, r) in results {
        let (hard, used, observed) = match r {
            Ok(Some(s)) => (s.hard, s.used, true),
            Ok(None) => (Default::default(), Default::default(), false),
            Err(e) => {
                cluster_error.get_or_insert_with(|| e.to_string());
                (Default::default(), Default::default(), false)
            }
        };
        namespaces.push(NamespaceUsage {
            namespace: name,
            hard,
            used,
            observed,
        });
    }
    let used = canonical(quota::sum(namespaces.iter().map(|n| &n.used)));
    Ok(Json(TenantUsage {
        tenant: t.name,
        budget: t.budget.0,
        allocated,
        used,
        namespaces,
        cluster_error,
    }))
}

pub async fn capacity(
    State(state): State<AppState>,
    p: Principal,
) -> ApiResult<Json<ClusterCapacity>> {
    p.require_platform_admin()?;
    let c = cluster::capacity(&state.kube)
        .await
        .map_err(|e| ApiError::Unavailable(format!("the cluster cannot be reached: {e}")))?;
    let budgets: Vec<Jsonb<ResourceList>> = sqlx::query_scalar!(
        r#"SELECT budget AS "budget: Jsonb<ResourceList>" FROM tenants WHERE NOT disabled"#
    )
    .fetch_all(&state.db)
    .await?;
    let budgets = canonical(quota::sum(budgets.iter().map(|b| &b.0)));
    Ok(Json(ClusterCapacity {
        allocatable: c.allocatable,
        capacity: canonical(quota::sum(c.nodes.iter().map(|n| &n.capacity))),
        nodes: c
            .nodes
            .into_iter()
            .map(|n| NodeCapacity {
                name: n.name,
                capacity: n.capacity,
                allocatable: n.allocatable,
            })
            .collect(),
        budgets,
    }))
}
