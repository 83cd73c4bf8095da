//! `GET pods/{name}/log`: the generated log of a container with `container`, `follow`,
//! `previous`, `timestamps`, `sinceSeconds`, `sinceTime`, `tailLines` and `limitBytes`,
//! streaming new lines with `follow`; the apiserver's and the kubelet's errors for pods without
//! a node, unknown or unnamed containers and containers that are not running.

use std::sync::Arc;
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::http::{HeaderValue, Response, StatusCode, header};
use chrono::{DateTime, Utc};
use futures::StreamExt as _;
use serde_json::Value;

use super::Ctx;
use crate::cluster::Sim;
use crate::resources::json::{arr_at, at, i64_at, str_at};
use crate::sim_logs::{Line, Source};
use crate::status::{ApiError, FieldError};
use crate::store::Key;

/// The parsed `PodLogOptions`.
#[derive(Debug, Default)]
struct LogOptions {
    container: String,
    follow: bool,
    previous: bool,
    timestamps: bool,
    since_seconds: Option<i64>,
    since_time: Option<DateTime<Utc>>,
    tail_lines: Option<i64>,
    limit_bytes: Option<i64>,
}

fn parse_bool(q: &super::Query, k: &str) -> Result<bool, ApiError> {
    match q.get(k) {
        None | Some("") => Ok(false),
        Some("true" | "1" | "t" | "T" | "TRUE" | "True") => Ok(true),
        Some("false" | "0" | "f" | "F" | "FALSE" | "False") => Ok(false),
        Some(v) => Err(ApiError::bad_request(format!(
            "strconv.ParseBool: parsing {v:?}: invalid syntax"
        ))),
    }
}

fn parse_int(q: &super::Query, k: &str) -> Result<Option<i64>, ApiError> {
    match q.get(k).filter(|v| !v.is_empty()) {
        None => Ok(None),
        Some(v) => v.parse().map(Some).map_err(|_| {
            ApiError::bad_request(format!("strconv.ParseInt: parsing {v:?}: invalid syntax"))
        }),
    }
}

fn options(ctx: &Ctx) -> Result<LogOptions, ApiError> {
    let q = &ctx.query;
    let since_time = match q.get("sinceTime").filter(|v| !v.is_empty()) {
        None => None,
        Some(v) => Some(DateTime::parse_from_rfc3339(v).map(|d| d.with_timezone(&Utc)).map_err(|_| {
            ApiError::bad_request(format!("parsing time {v:?} as \"2006-01-02T15:04:05Z07:00\": cannot parse {v:?} as \"2006\""))
        })?),
    };
    let o = LogOptions {
        container: q.get("container").unwrap_or("").to_string(),
        follow: parse_bool(q, "follow")?,
        previous: parse_bool(q, "previous")?,
        timestamps: parse_bool(q, "timestamps")?,
        since_seconds: parse_int(q, "sinceSeconds")?,
        since_time,
        tail_lines: parse_int(q, "tailLines")?,
        limit_bytes: parse_int(q, "limitBytes")?,
    };
    let mut errs = Vec::new();
    if let Some(n) = o.tail_lines.filter(|n| *n < 0) {
        errs.push(FieldError::invalid(
            "tailLines",
            n,
            "must be greater than or equal to 0",
        ));
    }
    if let Some(n) = o.limit_bytes.filter(|n| *n < 1) {
        errs.push(FieldError::invalid(
            "limitBytes",
            n,
            "must be greater than 0",
        ));
    }
    match (o.since_seconds, o.since_time) {
        (Some(_), Some(_)) => errs.push(FieldError::forbidden(
            "",
            "at most one of `sinceTime` or `sinceSeconds` may be specified",
        )),
        (Some(n), None) if n < 1 => errs.push(FieldError::invalid(
            "sinceSeconds",
            n,
            "must be greater than 0",
        )),
        _ => {}
    }
    if !errs.is_empty() {
        return Err(ApiError::invalid(
            "PodLogOptions",
            "",
            &ctx.path.name,
            &errs,
        ));
    }
    Ok(o)
}

/// The container to read: the named one, or the only one (the apiserver's `validateContainer`).
fn pick_container<'a>(pod: &'a Value, name: &str, wanted: &str) -> Result<&'a Value, ApiError> {
    let all: Vec<&Value> = [
        "spec/initContainers",
        "spec/containers",
        "spec/ephemeralContainers",
    ]
    .iter()
    .flat_map(|p| arr_at(pod, p))
    .collect();
    if wanted.is_empty() {
        let mains = arr_at(pod, "spec/containers");
        return match mains.len() {
            1 => Ok(&mains[0]),
            0 => Err(ApiError::bad_request(format!(
                "a container name must be specified for pod {name}"
            ))),
            _ => {
                let names: Vec<&str> = all.iter().map(|c| str_at(c, "name")).collect();
                Err(ApiError::bad_request(format!(
                    "a container name must be specified for pod {name}, choose one of: [{}]",
                    names.join(" ")
                )))
            }
        };
    }
    all.into_iter()
        .find(|c| str_at(c, "name") == wanted)
        .ok_or_else(|| {
            ApiError::bad_request(format!("container {wanted} is not valid for pod {name}"))
        })
}

