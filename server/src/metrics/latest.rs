//! The last collection's numbers: the resource pool of the cluster and its nodes (platform
//! admins) and the applications' counts of services, pods and running instances (a tenant sees
//! its own). Read from the samples written at the collector's `last_cycle_at`.

use std::collections::BTreeMap;

use api_types::metrics::{AppCount, Apps, Pool, PoolResource, PoolSubject};
use axum::Json;
use axum::extract::State;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use crate::auth::Principal;
use crate::error::{ApiError, ApiResult, QueryParams};
use crate::state::AppState;
use crate::time::rfc3339_opt;

/// The pool's resources, in the order they are shown.
pub const POOL_RESOURCES: [&str; 4] = ["cpu", "memory", "gpu", "storage"];

/// (scope, name, tenant, metric, value) at the last cycle.
type Row = (String, String, Option<String>, String, f64);

async fn last_cycle(
    state: &AppState,
    scopes: &[&str],
    tenants: Option<&[String]>,
) -> ApiResult<(Option<OffsetDateTime>, Option<bool>, Vec<Row>)> {
    let c = sqlx::query!("SELECT last_cycle_at, metrics_api FROM metric_collector")
        .fetch_one(&state.db)
        .await?;
    let Some(at) = c.last_cycle_at else {
        return Ok((None, c.metrics_api, Vec::new()));
    };
    let scopes: Vec<String> = scopes.iter().map(|s| s.to_string()).collect();
    let rows = sqlx::query!(
        r#"SELECT s.scope, s.name, s.tenant, s.metric, x.value
           FROM metric_series s JOIN metric_samples x ON x.series_id = s.id AND x.at = $1
           WHERE s.scope = ANY($2) AND ($3::text[] IS NULL OR s.tenant = ANY($3))
           ORDER BY s.scope, s.name, s.metric"#,
        at,
        &scopes,
        tenants as Option<&[String]>
    )
    .fetch_all(&state.db)
    .await?
    .into_iter()
    .map(|r| (r.scope, r.name, r.tenant, r.metric, r.value))
    .collect();
    Ok((Some(at), c.metrics_api, rows))
}

fn pool_subject(name: &str, values: &BTreeMap<&str, f64>, metrics_api: bool) -> PoolSubject {
    let get = |m: String| values.get(m.as_str()).copied();
    PoolSubject {
        name: name.to_string(),
        resources: POOL_RESOURCES
            .iter()
            .map(|r| PoolResource {
                resource: r.to_string(),
                capacity: get(format!("{r}.capacity")),
                allocatable: get(format!("{r}.allocatable")),
                requested: get(format!("{r}.requests")),
                used: (metrics_api && matches!(*r, "cpu" | "memory"))
                    .then(|| get(r.to_string()))
                    .flatten(),
            })
            .collect(),
    }
}

/// The resource pool of the last cycle.
pub async fn load_pool(state: &AppState, p: &Principal) -> ApiResult<Pool> {
    if !p.platform_admin {
        return Err(ApiError::Forbidden(
            "the resource pool is for platform admins".into(),
        ));
    }
    let (at, metrics_api, rows) = last_cycle(state, &["cluster", "node"], None).await?;
    let mut by: BTreeMap<(&str, &str), BTreeMap<&str, f64>> = BTreeMap::new();
    for (scope, name, _, metric, v) in &rows {
        by.entry((scope.as_str(), name.as_str()))
            .or_default()
            .insert(metric.as_str(), *v);
    }
    let api = metrics_api == Some(true);
    let empty = BTreeMap::new();
    Ok(Pool {
        at: rfc3339_opt(at),
        metrics_api,
        cluster: pool_subject("", by.get(&("cluster", "")).unwrap_or(&empty), api),
        nodes: by
            .iter()
            .filter(|((scope, _), _)| *scope == "node")
            .map(|((_, name), v)| pool_subject(name, v, api))
            .collect(),
    })
}

pub async fn pool(State(state): State<AppState>, p: Principal) -> ApiResult<Json<Pool>> {
    Ok(Json(load_pool(&state, &p).await?))
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct AppsQuery {
    /// Only this tenant's applications.
    pub tenant: Option<String>,
}

/// The applications of the last cycle that `p` may read (most pods first).
pub async fn load_apps(state: &AppState, p: &Principal, q: &AppsQuery) -> ApiResult<Apps> {
    let mut tenants: Option<Vec<String>> =
        (!p.platform_admin).then(|| p.memberships.iter().map(|m| m.tenant.clone()).collect());
    if let Some(t) = &q.tenant {
        if tenants.as_ref().is_some_and(|ts| !ts.contains(t)) {
            return Err(ApiError::not_found(format!("tenant {t:?}")));
        }
        tenants = Some(vec![t.clone()]);
    }
    let (at, _, rows) = last_cycle(state, &["app"], tenants.as_deref()).await?;
    let mut apps: BTreeMap<String, AppCount> = BTreeMap::new();
    for (_, name, tenant, metric, v) in rows {
        let a = apps.entry(name.clone()).or_insert(AppCount {
            name,
            tenant,
            services: 0,
            pods: 0,
            running: 0,
        });
        let n = v.round().max(0.0) as u32;
        match metric.as_str() {
            "services" => a.services = n,
            "pods" => a.pods = n,
            "running" => a.running = n,
            _ => {}
        }
    }
    let mut apps: Vec<AppCount> = apps.into_values().collect();
    apps.sort_by(|a, b| b.pods.cmp(&a.pods).then(a.name.cmp(&b.name)));
    Ok(Apps {
        at: rfc3339_opt(at),
        apps,
    })
}

pub async fn apps(
    State(state): State<AppState>,
    p: Principal,
    QueryParams(q): QueryParams<AppsQuery>,
) -> ApiResult<Json<Apps>> {
    Ok(Json(load_apps(&state, &p, &q).await?))
}
