//! One pod on a simulated node, from the stored status and the clock: accepted
//! (ContainerCreating), started after the configured delay, image pulls that fail and back off,
//! containers that crash and restart with a growing back-off, Job pods that complete.

use std::collections::HashSet;
use std::time::Duration;

use chrono::{DateTime, Utc};
use serde_json::{Value, json};

use super::images;
use super::status::{self, ContainerStatus, PodStatusParts, State, Summary};
use crate::resources::json::{arr_at, at, i64_at, str_at};

/// What the step needs besides the pod.
pub struct Env<'a> {
    pub seed: u64,
    pub delay: Duration,
    pub job_run_time: Duration,
    pub failure_fraction: f64,
    pub node: &'a Value,
    pub now: DateTime<Utc>,
    /// When this kubelet accepted the pod (more precise than `startTime`).
    pub accepted_at: Option<DateTime<Utc>>,
    /// A free pod IP on the node, when one is needed.
    pub free_ip: Option<String>,
    /// `(node, image)` pairs already pulled.
    pub pulled: &'a mut HashSet<(String, String)>,
}

/// An event about the pod (or one of its containers).
pub struct Ev {
    pub warning: bool,
    pub reason: &'static str,
    pub message: String,
    pub field_path: Option<String>,
}

/// The new status (when it changed), the events to record and when to look again.
#[derive(Default)]
pub struct Outcome {
    pub status: Option<Value>,
    pub events: Vec<Ev>,
    pub wake: Option<DateTime<Utc>>,
}

/// How long pulls stay in `ErrImagePull` before the back-off state.
const ERR_PULL_SECS: i64 = 2;

mod pull;

use pull::{pull_failure, waiting_status};

pub fn fmt_time(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

pub fn parse_time(s: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(s)
        .ok()
        .map(|d| d.with_timezone(&Utc))
}

fn secs(n: i64) -> chrono::Duration {
    chrono::Duration::seconds(n)
}

/// The crash-loop back-off after `restarts` restarts: 10 s doubling up to 5 minutes.
pub fn backoff(restarts: i64) -> i64 {
    (10i64 << (restarts - 1).clamp(0, 5)).min(300)
}

/// Owned by a Job: runs to completion.
pub fn is_job_pod(pod: &Value) -> bool {
    arr_at(pod, "metadata/ownerReferences")
        .iter()
        .any(|r| str_at(r, "kind") == "Job")
}

struct Ctx<'e, 'a> {
    env: &'e mut Env<'a>,
    pod: &'e Value,
    t0: DateTime<Utc>,
    events: Vec<Ev>,
    wake: Option<DateTime<Utc>>,
}

impl Ctx<'_, '_> {
    fn wake_at(&mut self, t: DateTime<Utc>) {
        self.wake = Some(self.wake.map_or(t, |w| w.min(t)));
    }
    fn ev(&mut self, warning: bool, reason: &'static str, message: String, path: &str) {
        self.events.push(Ev {
            warning,
            reason,
            message,
            field_path: Some(path.to_string()),
        });
    }
    fn node_name(&self) -> String {
        str_at(self.env.node, "metadata/name").to_string()
    }
    fn pod_id(&self) -> String {
        format!(
            "{}_{}({})",
            str_at(self.pod, "metadata/name"),
            str_at(self.pod, "metadata/namespace"),
            str_at(self.pod, "metadata/uid")
        )
    }
    /// Start a container instance now: the pull (or "already present"), Created, Started.
    /// Returns the start time, `(image, imageID)` and the container ID.
    fn start(
        &mut self,
        c: &Value,
        path: &str,
        restart: i64,
    ) -> (String, Option<(String, String)>, Option<String>) {
        let image = str_at(c, "image").to_string();
        let key = (self.node_name(), images::normalize(&image));
        let pulled_before = self.env.pulled.contains(&key) || restart > 0;
        if images::needs_pull(c, pulled_before) {
            self.ev(
                false,
                "Pulled",
                images::pulled_message(&image, self.env.seed),
                path,
            );
        } else {
            self.ev(
                false,
                "Pulled",
                format!("Container image \"{image}\" already present on machine"),
                path,
            );
        }
        self.env.pulled.insert(key);
        let name = str_at(c, "name");
        self.ev(false, "Created", format!("Created container: {name}"), path);
        self.ev(false, "Started", format!("Started container {name}"), path);
        let id = images::container_id(str_at(self.pod, "metadata/uid"), name, restart);
        (
            fmt_time(self.env.now),
            Some((images::normalize(&image), images::image_id(&image))),
            Some(id),
        )
    }
}

fn old_status<'v>(pod: &'v Value, list: &str, name: &str) -> Option<&'v Value> {
    arr_at(pod, &format!("status/{list}"))
        .iter()
        .find(|s| str_at(s, "name") == name)
}

