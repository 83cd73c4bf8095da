//! List rows of the workload pages: the cells of each column read from an object's JSON (as
//! kubectl's columns show them), sorting, the text filter, ages and the window of rows a
//! virtualized table body renders.

use std::cmp::Ordering;
use std::sync::Arc;

use serde_json::Value;

use crate::kinds::{Col, Kind};

/// One object of a list, reduced to what the table shows (the JSON itself is not kept: a list
/// of thousands of pods stays small).
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub name: String,
    pub cells: Vec<String>,
    /// `ok`, `warn` or `bad` for the row's status, when it has one.
    pub tone: &'static str,
    /// The object itself, kept only where a page shows more than the row (one object's page).
    pub obj: Option<Arc<Value>>,
}

fn s<'a>(v: &'a Value, path: &[&str]) -> &'a str {
    get(v, path).and_then(Value::as_str).unwrap_or("")
}

fn get<'a>(v: &'a Value, path: &[&str]) -> Option<&'a Value> {
    path.iter().try_fold(v, |v, k| v.get(k))
}

fn n(v: &Value, path: &[&str]) -> i64 {
    get(v, path).and_then(Value::as_i64).unwrap_or(0)
}

fn arr<'a>(v: &'a Value, path: &[&str]) -> &'a [Value] {
    get(v, path)
        .and_then(Value::as_array)
        .map_or(&[], Vec::as_slice)
}

/// A pod's status as kubectl shows it: a waiting or terminated reason wins over the phase.
pub fn pod_status(pod: &Value) -> String {
    if get(pod, &["metadata", "deletionTimestamp"]).is_some() {
        return "Terminating".into();
    }
    for c in arr(pod, &["status", "containerStatuses"]) {
        for st in ["waiting", "terminated"] {
            let r = s(c, &["state", st, "reason"]);
            if !r.is_empty() && r != "Completed" {
                return r.into();
            }
        }
    }
    let phase = s(pod, &["status", "phase"]);
    if phase.is_empty() {
        "Pending".into()
    } else {
        phase.into()
    }
}

fn job_status(job: &Value) -> String {
    for c in arr(job, &["status", "conditions"]) {
        if s(c, &["status"]) == "True" && matches!(s(c, &["type"]), "Complete" | "Failed") {
            return s(c, &["type"]).into();
        }
    }
    "Running".into()
}

/// `ok`, `warn` or `bad` for a status text.
pub fn tone(status: &str) -> &'static str {
    match status {
        "Running" | "Succeeded" | "Completed" | "Complete" | "Bound" | "Active" | "True"
        | "Normal" => "ok",
        "Pending" | "ContainerCreating" | "Terminating" | "PodInitializing" | "Unknown" => "warn",
        "" => "",
        _ => "bad",
    }
}