fn parse_time(v: Option<&Value>) -> Option<DateTime<Utc>> {
    v.and_then(Value::as_str)
        .and_then(|s| DateTime::parse_from_rfc3339(s).ok())
        .map(|d| d.with_timezone(&Utc))
}

/// A container instance: number, start, end with exit code, container ID.
type Instance = (i64, DateTime<Utc>, Option<(i64, DateTime<Utc>)>, String);

/// Which container instance the kubelet would read: (instance, start, end with exit code,
/// container ID), or its error.
fn instance(pod: &Value, c: &str, previous: bool) -> Result<Instance, ApiError> {
    let pod_name = str_at(pod, "metadata/name");
    let statuses = ["status/initContainerStatuses", "status/containerStatuses"]
        .iter()
        .flat_map(|p| arr_at(pod, p));
    let Some(st) = statuses.into_iter().find(|s| str_at(s, "name") == c) else {
        return Err(ApiError::bad_request(format!(
            "container {c:?} in pod {pod_name:?} is not available"
        )));
    };
    let restarts = i64_at(st, "restartCount").unwrap_or(0);
    let ended = |t: &Value| -> Option<(i64, DateTime<Utc>)> {
        Some((
            i64_at(t, "exitCode").unwrap_or(0),
            parse_time(t.get("finishedAt"))?,
        ))
    };
    let last = at(st, "lastState/terminated").filter(|t| t.get("containerID").is_some());
    let id = |v: &Value| {
        v.get("containerID")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string()
    };
    if previous {
        let Some(t) = last else {
            return Err(ApiError::bad_request(format!(
                "previous terminated container {c:?} in pod {pod_name:?} not found"
            )));
        };
        return Ok((
            restarts - 1,
            parse_time(t.get("startedAt")).unwrap_or_else(Utc::now),
            ended(t),
            id(t),
        ));
    }
    if let Some(r) = at(st, "state/running") {
        return Ok((
            restarts,
            parse_time(r.get("startedAt")).unwrap_or_else(Utc::now),
            None,
            id(st),
        ));
    }
    if let Some(t) = at(st, "state/terminated").filter(|t| t.get("containerID").is_some()) {
        return Ok((
            restarts,
            parse_time(t.get("startedAt")).unwrap_or_else(Utc::now),
            ended(t),
            id(t),
        ));
    }
    if let Some(t) = last {
        return Ok((
            restarts - 1,
            parse_time(t.get("startedAt")).unwrap_or_else(Utc::now),
            ended(t),
            id(t),
        ));
    }
    let why = match at(st, "state/waiting/reason").and_then(Value::as_str) {
        Some("ErrImagePull") => "image can't be pulled".to_string(),
        Some("ImagePullBackOff") => "trying and failing to pull image".to_string(),
        Some(r) => r.to_string(),
        None => {
            return Err(ApiError::bad_request(format!(
                "container {c:?} in pod {pod_name:?} is waiting to start - no logs yet"
            )));
        }
    };
    Err(ApiError::bad_request(format!(
        "container {c:?} in pod {pod_name:?} is waiting to start: {why}"
    )))
}

fn render(lines: &[Line], timestamps: bool) -> String {
    let mut s = String::new();
    for l in lines {
        if timestamps {
            s.push_str(&l.at.format("%Y-%m-%dT%H:%M:%S%.9fZ ").to_string());
        }
        s.push_str(&l.text);
        s.push('\n');
    }
    s
}

fn text_response(body: Body) -> Response<Body> {
    let mut r = Response::new(body);
    *r.status_mut() = StatusCode::OK;
    r.headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static("text/plain"));
    r
}