fn image_ref(old: &Value) -> Option<(String, String)> {
    let id = str_at(old, "imageID");
    (!id.is_empty()).then(|| (str_at(old, "image").to_string(), id.to_string()))
}

fn old_id(old: &Value) -> Option<String> {
    old.get("containerID")
        .and_then(Value::as_str)
        .map(str::to_string)
}

/// The next status of one container. `init`: a regular init container (runs to completion).
fn container_step(cx: &mut Ctx, c: &Value, old: Option<&Value>, path: &str, init: bool) -> Value {
    let name = str_at(c, "name").to_string();
    let image = str_at(c, "image").to_string();
    let now = cx.env.now;
    let restarts = old.and_then(|o| i64_at(o, "restartCount")).unwrap_or(0);
    let last = old
        .and_then(|o| o.get("lastState").cloned())
        .unwrap_or(json!({}));
    let waiting = old
        .and_then(|o| at(o, "state/waiting/reason"))
        .and_then(Value::as_str)
        .unwrap_or("");
    let mk = |state: State, ready: bool, restart_count: i64, last_state: Value, image_ref, id| {
        ContainerStatus {
            spec: c,
            state,
            last_state,
            ready,
            restart_count,
            image_ref,
            container_id: id,
        }
        .to_json()
    };
    if let Some(o) = old.filter(|o| at(o, "state/terminated").is_some()) {
        return o.clone();
    }
    let running_since = old
        .and_then(|o| at(o, "state/running/startedAt"))
        .and_then(Value::as_str);
    let (started, image_ref, id) = match (old, running_since) {
        (Some(o), Some(since)) => (since.to_string(), image_ref(o), old_id(o)),
        _ if waiting == "CrashLoopBackOff" => {
            let finished = last
                .pointer("/terminated/finishedAt")
                .and_then(Value::as_str)
                .and_then(parse_time)
                .unwrap_or(now);
            let due = finished + secs(backoff(restarts));
            if now < due {
                cx.wake_at(due);
                return old.cloned().unwrap_or(Value::Null);
            }
            cx.start(c, path, restarts)
        }
        _ => match images::pull_error(&image, cx.env.seed, cx.env.failure_fraction) {
            Some(err) => return pull_failure(cx, c, &image, err, waiting, restarts, last, path),
            None => cx.start(c, path, restarts),
        },
    };
    let started_t = parse_time(&started).unwrap_or(now);
    let ends = if init {
        Some((0, "Completed", started_t))
    } else if let Some((code, after)) = images::crash(c) {
        Some((code, "Error", started_t + secs(after as i64)))
    } else if is_job_pod(cx.pod) {
        Some((
            0,
            "Completed",
            started_t + chrono::Duration::from_std(cx.env.job_run_time).unwrap_or_default(),
        ))
    } else {
        None
    };
    if let Some((code, reason, end)) = ends {
        if now < end {
            cx.wake_at(end);
        } else {
            let term = State::Terminated {
                exit_code: code,
                reason: reason.into(),
                started_at: started.clone(),
                finished_at: fmt_time(end),
            };
            let policy = str_at(cx.pod, "spec/restartPolicy");
            if init || !(policy == "Always" || (policy == "OnFailure" && code != 0)) {
                return mk(term, false, restarts, last, image_ref, id);
            }
            let b = backoff(restarts + 1);
            cx.ev(
                true,
                "BackOff",
                format!(
                    "Back-off restarting failed container {name} in pod {}",
                    cx.pod_id()
                ),
                path,
            );
            cx.wake_at(end + secs(b));
            let msg = format!(
                "back-off {b}s restarting failed container={name} pod={}",
                cx.pod_id()
            );
            let last_state = term.to_json(id.as_deref());
            return mk(
                State::Waiting {
                    reason: "CrashLoopBackOff".into(),
                    message: Some(msg),
                },
                false,
                restarts + 1,
                last_state,
                image_ref,
                id,
            );
        }
    }
    let ready_at = started_t + secs(i64_at(c, "readinessProbe/initialDelaySeconds").unwrap_or(0));
    if now < ready_at {
        cx.wake_at(ready_at);
    }
    mk(
        State::Running {
            started_at: started,
        },
        now >= ready_at,
        restarts,
        last,
        image_ref,
        id,
    )
}

fn node_ip(node: &Value) -> String {
    arr_at(node, "status/addresses")
        .iter()
        .find(|a| str_at(a, "type") == "InternalIP")
        .map(|a| str_at(a, "address").to_string())
        .unwrap_or_default()
}

