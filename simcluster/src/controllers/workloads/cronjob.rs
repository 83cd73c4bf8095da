//! CronJob controller (v2): Jobs `<cronjob>-<minutes since epoch>` created at each scheduled
//! time (in `spec.timeZone`), concurrencyPolicy Allow/Forbid/Replace, suspend,
//! startingDeadlineSeconds, status.active / lastScheduleTime / lastSuccessfulTime, and the
//! successful/failed jobs history limits.

use std::sync::Arc;

use serde_json::{Value, json};

use super::cronsched::{self, Schedule};
use super::job::finished;
use super::{Reporter, controller_ref, event, name, namespace, parse_time, uid};
use crate::cluster::Sim;
use crate::resources::json::{arr_at, at, i64_at, str_at};
use crate::store::{Key, is_deleting};

const WHO: Reporter = Reporter {
    component: "cronjob-controller",
    kind: "CronJob",
    api_version: "batch/v1",
};
const SCHEDULED_ANNOTATION: &str = "batch.kubernetes.io/cronjob-scheduled-timestamp";

pub fn reconcile(sim: &Sim) {
    let jobs = super::Index::of(sim, "batch/jobs");
    for cj in sim.store.list("batch/cronjobs", None).0 {
        sync(sim, &cj, &jobs.owned(uid(&cj)));
    }
}

fn job_ref(j: &Value) -> Value {
    json!({"kind": "Job", "namespace": namespace(j), "name": name(j), "uid": uid(j), "apiVersion": "batch/v1",
        "resourceVersion": str_at(j, "metadata/resourceVersion")})
}

fn sync(sim: &Sim, cj: &Value, jobs: &[Arc<Value>]) {
    let mut status = cj.get("status").cloned().unwrap_or(json!({}));
    // Active list: running jobs we own; finished ones leave it (SawCompletedJob).
    let mut active: Vec<Value> = Vec::new();
    for j in jobs {
        match finished(j) {
            None if !is_deleting(j) => active.push(job_ref(j)),
            Some(kind) => {
                let was_active = arr_at(cj, "status/active")
                    .iter()
                    .any(|r| str_at(r, "uid") == uid(j));
                if was_active {
                    event(
                        sim,
                        &WHO,
                        cj,
                        "Normal",
                        "SawCompletedJob",
                        &format!("Saw completed job: {}, condition: {kind}", name(j)),
                    );
                }
                if kind == "Complete"
                    && let Some(done) = at(j, "status/completionTime").and_then(Value::as_str)
                    && str_at(&status, "lastSuccessfulTime") < done
                {
                    status["lastSuccessfulTime"] = json!(done);
                }
            }
            None => {}
        }
    }
    let mut created = false;
    if !is_deleting(cj) && at(cj, "spec/suspend").and_then(Value::as_bool) != Some(true) {
        created = schedule(sim, cj, &mut status, &mut active);
    }
    active.sort_by(|a, b| str_at(a, "name").cmp(str_at(b, "name")));
    if active.is_empty() {
        status.as_object_mut().map(|m| m.remove("active"));
    } else {
        status["active"] = Value::Array(active);
    }
    super::write_status(sim, "batch/cronjobs", cj, status);
    if !created {
        cleanup_history(sim, cj, jobs);
    }
}

