//! kube-rs against simcluster: typed CRUD, a watcher and a reflector that stay in sync.

mod common;

use std::time::Duration;

use futures::{StreamExt, TryStreamExt};
use k8s_openapi::api::core::v1::{ConfigMap, Namespace, Pod};
use kube::api::{Api, DeleteParams, ListParams, Patch, PatchParams, PostParams};
use kube::runtime::{WatchStreamExt, reflector, watcher};
use serde_json::json;

async fn namespace(client: &kube::Client, name: &str) {
    let nss: Api<Namespace> = Api::all(client.clone());
    let ns: Namespace = serde_json::from_value(json!({"metadata": {"name": name}})).unwrap();
    nss.create(&PostParams::default(), &ns)
        .await
        .expect("create namespace");
    let sas: Api<k8s_openapi::api::core::v1::ServiceAccount> =
        Api::namespaced(client.clone(), name);
    for _ in 0..50 {
        if sas.get_opt("default").await.expect("get sa").is_some() {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("default ServiceAccount never appeared");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn typed_pod_crud() {
    let tc = common::TestCluster::start().await;
    let client = tc.client().await;
    namespace(&client, "krs").await;
    let pods: Api<Pod> = Api::namespaced(client.clone(), "krs");
    let pod: Pod = serde_json::from_value(json!({
        "metadata": {"name": "p1", "labels": {"app": "a"}},
        "spec": {"containers": [{"name": "c", "image": "nginx:1.27"}]}
    }))
    .unwrap();
    let created = pods
        .create(&PostParams::default(), &pod)
        .await
        .expect("create");
    assert_eq!(
        created.spec.as_ref().unwrap().dns_policy.as_deref(),
        Some("ClusterFirst")
    );
    assert_eq!(
        created.status.as_ref().unwrap().phase.as_deref(),
        Some("Pending")
    );
    let uid = created.metadata.uid.clone().unwrap();

    let got = pods.get("p1").await.expect("get");
    assert_eq!(got.metadata.uid.as_deref(), Some(uid.as_str()));

    // Optimistic concurrency: a stale replace is a 409.
    let mut stale = got.clone();
    let patched = pods
        .patch(
            "p1",
            &PatchParams::default(),
            &Patch::Merge(json!({"metadata": {"labels": {"v": "2"}}})),
        )
        .await
        .expect("patch");
    assert_eq!(patched.metadata.labels.as_ref().unwrap()["v"], "2");
    stale
        .metadata
        .labels
        .get_or_insert_default()
        .insert("v".into(), "stale".into());
    let err = pods
        .replace("p1", &PostParams::default(), &stale)
        .await
        .expect_err("stale replace");
    match err {
        kube::Error::Api(s) => assert_eq!(s.code, 409),
        other => panic!("unexpected {other:?}"),
    }

    let listed = pods
        .list(&ListParams::default().labels("app=a"))
        .await
        .expect("list");
    assert_eq!(listed.items.len(), 1);
    pods.delete("p1", &DeleteParams::default())
        .await
        .expect("delete");
    assert!(pods.get_opt("p1").await.expect("get_opt").is_none());
    tc.cluster.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reflector_follows_create_update_delete() {
    let tc = common::TestCluster::start().await;
    let client = tc.client().await;
    namespace(&client, "refl").await;
    let cms: Api<ConfigMap> = Api::namespaced(client.clone(), "refl");
    let (reader, writer) = reflector::store::<ConfigMap>();
    let stream = reflector(
        writer,
        watcher(cms.clone(), watcher::Config::default().labels("set=r")),
    )
    .applied_objects()
    .boxed();
    let task = tokio::spawn(async move {
        let _ = stream.try_for_each(|_| async { Ok(()) }).await;
    });
    reader.wait_until_ready().await.expect("reflector ready");

    async fn eventually(check: impl Fn() -> bool) {
        for _ in 0..100 {
            if check() {
                return;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("reflector did not converge");
    }

    for i in 0..3 {
        let cm: ConfigMap = serde_json::from_value(json!({"metadata": {"name": format!("c{i}"), "labels": {"set": "r"}}, "data": {"i": i.to_string()}})).unwrap();
        cms.create(&PostParams::default(), &cm)
            .await
            .expect("create cm");
    }
    // kube-root-ca.crt is not labelled: only our three objects are in the store.
    eventually(|| reader.state().len() == 3).await;
    cms.patch(
        "c1",
        &PatchParams::default(),
        &Patch::Merge(json!({"data": {"i": "updated"}})),
    )
    .await
    .expect("patch");
    eventually(|| {
        reader
            .state()
            .iter()
            .any(|c| c.data.as_ref().is_some_and(|d| d["i"] == "updated"))
    })
    .await;
    // Leaving the selector looks like a deletion to the watcher.
    cms.patch(
        "c2",
        &PatchParams::default(),
        &Patch::Merge(json!({"metadata": {"labels": {"set": "other"}}})),
    )
    .await
    .expect("relabel");
    eventually(|| reader.state().len() == 2).await;
    cms.delete("c0", &DeleteParams::default())
        .await
        .expect("delete");
    eventually(|| reader.state().len() == 1).await;
    assert_eq!(reader.state()[0].metadata.name.as_deref(), Some("c1"));
    task.abort();
    tc.cluster.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn watch_from_a_too_old_resource_version_gets_410_gone() {
    use kube::api::WatchParams;
    use kube::core::WatchEvent;
    let tc = common::TestCluster::start_with(simcluster::SimConfig {
        watch_history: 5,
        ..Default::default()
    })
    .await;
    let client = tc.client().await;
    namespace(&client, "gone").await;
    let cms: Api<ConfigMap> = Api::namespaced(client.clone(), "gone");
    let first = cms
        .list(&ListParams::default())
        .await
        .expect("list")
        .metadata
        .resource_version
        .unwrap();
    for i in 0..10 {
        let cm: ConfigMap =
            serde_json::from_value(json!({"metadata": {"name": format!("c{i}")}})).unwrap();
        cms.create(&PostParams::default(), &cm)
            .await
            .expect("create");
    }
    let mut stream = cms
        .watch(&WatchParams::default(), &first)
        .await
        .expect("watch")
        .boxed();
    match stream.try_next().await.expect("event") {
        Some(WatchEvent::Error(e)) => {
            assert_eq!(e.code, 410);
            assert!(
                e.message.starts_with("too old resource version: "),
                "{}",
                e.message
            );
        }
        other => panic!("expected a 410 ERROR event, got {other:?}"),
    }
    // A current resourceVersion still works and sees the next change.
    let now = cms
        .list(&ListParams::default())
        .await
        .expect("list")
        .metadata
        .resource_version
        .unwrap();
    let mut stream = cms
        .watch(&WatchParams::default().timeout(5), &now)
        .await
        .expect("watch")
        .boxed();
    cms.delete("c3", &DeleteParams::default())
        .await
        .expect("delete");
    match stream.try_next().await.expect("event") {
        Some(WatchEvent::Deleted(cm)) => assert_eq!(cm.metadata.name.as_deref(), Some("c3")),
        other => panic!("expected DELETED, got {other:?}"),
    }
    tc.cluster.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn watch_from_a_too_new_resource_version_waits_then_gets_504() {
    use kube::api::WatchParams;
    use kube::core::WatchEvent;
    let tc = common::TestCluster::start().await;
    let client = tc.client().await;
    namespace(&client, "ahead").await;
    let cms: Api<ConfigMap> = Api::namespaced(client.clone(), "ahead");
    let now: u64 = cms
        .list(&ListParams::default())
        .await
        .expect("list")
        .metadata
        .resource_version
        .unwrap()
        .parse()
        .unwrap();
    // Far ahead: after about 3 s the watch cache gives up, as kube-apiserver's does.
    let ahead = (now + 1_000_000).to_string();
    let began = std::time::Instant::now();
    let mut stream = cms
        .watch(&WatchParams::default(), &ahead)
        .await
        .expect("watch")
        .boxed();
    match stream.try_next().await.expect("event") {
        Some(WatchEvent::Error(e)) => {
            assert_eq!((e.code, e.reason.as_str()), (504, "Timeout"));
            assert!(
                e.message.starts_with(&format!(
                    "Timeout: Too large resource version: {ahead}, current: "
                )),
                "{}",
                e.message
            );
        }
        other => panic!("expected a 504 ERROR event, got {other:?}"),
    }
    assert!(began.elapsed() >= Duration::from_millis(2900));
    // Just ahead: the watch waits for that version (the answer too, as on a real server) and
    // then streams what follows it.
    let next = (now + 1).to_string();
    let writer = {
        let cms = cms.clone();
        tokio::spawn(async move {
            tokio::time::sleep(Duration::from_millis(300)).await;
            for name in ["first", "second"] {
                let cm: ConfigMap =
                    serde_json::from_value(json!({"metadata": {"name": name}})).unwrap();
                cms.create(&PostParams::default(), &cm)
                    .await
                    .expect("create");
            }
        })
    };
    let mut stream = cms
        .watch(&WatchParams::default().timeout(10), &next)
        .await
        .expect("watch")
        .boxed();
    writer.await.expect("writer");
    // Nothing at or below the requested version is sent (on a quiet cluster "first" is it).
    loop {
        match stream.try_next().await.expect("event") {
            Some(WatchEvent::Added(cm)) => {
                let rv: u64 = cm.metadata.resource_version.unwrap().parse().unwrap();
                assert!(rv > now + 1, "an event at {rv} was sent");
                if cm.metadata.name.as_deref() == Some("second") {
                    break;
                }
            }
            other => panic!("expected ADDED events, got {other:?}"),
        }
    }
    tc.cluster.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn paging_across_namespaces_skips_none_when_one_name_prefixes_another() {
    let tc = common::TestCluster::start().await;
    let client = tc.client().await;
    for ns in ["pg", "pg-b"] {
        namespace(&client, ns).await;
        let cms: Api<ConfigMap> = Api::namespaced(client.clone(), ns);
        for i in 0..3 {
            let cm: ConfigMap = serde_json::from_value(
                json!({"metadata": {"name": format!("c{i}"), "labels": {"paged": "yes"}}}),
            )
            .unwrap();
            cms.create(&PostParams::default(), &cm)
                .await
                .expect("create");
        }
    }
    let all: Api<ConfigMap> = Api::all(client.clone());
    let mut seen = Vec::new();
    let mut params = ListParams::default().limit(2);
    loop {
        let page = all.list(&params).await.expect("list");
        seen.extend(page.items.iter().filter_map(|c| {
            let m = &c.metadata;
            m.labels.as_ref()?.get("paged")?;
            Some(format!(
                "{}/{}",
                m.namespace.as_deref()?,
                m.name.as_deref()?
            ))
        }));
        match page.metadata.continue_ {
            Some(c) if !c.is_empty() => params = params.continue_token(&c),
            _ => break,
        }
    }
    seen.sort();
    assert_eq!(
        seen,
        ["pg-b/c0", "pg-b/c1", "pg-b/c2", "pg/c0", "pg/c1", "pg/c2"],
        "every ConfigMap once"
    );
    tc.cluster.shutdown().await;
}
