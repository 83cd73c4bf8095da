//! The reconciler's cluster side against an in-process simulated cluster reached over HTTPS:
//! apply/repair, remove, drift events (also across an apiserver restart), capacity, errors.

use std::collections::BTreeMap;
use std::pin::Pin;
use std::time::{Duration, Instant};

use futures::{Stream, StreamExt};
use k8s_openapi::api::core::v1::{LimitRange, Namespace, Node, ResourceQuota};
use ku8portal::reconciler::cluster::{
    self, ClusterError, ContainerLimits, DesiredNamespace, LIMITS_NAME, MANAGED_BY, QUOTA_NAME,
    Removed, TENANT_LABEL, quantity,
};
use kube::api::{Api, DeleteParams, ListParams, Patch, PatchParams, PostParams};
use simcluster::{Seed, SimCluster, SimConfig};

type Events = Pin<Box<dyn Stream<Item = String> + Send>>;

async fn start(config: SimConfig) -> (SimCluster, kube::Client) {
    let sim = SimCluster::start(config).await.expect("start simcluster");
    let client = client_for(&sim, false).await;
    (sim, client)
}

/// A kube client from the cluster's kubeconfig; `insecure` skips certificate checks (a
/// restarted simulator has a new CA).
async fn client_for(sim: &SimCluster, insecure: bool) -> kube::Client {
    let kc = kube::config::Kubeconfig::from_yaml(&sim.kubeconfig()).expect("kubeconfig");
    let opts = kube::config::KubeConfigOptions::default();
    let mut cfg = kube::Config::from_custom_kubeconfig(kc, &opts)
        .await
        .expect("config");
    cfg.accept_invalid_certs = insecure;
    kube::Client::try_from(cfg).expect("client")
}