/// Start the Job of the most recent missed time, if the policies allow it.
fn schedule(sim: &Sim, cj: &Value, status: &mut Value, active: &mut Vec<Value>) -> bool {
    let tz = at(cj, "spec/timeZone").and_then(Value::as_str);
    let sched = match cronsched::parse(str_at(cj, "spec/schedule"), tz) {
        Ok(s) => s,
        Err(e) => {
            let (reason, msg) = if e.starts_with("unknown time zone") {
                (
                    "UnknownTimeZone",
                    format!("invalid timeZone: {:?}: {e}", tz.unwrap_or("")),
                )
            } else {
                (
                    "UnparseableSchedule",
                    format!(
                        "unparseable schedule: {:?} : {e}",
                        str_at(cj, "spec/schedule")
                    ),
                )
            };
            event(sim, &WHO, cj, "Warning", reason, &msg);
            return false;
        }
    };
    let now = chrono::Utc::now();
    let created_at = parse_time(str_at(cj, "metadata/creationTimestamp")).unwrap_or(now);
    let mut earliest = parse_time(str_at(status, "lastScheduleTime")).unwrap_or(created_at);
    let deadline = i64_at(cj, "spec/startingDeadlineSeconds");
    if let Some(d) = deadline {
        earliest = earliest.max(now - chrono::Duration::seconds(d));
    }
    let (Some(when), missed) = sched.most_recent(earliest, now) else {
        return false;
    };
    if missed > 100 {
        event(
            sim,
            &WHO,
            cj,
            "Warning",
            "TooManyMissedTimes",
            "too many missed start times. Set or decrease .spec.startingDeadlineSeconds or check clock skew",
        );
    }
    if let Some(d) = deadline
        && when + chrono::Duration::seconds(d) < now
    {
        event(
            sim,
            &WHO,
            cj,
            "Warning",
            "MissSchedule",
            &format!(
                "Missed scheduled time to start a job: {}",
                when.to_rfc3339()
            ),
        );
        return false;
    }
    let job_name = format!("{}-{}", name(cj), when.timestamp() / 60);
    if active.iter().any(|r| str_at(r, "name") == job_name)
        || sim
            .store
            .get(&Key::new("batch/jobs", namespace(cj), &job_name))
            .is_some()
    {
        return false;
    }
    match str_at(cj, "spec/concurrencyPolicy") {
        "Forbid" if !active.is_empty() => {
            event(
                sim,
                &WHO,
                cj,
                "Normal",
                "JobAlreadyActive",
                "Not starting job because prior execution is running and concurrency policy is Forbid",
            );
            return false;
        }
        "Replace" => {
            for r in active.drain(..) {
                let key = Key::new("batch/jobs", namespace(cj), str_at(&r, "name"));
                if sim.store.delete(&key, None).is_ok() {
                    event(
                        sim,
                        &WHO,
                        cj,
                        "Normal",
                        "SuccessfulDelete",
                        &format!("Deleted job {}", str_at(&r, "name")),
                    );
                }
            }
        }
        _ => {}
    }
    match create_job(sim, cj, &job_name, &sched, when) {
        Some(j) => {
            event(
                sim,
                &WHO,
                cj,
                "Normal",
                "SuccessfulCreate",
                &format!("Created job {job_name}"),
            );
            active.push(job_ref(&j));
            status["lastScheduleTime"] = json!(when.format("%Y-%m-%dT%H:%M:%SZ").to_string());
            true
        }
        None => false,
    }
}

/// `getJobFromTemplate2` plus the API's create path for Jobs.
fn create_job(
    sim: &Sim,
    cj: &Value,
    job_name: &str,
    sched: &Schedule,
    when: chrono::DateTime<chrono::Utc>,
) -> Option<Value> {
    let ns = namespace(cj);
    let ns_obj = sim.store.get(&Key::new("namespaces", "", ns))?;
    if is_deleting(&ns_obj) {
        return None;
    }
    let tmpl = at(cj, "spec/jobTemplate").cloned().unwrap_or(json!({}));
    let mut annotations = at(&tmpl, "metadata/annotations")
        .cloned()
        .unwrap_or(json!({}));
    annotations[SCHEDULED_ANNOTATION] = json!(cronsched::format_in(when, &sched.zone()));
    let mut meta = serde_json::Map::new();
    meta.insert("name".into(), json!(job_name));
    meta.insert("namespace".into(), json!(ns));
    meta.insert("uid".into(), json!(uuid::Uuid::new_v4().to_string()));
    meta.insert("resourceVersion".into(), json!(""));
    meta.insert("creationTimestamp".into(), json!(super::super::now()));
    if let Some(l) = at(&tmpl, "metadata/labels") {
        meta.insert("labels".into(), l.clone());
    }
    meta.insert("annotations".into(), annotations);
    meta.insert(
        "ownerReferences".into(),
        json!([controller_ref("CronJob", "batch/v1", cj)]),
    );
    let mut job = json!({"kind": "Job", "apiVersion": "batch/v1", "metadata": meta, "spec": tmpl.get("spec").cloned().unwrap_or(json!({}))});
    crate::resources::apply_defaults("batch", "Job", &mut job);
    crate::resources::prepare_create("batch", "Job", &mut job);
    crate::patch::track_update(
        None,
        &mut job,
        "kube-controller-manager",
        "Update",
        "batch/v1",
        &super::super::now(),
    );
    sim.store
        .create(Key::new("batch/jobs", ns, job_name), job)
        .ok()
        .map(|j| (*j).clone())
}

