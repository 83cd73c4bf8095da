//! Deployment helpers (`deployment/util`): surge/unavailable fenceposts, revisions and the
//! annotations copied to ReplicaSets, conditions with the real reasons, status calculation.

use serde_json::{Map, Value, json};

use crate::resources::json::{arr_at, at, i64_at, obj_at, str_at};

pub const REVISION: &str = "deployment.kubernetes.io/revision";
pub const REVISION_HISTORY: &str = "deployment.kubernetes.io/revision-history";
pub const DESIRED_REPLICAS: &str = "deployment.kubernetes.io/desired-replicas";
pub const MAX_REPLICAS: &str = "deployment.kubernetes.io/max-replicas";
pub const HASH_LABEL: &str = "pod-template-hash";
const LAST_APPLIED: &str = "kubectl.kubernetes.io/last-applied-configuration";
const ROLLBACK_TO: &str = "deprecated.deployment.rollback.to";
const REVISION_HISTORY_CHARS: usize = 2000;

pub fn spec_replicas(o: &Value) -> i64 {
    i64_at(o, "spec/replicas").unwrap_or(1)
}

pub fn status_i(o: &Value, k: &str) -> i64 {
    i64_at(o, &format!("status/{k}")).unwrap_or(0)
}

fn is_rolling(d: &Value) -> bool {
    str_at(d, "spec/strategy/type") != "Recreate"
}

/// `intstr.GetScaledValueFromIntOrPercent`.
pub fn scaled(v: Option<&Value>, total: i64, round_up: bool) -> i64 {
    match v {
        Some(Value::Number(n)) => n.as_i64().unwrap_or(0),
        Some(Value::String(s)) => {
            let pct: i64 = s.trim_end_matches('%').parse().unwrap_or(0);
            let x = total * pct;
            if round_up {
                (x + 99).div_euclid(100)
            } else {
                x.div_euclid(100)
            }
        }
        _ => 0,
    }
}

/// `ResolveFenceposts`: (maxSurge, maxUnavailable) for the desired replicas.
fn fenceposts(d: &Value) -> (i64, i64) {
    let desired = spec_replicas(d);
    let surge = scaled(at(d, "spec/strategy/rollingUpdate/maxSurge"), desired, true);
    let unavailable = scaled(
        at(d, "spec/strategy/rollingUpdate/maxUnavailable"),
        desired,
        false,
    );
    if surge == 0 && unavailable == 0 {
        (0, 1)
    } else {
        (surge, unavailable)
    }
}

pub fn max_surge(d: &Value) -> i64 {
    if is_rolling(d) { fenceposts(d).0 } else { 0 }
}

pub fn max_unavailable(d: &Value) -> i64 {
    let replicas = spec_replicas(d);
    if !is_rolling(d) || replicas == 0 {
        return 0;
    }
    fenceposts(d).1.min(replicas)
}

pub fn has_progress_deadline(d: &Value) -> bool {
    i64_at(d, "spec/progressDeadlineSeconds").is_some_and(|s| s != i64::from(i32::MAX))
}

pub fn annotation<'a>(o: &'a Value, k: &str) -> Option<&'a str> {
    obj_at(o, "metadata/annotations")
        .and_then(|a| a.get(k))
        .and_then(Value::as_str)
}

fn annotations_mut(o: &mut Value) -> &mut Map<String, Value> {
    let m = crate::resources::json::child(crate::resources::json::as_obj(o), "metadata");
    crate::resources::json::child(m, "annotations")
}

pub fn revision(rs: &Value) -> i64 {
    annotation(rs, REVISION)
        .and_then(|r| r.parse().ok())
        .unwrap_or(0)
}

/// `SetDeploymentRevision`.
pub fn set_deployment_revision(d: &mut Value, revision: &str) -> bool {
    if annotation(d, REVISION) == Some(revision) {
        return false;
    }
    annotations_mut(d).insert(REVISION.into(), json!(revision));
    true
}

/// `SetReplicasAnnotations`: desired-replicas and max-replicas.
pub fn set_replicas_annotations(rs: &mut Value, desired: i64, max: i64) -> bool {
    let (d, m) = (desired.to_string(), max.to_string());
    if annotation(rs, DESIRED_REPLICAS) == Some(d.as_str())
        && annotation(rs, MAX_REPLICAS) == Some(m.as_str())
    {
        return false;
    }
    let a = annotations_mut(rs);
    a.insert(DESIRED_REPLICAS.into(), json!(d));
    a.insert(MAX_REPLICAS.into(), json!(m));
    true
}

