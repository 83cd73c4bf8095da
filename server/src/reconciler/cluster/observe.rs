//! Read-only views of the cluster: a managed namespace's quota usage, node capacity, the
//! namespaces that exist and the quotas already in one (for adopting it).

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::{Namespace, Node, ResourceQuota};
use kube::api::{Api, ListParams};
use kube::{Client, ResourceExt};
use serde::{Deserialize, Serialize};

use super::apply::to_strings;
use super::quantity::{sum_lists, to_nanos};
use super::{ClusterError, MANAGED_BY, QUOTA_NAME};

/// `spec.hard` and `status.used` of a namespace's `ku8portal-quota`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct QuotaStatus {
    pub hard: BTreeMap<String, String>,
    pub used: BTreeMap<String, String>,
}

/// The observed quota of a managed namespace; `None` when the quota (or the namespace) is
/// absent.
pub async fn quota_status(
    client: &Client,
    namespace: &str,
) -> Result<Option<QuotaStatus>, ClusterError> {
    let api: Api<ResourceQuota> = Api::namespaced(client.clone(), namespace);
    Ok(api.get_opt(QUOTA_NAME).await?.as_ref().map(QuotaStatus::of))
}

impl QuotaStatus {
    /// Hard and used of a ResourceQuota object.
    pub fn of(rq: &ResourceQuota) -> QuotaStatus {
        QuotaStatus {
            hard: to_strings(rq.spec.as_ref().and_then(|s| s.hard.as_ref())),
            used: to_strings(rq.status.as_ref().and_then(|s| s.used.as_ref())),
        }
    }
}

/// One node's resources.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct NodeCapacity {
    pub name: String,
    pub capacity: BTreeMap<String, String>,
    pub allocatable: BTreeMap<String, String>,
    /// The node's `Ready` condition is `True`.
    pub ready: bool,
    /// Cordoned (`spec.unschedulable`).
    pub unschedulable: bool,
}

/// The cluster's nodes and their allocatable resources summed.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Capacity {
    /// Allocatable summed over all nodes (cpu, memory, pods, nvidia.com/gpu, ...), as canonical
    /// quantities (`36`, `140Gi`).
    pub allocatable: BTreeMap<String, String>,
    pub nodes: Vec<NodeCapacity>,
}

/// Allocatable capacity summed over the nodes, plus the per-node list.
pub async fn capacity(client: &Client) -> Result<Capacity, ClusterError> {
    let api: Api<Node> = Api::all(client.clone());
    let mut nodes = Vec::new();
    for node in api.list(&ListParams::default()).await?.items {
        let status = node.status.clone().unwrap_or_default();
        let allocatable = to_strings(status.allocatable.as_ref());
        nodes.push(NodeCapacity {
            name: node.name_any(),
            capacity: to_strings(status.capacity.as_ref()),
            allocatable,
            ready: status
                .conditions
                .unwrap_or_default()
                .iter()
                .any(|c| c.type_ == "Ready" && c.status == "True"),
            unschedulable: node.spec.and_then(|s| s.unschedulable).unwrap_or(false),
        });
    }
    let (allocatable, bad) = sum_lists(nodes.iter().map(|n| &n.allocatable));
    for (resource, value) in bad {
        tracing::warn!(%resource, %value, "node allocatable is not a quantity; left out of the total");
    }
    Ok(Capacity { allocatable, nodes })
}

/// A namespace that exists in the cluster.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ClusterNamespace {
    pub name: String,
    pub labels: BTreeMap<String, String>,
    /// Labelled `app.kubernetes.io/managed-by: ku8portal`.
    pub managed: bool,
    /// Being deleted.
    pub terminating: bool,
}

/// Every namespace in the cluster, by name (for "adopt an existing namespace").
pub async fn list_namespaces(client: &Client) -> Result<Vec<ClusterNamespace>, ClusterError> {
    let api: Api<Namespace> = Api::all(client.clone());
    let mut out: Vec<ClusterNamespace> = api
        .list(&ListParams::default())
        .await?
        .items
        .into_iter()
        .map(|ns| {
            let labels = ns.metadata.labels.clone().unwrap_or_default();
            ClusterNamespace {
                name: ns.name_any(),
                managed: labels.get(MANAGED_BY.0).is_some_and(|v| v == MANAGED_BY.1),
                labels,
                terminating: ns.metadata.deletion_timestamp.is_some(),
            }
        })
        .collect();
    out.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(out)
}

/// The hard limits already in force in a namespace: with several ResourceQuotas, the strictest
/// (smallest) per resource, since every quota applies. Empty when there is none.
pub async fn existing_quota(
    client: &Client,
    namespace: &str,
) -> Result<BTreeMap<String, String>, ClusterError> {
    let api: Api<ResourceQuota> = Api::namespaced(client.clone(), namespace);
    let mut out: BTreeMap<String, String> = BTreeMap::new();
    for rq in api.list(&ListParams::default()).await?.items {
        for (k, v) in to_strings(rq.spec.as_ref().and_then(|s| s.hard.as_ref())) {
            let stricter = match out.get(&k) {
                None => true,
                Some(cur) => matches!((to_nanos(&v), to_nanos(cur)), (Some(a), Some(b)) if a < b),
            };
            if stricter {
                out.insert(k, v);
            }
        }
    }
    Ok(out)
}
