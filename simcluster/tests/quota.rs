//! Quota accounting through kube-rs: concurrent pod creates against a ResourceQuota are charged
//! one by one (exactly as many as fit), `status.used` follows creates and deletes, and the
//! LimitRange defaults show up on the created pods.

mod common;

use std::time::Duration;

use k8s_openapi::api::core::v1::{LimitRange, Namespace, Pod, ResourceQuota, ServiceAccount};
use kube::api::{Api, DeleteParams, PostParams};
use serde_json::json;

async fn namespace(client: &kube::Client, name: &str) {
    let nss: Api<Namespace> = Api::all(client.clone());
    let ns: Namespace = serde_json::from_value(json!({"metadata": {"name": name}})).unwrap();
    nss.create(&PostParams::default(), &ns)
        .await
        .expect("create namespace");
    let sas: Api<ServiceAccount> = Api::namespaced(client.clone(), name);
    for _ in 0..50 {
        if sas.get_opt("default").await.expect("get sa").is_some() {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("default ServiceAccount never appeared");
}

/// Poll the quota until `status.used[resource]` is `want` (the controller runs within a second).
async fn wait_used(
    quotas: &Api<ResourceQuota>,
    name: &str,
    resource: &str,
    want: &str,
) -> ResourceQuota {
    let mut last = None;
    for _ in 0..50 {
        let q = quotas.get(name).await.expect("get quota");
        let used = q
            .status
            .as_ref()
            .and_then(|s| s.used.as_ref())
            .and_then(|u| u.get(resource))
            .map(|v| v.0.clone());
        if used.as_deref() == Some(want) {
            return q;
        }
        last = used;
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("status.used[{resource}] stayed {last:?}, wanted {want}");
}

fn pod(name: &str) -> Pod {
    serde_json::from_value(json!({
        "metadata": {"name": name},
        "spec": {"containers": [{"name": "app", "image": "nginx:1.27"}]}
    }))
    .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fifty_parallel_creates_against_room_for_ten() {
    let tc = common::TestCluster::start().await;
    let client = tc.client().await;
    namespace(&client, "quota").await;

    let limits: Api<LimitRange> = Api::namespaced(client.clone(), "quota");
    let lr: LimitRange = serde_json::from_value(json!({
        "metadata": {"name": "defaults"},
        "spec": {"limits": [{"type": "Container", "default": {"cpu": "200m", "memory": "128Mi"}, "defaultRequest": {"cpu": "100m", "memory": "64Mi"}}]}
    }))
    .unwrap();
    limits
        .create(&PostParams::default(), &lr)
        .await
        .expect("create limitrange");

    let quotas: Api<ResourceQuota> = Api::namespaced(client.clone(), "quota");
    let rq: ResourceQuota = serde_json::from_value(json!({
        "metadata": {"name": "room-for-10"},
        "spec": {"hard": {"pods": "10", "requests.cpu": "4", "limits.memory": "4Gi"}}
    }))
    .unwrap();
    quotas
        .create(&PostParams::default(), &rq)
        .await
        .expect("create quota");
    wait_used(&quotas, "room-for-10", "pods", "0").await;

    let pods: Api<Pod> = Api::namespaced(client.clone(), "quota");
    let tasks: Vec<_> = (0..50)
        .map(|i| {
            let pods = pods.clone();
            tokio::spawn(async move {
                (
                    i,
                    pods.create(&PostParams::default(), &pod(&format!("p-{i}")))
                        .await,
                )
            })
        })
        .collect();
    let (mut created, mut refused) = (Vec::new(), 0);
    for t in tasks {
        let (i, res) = t.await.expect("join");
        match res {
            Ok(p) => created.push(p),
            Err(kube::Error::Api(s)) => {
                assert_eq!(s.code, 403, "{s:?}");
                assert_eq!(s.reason, "Forbidden");
                assert_eq!(
                    s.message,
                    format!(
                        "pods \"p-{i}\" is forbidden: exceeded quota: room-for-10, requested: pods=1, used: pods=10, limited: pods=10"
                    )
                );
                refused += 1;
            }
            Err(other) => panic!("unexpected error {other:?}"),
        }
    }
    assert_eq!((created.len(), refused), (10, 40));

    // The LimitRange defaults were applied to every admitted pod.
    for p in &created {
        let ann = p.metadata.annotations.as_ref().expect("annotations");
        assert_eq!(
            ann["kubernetes.io/limit-ranger"],
            "LimitRanger plugin set: cpu, memory request for container app; cpu, memory limit for container app"
        );
        let res = p.spec.as_ref().unwrap().containers[0]
            .resources
            .clone()
            .expect("resources");
        assert_eq!(res.requests.unwrap()["cpu"].0, "100m");
        assert_eq!(res.limits.unwrap()["memory"].0, "128Mi");
    }

    let q = wait_used(&quotas, "room-for-10", "pods", "10").await;
    let used = q.status.unwrap().used.unwrap();
    assert_eq!(used["requests.cpu"].0, "1");
    assert_eq!(used["limits.memory"].0, "1280Mi");

    // Deleting pods gives the room back.
    for p in created.iter().take(3) {
        let name = p.metadata.name.clone().unwrap();
        pods.delete(
            &name,
            &DeleteParams {
                grace_period_seconds: Some(0),
                ..Default::default()
            },
        )
        .await
        .expect("delete");
    }
    let q = wait_used(&quotas, "room-for-10", "pods", "7").await;
    assert_eq!(q.status.unwrap().used.unwrap()["requests.cpu"].0, "700m");
    for i in 0..3 {
        pods.create(&PostParams::default(), &pod(&format!("again-{i}")))
            .await
            .expect("room again");
    }
    let err = pods
        .create(&PostParams::default(), &pod("one-too-many"))
        .await
        .expect_err("quota full");
    assert!(
        matches!(err, kube::Error::Api(ref s) if s.code == 403),
        "{err:?}"
    );
    wait_used(&quotas, "room-for-10", "pods", "10").await;
    tc.cluster.shutdown().await;
}
