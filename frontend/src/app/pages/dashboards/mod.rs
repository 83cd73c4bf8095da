//! Dashboards (`/dashboards?range=&by=&metric=&tenant=&ns=&node=`): server-drawn SVG charts
//! (`/api/v1/metrics/charts/*.svg`) with tables of the same JSON, a time-range picker, and the
//! "metrics API not available" notice. Operators see the cluster (`operator`), tenant users
//! their tenant (`tenant`); the server decides what each may read.

mod operator;
pub mod parts;
mod tenant;

use api_types::metrics::MetricsStatus;
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};

use super::super::api;
use super::super::state::{is_operator, t, tr};
use super::super::widgets::{set_title, short_time};

/// The time ranges: value and label key.
const RANGES: [(&str, &str); 5] = [
    ("1h", "dash.range.1h"),
    ("6h", "dash.range.6h"),
    ("24h", "dash.range.24h"),
    ("7d", "dash.range.7d"),
    ("30d", "dash.range.30d"),
];

/// The query parameters the page keeps in the URL.
const KEYS: [&str; 6] = ["range", "by", "metric", "tenant", "ns", "node"];

/// One query parameter, with its default (tracked).
pub fn param(key: &str, default: &str) -> String {
    use_query_map()
        .get()
        .get(key)
        .filter(|v| !v.is_empty())
        .unwrap_or_else(|| default.to_string())
}

/// The range of the URL (tracked).
pub fn range() -> String {
    let r = param("range", "1h");
    if RANGES.iter().any(|(v, _)| *v == r) {
        r
    } else {
        "1h".into()
    }
}

/// A function that sets one query parameter (a deep link: back and reload keep it).
pub fn setter() -> impl Fn(&'static str, String) + Clone + Send + Sync + 'static {
    let query = use_query_map();
    let navigate = use_navigate();
    move |key, value| {
        let q = query.get_untracked();
        let parts: Vec<String> = KEYS
            .iter()
            .filter_map(|k| {
                let v = if *k == key {
                    Some(value.clone())
                } else {
                    q.get(k)
                };
                v.filter(|v| !v.is_empty())
                    .map(|v| format!("{k}={}", api::enc(&v)))
            })
            .collect();
        navigate(
            &format!("/dashboards?{}", parts.join("&")),
            Default::default(),
        );
    }
}

#[component]
pub fn Dashboards() -> impl IntoView {
    set_title("nav.dashboards");
    let status = LocalResource::new(|| api::get::<MetricsStatus>("/api/v1/metrics/status"));
    let set = setter();
    view! {
        <div class="dash-head">
            <h1>{t("nav.dashboards")}</h1>
            <div class="seg" role="group" aria-label=t("dash.range") data-testid="range-picker">
                {RANGES.iter().map(|(v, label)| {
                    let set = set.clone();
                    let v = *v;
                    view! {
                        <button class:on=move || range() == v aria-pressed=move || (range() == v).to_string()
                            on:click=move |_| set("range", v.to_string())>{t(label)}</button>
                    }
                }).collect_view()}
            </div>
        </div>
        {move || status.get().and_then(|s| s.ok()).map(|s| {
            let notice = if s.metrics_api == Some(false) {
                Some(tr("dash.no_metrics_api"))
            } else if s.last_cycle_at.is_none() {
                Some(tr("dash.not_collected"))
            } else {
                None
            };
            view! {
                {notice.map(|n| view! { <div class="alert info" data-testid="metrics-notice">{n}</div> })}
                {s.last_cycle_at.map(|at| view! {
                    <p class="muted small">{t("dash.last_cycle")}": "{short_time(&at)}" UTC"</p>
                })}
            }
        })}
        {move || if is_operator() {
            view! { <operator::OperatorDashboards/> }.into_any()
        } else {
            view! { <tenant::TenantDashboards/> }.into_any()
        }}
    }
}
