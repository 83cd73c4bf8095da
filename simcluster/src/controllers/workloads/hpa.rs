//! HorizontalPodAutoscaler controller (autoscaling/v2), every 15 s per HPA: the target's scale,
//! Resource metrics from pod usage (utilization of requests or average value), the replica
//! formula `ceil(current * usage / target)` with the 0.1 tolerance, min/max limits, the
//! scale-down stabilization window, the conditions and events of the real controller — and,
//! without the metrics API, the `FailedGetResourceMetric` state a cluster without
//! metrics-server shows.

use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

use serde_json::{Map, Value, json};

use super::{Reporter, event, labels, name, namespace, selects, uid, write_object};
use crate::cluster::Sim;
use crate::resources::Quantity;
use crate::resources::json::{arr_at, at, i64_at, obj_at, str_at};
use crate::store::{Key, is_deleting};

const WHO: Reporter = Reporter {
    component: "horizontal-pod-autoscaler",
    kind: "HorizontalPodAutoscaler",
    api_version: "autoscaling/v2",
};
const RESYNC: Duration = Duration::from_secs(15);
const TOLERANCE: f64 = 0.1;
const NO_METRICS_API: &str = "unable to fetch metrics from resource metrics API: the server could not find the requested resource (get pods.metrics.k8s.io)";

/// Per HPA: last sync and the recent recommendations (for the stabilization windows).
#[derive(Default)]
struct Memory {
    last: Option<Instant>,
    recommendations: Vec<(Instant, i64)>,
}

fn memory<R>(sim: &Sim, hpa_uid: &str, f: impl FnOnce(&mut Memory) -> R) -> R {
    static M: OnceLock<Mutex<HashMap<(usize, String), Memory>>> = OnceLock::new();
    let mut m = M
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(|e| e.into_inner());
    f(
        m.entry((&sim.store as *const _ as usize, hpa_uid.to_string()))
            .or_default(),
    )
}

pub fn reconcile(sim: &Sim) {
    for hpa in sim
        .store
        .list("autoscaling/horizontalpodautoscalers", None)
        .0
    {
        if is_deleting(&hpa) {
            continue;
        }
        let due = memory(sim, uid(&hpa), |m| {
            let due = m.last.is_none_or(|t| t.elapsed() >= RESYNC);
            if due {
                m.last = Some(Instant::now());
            }
            due
        });
        if due {
            sync(sim, &hpa);
        }
    }
}

/// Storage resource of a scale target kind.
fn target_resource(api_version: &str, kind: &str) -> Option<(&'static str, &'static str)> {
    let group = api_version.split_once('/').map_or("", |(g, _)| g);
    match (group, kind) {
        ("apps", "Deployment") => Some(("apps/deployments", "deployments.apps")),
        ("apps", "ReplicaSet") => Some(("apps/replicasets", "replicasets.apps")),
        ("apps", "StatefulSet") => Some(("apps/statefulsets", "statefulsets.apps")),
        ("", "ReplicationController") => Some(("replicationcontrollers", "replicationcontrollers")),
        _ => None,
    }
}

fn condition(t: &str, status: &str, reason: &str, message: &str, old: &Value) -> Value {
    let prev = arr_at(old, "status/conditions")
        .iter()
        .find(|c| str_at(c, "type") == t);
    let at_time = match prev {
        Some(p) if str_at(p, "status") == status => p["lastTransitionTime"].clone(),
        _ => json!(super::super::now()),
    };
    json!({"type": t, "status": status, "lastTransitionTime": at_time, "reason": reason, "message": message})
}