/// The text of column `col` for `obj`, an object of `kind` (the items of a LIST carry no
/// `kind` of their own).
pub fn cell(col: Col, kind: &str, obj: &Value) -> String {
    let ratio = |a: i64, b: i64| format!("{a}/{b}");
    match col {
        Col::Name => s(obj, &["metadata", "name"]).into(),
        Col::Ready => match kind {
            "Pod" => {
                let cs = arr(obj, &["status", "containerStatuses"]);
                let ready = cs.iter().filter(|c| c["ready"] == true).count() as i64;
                ratio(ready, arr(obj, &["spec", "containers"]).len() as i64)
            }
            "DaemonSet" => n(obj, &["status", "numberReady"]).to_string(),
            "ReplicaSet" | "ReplicationController" => {
                n(obj, &["status", "readyReplicas"]).to_string()
            }
            _ => ratio(
                n(obj, &["status", "readyReplicas"]),
                n(obj, &["spec", "replicas"]),
            ),
        },
        Col::Status => match kind {
            "Pod" => pod_status(obj),
            "Job" => job_status(obj),
            _ => s(obj, &["status", "phase"]).into(),
        },
        Col::Restarts => arr(obj, &["status", "containerStatuses"])
            .iter()
            .map(|c| n(c, &["restartCount"]))
            .sum::<i64>()
            .to_string(),
        Col::Node => s(obj, &["spec", "nodeName"]).into(),
        Col::PodIp => s(obj, &["status", "podIP"]).into(),
        Col::UpToDate => match kind {
            "DaemonSet" => n(obj, &["status", "updatedNumberScheduled"]),
            _ => n(obj, &["status", "updatedReplicas"]),
        }
        .to_string(),
        Col::Available => match kind {
            "DaemonSet" => n(obj, &["status", "numberAvailable"]),
            _ => n(obj, &["status", "availableReplicas"]),
        }
        .to_string(),
        Col::Desired => match kind {
            "DaemonSet" => n(obj, &["status", "desiredNumberScheduled"]),
            _ => n(obj, &["spec", "replicas"]),
        }
        .to_string(),
        Col::Current => match kind {
            "DaemonSet" => n(obj, &["status", "currentNumberScheduled"]),
            _ => n(obj, &["status", "replicas"]),
        }
        .to_string(),
        Col::Completions => ratio(
            n(obj, &["status", "succeeded"]),
            get(obj, &["spec", "completions"])
                .and_then(Value::as_i64)
                .unwrap_or(1),
        ),
        Col::Schedule => s(obj, &["spec", "schedule"]).into(),
        Col::Suspend => (get(obj, &["spec", "suspend"]) == Some(&Value::Bool(true))).to_string(),
        Col::Active => arr(obj, &["status", "active"]).len().to_string(),
        Col::LastSchedule => s(obj, &["status", "lastScheduleTime"]).into(),
        Col::Type => s(obj, &["spec", "type"]).to_string() + s(obj, &["type"]),
        Col::ClusterIp => s(obj, &["spec", "clusterIP"]).into(),
        Col::Ports => arr(obj, &["spec", "ports"])
            .iter()
            .map(|p| format!("{}/{}", n(p, &["port"]), s(p, &["protocol"])))
            .collect::<Vec<_>>()
            .join(","),
        Col::Hosts => arr(obj, &["spec", "rules"])
            .iter()
            .map(|r| s(r, &["host"]).to_string())
            .collect::<Vec<_>>()
            .join(","),
        Col::Data => ["data", "binaryData"]
            .iter()
            .map(|k| obj.get(k).and_then(Value::as_object).map_or(0, |m| m.len()))
            .sum::<usize>()
            .to_string(),
        Col::Volume => s(obj, &["spec", "volumeName"]).into(),
        Col::Capacity => s(obj, &["status", "capacity", "storage"]).into(),
        Col::StorageClass => s(obj, &["spec", "storageClassName"]).into(),
        Col::Reference => {
            let r = &obj["spec"]["scaleTargetRef"];
            format!("{}/{}", s(r, &["kind"]), s(r, &["name"]))
        }
        Col::MinMax => ratio(
            get(obj, &["spec", "minReplicas"])
                .and_then(Value::as_i64)
                .unwrap_or(1),
            n(obj, &["spec", "maxReplicas"]),
        )
        .replace('/', " – "),
        Col::Replicas => n(obj, &["status", "currentReplicas"]).to_string(),
        Col::Reason => s(obj, &["reason"]).into(),
        Col::Object => {
            let o = &obj["involvedObject"];
            format!(
                "{}/{}",
                s(o, &["kind"]).to_ascii_lowercase(),
                s(o, &["name"])
            )
        }
        Col::Message => s(obj, &["message"]).into(),
        Col::Count => get(obj, &["count"])
            .and_then(Value::as_i64)
            .unwrap_or(1)
            .to_string(),
        Col::LastSeen => event_time(obj).into(),
        Col::Age => s(obj, &["metadata", "creationTimestamp"]).into(),
    }
}

