//! ReplicaSet and ReplicationController controllers: keep `spec.replicas` active pods (create
//! from the template, delete the least valuable ones first), adopt matching orphans, release
//! pods that stopped matching, report status (replicas, fullyLabeled/ready/available,
//! terminating, observedGeneration, ReplicaFailure) and SuccessfulCreate/SuccessfulDelete/
//! FailedCreate events.

use std::sync::Arc;

use serde_json::{Map, Value, json};

use super::{
    Index, Reporter, by_creation, claim, controller_ref, create_pod, delete_reported, generation,
    labels, map_selects, name, namespace, pod_active, pod_available, pod_ready, pod_terminating,
    replicas, report_create, selects, uid, write_status,
};
use crate::cluster::Sim;
use crate::resources::json::{arr_at, at, i64_at, obj_at, str_at};
use crate::store::is_deleting;

/// Most pods created or deleted in one pass (the real controller's burstReplicas).
const BURST: usize = 500;

struct Flavor {
    resource: &'static str,
    kind: &'static str,
    api_version: &'static str,
    who: Reporter,
    /// ReplicationControllers: map selector, no terminatingReplicas in status.
    rc: bool,
}

const RS: Flavor = Flavor {
    resource: "apps/replicasets",
    kind: "ReplicaSet",
    api_version: "apps/v1",
    who: Reporter {
        component: "replicaset-controller",
        kind: "ReplicaSet",
        api_version: "apps/v1",
    },
    rc: false,
};
const RC: Flavor = Flavor {
    resource: "replicationcontrollers",
    kind: "ReplicationController",
    api_version: "v1",
    who: Reporter {
        component: "replication-controller",
        kind: "ReplicationController",
        api_version: "v1",
    },
    rc: true,
};

pub fn reconcile(sim: &Sim) {
    let pods = Index::of(sim, "pods");
    for f in [&RS, &RC] {
        for rs in sim.store.list(f.resource, None).0 {
            sync(sim, f, &rs, &pods);
        }
    }
}

fn matcher<'a>(f: &Flavor, rs: &'a Value) -> impl Fn(&Value) -> bool + 'a {
    let rc = f.rc;
    move |p: &Value| {
        if rc {
            let sel =
                obj_at(rs, "spec/selector").or_else(|| obj_at(rs, "spec/template/metadata/labels"));
            map_selects(sel, labels(p))
        } else {
            at(rs, "spec/selector").is_some_and(|s| !crate::resources::selector::is_empty(Some(s)))
                && selects(at(rs, "spec/selector"), labels(p))
        }
    }
}

/// Order pods from the first to delete to the last (`ActivePods` ranking, simplified).
fn deletion_rank(
    p: &Value,
) -> (
    bool,
    u8,
    bool,
    std::cmp::Reverse<i64>,
    std::cmp::Reverse<String>,
) {
    let assigned = !str_at(p, "spec/nodeName").is_empty();
    let phase = match super::phase(p) {
        "Pending" => 0,
        "Running" => 2,
        _ => 1,
    };
    let restarts: i64 = arr_at(p, "status/containerStatuses")
        .iter()
        .filter_map(|c| i64_at(c, "restartCount"))
        .sum();
    (
        assigned,
        phase,
        pod_ready(p),
        std::cmp::Reverse(restarts),
        std::cmp::Reverse(str_at(p, "metadata/creationTimestamp").to_string()),
    )
}

