//! Pieces of the dashboards: chart images (with the language and time zone), tables of the
//! same JSON, the rankings and applications sections, a picker, and numbers in the units
//! people read.

use api_types::metrics::{Apps, Pool, Ranked};
use leptos::prelude::*;

use super::super::super::api;
use super::super::super::state::{globals, t, tr};
use super::super::super::widgets::{Empty, load};
use super::{param, range, setter};
use crate::i18n::Lang;

/// `/api/v1/metrics/charts/<kind>?<params>&lang=&tz=` (tracks the language).
pub fn chart_url(kind: &str, params: &[(&str, &str)]) -> String {
    let lang = match globals().lang.get() {
        Lang::En => "en",
        Lang::Zh => "zh",
    };
    let tz = -(js_sys::Date::new_0().get_timezone_offset() as i32);
    let mut q: Vec<String> = params
        .iter()
        .map(|(k, v)| format!("{k}={}", api::enc(v)))
        .collect();
    q.push(format!("lang={lang}"));
    if kind == "series.svg" {
        q.push(format!("tz={tz}"));
    }
    format!("/api/v1/metrics/charts/{kind}?{}", q.join("&"))
}

/// A server-drawn chart.
#[component]
pub fn Chart(#[prop(into)] src: Signal<String>) -> impl IntoView {
    view! { <img class="chart" src=src alt=t("dash.chart_alt") data-testid="chart"/> }
}

/// CPU: "1.5" cores or "250m"; bytes: MiB/GiB; counts as they are.
pub fn human(metric: &str, v: f64) -> String {
    if metric.contains("cpu") {
        if v < 1.0 {
            format!("{}m", (v * 1000.0).round())
        } else {
            format!("{v:.2}")
        }
    } else if metric.contains("memory") || metric.contains("storage") {
        let mut v = v;
        let mut unit = 0;
        let units = ["B", "KiB", "MiB", "GiB", "TiB"];
        while v >= 1024.0 && unit + 1 < units.len() {
            v /= 1024.0;
            unit += 1;
        }
        format!("{v:.1} {}", units[unit])
    } else {
        format!("{}", v.round())
    }
}

fn opt(metric: &str, v: Option<f64>) -> String {
    v.map_or_else(|| "—".into(), |v| human(metric, v))
}

fn pct(v: Option<f64>) -> String {
    v.map_or_else(|| "—".into(), |v| format!("{v:.0}%"))
}

/// A `<select>` bound to a query parameter.
#[component]
pub fn Picker(
    label: &'static str,
    key: &'static str,
    options: Vec<(String, String)>,
    #[prop(into)] selected: Signal<String>,
) -> impl IntoView {
    let set = setter();
    let id = format!("dash-{key}");
    let for_id = id.clone();
    view! {
        <label class="picker" for=for_id>{t(label)}" "
            <select id=id on:change=move |ev| set(key, event_target_value(&ev))>
                {options.into_iter().map(|(v, text)| {
                    let v2 = v.clone();
                    view! { <option value=v selected=move || selected.get() == v2>{text}</option> }
                }).collect_view()}
            </select>
        </label>
    }
}

/// Rankings within what the caller may read: a chart and the table.
#[component]
pub fn Rankings(scopes: &'static [&'static str]) -> impl IntoView {
    let by = move || {
        let b = param("by", scopes[0]);
        if scopes.contains(&b.as_str()) {
            b
        } else {
            scopes[0].to_string()
        }
    };
    let metric = move || {
        let m = param("metric", "cpu");
        if m == "memory" { m } else { "cpu".into() }
    };
    let data = LocalResource::new(move || {
        let url = format!(
            "/api/v1/metrics/top?scope={}&metric={}&window={}&limit=10",
            by(),
            metric(),
            range()
        );
        async move { api::get::<Vec<Ranked>>(&url).await }
    });
    let scope_options: Vec<(String, String)> = scopes
        .iter()
        .map(|s| (s.to_string(), scope_label(s).to_string()))
        .collect();
    let metric_options = vec![
        ("cpu".to_string(), tr("dash.cpu").to_string()),
        ("memory".to_string(), tr("dash.memory").to_string()),
    ];
    view! {
        <section class="card" data-testid="rankings">
            <div class="card-head"><h2>{t("dash.rankings")}</h2>
                <div class="pickers">
                    <Picker label="dash.by" key="by" options=scope_options selected=Signal::derive(by)/>
                    <Picker label="dash.metric" key="metric" options=metric_options selected=Signal::derive(metric)/>
                </div>
            </div>
            <Chart src=Signal::derive(move || chart_url("top.svg", &[("scope", &by()), ("metric", &metric()), ("window", &range())]))/>
            {load(data, move |rows: Vec<Ranked>| ranking_table(rows, metric()))}
        </section>
    }
}

fn scope_label(s: &str) -> &'static str {
    match s {
        "pod" => tr("dash.scope.pod"),
        "namespace" => tr("dash.scope.namespace"),
        "tenant" => tr("dash.scope.tenant"),
        "node" => tr("dash.scope.node"),
        _ => tr("dash.scope.app"),
    }
}

