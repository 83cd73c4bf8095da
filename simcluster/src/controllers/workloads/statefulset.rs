//! StatefulSet controller (basic form): pods `<name>-<ordinal>` created in order (each after the
//! previous one is Running and Ready, or all at once with `podManagementPolicy: Parallel`),
//! PersistentVolumeClaims from `volumeClaimTemplates`, scale-down from the highest ordinal,
//! RollingUpdate (highest ordinal first, honouring `partition`), ControllerRevisions and status.

use std::collections::BTreeMap;

use serde_json::{Value, json};

use super::{
    Index, Reporter, claim, controller_ref, create_pod, delete_pod, event, generation, labels,
    name, namespace, pod_available, pod_ready, selects,
};
use crate::cluster::Sim;
use crate::resources::json::{arr_at, at, i64_at, obj_at, str_at};
use crate::store::{Key, is_deleting};

const WHO: Reporter = Reporter {
    component: "statefulset-controller",
    kind: "StatefulSet",
    api_version: "apps/v1",
};
const REVISION_LABEL: &str = "controller-revision-hash";

pub fn reconcile(sim: &Sim) {
    let sets = sim.store.list("apps/statefulsets", None).0;
    if sets.is_empty() {
        return;
    }
    let pods = Index::of(sim, "pods");
    for sts in sets {
        sync(sim, &sts, &pods);
    }
}

/// Delete a member pod and report it as the StatefulSet controller words it.
fn delete_member(sim: &Sim, set: &Value, p: &Value) {
    delete_pod(sim, p);
    let msg = format!(
        "delete Pod {} in StatefulSet {} successful",
        name(p),
        name(set)
    );
    event(sim, &WHO, set, "Normal", "SuccessfulDelete", &msg);
}

fn ordinal(set: &Value, pod: &Value) -> Option<i64> {
    name(pod)
        .strip_prefix(&format!("{}-", name(set)))?
        .parse()
        .ok()
}

fn running_ready(p: &Value) -> bool {
    super::phase(p) == "Running" && pod_ready(p)
}

fn sync(sim: &Sim, set: &Value, idx: &Index) {
    let selector = at(set, "spec/selector").cloned();
    let owner = controller_ref("StatefulSet", "apps/v1", set);
    let pods = claim(
        sim,
        "pods",
        set,
        &owner,
        idx,
        |_| true,
        |p| ordinal(set, p).is_some() && selects(selector.as_ref(), labels(p)),
    );
    let by_ordinal: BTreeMap<i64, &Value> = pods
        .iter()
        .filter_map(|p| ordinal(set, p).map(|o| (o, &**p)))
        .collect();
    let update_rev = super::revisions::ensure(sim, set, "StatefulSet");
    let current_rev = match str_at(set, "status/currentRevision") {
        "" => update_rev.clone(),
        r => r.to_string(),
    };
    let replicas = super::replicas(set);
    let parallel = str_at(set, "spec/podManagementPolicy") == "Parallel";
    if !is_deleting(set) {
        manage(sim, set, &by_ordinal, replicas, parallel, &update_rev);
    }
    let limit = i64_at(set, "spec/revisionHistoryLimit").unwrap_or(10);
    super::revisions::trim(sim, set, &[&update_rev, &current_rev], limit);
    // Status.
    let min_ready = i64_at(set, "spec/minReadySeconds").unwrap_or(0);
    let now = chrono::Utc::now();
    let rev = |p: &Value| {
        obj_at(p, "metadata/labels")
            .and_then(|l| l.get(REVISION_LABEL))
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string()
    };
    let live: Vec<&Value> = pods
        .iter()
        .filter(|p| !is_deleting(p))
        .map(|p| &**p)
        .collect();
    let ready = pods.iter().filter(|p| running_ready(p)).count() as i64;
    let available = pods
        .iter()
        .filter(|p| running_ready(p) && pod_available(p, min_ready, now))
        .count() as i64;
    let mut current = live.iter().filter(|p| rev(p) == current_rev).count() as i64;
    let updated = live.iter().filter(|p| rev(p) == update_rev).count() as i64;
    let count = pods.len() as i64;
    let mut current_rev = current_rev;
    if str_at(set, "spec/updateStrategy/type") != "OnDelete" && updated == count && ready == count {
        current = updated;
        current_rev = update_rev.clone();
    }
    let mut s = serde_json::Map::new();
    if generation(set) > 0 {
        s.insert("observedGeneration".into(), json!(generation(set)));
    }
    s.insert("replicas".into(), json!(count));
    for (k, v) in [
        ("readyReplicas", ready),
        ("currentReplicas", current),
        ("updatedReplicas", updated),
    ] {
        if v > 0 {
            s.insert(k.into(), json!(v));
        }
    }
    s.insert("currentRevision".into(), json!(current_rev));
    s.insert("updateRevision".into(), json!(update_rev));
    s.insert(
        "collisionCount".into(),
        json!(i64_at(set, "status/collisionCount").unwrap_or(0)),
    );
    s.insert("availableReplicas".into(), json!(available));
    super::write_status(sim, "apps/statefulsets", set, Value::Object(s));
}

