//! Tests of the Job controller: completions, parallelism, back-off, deadlines, indexed jobs, tracking finalizers.
use super::*;

fn setup() -> std::sync::Arc<Sim> {
    let sim = super::super::test_sim(false);
    crate::controllers::bootstrap(&sim);
    sim
}

fn job(extra: Value) -> Value {
    let mut j = json!({"metadata": {"name": "pi", "namespace": "default", "uid": "job-uid", "generation": 1,
            "labels": {"batch.kubernetes.io/job-name": "pi"}},
        "spec": {"parallelism": 2, "completions": 3, "backoffLimit": 1, "completionMode": "NonIndexed", "suspend": false,
            "selector": {"matchLabels": {"batch.kubernetes.io/controller-uid": "job-uid"}},
            "template": {"metadata": {"labels": {"batch.kubernetes.io/controller-uid": "job-uid", "batch.kubernetes.io/job-name": "pi"}},
                "spec": {"restartPolicy": "Never", "containers": [{"name": "c", "image": "busybox"}]}}},
        "status": {}});
    crate::patch::merge_patch(&j.clone(), &extra)
        .map(|v| j = v)
        .ok();
    j
}

fn finish_pods(sim: &Sim, phase: &str, n: usize) {
    for p in sim
        .store
        .list("pods", Some("default"))
        .0
        .iter()
        .filter(|p| super::super::pod_active(p))
        .take(n)
    {
        let mut next = (**p).clone();
        next["status"]["phase"] = json!(phase);
        sim.store
            .update(&Key::new("pods", "default", name(p)), next, None)
            .unwrap();
    }
}

fn stored(sim: &Sim) -> Arc<Value> {
    sim.store
        .get(&Key::new("batch/jobs", "default", "pi"))
        .unwrap()
}

#[test]
fn runs_pods_to_completion() {
    let sim = setup();
    sim.store
        .create(Key::new("batch/jobs", "default", "pi"), job(json!({})))
        .unwrap();
    reconcile(&sim);
    let j = stored(&sim);
    assert_eq!(j["status"]["active"], 2);
    assert_eq!(j["status"]["terminating"], 0);
    assert_eq!(j["status"]["ready"], 0);
    assert!(j["status"]["startTime"].is_string());
    let pods = sim.store.list("pods", Some("default")).0;
    assert_eq!(pods.len(), 2);
    assert_eq!(
        pods[0]["metadata"]["finalizers"],
        json!([TRACKING_FINALIZER])
    );
    finish_pods(&sim, "Succeeded", 2);
    reconcile(&sim);
    assert_eq!(stored(&sim)["status"]["succeeded"], 2);
    assert_eq!(stored(&sim)["status"]["active"], 1);
    finish_pods(&sim, "Succeeded", 1);
    reconcile(&sim);
    let j = stored(&sim);
    assert_eq!(j["status"]["succeeded"], 3);
    let types: Vec<&str> = arr_at(&j, "status/conditions")
        .iter()
        .map(|c| str_at(c, "type"))
        .collect();
    assert_eq!(types, ["SuccessCriteriaMet", "Complete"]);
    assert!(j["status"]["completionTime"].is_string());
    assert!(
        sim.store
            .list("pods", Some("default"))
            .0
            .iter()
            .all(|p| !has_finalizer(p))
    );
}

#[test]
fn fails_after_the_backoff_limit() {
    let sim = setup();
    sim.store
        .create(Key::new("batch/jobs", "default", "pi"), job(json!({})))
        .unwrap();
    reconcile(&sim);
    finish_pods(&sim, "Failed", 2);
    reconcile(&sim);
    reconcile(&sim);
    let j = stored(&sim);
    assert_eq!(j["status"]["failed"], 2);
    let failed = arr_at(&j, "status/conditions")
        .iter()
        .find(|c| str_at(c, "type") == "Failed")
        .expect("Failed condition");
    assert_eq!(failed["reason"], "BackoffLimitExceeded");
}

#[test]
fn failed_pods_are_replaced_after_a_backoff() {
    let sim = setup();
    sim.store
        .create(
            Key::new("batch/jobs", "default", "pi"),
            job(json!({"spec": {"backoffLimit": 3}})),
        )
        .unwrap();
    reconcile(&sim);
    finish_pods(&sim, "Failed", 1);
    reconcile(&sim);
    let j = stored(&sim);
    assert_eq!(
        (j["status"]["failed"].clone(), j["status"]["active"].clone()),
        (json!(1), json!(1)),
        "no new pod within 10 s"
    );
    assert!(j["status"].get("conditions").is_none());
}

#[test]
fn pods_of_a_deleted_job_lose_the_tracking_finalizer() {
    let sim = setup();
    sim.store
        .create(Key::new("batch/jobs", "default", "pi"), job(json!({})))
        .unwrap();
    reconcile(&sim);
    // Deleted with propagationPolicy=Orphan: the garbage collector drops the owner reference.
    sim.store
        .delete(&Key::new("batch/jobs", "default", "pi"), None)
        .unwrap();
    for p in sim.store.list("pods", Some("default")).0 {
        let mut next = (*p).clone();
        next["metadata"]
            .as_object_mut()
            .unwrap()
            .remove("ownerReferences");
        sim.store
            .update(&Key::new("pods", "default", name(&p)), next, None)
            .unwrap();
    }
    reconcile(&sim);
    let pods = sim.store.list("pods", Some("default")).0;
    assert_eq!(pods.len(), 2, "orphaned pods stay");
    assert!(pods.iter().all(|p| !has_finalizer(p)));
}

#[test]
fn indexed_jobs_name_pods_by_index() {
    let sim = setup();
    sim.store
        .create(
            Key::new("batch/jobs", "default", "pi"),
            job(json!({"spec": {"completionMode": "Indexed"}})),
        )
        .unwrap();
    reconcile(&sim);
    let mut names: Vec<String> = sim
        .store
        .list("pods", Some("default"))
        .0
        .iter()
        .map(|p| name(p).to_string())
        .collect();
    names.sort();
    assert!(
        names[0].starts_with("pi-0-") && names[1].starts_with("pi-1-"),
        "{names:?}"
    );
    assert_eq!(format_indexes(&parse_indexes("0,2-4,7")), "0,2-4,7");
}