fn sync(sim: &Sim, hpa: &Value) {
    let ns = namespace(hpa);
    let target_kind = str_at(hpa, "spec/scaleTargetRef/kind");
    let target_name = str_at(hpa, "spec/scaleTargetRef/name");
    let api_version = str_at(hpa, "spec/scaleTargetRef/apiVersion");
    let mut status = Map::new();
    let found = target_resource(api_version, target_kind)
        .map(|(res, q)| (res, q, sim.store.get(&Key::new(res, ns, target_name))));
    let (res, target) = match found {
        Some((res, _, Some(t))) => (res, t),
        other => {
            let why = match other {
                Some((_, q, None)) => format!("{q} {target_name:?} not found"),
                _ => format!(
                    "no matches for kind {target_kind:?} in group {:?}",
                    api_version.split_once('/').map_or("", |x| x.0)
                ),
            };
            event(sim, &WHO, hpa, "Warning", "FailedGetScale", &why);
            status.insert(
                "desiredReplicas".into(),
                json!(i64_at(hpa, "status/desiredReplicas").unwrap_or(0)),
            );
            status.insert("currentMetrics".into(), Value::Null);
            let msg =
                format!("the HPA controller was unable to get the target's current scale: {why}");
            status.insert(
                "conditions".into(),
                json!([condition(
                    "AbleToScale",
                    "False",
                    "FailedGetScale",
                    &msg,
                    hpa
                )]),
            );
            super::write_status(
                sim,
                "autoscaling/horizontalpodautoscalers",
                hpa,
                Value::Object(status),
            );
            return;
        }
    };
    let current = i64_at(&target, "spec/replicas").unwrap_or(1);
    let able = condition(
        "AbleToScale",
        "True",
        "SucceededGetScale",
        "the HPA controller was able to get the target's current scale",
        hpa,
    );
    let metrics = compute_metrics(sim, hpa, &target, current);
    let mut last_scale = at(hpa, "status/lastScaleTime").cloned();
    let (desired, current_metrics, conditions) = match metrics {
        Err((reason, err)) => {
            event(sim, &WHO, hpa, "Warning", reason, &err);
            let n = arr_at(hpa, "spec/metrics").len();
            let invalid = format!(
                "invalid metrics ({n} invalid out of {n}), first error is: failed to get cpu resource metric value: {err}"
            );
            event(
                sim,
                &WHO,
                hpa,
                "Warning",
                "FailedComputeMetricsReplicas",
                &invalid,
            );
            let active = condition(
                "ScalingActive",
                "False",
                reason,
                &format!("the HPA was unable to compute the replica count: {err}"),
                hpa,
            );
            (
                i64_at(hpa, "status/desiredReplicas").unwrap_or(0),
                json!([{"type": ""}]),
                vec![able, active],
            )
        }
        Ok((proposal, current_metrics, metric_name)) => {
            let min = i64_at(hpa, "spec/minReplicas").unwrap_or(1);
            let max = i64_at(hpa, "spec/maxReplicas").unwrap_or(min);
            let stabilized = stabilize(sim, hpa, proposal, current);
            let (desired, limited) = if stabilized > max {
                (
                    max,
                    condition(
                        "ScalingLimited",
                        "True",
                        "TooManyReplicas",
                        "the desired replica count is more than the maximum replica count",
                        hpa,
                    ),
                )
            } else if stabilized < min {
                (
                    min,
                    condition(
                        "ScalingLimited",
                        "True",
                        "TooFewReplicas",
                        "the desired replica count is less than the minimum replica count",
                        hpa,
                    ),
                )
            } else {
                (
                    stabilized,
                    condition(
                        "ScalingLimited",
                        "False",
                        "DesiredWithinRange",
                        "the desired count is within the acceptable range",
                        hpa,
                    ),
                )
            };
            let mut able = condition(
                "AbleToScale",
                "True",
                "ReadyForNewScale",
                "recommended size matches current size",
                hpa,
            );
            if desired != current {
                let mut next = (*target).clone();
                next["spec"]["replicas"] = json!(desired);
                if write_object(sim, res, &target, next).is_some() {
                    let why = if desired > current {
                        format!("{metric_name} above target")
                    } else {
                        "All metrics below target".to_string()
                    };
                    event(
                        sim,
                        &WHO,
                        hpa,
                        "Normal",
                        "SuccessfulRescale",
                        &format!("New size: {desired}; reason: {why}"),
                    );
                    able = condition(
                        "AbleToScale",
                        "True",
                        "SucceededRescale",
                        &format!(
                            "the HPA controller was able to update the target scale to {desired}"
                        ),
                        hpa,
                    );
                    last_scale = Some(json!(super::super::now()));
                }
            }
            let active = condition(
                "ScalingActive",
                "True",
                "ValidMetricFound",
                &format!(
                    "the HPA was able to successfully calculate a replica count from {metric_name}"
                ),
                hpa,
            );
            (desired, current_metrics, vec![able, active, limited])
        }
    };
    if let Some(t) = last_scale {
        status.insert("lastScaleTime".into(), t);
    }
    if current > 0 {
        status.insert("currentReplicas".into(), json!(current));
    }
    status.insert("desiredReplicas".into(), json!(desired));
    status.insert("currentMetrics".into(), current_metrics);
    status.insert("conditions".into(), Value::Array(conditions));
    super::write_status(
        sim,
        "autoscaling/horizontalpodautoscalers",
        hpa,
        Value::Object(status),
    );
}

