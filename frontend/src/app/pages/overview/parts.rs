//! Pieces of the overview: the events table (warnings highlighted, each object linked to its
//! page) and workloads by state (both HTML text from `crate::overview`), the "metrics API not
//! available" notice above charts, and the names of a tenant's namespaces the proxy's lists are
//! narrowed to.

use api_types::metrics::MetricsStatus;
use api_types::portal::Namespace;
use leptos::prelude::*;

use super::super::super::api::{self, ApiResult};
use super::super::super::state::{globals, t};
use super::super::dashboards::parts::{Chart, chart_url};
use crate::overview::{EventRow, WorkloadCounts, events_html, states_html};

/// The names of a tenant's namespaces (removed ones left out).
pub async fn tenant_namespaces(tenant: &str) -> ApiResult<Vec<String>> {
    let list: Vec<Namespace> =
        api::get(&format!("/api/v1/tenants/{}/namespaces", api::enc(tenant))).await?;
    Ok(list
        .into_iter()
        .filter(|n| n.sync_state != "removed")
        .map(|n| n.name)
        .collect())
}

/// A server-drawn chart: `kind` with `params` (drawn again in the language chosen).
pub fn chart(kind: &'static str, params: Vec<(&'static str, String)>) -> impl IntoView {
    let src = Signal::derive(move || {
        let p: Vec<(&str, &str)> = params.iter().map(|(k, v)| (*k, v.as_str())).collect();
        chart_url(kind, &p)
    });
    view! { <Chart src=src/> }
}

/// Above the charts: the notice that the cluster has no metrics API (the charts say it too).
#[component]
pub fn MetricsNotice() -> impl IntoView {
    let status = LocalResource::new(|| api::get::<MetricsStatus>("/api/v1/metrics/status"));
    move || {
        status
            .get()
            .and_then(Result::ok)
            .filter(|s| s.metrics_api == Some(false))
            .map(|_| view! { <div class="alert info" data-testid="metrics-notice">{t("dash.no_metrics_api")}</div> })
    }
}

/// Events, newest first (`crate::overview::events_html`), or the empty state `empty`.
pub fn event_table(rows: Vec<EventRow>, empty: &'static str) -> impl IntoView {
    let now = (js_sys::Date::now() / 1000.0) as i64;
    view! { <div inner_html=move || events_html(&rows, now, globals().lang.get(), empty)></div> }
}

/// Pods, Deployments and Jobs by state (`crate::overview::states_html`).
pub fn workload_states(c: WorkloadCounts) -> impl IntoView {
    view! { <div inner_html=move || states_html(&c, globals().lang.get())></div> }
}