/// Advance a pod that is bound to this node and not being deleted.
pub fn step(pod: &Value, env: &mut Env) -> Outcome {
    let now = env.now;
    let generation = i64_at(pod, "metadata/generation").unwrap_or(1);
    let inits = arr_at(pod, "spec/initContainers");
    let mains = arr_at(pod, "spec/containers");
    let start_time = str_at(pod, "status/startTime");
    let Some(accepted) = (if start_time.is_empty() {
        None
    } else {
        env.accepted_at.or_else(|| parse_time(start_time))
    }) else {
        // Accepted now: sandbox being created, images being pulled.
        let first = if inits.is_empty() {
            "ContainerCreating"
        } else {
            "PodInitializing"
        };
        let mut events = Vec::new();
        for (path_kind, specs) in [("initContainers", inits), ("containers", mains)] {
            for c in specs {
                let key = (
                    str_at(env.node, "metadata/name").to_string(),
                    images::normalize(str_at(c, "image")),
                );
                let failing =
                    images::pull_error(str_at(c, "image"), env.seed, env.failure_fraction)
                        .is_some();
                if failing || images::needs_pull(c, env.pulled.contains(&key)) {
                    events.push(Ev {
                        warning: false,
                        reason: "Pulling",
                        message: format!("Pulling image \"{}\"", str_at(c, "image")),
                        field_path: Some(format!("spec.{path_kind}{{{}}}", str_at(c, "name"))),
                    });
                }
            }
        }
        let statuses: Vec<Value> = mains.iter().map(|c| waiting_status(c, first)).collect();
        let init_statuses: Vec<Value> = inits
            .iter()
            .map(|c| waiting_status(c, "ContainerCreating"))
            .collect();
        let unready = mains
            .iter()
            .map(|c| str_at(c, "name").to_string())
            .collect();
        let summary = Summary {
            phase: "Pending",
            sandbox: false,
            initialized: inits.is_empty(),
            unready,
        };
        let now_s = fmt_time(now);
        let status = PodStatusParts {
            generation,
            phase: "Pending",
            conditions: status::conditions(pod, generation, &summary, &now_s),
            host_ip: node_ip(env.node),
            pod_ip: None,
            start_time: now_s,
            init_statuses,
            statuses,
            qos: at(pod, "status/qosClass").cloned().unwrap_or(Value::Null),
        };
        return Outcome {
            status: Some(status.into_json()),
            events,
            wake: Some(now + chrono::Duration::from_std(env.delay).unwrap_or_default()),
        };
    };
    let t0 = accepted + chrono::Duration::from_std(env.delay).unwrap_or_default();
    if now < t0 {
        return Outcome {
            wake: Some(t0),
            ..Default::default()
        };
    }
    let mut cx = Ctx {
        env,
        pod,
        t0,
        events: Vec::new(),
        wake: None,
    };
    let mut init_statuses = Vec::new();
    let mut initialized = true;
    for c in inits {
        let name = str_at(c, "name");
        let sidecar = str_at(c, "restartPolicy") == "Always";
        let old = old_status(pod, "initContainerStatuses", name);
        let st = if initialized {
            container_step(
                &mut cx,
                c,
                old,
                &format!("spec.initContainers{{{name}}}"),
                !sidecar,
            )
        } else {
            old.cloned()
                .unwrap_or_else(|| waiting_status(c, "PodInitializing"))
        };
        let done = at(&st, "state/terminated/exitCode").and_then(Value::as_i64) == Some(0)
            || (sidecar && at(&st, "state/running").is_some());
        initialized &= done;
        init_statuses.push(st);
    }
    let mut statuses = Vec::new();
    for c in mains {
        let name = str_at(c, "name");
        let old = old_status(pod, "containerStatuses", name);
        statuses.push(if initialized {
            container_step(
                &mut cx,
                c,
                old,
                &format!("spec.containers{{{name}}}"),
                false,
            )
        } else {
            waiting_status(c, "PodInitializing")
        });
    }
    let (events, wake) = (std::mem::take(&mut cx.events), cx.wake);
    let env = cx.env;
    let phase = status::phase(pod, &statuses);
    let unready = statuses
        .iter()
        .filter(|s| s["ready"] != true)
        .map(|s| str_at(s, "name").to_string())
        .collect();
    let summary = Summary {
        phase,
        sandbox: true,
        initialized,
        unready,
    };
    let now_s = fmt_time(now);
    let pod_ip = at(pod, "status/podIP")
        .and_then(Value::as_str)
        .map(str::to_string)
        .or(env.free_ip.clone());
    let next = PodStatusParts {
        generation,
        phase,
        conditions: status::conditions(pod, generation, &summary, &now_s),
        host_ip: node_ip(env.node),
        pod_ip,
        start_time: start_time.to_string(),
        init_statuses,
        statuses,
        qos: at(pod, "status/qosClass").cloned().unwrap_or(Value::Null),
    }
    .into_json();
    let changed = pod.get("status") != Some(&next);
    Outcome {
        status: changed.then_some(next),
        events,
        wake,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_to_five_minutes() {
        assert_eq!(
            (1..=7).map(backoff).collect::<Vec<_>>(),
            [10, 20, 40, 80, 160, 300, 300]
        );
    }
}
