//! Deployment rollouts driven to the end with a stand-in kubelet that makes pods ready.

use serde_json::{Value, json};

use super::super::{deployment, replicaset, test_sim};
use crate::cluster::Sim;
use crate::resources::json::{arr_at, str_at};
use crate::store::{Key, is_deleting};

fn setup() -> std::sync::Arc<Sim> {
    let sim = test_sim(false);
    crate::controllers::bootstrap(&sim);
    let mut d = json!({"metadata": {"name": "web", "namespace": "default", "uid": "d-uid", "creationTimestamp": "2026-01-01T00:00:00Z"},
        "spec": {"replicas": 3, "selector": {"matchLabels": {"app": "web"}},
            "template": {"metadata": {"labels": {"app": "web"}}, "spec": {"containers": [{"name": "app", "image": "nginx:1.27"}]}}}});
    crate::resources::apply_defaults("apps", "Deployment", &mut d);
    crate::resources::prepare_create("apps", "Deployment", &mut d);
    sim.store
        .create(Key::new("apps/deployments", "default", "web"), d)
        .unwrap();
    sim
}

/// Every pending pod starts and becomes ready; pods marked for deletion go.
fn kubelet(sim: &Sim) {
    for p in sim.store.list("pods", Some("default")).0 {
        let key = Key::new("pods", "default", str_at(&p, "metadata/name"));
        if is_deleting(&p) {
            let _ = sim.store.delete(&key, None);
        } else if str_at(&p, "status/phase") == "Pending" {
            let mut next = (*p).clone();
            next["status"]["phase"] = json!("Running");
            next["status"]["conditions"] = json!([{"type": "Ready", "status": "True", "lastTransitionTime": "2026-01-01T00:00:00Z"}]);
            sim.store.update(&key, next, None).unwrap();
        }
    }
}

fn live_pods(sim: &Sim) -> usize {
    sim.store
        .list("pods", Some("default"))
        .0
        .iter()
        .filter(|p| !is_deleting(p))
        .count()
}

fn settle(sim: &Sim, max_pods: usize) {
    for _ in 0..30 {
        deployment::reconcile(sim);
        replicaset::reconcile(sim);
        assert!(
            live_pods(sim) <= max_pods,
            "more than replicas + maxSurge pods"
        );
        kubelet(sim);
    }
}

fn dep(sim: &Sim) -> Value {
    (*sim
        .store
        .get(&Key::new("apps/deployments", "default", "web"))
        .unwrap())
    .clone()
}

#[test]
fn rolling_update_replaces_all_pods_within_max_surge() {
    let sim = setup();
    settle(&sim, 4);
    let d = dep(&sim);
    assert_eq!(d["status"]["availableReplicas"], 3);
    assert_eq!(
        d["metadata"]["annotations"]["deployment.kubernetes.io/revision"],
        "1"
    );
    let mut next = d.clone();
    next["spec"]["template"]["spec"]["containers"][0]["image"] = json!("nginx:1.28");
    next["metadata"]["generation"] = json!(2);
    sim.store
        .update(&Key::new("apps/deployments", "default", "web"), next, None)
        .unwrap();
    settle(&sim, 4);
    let d = dep(&sim);
    assert_eq!(
        d["metadata"]["annotations"]["deployment.kubernetes.io/revision"],
        "2"
    );
    assert_eq!(
        (
            d["status"]["updatedReplicas"].clone(),
            d["status"]["availableReplicas"].clone()
        ),
        (json!(3), json!(3))
    );
    let progressing = arr_at(&d, "status/conditions")
        .iter()
        .find(|c| str_at(c, "type") == "Progressing")
        .unwrap()
        .clone();
    assert_eq!(progressing["reason"], "NewReplicaSetAvailable");
    let rss = sim.store.list("apps/replicasets", Some("default")).0;
    let sizes: Vec<(String, i64)> = rss
        .iter()
        .map(|r| {
            (
                r.pointer("/spec/template/spec/containers/0/image")
                    .and_then(Value::as_str)
                    .unwrap_or("")
                    .to_string(),
                r["spec"]["replicas"].as_i64().unwrap(),
            )
        })
        .collect();
    assert!(
        sizes.contains(&("nginx:1.28".into(), 3)) && sizes.contains(&("nginx:1.27".into(), 0)),
        "{sizes:?}"
    );
    assert!(sim.store.list("pods", Some("default")).0.iter().all(|p| {
        p.pointer("/spec/containers/0/image")
            .and_then(Value::as_str)
            == Some("nginx:1.28")
    }));
    let reasons: Vec<String> = sim
        .store
        .list("events", Some("default"))
        .0
        .iter()
        .filter(|e| e["involvedObject"]["kind"] == "Deployment")
        .map(|e| e["message"].as_str().unwrap().to_string())
        .collect();
    assert!(
        reasons
            .iter()
            .any(|m| m.starts_with("Scaled down replica set web-") && m.ends_with("to 0")),
        "{reasons:?}"
    );
}