/// `SetNewReplicaSetAnnotations`: the deployment's annotations, the revision (keeping the
/// previous one in revision-history on a rollback) and, for a new set, the replica annotations.
pub fn set_new_rs_annotations(d: &Value, rs: &mut Value, new_revision: i64, exists: bool) -> bool {
    let mut changed = false;
    for (k, v) in obj_at(d, "metadata/annotations")
        .cloned()
        .unwrap_or_default()
    {
        if [
            LAST_APPLIED,
            REVISION,
            REVISION_HISTORY,
            DESIRED_REPLICAS,
            MAX_REPLICAS,
            ROLLBACK_TO,
        ]
        .contains(&k.as_str())
        {
            continue;
        }
        if obj_at(rs, "metadata/annotations").and_then(|a| a.get(&k)) != Some(&v) {
            annotations_mut(rs).insert(k, v);
            changed = true;
        }
    }
    let old = annotation(rs, REVISION).map(str::to_string);
    let old_n = match &old {
        Some(s) => match s.parse::<i64>() {
            Ok(n) => n,
            Err(_) => return changed,
        },
        None => 0,
    };
    if old_n < new_revision {
        annotations_mut(rs).insert(REVISION.into(), json!(new_revision.to_string()));
        changed = true;
        if let Some(old) = old {
            let history = annotation(rs, REVISION_HISTORY).unwrap_or("").to_string();
            let next = if history.is_empty() {
                old
            } else {
                let mut parts: Vec<&str> = history.split(',').collect();
                let mut total = history.len() + old.len() + 1;
                while total > REVISION_HISTORY_CHARS && !parts.is_empty() {
                    total -= parts.remove(0).len() + 1;
                }
                parts.push(&old);
                parts.join(",")
            };
            annotations_mut(rs).insert(REVISION_HISTORY.into(), json!(next));
        }
    }
    if !exists && set_replicas_annotations(rs, spec_replicas(d), spec_replicas(d) + max_surge(d)) {
        changed = true;
    }
    changed
}

/// A template without the pod-template-hash label, for `EqualIgnoreHash`.
pub fn template_without_hash(t: Option<&Value>) -> Value {
    let mut t = t.cloned().unwrap_or(json!({}));
    if let Some(l) = t
        .pointer_mut("/metadata/labels")
        .and_then(Value::as_object_mut)
    {
        l.remove(HASH_LABEL);
    }
    t
}

pub fn equal_ignore_hash(a: Option<&Value>, b: Option<&Value>) -> bool {
    let (a, b) = (template_without_hash(a), template_without_hash(b));
    crate::resources::json::semantic_eq(Some(&a), Some(&b))
}

pub fn condition<'a>(status: &'a Value, t: &str) -> Option<&'a Value> {
    arr_at(status, "conditions")
        .iter()
        .find(|c| str_at(c, "type") == t)
}

pub fn new_condition(t: &str, status: &str, reason: &str, message: &str) -> Value {
    let now = super::super::now();
    json!({"type": t, "status": status, "lastUpdateTime": now, "lastTransitionTime": now, "reason": reason, "message": message})
}

pub fn remove_condition(status: &mut Value, t: &str) {
    if let Some(a) = status.get_mut("conditions").and_then(Value::as_array_mut) {
        a.retain(|c| str_at(c, "type") != t);
        if a.is_empty() {
            status.as_object_mut().map(|m| m.remove("conditions"));
        }
    }
}

/// `SetDeploymentCondition`: no change for the same status and reason; the transition time is
/// kept when only the reason changes; the condition moves to the end.
pub fn set_condition(status: &mut Value, mut cond: Value) {
    let t = str_at(&cond, "type").to_string();
    if let Some(cur) = condition(status, &t) {
        if str_at(cur, "status") == str_at(&cond, "status")
            && str_at(cur, "reason") == str_at(&cond, "reason")
        {
            return;
        }
        if str_at(cur, "status") == str_at(&cond, "status") {
            cond["lastTransitionTime"] = cur["lastTransitionTime"].clone();
        }
    }
    remove_condition(status, &t);
    if !status.is_object() {
        *status = json!({});
    }
    let conds = status
        .as_object_mut()
        .expect("object")
        .entry("conditions")
        .or_insert(json!([]));
    if let Some(a) = conds.as_array_mut() {
        a.push(cond);
    }
}

fn sum(rss: &[&Value], k: &str) -> i64 {
    rss.iter().map(|r| status_i(r, k)).sum()
}

/// `calculateStatus`: counts from the ReplicaSets, the Available condition.
pub fn calculate_status(d: &Value, all: &[&Value], new_rs: Option<&Value>) -> Value {
    let available = sum(all, "availableReplicas");
    let total = sum(all, "replicas");
    let mut s = Map::new();
    let mut put = |k: &str, v: i64| {
        if v != 0 {
            s.insert(k.into(), json!(v));
        }
    };
    put(
        "observedGeneration",
        i64_at(d, "metadata/generation").unwrap_or(0),
    );
    put("replicas", total);
    put(
        "updatedReplicas",
        new_rs.map_or(0, |r| status_i(r, "replicas")),
    );
    put("readyReplicas", sum(all, "readyReplicas"));
    put("availableReplicas", available);
    put("unavailableReplicas", (total - available).max(0));
    if all
        .iter()
        .all(|r| at(r, "status/terminatingReplicas").is_some())
    {
        s.insert(
            "terminatingReplicas".into(),
            json!(sum(all, "terminatingReplicas")),
        );
    }
    if let Some(c) = at(d, "status/conditions") {
        s.insert("conditions".into(), c.clone());
    }
    if let Some(c) = at(d, "status/collisionCount") {
        s.insert("collisionCount".into(), c.clone());
    }
    let mut status = Value::Object(s);
    if available >= spec_replicas(d) - max_unavailable(d) {
        set_condition(
            &mut status,
            new_condition(
                "Available",
                "True",
                "MinimumReplicasAvailable",
                "Deployment has minimum availability.",
            ),
        );
    } else {
        set_condition(
            &mut status,
            new_condition(
                "Available",
                "False",
                "MinimumReplicasUnavailable",
                "Deployment does not have minimum availability.",
            ),
        );
    }
    status
}