pub async fn get(ctx: &Ctx) -> Result<Response<Body>, ApiError> {
    let key = Key::new("pods", &ctx.path.namespace, &ctx.path.name);
    let pod = ctx
        .sim
        .store
        .get(&key)
        .ok_or_else(|| ApiError::not_found("pods", "", &ctx.path.name))?;
    let opts = options(ctx)?;
    let container = pick_container(&pod, &ctx.path.name, &opts.container)?.clone();
    if str_at(&pod, "spec/nodeName").is_empty() {
        // No node yet: the apiserver answers with an empty log.
        return Ok(text_response(Body::empty()));
    }
    let c_name = str_at(&container, "name").to_string();
    let (inst, start, ended, container_id) = instance(&pod, &c_name, opts.previous)?;
    let src = Source::new(
        ctx.sim.config.random_seed,
        &pod,
        &container,
        inst,
        start,
        ended,
    );
    let now = Utc::now();
    let since = opts.since_time.or_else(|| {
        opts.since_seconds
            .map(|s| now - chrono::Duration::seconds(s))
    });
    let tail = opts
        .tail_lines
        .map_or(crate::sim_logs::MAX_LINES, |n| n as usize);
    let mut lines = src.lines(now, crate::sim_logs::MAX_LINES);
    if let Some(s) = since {
        lines.retain(|l| l.at >= s);
    }
    let skip = lines.len().saturating_sub(tail);
    let lines = &lines[skip..];
    let mut first = render(lines, opts.timestamps);
    let mut budget = opts.limit_bytes.map(|n| n as usize);
    if let Some(b) = budget {
        truncate_bytes(&mut first, b);
        budget = Some(b - first.len());
    }
    let live = ended.is_none() && !opts.previous;
    if !opts.follow || !live || budget == Some(0) {
        return Ok(text_response(Body::from(first)));
    }
    let last_at = now;
    let follow = Follow {
        sim: ctx.sim.clone(),
        key,
        container: container.clone(),
        container_id,
        src,
        last_at,
        timestamps: opts.timestamps,
        budget,
    };
    let stream =
        futures::stream::once(
            async move { Ok::<Bytes, std::convert::Infallible>(Bytes::from(first)) },
        )
        .chain(futures::stream::unfold(follow, |mut f| async move {
            f.next().await.map(|b| (Ok(b), f))
        }));
    Ok(text_response(Body::from_stream(stream)))
}

fn truncate_bytes(s: &mut String, n: usize) {
    if s.len() > n {
        let mut cut = n;
        while !s.is_char_boundary(cut) {
            cut -= 1;
        }
        s.truncate(cut);
    }
}

/// A `follow` stream: new lines every second while the same container instance runs.
struct Follow {
    sim: Arc<Sim>,
    key: Key,
    container: Value,
    container_id: String,
    src: Source,
    last_at: DateTime<Utc>,
    timestamps: bool,
    budget: Option<usize>,
}

impl Follow {
    async fn next(&mut self) -> Option<Bytes> {
        loop {
            if self.budget == Some(0) {
                return None;
            }
            tokio::time::sleep(Duration::from_millis(1000)).await;
            let pod = self.sim.store.get(&self.key)?;
            let name = str_at(&self.container, "name");
            let (_, _, ended, id) = instance(&pod, name, false).ok()?;
            if id != self.container_id {
                return None;
            }
            let now = Utc::now();
            let fresh: Vec<Line> = self
                .src
                .lines(now, 200)
                .into_iter()
                .filter(|l| l.at > self.last_at)
                .collect();
            if let Some(l) = fresh.last() {
                self.last_at = l.at;
            }
            let mut text = render(&fresh, self.timestamps);
            if let Some(b) = self.budget {
                truncate_bytes(&mut text, b);
                self.budget = Some(b - text.len());
            }
            if !text.is_empty() {
                return Some(Bytes::from(text));
            }
            if ended.is_some() || is_gone(&pod) {
                return None;
            }
        }
    }
}

fn is_gone(pod: &Value) -> bool {
    crate::store::is_deleting(pod)
        && arr_at(pod, "status/containerStatuses")
            .iter()
            .all(|s| at(s, "state/running").is_none())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn container_choice_errors() {
        let pod = json!({"spec": {"initContainers": [{"name": "init"}], "containers": [{"name": "app"}, {"name": "sidecar"}]}});
        assert_eq!(
            pick_container(&pod, "web", "").unwrap_err().message,
            "a container name must be specified for pod web, choose one of: [init app sidecar]"
        );
        assert_eq!(
            pick_container(&pod, "web", "nope").unwrap_err().message,
            "container nope is not valid for pod web"
        );
        assert_eq!(
            str_at(pick_container(&pod, "web", "sidecar").unwrap(), "name"),
            "sidecar"
        );
    }

    #[test]
    fn kubelet_errors_for_waiting_containers() {
        let pod = |state: Value| json!({"metadata": {"name": "web"}, "status": {"containerStatuses": [{"name": "app", "restartCount": 0, "state": state, "lastState": {}}]}});
        let msg = |p: &Value, prev| instance(p, "app", prev).unwrap_err().message;
        assert_eq!(
            msg(
                &pod(json!({"waiting": {"reason": "ContainerCreating"}})),
                false
            ),
            "container \"app\" in pod \"web\" is waiting to start: ContainerCreating"
        );
        assert_eq!(
            msg(
                &pod(json!({"waiting": {"reason": "ImagePullBackOff"}})),
                false
            ),
            "container \"app\" in pod \"web\" is waiting to start: trying and failing to pull image"
        );
        assert_eq!(
            msg(
                &pod(json!({"running": {"startedAt": "2026-01-01T00:00:00Z"}})),
                true
            ),
            "previous terminated container \"app\" in pod \"web\" not found"
        );
        assert_eq!(
            instance(&pod(json!({})), "other", false)
                .unwrap_err()
                .message,
            "container \"other\" in pod \"web\" is not available"
        );
    }
}
