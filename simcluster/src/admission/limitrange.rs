//! LimitRanger: container defaults (`default`, `defaultRequest`) applied to new pods with the
//! `kubernetes.io/limit-ranger` annotation, then min / max / maxLimitRequestRatio enforced for
//! containers, pods and PersistentVolumeClaims with the real messages.

use serde_json::{Map, Value, json};

use super::resource_list::{self as rl, Kind, ResourceList};
use crate::cluster::Sim;
use crate::resources::Quantity;

pub(super) const ANNOTATION: &str = "kubernetes.io/limit-ranger";
/// `resource.MaxMilliValue`.
const MAX_MILLI: i64 = i64::MAX / 1000;

/// The LimitRanges of a namespace, by name.
fn limit_ranges(sim: &Sim, ns: &str) -> Vec<std::sync::Arc<Value>> {
    sim.store.list("limitranges", Some(ns)).0
}

fn items(lr: &Value) -> &[Value] {
    lr.pointer("/spec/limits")
        .and_then(Value::as_array)
        .map_or(&[][..], Vec::as_slice)
}

/// Mutating LimitRanger for a pod being created: fill in missing container requests and limits
/// from every LimitRange of the namespace and annotate what was set.
pub fn default_pod(sim: &Sim, ns: &str, pod: &mut Value) {
    for lr in limit_ranges(sim, ns) {
        let (mut requests, mut limits) = (ResourceList::new(), ResourceList::new());
        for item in items(&lr)
            .iter()
            .filter(|i| i.get("type").and_then(Value::as_str) == Some("Container"))
        {
            requests.extend(rl::parse(item.get("defaultRequest")));
            limits.extend(rl::parse(item.get("default")));
        }
        merge_pod(pod, &requests, &limits);
    }
}

/// `mergePodResourceRequirements`.
pub(super) fn merge_pod(pod: &mut Value, requests: &ResourceList, limits: &ResourceList) {
    let mut notes: Vec<String> = Vec::new();
    for (list, prefix) in [
        ("containers", "container"),
        ("initContainers", "init container"),
    ] {
        let Some(cs) = pod
            .pointer_mut(&format!("/spec/{list}"))
            .and_then(Value::as_array_mut)
        else {
            continue;
        };
        for c in cs.iter_mut().filter(|c| c.is_object()) {
            let name = c
                .get("name")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string();
            let set_limits = fill(c, "limits", limits);
            let set_requests = fill(c, "requests", requests);
            if !set_requests.is_empty() {
                notes.push(format!(
                    "{} request for {prefix} {name}",
                    set_requests.join(", ")
                ));
            }
            if !set_limits.is_empty() {
                notes.push(format!(
                    "{} limit for {prefix} {name}",
                    set_limits.join(", ")
                ));
            }
        }
    }
    if notes.is_empty() {
        return;
    }
    let meta = pod
        .as_object_mut()
        .map(|m| m.entry("metadata").or_insert_with(|| json!({})));
    if let Some(meta) = meta.and_then(Value::as_object_mut) {
        let ann = meta.entry("annotations").or_insert_with(|| json!({}));
        if !ann.is_object() {
            *ann = json!({});
        }
        ann[ANNOTATION] = json!(format!("LimitRanger plugin set: {}", notes.join("; ")));
    }
}

/// Add the missing entries of `defaults` to a container's `resources.<key>`; the names set, sorted.
fn fill(c: &mut Value, key: &str, defaults: &ResourceList) -> Vec<String> {
    let present: Vec<String> = c
        .pointer(&format!("/resources/{key}"))
        .and_then(Value::as_object)
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default();
    let missing: Vec<(&String, &Quantity)> = defaults
        .iter()
        .filter(|(k, _)| !present.contains(k))
        .collect();
    if missing.is_empty() {
        return vec![];
    }
    let res = c
        .as_object_mut()
        .expect("container object")
        .entry("resources")
        .or_insert_with(|| json!({}));
    if !res.is_object() {
        *res = json!({});
    }
    let target = res
        .as_object_mut()
        .expect("object")
        .entry(key)
        .or_insert_with(|| Value::Object(Map::new()));
    if !target.is_object() {
        *target = Value::Object(Map::new());
    }
    for (k, q) in &missing {
        target[k.as_str()] = json!(q.to_canonical_string());
    }
    missing.into_iter().map(|(k, _)| k.clone()).collect()
}