/// The scale-down stabilization window: the highest recommendation of the window wins.
fn stabilize(sim: &Sim, hpa: &Value, proposal: i64, current: i64) -> i64 {
    let down = i64_at(hpa, "spec/behavior/scaleDown/stabilizationWindowSeconds")
        .unwrap_or(300)
        .max(0) as u64;
    let up = i64_at(hpa, "spec/behavior/scaleUp/stabilizationWindowSeconds")
        .unwrap_or(0)
        .max(0) as u64;
    memory(sim, uid(hpa), |m| {
        let now = Instant::now();
        m.recommendations
            .retain(|(t, _)| now.duration_since(*t) <= Duration::from_secs(down.max(up)));
        m.recommendations.push((now, proposal));
        let within = |w: u64| {
            m.recommendations
                .iter()
                .filter(move |(t, _)| now.duration_since(*t) <= Duration::from_secs(w))
                .map(|(_, r)| *r)
        };
        let up_limit = within(up).min().unwrap_or(proposal);
        let down_limit = within(down).max().unwrap_or(proposal);
        if proposal > current {
            up_limit.max(current)
        } else {
            down_limit.min(current)
        }
    })
}

/// One pod's usage of a resource in milli-units (cpu: millicores, memory: milli-bytes).
///
/// The pod's usage of `resource` in milli-units, as metrics.k8s.io reports it (computed by the
/// usage model of `sim_metrics`, the same one the metrics API serves).
fn pod_usage(sim: &Sim, pod: &Value, resource: &str) -> Option<i64> {
    let at = crate::sim_metrics::sample_time(chrono::Utc::now());
    let usage = crate::sim_metrics::pod_usage(sim.config.random_seed, pod, at);
    if usage.is_empty() {
        return None;
    }
    Some(match resource {
        "cpu" => usage.iter().map(|(_, u)| u.cpu_nanos).sum::<i64>() / 1_000_000,
        _ => usage.iter().map(|(_, u)| u.memory_bytes).sum::<i64>() * 1000,
    })
}

fn request_milli(pod: &Value, resource: &str) -> Option<i64> {
    let mut total = 0;
    for c in arr_at(pod, "spec/containers") {
        let q = obj_at(c, "resources/requests")
            .and_then(|r| r.get(resource))
            .and_then(Value::as_str)?;
        total += Quantity::parse(q).ok()?.milli_value();
    }
    Some(total)
}

type Computed = (i64, Value, String);