fn manage(
    sim: &Sim,
    set: &Value,
    pods: &BTreeMap<i64, &Value>,
    replicas: i64,
    parallel: bool,
    update_rev: &str,
) {
    // Replace failed pods; create missing ones in order.
    for i in 0..replicas {
        match pods.get(&i) {
            Some(p) if matches!(super::phase(p), "Failed" | "Succeeded") && !is_deleting(p) => {
                delete_member(sim, set, p);
                return;
            }
            Some(p) => {
                if !parallel && (!running_ready(p) || is_deleting(p)) {
                    return;
                }
            }
            None => {
                let pod_name = format!("{}-{i}", name(set));
                match create_member(sim, set, i, &pod_name, update_rev) {
                    Ok(()) => {
                        let msg = format!(
                            "create Pod {pod_name} in StatefulSet {} successful",
                            name(set)
                        );
                        event(sim, &WHO, set, "Normal", "SuccessfulCreate", &msg);
                    }
                    Err(e) => {
                        let msg = format!(
                            "create Pod {pod_name} in StatefulSet {} failed error: {e}",
                            name(set)
                        );
                        event(sim, &WHO, set, "Warning", "FailedCreate", &msg);
                        return;
                    }
                }
                if !parallel {
                    return;
                }
            }
        }
    }
    // Scale down from the highest ordinal.
    let condemned: Vec<&&Value> = pods.range(replicas..).rev().map(|(_, p)| p).collect();
    for p in condemned {
        if !is_deleting(p) {
            delete_member(sim, set, p);
        }
        if !parallel {
            return;
        }
    }
    // RollingUpdate: once everything is Running and Ready, replace the highest outdated pod.
    if str_at(set, "spec/updateStrategy/type") == "OnDelete"
        || !pods.values().all(|p| running_ready(p) && !is_deleting(p))
    {
        return;
    }
    let partition = i64_at(set, "spec/updateStrategy/rollingUpdate/partition").unwrap_or(0);
    let outdated = pods.range(partition..replicas).rev().find(|(_, p)| {
        obj_at(p, "metadata/labels")
            .and_then(|l| l.get(REVISION_LABEL))
            .and_then(Value::as_str)
            != Some(update_rev)
    });
    if let Some((_, p)) = outdated {
        delete_member(sim, set, p);
    }
}

fn create_member(
    sim: &Sim,
    set: &Value,
    i: i64,
    pod_name: &str,
    update_rev: &str,
) -> Result<(), String> {
    let ns = namespace(set);
    let mut template = at(set, "spec/template").cloned().unwrap_or(json!({}));
    {
        let l = template
            .pointer_mut("/metadata")
            .and_then(Value::as_object_mut)
            .map(|m| m.entry("labels").or_insert(json!({})));
        if let Some(Value::Object(l)) = l {
            l.insert("apps.kubernetes.io/pod-index".into(), json!(i.to_string()));
            l.insert(REVISION_LABEL.into(), json!(update_rev));
            l.insert("statefulset.kubernetes.io/pod-name".into(), json!(pod_name));
        } else {
            template["metadata"] = json!({"labels": {"apps.kubernetes.io/pod-index": i.to_string(), REVISION_LABEL: update_rev, "statefulset.kubernetes.io/pod-name": pod_name}});
        }
    }
    template["spec"]["hostname"] = json!(pod_name);
    if let Some(svc) = at(set, "spec/serviceName")
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
    {
        template["spec"]["subdomain"] = json!(svc);
    }
    for claim_t in arr_at(set, "spec/volumeClaimTemplates") {
        let claim_name = format!("{}-{pod_name}", str_at(claim_t, "metadata/name"));
        ensure_claim(sim, set, claim_t, &claim_name, pod_name)?;
        let vols = template["spec"]
            .as_object_mut()
            .map(|s| s.entry("volumes").or_insert(json!([])));
        if let Some(Value::Array(vols)) = vols {
            let vname = str_at(claim_t, "metadata/name").to_string();
            vols.retain(|v| str_at(v, "name") != vname);
            vols.push(json!({"name": vname, "persistentVolumeClaim": {"claimName": claim_name}}));
        }
    }
    let owner = controller_ref("StatefulSet", "apps/v1", set);
    create_pod(sim, ns, &template, Some(pod_name), "", owner, |_| {}).map(|_| ())
}

