//! From the JSON answers to charts: the same `SeriesSet`, rankings, `Pool` and `Apps` the API
//! returns, turned into a `LineChart` or `BarChart` with words in the viewer's language.

use api_types::metrics::{Apps, MetricsStatus, Pool, PoolResource, Ranked, SeriesSet};
use time::UtcOffset;
use time::format_description::well_known::Rfc3339;

use super::bars::{BarChart, Row};
use super::line::{Line, LineChart};
use super::text::{Lang, metric_label};
use super::units::{self, Kind};
use crate::error::{ApiError, ApiResult};

/// What the metrics API status means for a chart of usage.
fn no_usage(status: &MetricsStatus, lang: Lang) -> Option<String> {
    (status.metrics_api == Some(false)).then(|| lang.t("no_usage").to_string())
}

fn is_usage(metric: &str) -> bool {
    matches!(metric, "cpu" | "memory")
}

/// The empty face: "no metrics API" when usage is all the chart shows and none is measured.
fn empty(usage_only: bool, status: &MetricsStatus, lang: Lang) -> (String, Option<String>) {
    if usage_only && status.metrics_api == Some(false) {
        (
            lang.t("no_metrics_api").into(),
            Some(lang.t("no_usage").into()),
        )
    } else {
        (lang.t("no_data").into(), None)
    }
}

/// The name of the quantity a kind of metric measures.
fn quantity(kind: Kind, metric: &str, lang: Lang) -> String {
    match kind {
        Kind::Cores => lang.t("cpu").into(),
        Kind::Bytes if metric.contains("storage") => lang.t("storage").into(),
        Kind::Bytes => lang.t("memory").into(),
        Kind::Count | Kind::Percent => lang.t("count").into(),
    }
}

fn range_secs(range: &str) -> i64 {
    match range {
        "6h" => 21_600,
        "24h" => 86_400,
        "7d" => 604_800,
        "30d" => 2_592_000,
        _ => 3_600,
    }
}

fn subject(lang: Lang, scope: &str, name: &str) -> String {
    if name.is_empty() {
        lang.t(scope).to_string()
    } else {
        format!("{} {name}", lang.t(scope))
    }
}

/// The series chart of `set`, ending at `to` (the last collection).
pub fn series(
    set: &SeriesSet,
    status: &MetricsStatus,
    to: i64,
    offset: UtcOffset,
    band: bool,
    lang: Lang,
) -> ApiResult<LineChart> {
    let first = set.series.first().map_or("cpu", |s| s.metric.as_str());
    let kind = units::kind_of(first);
    if set.series.iter().any(|s| units::kind_of(&s.metric) != kind) {
        return Err(ApiError::field(
            "metric",
            "the metrics of one chart must share a unit (cores, bytes or counts)",
        ));
    }
    let lines = set
        .series
        .iter()
        .map(|s| Line {
            label: metric_label(lang, &s.metric),
            points: s
                .points
                .iter()
                .filter_map(|p| {
                    let t = time::OffsetDateTime::parse(&p.t, &Rfc3339).ok()?;
                    Some((t.unix_timestamp(), p.avg, p.min, p.max))
                })
                .collect(),
        })
        .collect();
    let usage_only = set.series.iter().all(|s| is_usage(&s.metric));
    let (empty, empty_detail) = empty(usage_only, status, lang);
    let usage = set.series.iter().any(|s| is_usage(&s.metric));
    Ok(LineChart {
        title: format!(
            "{} · {}",
            subject(lang, &set.scope, &set.name),
            lang.join(lang.t("last"), &set.range)
        ),
        note: usage.then(|| no_usage(status, lang)).flatten(),
        kind,
        quantity: quantity(kind, first, lang),
        from: to - range_secs(&set.range),
        to,
        offset,
        band,
        lines,
        empty,
        empty_detail,
    })
}

/// The ranking chart: average usage over the window, with % of request (or limit).
pub fn top(
    rows: &[Ranked],
    scope: &str,
    metric: &str,
    window: &str,
    status: &MetricsStatus,
    lang: Lang,
) -> BarChart {
    let kind = units::kind_of(metric);
    let rows = rows
        .iter()
        .map(|r| {
            let mut text = units::human(kind, r.avg, lang);
            if let Some(p) = r.pct_of_request {
                text += &format!(" · {}% {}", units::num(p), lang.t("of_request"));
            } else if let Some(p) = r.pct_of_limit {
                text += &format!(" · {}% {}", units::num(p), lang.t("of_limit"));
            }
            Row {
                label: r.name.clone(),
                bars: vec![Some((r.avg, text))],
            }
        })
        .collect();
    let (empty, empty_detail) = empty(true, status, lang);
    BarChart {
        title: format!(
            "{} · {} · {}",
            lang.join(lang.t("top"), &metric_label(lang, metric)),
            lang.t(scope),
            lang.join(lang.t("last"), window)
        ),
        note: no_usage(status, lang),
        kind,
        quantity: format!("{} ({})", metric_label(lang, metric), lang.t("average")),
        series: vec![metric_label(lang, metric)],
        rows,
        empty,
        empty_detail,
    }
}

