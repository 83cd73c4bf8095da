//! Strings of the API explorer.

pub const STRINGS: &[(&str, &str, &str)] = &[
    ("nav.explorer", "API explorer", "API 浏览器"),
    ("ex.title", "API explorer", "API 浏览器"),
    ("ex.resources", "API resources", "API 资源"),
    ("ex.filter", "Filter resources", "筛选资源"),
    (
        "ex.pick",
        "Choose a resource on the left to list its objects: every API group and version the cluster serves is there, custom resources included.",
        "在左侧选择一种资源以列出其对象：集群提供的每个 API 组和版本都在其中，包括自定义资源。",
    ),
    (
        "ex.no_match",
        "No resource matches the filter.",
        "没有与筛选条件匹配的资源。",
    ),
    ("ex.all_ns", "All my namespaces", "我的全部命名空间"),
    (
        "ex.empty",
        "There are no objects of this resource here.",
        "这里没有该资源的对象。",
    ),
    (
        "ex.not_served",
        "The cluster does not serve this resource.",
        "集群不提供该资源。",
    ),
    ("ex.namespaced", "namespaced", "命名空间级"),
    ("ex.cluster", "cluster-wide", "集群级"),
    ("ex.reload", "Reload", "刷新"),
    ("ex.count", "Objects: {n}", "{n} 个对象"),
    ("ex.age", "Age", "存在时间"),
    ("ex.created_at", "Created at", "创建时间"),
];
