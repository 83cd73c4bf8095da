//! Strings of the workload pages (lists, details, actions, logs, create from YAML), the nodes
//! page and the profile's kubeconfig card.

pub const STRINGS: &[(&str, &str, &str)] = &[
    ("nav.workloads", "Workloads", "工作负载"),
    ("nav.nodes", "Nodes", "节点"),
    ("wl.title", "Workloads", "工作负载"),
    ("wl.namespace", "Namespace", "命名空间"),
    ("wl.kinds", "Kinds", "资源类型"),
    ("wl.kind.pods", "Pods", "容器组"),
    ("wl.kind.deployments", "Deployments", "部署"),
    ("wl.kind.replicasets", "ReplicaSets", "副本集"),
    (
        "wl.kind.replicationcontrollers",
        "ReplicationControllers",
        "副本控制器",
    ),
    ("wl.kind.statefulsets", "StatefulSets", "有状态副本集"),
    ("wl.kind.daemonsets", "DaemonSets", "守护进程集"),
    ("wl.kind.jobs", "Jobs", "任务"),
    ("wl.kind.cronjobs", "CronJobs", "定时任务"),
    ("wl.kind.services", "Services", "服务"),
    ("wl.kind.ingresses", "Ingresses", "入口"),
    ("wl.kind.configmaps", "ConfigMaps", "配置映射"),
    ("wl.kind.secrets", "Secrets", "密钥"),
    ("wl.kind.persistentvolumeclaims", "PVCs", "存储卷声明"),
    ("wl.kind.horizontalpodautoscalers", "HPAs", "水平自动伸缩"),
    ("wl.kind.events", "Events", "事件"),
    ("wl.col.name", "Name", "名称"),
    ("wl.col.ready", "Ready", "就绪"),
    ("wl.col.status", "Status", "状态"),
    ("wl.col.restarts", "Restarts", "重启次数"),
    ("wl.col.node", "Node", "节点"),
    ("wl.col.ip", "IP", "IP 地址"),
    ("wl.col.uptodate", "Up to date", "已更新"),
    ("wl.col.available", "Available", "可用"),
    ("wl.col.desired", "Desired", "期望"),
    ("wl.col.current", "Current", "当前"),
    ("wl.col.completions", "Completions", "完成数"),
    ("wl.col.schedule", "Schedule", "调度计划"),
    ("wl.col.suspend", "Suspended", "已暂停"),
    ("wl.col.active", "Active", "运行中"),
    ("wl.col.last_schedule", "Last schedule", "上次调度"),
    ("wl.col.type", "Type", "类型"),
    ("wl.col.cluster_ip", "Cluster IP", "集群 IP"),
    ("wl.col.ports", "Ports", "端口"),
    ("wl.col.hosts", "Hosts", "主机"),
    ("wl.col.data", "Data", "数据项"),
    ("wl.col.volume", "Volume", "存储卷"),
    ("wl.col.capacity", "Capacity", "容量"),
    ("wl.col.storage_class", "Storage class", "存储类"),
    ("wl.col.reference", "Target", "目标"),
    ("wl.col.minmax", "Min – max", "最小 – 最大"),
    ("wl.col.replicas", "Replicas", "副本数"),
    ("wl.col.reason", "Reason", "原因"),
    ("wl.col.object", "Object", "对象"),
    ("wl.col.message", "Message", "消息"),
    ("wl.col.count", "Count", "次数"),
    ("wl.col.last_seen", "Last seen", "最近发生"),
    ("wl.col.age", "Age", "存在时间"),
    ("wl.filter", "Filter", "筛选"),
    ("wl.filter.hint", "name, status, node…", "名称、状态、节点…"),
    (
        "wl.count",
        "{shown} of {total}",
        "{total} 个中的 {shown} 个",
    ),
    (
        "wl.none",
        "No {kind} in this namespace.",
        "此命名空间中没有{kind}。",
    ),
    (
        "wl.no_namespaces",
        "You cannot see any namespace yet.",
        "您目前还看不到任何命名空间。",
    ),
    (
        "wl.gone",
        "This object does not exist (any more).",
        "该对象不存在（或已被删除）。",
    ),
    ("wl.labels", "Labels", "标签"),
    ("wl.owners", "Owned by", "所属对象"),
    ("wl.containers", "Containers", "容器"),
    ("wl.container", "Container", "容器"),
    ("wl.image", "Image", "镜像"),
    ("wl.state", "State", "状态"),
    ("wl.requests", "Requests", "资源请求"),
    ("wl.conditions", "Conditions", "状况"),
    ("wl.changed", "Changed", "变更时间"),
    (
        "wl.no_events",
        "No events for this object.",
        "此对象没有事件。",
    ),
    ("wl.data", "Data", "数据"),
    ("wl.reveal", "Reveal values", "显示值"),
    ("wl.hide", "Hide values", "隐藏值"),
    ("wl.logs", "Logs", "日志"),
    ("wl.tail", "Last lines", "最后行数"),
    ("wl.follow", "Follow", "持续跟踪"),
    ("wl.search", "Search", "搜索"),
    ("wl.download", "Download", "下载"),
    ("wl.scale", "Scale", "伸缩"),
    (
        "wl.scaled",
        "Scaled: the replicas follow.",
        "已伸缩：副本数随后调整。",
    ),
    ("wl.replicas", "Replicas", "副本数"),
    ("wl.restart", "Restart", "重启"),
    (
        "wl.restarted",
        "Restart requested: the pods are replaced one by one.",
        "已请求重启：容器组将逐个替换。",
    ),
    ("wl.edit", "Edit YAML", "编辑 YAML"),
    (
        "wl.edit.hint",
        "Saved with server-side apply (field manager ku8portal).",
        "通过服务端应用（字段管理者 ku8portal）保存。",
    ),
    ("wl.delete", "Delete", "删除"),
    (
        "wl.delete.confirm",
        "Delete {kind} {name}? This cannot be undone.",
        "确定删除 {kind} {name} 吗？此操作无法撤销。",
    ),
    ("wl.create", "Create from YAML", "从 YAML 创建"),
    (
        "wl.create.hint",
        "One or more documents separated by ---, created in namespace {ns} (or updated if they exist) with server-side apply.",
        "一个或多个以 --- 分隔的文档，通过服务端应用在命名空间 {ns} 中创建（已存在则更新）。",
    ),
    ("wl.apply", "Apply", "应用"),
    ("wl.create.created", "created", "已创建"),
    ("wl.create.configured", "updated", "已更新"),
    ("wl.create.empty", "The manifest is empty.", "清单为空。"),
    (
        "wl.create.missing",
        "This document has no {field}.",
        "该文档缺少 {field}。",
    ),
    (
        "wl.create.unknown_kind",
        "The portal cannot create {kind} here; it knows: {known}.",
        "门户无法在此创建 {kind}；支持的类型：{known}。",
    ),
    ("wl.create.at_line", "line {line}", "第 {line} 行"),
    ("nodes.ready", "Ready", "就绪"),
    ("nodes.not_ready", "Not ready", "未就绪"),
    ("nodes.cpu_requested", "CPU requested", "CPU 已请求"),
    ("nodes.cpu_used", "CPU used", "CPU 使用"),
    ("nodes.mem_requested", "Memory requested", "内存已请求"),
    ("nodes.mem_used", "Memory used", "内存使用"),
    ("nodes.memory", "Memory", "内存"),
    ("nodes.taints", "Taints", "污点"),
    (
        "nodes.no_metrics",
        "The cluster has no metrics API: usage is not shown, requests are.",
        "集群没有指标 API：不显示实际使用量，只显示资源请求。",
    ),
    ("nodes.resources", "Resources", "资源"),
    ("nodes.capacity", "Capacity", "容量"),
    ("nodes.allocatable", "Allocatable", "可分配"),
    ("nodes.requests", "Requested by pods", "容器组请求"),
    ("nodes.limits", "Limits of pods", "容器组限制"),
    ("nodes.usage", "Usage", "使用量"),
    ("nodes.pods", "Pods on this node", "此节点上的容器组"),
    ("profile.kubeconfig", "kubectl", "kubectl"),
    (
        "profile.kubeconfig.hint",
        "kubectl through the portal, with your rights. Each download creates a 90-day API token \"kubeconfig\".",
        "通过门户使用 kubectl，权限与您相同。每次下载会创建一个 90 天有效的 API 令牌“kubeconfig”。",
    ),
    (
        "profile.kubeconfig.download",
        "Download kubeconfig",
        "下载 kubeconfig",
    ),
    (
        "profile.kubeconfig.use",
        "Then, for example:",
        "然后，例如：",
    ),
];

/// The key of a kind's title (`wl.kind.<plural>`).
pub fn kind_title(plural: &str) -> &'static str {
    STRINGS
        .iter()
        .find(|(k, _, _)| k.strip_prefix("wl.kind.") == Some(plural))
        .map_or("wl.kind.pods", |(k, _, _)| k)
}

#[cfg(test)]
mod tests {
    use crate::i18n::{Lang, lookup};
    use crate::kinds::KINDS;

    #[test]
    fn every_kind_and_column_has_a_title() {
        for k in KINDS {
            assert_eq!(super::kind_title(k.plural), format!("wl.kind.{}", k.plural));
            for c in k.cols {
                assert!(lookup(Lang::Zh, c.label()).is_some(), "{}", c.label());
            }
        }
    }
}