fn ranking_table(rows: Vec<Ranked>, metric: String) -> AnyView {
    if rows.is_empty() {
        return view! { <Empty text=Signal::derive(|| tr("dash.none").to_string())/> }.into_any();
    }
    view! {
        <div class="table-wrap"><table data-testid="ranking-table">
            <thead><tr><th>{t("dash.name")}</th><th>{t("dash.tenant")}</th><th class="num">{t("dash.avg")}</th><th class="num">{t("dash.max")}</th>
                <th class="num">{t("dash.request")}</th><th class="num">{t("dash.pct_request")}</th><th class="num">{t("dash.limit")}</th><th class="num">{t("dash.pct_limit")}</th></tr></thead>
            <tbody>{rows.into_iter().map(|r| view! { <tr>
                <td class="mono">{r.name.clone()}</td><td>{r.tenant.clone().unwrap_or_default()}</td>
                <td class="num">{human(&metric, r.avg)}</td><td class="num">{human(&metric, r.max)}</td>
                <td class="num">{opt(&metric, r.request)}</td><td class="num">{pct(r.pct_of_request)}</td>
                <td class="num">{opt(&metric, r.limit)}</td><td class="num">{pct(r.pct_of_limit)}</td>
            </tr> }).collect_view()}</tbody>
        </table></div>
    }.into_any()
}

/// Applications: the bar chart and the table (a tenant's own when `tenant` is given).
#[component]
pub fn AppsSection(#[prop(into)] tenant: Signal<Option<String>>) -> impl IntoView {
    let data = LocalResource::new(move || {
        let q = tenant
            .get()
            .map(|t| format!("?tenant={}", api::enc(&t)))
            .unwrap_or_default();
        async move { api::get::<Apps>(&format!("/api/v1/metrics/apps{q}")).await }
    });
    let src = move || match tenant.get() {
        Some(t) => chart_url("apps.svg", &[("tenant", &t), ("limit", "12")]),
        None => chart_url("apps.svg", &[("limit", "12")]),
    };
    view! {
        <section class="card" data-testid="apps">
            <h2>{t("dash.apps")}</h2><p class="muted">{t("dash.apps.hint")}</p>
            <Chart src=Signal::derive(src)/>
            {load(data, |a: Apps| if a.apps.is_empty() {
                view! { <Empty text=Signal::derive(|| tr("dash.none").to_string())/> }.into_any()
            } else {
                view! {
                    <div class="table-wrap"><table data-testid="apps-table">
                        <thead><tr><th>{t("dash.name")}</th><th>{t("dash.tenant")}</th><th class="num">{t("dash.services")}</th><th class="num">{t("dash.pods")}</th><th class="num">{t("dash.running")}</th></tr></thead>
                        <tbody>{a.apps.into_iter().map(|a| view! { <tr>
                            <td class="mono">{a.name}</td><td>{a.tenant.unwrap_or_default()}</td>
                            <td class="num">{a.services}</td><td class="num">{a.pods}</td><td class="num">{a.running}</td>
                        </tr> }).collect_view()}</tbody>
                    </table></div>
                }.into_any()
            })}
        </section>
    }
}

/// Two series charts of one subject (CPU and memory): `metrics` with `{r}` for the resource.
#[component]
pub fn HistoryCharts(
    scope: &'static str,
    #[prop(into)] name: Signal<String>,
    metrics: &'static str,
) -> impl IntoView {
    let src = move |r: &str| {
        let m = metrics.replace("{r}", r);
        chart_url(
            "series.svg",
            &[
                ("scope", scope),
                ("name", &name.get()),
                ("metric", &m),
                ("range", &range()),
            ],
        )
    };
    view! {
        <div class="charts">
            <Chart src=Signal::derive(move || src("cpu"))/>
            <Chart src=Signal::derive(move || src("memory"))/>
        </div>
    }
}

/// The pool as a table: each subject's resources, allocatable / requested / used.
pub fn pool_table(pool: Pool) -> AnyView {
    let resources = ["cpu", "memory", "gpu", "storage"];
    let mut subjects = vec![(tr("dash.whole_cluster").to_string(), pool.cluster)];
    subjects.extend(pool.nodes.into_iter().map(|n| (n.name.clone(), n)));
    view! {
        <div class="table-wrap"><table data-testid="pool-table">
            <thead><tr><th>{t("dash.node")}</th><th>{t("dash.metric")}</th><th class="num">{t("dash.capacity")}</th><th class="num">{t("dash.allocatable")}</th><th class="num">{t("dash.requested")}</th><th class="num">{t("dash.used")}</th></tr></thead>
            <tbody>{subjects.into_iter().flat_map(|(name, s)| {
                resources.iter().filter_map(|r| {
                    let x = s.resources.iter().find(|x| x.resource == *r)?.clone();
                    x.capacity.filter(|c| *c > 0.0)?;
                    let label = match *r { "cpu" => tr("dash.cpu"), "memory" => tr("dash.memory"), "gpu" => tr("dash.gpu"), _ => tr("dash.storage") };
                    let m = if *r == "gpu" { "count" } else { r };
                    Some(view! { <tr>
                        <td>{name.clone()}</td><td>{label}</td>
                        <td class="num">{opt(m, x.capacity)}</td><td class="num">{opt(m, x.allocatable)}</td>
                        <td class="num">{opt(m, x.requested)}</td><td class="num">{opt(m, x.used)}</td>
                    </tr> })
                }).collect::<Vec<_>>()
            }).collect_view()}</tbody>
        </table></div>
    }.into_any()
}