/// Validating LimitRanger for pods (create) and PersistentVolumeClaims (create and update): the
/// first LimitRange with violations gives the error message.
pub fn validate(sim: &Sim, ns: &str, plural: &str, obj: &Value) -> Result<(), String> {
    for lr in limit_ranges(sim, ns) {
        let errs = match plural {
            "pods" => validate_pod(&lr, obj),
            "persistentvolumeclaims" => validate_pvc(&lr, obj),
            _ => vec![],
        };
        if !errs.is_empty() {
            return Err(aggregate(errs));
        }
    }
    Ok(())
}

/// `utilerrors.NewAggregate(...).Error()`: one message, or `[a, b]` without duplicates.
pub(super) fn aggregate(errs: Vec<String>) -> String {
    let mut seen: Vec<String> = Vec::new();
    for e in errs {
        if !seen.contains(&e) {
            seen.push(e);
        }
    }
    if seen.len() == 1 {
        seen.remove(0)
    } else {
        format!("[{}]", seen.join(", "))
    }
}

fn validate_pod(lr: &Value, pod: &Value) -> Vec<String> {
    let mut errs = Vec::new();
    for item in items(lr) {
        let t = item.get("type").and_then(Value::as_str).unwrap_or("");
        let bounds = Bounds::of(item);
        match t {
            "Container" => {
                for list in ["containers", "initContainers"] {
                    for c in pod
                        .pointer(&format!("/spec/{list}"))
                        .and_then(Value::as_array)
                        .into_iter()
                        .flatten()
                    {
                        bounds.check(
                            t,
                            &rl::container(c, Kind::Requests),
                            &rl::container(c, Kind::Limits),
                            &mut errs,
                        );
                    }
                }
            }
            "Pod" => {
                let requests = rl::aggregate_containers(pod, Kind::Requests, true);
                let limits = rl::aggregate_containers(pod, Kind::Limits, false);
                bounds.check(t, &requests, &limits, &mut errs);
            }
            _ => {}
        }
    }
    errs
}

pub(super) fn validate_pvc(lr: &Value, pvc: &Value) -> Vec<String> {
    let mut errs = Vec::new();
    let requests = rl::parse(pvc.pointer("/spec/resources/requests"));
    for item in items(lr)
        .iter()
        .filter(|i| i.get("type").and_then(Value::as_str) == Some("PersistentVolumeClaim"))
    {
        let t = "PersistentVolumeClaim";
        for (k, v) in rl::parse(item.get("min")) {
            errs.extend(bound_constraint(
                Bound::Min,
                t,
                &k,
                &v,
                &requests,
                Some(&ResourceList::new()),
            ));
        }
        for (k, v) in rl::parse(item.get("max")) {
            errs.extend(bound_constraint(Bound::Max, t, &k, &v, &requests, None));
        }
    }
    errs
}

/// The min / max / maxLimitRequestRatio of one LimitRange item.
struct Bounds {
    min: ResourceList,
    max: ResourceList,
    ratio: ResourceList,
}

impl Bounds {
    fn of(item: &Value) -> Bounds {
        Bounds {
            min: rl::parse(item.get("min")),
            max: rl::parse(item.get("max")),
            ratio: rl::parse(item.get("maxLimitRequestRatio")),
        }
    }

