//! Pieces of the overview: the events table (warnings highlighted, each object linked to its
//! page), workloads by state, the "metrics API not available" notice above charts, and the
//! names of a tenant's namespaces the proxy's lists are narrowed to.

use api_types::metrics::MetricsStatus;
use api_types::portal::Namespace;
use leptos::prelude::*;

use super::super::super::api::{self, ApiResult};
use super::super::super::state::{t, tr};
use super::super::super::widgets::Empty;
use crate::overview::{EventRow, WorkloadCounts};
use crate::rows::age;

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

/// The notice a chart's own "no data" face explains further, when the cluster has no metrics API.
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

/// Events, newest first: age, namespace (its events page), object (its page), reason, message.
pub fn event_table(rows: Vec<EventRow>, empty: &'static str) -> AnyView {
    if rows.is_empty() {
        return view! { <Empty text=Signal::derive(move || tr(empty).to_string())/> }.into_any();
    }
    let now = (js_sys::Date::now() / 1000.0) as i64;
    view! {
        <div class="table-wrap"><table class="events" data-testid="event-table">
            <thead><tr><th>{t("wl.col.last_seen")}</th><th>{t("wl.namespace")}</th><th>{t("wl.col.object")}</th>
                <th>{t("wl.col.reason")}</th><th>{t("wl.col.message")}</th></tr></thead>
            <tbody>{rows.into_iter().map(|e| {
                let ns_href = format!("/ns/{}/events", api::enc(&e.namespace));
                let object = match e.link.clone() {
                    Some(h) => view! { <a href=h>{e.object.clone()}</a> }.into_any(),
                    None => view! { <span>{e.object.clone()}</span> }.into_any(),
                };
                let (row, badge) = if e.warning { ("warning", "badge warn") } else { ("", "badge") };
                let times = (e.count > 1).then(|| format!(" (×{})", e.count));
                view! {
                    <tr class=row data-type=if e.warning { "Warning" } else { "Normal" }>
                        <td class="nowrap" title=e.time.clone()>{age(&e.time, now)}</td>
                        <td>{(!e.namespace.is_empty()).then(|| view! { <a href=ns_href>{e.namespace.clone()}</a> })}</td>
                        <td class="mono">{object}</td>
                        <td><span class=badge>{e.reason.clone()}</span></td>
                        <td>{e.message.clone()}<span class="muted">{times}</span></td>
                    </tr>
                }
            }).collect_view()}</tbody>
        </table></div>
    }
    .into_any()
}

/// One state and its count.
fn state(label: &'static str, n: usize, tone: &'static str) -> impl IntoView {
    let tone = if n == 0 { "" } else { tone };
    view! {
        <div class="wl-state" data-state=label>
            <span class=format!("badge {tone}")>{t(label)}</span><span class="n">{n}</span>
        </div>
    }
}

/// Pods, Deployments and Jobs by state (the empty state when there are none).
pub fn workload_states(c: WorkloadCounts) -> AnyView {
    if c == WorkloadCounts::default() {
        return view! { <Empty text=Signal::derive(|| tr("overview.workloads.none").to_string())/> }
            .into_any();
    }
    view! {
        <div class="wl-states">
            <div class="wl-group" data-kind="pods"><h3>{t("wl.kind.pods")}</h3>
                {state("overview.wl.running", c.pods_running, "ok")}
                {state("overview.wl.pending", c.pods_pending, "warn")}
                {state("overview.wl.failed", c.pods_failed, "bad")}
                {state("overview.wl.succeeded", c.pods_succeeded, "ok")}
            </div>
            <div class="wl-group" data-kind="deployments"><h3>{t("wl.kind.deployments")}</h3>
                {state("overview.wl.available", c.deployments_available, "ok")}
                {state("overview.wl.unavailable", c.deployments_unavailable, "bad")}
            </div>
            <div class="wl-group" data-kind="jobs"><h3>{t("wl.kind.jobs")}</h3>
                {state("overview.wl.active", c.jobs_active, "")}
                {state("overview.wl.complete", c.jobs_complete, "ok")}
                {state("overview.wl.failed", c.jobs_failed, "bad")}
            </div>
        </div>
    }
    .into_any()
}