/// The replica proposal of the first Resource metric (the largest over all metrics wins in
/// the real controller; Pods/Object/External metrics need custom metrics APIs and are skipped).
fn compute_metrics(
    sim: &Sim,
    hpa: &Value,
    target: &Value,
    current: i64,
) -> Result<Computed, (&'static str, String)> {
    let mut best: Option<Computed> = None;
    let mut statuses = Vec::new();
    for metric in arr_at(hpa, "spec/metrics") {
        let kind = if str_at(metric, "type") == "ContainerResource" {
            "containerResource"
        } else {
            "resource"
        };
        let resource = str_at(metric, &format!("{kind}/name"));
        if !sim.config.metrics_api {
            return Err((
                "FailedGetResourceMetric",
                format!(
                    "failed to get {resource} utilization: unable to get metrics for resource {resource}: {NO_METRICS_API}"
                ),
            ));
        }
        let sel = at(target, "spec/selector");
        let rc_sel = obj_at(target, "spec/selector");
        let pods: Vec<_> = sim
            .store
            .list("pods", Some(namespace(target)))
            .0
            .into_iter()
            .filter(|p| {
                !is_deleting(p) && super::phase(p) != "Failed" && super::phase(p) != "Succeeded"
            })
            .filter(|p| {
                if sel
                    .and_then(|s| s.get("matchLabels").or(s.get("matchExpressions")))
                    .is_some()
                {
                    selects(sel, labels(p))
                } else {
                    super::map_selects(rc_sel, labels(p))
                }
            })
            .collect();
        let mut usage = 0i64;
        let mut requests = 0i64;
        let mut counted = 0i64;
        for p in &pods {
            let Some(u) = pod_usage(sim, p, resource) else {
                continue;
            };
            let Some(r) = request_milli(p, resource) else {
                return Err((
                    "FailedGetResourceMetric",
                    format!(
                        "failed to get {resource} utilization: missing request for {resource} in container of Pod {}",
                        name(p)
                    ),
                ));
            };
            usage += u;
            requests += r;
            counted += 1;
        }
        if counted == 0 {
            return Err((
                "FailedGetResourceMetric",
                format!(
                    "failed to get {resource} utilization: unable to get metrics for resource {resource}: no metrics returned from resource metrics API"
                ),
            ));
        }
        let target_spec = at(metric, &format!("{kind}/target"))
            .cloned()
            .unwrap_or(json!({}));
        let average = usage / counted;
        let (ratio, current_status, label) = if let Some(util) =
            i64_at(&target_spec, "averageUtilization")
        {
            let utilization = if requests > 0 {
                usage * 100 / requests
            } else {
                0
            };
            (
                utilization as f64 / util.max(1) as f64,
                json!({"averageValue": milli_text(average, resource), "averageUtilization": utilization}),
                format!("{resource} resource utilization (percentage of request)"),
            )
        } else {
            let want = target_spec
                .get("averageValue")
                .and_then(Value::as_str)
                .and_then(|q| Quantity::parse(q).ok())
                .map(|q| q.milli_value())
                .unwrap_or(1);
            (
                average as f64 / want.max(1) as f64,
                json!({"averageValue": milli_text(average, resource)}),
                format!("{resource} resource"),
            )
        };
        let proposal = if (ratio - 1.0).abs() <= TOLERANCE {
            current
        } else {
            (ratio * counted as f64).ceil() as i64
        };
        statuses.push(
            json!({"type": "Resource", "resource": {"name": resource, "current": current_status}}),
        );
        if best.as_ref().is_none_or(|b| proposal > b.0) {
            best = Some((proposal, Value::Null, label));
        }
    }
    let (proposal, _, label) = best.ok_or(("FailedGetResourceMetric", "no metrics".to_string()))?;
    Ok((proposal, Value::Array(statuses), label))
}

/// A usage in milli-units as the HPA reports it (`250m` cpu, bytes for memory).
fn milli_text(milli: i64, resource: &str) -> String {
    if resource == "cpu" {
        if milli % 1000 == 0 {
            (milli / 1000).to_string()
        } else {
            format!("{milli}m")
        }
    } else if milli % 1000 == 0 {
        (milli / 1000).to_string()
    } else {
        format!("{milli}m")
    }
}

#[cfg(test)]
#[path = "hpa_tests.rs"]
mod tests;
