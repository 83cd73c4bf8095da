//! The workload kinds the namespace pages show: their URL segment, API path on the portal's
//! Kubernetes proxy, list columns and which actions apply (scale, restart, logs).

/// A column of a kind's list (what `rows::cell` reads from an object).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Col {
    Name,
    Ready,
    Status,
    Restarts,
    Node,
    PodIp,
    UpToDate,
    Available,
    Desired,
    Current,
    Completions,
    Schedule,
    Suspend,
    Active,
    LastSchedule,
    Type,
    ClusterIp,
    Ports,
    Hosts,
    Data,
    Volume,
    Capacity,
    StorageClass,
    Reference,
    MinMax,
    Replicas,
    Reason,
    Object,
    Message,
    Count,
    LastSeen,
    Age,
}

impl Col {
    /// The translation key of the column header.
    pub fn label(self) -> &'static str {
        use Col::*;
        match self {
            Name => "wl.col.name",
            Ready => "wl.col.ready",
            Status => "wl.col.status",
            Restarts => "wl.col.restarts",
            Node => "wl.col.node",
            PodIp => "wl.col.ip",
            UpToDate => "wl.col.uptodate",
            Available => "wl.col.available",
            Desired => "wl.col.desired",
            Current => "wl.col.current",
            Completions => "wl.col.completions",
            Schedule => "wl.col.schedule",
            Suspend => "wl.col.suspend",
            Active => "wl.col.active",
            LastSchedule => "wl.col.last_schedule",
            Type => "wl.col.type",
            ClusterIp => "wl.col.cluster_ip",
            Ports => "wl.col.ports",
            Hosts => "wl.col.hosts",
            Data => "wl.col.data",
            Volume => "wl.col.volume",
            Capacity => "wl.col.capacity",
            StorageClass => "wl.col.storage_class",
            Reference => "wl.col.reference",
            MinMax => "wl.col.minmax",
            Replicas => "wl.col.replicas",
            Reason => "wl.col.reason",
            Object => "wl.col.object",
            Message => "wl.col.message",
            Count => "wl.col.count",
            LastSeen => "wl.col.last_seen",
            Age => "wl.col.age",
        }
    }

    /// Columns holding a timestamp, shown as an age ("5m").
    pub fn is_time(self) -> bool {
        matches!(self, Col::Age | Col::LastSeen | Col::LastSchedule)
    }
}

/// A namespaced kind of the workload pages.
#[derive(Debug, PartialEq, Eq)]
pub struct Kind {
    /// URL segment and resource (plural) name: `deployments`.
    pub plural: &'static str,
    pub kind: &'static str,
    /// API prefix on the proxy: `api/v1`, `apis/apps/v1`.
    pub api: &'static str,
    pub cols: &'static [Col],
}

use Col::*;

const REPLICATED: &[Col] = &[Name, Ready, UpToDate, Available, Age];

pub const KINDS: &[Kind] = &[
    k(
        "pods",
        "Pod",
        "api/v1",
        &[Name, Ready, Status, Restarts, Node, PodIp, Age],
    ),
    k("deployments", "Deployment", "apis/apps/v1", REPLICATED),
    k(
        "replicasets",
        "ReplicaSet",
        "apis/apps/v1",
        &[Name, Desired, Current, Ready, Age],
    ),
    k(
        "replicationcontrollers",
        "ReplicationController",
        "api/v1",
        &[Name, Desired, Current, Ready, Age],
    ),
    k(
        "statefulsets",
        "StatefulSet",
        "apis/apps/v1",
        &[Name, Ready, Age],
    ),
    k(
        "daemonsets",
        "DaemonSet",
        "apis/apps/v1",
        &[Name, Desired, Current, Ready, UpToDate, Available, Age],
    ),
    k(
        "jobs",
        "Job",
        "apis/batch/v1",
        &[Name, Completions, Status, Age],
    ),
    k(
        "cronjobs",
        "CronJob",
        "apis/batch/v1",
        &[Name, Schedule, Suspend, Active, LastSchedule, Age],
    ),
    k(
        "services",
        "Service",
        "api/v1",
        &[Name, Type, ClusterIp, Ports, Age],
    ),
    k(
        "ingresses",
        "Ingress",
        "apis/networking.k8s.io/v1",
        &[Name, Hosts, Age],
    ),
    k("configmaps", "ConfigMap", "api/v1", &[Name, Data, Age]),
    k("secrets", "Secret", "api/v1", &[Name, Type, Data, Age]),
    k(
        "persistentvolumeclaims",
        "PersistentVolumeClaim",
        "api/v1",
        &[Name, Status, Volume, Capacity, StorageClass, Age],
    ),
    k(
        "horizontalpodautoscalers",
        "HorizontalPodAutoscaler",
        "apis/autoscaling/v2",
        &[Name, Reference, MinMax, Replicas, Age],
    ),
    k(
        "events",
        "Event",
        "api/v1",
        &[LastSeen, Type, Reason, Object, Message, Count],
    ),
];

