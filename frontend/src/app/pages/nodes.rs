//! Nodes (operators): per node capacity, allocatable, what the pods on it request, usage from
//! the metrics API when there is one (`/nodes`); one node's conditions, taints and pods
//! (`/nodes/:name`). Read through the Kubernetes proxy.

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use serde_json::Value;

use super::super::api::ApiResult;
use super::super::k8s;
use super::super::state::{t, tr};
use super::super::widgets::{load, set_title};
use super::workloads::href;
use crate::html::{badge, esc, link, table};
use crate::kinds::{by_plural, enc};
use crate::nodes::{Amounts, NodeSummary, pod_resources, summarize};
use crate::rows::pod_status;

#[derive(Clone)]
struct Data {
    nodes: Value,
    pods: Value,
    metrics: Option<Value>,
}

async fn fetch(node: Option<String>) -> ApiResult<Data> {
    let (nodes, pods) = match &node {
        Some(n) => (
            format!("/k8s/api/v1/nodes?fieldSelector=metadata.name%3D{}", enc(n)),
            format!("/k8s/api/v1/pods?fieldSelector=spec.nodeName%3D{}", enc(n)),
        ),
        None => ("/k8s/api/v1/nodes".into(), "/k8s/api/v1/pods".into()),
    };
    Ok(Data {
        nodes: k8s::get(&nodes).await?,
        pods: k8s::get(&pods).await?,
        metrics: k8s::get("/k8s/apis/metrics.k8s.io/v1beta1/nodes")
            .await
            .ok(),
    })
}

fn cpu(m: i64) -> String {
    if m % 1000 == 0 {
        format!("{}", m / 1000)
    } else {
        format!("{:.2}", m as f64 / 1000.0)
    }
}

fn mem(b: i64) -> String {
    if b < 1 << 30 {
        format!("{} MiB", b >> 20)
    } else {
        format!("{:.1} GiB", b as f64 / (1u64 << 30) as f64)
    }
}

/// `used / of` with a bar (HTML).
fn gauge(used: i64, of: i64, fmt: fn(i64) -> String) -> String {
    let r = if of > 0 { used as f64 / of as f64 } else { 0.0 };
    let class = crate::html::bar_class(r);
    format!(
        "<div class=\"gauge\"><div class=\"{class}\" role=\"meter\" aria-valuenow=\"{:.0}\"><span style=\"width:{:.1}%\"></span></div><span class=\"nums\">{} / {}</span></div>",
        r * 100.0,
        (r * 100.0).min(100.0),
        esc(&fmt(used)),
        esc(&fmt(of))
    )
}

fn ready(n: &NodeSummary) -> String {
    if n.ready {
        badge("ok", tr("nodes.ready"))
    } else {
        badge("bad", tr("nodes.not_ready"))
    }
}

fn usage(n: &NodeSummary, f: impl Fn(&Amounts) -> (i64, i64), fmt: fn(i64) -> String) -> String {
    n.usage.as_ref().map_or_else(
        || "—".into(),
        |u| {
            let (a, b) = f(u);
            gauge(a, b, fmt)
        },
    )
}

fn nodes_table(list: &[NodeSummary]) -> String {
    let rows: Vec<Vec<String>> = list
        .iter()
        .map(|n| {
            vec![
                link(&format!("/nodes/{}", enc(&n.name)), &n.name),
                ready(n),
                gauge(n.requests.cpu_m, n.allocatable.cpu_m, cpu),
                usage(n, |u| (u.cpu_m, n.allocatable.cpu_m), cpu),
                gauge(n.requests.mem, n.allocatable.mem, mem),
                usage(n, |u| (u.mem, n.allocatable.mem), mem),
                format!("{} / {}", n.pods, n.pod_capacity),
                esc(&n.taints.join(", ")),
            ]
        })
        .collect();
    let head = [
        "common.name",
        "wl.col.status",
        "nodes.cpu_requested",
        "nodes.cpu_used",
        "nodes.mem_requested",
        "nodes.mem_used",
        "wl.kind.pods",
        "nodes.taints",
    ];
    table(&head.map(tr), &rows)
}

