//! Job controller: pods with the job labels and the `batch.kubernetes.io/job-tracking`
//! finalizer up to `parallelism`, finished pods counted (finalizer removed) into
//! succeeded/failed, completion (SuccessCriteriaMet, then Complete), failure after backoffLimit
//! or activeDeadlineSeconds (FailureTarget, then Failed), suspend/resume, Indexed completion
//! mode, ttlSecondsAfterFinished, and finalizers released from pods whose Job is gone.

use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;

use serde_json::{Map, Value, json};

use super::{
    Index, Reporter, controller_ref, controller_uid, create_pod, delete_pod, delete_reported,
    event, labels, name, namespace, parse_time, pod_ready, report_create, selects, uid,
};
use crate::cluster::Sim;
use crate::resources::json::{arr_at, at, i64_at, str_at};
use crate::store::{Key, is_deleting, object_rv};

const WHO: Reporter = Reporter {
    component: "job-controller",
    kind: "Job",
    api_version: "batch/v1",
};
pub const TRACKING_FINALIZER: &str = "batch.kubernetes.io/job-tracking";
const INDEX_ANNOTATION: &str = "batch.kubernetes.io/job-completion-index";

pub fn reconcile(sim: &Sim) {
    let tracked = sim.store.with_finalizer("pods", TRACKING_FINALIZER);
    let jobs = sim.store.list("batch/jobs", None).0;
    let live: HashMap<&str, &Arc<Value>> = jobs
        .iter()
        .filter(|j| !is_deleting(j))
        .map(|j| (uid(j), j))
        .collect();
    // Pods whose Job is gone (or being deleted) keep no tracking finalizer.
    for p in tracked.iter().filter(|p| has_finalizer(p)) {
        if controller_uid(p).is_none_or(|u| !live.contains_key(u)) {
            remove_finalizer(sim, p);
        }
    }
    if jobs.is_empty() {
        return;
    }
    let pods = Index::of(sim, "pods");
    for j in &jobs {
        if !is_deleting(j) {
            sync(sim, j, &pods.owned(uid(j)));
        }
    }
}

fn has_finalizer(p: &Value) -> bool {
    arr_at(p, "metadata/finalizers")
        .iter()
        .any(|f| f == TRACKING_FINALIZER)
}

fn remove_finalizer(sim: &Sim, p: &Value) -> bool {
    let mut next = p.clone();
    if let Some(a) = next
        .pointer_mut("/metadata/finalizers")
        .and_then(Value::as_array_mut)
    {
        a.retain(|f| f != TRACKING_FINALIZER);
        if a.is_empty() {
            next["metadata"]
                .as_object_mut()
                .map(|m| m.remove("finalizers"));
        }
    }
    sim.store
        .update(
            &Key::new("pods", namespace(p), name(p)),
            next,
            Some(object_rv(p)),
        )
        .is_ok()
}

fn condition<'a>(job: &'a Value, t: &str) -> Option<&'a Value> {
    arr_at(job, "status/conditions")
        .iter()
        .find(|c| str_at(c, "type") == t && str_at(c, "status") == "True")
}

fn new_condition(t: &str, status: &str, reason: &str, message: &str) -> Value {
    let now = super::super::now();
    json!({"type": t, "status": status, "lastProbeTime": now, "lastTransitionTime": now, "reason": reason, "message": message})
}

/// Whether the Job has finished (Complete or Failed).
pub fn finished(job: &Value) -> Option<&'static str> {
    if condition(job, "Complete").is_some() {
        Some("Complete")
    } else if condition(job, "Failed").is_some() {
        Some("Failed")
    } else {
        None
    }
}

fn completion_index(p: &Value) -> Option<i64> {
    at(p, "metadata/annotations")
        .and_then(|a| a.get(INDEX_ANNOTATION))
        .and_then(Value::as_str)
        .and_then(|s| s.parse().ok())
}

