//! Nodes (operators): per node capacity, allocatable, what the pods on it request, usage from
//! the metrics API when there is one (`/nodes`); one node's conditions, taints and pods
//! (`/nodes/:name`). Read through the Kubernetes proxy.

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use serde_json::Value;

use super::super::api::ApiResult;
use super::super::k8s;
use super::super::state::{t, tr};
use super::super::widgets::{Bar, load, set_title};
use super::workloads::href;
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
        metrics: k8s::get("/k8s/apis/metrics.k8s.io/v1beta1/nodes").await.ok(),
    })
}

fn cpu(m: i64) -> String {
    if m % 1000 == 0 { format!("{}", m / 1000) } else { format!("{:.2}", m as f64 / 1000.0) }
}

fn mem(b: i64) -> String {
    format!("{:.1} GiB", b as f64 / (1u64 << 30) as f64)
}

fn ratio(a: i64, b: i64) -> Option<f64> {
    (b > 0).then(|| a as f64 / b as f64)
}

/// `used / of` with a bar.
fn gauge(used: i64, of: i64, fmt: fn(i64) -> String) -> impl IntoView {
    view! { <div class="gauge"><Bar ratio=ratio(used, of)/><span class="nums">{fmt(used)}" / "{fmt(of)}</span></div> }
}

fn ready_badge(ready: bool) -> impl IntoView {
    let (class, key) = if ready { ("badge ok", "nodes.ready") } else { ("badge bad", "nodes.not_ready") };
    view! { <span class=class>{t(key)}</span> }
}

#[component]
pub fn Nodes() -> impl IntoView {
    set_title("nav.nodes");
    let data = LocalResource::new(|| fetch(None));
    view! {
        <div class="pagehead"><h1>{t("nav.nodes")}</h1></div>
        {load(data, |d: Data| {
            let list = summarize(&d.nodes, &d.pods, d.metrics.as_ref());
            let has_metrics = d.metrics.is_some();
            view! {
                {(!has_metrics).then(|| view! { <div class="alert info">{t("nodes.no_metrics")}</div> })}
                <div class="table-wrap"><table data-testid="nodes">
                    <thead><tr><th>{t("common.name")}</th><th>{t("wl.col.status")}</th><th>{t("nodes.cpu_requested")}</th><th>{t("nodes.cpu_used")}</th>
                        <th>{t("nodes.mem_requested")}</th><th>{t("nodes.mem_used")}</th><th class="num">{t("wl.kind.pods")}</th><th>{t("nodes.taints")}</th></tr></thead>
                    <tbody>{list.into_iter().map(row).collect_view()}</tbody>
                </table></div>
            }
        })}
    }
}

fn row(n: NodeSummary) -> impl IntoView {
    let u = n.usage.clone();
    let u2 = n.usage.clone();
    view! { <tr data-name=n.name.clone()>
        <td><a href=format!("/nodes/{}", enc(&n.name))>{n.name.clone()}</a></td>
        <td>{ready_badge(n.ready)}</td>
        <td>{gauge(n.requests.cpu_m, n.allocatable.cpu_m, cpu)}</td>
        <td>{u.map(|u| gauge(u.cpu_m, n.allocatable.cpu_m, cpu).into_any()).unwrap_or_else(|| "—".into_any())}</td>
        <td>{gauge(n.requests.mem, n.allocatable.mem, mem)}</td>
        <td>{u2.map(|u| gauge(u.mem, n.allocatable.mem, mem).into_any()).unwrap_or_else(|| "—".into_any())}</td>
        <td class="num">{n.pods}" / "{n.pod_capacity}</td>
        <td>{n.taints.join(", ")}</td>
    </tr> }
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
            let node = d.nodes["items"][0].clone();
            view! {
                <div class="pagehead"><h1 data-testid="node-name">{n.name.clone()}</h1>{ready_badge(n.ready)}</div>
                <section class="card" data-testid="node-resources">
                    <h2>{t("nodes.resources")}</h2>
                    <div class="table-wrap"><table>
                        <thead><tr><th></th><th>{t("nodes.capacity")}</th><th>{t("nodes.allocatable")}</th><th>{t("nodes.requests")}</th><th>{t("nodes.limits")}</th><th>{t("nodes.usage")}</th></tr></thead>
                        <tbody>
                            {amount_row("CPU", &n, |a| cpu(a.cpu_m))}
                            {amount_row(tr("nodes.memory"), &n, |a| mem(a.mem))}
                        </tbody>
                    </table></div>
                    <p class="muted">{t("wl.kind.pods")}": "{n.pods}" / "{n.pod_capacity}" · "{t("nodes.taints")}": "{if n.taints.is_empty() { "—".to_string() } else { n.taints.join(", ") }}</p>
                </section>
                <section class="card"><h2>{t("wl.conditions")}</h2><div class="table-wrap"><table><tbody>
                    {node["status"]["conditions"].as_array().cloned().unwrap_or_default().into_iter().map(|c| view! { <tr>
                        <td>{c["type"].as_str().unwrap_or("").to_string()}</td><td>{c["status"].as_str().unwrap_or("").to_string()}</td>
                        <td>{c["reason"].as_str().unwrap_or("").to_string()}</td><td>{c["message"].as_str().unwrap_or("").to_string()}</td>
                    </tr> }).collect_view()}
                </tbody></table></div></section>
                <NodePods pods=d.pods.clone()/>
            }.into_any()
        })}
    }
}

fn amount_row(label: &str, n: &NodeSummary, f: impl Fn(&Amounts) -> String) -> impl IntoView {
    view! { <tr><th>{label.to_string()}</th><td>{f(&n.capacity)}</td><td>{f(&n.allocatable)}</td><td>{f(&n.requests)}</td><td>{f(&n.limits)}</td>
        <td>{n.usage.as_ref().map(&f).unwrap_or_else(|| "—".into())}</td></tr> }
}

#[component]
fn NodePods(pods: Value) -> impl IntoView {
    let pods_kind = by_plural("pods").expect("pods kind");
    let rows = pods["items"].as_array().cloned().unwrap_or_default().into_iter().map(|p| {
        let ns = p["metadata"]["namespace"].as_str().unwrap_or("").to_string();
        let name = p["metadata"]["name"].as_str().unwrap_or("").to_string();
        let (req, _) = pod_resources(&p);
        view! { <tr>
            <td>{ns.clone()}</td><td><a href=href(&ns, pods_kind, Some(&name))>{name.clone()}</a></td>
            <td>{pod_status(&p)}</td><td class="num">{cpu(req.cpu_m)}</td><td class="num">{mem(req.mem)}</td>
        </tr> }
    }).collect_view();
    view! {
        <section class="card" data-testid="node-pods">
            <h2>{t("nodes.pods")}</h2>
            <div class="table-wrap"><table>
                <thead><tr><th>{t("wl.namespace")}</th><th>{t("common.name")}</th><th>{t("wl.col.status")}</th><th class="num">"CPU"</th><th class="num">{t("nodes.memory")}</th></tr></thead>
                <tbody>{rows}</tbody>
            </table></div>
        </section>
    }
}
