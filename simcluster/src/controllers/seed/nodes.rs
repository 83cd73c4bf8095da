//! The nodes of the seeded cluster, as their kubelets register them: a control-plane node, two
//! workers in different zones and a GPU node, with labels, taints, capacity and allocatable,
//! addresses, conditions, node info and a pod CIDR each; plus their Leases.

use chrono::{Duration, Utc};
use serde_json::{Map, Value, json};

use crate::cluster::Sim;
use crate::sim_metrics::hash64;
use crate::store::Key;

/// One node of the seed.
struct Spec {
    name: &'static str,
    role: &'static str,
    zone: &'static str,
    instance_type: &'static str,
    cpu: i64,
    memory_gi: i64,
    gpus: i64,
    taint: Option<(&'static str, &'static str)>,
}

const NODES: &[Spec] = &[
    Spec {
        name: "sim-control-plane",
        role: "control-plane",
        zone: "sim-region-1a",
        instance_type: "m6i.xlarge",
        cpu: 4,
        memory_gi: 16,
        gpus: 0,
        taint: Some(("node-role.kubernetes.io/control-plane", "")),
    },
    Spec {
        name: "sim-worker-1",
        role: "worker",
        zone: "sim-region-1a",
        instance_type: "m6i.2xlarge",
        cpu: 8,
        memory_gi: 32,
        gpus: 0,
        taint: None,
    },
    Spec {
        name: "sim-worker-2",
        role: "worker",
        zone: "sim-region-1b",
        instance_type: "m6i.2xlarge",
        cpu: 8,
        memory_gi: 32,
        gpus: 0,
        taint: None,
    },
    Spec {
        name: "sim-gpu-1",
        role: "gpu",
        zone: "sim-region-1b",
        instance_type: "g5.4xlarge",
        cpu: 16,
        memory_gi: 64,
        gpus: 4,
        taint: Some(("nvidia.com/gpu", "present")),
    },
];

/// The name of the control-plane node (static pods run there).
pub const CONTROL_PLANE: &str = "sim-control-plane";

fn hex(seed: u64, parts: &[&str], len: usize) -> String {
    let mut s = String::new();
    let mut i = 0u64;
    while s.len() < len {
        s.push_str(&format!("{:016x}", hash64(seed ^ i, parts)));
        i += 1;
    }
    s.truncate(len);
    s
}

fn uuid_from(seed: u64, parts: &[&str]) -> String {
    let h = hex(seed, parts, 32);
    format!(
        "{}-{}-{}-{}-{}",
        &h[..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..]
    )
}

fn condition(
    kind: &str,
    status: &str,
    reason: &str,
    message: &str,
    beat: &str,
    since: &str,
) -> Value {
    json!({"type": kind, "status": status, "lastHeartbeatTime": beat, "lastTransitionTime": since, "reason": reason, "message": message})
}

