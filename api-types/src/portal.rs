//! The portal API's request and response bodies (`/api/v1/...`). Ids are UUID strings and times
//! RFC 3339 strings, so this crate needs nothing but serde.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::quota::ResourceList;

/// A user's role in one tenant, weakest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Role {
    TenantViewer,
    TenantMember,
    TenantAdmin,
}

impl Role {
    pub const ALL: [Role; 3] = [Role::TenantViewer, Role::TenantMember, Role::TenantAdmin];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::TenantViewer => "tenant-viewer",
            Role::TenantMember => "tenant-member",
            Role::TenantAdmin => "tenant-admin",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == s)
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct LoginRequest {
    pub username: String,
    pub password: String,
}

/// The caller: who they are and what they may do.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Me {
    pub id: String,
    pub username: String,
    pub display_name: String,
    pub platform_admin: bool,
    pub tenants: Vec<TenantRole>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TenantRole {
    pub tenant: String,
    pub role: Role,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ChangePassword {
    pub current_password: String,
    pub new_password: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct User {
    pub id: String,
    pub username: String,
    pub display_name: String,
    pub platform_admin: bool,
    pub disabled: bool,
    pub created_at: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CreateUser {
    pub username: String,
    #[serde(default)]
    pub display_name: String,
    pub password: String,
    #[serde(default)]
    pub platform_admin: bool,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct UpdateUser {
    pub display_name: Option<String>,
    pub platform_admin: Option<bool>,
    pub disabled: Option<bool>,
    /// A new password set by a platform admin (ends the user's sessions).
    pub password: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CreateToken {
    pub name: String,
    /// Days until the token expires (`None`: never).
    pub expires_in_days: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ApiToken {
    pub id: String,
    pub name: String,
    /// The first characters of the secret, to recognise it.
    pub prefix: String,
    pub expires_at: Option<String>,
    pub last_used_at: Option<String>,
    pub revoked: bool,
    pub created_at: String,
}

/// The answer to creating a token: the secret is shown this once.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CreatedToken {
    pub token: ApiToken,
    pub secret: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Tenant {
    pub id: String,
    pub name: String,
    pub display_name: String,
    pub description: String,
    pub budget: ResourceList,
    /// Sum of the namespace quotas per resource.
    pub allocated: ResourceList,
    pub pod_security: String,
    pub disabled: bool,
    pub namespaces: i64,
    pub created_at: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CreateTenant {
    pub name: String,
    #[serde(default)]
    pub display_name: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub budget: ResourceList,
    pub pod_security: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct UpdateTenant {
    pub display_name: Option<String>,
    pub description: Option<String>,
    /// Budget resources to set (merged into the budget; the others keep their values).
    pub budget: Option<ResourceList>,
    pub pod_security: Option<String>,
    pub disabled: Option<bool>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Member {
    pub username: String,
    pub display_name: String,
    pub role: Role,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SetMember {
    pub role: Role,
}

/// Container defaults of a namespace (its LimitRange).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ContainerLimits {
    #[serde(default)]
    pub default: ResourceList,
    #[serde(default)]
    pub default_request: ResourceList,
    #[serde(default)]
    pub max: ResourceList,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Namespace {
    pub id: String,
    pub name: String,
    pub tenant: String,
    pub quota: ResourceList,
    pub limits: ContainerLimits,
    /// `pending`, `in-sync`, `failed`, `deleting` or `removed`.
    pub sync_state: String,
    pub sync_message: String,
    pub synced_at: Option<String>,
    pub generation: i64,
    pub synced_generation: i64,
    pub created_at: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CreateNamespace {
    pub name: String,
    #[serde(default)]
    pub quota: ResourceList,
    pub limits: Option<ContainerLimits>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct UpdateNamespace {
    /// The whole new quota.
    pub quota: Option<ResourceList>,
    pub limits: Option<ContainerLimits>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AdoptNamespace {
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QuotaRequest {
    pub id: String,
    pub tenant: String,
    /// `None`: a change of the tenant budget.
    pub namespace: Option<String>,
    pub requester: String,
    pub reason: String,
    pub requested: ResourceList,
    /// `pending`, `approved`, `rejected` or `cancelled`.
    pub status: String,
    pub approved: Option<ResourceList>,
    pub decider: Option<String>,
    pub decision_reason: String,
    pub created_at: String,
    pub decided_at: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CreateQuotaRequest {
    pub namespace: Option<String>,
    pub reason: String,
    /// Resources to change and their wanted values (others stay as they are).
    pub requested: ResourceList,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct DecideQuotaRequest {
    /// Approve with these values instead of the requested ones.
    pub approved: Option<ResourceList>,
    #[serde(default)]
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditEvent {
    pub id: i64,
    pub at: String,
    pub actor: String,
    pub tenant: Option<String>,
    pub action: String,
    pub target: String,
    pub detail: serde_json::Value,
    pub result: String,
    pub request_id: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AuditPage {
    pub events: Vec<AuditEvent>,
    /// Pass as `before` to get the next (older) page.
    pub next: Option<i64>,
}

/// Used vs hard of one namespace, from the cluster's ResourceQuota status.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NamespaceUsage {
    pub namespace: String,
    pub hard: ResourceList,
    pub used: ResourceList,
    /// False when the cluster has no quota status for it (yet).
    pub observed: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TenantUsage {
    pub tenant: String,
    pub budget: ResourceList,
    pub allocated: ResourceList,
    pub used: ResourceList,
    pub namespaces: Vec<NamespaceUsage>,
    /// Set when the cluster could not be asked (usage is then incomplete).
    pub cluster_error: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NodeCapacity {
    pub name: String,
    pub capacity: ResourceList,
    pub allocatable: ResourceList,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClusterCapacity {
    pub allocatable: ResourceList,
    pub capacity: ResourceList,
    pub nodes: Vec<NodeCapacity>,
    /// What the tenant budgets promise together.
    pub budgets: ResourceList,
}
