//! The charts' words in English and Simplified Chinese: titles, axis names, legends, metric
//! names and the empty / no-metrics-API messages.

use serde::{Deserialize, Serialize};

/// The language of a chart (`lang=en|zh`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    En,
    Zh,
}

impl Lang {
    /// The word for `key` (the key itself when there is none).
    pub fn t(self, key: &str) -> &str {
        let zh = self == Lang::Zh;
        let pair = WORDS.iter().find(|(k, _, _)| *k == key);
        match pair {
            Some((_, en, cn)) => {
                if zh {
                    cn
                } else {
                    en
                }
            }
            None => key,
        }
    }

    /// Two words as one phrase: spaced in English, not in Chinese.
    pub fn join(self, a: &str, b: &str) -> String {
        match self {
            Lang::En => format!("{a} {b}"),
            Lang::Zh => format!("{a}{b}"),
        }
    }
}

/// key, English, 简体中文.
const WORDS: &[(&str, &str, &str)] = &[
    ("no_data", "No data yet", "暂无数据"),
    (
        "no_metrics_api",
        "metrics API not available in this cluster",
        "集群未提供 metrics API",
    ),
    (
        "no_usage",
        "metrics API not available in this cluster: usage is not measured",
        "集群未提供 metrics API：未测量实际用量",
    ),
    ("time", "time", "时间"),
    ("cores", "cores", "核"),
    ("millicores", "millicores", "毫核"),
    ("count", "count", "数量"),
    ("percent_capacity", "% of capacity", "占容量的百分比"),
    ("cluster", "cluster", "集群"),
    ("node", "node", "节点"),
    ("tenant", "tenant", "租户"),
    ("namespace", "namespace", "命名空间"),
    ("app", "application", "应用"),
    ("pod", "pod", "Pod"),
    ("cpu", "CPU", "CPU"),
    ("memory", "memory", "内存"),
    ("gpu", "GPU", "GPU"),
    ("storage", "storage (ephemeral)", "存储（临时）"),
    ("capacity", "capacity", "容量"),
    ("allocatable", "allocatable", "可分配"),
    ("requested", "requested", "已请求"),
    ("requests", "requests", "请求"),
    ("limits", "limits", "上限"),
    ("used", "used", "已用"),
    ("usage", "usage", "用量"),
    ("hard", "quota", "配额"),
    ("budget", "budget", "预算"),
    ("pods", "pods", "Pod 数"),
    ("running", "running instances", "运行中实例"),
    ("services", "services", "服务数"),
    ("of_request", "of request", "占请求"),
    ("of_limit", "of limit", "占上限"),
    ("resource_pool", "Resource pool", "资源池"),
    ("applications", "Applications", "应用"),
    ("top", "Top", "排行"),
    ("history", "history", "历史"),
    ("last", "last", "最近"),
    ("average", "average", "平均"),
];

/// The legend of a metric: `cpu` → "CPU usage", `cpu.requests` → "CPU requests",
/// `quota.used/requests.cpu` → "quota used: requests.cpu", `budget/pods` → "budget: pods".
pub fn metric_label(lang: Lang, metric: &str) -> String {
    for (prefix, key) in [
        ("quota.used/", "used"),
        ("quota.hard/", "hard"),
        ("budget/", "budget"),
    ] {
        if let Some(res) = metric.strip_prefix(prefix) {
            return match key {
                "used" => format!("{}: {res}", lang.join(lang.t("hard"), lang.t("used"))),
                _ => format!("{}: {res}", lang.t(key)),
            };
        }
    }
    match metric.split_once('.') {
        Some((res, kind)) => lang.join(lang.t(res), lang.t(kind)),
        None if matches!(metric, "cpu" | "memory") => lang.join(lang.t(metric), lang.t("usage")),
        None => lang.t(metric).to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::{Lang, metric_label};

    #[test]
    fn labels_in_both_languages() {
        assert_eq!(metric_label(Lang::En, "cpu"), "CPU usage");
        assert_eq!(metric_label(Lang::Zh, "memory"), "内存用量");
        assert_eq!(metric_label(Lang::En, "cpu.requests"), "CPU requests");
        assert_eq!(
            metric_label(Lang::En, "quota.used/requests.cpu"),
            "quota used: requests.cpu"
        );
        assert_eq!(metric_label(Lang::Zh, "budget/pods"), "预算: pods");
        assert_eq!(metric_label(Lang::Zh, "running"), "运行中实例");
    }
}
