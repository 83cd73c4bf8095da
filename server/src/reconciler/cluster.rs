//! The cluster side of reconciliation: what a managed namespace should look like, making the
//! cluster match it (Namespace, ResourceQuota, LimitRange, Pod Security labels), watching for
//! drift, and read-only views (quota usage, capacity, existing namespaces). No database here;
//! the cluster is reached only through a `kube::Client`.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

mod apply;
mod drift;
mod error;
mod observe;
pub mod quantity;

pub use apply::{apply, remove};
pub use drift::drift_events;
pub use error::ClusterError;
pub use observe::{
    Capacity, ClusterNamespace, NodeCapacity, QuotaStatus, capacity, existing_quota,
    list_namespaces, quota_status,
};

/// Name of the ResourceQuota the portal manages in each of its namespaces.
pub const QUOTA_NAME: &str = "ku8portal-quota";
/// Name of the LimitRange the portal manages in each of its namespaces.
pub const LIMITS_NAME: &str = "ku8portal-limits";
/// The label on every object the portal manages (watches select on it).
pub const MANAGED_BY: (&str, &str) = ("app.kubernetes.io/managed-by", "ku8portal");
/// The label saying which tenant a namespace belongs to.
pub const TENANT_LABEL: &str = "ku8portal.io/tenant";
/// The field manager of every write the portal makes.
pub const FIELD_MANAGER: &str = "ku8portal";
/// The Pod Security Admission levels a namespace can enforce.
pub const POD_SECURITY_LEVELS: [&str; 3] = ["privileged", "baseline", "restricted"];

/// What one managed namespace should look like in the cluster.
#[derive(Debug, Clone, PartialEq)]
pub struct DesiredNamespace {
    pub name: String,
    /// Value of the `ku8portal.io/tenant` label.
    pub tenant: String,
    /// `privileged`, `baseline` or `restricted`: the `pod-security.kubernetes.io/enforce` label
    /// (with `enforce-version: latest`), and `warn` and `audit` at the same level.
    pub pod_security: String,
    /// ResourceQuota `spec.hard` (already validated quantities).
    pub quota: BTreeMap<String, String>,
    pub limits: ContainerLimits,
}

/// The LimitRange item of type `Container` (the portal API's type).
pub use api_types::portal::ContainerLimits;

/// The item as the apiserver stores it after `SetDefaults_LimitRangeItem`: a missing default
/// limit takes the max, a missing default request takes the default limit.
pub fn defaulted(limits: &ContainerLimits) -> ContainerLimits {
    let mut out = limits.clone();
    for (k, v) in &limits.max {
        out.default.entry(k.clone()).or_insert_with(|| v.clone());
    }
    for (k, v) in &out.default.clone() {
        out.default_request
            .entry(k.clone())
            .or_insert_with(|| v.clone());
    }
    out
}

impl DesiredNamespace {
    /// The labels the portal owns on the Namespace.
    pub fn namespace_labels(&self) -> BTreeMap<String, String> {
        let level = self.pod_security.clone();
        [
            (TENANT_LABEL, self.tenant.clone()),
            (MANAGED_BY.0, MANAGED_BY.1.to_string()),
            ("pod-security.kubernetes.io/enforce", level.clone()),
            (
                "pod-security.kubernetes.io/enforce-version",
                "latest".into(),
            ),
            ("pod-security.kubernetes.io/warn", level.clone()),
            ("pod-security.kubernetes.io/audit", level),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect()
    }
}

/// What [`apply`] changed, for logs and the audit trail.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ApplyOutcome {
    /// The Namespace did not exist and was created.
    pub created_namespace: bool,
    /// The objects created or corrected, e.g. `ResourceQuota ku8portal-quota`.
    pub changed: Vec<String>,
}

impl ApplyOutcome {
    /// Nothing had to change: the cluster already matched.
    pub fn is_noop(&self) -> bool {
        !self.created_namespace && self.changed.is_empty()
    }
}

/// The state of a namespace [`remove`] asked to delete.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Removed {
    /// The Namespace no longer exists.
    Gone,
    /// The Namespace is being deleted (its content is being removed).
    Terminating,
}