fn sync(sim: &Sim, job: &Value, owned: &[Arc<Value>]) {
    let selector = at(job, "spec/selector");
    let mine: Vec<&Arc<Value>> = owned
        .iter()
        .filter(|p| selects(selector, labels(p)))
        .collect();
    let mut status = job.get("status").cloned().unwrap_or(json!({}));
    let mut conds: Vec<Value> = arr_at(job, "status/conditions").to_vec();
    let get = |s: &Value, k: &str| i64_at(s, k).unwrap_or(0);
    let (mut succeeded, mut failed) = (get(&status, "succeeded"), get(&status, "failed"));
    let mut completed: BTreeSet<i64> = parse_indexes(str_at(&status, "completedIndexes"));
    // Count finished pods once, releasing their finalizer.
    for p in &mine {
        let terminal = match super::phase(p) {
            "Succeeded" => Some(true),
            "Failed" => Some(false),
            _ if is_deleting(p) && str_at(p, "spec/nodeName").is_empty() => Some(false),
            _ => None,
        };
        if let Some(ok) = terminal
            && has_finalizer(p)
            && remove_finalizer(sim, p)
        {
            if ok {
                succeeded += 1;
                completed.extend(completion_index(p));
            } else {
                failed += 1;
            }
        }
    }
    let active: Vec<&&Arc<Value>> = mine.iter().filter(|p| super::pod_active(p)).collect();
    let terminating = mine.iter().filter(|p| super::pod_terminating(p)).count();
    let parallelism = i64_at(job, "spec/parallelism").unwrap_or(1);
    let completions = i64_at(job, "spec/completions");
    let indexed = str_at(job, "spec/completionMode") == "Indexed";
    let suspended = at(job, "spec/suspend").and_then(Value::as_bool) == Some(true);
    let now = chrono::Utc::now();
    let mut active_n = active.len() as i64;
    let already = finished(job);
    let done_count = if indexed {
        completed.len() as i64
    } else {
        succeeded
    };
    let mut finish: Option<(&str, &str, &str)> = None;
    if already.is_none() {
        let backoff = i64_at(job, "spec/backoffLimit").unwrap_or(6);
        let deadline = i64_at(job, "spec/activeDeadlineSeconds");
        let started = parse_time(str_at(&status, "startTime"));
        if failed > backoff {
            finish = Some((
                "Failed",
                "BackoffLimitExceeded",
                "Job has reached the specified backoff limit",
            ));
        } else if let (Some(dl), Some(st)) = (deadline, started)
            && !suspended
            && st + chrono::Duration::seconds(dl) <= now
        {
            finish = Some((
                "Failed",
                "DeadlineExceeded",
                "Job was active longer than specified deadline",
            ));
        } else if completions.is_some_and(|c| done_count >= c)
            || (completions.is_none() && succeeded > 0 && active_n == 0)
        {
            finish = Some((
                "Complete",
                "CompletionsReached",
                "Reached expected number of succeeded pods",
            ));
        }
    }
    if let Some((kind, _, _)) = finish {
        // Remaining pods go; the final condition follows once none is left.
        for p in &active {
            delete_pod(sim, p);
        }
        if kind == "Failed" {
            active_n = 0;
        }
    } else if already.is_none() {
        if suspended {
            for p in &active {
                delete_pod(sim, p);
            }
            active_n = 0;
        } else {
            let want = match completions {
                Some(c) => (c - done_count).clamp(0, parallelism),
                None => {
                    if succeeded > 0 {
                        0
                    } else {
                        parallelism
                    }
                }
            };
            if active_n < want && !backing_off(&mine, failed, now) {
                let taken: BTreeSet<i64> =
                    active.iter().filter_map(|p| completion_index(p)).collect();
                let mut free = (0..completions.unwrap_or(0))
                    .filter(|i| !completed.contains(i) && !taken.contains(i));
                let mut missing = want - active_n;
                while missing > 0 {
                    missing -= 1;
                    let index = if indexed { free.next() } else { None };
                    if indexed && index.is_none() {
                        break;
                    }
                    match report_create(sim, &WHO, job, create_job_pod(sim, job, index)) {
                        Ok(_) => active_n += 1,
                        Err(_) => break,
                    }
                }
            } else if active_n > want {
                for p in active.iter().rev().take((active_n - want) as usize) {
                    delete_reported(sim, &WHO, job, p);
                }
                active_n = want;
            }
        }
        update_suspend_condition(sim, job, &mut conds, suspended, &mut status);
    }
    if status.get("startTime").is_none() && !suspended {
        status["startTime"] = json!(super::super::now());
    }
    if let Some((kind, reason, message)) = finish {
        let interim = if kind == "Complete" {
            "SuccessCriteriaMet"
        } else {
            "FailureTarget"
        };
        if !conds.iter().any(|c| str_at(c, "type") == interim) {
            conds.push(new_condition(interim, "True", reason, message));
        }
        if active_n == 0 && terminating == 0 {
            conds.push(new_condition(kind, "True", reason, message));
            if kind == "Complete" {
                status["completionTime"] = json!(super::super::now());
                event(sim, &WHO, job, "Normal", "Completed", "Job completed");
            } else {
                event(sim, &WHO, job, "Warning", reason, message);
            }
        }
    }
    let ready = active.iter().filter(|p| pod_ready(p)).count();
    let mut s = Map::new();
    if !conds.is_empty() {
        s.insert("conditions".into(), Value::Array(conds));
    }
    for k in ["startTime", "completionTime"] {
        if let Some(v) = status.get(k).filter(|v| !v.is_null()) {
            s.insert(k.into(), v.clone());
        }
    }
    for (k, v) in [
        ("active", active_n),
        ("succeeded", succeeded),
        ("failed", failed),
    ] {
        if v > 0 {
            s.insert(k.into(), json!(v));
        }
    }
    s.insert("terminating".into(), json!(terminating));
    if indexed && !completed.is_empty() {
        s.insert("completedIndexes".into(), json!(format_indexes(&completed)));
    }
    s.insert("uncountedTerminatedPods".into(), json!({}));
    s.insert("ready".into(), json!(ready));
    super::write_status(sim, "batch/jobs", job, Value::Object(s));
    ttl_cleanup(sim, job);
}