/// `DeploymentComplete`.
pub fn complete(d: &Value, status: &Value) -> bool {
    let r = spec_replicas(d);
    let g = |k: &str| i64_at(status, k).unwrap_or(0);
    g("updatedReplicas") == r
        && g("replicas") == r
        && g("availableReplicas") == r
        && g("observedGeneration") >= i64_at(d, "metadata/generation").unwrap_or(0)
}

/// `DeploymentProgressing`: more updated/ready/available replicas or fewer old ones.
pub fn progressing(d: &Value, new: &Value) -> bool {
    let old = d.get("status").cloned().unwrap_or(json!({}));
    let g = |s: &Value, k: &str| i64_at(s, k).unwrap_or(0);
    let old_old = g(&old, "replicas") - g(&old, "updatedReplicas");
    let new_old = g(new, "replicas") - g(new, "updatedReplicas");
    g(new, "updatedReplicas") > g(&old, "updatedReplicas")
        || new_old < old_old
        || g(new, "readyReplicas") > g(&old, "readyReplicas")
        || g(new, "availableReplicas") > g(&old, "availableReplicas")
}

/// `DeploymentTimedOut`.
pub fn timed_out(d: &Value, new: &Value) -> bool {
    if !has_progress_deadline(d) {
        return false;
    }
    let Some(c) = condition(new, "Progressing") else {
        return false;
    };
    match str_at(c, "reason") {
        "NewReplicaSetAvailable" => false,
        "ProgressDeadlineExceeded" => true,
        _ => {
            let deadline = i64_at(d, "spec/progressDeadlineSeconds").unwrap_or(600);
            super::parse_time(str_at(c, "lastUpdateTime"))
                .is_some_and(|t| t + chrono::Duration::seconds(deadline) < chrono::Utc::now())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fenceposts_round_like_the_real_controller() {
        let d = |replicas: i64, surge: Value, unavail: Value| json!({"spec": {"replicas": replicas, "strategy": {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": surge, "maxUnavailable": unavail}}}});
        assert_eq!(
            (
                max_surge(&d(4, json!("25%"), json!("25%"))),
                max_unavailable(&d(4, json!("25%"), json!("25%")))
            ),
            (1, 1)
        );
        assert_eq!(
            (
                max_surge(&d(2, json!("25%"), json!("25%"))),
                max_unavailable(&d(2, json!("25%"), json!("25%")))
            ),
            (1, 0)
        );
        assert_eq!(max_unavailable(&d(3, json!(0), json!(0))), 1);
        assert_eq!(
            max_surge(&json!({"spec": {"replicas": 3, "strategy": {"type": "Recreate"}}})),
            0
        );
    }

    #[test]
    fn rollback_keeps_revision_history() {
        let d = json!({"metadata": {"annotations": {"kubernetes.io/change-cause": "x"}}, "spec": {"replicas": 1}});
        let mut rs = json!({"metadata": {"annotations": {REVISION: "1"}}});
        assert!(set_new_rs_annotations(&d, &mut rs, 3, true));
        assert_eq!(annotation(&rs, REVISION), Some("3"));
        assert_eq!(annotation(&rs, REVISION_HISTORY), Some("1"));
        assert_eq!(annotation(&rs, "kubernetes.io/change-cause"), Some("x"));
        assert!(set_new_rs_annotations(&d, &mut rs, 5, true));
        assert_eq!(annotation(&rs, REVISION_HISTORY), Some("1,3"));
    }

    #[test]
    fn conditions_move_to_the_end_when_they_change() {
        let mut s = json!({});
        set_condition(
            &mut s,
            new_condition(
                "Progressing",
                "True",
                "NewReplicaSetCreated",
                "Created new replica set \"a\"",
            ),
        );
        set_condition(
            &mut s,
            new_condition("Available", "False", "MinimumReplicasUnavailable", "m"),
        );
        set_condition(
            &mut s,
            new_condition("Progressing", "True", "ReplicaSetUpdated", "p"),
        );
        let types: Vec<&str> = arr_at(&s, "conditions")
            .iter()
            .map(|c| str_at(c, "type"))
            .collect();
        assert_eq!(types, ["Available", "Progressing"]);
    }
}