fn node(seed: u64, i: usize, s: &Spec) -> Value {
    let created = (Utc::now() - Duration::days(4) - Duration::minutes(7 * i as i64))
        .format("%Y-%m-%dT%H:%M:%SZ")
        .to_string();
    let now = super::super::now();
    let mut labels = Map::new();
    for (k, v) in [
        ("beta.kubernetes.io/arch", "amd64"),
        ("beta.kubernetes.io/instance-type", s.instance_type),
        ("beta.kubernetes.io/os", "linux"),
        ("kubernetes.io/arch", "amd64"),
        ("kubernetes.io/hostname", s.name),
        ("kubernetes.io/os", "linux"),
        ("node.kubernetes.io/instance-type", s.instance_type),
        ("topology.kubernetes.io/region", "sim-region-1"),
        ("topology.kubernetes.io/zone", s.zone),
    ] {
        labels.insert(k.into(), json!(v));
    }
    match s.role {
        "control-plane" => {
            labels.insert("node-role.kubernetes.io/control-plane".into(), json!(""));
            labels.insert(
                "node.kubernetes.io/exclude-from-external-load-balancers".into(),
                json!(""),
            );
        }
        "gpu" => {
            labels.insert("node-role.kubernetes.io/gpu".into(), json!(""));
            for (k, v) in [
                ("nvidia.com/gpu.present", "true"),
                ("nvidia.com/gpu.product", "NVIDIA-A10G"),
                ("nvidia.com/gpu.count", "4"),
                ("nvidia.com/gpu.memory", "23028"),
            ] {
                labels.insert(k.into(), json!(v));
            }
        }
        _ => {
            labels.insert("node-role.kubernetes.io/worker".into(), json!(""));
        }
    }
    let mem_ki = s.memory_gi * 1024 * 1024 * 98 / 100;
    let disk_ki: i64 = 102_626_232;
    let mut capacity = json!({"cpu": s.cpu.to_string(), "ephemeral-storage": format!("{disk_ki}Ki"), "hugepages-1Gi": "0", "hugepages-2Mi": "0", "memory": format!("{mem_ki}Ki"), "pods": "110"});
    let mut allocatable = json!({"cpu": s.cpu.to_string(), "ephemeral-storage": (disk_ki * 1024 / 10 * 9).to_string(), "hugepages-1Gi": "0", "hugepages-2Mi": "0", "memory": format!("{}Ki", mem_ki - 102_400), "pods": "110"});
    if s.gpus > 0 {
        capacity["nvidia.com/gpu"] = json!(s.gpus.to_string());
        allocatable["nvidia.com/gpu"] = json!(s.gpus.to_string());
    }
    let mut spec = json!({"podCIDR": cidr(i), "podCIDRs": [cidr(i)], "providerID": format!("sim://sim-region-1/{}/{}", s.zone, s.name)});
    if let Some((k, v)) = s.taint {
        let mut t = json!({"key": k, "effect": "NoSchedule"});
        if !v.is_empty() {
            t = json!({"key": k, "value": v, "effect": "NoSchedule"});
        }
        spec["taints"] = json!([t]);
    }
    let conditions = json!([
        condition(
            "MemoryPressure",
            "False",
            "KubeletHasSufficientMemory",
            "kubelet has sufficient memory available",
            &now,
            &created
        ),
        condition(
            "DiskPressure",
            "False",
            "KubeletHasNoDiskPressure",
            "kubelet has no disk pressure",
            &now,
            &created
        ),
        condition(
            "PIDPressure",
            "False",
            "KubeletHasSufficientPID",
            "kubelet has sufficient PID available",
            &now,
            &created
        ),
        condition(
            "Ready",
            "True",
            "KubeletReady",
            "kubelet is posting ready status",
            &now,
            &created
        ),
    ]);
    json!({
        "kind": "Node",
        "apiVersion": "v1",
        "metadata": {
            "name": s.name,
            "uid": uuid_from(seed, &["node-uid", s.name]),
            "creationTimestamp": created,
            "labels": labels,
            "annotations": {
                "kubeadm.alpha.kubernetes.io/cri-socket": "unix:///run/containerd/containerd.sock",
                "node.alpha.kubernetes.io/ttl": "0",
                "volumes.kubernetes.io/controller-managed-attach-detach": "true",
            },
        },
        "spec": spec,
        "status": {
            "capacity": capacity,
            "allocatable": allocatable,
            "conditions": conditions,
            "addresses": [{"type": "InternalIP", "address": format!("172.18.0.{}", i + 2)}, {"type": "Hostname", "address": s.name}],
            "daemonEndpoints": {"kubeletEndpoint": {"Port": 10250}},
            "nodeInfo": {
                "machineID": hex(seed, &["machine", s.name], 32),
                "systemUUID": uuid_from(seed, &["system", s.name]),
                "bootID": uuid_from(seed, &["boot", s.name]),
                "kernelVersion": "6.8.0-60-generic",
                "osImage": "Ubuntu 24.04.2 LTS",
                "containerRuntimeVersion": "containerd://2.1.3",
                "kubeletVersion": "v1.36.2",
                "kubeProxyVersion": "",
                "operatingSystem": "linux",
                "architecture": "amd64",
            },
            "runtimeHandlers": [
                {"name": "runc", "features": {"recursiveReadOnlyMounts": true, "userNamespaces": true}},
                {"name": "", "features": {"recursiveReadOnlyMounts": true, "userNamespaces": true}},
            ],
            "features": {"supplementalGroupsPolicy": true},
        },
    })
}

/// Register the nodes and their Leases.
/// The pod CIDR of the i-th node: 10.244.0.0/24, 10.244.1.0/24, ... (10.245.0.0/24 after 255).
fn cidr(i: usize) -> String {
    format!("10.{}.{}.0/24", 244 + i / 256, i % 256)
}

pub fn create(sim: &Sim) {
    // `SimConfig::extra_nodes` more workers like sim-worker-1/2, for clusters of any size.
    let extra: Vec<Spec> = (0..sim.config.extra_nodes)
        .map(|k| Spec {
            name: Box::leak(format!("sim-worker-{}", k + 3).into_boxed_str()),
            role: "worker",
            zone: if k % 2 == 0 {
                "sim-region-1a"
            } else {
                "sim-region-1b"
            },
            instance_type: "m6i.2xlarge",
            cpu: 8,
            memory_gi: 32,
            gpus: 0,
            taint: None,
        })
        .collect();
    for (i, s) in NODES.iter().chain(extra.iter()).enumerate() {
        let n = node(sim.config.random_seed, i, s);
        let _ = sim.store.create(Key::new("nodes", "", s.name), n.clone());
        let _ = sim.store.create(
            Key::new("coordination.k8s.io/leases", "kube-node-lease", s.name),
            crate::controllers::kubelet::node::lease(&n),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nodes_look_registered() {
        let n = node(42, 3, &NODES[3]);
        assert_eq!(n["status"]["allocatable"]["nvidia.com/gpu"], "4");
        assert_eq!(
            n["spec"]["taints"][0],
            json!({"key": "nvidia.com/gpu", "value": "present", "effect": "NoSchedule"})
        );
        assert_eq!(n["spec"]["podCIDR"], "10.244.3.0/24");
        assert_eq!(n["metadata"]["uid"].as_str().unwrap().len(), 36);
        assert_eq!(
            node(42, 3, &NODES[3])["status"]["nodeInfo"],
            n["status"]["nodeInfo"]
        );
    }
}
