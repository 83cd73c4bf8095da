//! Overview: for an operator the cluster (capacity and what the budgets promise), tenants,
//! namespaces out of sync and pending quota requests; for a tenant user the tenant's budget use
//! and namespaces.

use api_types::portal::{ClusterCapacity, Namespace, QuotaRequest, Tenant, TenantUsage};
use leptos::prelude::*;

use super::super::api::{self, ApiResult};
use super::super::state::{globals, is_operator, me, t, tr};
use super::super::widgets::{Empty, SyncBadge, UsageGrid, load, set_title};
use super::namespaces::NamespaceTable;

/// The resources the summaries show.
pub const MAIN: [&str; 5] = [
    "requests.cpu",
    "requests.memory",
    "requests.nvidia.com/gpu",
    "requests.storage",
    "pods",
];

#[component]
pub fn Overview() -> impl IntoView {
    set_title("nav.overview");
    move || {
        if is_operator() {
            view! { <OperatorOverview/> }.into_any()
        } else {
            view! { <TenantOverview/> }.into_any()
        }
    }
}

#[derive(Clone)]
struct OpData {
    capacity: ClusterCapacity,
    tenants: Vec<Tenant>,
    namespaces: Vec<Namespace>,
    pending: Vec<QuotaRequest>,
}

async fn op_data() -> ApiResult<OpData> {
    Ok(OpData {
        capacity: api::get("/api/v1/cluster/capacity").await?,
        tenants: api::get("/api/v1/tenants").await?,
        namespaces: api::get("/api/v1/namespaces").await?,
        pending: api::get("/api/v1/quota-requests?status=pending").await?,
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
fn OperatorOverview() -> impl IntoView {
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
                    {stat("overview.nodes", cap.nodes.len(), None)}
                </div>
                <section class="card" data-testid="capacity">
                    <h2>{t("overview.capacity")}</h2>
                    <p class="muted">{t("overview.capacity.hint")}</p>
                    <UsageGrid used=cap.budgets.clone() hard=capacity_as_requests(&cap) only=MAIN.to_vec()/>
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
                        view! { <super::quota_requests::RequestTable items=d.pending.clone()/> }.into_any()
                    }}
                </section>
                <section class="card">
                    <h2>{t("overview.tenants")}</h2>
                    <super::tenants::TenantTable tenants=d.tenants.clone()/>
                </section>
            }
        })}
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

#[component]
fn TenantOverview() -> impl IntoView {
    let tenant = move || {
        globals()
            .tenant
            .get()
            .or_else(|| me().and_then(|m| m.tenants.first().map(|t| t.tenant.clone())))
    };
    move || {
        match tenant() {
        None => view! { <h1>{t("nav.overview")}</h1><Empty text=Signal::derive(|| tr("overview.no_tenant").to_string())/> }.into_any(),
        Some(name) => view! { <TenantOverviewPage tenant=name/> }.into_any(),
    }
    }
}

/// A tenant's budget use and its namespaces with their bars (also on the tenant page).
#[component]
pub fn TenantUsageView(tenant: String) -> impl IntoView {
    let data = LocalResource::new(move || {
        let tenant = tenant.clone();
        async move {
            let t = api::enc(&tenant);
            let usage = api::get::<TenantUsage>(&format!("/api/v1/tenants/{t}/usage")).await?;
            let list =
                api::get::<Vec<Namespace>>(&format!("/api/v1/tenants/{t}/namespaces")).await?;
            Ok((usage, list))
        }
    });
    load(data, |(u, list): (TenantUsage, Vec<Namespace>)| {
        view! {
            {u.cluster_error.clone().map(|e| view! { <div class="alert error">{e}</div> })}
            <section class="card" data-testid="budget-use">
                <h2>{t("overview.budget")}</h2>
                <p class="muted">{t("overview.budget.hint")}</p>
                <div class="grid2">
                    <div><h3>{t("overview.allocated")}</h3><UsageGrid used=u.allocated.clone() hard=u.budget.clone()/></div>
                    <div><h3>{t("overview.used")}</h3><UsageGrid used=u.used.clone() hard=u.budget.clone()/></div>
                </div>
            </section>
            <section class="card">
                <h2>{t("overview.namespaces")}</h2>
                <NamespaceTable items=list usage=u.namespaces.clone()/>
            </section>
        }
    })
}

#[component]
fn TenantOverviewPage(tenant: String) -> impl IntoView {
    view! {
        <div class="pagehead"><h1>{tenant.clone()}</h1>
            <span class="spacer"></span>
            <a class="btn" href=format!("/tenants/{}", api::enc(&tenant))>{t("overview.tenant_page")}</a>
        </div>
        <TenantUsageView tenant=tenant/>
    }
}