fn pct(v: Option<f64>, of: f64) -> Option<f64> {
    v.map(|v| v / of * 100.0)
}

/// The pool of the cluster or of one node: each resource as % of its capacity.
pub fn pool_subject(pool: &Pool, node: &str, status: &MetricsStatus, lang: Lang) -> BarChart {
    let subject = if node.is_empty() {
        Some(&pool.cluster)
    } else {
        pool.nodes.iter().find(|n| n.name == node)
    };
    let rows = subject
        .into_iter()
        .flat_map(|s| &s.resources)
        .filter(|r| r.capacity.is_some_and(|c| c > 0.0))
        .map(|r: &PoolResource| {
            let cap = r.capacity.unwrap_or(1.0);
            let kind = units::kind_of(&r.resource);
            let scale = units::scale(kind, cap, lang);
            let of = |v: Option<f64>| {
                pct(v, cap).map(|p| {
                    let v = v.unwrap_or(0.0) / scale.div;
                    let cap = cap / scale.div;
                    let unit = if kind == Kind::Count { "" } else { &scale.unit };
                    (
                        p,
                        format!(
                            "{} / {} {unit} ({}%)",
                            units::num(v),
                            units::num(cap),
                            units::num(p)
                        ),
                    )
                })
            };
            Row {
                label: lang.t(&r.resource).to_string(),
                bars: vec![of(r.allocatable), of(r.requested), of(r.used)],
            }
        })
        .collect();
    BarChart {
        title: format!("{} · {}", lang.t("resource_pool"), subject_name(lang, node)),
        note: no_usage(status, lang),
        kind: Kind::Percent,
        quantity: lang.t("percent_capacity").into(),
        series: pool_series(lang),
        rows,
        empty: lang.t("no_data").into(),
        empty_detail: None,
    }
}

fn pool_series(lang: Lang) -> Vec<String> {
    ["allocatable", "requested", "used"]
        .iter()
        .map(|s| lang.t(s).to_string())
        .collect()
}

fn subject_name(lang: Lang, node: &str) -> String {
    if node.is_empty() {
        lang.t("cluster").into()
    } else {
        subject(lang, "node", node)
    }
}

/// One resource across the nodes, in its unit.
pub fn pool_by_node(pool: &Pool, resource: &str, status: &MetricsStatus, lang: Lang) -> BarChart {
    let kind = units::kind_of(resource);
    let rows = pool
        .nodes
        .iter()
        .filter_map(|n| {
            let r = n.resources.iter().find(|r| r.resource == resource)?;
            let bar = |v: Option<f64>| v.map(|v| (v, units::human(kind, v, lang)));
            Some(Row {
                label: n.name.clone(),
                bars: vec![bar(r.allocatable), bar(r.requested), bar(r.used)],
            })
        })
        .collect();
    BarChart {
        title: format!(
            "{} · {}",
            lang.t("resource_pool"),
            lang.join(lang.t(resource), &format!("({})", lang.t("node")))
        ),
        note: no_usage(status, lang),
        kind,
        quantity: lang.t(resource).into(),
        series: pool_series(lang),
        rows,
        empty: lang.t("no_data").into(),
        empty_detail: None,
    }
}

/// Services, pods and running instances per application.
pub fn apps(apps: &Apps, tenant: Option<&str>, limit: usize, lang: Lang) -> BarChart {
    let count = |n: u32| Some((f64::from(n), n.to_string()));
    BarChart {
        title: match tenant {
            Some(t) => format!(
                "{} · {}",
                lang.t("applications"),
                subject(lang, "tenant", t)
            ),
            None => lang.t("applications").into(),
        },
        note: None,
        kind: Kind::Count,
        quantity: lang.t("count").into(),
        series: ["services", "pods", "running"]
            .iter()
            .map(|s| lang.t(s).to_string())
            .collect(),
        rows: apps
            .apps
            .iter()
            .take(limit)
            .map(|a| Row {
                label: a.name.clone(),
                bars: vec![count(a.services), count(a.pods), count(a.running)],
            })
            .collect(),
        empty: lang.t("no_data").into(),
        empty_detail: None,
    }
}
