//! Changing a tenant's budget: the new budget must still cover its namespaces' quotas; new
//! resources reach every namespace's ResourceQuota. Used by the tenant edit and by approved
//! quota requests.

use api_types::FieldError;
use api_types::quota::{self, ResourceList, Shortfall};
use sqlx::PgConnection;
use sqlx::types::Json;

use super::{TenantRow, namespace_quotas};
use crate::error::{ApiError, ApiResult};
use crate::reconciler;

/// The 422 for a budget that would no longer cover the namespaces.
pub fn budget_refusal(tenant: &str, short: &[Shortfall]) -> ApiError {
    let details: Vec<FieldError> = short
        .iter()
        .map(|s| FieldError::new(format!("budget.{}", s.resource), s.to_string()))
        .collect();
    let first = short.first().map(ToString::to_string).unwrap_or_default();
    ApiError::Unprocessable {
        message: format!(
            "the budget of tenant \"{tenant}\" would not cover its namespaces: {first}"
        ),
        details,
    }
}

/// Merges `changes` into the budget of the (locked) tenant `t` and stores it; returns the new
/// budget. Refused when the namespaces' quotas would exceed it.
pub async fn set_budget(
    conn: &mut PgConnection,
    t: &TenantRow,
    changes: &ResourceList,
) -> ApiResult<ResourceList> {
    let mut budget = t.budget.0.clone();
    budget.extend(changes.clone());
    let quotas = namespace_quotas(&mut *conn, t.id).await?;
    let short = quota::shortfalls(&budget, &quota::sum(quotas.values()));
    if !short.is_empty() {
        return Err(budget_refusal(&t.name, &short));
    }
    sqlx::query!(
        "UPDATE tenants SET budget = $2, updated_at = now() WHERE id = $1",
        t.id,
        Json(&budget) as _
    )
    .execute(&mut *conn)
    .await?;
    if budget.keys().ne(t.budget.0.keys()) {
        reconciler::touch_tenant(conn, t.id).await?;
    }
    Ok(budget)
}
