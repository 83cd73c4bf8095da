//! The operator's overview: counts (tenants, namespaces, out of sync, pending requests, nodes),
//! capacity against what the budgets promise, the cluster's use over the last 6 hours (server-drawn
//! charts), recent warnings across the cluster, namespaces out of sync, pending quota requests
//! and the tenants.

use api_types::portal::{ClusterCapacity, Namespace, QuotaRequest, Tenant};
use leptos::prelude::*;

use super::super::super::api::{self, ApiResult};
use super::super::super::k8s;
use super::super::super::state::{t, tr};
use super::super::super::widgets::{Empty, ErrorBox, SyncBadge, UsageGrid, load};
use super::MAIN;
use super::parts::{MetricsNotice, chart, event_table};
use crate::overview::{EventRow, recent_events};

#[derive(Clone)]
struct OpData {
    capacity: ClusterCapacity,
    tenants: Vec<Tenant>,
    namespaces: Vec<Namespace>,
    pending: Vec<QuotaRequest>,
    /// The newest ten Warning events of the whole cluster (through the proxy, like kubectl).
    warnings: ApiResult<Vec<EventRow>>,
}

async fn op_data() -> ApiResult<OpData> {
    Ok(OpData {
        capacity: api::get("/api/v1/cluster/capacity").await?,
        tenants: api::get("/api/v1/tenants").await?,
        namespaces: api::get("/api/v1/namespaces").await?,
        pending: api::get("/api/v1/quota-requests?status=pending").await?,
        warnings: k8s::get("/k8s/api/v1/events?fieldSelector=type%3DWarning")
            .await
            .map(|list| recent_events(&list, &[], true, 10)),
    })
}

fn stat(label: &'static str, value: usize, href: Option<&'static str>) -> impl IntoView {
    let inner = view! { <div class="label">{t(label)}</div><div class="value">{value}</div> };
    match href {
        Some(h) => view! { <a class="stat" href=h>{inner}</a> }.into_any(),
        None => view! { <div class="stat">{inner}</div> }.into_any(),
    }
}

#[component]
pub fn OperatorOverview() -> impl IntoView {
    let data = LocalResource::new(op_data);
    view! {
        <div class="pagehead"><h1>{t("overview.cluster")}</h1></div>
        {load(data, |d: OpData| {
            let out_of_sync: Vec<Namespace> = d.namespaces.iter().filter(|n| n.sync_state != "in-sync").cloned().collect();
            let cap = d.capacity.clone();
            view! {
                <div class="grid">
                    {stat("overview.tenants", d.tenants.len(), Some("/tenants"))}
                    {stat("overview.namespaces", d.namespaces.len(), Some("/namespaces"))}
                    {stat("overview.out_of_sync", out_of_sync.len(), Some("/namespaces?sync=out"))}
                    {stat("overview.pending", d.pending.len(), Some("/quota-requests?status=pending"))}
                    {stat("overview.nodes", cap.nodes.len(), Some("/nodes"))}
                </div>
                <section class="card" data-testid="capacity">
                    <h2>{t("overview.capacity")}</h2>
                    <p class="muted">{t("overview.capacity.hint")}</p>
                    <UsageGrid used=cap.budgets.clone() hard=capacity_as_requests(&cap) only=MAIN.to_vec()/>
                </section>
                <ClusterCharts/>
                <section class="card" data-testid="recent-warnings">
                    <h2>{t("overview.warnings")}</h2>
                    <p class="muted">{t("overview.warnings.hint")}</p>
                    {match d.warnings.clone() {
                        Ok(rows) => event_table(rows, "overview.warnings.none").into_any(),
                        Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                    }}
                </section>
                <section class="card">
                    <h2>{t("overview.out_of_sync")}</h2>
                    {if out_of_sync.is_empty() {
                        view! { <Empty text=Signal::derive(|| tr("overview.all_in_sync").to_string())/> }.into_any()
                    } else {
                        view! { <ul>{out_of_sync.into_iter().map(|n| view! {
                            <li><a href=format!("/tenants/{}/namespaces/{}", n.tenant, n.name)>{n.tenant.clone()}"/"{n.name.clone()}</a>" "
                            <SyncBadge state=n.sync_state message=n.sync_message.clone()/>" "<span class="muted">{n.sync_message.clone()}</span></li>
                        }).collect_view()}</ul> }.into_any()
                    }}
                </section>
                <section class="card">
                    <h2>{t("overview.pending")}</h2>
                    {if d.pending.is_empty() {
                        view! { <Empty text=Signal::derive(|| tr("qr.none_pending").to_string())/> }.into_any()
                    } else {
                        view! { <super::super::quota_requests::RequestTable items=d.pending.clone()/> }.into_any()
                    }}
                </section>
                <section class="card">
                    <h2>{t("overview.tenants")}</h2>
                    <super::super::tenants::TenantTable tenants=d.tenants.clone()/>
                </section>
            }
        })}
    }
}

/// The cluster's CPU and memory (used, requested, allocatable) over the last 6 hours and the
/// resource pool now, as the dashboards draw them.
#[component]
fn ClusterCharts() -> impl IntoView {
    view! {
        <section class="card" data-testid="overview-charts">
            <div class="card-head"><h2>{t("overview.charts")}</h2>
                <a href="/dashboards?range=6h">{t("overview.to_dashboards")}</a></div>
            <p class="muted">{t("overview.charts.hint")}</p>
            <MetricsNotice/>
            <div class="charts">
                {chart("series.svg", vec![("scope", "cluster".into()), ("metric", "cpu,cpu.requests,cpu.allocatable".into()), ("range", "6h".into())])}
                {chart("series.svg", vec![("scope", "cluster".into()), ("metric", "memory,memory.requests,memory.allocatable".into()), ("range", "6h".into())])}
                {chart("pool.svg", Vec::new())}
            </div>
        </section>
    }
}

/// The cluster's allocatable resources under the names of the quota resources they back.
fn capacity_as_requests(cap: &ClusterCapacity) -> api_types::quota::ResourceList {
    let mut out = api_types::quota::ResourceList::new();
    for (quota, node) in [
        ("requests.cpu", "cpu"),
        ("requests.memory", "memory"),
        ("requests.nvidia.com/gpu", "nvidia.com/gpu"),
        ("requests.storage", "ephemeral-storage"),
        ("pods", "pods"),
    ] {
        if let Some(v) = cap.allocatable.get(node) {
            out.insert(quota.to_string(), v.clone());
        }
    }
    out
}