fn map(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

fn desired(name: &str) -> DesiredNamespace {
    DesiredNamespace {
        name: name.into(),
        tenant: "acme".into(),
        pod_security: "baseline".into(),
        quota: map(&[
            ("requests.cpu", "2"),
            ("requests.memory", "4Gi"),
            ("pods", "10"),
        ]),
        limits: ContainerLimits {
            default: map(&[("cpu", "500m"), ("memory", "512Mi")]),
            default_request: map(&[("cpu", "100m"), ("memory", "128Mi")]),
            max: map(&[("cpu", "2"), ("memory", "2Gi")]),
        },
    }
}

async fn get_quota(c: &kube::Client, ns: &str) -> ResourceQuota {
    Api::<ResourceQuota>::namespaced(c.clone(), ns)
        .get(QUOTA_NAME)
        .await
        .expect("quota")
}

fn hard(rq: &ResourceQuota) -> BTreeMap<String, String> {
    let h = rq
        .spec
        .as_ref()
        .and_then(|s| s.hard.clone())
        .unwrap_or_default();
    h.into_iter().map(|(k, v)| (k, v.0)).collect()
}

fn labels(meta: &kube::api::ObjectMeta) -> BTreeMap<String, String> {
    meta.labels.clone().unwrap_or_default()
}

fn someone_else() -> PatchParams {
    PatchParams {
        field_manager: Some("kubectl-edit".into()),
        ..PatchParams::default()
    }
}

/// Collect events until none came for `quiet`.
async fn drain(events: &mut Events, quiet: Duration) -> Vec<String> {
    let mut seen = Vec::new();
    while let Ok(Some(name)) = tokio::time::timeout(quiet, events.next()).await {
        seen.push(name);
    }
    seen
}

/// Wait until `name` comes out of the stream; how long it took.
async fn expect_name(events: &mut Events, name: &str, within: Duration) -> Duration {
    let start = Instant::now();
    loop {
        let left = within.saturating_sub(start.elapsed());
        match tokio::time::timeout(left, events.next()).await {
            Ok(Some(n)) if n == name => return start.elapsed(),
            Ok(Some(_)) => {}
            Ok(None) => panic!("drift stream ended"),
            Err(_) => panic!("no drift event for {name} within {within:?}"),
        }
    }
}

#[tokio::test]
async fn apply_creates_namespace_quota_and_limits_with_labels() {
    let (sim, c) = start(SimConfig::default()).await;
    let d = desired("team-a");
    let out = cluster::apply(&c, &d).await.expect("apply");
    assert!(out.created_namespace);
    assert_eq!(
        out.changed,
        [
            "Namespace team-a",
            "ResourceQuota ku8portal-quota",
            "LimitRange ku8portal-limits"
        ]
    );

    let ns = Api::<Namespace>::all(c.clone())
        .get("team-a")
        .await
        .unwrap();
    let l = labels(&ns.metadata);
    assert_eq!(l[TENANT_LABEL], "acme");
    assert_eq!(l[MANAGED_BY.0], MANAGED_BY.1);
    assert_eq!(l["pod-security.kubernetes.io/enforce"], "baseline");
    assert_eq!(l["pod-security.kubernetes.io/enforce-version"], "latest");
    assert_eq!(l["pod-security.kubernetes.io/warn"], "baseline");
    assert_eq!(l["pod-security.kubernetes.io/audit"], "baseline");

    let rq = get_quota(&c, "team-a").await;
    assert_eq!(labels(&rq.metadata)[MANAGED_BY.0], MANAGED_BY.1);
    assert!(quantity::same_list(&hard(&rq), &d.quota), "{:?}", hard(&rq));

    let lr = Api::<LimitRange>::namespaced(c.clone(), "team-a")
        .get(LIMITS_NAME)
        .await
        .unwrap();
    assert_eq!(labels(&lr.metadata)[MANAGED_BY.0], MANAGED_BY.1);
    let items = lr.spec.unwrap().limits;
    assert_eq!(items.len(), 1);
    assert_eq!(items[0].type_, "Container");
    let strings =
        |m: Option<BTreeMap<String, k8s_openapi::apimachinery::pkg::api::resource::Quantity>>| {
            m.unwrap_or_default()
                .into_iter()
                .map(|(k, v)| (k, v.0))
                .collect::<BTreeMap<_, _>>()
        };
    assert!(quantity::same_list(
        &strings(items[0].default.clone()),
        &d.limits.default
    ));
    assert!(quantity::same_list(
        &strings(items[0].default_request.clone()),
        &d.limits.default_request
    ));
    assert!(quantity::same_list(
        &strings(items[0].max.clone()),
        &d.limits.max
    ));

    let status = cluster::quota_status(&c, "team-a")
        .await
        .unwrap()
        .expect("quota status");
    assert!(quantity::same_list(&status.hard, &d.quota));
    assert_eq!(cluster::quota_status(&c, "nowhere").await.unwrap(), None);

    let listed = cluster::list_namespaces(&c).await.unwrap();
    let team = listed.iter().find(|n| n.name == "team-a").expect("listed");
    assert!(team.managed && !team.terminating);
    assert!(listed.iter().any(|n| n.name == "default" && !n.managed));
    sim.shutdown().await;
}

#[tokio::test]
async fn apply_twice_changes_nothing_even_with_other_spellings_and_defaulted_limits() {
    let (sim, c) = start(SimConfig::default()).await;
    let mut d = desired("team-b");
    // Only max: the apiserver defaults default and defaultRequest from it.
    d.limits = ContainerLimits {
        max: map(&[("cpu", "1"), ("memory", "1Gi")]),
        ..ContainerLimits::default()
    };
    assert!(!cluster::apply(&c, &d).await.unwrap().is_noop());
    let again = cluster::apply(&c, &d).await.unwrap();
    assert!(again.is_noop(), "{again:?}");
    // The same amounts spelled differently are not drift.
    d.quota.insert("requests.memory".into(), "4096Mi".into());
    d.quota.insert("requests.cpu".into(), "2000m".into());
    d.limits.max.insert("memory".into(), "1024Mi".into());
    let respelled = cluster::apply(&c, &d).await.unwrap();
    assert!(respelled.is_noop(), "{respelled:?}");
    sim.shutdown().await;
}

#[tokio::test]
async fn apply_puts_back_a_quota_edited_by_someone_else() {
    let (sim, c) = start(SimConfig::default()).await;
    let d = desired("team-c");
    cluster::apply(&c, &d).await.unwrap();
    let api = Api::<ResourceQuota>::namespaced(c.clone(), "team-c");
    let edit = serde_json::json!({"spec": {"hard": {"pods": "99", "secrets": "5"}}});
    api.patch(QUOTA_NAME, &someone_else(), &Patch::Merge(&edit))
        .await
        .unwrap();
    assert_eq!(hard(&get_quota(&c, "team-c").await)["pods"], "99");

    let out = cluster::apply(&c, &d).await.unwrap();
    assert_eq!(out.changed, ["ResourceQuota ku8portal-quota"]);
    let now = hard(&get_quota(&c, "team-c").await);
    assert!(quantity::same_list(&now, &d.quota), "{now:?}");
    assert!(!now.contains_key("secrets"));
    assert!(cluster::apply(&c, &d).await.unwrap().is_noop());
    sim.shutdown().await;
}

#[tokio::test]
async fn concurrent_applies_settle_through_conflict_retries() {
    let (sim, c) = start(SimConfig::default()).await;
    let d = desired("team-r");
    cluster::apply(&c, &d).await.unwrap();
    let edit = serde_json::json!({"spec": {"hard": {"pods": "99"}}});
    Api::<ResourceQuota>::namespaced(c.clone(), "team-r")
        .patch(QUOTA_NAME, &someone_else(), &Patch::Merge(&edit))
        .await
        .unwrap();
    // Both read the drifted quota; one update wins, the other gets 409, re-reads, finds it fixed.
    let (a, b) = tokio::join!(cluster::apply(&c, &d), cluster::apply(&c, &d));
    let (a, b) = (a.unwrap(), b.unwrap());
    assert_eq!(a.changed.len() + b.changed.len(), 1, "{a:?} {b:?}");
    assert!(quantity::same_list(
        &hard(&get_quota(&c, "team-r").await),
        &d.quota
    ));
    sim.shutdown().await;
}

#[tokio::test]
async fn apply_recreates_a_deleted_limitrange() {
    let (sim, c) = start(SimConfig::default()).await;
    let d = desired("team-d");
    cluster::apply(&c, &d).await.unwrap();
    let api = Api::<LimitRange>::namespaced(c.clone(), "team-d");
    api.delete(LIMITS_NAME, &DeleteParams::default())
        .await
        .unwrap();
    let out = cluster::apply(&c, &d).await.unwrap();
    assert_eq!(out.changed, ["LimitRange ku8portal-limits"]);
    assert!(api.get_opt(LIMITS_NAME).await.unwrap().is_some());
    sim.shutdown().await;
}

#[tokio::test]
async fn apply_keeps_foreign_labels_and_restores_its_own() {
    let (sim, c) = start(SimConfig::default()).await;
    let d = desired("team-e");
    cluster::apply(&c, &d).await.unwrap();
    let api = Api::<Namespace>::all(c.clone());
    let edit = serde_json::json!({"metadata": {"labels": {
        "team": "payments", TENANT_LABEL: "intruder",
        "pod-security.kubernetes.io/enforce": "privileged",
        "pod-security.kubernetes.io/audit": null,
    }}});
    api.patch("team-e", &someone_else(), &Patch::Merge(&edit))
        .await
        .unwrap();
    let out = cluster::apply(&c, &d).await.unwrap();
    assert_eq!(out.changed, ["Namespace team-e labels"]);
    let l = labels(&api.get("team-e").await.unwrap().metadata);
    assert_eq!(l["team"], "payments");
    assert_eq!(l[TENANT_LABEL], "acme");
    assert_eq!(l["pod-security.kubernetes.io/enforce"], "baseline");
    assert_eq!(l["pod-security.kubernetes.io/audit"], "baseline");
    sim.shutdown().await;
}

#[path = "reconciler_cluster/drift.rs"]
mod drift;
#[path = "reconciler_cluster/more.rs"]
mod more;
