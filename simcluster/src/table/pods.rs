//! The Pod printer: NAME READY STATUS RESTARTS AGE (+ IP NODE NOMINATED NODE READINESS GATES),
//! with the STATUS logic of kubectl/kube-apiserver (init containers, waiting and terminated
//! reasons, Completed/Running/NotReady, Terminating) and RESTARTS with "(5m ago)".

use chrono::{DateTime, Utc};
use serde_json::{Value, json};

use super::docs as d;
use super::util::{
    Col, Ctx, Row, age, age_col, arr, col, has, i, name, name_col, parse_time, s, since_str, wide,
};

pub(crate) fn printer(group: &str, plural: &str) -> Option<(Vec<Col>, super::RowFn)> {
    match (group, plural) {
        ("", "pods") => Some((columns(), row)),
        _ => None,
    }
}

fn columns() -> Vec<Col> {
    vec![
        name_col(),
        col(
            "Ready",
            "string",
            "The aggregate readiness state of this pod for accepting traffic.",
        ),
        col(
            "Status",
            "string",
            "The aggregate status of the containers in this pod.",
        ),
        col(
            "Restarts",
            "string",
            "The number of times the containers in this pod have been restarted and when the last container in this pod has restarted.",
        ),
        age_col(),
        wide("IP", "string", d::POD_STATUS_POD_IP),
        wide("Node", "string", d::POD_SPEC_NODE_NAME),
        wide("Nominated Node", "string", d::POD_STATUS_NOMINATED),
        wide("Readiness Gates", "string", d::POD_SPEC_READINESS_GATES),
    ]
}

/// `podutil.IsRestartableInitContainer`: an init container with `restartPolicy: Always`.
fn is_restartable(c: Option<&Value>) -> bool {
    c.is_some_and(|c| s(c, "/restartPolicy") == "Always")
}

/// The `lastState.terminated.finishedAt` of a container status, if any.
fn last_terminated(cs: &Value) -> Option<DateTime<Utc>> {
    if !has(cs, "/lastState/terminated") {
        return None;
    }
    parse_time(s(cs, "/lastState/terminated/finishedAt"))
}

fn later(a: Option<DateTime<Utc>>, b: Option<DateTime<Utc>>) -> Option<DateTime<Utc>> {
    match (a, b) {
        (Some(x), Some(y)) => Some(if y > x { y } else { x }),
        (x, None) => x,
        (None, y) => y,
    }
}

/// Whether the condition of the given type has status True (first match only).
fn condition_true(pod: &Value, typ: &str) -> bool {
    arr(pod, "/status/conditions")
        .iter()
        .find(|c| s(c, "/type") == typ)
        .is_some_and(|c| s(c, "/status") == "True")
}

fn has_pod_ready_condition(pod: &Value) -> bool {
    arr(pod, "/status/conditions")
        .iter()
        .any(|c| s(c, "/type") == "Ready" && s(c, "/status") == "True")
}

/// The reason a terminated container reports: its reason, else `Signal:N` / `ExitCode:N`.
fn terminated_reason(t: &Value, prefix: &str) -> String {
    let reason = s(t, "/reason");
    if !reason.is_empty() {
        return format!("{prefix}{reason}");
    }
    let signal = i(t, "/signal");
    if signal != 0 {
        format!("{prefix}Signal:{signal}")
    } else {
        format!("{prefix}ExitCode:{}", i(t, "/exitCode"))
    }
}

