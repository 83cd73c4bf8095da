//! Scheduling onto nodes with room, FailedScheduling with the real wording, the kubelet's way to Running.

use super::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pods_are_scheduled_and_run() {
    let tc = common::TestCluster::start_with(config()).await;
    let c = client(&tc).await;
    namespace(&c, "sim").await;
    pod(&c, "sim", nginx("web")).await;
    let web = until(&c, "/api/v1/namespaces/sim/pods/web", "web running", |p| {
        p["status"]["phase"] == "Running" && condition(p, "Ready")["status"] == "True"
    })
    .await;
    let st = &web["status"];
    assert!(
        st["podIP"].as_str().unwrap().starts_with("10.244."),
        "{st:#}"
    );
    assert!(
        st["hostIP"].as_str().unwrap().starts_with("172.18.0."),
        "{st:#}"
    );
    let kinds: Vec<&str> = st["conditions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["type"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds,
        [
            "PodReadyToStartContainers",
            "Initialized",
            "Ready",
            "ContainersReady",
            "PodScheduled"
        ]
    );
    let cs = &st["containerStatuses"][0];
    assert_eq!(
        (
            cs["image"].as_str(),
            cs["ready"].as_bool(),
            cs["started"].as_bool(),
            cs["restartCount"].as_i64()
        ),
        (
            Some("docker.io/library/nginx:1.27"),
            Some(true),
            Some(true),
            Some(0)
        )
    );
    assert!(
        cs["imageID"]
            .as_str()
            .unwrap()
            .starts_with("docker.io/library/nginx@sha256:")
    );
    assert!(
        cs["containerID"]
            .as_str()
            .unwrap()
            .starts_with("containerd://")
    );
    assert!(cs["state"]["running"]["startedAt"].is_string());
    let node = web["spec"]["nodeName"].as_str().unwrap().to_string();
    assert!(node.starts_with("sim-worker-"), "{node}");
    let reasons = event_reasons(&c, "sim", "web").await;
    for r in ["Scheduled", "Pulling", "Pulled", "Created", "Started"] {
        assert!(
            reasons.iter().any(|(x, _)| x == r),
            "no {r} event in {reasons:?}"
        );
    }
    assert!(
        reasons.contains(&(
            "Scheduled".into(),
            format!("Successfully assigned sim/web to {node}")
        )),
        "{reasons:?}"
    );
    assert!(
        reasons.contains(&("Created".into(), "Created container: app".into())),
        "{reasons:?}"
    );

    // Fits nowhere: too much CPU for the workers, tainted control plane and GPU node.
    let mut big = nginx("big");
    big["spec"]["containers"][0]["resources"] = json!({"requests": {"cpu": "100"}});
    pod(&c, "sim", big).await;
    let msg = "0/4 nodes are available: 2 Insufficient cpu, 2 node(s) had untolerated taint(s). no new claims to deallocate, preemption: 0/4 nodes are available: 4 Preemption is not helpful for scheduling.";
    let big = until(
        &c,
        "/api/v1/namespaces/sim/pods/big",
        "big unschedulable",
        |p| condition(p, "PodScheduled")["reason"] == "Unschedulable",
    )
    .await;
    assert_eq!(condition(&big, "PodScheduled")["message"], msg);
    assert_eq!(big["status"]["phase"], "Pending");
    assert!(
        event_reasons(&c, "sim", "big")
            .await
            .contains(&("FailedScheduling".into(), msg.into()))
    );

    // A node selector nothing matches.
    let mut lost = nginx("lost");
    lost["spec"]["nodeSelector"] = json!({"disktype": "ssd"});
    pod(&c, "sim", lost).await;
    let lost = until(
        &c,
        "/api/v1/namespaces/sim/pods/lost",
        "lost unschedulable",
        |p| condition(p, "PodScheduled")["status"] == "False",
    )
    .await;
    assert!(condition(&lost, "PodScheduled")["message"].as_str().unwrap().starts_with("0/4 nodes are available: 2 node(s) didn't match Pod's node affinity/selector, 2 node(s) had untolerated taint(s)."));

    // GPUs: the tainted GPU node takes a pod that tolerates the taint and asks for a GPU.
    let mut gpu = nginx("gpu");
    gpu["spec"]["containers"][0]["resources"] = json!({"limits": {"nvidia.com/gpu": "1"}});
    gpu["spec"]["tolerations"] =
        json!([{"key": "nvidia.com/gpu", "operator": "Exists", "effect": "NoSchedule"}]);
    pod(&c, "sim", gpu).await;
    let gpu = until(&c, "/api/v1/namespaces/sim/pods/gpu", "gpu bound", |p| {
        p["spec"]["nodeName"].is_string()
    })
    .await;
    assert_eq!(gpu["spec"]["nodeName"], "sim-gpu-1");

    // Claims of a scheduled pod are provisioned on its node (WaitForFirstConsumer).
    post(&c, "/apis/storage.k8s.io/v1/storageclasses", json!({"metadata": {"name": "standard"}, "provisioner": "rancher.io/local-path", "volumeBindingMode": "WaitForFirstConsumer"})).await;
    post(&c, "/api/v1/namespaces/sim/persistentvolumeclaims", json!({"metadata": {"name": "data"}, "spec": {"storageClassName": "standard", "accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "2Gi"}}}})).await;
    let mut db = nginx("db");
    db["spec"]["volumes"] =
        json!([{"name": "data", "persistentVolumeClaim": {"claimName": "data"}}]);
    pod(&c, "sim", db).await;
    let claim = until(
        &c,
        "/api/v1/namespaces/sim/persistentvolumeclaims/data",
        "claim bound",
        |p| p["status"]["phase"] == "Bound",
    )
    .await;
    assert_eq!(claim["status"]["capacity"]["storage"], "2Gi");
    let pv = get(
        &c,
        &format!(
            "/api/v1/persistentvolumes/{}",
            claim["spec"]["volumeName"].as_str().unwrap()
        ),
    )
    .await;
    let db_node = get(&c, "/api/v1/namespaces/sim/pods/db").await["spec"]["nodeName"].clone();
    assert_eq!(
        pv["spec"]["nodeAffinity"]["required"]["nodeSelectorTerms"][0]["matchExpressions"][0]["values"]
            [0],
        db_node
    );
    assert_eq!(
        (
            pv["status"]["phase"].as_str(),
            pv["spec"]["claimRef"]["name"].as_str()
        ),
        (Some("Bound"), Some("data"))
    );
    // The volume pins its users to that node.
    let other = if db_node == "sim-worker-1" {
        "sim-worker-2"
    } else {
        "sim-worker-1"
    };
    let mut db2 = nginx("db2");
    db2["spec"]["volumes"] =
        json!([{"name": "data", "persistentVolumeClaim": {"claimName": "data"}}]);
    db2["spec"]["nodeSelector"] = json!({"kubernetes.io/hostname": other});
    pod(&c, "sim", db2).await;
    let db2 = until(
        &c,
        "/api/v1/namespaces/sim/pods/db2",
        "db2 unschedulable",
        |p| condition(p, "PodScheduled")["status"] == "False",
    )
    .await;
    assert!(condition(&db2, "PodScheduled")["message"].as_str().unwrap().starts_with("0/4 nodes are available: 1 node(s) didn't match PersistentVolume's node affinity, 1 node(s) didn't match Pod's node affinity/selector, 2 node(s) had untolerated taint(s)."), "{db2:#}");

    // A pod for another scheduler waits until something binds it.
    let mut own = nginx("own");
    own["spec"]["schedulerName"] = json!("my-scheduler");
    pod(&c, "sim", own).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(get(&c, "/api/v1/namespaces/sim/pods/own").await["spec"]["nodeName"].is_null());
    let binding = json!({"apiVersion": "v1", "kind": "Binding", "metadata": {"name": "own"}, "target": {"kind": "Node", "name": "sim-worker-2"}});
    let ok = post(
        &c,
        "/api/v1/namespaces/sim/pods/own/binding",
        binding.clone(),
    )
    .await;
    assert_eq!(
        (ok["status"].as_str(), ok["code"].as_i64()),
        (Some("Success"), Some(201))
    );
    until(&c, "/api/v1/namespaces/sim/pods/own", "own running", |p| {
        p["status"]["phase"] == "Running"
    })
    .await;
    let (code, msg) = fails(
        &c,
        "POST",
        "/api/v1/namespaces/sim/pods/own/binding",
        Some(binding),
    )
    .await;
    assert_eq!(
        (code, msg.as_str()),
        (
            409,
            "Operation cannot be fulfilled on pods/binding \"own\": pod own is already assigned to node \"sim-worker-2\""
        )
    );
    tc.cluster.shutdown().await;
}
