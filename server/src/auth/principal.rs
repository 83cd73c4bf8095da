//! The `Principal` extractor: the authenticated caller (by bearer token or session cookie), with
//! its tenant memberships, and the role checks handlers use.

use api_types::portal::{Me, Role, TenantRole};
use axum::extract::FromRequestParts;
use axum::http::header;
use axum::http::request::Parts;
use tower_sessions::Session;
use uuid::Uuid;

use super::{session, tokens};
use crate::error::ApiError;
use crate::state::AppState;

/// One tenant the caller belongs to.
#[derive(Debug, Clone)]
pub struct Membership {
    pub tenant_id: Uuid,
    pub tenant: String,
    pub role: Role,
}

/// How the caller authenticated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Via {
    Session,
    Token,
}

/// The authenticated caller.
#[derive(Debug, Clone)]
pub struct Principal {
    pub user_id: Uuid,
    pub username: String,
    pub display_name: String,
    pub platform_admin: bool,
    pub memberships: Vec<Membership>,
    pub via: Via,
    /// The user's current `session_epoch` (a session from another epoch has ended).
    pub session_epoch: i32,
}

impl Principal {
    /// The caller's role in a tenant (platform admins count as tenant admins everywhere).
    pub fn role_in(&self, tenant_id: Uuid) -> Option<Role> {
        if self.platform_admin {
            return Some(Role::TenantAdmin);
        }
        self.memberships
            .iter()
            .find(|m| m.tenant_id == tenant_id)
            .map(|m| m.role)
    }

    pub fn require_platform_admin(&self) -> Result<(), ApiError> {
        if self.platform_admin {
            Ok(())
        } else {
            Err(ApiError::Forbidden(
                "this needs the platform-admin role".into(),
            ))
        }
    }

    /// At least `min` in the tenant; a non-member gets the same 404 as a missing tenant so
    /// tenant names do not leak.
    pub fn require_role(&self, tenant_id: Uuid, tenant: &str, min: Role) -> Result<Role, ApiError> {
        match self.role_in(tenant_id) {
            None => Err(ApiError::not_found(format!("tenant \"{tenant}\""))),
            Some(r) if r >= min => Ok(r),
            Some(r) => Err(ApiError::Forbidden(format!(
                "this needs the {min} role in tenant \"{tenant}\"; you are {r}"
            ))),
        }
    }

    pub fn me(&self) -> Me {
        Me {
            id: self.user_id.to_string(),
            username: self.username.clone(),
            display_name: self.display_name.clone(),
            platform_admin: self.platform_admin,
            tenants: self
                .memberships
                .iter()
                .map(|m| TenantRole {
                    tenant: m.tenant.clone(),
                    role: m.role,
                })
                .collect(),
        }
    }
}

/// Loads a user (enabled) and memberships.
pub async fn load(
    state: &AppState,
    user_id: Uuid,
    via: Via,
) -> Result<Option<Principal>, ApiError> {
    let Some(u) = sqlx::query!(
        "SELECT username, display_name, platform_admin, session_epoch FROM users WHERE id = $1 AND NOT disabled",
        user_id
    )
    .fetch_optional(&state.db)
    .await?
    else {
        return Ok(None);
    };
    let rows = sqlx::query!(
        r#"SELECT t.id, t.name, m.role FROM memberships m JOIN tenants t ON t.id = m.tenant_id
           WHERE m.user_id = $1 ORDER BY t.name"#,
        user_id
    )
    .fetch_all(&state.db)
    .await?;
    let memberships = rows
        .into_iter()
        .filter_map(|r| {
            Some(Membership {
                tenant_id: r.id,
                tenant: r.name,
                role: Role::parse(&r.role)?,
            })
        })
        .collect();
    Ok(Some(Principal {
        user_id,
        username: u.username,
        display_name: u.display_name,
        platform_admin: u.platform_admin,
        memberships,
        via,
        session_epoch: u.session_epoch,
    }))
}

impl FromRequestParts<AppState> for Principal {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        if let Some(auth) = parts.headers.get(header::AUTHORIZATION) {
            let secret = auth
                .to_str()
                .ok()
                .and_then(|v| v.strip_prefix("Bearer "))
                .ok_or_else(|| {
                    ApiError::Unauthenticated(
                        "the Authorization header must be \"Bearer <API token>\"".into(),
                    )
                })?;
            let user_id = tokens::authenticate(state, secret.trim()).await?;
            return load(state, user_id, Via::Token).await?.ok_or_else(|| {
                ApiError::Unauthenticated("the token's user is disabled or removed".into())
            });
        }
        let session = Session::from_request_parts(parts, state)
            .await
            .map_err(|(_, msg)| ApiError::internal(anyhow::anyhow!(msg)))?;
        session::authenticate(state, &session).await
    }
}
