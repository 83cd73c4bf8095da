//! A tenant user's overview: the tenant's budget use and namespaces (also on the tenant page),
//! its workloads by state and recent events (read through the proxy across the tenant's
//! namespaces), and its budget use over the last 6 hours (server-drawn charts).

use api_types::portal::{Namespace, TenantUsage};
use leptos::prelude::*;

use super::super::super::api::{self, ApiResult};
use super::super::super::k8s;
use super::super::super::state::{globals, me, t, tr};
use super::super::super::widgets::{Empty, UsageGrid, load};
use super::super::namespaces::NamespaceTable;
use super::parts::{MetricsNotice, chart, event_table, tenant_namespaces, workload_states};
use crate::overview::{EventRow, WorkloadCounts, count, recent_events};

#[component]
pub fn TenantOverview() -> impl IntoView {
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

/// The tenant's workloads by state and its newest ten events: four tenant-wide lists through
/// the proxy, narrowed to the tenant's namespaces (a user may be in several tenants).
async fn activity(tenant: String) -> ApiResult<(WorkloadCounts, Vec<EventRow>)> {
    let ns = tenant_namespaces(&tenant).await?;
    if ns.is_empty() {
        return Ok((WorkloadCounts::default(), Vec::new()));
    }
    let pods = k8s::get("/k8s/api/v1/pods").await?;
    let deployments = k8s::get("/k8s/apis/apps/v1/deployments").await?;
    let jobs = k8s::get("/k8s/apis/batch/v1/jobs").await?;
    let events = k8s::get("/k8s/api/v1/events").await?;
    Ok((
        count(&pods, &deployments, &jobs, &ns),
        recent_events(&events, &ns, false, 10),
    ))
}

#[component]
fn TenantOverviewPage(tenant: String) -> impl IntoView {
    let t1 = tenant.clone();
    let data = LocalResource::new(move || activity(t1.clone()));
    let dashboards = format!("/dashboards?tenant={}&range=6h", api::enc(&tenant));
    view! {
        <div class="pagehead"><h1>{tenant.clone()}</h1>
            <span class="spacer"></span>
            <a class="btn" href=format!("/tenants/{}", api::enc(&tenant))>{t("overview.tenant_page")}</a>
        </div>
        <TenantUsageView tenant=tenant.clone()/>
        <section class="card" data-testid="workload-states">
            <h2>{t("overview.workloads")}</h2>
            <p class="muted">{t("overview.workloads.hint")}</p>
            {load(data, |(c, _): (WorkloadCounts, Vec<EventRow>)| workload_states(c))}
        </section>
        <section class="card" data-testid="budget-chart">
            <div class="card-head"><h2>{t("overview.budget_chart")}</h2>
                <a href=dashboards>{t("overview.to_dashboards")}</a></div>
            <p class="muted">{t("overview.budget_chart.hint")}</p>
            <MetricsNotice/>
            <div class="charts">
                {["cpu", "memory"].map(|r| chart("series.svg", vec![
                    ("scope", "tenant".into()),
                    ("name", tenant.clone()),
                    ("metric", format!("quota.used/requests.{r},quota.hard/requests.{r},budget/requests.{r}")),
                    ("range", "6h".into()),
                ]))}
            </div>
        </section>
        <section class="card" data-testid="recent-events">
            <h2>{t("overview.events")}</h2>
            {load(data, |(_, rows): (WorkloadCounts, Vec<EventRow>)| event_table(rows, "overview.events.none"))}
        </section>
    }
}
