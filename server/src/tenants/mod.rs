//! Tenants: the operator creates them with a quota budget and members; tenant admins manage
//! members. Owns `/api/v1/tenants` and the tenant lookups other features use.

mod budget;
mod handlers;

pub use budget::{budget_refusal, set_budget};
mod members;

use std::collections::BTreeMap;

use api_types::quota::ResourceList;
use axum::Router;
use axum::routing::{get, put};
use sqlx::PgConnection;
use sqlx::types::Json;
use uuid::Uuid;

use crate::auth::Principal;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/api/v1/tenants",
            get(handlers::list).post(handlers::create),
        )
        .route(
            "/api/v1/tenants/{tenant}",
            get(handlers::get)
                .patch(handlers::update)
                .delete(handlers::delete),
        )
        .route("/api/v1/tenants/{tenant}/members", get(members::list))
        .route(
            "/api/v1/tenants/{tenant}/members/{username}",
            put(members::set).delete(members::remove),
        )
}

/// A tenant row.
#[derive(Debug, Clone)]
pub struct TenantRow {
    pub id: Uuid,
    pub name: String,
    pub display_name: String,
    pub description: String,
    pub budget: Json<ResourceList>,
    pub pod_security: String,
    pub disabled: bool,
    pub created_at: time::OffsetDateTime,
}

/// Finds a tenant the caller may see (any role); others get 404 as if it did not exist.
pub async fn visible(state: &AppState, p: &Principal, name: &str) -> ApiResult<TenantRow> {
    let t = find(&mut *state.db.acquire().await?, name).await?;
    p.require_role(t.id, &t.name, api_types::portal::Role::TenantViewer)?;
    Ok(t)
}

fn missing(name: &str) -> ApiError {
    ApiError::not_found(format!("tenant \"{name}\""))
}

/// Loads a tenant by name.
pub async fn find(conn: &mut PgConnection, name: &str) -> ApiResult<TenantRow> {
    sqlx::query_as!(
        TenantRow,
        r#"SELECT id, name, display_name, description, budget AS "budget: Json<ResourceList>",
                  pod_security, disabled, created_at
           FROM tenants WHERE name = $1"#,
        name
    )
    .fetch_optional(conn)
    .await?
    .ok_or_else(|| missing(name))
}

/// Loads a tenant and takes its row lock (`FOR UPDATE`) in the caller's transaction. Every
/// change to a tenant's budget or namespace quotas does this first, which serializes them and
/// keeps the budget rule true under concurrency.
pub async fn lock(conn: &mut PgConnection, name: &str) -> ApiResult<TenantRow> {
    sqlx::query_as!(
        TenantRow,
        r#"SELECT id, name, display_name, description, budget AS "budget: Json<ResourceList>",
                  pod_security, disabled, created_at
           FROM tenants WHERE name = $1 FOR UPDATE"#,
        name
    )
    .fetch_optional(conn)
    .await?
    .ok_or_else(|| missing(name))
}

/// The quotas of the tenant's live namespaces, by namespace name.
pub async fn namespace_quotas(
    conn: &mut PgConnection,
    tenant_id: Uuid,
) -> ApiResult<BTreeMap<String, ResourceList>> {
    let rows = sqlx::query!(
        r#"SELECT name, quota AS "quota: Json<ResourceList>" FROM namespaces
           WHERE tenant_id = $1 AND sync_state <> 'removed'"#,
        tenant_id
    )
    .fetch_all(conn)
    .await?;
    Ok(rows.into_iter().map(|r| (r.name, r.quota.0)).collect())
}
