//! The seeded world (`SimConfig::seed`): `empty` registers the nodes (with their Leases) and the
//! built-in priority classes; `demo` adds workloads in a few namespaces and what kube-system
//! holds on a kubeadm cluster. Objects go through the API's create pipeline, so they carry the
//! same defaults, admission and validation as objects a client creates; the Deployments,
//! StatefulSets, DaemonSets and Jobs get their pods from the workload controllers.

mod custom;
mod demo;
mod nodes;

use std::sync::Arc;

use serde_json::json;

use crate::cluster::{Seed, Sim};
use crate::resources::json::str_at;
use crate::store::Key;

fn priority_classes() -> Vec<demo::Obj> {
    [
        ("system-cluster-critical", 2_000_000_000, "Used for system critical pods that must run in the cluster, but can be moved to another node if necessary."),
        ("system-node-critical", 2_000_001_000, "Used for system critical pods that must not be moved from their current node."),
    ]
    .into_iter()
    .map(|(name, value, description)| ("scheduling.k8s.io/v1", "priorityclasses", "", json!({"metadata": {"name": name}, "value": value, "description": description})))
    .collect()
}

/// Create the seed's objects; returns how many could not be created (each is logged).
pub fn run(sim: &Arc<Sim>) -> usize {
    if sim.config.seed == Seed::None {
        return 0;
    }
    nodes::create(sim);
    let mut objs: Vec<(demo::Obj, &str)> = priority_classes()
        .into_iter()
        .map(|o| (o, "kube-apiserver"))
        .collect();
    if sim.config.seed == Seed::Demo {
        objs.extend(
            demo::kube_system(sim.config.metrics_api)
                .into_iter()
                .map(|o| (o, "kubeadm")),
        );
        if let Some(cp) = sim.store.get(&Key::new("nodes", "", nodes::CONTROL_PLANE)) {
            let ip = crate::controllers::kubelet::node::internal_ip(&cp).unwrap_or_default();
            objs.extend(
                demo::static_pods(nodes::CONTROL_PLANE, str_at(&cp, "metadata/uid"), &ip)
                    .into_iter()
                    .map(|o| (o, "kubelet")),
            );
        }
        objs.extend(demo::workloads().into_iter().map(|o| (o, "kubectl-create")));
        objs.extend(
            custom::objects()
                .into_iter()
                .map(|o| (o, "kubectl-client-side-apply")),
        );
    }
    let mut failed = 0;
    for ((api_version, plural, ns, obj), manager) in objs {
        let name = str_at(&obj, "metadata/name").to_string();
        match crate::api::create_as_admin(sim, api_version, plural, ns, obj, manager) {
            Ok(_) if plural == "namespaces" => super::namespace::populate(sim, &name),
            // Established at once, so that its objects can follow.
            Ok(_) if plural == "customresourcedefinitions" => {
                crate::crd::controller::reconcile(sim)
            }
            Ok(_) => {}
            Err(e) => {
                failed += 1;
                tracing::warn!(resource = plural, namespace = ns, name, error = %e, "seeding failed");
            }
        }
    }
    failed
}
