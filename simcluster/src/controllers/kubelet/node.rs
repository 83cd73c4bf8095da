//! The node side of the simulated kubelets: the node's Lease in `kube-node-lease` renewed every
//! 10 s, the condition heartbeats of the node status once a minute, pod IPs from the node's pod
//! CIDR.

use std::collections::{HashMap, HashSet};
use std::net::Ipv4Addr;
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::cluster::Sim;
use crate::controllers::event_recorder::micro_now;
use crate::resources::json::str_at;
use crate::store::{Key, object_rv};

/// How often the Lease is renewed and the node status heartbeat written.
const LEASE_EVERY: Duration = Duration::from_secs(10);
const STATUS_EVERY: Duration = Duration::from_secs(60);

/// When a node's lease and status were last written.
pub struct Beats {
    lease: Instant,
    status: Instant,
}

/// The first free address of the node's `spec.podCIDR` (from .2; .1 is the bridge).
pub fn free_ip(node: &Value, used: &HashSet<String>) -> Option<String> {
    let (base, bits) = str_at(node, "spec/podCIDR").split_once('/')?;
    let base: Ipv4Addr = base.parse().ok()?;
    let bits: u32 = bits.parse().ok().filter(|b| (8..=30).contains(b))?;
    let size = 1u32 << (32 - bits);
    let start = u32::from(base);
    (2..size - 1)
        .map(|off| Ipv4Addr::from(start + off).to_string())
        .find(|ip| !used.contains(ip))
}

/// The node's `InternalIP` address.
pub fn internal_ip(node: &Value) -> Option<String> {
    node.pointer("/status/addresses")?
        .as_array()?
        .iter()
        .find(|a| a["type"] == "InternalIP")
        .and_then(|a| a["address"].as_str())
        .map(str::to_string)
}

/// Whether a node is run by a simulated kubelet (it reports a kubelet version).
pub fn simulated(node: &Value) -> bool {
    !str_at(node, "status/nodeInfo/kubeletVersion").is_empty()
}

/// The node's Lease as the kubelet creates it.
pub fn lease(node: &Value) -> Value {
    let name = str_at(node, "metadata/name");
    json!({
        "kind": "Lease",
        "apiVersion": "coordination.k8s.io/v1",
        "metadata": {
            "name": name,
            "namespace": "kube-node-lease",
            "uid": uuid::Uuid::new_v4().to_string(),
            "creationTimestamp": super::super::now(),
            "ownerReferences": [{"apiVersion": "v1", "kind": "Node", "name": name, "uid": str_at(node, "metadata/uid")}],
        },
        "spec": {"holderIdentity": name, "leaseDurationSeconds": 40, "renewTime": micro_now()},
    })
}

/// Renew the node's Lease and, less often, the heartbeat times of its conditions.
pub fn heartbeat(sim: &Sim, node: &Value, beats: &mut HashMap<String, Beats>) {
    if !simulated(node) {
        return;
    }
    let name = str_at(node, "metadata/name").to_string();
    let due_lease = beats
        .get(&name)
        .is_none_or(|b| b.lease.elapsed() >= LEASE_EVERY);
    let due_status = beats
        .get(&name)
        .is_some_and(|b| b.status.elapsed() >= STATUS_EVERY);
    let entry = beats.entry(name.clone()).or_insert(Beats {
        lease: Instant::now(),
        status: Instant::now(),
    });
    if due_lease {
        entry.lease = Instant::now();
        let key = Key::new("coordination.k8s.io/leases", "kube-node-lease", &name);
        match sim.store.get(&key) {
            Some(l) => {
                let mut next = (*l).clone();
                next["spec"]["renewTime"] = json!(micro_now());
                let _ = sim.store.update(&key, next, Some(object_rv(&l)));
            }
            None => {
                if sim
                    .store
                    .get(&Key::new("namespaces", "", "kube-node-lease"))
                    .is_some()
                {
                    let _ = sim.store.create(key, lease(node));
                }
            }
        }
    }
    if due_status {
        entry.status = Instant::now();
        let key = Key::new("nodes", "", &name);
        let mut next = node.clone();
        let now = super::super::now();
        if let Some(conds) = next
            .pointer_mut("/status/conditions")
            .and_then(Value::as_array_mut)
        {
            for c in conds {
                c["lastHeartbeatTime"] = json!(now);
            }
        }
        let _ = sim.store.update(&key, next, Some(object_rv(node)));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pod_ips_come_from_the_node_cidr() {
        let node = json!({"spec": {"podCIDR": "10.244.3.0/24"}});
        let mut used = HashSet::new();
        assert_eq!(free_ip(&node, &used).as_deref(), Some("10.244.3.2"));
        used.insert("10.244.3.2".to_string());
        assert_eq!(free_ip(&node, &used).as_deref(), Some("10.244.3.3"));
        assert_eq!(free_ip(&json!({}), &used), None);
    }
}
