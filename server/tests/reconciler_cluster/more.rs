//! Removal, capacity, existing quotas, errors and the quantity helper.

use super::*;
use k8s_openapi::api::core::v1::ConfigMap;

#[tokio::test]
async fn remove_reports_terminating_then_gone_and_apply_refuses_meanwhile() {
    let (sim, c) = start(SimConfig::default()).await;
    let d = desired("team-f");
    cluster::apply(&c, &d).await.unwrap();
    // Content with a finalizer keeps the namespace Terminating until it is released.
    let held: ConfigMap = serde_json::from_value(serde_json::json!({
        "metadata": {"name": "held", "finalizers": ["example.com/hold"]}
    }))
    .unwrap();
    let cms = Api::<ConfigMap>::namespaced(c.clone(), "team-f");
    cms.create(&PostParams::default(), &held).await.unwrap();

    assert_eq!(
        cluster::remove(&c, "team-f").await.unwrap(),
        Removed::Terminating
    );
    assert_eq!(
        cluster::remove(&c, "team-f").await.unwrap(),
        Removed::Terminating
    );
    let err = cluster::apply(&c, &d).await.unwrap_err();
    assert!(matches!(err, ClusterError::Terminating(_)), "{err:?}");
    assert!(!err.is_unreachable());
    eprintln!("apply while terminating: {err}");
    let listed = cluster::list_namespaces(&c).await.unwrap();
    assert!(listed.iter().any(|n| n.name == "team-f" && n.terminating));

    let release = serde_json::json!({"metadata": {"finalizers": null}});
    cms.patch("held", &someone_else(), &Patch::Merge(&release))
        .await
        .unwrap();
    let started = Instant::now();
    while cluster::remove(&c, "team-f").await.unwrap() == Removed::Terminating {
        assert!(started.elapsed() < Duration::from_secs(20), "never gone");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    eprintln!(
        "namespace gone {:?} after its content was released",
        started.elapsed()
    );
    assert_eq!(
        cluster::remove(&c, "never-existed").await.unwrap(),
        Removed::Gone
    );
    // Once gone, apply sets it up again.
    assert!(cluster::apply(&c, &d).await.unwrap().created_namespace);
    sim.shutdown().await;
}

#[tokio::test]
async fn capacity_sums_node_allocatable() {
    let (sim, c) = start(SimConfig {
        seed: Seed::Empty,
        ..SimConfig::default()
    })
    .await;
    let cap = cluster::capacity(&c).await.unwrap();
    let nodes = Api::<Node>::all(c.clone())
        .list(&ListParams::default())
        .await
        .unwrap();
    assert_eq!(cap.nodes.len(), nodes.items.len());
    assert!(!cap.nodes.is_empty());
    for resource in ["cpu", "memory", "pods"] {
        let sum: i128 = nodes
            .items
            .iter()
            .filter_map(|n| n.status.as_ref()?.allocatable.as_ref()?.get(resource))
            .map(|q| quantity::to_nanos(&q.0).unwrap())
            .sum();
        assert!(sum > 0, "{resource}");
        assert_eq!(
            quantity::to_nanos(&cap.allocatable[resource]),
            Some(sum),
            "{resource}"
        );
    }
    assert!(
        cap.nodes
            .iter()
            .all(|n| n.ready && !n.allocatable.is_empty())
    );
    eprintln!("total allocatable: {:?}", cap.allocatable);
    sim.shutdown().await;
}

#[tokio::test]
async fn apiserver_errors_come_back_with_its_message() {
    let (sim, c) = start(SimConfig::default()).await;
    let api_error = |err: &ClusterError| match err {
        ClusterError::Api {
            code,
            reason,
            message,
        } => {
            assert_eq!(err.to_string(), *message);
            assert!(!err.is_unreachable());
            (*code, reason.clone(), message.clone())
        }
        other => panic!("{other:?}"),
    };
    // Not a quantity at all: the apiserver cannot even decode the object (400).
    let mut d = desired("bad-quota");
    d.quota.insert("pods".into(), "1.5.5".into());
    let err = cluster::apply(&c, &d).await.unwrap_err();
    eprintln!("{err}");
    let (code, reason, message) = api_error(&err);
    assert_eq!((code, reason.as_str()), (400, "BadRequest"));
    assert!(message.contains("quantities must match"), "{message}");
    // A quantity the validation refuses (422).
    d.quota.insert("pods".into(), "-1".into());
    let err = cluster::apply(&c, &d).await.unwrap_err();
    eprintln!("{err}");
    let (code, reason, message) = api_error(&err);
    assert_eq!((code, reason.as_str()), (422, "Invalid"));
    assert!(
        message.contains(QUOTA_NAME) && message.contains("spec.hard[pods]"),
        "{message}"
    );
    // A default limit above the max.
    let mut d = desired("bad-limits");
    d.limits.default.insert("cpu".into(), "3".into());
    let err = cluster::apply(&c, &d).await.unwrap_err();
    eprintln!("{err}");
    let (code, _, message) = api_error(&err);
    assert_eq!(code, 422);
    assert!(message.contains(LIMITS_NAME), "{message}");
    // Refused before reaching the cluster.
    d.pod_security = "lenient".into();
    let err = cluster::apply(&c, &d).await.unwrap_err();
    assert!(matches!(err, ClusterError::Invalid(_)), "{err:?}");
    sim.shutdown().await;
}

#[tokio::test]
async fn existing_quota_is_the_strictest_per_resource() {
    let (sim, c) = start(SimConfig::default()).await;
    cluster::apply(&c, &desired("legacy")).await.unwrap();
    let api = Api::<ResourceQuota>::namespaced(c.clone(), "legacy");
    let extra: ResourceQuota = serde_json::from_value(serde_json::json!({
        "metadata": {"name": "old-quota"},
        "spec": {"hard": {"pods": "5", "requests.memory": "8Gi", "services": "3"}}
    }))
    .unwrap();
    api.create(&PostParams::default(), &extra).await.unwrap();
    let q = cluster::existing_quota(&c, "legacy").await.unwrap();
    // desired("legacy") has requests.cpu 2, requests.memory 4Gi, pods 10.
    assert_eq!(
        q,
        map(&[
            ("pods", "5"),
            ("requests.cpu", "2"),
            ("requests.memory", "4Gi"),
            ("services", "3")
        ])
    );
    assert!(
        cluster::existing_quota(&c, "default")
            .await
            .unwrap()
            .is_empty()
    );
    sim.shutdown().await;
}

#[test]
fn quantities_compare_by_value() {
    use quantity::{same, sum_lists, to_nanos};
    assert_eq!(to_nanos("1"), Some(1_000_000_000));
    assert_eq!(to_nanos("500m"), Some(500_000_000));
    assert_eq!(to_nanos("1Ki"), Some(1024 * 1_000_000_000));
    assert_eq!(to_nanos("1e3"), to_nanos("1k"));
    assert_eq!(to_nanos("1E"), Some(10i128.pow(27)));
    assert_eq!(to_nanos("-1.5"), Some(-1_500_000_000));
    assert_eq!(to_nanos("0.1n"), Some(1), "rounded up to 1n");
    for bad in ["", "1.5.5", "abc", "1K", "1e", "1Gib"] {
        assert_eq!(to_nanos(bad), None, "{bad}");
    }
    assert!(same("1Gi", "1024Mi") && same("0.5", "500m") && same("2000m", "2"));
    assert!(!same("1G", "1Gi"));
    let a = [
        ("cpu".to_string(), "1500m".to_string()),
        ("memory".to_string(), "4Gi".to_string()),
    ]
    .into();
    let b = [
        ("cpu".to_string(), "500m".to_string()),
        ("memory".to_string(), "x".to_string()),
    ]
    .into();
    let (sums, bad) = sum_lists([&a, &b]);
    assert_eq!(sums["cpu"], "2");
    assert_eq!(sums["memory"], "4Gi");
    assert_eq!(bad, [("memory".to_string(), "x".to_string())]);
}