#[component]
pub fn Nodes() -> impl IntoView {
    set_title("nav.nodes");
    let data = LocalResource::new(|| fetch(None));
    view! {
        <div class="pagehead"><h1>{t("nav.nodes")}</h1></div>
        {load(data, |d: Data| {
            let list = summarize(&d.nodes, &d.pods, d.metrics.as_ref());
            view! {
                {d.metrics.is_none().then(|| view! { <div class="alert info">{t("nodes.no_metrics")}</div> })}
                <div data-testid="nodes" inner_html=move || nodes_table(&list)></div>
            }
        })}
    }
}

#[component]
pub fn NodePage() -> impl IntoView {
    set_title("nav.nodes");
    let params = use_params_map();
    let name = move || params.get().get("name").unwrap_or_default();
    let data = LocalResource::new(move || fetch(Some(name())));
    view! {
        <div class="crumbs"><a href="/nodes">{t("nav.nodes")}</a></div>
        {load(data, move |d: Data| {
            let Some(n) = summarize(&d.nodes, &d.pods, d.metrics.as_ref()).into_iter().next() else {
                return view! { <p class="muted">{t("wl.gone")}</p> }.into_any();
            };
            let title = n.name.clone();
            let body = move || node_html(&n, &d);
            view! {
                <div class="pagehead"><h1 data-testid="node-name">{title}</h1></div>
                <div inner_html=body></div>
            }.into_any()
        })}
    }
}

/// One node: resources, conditions, pods on it.
fn node_html(n: &NodeSummary, d: &Data) -> String {
    let amounts = |f: fn(&Amounts) -> String, label: &str| {
        vec![
            format!("<strong>{}</strong>", esc(label)),
            f(&n.capacity),
            f(&n.allocatable),
            f(&n.requests),
            f(&n.limits),
            n.usage.as_ref().map_or_else(|| "—".into(), f),
        ]
    };
    let resources = table(
        &[
            "",
            tr("nodes.capacity"),
            tr("nodes.allocatable"),
            tr("nodes.requests"),
            tr("nodes.limits"),
            tr("nodes.usage"),
        ],
        &[
            amounts(|a| cpu(a.cpu_m), "CPU"),
            amounts(|a| mem(a.mem), tr("nodes.memory")),
        ],
    );
    let s = |v: &Value| esc(v.as_str().unwrap_or(""));
    let conditions: Vec<Vec<String>> = d.nodes["items"][0]["status"]["conditions"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|c| {
            vec![
                s(&c["type"]),
                badge(
                    if c["status"] == "True" { "ok" } else { "" },
                    c["status"].as_str().unwrap_or(""),
                ),
                s(&c["reason"]),
                s(&c["message"]),
            ]
        })
        .collect();
    let pods_kind = by_plural("pods").expect("pods kind");
    let pods: Vec<Vec<String>> = d.pods["items"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|p| {
            let ns = p["metadata"]["namespace"].as_str().unwrap_or("");
            let name = p["metadata"]["name"].as_str().unwrap_or("");
            let (req, _) = pod_resources(p);
            vec![
                esc(ns),
                link(&href(ns, pods_kind, Some(name)), name),
                esc(&pod_status(p)),
                cpu(req.cpu_m),
                mem(req.mem),
            ]
        })
        .collect();
    let taints = if n.taints.is_empty() {
        "—".to_string()
    } else {
        n.taints.join(", ")
    };
    format!(
        "<section class=\"card\" data-testid=\"node-resources\"><h2>{}</h2>{resources}<p class=\"muted\">{}: {} / {} · {}: {}</p></section>\
         <section class=\"card\"><h2>{}</h2>{}</section>\
         <section class=\"card\" data-testid=\"node-pods\"><h2>{}</h2>{}</section>",
        esc(tr("nodes.resources")),
        esc(tr("wl.kind.pods")),
        n.pods,
        n.pod_capacity,
        esc(tr("nodes.taints")),
        esc(&taints),
        esc(tr("wl.conditions")),
        table(
            &[
                tr("wl.col.type"),
                tr("wl.col.status"),
                tr("wl.col.reason"),
                tr("wl.col.message")
            ],
            &conditions
        ),
        esc(tr("nodes.pods")),
        table(
            &[
                tr("wl.namespace"),
                tr("common.name"),
                tr("wl.col.status"),
                "CPU",
                tr("nodes.memory")
            ],
            &pods
        ),
    )
}
