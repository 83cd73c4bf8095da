//! The overview's summaries of Kubernetes lists (pure, tested on the host): workloads by state
//! across a tenant's namespaces, and the recent events, newest first, with the web app's page
//! of the object each one is about; both also written as HTML text (`crate::html`: far less
//! wasm than typed views).

use serde_json::Value;

use crate::html::{badge, esc, link};
use crate::i18n::{Lang, text};
use crate::kinds::{by_kind, enc};
use crate::rows::{age, epoch, event_time};

/// Pods, Deployments and Jobs by state.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct WorkloadCounts {
    pub pods_running: usize,
    pub pods_pending: usize,
    pub pods_failed: usize,
    pub pods_succeeded: usize,
    pub deployments_available: usize,
    pub deployments_unavailable: usize,
    pub jobs_active: usize,
    pub jobs_complete: usize,
    pub jobs_failed: usize,
}

fn items(list: &Value) -> &[Value] {
    list["items"].as_array().map_or(&[], Vec::as_slice)
}

fn str_at<'a>(v: &'a Value, pointer: &str) -> &'a str {
    v.pointer(pointer).and_then(Value::as_str).unwrap_or("")
}

/// Whether `obj` is in one of `namespaces` (all namespaces when the list is empty).
fn in_scope(obj: &Value, namespaces: &[String]) -> bool {
    namespaces.is_empty()
        || namespaces
            .iter()
            .any(|n| n == str_at(obj, "/metadata/namespace"))
}

/// Whether `obj` has the condition `kind` with status `True`.
fn condition(obj: &Value, kind: &str) -> bool {
    obj.pointer("/status/conditions")
        .and_then(Value::as_array)
        .is_some_and(|cs| {
            cs.iter()
                .any(|c| c["type"] == kind && c["status"] == "True")
        })
}

/// Counts the items of three LISTs (pods, deployments, jobs) in `namespaces`.
pub fn count(
    pods: &Value,
    deployments: &Value,
    jobs: &Value,
    namespaces: &[String],
) -> WorkloadCounts {
    let mut c = WorkloadCounts::default();
    for p in items(pods).iter().filter(|o| in_scope(o, namespaces)) {
        match str_at(p, "/status/phase") {
            "Running" => c.pods_running += 1,
            "Succeeded" => c.pods_succeeded += 1,
            "Failed" => c.pods_failed += 1,
            _ => c.pods_pending += 1,
        }
    }
    for d in items(deployments)
        .iter()
        .filter(|o| in_scope(o, namespaces))
    {
        let has_conditions = d.pointer("/status/conditions").is_some();
        let available = if has_conditions {
            condition(d, "Available")
        } else {
            let want = d
                .pointer("/spec/replicas")
                .and_then(Value::as_i64)
                .unwrap_or(1);
            let have = d
                .pointer("/status/availableReplicas")
                .and_then(Value::as_i64)
                .unwrap_or(0);
            have >= want
        };
        if available {
            c.deployments_available += 1;
        } else {
            c.deployments_unavailable += 1;
        }
    }
    for j in items(jobs).iter().filter(|o| in_scope(o, namespaces)) {
        if condition(j, "Complete") {
            c.jobs_complete += 1;
        } else if condition(j, "Failed") {
            c.jobs_failed += 1;
        } else {
            c.jobs_active += 1;
        }
    }
    c
}

/// One event as the overview lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventRow {
    pub namespace: String,
    /// `deployment/web`, as kubectl writes the object.
    pub object: String,
    /// The object's page in the web app, when it has one.
    pub link: Option<String>,
    pub reason: String,
    pub message: String,
    /// When it last happened (RFC 3339).
    pub time: String,
    pub warning: bool,
    pub count: i64,
}

/// The web app's page of the object an event is about: a workload page, or a node's page.
pub fn object_link(event: &Value) -> Option<String> {
    let o = &event["involvedObject"];
    let (kind, name) = (str_at(o, "/kind"), str_at(o, "/name"));
    if name.is_empty() {
        return None;
    }
    if kind == "Node" {
        return Some(format!("/nodes/{}", enc(name)));
    }
    let ns = match str_at(o, "/namespace") {
        "" => str_at(event, "/metadata/namespace"),
        ns => ns,
    };
    let k = by_kind(str_at(o, "/apiVersion"), kind)?;
    (!ns.is_empty()).then(|| format!("/ns/{}/{}/{}", enc(ns), k.plural, enc(name)))
}