/// When an event last happened (the newest of its timestamps).
pub fn event_time(ev: &Value) -> &str {
    ["lastTimestamp", "eventTime", "firstTimestamp"]
        .iter()
        .map(|k| s(ev, &[k]))
        .find(|t| !t.is_empty())
        .unwrap_or_else(|| s(ev, &["metadata", "creationTimestamp"]))
}

/// The row of `obj` in `kind`'s list.
pub fn row(kind: &Kind, obj: &Value) -> Row {
    let cells: Vec<String> = kind.cols.iter().map(|c| cell(*c, kind.kind, obj)).collect();
    let tone = kind
        .cols
        .iter()
        .zip(&cells)
        .find(|(c, _)| {
            matches!(c, Col::Status | Col::Type)
                && kind.plural != "services"
                && kind.plural != "secrets"
        })
        .map_or("", |(_, v)| tone(v));
    Row {
        name: s(obj, &["metadata", "name"]).into(),
        cells,
        tone,
        obj: None,
    }
}

fn numeric(s: &str) -> Option<f64> {
    s.split('/').next()?.parse().ok()
}

/// Orders rows by column `col` (numbers as numbers, `3/5` by its first number), then by name.
pub fn compare(a: &Row, b: &Row, col: usize) -> Ordering {
    let (x, y) = (
        a.cells.get(col).map_or("", |s| s),
        b.cells.get(col).map_or("", |s| s),
    );
    let by_col = match (numeric(x), numeric(y)) {
        (Some(p), Some(q)) => p.partial_cmp(&q).unwrap_or(Ordering::Equal),
        _ => x.cmp(y),
    };
    by_col.then_with(|| a.name.cmp(&b.name))
}

/// Sorts rows by column `col` (one sort for every list: it is big in the web app's code).
pub fn sort_rows(rows: &mut [Arc<Row>], col: usize, desc: bool) {
    rows.sort_unstable_by(|a, b| {
        let o = compare(a, b, col);
        if desc { o.reverse() } else { o }
    });
}

/// Whether `row` matches the filter text (every word somewhere in its cells, any case).
pub fn matches(row: &Row, filter: &str) -> bool {
    let f = filter.to_lowercase();
    f.split_whitespace().all(|w| {
        row.name.to_lowercase().contains(w)
            || row.cells.iter().any(|c| c.to_lowercase().contains(w))
    })
}

/// Seconds since 1970 of an RFC 3339 UTC time (`2025-01-02T03:04:05Z`, fractions ignored).
pub fn epoch(ts: &str) -> Option<i64> {
    let b = ts.as_bytes();
    if b.len() < 19 {
        return None;
    }
    let num = |r: std::ops::Range<usize>| ts.get(r)?.parse::<i64>().ok();
    let (y, m, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let (hh, mm, ss) = (num(11..13)?, num(14..16)?, num(17..19)?);
    // Days from the civil date (Howard Hinnant's algorithm).
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * ((m + 9) % 12) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    Some(days * 86_400 + hh * 3600 + mm * 60 + ss)
}

/// kubectl's short age: `45s`, `12m`, `5h`, `3d`.
pub fn age(ts: &str, now: i64) -> String {
    let Some(t) = epoch(ts) else {
        return if ts.is_empty() {
            "—".into()
        } else {
            ts.into()
        };
    };
    let d = (now - t).max(0);
    match d {
        0..120 => format!("{d}s"),
        120..7200 => format!("{}m", d / 60),
        7200..172_800 => format!("{}h", d / 3600),
        _ => format!("{}d", d / 86_400),
    }
}

/// The rows `[start, end)` a virtualized body renders for a scroll position (plus `overscan`
/// rows either side).
pub fn window(
    scroll_top: f64,
    view_height: f64,
    row_height: f64,
    len: usize,
    overscan: usize,
) -> (usize, usize) {
    let first = (scroll_top.max(0.0) / row_height).floor() as usize;
    let visible = (view_height / row_height).ceil() as usize + 1;
    let start = first.saturating_sub(overscan).min(len);
    let end = (first + visible + overscan).min(len);
    (start, end)
}

#[cfg(test)]
mod tests;