fn sync(sim: &Sim, f: &Flavor, rs: &Value, pods: &Index) {
    let matches = matcher(f, rs);
    let owner = controller_ref(f.kind, f.api_version, rs);
    let mut owned = claim(sim, "pods", rs, &owner, pods, pod_active, &matches);
    owned.sort_by(|a, b| by_creation(a, b));
    let terminating = pods
        .owned(uid(rs))
        .iter()
        .filter(|p| pod_terminating(p) && matches(p))
        .count();
    let mut failure: Option<(String, String)> = None;
    if !is_deleting(rs) {
        let want = replicas(rs).max(0) as usize;
        if owned.len() < want {
            let template = at(rs, "spec/template").cloned().unwrap_or(json!({}));
            let prefix = format!("{}-", name(rs));
            for _ in 0..(want - owned.len()).min(BURST) {
                let created = create_pod(
                    sim,
                    namespace(rs),
                    &template,
                    None,
                    &prefix,
                    owner.clone(),
                    |_| {},
                );
                if let Err(e) = report_create(sim, &f.who, rs, created) {
                    failure = Some(("FailedCreate".into(), e));
                    break;
                }
            }
        } else if owned.len() > want {
            let mut victims = owned.clone();
            victims.sort_by_key(|p| deletion_rank(p));
            for p in victims.iter().take((owned.len() - want).min(BURST)) {
                delete_reported(sim, &f.who, rs, p);
            }
        }
    }
    let status = calculate_status(f, rs, &owned, terminating, failure);
    write_status(sim, f.resource, rs, status);
}

