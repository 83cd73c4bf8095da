//! Reconciling one namespace: read its desired state, make the cluster match (or delete it),
//! and record the sync state — only for the generation that was applied.

use api_types::portal::ContainerLimits;
use api_types::quota::ResourceList;
use serde_json::json;
use sqlx::types::Json;

use super::cluster::{self, DesiredNamespace, Removed};
use crate::audit::{self, Audit};
use crate::state::AppState;

/// What happened, for the loop's retry decisions.
#[derive(Debug, PartialEq, Eq)]
pub enum Outcome {
    Done,
    /// Try again later (cluster unreachable, namespace still terminating, a failure).
    Retry,
}

struct Row {
    id: uuid::Uuid,
    tenant_id: uuid::Uuid,
    tenant: String,
    generation: i64,
    synced_generation: i64,
    sync_state: String,
    quota: Json<ResourceList>,
    limits: Json<ContainerLimits>,
    budget: Json<ResourceList>,
    pod_security: String,
}

pub async fn reconcile(state: &AppState, name: &str) -> Result<Outcome, sqlx::Error> {
    let row = sqlx::query_as!(
        Row,
        r#"SELECT n.id, n.tenant_id, t.name AS tenant, n.generation, n.synced_generation, n.sync_state,
                  n.quota AS "quota: Json<ResourceList>", n.limits AS "limits: Json<ContainerLimits>",
                  t.budget AS "budget: Json<ResourceList>", t.pod_security
           FROM namespaces n JOIN tenants t ON t.id = n.tenant_id
           WHERE n.name = $1 AND n.sync_state <> 'removed'"#,
        name
    )
    .fetch_optional(&state.db)
    .await?;
    let Some(row) = row else {
        return Ok(Outcome::Done);
    };
    if row.sync_state == "deleting" {
        return remove(state, name, &row).await;
    }
    match super::cluster_owner(&state.kube, name).await {
        Some(Some(owner)) if owner == row.tenant => {}
        None => {}
        Some(other) => {
            let why = match other {
                Some(t) => format!("the namespace exists in the cluster and belongs to tenant \"{t}\""),
                None => "the namespace exists in the cluster and is not managed by ku8portal; a platform admin can adopt it".to_string(),
            };
            record(state, &row, "failed", &why).await?;
            return Ok(Outcome::Retry);
        }
    }
    let desired = DesiredNamespace {
        name: name.to_string(),
        tenant: row.tenant.clone(),
        pod_security: row.pod_security.clone(),
        quota: super::full_quota(&row.budget.0, &row.quota.0),
        limits: row.limits.0.clone(),
    };
    match cluster::apply(&state.kube, &desired).await {
        Ok(outcome) => {
            let was_synced = row.sync_state == "in-sync" && row.synced_generation == row.generation;
            record(state, &row, "in-sync", "").await?;
            if was_synced && !outcome.changed.is_empty() {
                tracing::info!(namespace = name, changed = ?outcome.changed, "repaired drift");
                audit::record_standalone(
                    &state.db,
                    Audit::system("namespace.repair", format!("namespace/{name}"))
                        .tenant(row.tenant_id, &row.tenant)
                        .detail(json!({"changed": outcome.changed})),
                )
                .await;
            }
            Ok(Outcome::Done)
        }
        Err(e) => {
            let state_name = if e.is_unreachable() {
                "pending"
            } else {
                "failed"
            };
            // An outage is logged once by the drift watches, not once per namespace and retry.
            if e.is_unreachable() {
                tracing::debug!(namespace = name, error = %e, "reconcile failed");
            } else {
                tracing::warn!(namespace = name, error = %e, "reconcile failed");
            }
            record(state, &row, state_name, &e.to_string()).await?;
            Ok(Outcome::Retry)
        }
    }
}

async fn remove(state: &AppState, name: &str, row: &Row) -> Result<Outcome, sqlx::Error> {
    match cluster::remove(&state.kube, name).await {
        Ok(Removed::Gone) => {
            sqlx::query!(
                r#"UPDATE namespaces SET sync_state = 'removed', synced_generation = generation,
                          sync_message = '', synced_at = now(), deleted_at = now()
                   WHERE id = $1 AND generation = $2"#,
                row.id,
                row.generation
            )
            .execute(&state.db)
            .await?;
            Ok(Outcome::Done)
        }
        Ok(Removed::Terminating) => {
            set_message(state, row, "the cluster is deleting the namespace").await?;
            Ok(Outcome::Retry)
        }
        Err(e) => {
            set_message(state, row, &format!("deleting failed, will retry: {e}")).await?;
            Ok(Outcome::Retry)
        }
    }
}

async fn set_message(state: &AppState, row: &Row, msg: &str) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "UPDATE namespaces SET sync_message = $2 WHERE id = $1",
        row.id,
        msg
    )
    .execute(&state.db)
    .await?;
    Ok(())
}

/// Records the outcome for the generation that was applied (a newer change stays pending).
async fn record(
    state: &AppState,
    row: &Row,
    sync_state: &str,
    msg: &str,
) -> Result<(), sqlx::Error> {
    let synced = if sync_state == "in-sync" {
        row.generation
    } else {
        row.synced_generation
    };
    sqlx::query!(
        r#"UPDATE namespaces SET sync_state = $3, sync_message = $4, synced_generation = $5,
                  synced_at = CASE WHEN $3 = 'in-sync' THEN now() ELSE synced_at END
           WHERE id = $1 AND generation = $2 AND sync_state <> 'deleting'"#,
        row.id,
        row.generation,
        sync_state,
        msg,
        synced
    )
    .execute(&state.db)
    .await?;
    Ok(())
}
