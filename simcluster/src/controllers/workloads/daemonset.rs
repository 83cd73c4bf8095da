//! DaemonSet controller (basic form): one pod per node (`nodes` objects in the store) that
//! matches the template's nodeSelector and required node affinity and whose taints the pod
//! tolerates (with the DaemonSet's automatic tolerations); pods carry the node affinity the
//! scheduler binds them with, RollingUpdate within maxUnavailable, ControllerRevisions, status.

use std::collections::HashMap;
use std::sync::Arc;

use serde_json::{Value, json};

use super::{
    Index, Reporter, claim, controller_ref, create_pod, delete_reported, generation, labels, name,
    namespace, pod_available, report_create, selects,
};
use crate::cluster::Sim;
use crate::resources::json::{arr_at, at, i64_at, obj_at, str_at};
use crate::store::is_deleting;

const WHO: Reporter = Reporter {
    component: "daemonset-controller",
    kind: "DaemonSet",
    api_version: "apps/v1",
};
const TEMPLATE_GENERATION: &str = "deprecated.daemonset.template.generation";

/// Tolerations every DaemonSet pod gets (`AddOrUpdateDaemonPodTolerations`).
const AUTO_TOLERATIONS: &[(&str, &str)] = &[
    ("node.kubernetes.io/not-ready", "NoExecute"),
    ("node.kubernetes.io/unreachable", "NoExecute"),
    ("node.kubernetes.io/disk-pressure", "NoSchedule"),
    ("node.kubernetes.io/memory-pressure", "NoSchedule"),
    ("node.kubernetes.io/pid-pressure", "NoSchedule"),
    ("node.kubernetes.io/unschedulable", "NoSchedule"),
];

pub fn reconcile(sim: &Sim) {
    let sets = sim.store.list("apps/daemonsets", None).0;
    if sets.is_empty() {
        return;
    }
    let nodes = sim.store.list("nodes", None).0;
    let pods = Index::of(sim, "pods");
    for ds in sets {
        sync(sim, &ds, &nodes, &pods);
    }
}

fn tolerations(ds: &Value) -> Vec<Value> {
    let mut t: Vec<Value> = arr_at(ds, "spec/template/spec/tolerations").to_vec();
    let mut auto: Vec<(&str, &str)> = AUTO_TOLERATIONS.to_vec();
    if at(ds, "spec/template/spec/hostNetwork").and_then(Value::as_bool) == Some(true) {
        auto.push(("node.kubernetes.io/network-unavailable", "NoSchedule"));
    }
    for (key, effect) in auto {
        if !t
            .iter()
            .any(|x| str_at(x, "key") == key && str_at(x, "effect") == effect)
        {
            t.push(json!({"key": key, "operator": "Exists", "effect": effect}));
        }
    }
    t
}

fn tolerates(tols: &[Value], taint: &Value) -> bool {
    tols.iter().any(|t| {
        let key_ok = str_at(t, "key") == str_at(taint, "key")
            || (str_at(t, "key").is_empty() && str_at(t, "operator") == "Exists");
        let effect_ok =
            str_at(t, "effect").is_empty() || str_at(t, "effect") == str_at(taint, "effect");
        let value_ok =
            str_at(t, "operator") == "Exists" || str_at(t, "value") == str_at(taint, "value");
        key_ok && effect_ok && value_ok
    })
}

fn expr_matches(e: &Value, value: Option<&str>) -> bool {
    let vals: Vec<&str> = arr_at(e, "values")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    let num = |s: &str| s.parse::<i64>().ok();
    match str_at(e, "operator") {
        "In" => value.is_some_and(|v| vals.contains(&v)),
        "NotIn" => value.is_none_or(|v| !vals.contains(&v)),
        "Exists" => value.is_some(),
        "DoesNotExist" => value.is_none(),
        "Gt" => value
            .and_then(num)
            .zip(vals.first().and_then(|v| num(v)))
            .is_some_and(|(a, b)| a > b),
        "Lt" => value
            .and_then(num)
            .zip(vals.first().and_then(|v| num(v)))
            .is_some_and(|(a, b)| a < b),
        _ => false,
    }
}

