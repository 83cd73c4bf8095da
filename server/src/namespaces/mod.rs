//! Namespaces ("resource partitions") of a tenant: their quota carved out of the tenant budget,
//! container defaults, sync state; create, edit, delete, adopt. Owns
//! `/api/v1/tenants/{tenant}/namespaces` and `/api/v1/namespaces`, and the budget rule.

mod adopt;
mod handlers;

pub use adopt::claim;
pub use handlers::change_quota;

use std::collections::BTreeMap;

use api_types::portal::{ContainerLimits, Namespace};
use api_types::quota::{self, ResourceList};
use axum::Router;
use axum::routing::{get, post};
use sqlx::PgConnection;
use sqlx::types::Json;
use uuid::Uuid;

use api_types::FieldError;

use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use crate::tenants::TenantRow;
use crate::time::{rfc3339, rfc3339_opt};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/namespaces", get(handlers::list_all))
        .route(
            "/api/v1/tenants/{tenant}/namespaces",
            get(handlers::list).post(handlers::create),
        )
        .route(
            "/api/v1/tenants/{tenant}/namespaces/{namespace}",
            get(handlers::get)
                .patch(handlers::update)
                .delete(handlers::delete),
        )
        .route("/api/v1/tenants/{tenant}/adopt", post(adopt::adopt))
}

/// A namespace row with its tenant's name.
#[derive(Debug, Clone)]
pub struct NamespaceRow {
    pub id: Uuid,
    pub name: String,
    pub tenant: String,
    pub quota: Json<ResourceList>,
    pub limits: Json<ContainerLimits>,
    pub generation: i64,
    pub synced_generation: i64,
    pub sync_state: String,
    pub sync_message: String,
    pub synced_at: Option<time::OffsetDateTime>,
    pub created_at: time::OffsetDateTime,
}

impl NamespaceRow {
    pub fn into_api(self) -> Namespace {
        Namespace {
            id: self.id.to_string(),
            name: self.name,
            tenant: self.tenant,
            quota: self.quota.0,
            limits: self.limits.0,
            sync_state: self.sync_state,
            sync_message: self.sync_message,
            synced_at: rfc3339_opt(self.synced_at),
            generation: self.generation,
            synced_generation: self.synced_generation,
            created_at: rfc3339(self.created_at),
        }
    }
}

/// A live (not removed) namespace of a tenant.
pub async fn find(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    name: &str,
) -> ApiResult<Option<NamespaceRow>> {
    Ok(sqlx::query_as!(
        NamespaceRow,
        r#"SELECT n.id, n.name, t.name AS tenant, n.quota AS "quota: Json<ResourceList>",
                  n.limits AS "limits: Json<ContainerLimits>", n.generation, n.synced_generation,
                  n.sync_state, n.sync_message, n.synced_at, n.created_at
           FROM namespaces n JOIN tenants t ON t.id = n.tenant_id
           WHERE n.tenant_id = $1 AND n.name = $2 AND n.sync_state <> 'removed'"#,
        tenant_id,
        name
    )
    .fetch_optional(conn)
    .await?)
}

/// Refuses a name a live namespace already has.
pub async fn ensure_name_free(conn: &mut PgConnection, name: &str) -> ApiResult<()> {
    let taken = sqlx::query_scalar!(
        "SELECT 1 FROM namespaces WHERE name = $1 AND sync_state <> 'removed'",
        name
    )
    .fetch_optional(conn)
    .await?;
    match taken {
        Some(_) => Err(ApiError::Conflict(format!(
            "namespace \"{name}\" already exists in the portal"
        ))),
        None => Ok(()),
    }
}

/// The budget rule: with `name`'s quota replaced by `new` (or added), the tenant's namespace
/// quotas must fit its budget. The caller holds the tenant's row lock. The refusal names each
/// resource, the value asked for and what is left of the budget.
pub async fn ensure_fits(
    conn: &mut PgConnection,
    tenant: &TenantRow,
    name: &str,
    new: &ResourceList,
) -> ApiResult<()> {
    let mut quotas: BTreeMap<String, ResourceList> =
        crate::tenants::namespace_quotas(conn, tenant.id).await?;
    quotas.remove(name);
    let others = quota::sum(quotas.values());
    let mut total = others.clone();
    for (k, v) in quota::sum([new]) {
        let e = total
            .entry(k)
            .or_insert_with(api_types::quantity::Quantity::zero);
        *e = e.clone() + v;
    }
    let short = quota::shortfalls(&tenant.budget.0, &total);
    if short.is_empty() {
        return Ok(());
    }
    let left = quota::left(&tenant.budget.0, &others);
    let details: Vec<FieldError> = short
        .iter()
        .map(|s| {
            let asked = new.get(&s.resource).cloned().unwrap_or_default();
            let message = match &s.budget {
                None => s.to_string(),
                Some(b) => format!(
                    "{}: asked for {asked}, but only {} is left of the tenant budget {b}",
                    s.resource,
                    left.get(&s.resource).map_or("0", String::as_str)
                ),
            };
            FieldError::new(format!("quota.{}", s.resource), message)
        })
        .collect();
    Err(ApiError::Unprocessable {
        message: format!(
            "namespace \"{name}\" does not fit the budget of tenant \"{}\": {}",
            tenant.name, details[0].message
        ),
        details,
    })
}