#[test]
fn recreate_scales_old_pods_away_first_and_history_is_limited() {
    let sim = setup();
    let mut d = dep(&sim);
    d["spec"]["strategy"] = json!({"type": "Recreate"});
    d["spec"]["revisionHistoryLimit"] = json!(1);
    sim.store
        .update(&Key::new("apps/deployments", "default", "web"), d, None)
        .unwrap();
    settle(&sim, 3);
    for image in ["nginx:1.28", "nginx:1.29"] {
        let mut next = dep(&sim);
        next["spec"]["template"]["spec"]["containers"][0]["image"] = json!(image);
        sim.store
            .update(&Key::new("apps/deployments", "default", "web"), next, None)
            .unwrap();
        settle(&sim, 3);
    }
    let rss = sim.store.list("apps/replicasets", Some("default")).0;
    assert_eq!(
        rss.len(),
        2,
        "one old ReplicaSet is kept (revisionHistoryLimit 1)"
    );
    assert_eq!(dep(&sim)["status"]["availableReplicas"], 3);
}

#[test]
fn pod_creation_failures_show_as_replica_failure() {
    let sim = test_sim(false);
    crate::controllers::bootstrap(&sim);
    // A namespace whose default ServiceAccount does not exist (yet): pods are refused.
    let ns = json!({"metadata": {"name": "team", "uid": "ns-uid"}, "spec": {"finalizers": ["kubernetes"]}, "status": {"phase": "Active"}});
    sim.store
        .create(Key::new("namespaces", "", "team"), ns)
        .unwrap();
    let mut d = json!({"metadata": {"name": "web", "namespace": "team", "uid": "d2", "creationTimestamp": "2026-01-01T00:00:00Z"},
        "spec": {"replicas": 1, "selector": {"matchLabels": {"app": "web"}},
            "template": {"metadata": {"labels": {"app": "web"}}, "spec": {"containers": [{"name": "app", "image": "nginx:1.27"}]}}}});
    crate::resources::apply_defaults("apps", "Deployment", &mut d);
    crate::resources::prepare_create("apps", "Deployment", &mut d);
    sim.store
        .create(Key::new("apps/deployments", "team", "web"), d)
        .unwrap();
    for _ in 0..3 {
        deployment::reconcile(&sim);
        replicaset::reconcile(&sim);
    }
    let d = sim
        .store
        .get(&Key::new("apps/deployments", "team", "web"))
        .unwrap();
    let failure = arr_at(&d, "status/conditions")
        .iter()
        .find(|c| str_at(c, "type") == "ReplicaFailure")
        .expect("ReplicaFailure")
        .clone();
    assert_eq!(failure["reason"], "FailedCreate");
    let msg = failure["message"].as_str().unwrap();
    assert!(msg.starts_with("pods \"web-") && msg.ends_with("-\" is forbidden: error looking up service account team/default: serviceaccount \"default\" not found"), "{msg}");
    let events = sim.store.list("events", Some("team")).0;
    assert!(events.iter().any(|e| {
        e["reason"] == "FailedCreate"
            && e["type"] == "Warning"
            && e["message"]
                .as_str()
                .unwrap()
                .starts_with("Error creating: pods \"web-")
    }));
}