/// The pod failure backoff: after `n` failures the next pod waits 10 s · 2^(n-1) (at most 6 min)
/// from the last failure.
fn backing_off(pods: &[&Arc<Value>], failed: i64, now: chrono::DateTime<chrono::Utc>) -> bool {
    if failed == 0 {
        return false;
    }
    let finished_at = |p: &Value| {
        let ends = arr_at(p, "status/containerStatuses")
            .iter()
            .map(|c| str_at(c, "state/terminated/finishedAt"))
            .max()
            .unwrap_or("");
        parse_time(ends)
            .or_else(|| parse_time(str_at(p, "metadata/deletionTimestamp")))
            .or_else(|| parse_time(str_at(p, "metadata/creationTimestamp")))
    };
    let last = pods
        .iter()
        .filter(|p| super::phase(p) == "Failed" || is_deleting(p))
        .filter_map(|p| finished_at(p))
        .max();
    let delay = (10i64 << (failed - 1).clamp(0, 6)).min(360);
    last.is_some_and(|t| t + chrono::Duration::seconds(delay) > now)
}

fn update_suspend_condition(
    sim: &Sim,
    job: &Value,
    conds: &mut Vec<Value>,
    suspended: bool,
    status: &mut Value,
) {
    let cur = conds.iter().position(|c| str_at(c, "type") == "Suspended");
    let is_suspended = cur.is_some_and(|i| str_at(&conds[i], "status") == "True");
    if suspended && !is_suspended {
        conds.retain(|c| str_at(c, "type") != "Suspended");
        conds.push(new_condition(
            "Suspended",
            "True",
            "JobSuspended",
            "Job suspended",
        ));
        event(sim, &WHO, job, "Normal", "Suspended", "Job suspended");
    } else if !suspended && is_suspended {
        conds.retain(|c| str_at(c, "type") != "Suspended");
        conds.push(new_condition(
            "Suspended",
            "False",
            "JobResumed",
            "Job resumed",
        ));
        status.as_object_mut().map(|m| m.remove("startTime"));
        event(sim, &WHO, job, "Normal", "Resumed", "Job resumed");
    }
}