    fn check(
        &self,
        t: &str,
        requests: &ResourceList,
        limits: &ResourceList,
        errs: &mut Vec<String>,
    ) {
        for (k, v) in &self.min {
            errs.extend(bound_constraint(
                Bound::Min,
                t,
                k,
                v,
                requests,
                Some(limits),
            ));
        }
        for (k, v) in &self.max {
            errs.extend(bound_constraint(
                Bound::Max,
                t,
                k,
                v,
                requests,
                Some(limits),
            ));
        }
        for (k, v) in &self.ratio {
            errs.extend(ratio_constraint(t, k, v, requests, limits));
        }
    }
}

/// `requestLimitEnforcedValues`: whole units, or thousandths when nothing overflows.
fn common_precision(
    req: Option<&Quantity>,
    lim: Option<&Quantity>,
    enforced: &Quantity,
) -> (i64, i64, i64) {
    let value = |q: Option<&Quantity>| q.map_or(0, Quantity::value);
    let milli = |q: Option<&Quantity>| q.map_or(0, Quantity::milli_value);
    let (r, l, e) = (value(req), value(lim), enforced.value());
    if r <= MAX_MILLI && l <= MAX_MILLI && e <= MAX_MILLI {
        (milli(req), milli(lim), enforced.milli_value())
    } else {
        (r, l, e)
    }
}

/// Which side of a LimitRange item is checked.
#[derive(Clone, Copy, PartialEq)]
pub(super) enum Bound {
    Min,
    Max,
}

/// One `min` or `max` check of LimitRanger: the amount that must be given (request for a
/// minimum, limit for a maximum; `limits: None` checks only the request against a maximum),
/// then each given amount against the bound, in the real plugin's order and words.
pub(super) fn bound_constraint(
    bound: Bound,
    t: &str,
    k: &str,
    enforced: &Quantity,
    requests: &ResourceList,
    limits: Option<&ResourceList>,
) -> Option<String> {
    let (req, lim) = (requests.get(k), limits.and_then(|l| l.get(k)));
    let (r, l, e) = common_precision(req, lim, enforced);
    let (word, broken): (&str, fn(i64, i64) -> bool) = match bound {
        Bound::Min => ("minimum", |v, e| v < e),
        Bound::Max => ("maximum", |v, e| v > e),
    };
    let mut checks = vec![("request", req, r), ("limit", lim, l)];
    if limits.is_none() {
        checks.truncate(1);
    } else if bound == Bound::Max {
        checks.reverse();
    }
    if checks[0].1.is_none() {
        let what = checks[0].0;
        return Some(format!(
            "{word} {k} usage per {t} is {enforced}.  No {what} is specified"
        ));
    }
    checks.into_iter().find_map(|(what, q, v)| {
        q.filter(|_| broken(v, e))
            .map(|q| format!("{word} {k} usage per {t} is {enforced}, but {what} is {q}"))
    })
}

pub(super) fn ratio_constraint(
    t: &str,
    k: &str,
    enforced: &Quantity,
    requests: &ResourceList,
    limits: &ResourceList,
) -> Option<String> {
    let (req, lim) = (requests.get(k), limits.get(k));
    let (r, l, _) = common_precision(req, lim, enforced);
    if req.is_none() || r == 0 {
        return Some(format!(
            "{k} max limit to request ratio per {t} is {enforced}, but no request is specified or request is 0"
        ));
    }
    if lim.is_none() || l == 0 {
        return Some(format!(
            "{k} max limit to request ratio per {t} is {enforced}, but no limit is specified or limit is 0"
        ));
    }
    let shown = l as f64 / r as f64;
    let (observed, allowed) = if enforced.value() <= MAX_MILLI {
        (shown * 1000.0, enforced.milli_value() as f64)
    } else {
        (shown, enforced.value() as f64)
    };
    (observed > allowed).then(|| {
        format!(
            "{k} max limit to request ratio per {t} is {enforced}, but provided ratio is {shown:.6}"
        )
    })
}