/// Whether the DaemonSet should run a pod on this node (`NodeShouldRunDaemonPod`).
fn should_run(ds: &Value, node: &Value, tols: &[Value]) -> bool {
    if is_deleting(node) {
        return false;
    }
    let node_labels = labels(node);
    let label = |k: &str| node_labels.and_then(|l| l.get(k)).and_then(Value::as_str);
    if let Some(sel) = obj_at(ds, "spec/template/spec/nodeSelector")
        && !sel.iter().all(|(k, v)| label(k) == v.as_str())
    {
        return false;
    }
    let terms = arr_at(
        ds,
        "spec/template/spec/affinity/nodeAffinity/requiredDuringSchedulingIgnoredDuringExecution/nodeSelectorTerms",
    );
    if !terms.is_empty() {
        let any = terms.iter().any(|t| {
            arr_at(t, "matchExpressions")
                .iter()
                .all(|e| expr_matches(e, label(str_at(e, "key"))))
                && arr_at(t, "matchFields").iter().all(|e| {
                    expr_matches(e, (str_at(e, "key") == "metadata.name").then(|| name(node)))
                })
        });
        if !any {
            return false;
        }
    }
    arr_at(node, "spec/taints")
        .iter()
        .filter(|t| matches!(str_at(t, "effect"), "NoSchedule" | "NoExecute"))
        .all(|t| tolerates(tols, t))
}

/// The node a daemon pod belongs to: its nodeName, or the node of its node affinity.
fn target_node(p: &Value) -> Option<String> {
    let n = str_at(p, "spec/nodeName");
    if !n.is_empty() {
        return Some(n.to_string());
    }
    let terms = arr_at(
        p,
        "spec/affinity/nodeAffinity/requiredDuringSchedulingIgnoredDuringExecution/nodeSelectorTerms",
    );
    terms
        .iter()
        .flat_map(|t| arr_at(t, "matchFields"))
        .find(|f| str_at(f, "key") == "metadata.name")
        .and_then(|f| arr_at(f, "values").first())
        .and_then(Value::as_str)
        .map(str::to_string)
}

fn sync(sim: &Sim, ds: &Value, nodes: &[Arc<Value>], idx: &Index) {
    let selector = at(ds, "spec/selector").cloned();
    let owner = controller_ref("DaemonSet", "apps/v1", ds);
    let pods = claim(
        sim,
        "pods",
        ds,
        &owner,
        idx,
        |_| true,
        |p| selects(selector.as_ref(), labels(p)),
    );
    let rev = super::revisions::ensure(sim, ds, "DaemonSet");
    let hash = rev.rsplit('-').next().unwrap_or("").to_string();
    let tgen = obj_at(ds, "metadata/annotations")
        .and_then(|a| a.get(TEMPLATE_GENERATION))
        .and_then(Value::as_str)
        .unwrap_or("1")
        .to_string();
    let tols = tolerations(ds);
    let mut by_node: HashMap<String, Vec<&Value>> = HashMap::new();
    for p in pods.iter().filter(|p| !is_deleting(p)) {
        by_node
            .entry(target_node(p).unwrap_or_default())
            .or_default()
            .push(&**p);
    }
    let updated = |p: &Value| {
        obj_at(p, "metadata/labels")
            .and_then(|l| l.get("controller-revision-hash"))
            .and_then(Value::as_str)
            == Some(hash.as_str())
    };
    let now = chrono::Utc::now();
    let min_ready = i64_at(ds, "spec/minReadySeconds").unwrap_or(0);
    let (mut desired, mut current, mut misscheduled, mut ready, mut updated_n, mut available) =
        (0, 0, 0, 0, 0, 0);
    let mut outdated: Vec<&Value> = Vec::new();
    for node in nodes {
        let run = should_run(ds, node, &tols);
        let on_node = by_node.remove(name(node)).unwrap_or_default();
        if run {
            desired += 1;
            if on_node.is_empty() {
                if !is_deleting(ds) {
                    create_daemon_pod(sim, ds, name(node), &tols, &hash, &tgen);
                }
                continue;
            }
            current += 1;
            let p = on_node[0];
            ready += i64::from(super::pod_ready(p));
            available += i64::from(pod_available(p, min_ready, now));
            if updated(p) {
                updated_n += 1;
            } else {
                outdated.push(p);
            }
            for extra in &on_node[1..] {
                remove(sim, ds, extra);
            }
        } else if !on_node.is_empty() {
            misscheduled += 1;
            for p in on_node {
                remove(sim, ds, p);
            }
        }
    }
    // Pods for nodes that no longer exist.
    for p in by_node.values().flatten() {
        remove(sim, ds, p);
    }
    if str_at(ds, "spec/updateStrategy/type") != "OnDelete" && !is_deleting(ds) {
        let max_unavailable = super::rollout::scaled(
            at(ds, "spec/updateStrategy/rollingUpdate/maxUnavailable"),
            desired,
            true,
        )
        .max(1);
        let mut unavailable = desired - available;
        for p in outdated {
            if !pod_available(p, min_ready, now) {
                remove(sim, ds, p);
            } else if unavailable < max_unavailable {
                remove(sim, ds, p);
                unavailable += 1;
            }
        }
    }
    let mut s = serde_json::Map::new();
    s.insert("currentNumberScheduled".into(), json!(current));
    s.insert("numberMisscheduled".into(), json!(misscheduled));
    s.insert("desiredNumberScheduled".into(), json!(desired));
    s.insert("numberReady".into(), json!(ready));
    if generation(ds) > 0 {
        s.insert("observedGeneration".into(), json!(generation(ds)));
    }
    for (k, v) in [
        ("updatedNumberScheduled", updated_n),
        ("numberAvailable", available),
        ("numberUnavailable", desired - available),
    ] {
        if v > 0 {
            s.insert(k.into(), json!(v));
        }
    }
    super::write_status(sim, "apps/daemonsets", ds, Value::Object(s));
    super::revisions::trim(
        sim,
        ds,
        &[&rev],
        i64_at(ds, "spec/revisionHistoryLimit").unwrap_or(10),
    );
}