fn create_job_pod(sim: &Sim, job: &Value, index: Option<i64>) -> Result<Value, String> {
    let mut template = at(job, "spec/template").cloned().unwrap_or(json!({}));
    let mut prefix = format!("{}-", name(job));
    if let Some(i) = index {
        prefix = format!("{}-{i}-", name(job));
        let m = crate::resources::json::child(
            crate::resources::json::as_obj(&mut template),
            "metadata",
        );
        crate::resources::json::child(m, "annotations")
            .insert(INDEX_ANNOTATION.into(), json!(i.to_string()));
        crate::resources::json::child(m, "labels").insert(
            "batch.kubernetes.io/job-completion-index".into(),
            json!(i.to_string()),
        );
        let spec =
            crate::resources::json::child(crate::resources::json::as_obj(&mut template), "spec");
        spec.entry("hostname")
            .or_insert(json!(format!("{}-{i}", name(job))));
    }
    let owner = controller_ref("Job", "batch/v1", job);
    create_pod(sim, namespace(job), &template, None, &prefix, owner, |m| {
        let f = m.entry("finalizers").or_insert(json!([]));
        if let Some(a) = f.as_array_mut() {
            a.push(json!(TRACKING_FINALIZER));
        }
    })
}

/// The TTL-after-finished controller: a finished Job with `ttlSecondsAfterFinished` is deleted
/// (background propagation) once the time has passed.
fn ttl_cleanup(sim: &Sim, job: &Value) {
    let Some(ttl) = i64_at(job, "spec/ttlSecondsAfterFinished") else {
        return;
    };
    let fresh = sim
        .store
        .get(&Key::new("batch/jobs", namespace(job), name(job)));
    let Some(job) = fresh else { return };
    let Some(kind) = finished(&job) else { return };
    let at_time = condition(&job, kind)
        .map(|c| str_at(c, "lastTransitionTime"))
        .and_then(parse_time);
    if at_time.is_some_and(|t| t + chrono::Duration::seconds(ttl) <= chrono::Utc::now()) {
        let _ = sim
            .store
            .delete(&Key::new("batch/jobs", namespace(&job), name(&job)), None);
    }
}

/// `1,3-5` → {1,3,4,5}.
fn parse_indexes(s: &str) -> BTreeSet<i64> {
    let mut out = BTreeSet::new();
    for part in s.split(',').filter(|p| !p.is_empty()) {
        match part.split_once('-') {
            Some((a, b)) => {
                if let (Ok(a), Ok(b)) = (a.parse::<i64>(), b.parse::<i64>()) {
                    out.extend(a..=b);
                }
            }
            None => out.extend(part.parse::<i64>().ok()),
        }
    }
    out
}

fn format_indexes(set: &BTreeSet<i64>) -> String {
    let mut parts = Vec::new();
    let v: Vec<i64> = set.iter().copied().collect();
    let mut i = 0;
    while i < v.len() {
        let mut j = i;
        while j + 1 < v.len() && v[j + 1] == v[j] + 1 {
            j += 1;
        }
        parts.push(if j == i {
            v[i].to_string()
        } else {
            format!("{}-{}", v[i], v[j])
        });
        i = j + 1;
    }
    parts.join(",")
}

#[cfg(test)]
#[path = "job_tests.rs"]
mod tests;
