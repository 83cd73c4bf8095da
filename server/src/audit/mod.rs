//! The audit log: every change (who, which tenant, what, before/after, result, request id, when),
//! written in the same transaction as the change; refusals are written on their own. Listing
//! with filters and paging; tenant admins see their tenants' events only.

mod list;

pub use list::list;

use serde_json::{Value, json};
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

use crate::auth::Principal;
use crate::request_id::RequestId;

/// One audit event being built.
#[derive(Debug, Clone)]
pub struct Audit {
    actor_id: Option<Uuid>,
    actor: String,
    tenant_id: Option<Uuid>,
    tenant: Option<String>,
    action: String,
    target: String,
    detail: Value,
    result: String,
    request_id: String,
}

impl Audit {
    pub fn new(p: &Principal, action: &str, target: impl Into<String>, rid: &RequestId) -> Audit {
        Audit {
            actor_id: Some(p.user_id),
            ..Audit::anonymous(&p.username, action, target, rid)
        }
    }

    /// An event whose actor is not (yet) authenticated, e.g. a failed login.
    pub fn anonymous(
        name: &str,
        action: &str,
        target: impl Into<String>,
        rid: &RequestId,
    ) -> Audit {
        Audit {
            actor_id: None,
            actor: name.to_string(),
            tenant_id: None,
            tenant: None,
            action: action.to_string(),
            target: target.into(),
            detail: json!({}),
            result: "ok".to_string(),
            request_id: rid.0.clone(),
        }
    }

    /// An event of the portal itself (the reconciler, the bootstrap).
    pub fn system(action: &str, target: impl Into<String>) -> Audit {
        Audit::anonymous("system:ku8portal", action, target, &RequestId::default())
    }

    /// The actor's user id (for events built with `anonymous` from a name).
    pub fn actor(mut self, id: Uuid) -> Audit {
        self.actor_id = Some(id);
        self
    }

    pub fn tenant(mut self, id: Uuid, name: &str) -> Audit {
        self.tenant_id = Some(id);
        self.tenant = Some(name.to_string());
        self
    }

    pub fn detail(mut self, detail: Value) -> Audit {
        self.detail = detail;
        self
    }

    pub fn result(mut self, result: impl Into<String>) -> Audit {
        self.result = result.into();
        self
    }
}

/// Writes the event in the caller's transaction.
pub async fn record(conn: &mut PgConnection, a: Audit) -> Result<(), sqlx::Error> {
    sqlx::query!(
        r#"INSERT INTO audit_events (actor_id, actor, tenant_id, tenant, action, target, detail, result, request_id)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"#,
        a.actor_id,
        a.actor,
        a.tenant_id,
        a.tenant,
        a.action,
        a.target,
        a.detail,
        a.result,
        a.request_id
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Writes an event on its own (refusals, logins); a failure is logged, not returned.
pub async fn record_standalone(db: &PgPool, a: Audit) {
    let action = a.action.clone();
    match db.acquire().await {
        Ok(mut conn) => {
            if let Err(e) = record(&mut conn, a).await {
                tracing::warn!(%action, error = %e, "could not write an audit event");
            }
        }
        Err(e) => tracing::warn!(%action, error = %e, "could not write an audit event"),
    }
}