/// Delete the oldest finished Jobs beyond the history limits.
fn cleanup_history(sim: &Sim, cj: &Value, jobs: &[Arc<Value>]) {
    for (kind, limit_key, default) in [
        ("Complete", "successfulJobsHistoryLimit", 3),
        ("Failed", "failedJobsHistoryLimit", 1),
    ] {
        let limit = i64_at(cj, &format!("spec/{limit_key}"))
            .unwrap_or(default)
            .max(0) as usize;
        let mut done: Vec<&Arc<Value>> = jobs
            .iter()
            .filter(|j| finished(j) == Some(kind) && !is_deleting(j))
            .collect();
        if done.len() <= limit {
            continue;
        }
        done.sort_by(|a, b| {
            str_at(a, "status/startTime")
                .cmp(str_at(b, "status/startTime"))
                .then_with(|| name(a).cmp(name(b)))
        });
        for j in &done[..done.len() - limit] {
            // Background propagation: the garbage collector removes the Job's pods.
            if sim
                .store
                .delete(&Key::new("batch/jobs", namespace(j), name(j)), None)
                .is_ok()
            {
                event(
                    sim,
                    &WHO,
                    cj,
                    "Normal",
                    "SuccessfulDelete",
                    &format!("Deleted job {}", name(j)),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn setup() -> std::sync::Arc<Sim> {
        let sim = super::super::test_sim(false);
        crate::controllers::bootstrap(&sim);
        sim
    }

    fn cronjob(policy: &str, created: &str) -> Value {
        json!({"metadata": {"name": "tick", "namespace": "default", "uid": "cj-uid", "generation": 1, "creationTimestamp": created},
            "spec": {"schedule": "* * * * *", "concurrencyPolicy": policy, "suspend": false, "successfulJobsHistoryLimit": 3, "failedJobsHistoryLimit": 1,
                "jobTemplate": {"metadata": {"labels": {"app": "tick"}}, "spec": {"template": {"spec": {"restartPolicy": "OnFailure", "containers": [{"name": "c", "image": "busybox"}]}}}}},
            "status": {}})
    }

    #[test]
    fn creates_the_job_of_the_last_missed_minute() {
        let sim = setup();
        let created = (chrono::Utc::now() - chrono::Duration::minutes(3))
            .format("%Y-%m-%dT%H:%M:%SZ")
            .to_string();
        sim.store
            .create(
                Key::new("batch/cronjobs", "default", "tick"),
                cronjob("Forbid", &created),
            )
            .unwrap();
        reconcile(&sim);
        let jobs = sim.store.list("batch/jobs", Some("default")).0;
        assert_eq!(jobs.len(), 1, "only the most recent missed time runs");
        let j = &jobs[0];
        assert!(name(j).starts_with("tick-"));
        assert_eq!(j["metadata"]["ownerReferences"][0]["kind"], "CronJob");
        assert!(j["metadata"]["annotations"][SCHEDULED_ANNOTATION].is_string());
        assert_eq!(
            j["spec"]["template"]["metadata"]["labels"]["batch.kubernetes.io/job-name"],
            json!(name(j))
        );
        let cj = sim
            .store
            .get(&Key::new("batch/cronjobs", "default", "tick"))
            .unwrap();
        assert_eq!(cj["status"]["active"][0]["name"], json!(name(j)));
        assert!(cj["status"]["lastScheduleTime"].is_string());
        reconcile(&sim);
        assert_eq!(
            sim.store.list("batch/jobs", Some("default")).0.len(),
            1,
            "nothing new within the same minute"
        );
    }

    #[test]
    fn suspended_cronjobs_do_nothing() {
        let sim = setup();
        let mut cj = cronjob("Allow", "2020-01-01T00:00:00Z");
        cj["spec"]["suspend"] = json!(true);
        sim.store
            .create(Key::new("batch/cronjobs", "default", "tick"), cj)
            .unwrap();
        reconcile(&sim);
        assert!(sim.store.list("batch/jobs", Some("default")).0.is_empty());
        assert_eq!(
            sim.store
                .get(&Key::new("batch/cronjobs", "default", "tick"))
                .unwrap()["status"],
            json!({})
        );
    }
}
