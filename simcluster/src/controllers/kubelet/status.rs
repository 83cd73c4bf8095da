//! Building pod status the way the kubelet reports it: container statuses (waiting, running,
//! terminated), the pod conditions with their reasons, the phase, all in Go field order.

use serde_json::{Map, Value, json};

use crate::resources::json::{arr_at, at, i64_at, str_at};

/// Fields of a container status that do not depend on its state.
fn static_fields(c: &Value) -> (Option<Value>, Option<Value>, Value) {
    let requests = at(c, "resources/requests").cloned();
    let limits = at(c, "resources/limits").cloned();
    let resources = match (&requests, &limits) {
        (None, None) => None,
        _ => {
            let mut r = Map::new();
            if let Some(l) = &limits {
                r.insert("limits".into(), l.clone());
            }
            if let Some(q) = &requests {
                r.insert("requests".into(), q.clone());
            }
            Some(Value::Object(r))
        }
    };
    let mounts: Vec<Value> = arr_at(c, "volumeMounts")
        .iter()
        .map(|m| {
            let mut o = Map::new();
            o.insert("name".into(), m.get("name").cloned().unwrap_or(Value::Null));
            o.insert(
                "mountPath".into(),
                m.get("mountPath").cloned().unwrap_or(Value::Null),
            );
            if m.get("readOnly").and_then(Value::as_bool) == Some(true) {
                o.insert("readOnly".into(), json!(true));
                o.insert("recursiveReadOnly".into(), json!("Disabled"));
            }
            Value::Object(o)
        })
        .collect();
    (requests, resources, Value::Array(mounts))
}

/// How a container is doing.
#[derive(Debug, Clone)]
pub enum State {
    Waiting {
        reason: String,
        message: Option<String>,
    },
    Running {
        started_at: String,
    },
    Terminated {
        exit_code: i64,
        reason: String,
        started_at: String,
        finished_at: String,
    },
}

impl State {
    /// `{"waiting": …}`, `{"running": …}` or `{"terminated": …}`.
    pub fn to_json(&self, container_id: Option<&str>) -> Value {
        match self {
            State::Waiting { reason, message } => {
                let mut w = json!({"reason": reason});
                if let Some(m) = message {
                    w["message"] = json!(m);
                }
                json!({"waiting": w})
            }
            State::Running { started_at } => json!({"running": {"startedAt": started_at}}),
            State::Terminated {
                exit_code,
                reason,
                started_at,
                finished_at,
            } => {
                let mut t = json!({"exitCode": exit_code, "reason": reason, "startedAt": started_at, "finishedAt": finished_at});
                if let Some(id) = container_id {
                    t["containerID"] = json!(id);
                }
                json!({"terminated": t})
            }
        }
    }
}

/// One container status. `image_ref` is `(image, imageID)` once the image was pulled;
/// `container_id` once an instance exists.
pub struct ContainerStatus<'a> {
    pub spec: &'a Value,
    pub state: State,
    pub last_state: Value,
    pub ready: bool,
    pub restart_count: i64,
    pub image_ref: Option<(String, String)>,
    pub container_id: Option<String>,
}

impl ContainerStatus<'_> {
    pub fn to_json(&self) -> Value {
        let (requests, resources, mounts) = static_fields(self.spec);
        let running = matches!(self.state, State::Running { .. });
        let (image, image_id) = self
            .image_ref
            .clone()
            .unwrap_or_else(|| (str_at(self.spec, "image").to_string(), String::new()));
        let mut o = Map::new();
        o.insert("name".into(), json!(str_at(self.spec, "name")));
        o.insert(
            "state".into(),
            self.state.to_json(self.container_id.as_deref()),
        );
        o.insert("lastState".into(), self.last_state.clone());
        o.insert("ready".into(), json!(self.ready));
        o.insert("restartCount".into(), json!(self.restart_count));
        o.insert("image".into(), json!(image));
        o.insert("imageID".into(), json!(image_id));
        if let Some(id) = &self.container_id {
            o.insert("containerID".into(), json!(id));
        }
        o.insert("started".into(), json!(running));
        if let Some(r) = requests {
            o.insert("allocatedResources".into(), r);
        }
        if let Some(r) = resources {
            o.insert("resources".into(), r);
        }
        if mounts.as_array().is_some_and(|a| !a.is_empty()) {
            o.insert("volumeMounts".into(), mounts);
        }
        if self.container_id.is_some() {
            o.insert(
                "user".into(),
                json!({"linux": {"uid": 0, "gid": 0, "supplementalGroups": [0]}}),
            );
        }
        Value::Object(o)
    }
}

/// A pod condition; keeps the old transition time when the status did not change.
pub fn condition(
    old: &Value,
    generation: i64,
    kind: &str,
    ok: bool,
    reason: Option<&str>,
    message: Option<&str>,
    now: &str,
) -> Value {
    let status = if ok { "True" } else { "False" };
    let prev = arr_at(old, "status/conditions")
        .iter()
        .find(|c| str_at(c, "type") == kind);
    let since = prev
        .filter(|c| str_at(c, "status") == status)
        .and_then(|c| c.get("lastTransitionTime").cloned())
        .unwrap_or_else(|| json!(now));
    let mut c = json!({"type": kind, "observedGeneration": generation, "status": status, "lastProbeTime": null, "lastTransitionTime": since});
    if let Some(r) = reason {
        c["reason"] = json!(r);
    }
    if let Some(m) = message {
        c["message"] = json!(m);
    }
    c
}

/// The pod-level summary of container statuses.
pub struct Summary {
    pub phase: &'static str,
    pub sandbox: bool,
    pub initialized: bool,
    pub unready: Vec<String>,
}