/// The newest `limit` events of a LIST in `namespaces` (all when empty), only warnings when
/// `warnings_only`.
pub fn recent_events(
    list: &Value,
    namespaces: &[String],
    warnings_only: bool,
    limit: usize,
) -> Vec<EventRow> {
    let mut picked: Vec<(i64, &Value)> = items(list)
        .iter()
        .filter(|e| in_scope(e, namespaces))
        .filter(|e| !warnings_only || e["type"] == "Warning")
        .map(|e| (epoch(event_time(e)).unwrap_or(0), e))
        .collect();
    // Newest first (the same second by name, so the order is stable between renders), picked
    // one at a time: a sort would add several KB to the wasm for ten rows.
    let newer = |a: &(i64, &Value), b: &(i64, &Value)| {
        a.0 > b.0 || (a.0 == b.0 && str_at(a.1, "/metadata/name") < str_at(b.1, "/metadata/name"))
    };
    let mut newest = Vec::new();
    while newest.len() < limit && !picked.is_empty() {
        let mut best = 0;
        for i in 1..picked.len() {
            if newer(&picked[i], &picked[best]) {
                best = i;
            }
        }
        newest.push(picked.swap_remove(best));
    }
    newest
        .into_iter()
        .map(|(_, e)| {
            let o = &e["involvedObject"];
            EventRow {
                namespace: str_at(e, "/metadata/namespace").to_string(),
                object: format!(
                    "{}/{}",
                    str_at(o, "/kind").to_ascii_lowercase(),
                    str_at(o, "/name")
                ),
                link: object_link(e),
                reason: str_at(e, "/reason").to_string(),
                message: str_at(e, "/message").to_string(),
                time: event_time(e).to_string(),
                warning: e["type"] == "Warning",
                count: e["count"].as_i64().unwrap_or(1),
            }
        })
        .collect()
}

/// The empty state's box.
fn empty(lang: Lang, key: &'static str) -> String {
    format!("<div class=\"empty\">{}</div>", esc(text(lang, key)))
}

/// The events as a table (age, namespace, object, reason, message; warnings highlighted), or
/// the empty state `empty_key`; `now` in seconds since 1970.
pub fn events_html(rows: &[EventRow], now: i64, lang: Lang, empty_key: &'static str) -> String {
    if rows.is_empty() {
        return empty(lang, empty_key);
    }
    let mut out = String::from(
        "<div class=\"table-wrap\"><table class=\"events\" data-testid=\"event-table\"><thead><tr>",
    );
    for key in [
        "wl.col.last_seen",
        "wl.namespace",
        "wl.col.object",
        "wl.col.reason",
        "wl.col.message",
    ] {
        out.push_str(&format!("<th>{}</th>", esc(text(lang, key))));
    }
    out.push_str("</tr></thead><tbody>");
    for e in rows {
        let (class, kind, tone) = if e.warning {
            (" class=\"warning\"", "Warning", "warn")
        } else {
            ("", "Normal", "")
        };
        let ns = if e.namespace.is_empty() {
            String::new()
        } else {
            link(&format!("/ns/{}/events", enc(&e.namespace)), &e.namespace)
        };
        let object = match &e.link {
            Some(h) => link(h, &e.object),
            None => esc(&e.object),
        };
        let times = if e.count > 1 {
            format!(" <span class=\"muted\">(×{})</span>", e.count)
        } else {
            String::new()
        };
        out.push_str(&format!(
            "<tr{class} data-type=\"{kind}\"><td class=\"nowrap\" title=\"{}\">{}</td><td>{ns}</td><td class=\"mono\">{object}</td><td>{}</td><td>{}{times}</td></tr>",
            esc(&e.time),
            esc(&age(&e.time, now)),
            badge(tone, &e.reason),
            esc(&e.message),
        ));
    }
    out.push_str("</tbody></table></div>");
    out
}

/// Workloads by state: a group per kind, each state with its count (toned when not zero), or
/// the empty state when there are none.
pub fn states_html(c: &WorkloadCounts, lang: Lang) -> String {
    if *c == WorkloadCounts::default() {
        return empty(lang, "overview.workloads.none");
    }
    // (kind, title, [(state, label, count, tone)])
    type States = Vec<(&'static str, &'static str, usize, &'static str)>;
    let groups: [(&str, &str, States); 3] = [
        (
            "pods",
            "wl.kind.pods",
            vec![
                ("running", "overview.wl.running", c.pods_running, "ok"),
                ("pending", "overview.wl.pending", c.pods_pending, "warn"),
                ("failed", "overview.wl.failed", c.pods_failed, "bad"),
                ("succeeded", "overview.wl.succeeded", c.pods_succeeded, "ok"),
            ],
        ),
        (
            "deployments",
            "wl.kind.deployments",
            vec![
                (
                    "available",
                    "overview.wl.available",
                    c.deployments_available,
                    "ok",
                ),
                (
                    "unavailable",
                    "overview.wl.unavailable",
                    c.deployments_unavailable,
                    "bad",
                ),
            ],
        ),
        (
            "jobs",
            "wl.kind.jobs",
            vec![
                ("active", "overview.wl.active", c.jobs_active, ""),
                ("complete", "overview.wl.complete", c.jobs_complete, "ok"),
                ("failed", "overview.wl.failed", c.jobs_failed, "bad"),
            ],
        ),
    ];
    let mut out = String::from("<div class=\"wl-states\">");
    for (kind, title, states) in groups {
        out.push_str(&format!(
            "<div class=\"wl-group\" data-kind=\"{kind}\"><h3>{}</h3>",
            esc(text(lang, title))
        ));
        for (state, label, n, tone) in states {
            let tone = if n == 0 { "" } else { tone };
            out.push_str(&format!(
                "<div class=\"wl-state\" data-state=\"{state}\">{}<span class=\"n\">{n}</span></div>",
                badge(tone, text(lang, label))
            ));
        }
        out.push_str("</div>");
    }
    out.push_str("</div>");
    out
}

#[cfg(test)]
mod tests;