fn ensure_claim(
    sim: &Sim,
    set: &Value,
    template: &Value,
    claim_name: &str,
    pod_name: &str,
) -> Result<(), String> {
    let ns = namespace(set);
    let key = Key::new("persistentvolumeclaims", ns, claim_name);
    if sim.store.get(&key).is_some() {
        return Ok(());
    }
    if !super::namespace_open(sim, ns) {
        return Err(format!(
            "persistentvolumeclaims {claim_name:?} is forbidden: unable to create new content in namespace {ns} because it is being terminated"
        ));
    }
    let mut labels = obj_at(set, "spec/selector/matchLabels")
        .cloned()
        .unwrap_or_default();
    for (k, v) in obj_at(template, "metadata/labels")
        .cloned()
        .unwrap_or_default()
    {
        labels.insert(k, v);
    }
    let mut pvc = json!({
        "kind": "PersistentVolumeClaim", "apiVersion": "v1",
        "metadata": {"name": claim_name, "namespace": ns, "uid": uuid::Uuid::new_v4().to_string(), "resourceVersion": "",
            "creationTimestamp": super::super::now(), "labels": labels},
        "spec": template.get("spec").cloned().unwrap_or(json!({})),
    });
    crate::resources::apply_defaults("", "PersistentVolumeClaim", &mut pvc);
    crate::resources::prepare_create("", "PersistentVolumeClaim", &mut pvc);
    sim.store
        .create(key, pvc)
        .map_err(|_| format!("persistentvolumeclaims {claim_name:?} already exists"))?;
    let msg = format!(
        "create Claim {claim_name} Pod {pod_name} in StatefulSet {} success",
        name(set)
    );
    event(sim, &WHO, set, "Normal", "SuccessfulCreate", &msg);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordered_pods_wait_for_their_predecessor() {
        let sim = super::super::test_sim(false);
        crate::controllers::bootstrap(&sim);
        let set = json!({"metadata": {"name": "db", "namespace": "default", "uid": "s", "generation": 1},
            "spec": {"replicas": 3, "serviceName": "db", "selector": {"matchLabels": {"app": "db"}}, "podManagementPolicy": "OrderedReady",
                "updateStrategy": {"type": "RollingUpdate", "rollingUpdate": {"partition": 0}}, "revisionHistoryLimit": 10,
                "template": {"metadata": {"labels": {"app": "db"}}, "spec": {"containers": [{"name": "c", "image": "postgres"}]}},
                "volumeClaimTemplates": [{"metadata": {"name": "data"}, "spec": {"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "1Gi"}}}}]},
            "status": {"replicas": 0, "availableReplicas": 0}});
        sim.store
            .create(Key::new("apps/statefulsets", "default", "db"), set)
            .unwrap();
        reconcile(&sim);
        reconcile(&sim);
        let pods = sim.store.list("pods", Some("default")).0;
        assert_eq!(
            pods.iter().map(|p| name(p)).collect::<Vec<_>>(),
            ["db-0"],
            "db-1 waits for db-0 to be ready"
        );
        assert_eq!(pods[0]["spec"]["hostname"], "db-0");
        assert_eq!(pods[0]["spec"]["subdomain"], "db");
        assert!(
            sim.store
                .get(&Key::new("persistentvolumeclaims", "default", "data-db-0"))
                .is_some()
        );
        let s = sim
            .store
            .get(&Key::new("apps/statefulsets", "default", "db"))
            .unwrap();
        assert_eq!(s["status"]["replicas"], 1);
        assert!(
            s["status"]["updateRevision"]
                .as_str()
                .unwrap()
                .starts_with("db-")
        );
        assert_eq!(
            sim.store
                .list("apps/controllerrevisions", Some("default"))
                .0
                .len(),
            1
        );
    }
}