/// Phase from the container states, as the kubelet's `getPhase` decides it.
pub fn phase(pod: &Value, statuses: &[Value]) -> &'static str {
    let restart = str_at(pod, "spec/restartPolicy");
    let (mut waiting_fresh, mut running, mut ok, mut failed, mut restarting) = (0, 0, 0, 0, 0);
    for s in statuses {
        let restarts = i64_at(s, "restartCount").unwrap_or(0);
        if at(s, "state/running").is_some() {
            running += 1;
        } else if let Some(code) = i64_at(s, "state/terminated/exitCode") {
            if code == 0 { ok += 1 } else { failed += 1 }
        } else if restarts > 0 || at(s, "lastState/terminated").is_some() {
            restarting += 1;
        } else {
            waiting_fresh += 1;
        }
    }
    let total = statuses.len();
    if waiting_fresh > 0 {
        return "Pending";
    }
    if running > 0 || restarting > 0 {
        return "Running";
    }
    if total > 0 && ok + failed == total {
        return match restart {
            "Always" => "Running",
            "OnFailure" if failed > 0 => "Running",
            _ if failed > 0 => "Failed",
            _ => "Succeeded",
        };
    }
    "Pending"
}

/// The conditions of a pod with its container statuses decided.
pub fn conditions(old: &Value, generation: i64, summary: &Summary, now: &str) -> Vec<Value> {
    let done = matches!(summary.phase, "Succeeded" | "Failed");
    let done_reason = if summary.phase == "Failed" {
        "PodFailed"
    } else {
        "PodCompleted"
    };
    let unready = format!(
        "containers with unready status: [{}]",
        summary.unready.join(" ")
    );
    let ready = !done && summary.unready.is_empty();
    let (ready_reason, ready_msg) = if done {
        (Some(done_reason), None)
    } else if ready {
        (None, None)
    } else {
        (Some("ContainersNotReady"), Some(unready.as_str()))
    };
    let scheduled = arr_at(old, "status/conditions")
        .iter()
        .find(|c| str_at(c, "type") == "PodScheduled" && str_at(c, "status") == "True")
        .cloned()
        .unwrap_or_else(|| condition(old, generation, "PodScheduled", true, None, None, now));
    vec![
        condition(
            old,
            generation,
            "PodReadyToStartContainers",
            summary.sandbox && !done,
            None,
            None,
            now,
        ),
        condition(
            old,
            generation,
            "Initialized",
            summary.initialized || done,
            done.then_some("PodCompleted"),
            None,
            now,
        ),
        condition(
            old,
            generation,
            "Ready",
            ready,
            ready_reason,
            ready_msg,
            now,
        ),
        condition(
            old,
            generation,
            "ContainersReady",
            ready,
            ready_reason,
            ready_msg,
            now,
        ),
        scheduled,
    ]
}

/// Assemble `status` in the order of the Go struct.
pub struct PodStatusParts {
    pub generation: i64,
    pub phase: &'static str,
    pub conditions: Vec<Value>,
    pub host_ip: String,
    pub pod_ip: Option<String>,
    pub start_time: String,
    pub init_statuses: Vec<Value>,
    pub statuses: Vec<Value>,
    pub qos: Value,
}

impl PodStatusParts {
    pub fn into_json(self) -> Value {
        let mut s = Map::new();
        s.insert("observedGeneration".into(), json!(self.generation));
        s.insert("phase".into(), json!(self.phase));
        s.insert("conditions".into(), Value::Array(self.conditions));
        s.insert("hostIP".into(), json!(self.host_ip));
        s.insert("hostIPs".into(), json!([{"ip": self.host_ip}]));
        if let Some(ip) = &self.pod_ip {
            s.insert("podIP".into(), json!(ip));
            s.insert("podIPs".into(), json!([{"ip": ip}]));
        }
        s.insert("startTime".into(), json!(self.start_time));
        if !self.init_statuses.is_empty() {
            s.insert(
                "initContainerStatuses".into(),
                Value::Array(self.init_statuses),
            );
        }
        s.insert("containerStatuses".into(), Value::Array(self.statuses));
        if !self.qos.is_null() {
            s.insert("qosClass".into(), self.qos);
        }
        Value::Object(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phases() {
        let pod = json!({"spec": {"restartPolicy": "Never"}});
        let waiting = json!({"restartCount": 0, "state": {"waiting": {"reason": "ContainerCreating"}}, "lastState": {}});
        let running = json!({"restartCount": 0, "state": {"running": {}}, "lastState": {}});
        let done =
            json!({"restartCount": 0, "state": {"terminated": {"exitCode": 0}}, "lastState": {}});
        let failed =
            json!({"restartCount": 0, "state": {"terminated": {"exitCode": 1}}, "lastState": {}});
        assert_eq!(phase(&pod, std::slice::from_ref(&waiting)), "Pending");
        assert_eq!(phase(&pod, &[running.clone(), done.clone()]), "Running");
        assert_eq!(phase(&pod, std::slice::from_ref(&done)), "Succeeded");
        assert_eq!(phase(&pod, &[done, failed]), "Failed");
        assert_eq!(phase(&pod, &[waiting, running]), "Pending");
    }

    #[test]
    fn ready_condition_names_unready_containers() {
        let s = Summary {
            phase: "Running",
            sandbox: true,
            initialized: true,
            unready: vec!["a".into(), "b".into()],
        };
        let c = conditions(&json!({}), 1, &s, "t");
        assert_eq!(c[2]["message"], "containers with unready status: [a b]");
        assert_eq!(c[0]["status"], "True");
        assert_eq!(c[4]["type"], "PodScheduled");
    }
}