fn remove(sim: &Sim, ds: &Value, p: &Value) {
    delete_reported(sim, &WHO, ds, p);
}

fn create_daemon_pod(sim: &Sim, ds: &Value, node: &str, tols: &[Value], hash: &str, tgen: &str) {
    let mut template = at(ds, "spec/template").cloned().unwrap_or(json!({}));
    if !template["metadata"].is_object() {
        template["metadata"] = json!({});
    }
    let l = template["metadata"]
        .as_object_mut()
        .map(|m| m.entry("labels").or_insert(json!({})));
    if let Some(Value::Object(l)) = l {
        l.insert("controller-revision-hash".into(), json!(hash));
        l.insert("pod-template-generation".into(), json!(tgen));
    }
    template["spec"]["tolerations"] = Value::Array(tols.to_vec());
    let mut affinity = at(&template, "spec/affinity").cloned().unwrap_or(json!({}));
    affinity["nodeAffinity"]["requiredDuringSchedulingIgnoredDuringExecution"] = json!({"nodeSelectorTerms": [{"matchFields": [{"key": "metadata.name", "operator": "In", "values": [node]}]}]});
    template["spec"]["affinity"] = affinity;
    let owner = controller_ref("DaemonSet", "apps/v1", ds);
    let created = create_pod(
        sim,
        namespace(ds),
        &template,
        None,
        &format!("{}-", name(ds)),
        owner,
        |_| {},
    );
    let _ = report_create(sim, &WHO, ds, created);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Key;

    #[test]
    fn one_pod_per_matching_node() {
        let sim = super::super::test_sim(false);
        crate::controllers::bootstrap(&sim);
        for (n, l, taint) in [
            ("a", "linux", None),
            ("b", "linux", Some("NoSchedule")),
            ("c", "windows", None),
        ] {
            let mut node = json!({"metadata": {"name": n, "uid": n, "labels": {"kubernetes.io/os": l}}, "spec": {}});
            if let Some(effect) = taint {
                node["spec"]["taints"] =
                    json!([{"key": "dedicated", "value": "gpu", "effect": effect}]);
            }
            sim.store.create(Key::new("nodes", "", n), node).unwrap();
        }
        let ds = json!({"metadata": {"name": "agent", "namespace": "default", "uid": "ds", "generation": 1, "annotations": {TEMPLATE_GENERATION: "1"}},
            "spec": {"selector": {"matchLabels": {"app": "agent"}}, "updateStrategy": {"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": 1}},
                "template": {"metadata": {"labels": {"app": "agent"}}, "spec": {"nodeSelector": {"kubernetes.io/os": "linux"}, "containers": [{"name": "c", "image": "agent"}]}}},
            "status": {}});
        sim.store
            .create(Key::new("apps/daemonsets", "default", "agent"), ds)
            .unwrap();
        reconcile(&sim);
        reconcile(&sim);
        let pods = sim.store.list("pods", Some("default")).0;
        assert_eq!(
            pods.len(),
            1,
            "node b is tainted, node c does not match the selector"
        );
        assert_eq!(target_node(&pods[0]).as_deref(), Some("a"));
        assert!(
            arr_at(&pods[0], "spec/tolerations")
                .iter()
                .any(|t| t["key"] == "node.kubernetes.io/unschedulable")
        );
        let s = sim
            .store
            .get(&Key::new("apps/daemonsets", "default", "agent"))
            .unwrap();
        assert_eq!(s["status"]["desiredNumberScheduled"], 1);
        assert_eq!(s["status"]["currentNumberScheduled"], 1);
        assert_eq!(s["status"]["numberUnavailable"], 1);
    }
}