fn calculate_status(
    f: &Flavor,
    rs: &Value,
    owned: &[Arc<Value>],
    terminating: usize,
    failure: Option<(String, String)>,
) -> Value {
    let now = chrono::Utc::now();
    let template_labels = obj_at(rs, "spec/template/metadata/labels");
    let min_ready = i64_at(rs, "spec/minReadySeconds").unwrap_or(0);
    let fully = owned
        .iter()
        .filter(|p| {
            template_labels.is_none_or(|t| {
                t.iter()
                    .all(|(k, v)| labels(p).and_then(|l| l.get(k)) == Some(v))
            })
        })
        .count();
    let ready = owned.iter().filter(|p| pod_ready(p)).count();
    let available = owned
        .iter()
        .filter(|p| pod_available(p, min_ready, now))
        .count();
    let mut conditions: Vec<Value> = arr_at(rs, "status/conditions").to_vec();
    let has_failure = conditions
        .iter()
        .any(|c| str_at(c, "type") == "ReplicaFailure");
    match failure {
        Some((reason, message)) if !has_failure => conditions.push(json!({
            "type": "ReplicaFailure", "status": "True", "lastTransitionTime": super::super::now(), "reason": reason, "message": message,
        })),
        None if has_failure => conditions.retain(|c| str_at(c, "type") != "ReplicaFailure"),
        _ => {}
    }
    let mut s = Map::new();
    s.insert("replicas".into(), json!(owned.len()));
    for (k, v) in [
        ("fullyLabeledReplicas", fully),
        ("readyReplicas", ready),
        ("availableReplicas", available),
    ] {
        if v > 0 {
            s.insert(k.into(), json!(v));
        }
    }
    if !f.rc {
        s.insert("terminatingReplicas".into(), json!(terminating));
    }
    if generation(rs) > 0 {
        s.insert("observedGeneration".into(), json!(generation(rs)));
    }
    if !conditions.is_empty() {
        s.insert("conditions".into(), Value::Array(conditions));
    }
    Value::Object(s)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Key;

    fn setup() -> std::sync::Arc<Sim> {
        let sim = super::super::test_sim(false);
        crate::controllers::bootstrap(&sim);
        sim
    }

    fn rs(replicas: i64) -> Value {
        json!({"metadata": {"name": "web", "namespace": "default", "uid": "rs-uid", "generation": 1, "creationTimestamp": "2026-01-01T00:00:00Z"},
            "spec": {"replicas": replicas, "selector": {"matchLabels": {"app": "web"}},
                "template": {"metadata": {"labels": {"app": "web"}}, "spec": {"containers": [{"name": "app", "image": "nginx:1.27"}]}}},
            "status": {"replicas": 0}})
    }

    fn pods(sim: &Sim) -> Vec<Arc<Value>> {
        sim.store.list("pods", Some("default")).0
    }

    #[test]
    fn keeps_the_replica_count_and_reports_status() {
        let sim = setup();
        sim.store
            .create(Key::new("apps/replicasets", "default", "web"), rs(3))
            .unwrap();
        reconcile(&sim);
        let ps = pods(&sim);
        assert_eq!(ps.len(), 3);
        let p = &ps[0];
        assert!(
            name(p).starts_with("web-") && name(p).len() == 9,
            "{}",
            name(p)
        );
        assert_eq!(p["metadata"]["ownerReferences"][0]["kind"], "ReplicaSet");
        assert_eq!(p["status"]["phase"], "Pending");
        assert_eq!(p["spec"]["serviceAccountName"], "default");
        reconcile(&sim);
        let stored = sim
            .store
            .get(&Key::new("apps/replicasets", "default", "web"))
            .unwrap();
        assert_eq!(
            stored["status"],
            json!({"replicas": 3, "fullyLabeledReplicas": 3, "terminatingReplicas": 0, "observedGeneration": 1})
        );
        // Scale down: pods go (they never ran), SuccessfulDelete events are written.
        let mut next = (*stored).clone();
        next["spec"]["replicas"] = json!(1);
        sim.store
            .update(&Key::new("apps/replicasets", "default", "web"), next, None)
            .unwrap();
        reconcile(&sim);
        assert_eq!(pods(&sim).len(), 1);
        let evs = sim.store.list("events", Some("default")).0;
        assert_eq!(
            evs.iter()
                .filter(|e| e["reason"] == "SuccessfulCreate")
                .count(),
            3
        );
        assert_eq!(
            evs.iter()
                .filter(|e| e["reason"] == "SuccessfulDelete")
                .count(),
            2
        );
    }

    #[test]
    fn adopts_orphans_and_releases_non_matching_pods() {
        let sim = setup();
        let orphan = json!({"metadata": {"name": "stray", "namespace": "default", "uid": "p1", "labels": {"app": "web"}}, "spec": {}, "status": {"phase": "Pending"}});
        sim.store
            .create(Key::new("pods", "default", "stray"), orphan)
            .unwrap();
        sim.store
            .create(Key::new("apps/replicasets", "default", "web"), rs(1))
            .unwrap();
        reconcile(&sim);
        let ps = pods(&sim);
        assert_eq!(
            ps.len(),
            1,
            "the orphan was adopted instead of creating a pod"
        );
        assert_eq!(super::super::controller_uid(&ps[0]), Some("rs-uid"));
        // Relabel: released, and a replacement is created.
        let mut relabeled = (*ps[0]).clone();
        relabeled["metadata"]["labels"] = json!({"app": "other"});
        sim.store
            .update(&Key::new("pods", "default", "stray"), relabeled, None)
            .unwrap();
        reconcile(&sim);
        let stray = sim
            .store
            .get(&Key::new("pods", "default", "stray"))
            .unwrap();
        assert!(stray["metadata"].get("ownerReferences").is_none());
        assert_eq!(pods(&sim).len(), 2);
    }

    #[test]
    fn replication_controllers_use_map_selectors() {
        let sim = setup();
        let rc = json!({"metadata": {"name": "rc", "namespace": "default", "uid": "rc-uid", "generation": 1},
            "spec": {"replicas": 2, "selector": {"app": "rc"}, "template": {"metadata": {"labels": {"app": "rc"}}, "spec": {"containers": [{"name": "c", "image": "busybox"}]}}},
            "status": {"replicas": 0}});
        sim.store
            .create(Key::new("replicationcontrollers", "default", "rc"), rc)
            .unwrap();
        reconcile(&sim);
        reconcile(&sim);
        let stored = sim
            .store
            .get(&Key::new("replicationcontrollers", "default", "rc"))
            .unwrap();
        assert_eq!(
            stored["status"],
            json!({"replicas": 2, "fullyLabeledReplicas": 2, "observedGeneration": 1})
        );
        let evs = sim.store.list("events", Some("default")).0;
        assert!(
            evs.iter()
                .all(|e| e["source"]["component"] == "replication-controller")
        );
    }
}