fn row(pod: &Value, ctx: &Ctx) -> Row {
    let containers = arr(pod, "/spec/containers");
    let init_containers = arr(pod, "/spec/initContainers");
    let mut total = containers.len();
    let mut ready = 0usize;
    let mut restarts: i64 = 0;
    let mut restartable_restarts: i64 = 0;
    let mut last_restart: Option<DateTime<Utc>> = None;
    let mut last_restartable_restart: Option<DateTime<Utc>> = None;

    let phase = s(pod, "/status/phase").to_string();
    let mut reason = phase.clone();
    let status_reason = s(pod, "/status/reason");
    if !status_reason.is_empty() {
        reason = status_reason.to_string();
    }
    for c in arr(pod, "/status/conditions") {
        if s(c, "/type") == "PodScheduled" && s(c, "/reason") == "SchedulingGated" {
            reason = "SchedulingGated".to_string();
        }
    }
    let conditions = match phase.as_str() {
        "Succeeded" => Some(
            json!([{"type": "Completed", "status": "True", "reason": "Succeeded",
            "message": "The pod has completed successfully."}]),
        ),
        "Failed" => Some(
            json!([{"type": "Completed", "status": "True", "reason": "Failed",
            "message": "The pod failed."}]),
        ),
        _ => None,
    };

    let init_spec = |name: &str| init_containers.iter().find(|c| s(c, "/name") == name);
    total += init_containers
        .iter()
        .filter(|c| is_restartable(Some(c)))
        .count();

    let mut initializing = false;
    for (idx, cs) in arr(pod, "/status/initContainerStatuses").iter().enumerate() {
        let count = i(cs, "/restartCount");
        restarts += count;
        let term = last_terminated(cs);
        last_restart = later(last_restart, term);
        let restartable = is_restartable(init_spec(s(cs, "/name")));
        if restartable {
            restartable_restarts += count;
            last_restartable_restart = later(last_restartable_restart, term);
        }
        let terminated = cs.pointer("/state/terminated").filter(|v| !v.is_null());
        let waiting_reason = s(cs, "/state/waiting/reason");
        if terminated.is_some_and(|t| i(t, "/exitCode") == 0) {
            continue;
        } else if restartable && cs.get("started").and_then(Value::as_bool) == Some(true) {
            if cs.get("ready").and_then(Value::as_bool) == Some(true) {
                ready += 1;
            }
            continue;
        } else if let Some(t) = terminated {
            reason = terminated_reason(t, "Init:");
        } else if has(cs, "/state/waiting")
            && !waiting_reason.is_empty()
            && waiting_reason != "PodInitializing"
        {
            reason = format!("Init:{waiting_reason}");
        } else {
            reason = format!("Init:{}/{}", idx, init_containers.len());
        }
        initializing = true;
        break;
    }

    if !initializing || condition_true(pod, "Initialized") {
        restarts = restartable_restarts;
        last_restart = last_restartable_restart;
        let mut has_running = false;
        for cs in arr(pod, "/status/containerStatuses").iter().rev() {
            restarts += i(cs, "/restartCount");
            last_restart = later(last_restart, last_terminated(cs));
            let waiting_reason = s(cs, "/state/waiting/reason");
            let terminated = cs.pointer("/state/terminated").filter(|v| !v.is_null());
            if has(cs, "/state/waiting") && !waiting_reason.is_empty() {
                reason = waiting_reason.to_string();
            } else if let Some(t) = terminated {
                reason = terminated_reason(t, "");
            } else if cs.get("ready").and_then(Value::as_bool) == Some(true)
                && has(cs, "/state/running")
            {
                has_running = true;
                ready += 1;
            }
        }
        if reason == "Completed" && has_running {
            reason = if has_pod_ready_condition(pod) {
                "Running"
            } else {
                "NotReady"
            }
            .to_string();
        }
    }

    let deleting = has(pod, "/metadata/deletionTimestamp");
    if deleting && status_reason == "NodeLost" {
        reason = "Unknown".to_string();
    } else if deleting && phase != "Succeeded" && phase != "Failed" {
        reason = "Terminating".to_string();
    }

    let restarts_str = match last_restart {
        Some(t) if restarts != 0 => {
            format!("{restarts} ({} ago)", since_str(&t.to_rfc3339(), ctx.now))
        }
        _ => restarts.to_string(),
    };

    let or_none = |x: &str| {
        if x.is_empty() {
            "<none>".to_string()
        } else {
            x.to_string()
        }
    };
    let pod_ip = arr(pod, "/status/podIPs")
        .first()
        .map(|p| s(p, "/ip"))
        .unwrap_or("");
    let gates = arr(pod, "/spec/readinessGates");
    let readiness_gates = if gates.is_empty() {
        "<none>".to_string()
    } else {
        let true_count = gates
            .iter()
            .filter(|g| {
                let t = s(g, "/conditionType");
                arr(pod, "/status/conditions")
                    .iter()
                    .find(|c| s(c, "/type") == t)
                    .is_some_and(|c| s(c, "/status") == "True")
            })
            .count();
        format!("{}/{}", true_count, gates.len())
    };

    Row {
        cells: vec![
            name(pod),
            json!(format!("{ready}/{total}")),
            json!(reason),
            json!(restarts_str),
            age(pod, ctx),
            json!(or_none(pod_ip)),
            json!(or_none(s(pod, "/spec/nodeName"))),
            json!(or_none(s(pod, "/status/nominatedNodeName"))),
            json!(readiness_gates),
        ],
        conditions,
    }
}