const fn k(
    plural: &'static str,
    kind: &'static str,
    api: &'static str,
    cols: &'static [Col],
) -> Kind {
    Kind {
        plural,
        kind,
        api,
        cols,
    }
}

impl Kind {
    /// `v1`, `apps/v1`.
    pub fn api_version(&self) -> &'static str {
        self.api
            .trim_start_matches("apis/")
            .trim_start_matches("api/")
    }

    /// The translation key of the kind's (plural) title.
    pub fn title(&self) -> String {
        format!("wl.kind.{}", self.plural)
    }

    /// `/k8s/<api>/namespaces/<ns>/<plural>[/<name>]`.
    pub fn path(&self, ns: &str, name: Option<&str>) -> String {
        let mut p = format!("/k8s/{}/namespaces/{}/{}", self.api, enc(ns), self.plural);
        if let Some(n) = name {
            p.push('/');
            p.push_str(&enc(n));
        }
        p
    }

    /// Whether the kind has a `scale` subresource the pages offer.
    pub fn scalable(&self) -> bool {
        matches!(
            self.plural,
            "deployments" | "replicasets" | "statefulsets" | "replicationcontrollers"
        )
    }

    /// Whether "restart" (kubectl rollout restart) applies.
    pub fn restartable(&self) -> bool {
        matches!(self.plural, "deployments" | "statefulsets" | "daemonsets")
    }
}

pub fn by_plural(plural: &str) -> Option<&'static Kind> {
    KINDS.iter().find(|k| k.plural == plural)
}

/// The kind of `apiVersion` + `kind` (other versions of the same group count too: an owner
/// reference or a manifest may name `autoscaling/v1`).
pub fn by_kind(api_version: &str, kind: &str) -> Option<&'static Kind> {
    let group = |av: &str| av.rsplit_once('/').map_or("", |(g, _)| g).to_string();
    KINDS
        .iter()
        .find(|k| k.kind == kind && group(k.api_version()) == group(api_version))
}

/// Percent-encodes a path segment or query value (everything but unreserved characters).
pub fn enc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_and_lookups() {
        let d = by_plural("deployments").unwrap();
        assert_eq!(d.api_version(), "apps/v1");
        assert_eq!(
            d.path("shop", Some("web")),
            "/k8s/apis/apps/v1/namespaces/shop/deployments/web"
        );
        assert_eq!(
            by_plural("pods").unwrap().path("a b", None),
            "/k8s/api/v1/namespaces/a%20b/pods"
        );
        assert_eq!(
            by_kind("apps/v1", "ReplicaSet").unwrap().plural,
            "replicasets"
        );
        assert_eq!(
            by_kind("autoscaling/v1", "HorizontalPodAutoscaler")
                .unwrap()
                .plural,
            "horizontalpodautoscalers"
        );
        assert_eq!(by_kind("v1", "Deployment"), None);
        assert!(d.scalable() && d.restartable());
        assert!(!by_plural("jobs").unwrap().scalable());
        assert_eq!(enc("../x"), "..%2Fx");
    }

    #[test]
    fn every_kind_lists_a_name_column() {
        for k in KINDS {
            assert!(
                k.cols.contains(&Col::Name) || k.plural == "events",
                "{}",
                k.plural
            );
        }
    }
}
