//! The node side through the API (kube-rs and raw HTTP): scheduling and FailedScheduling, the
//! kubelet's pod lifecycle (Running, image pull failures, crash loops, Jobs, graceful deletion),
//! services with cluster IPs, node ports and endpoints, proxies, logs, metrics, bindings.

mod common;

use std::time::{Duration, Instant};

use futures::{AsyncBufReadExt, StreamExt};
use k8s_openapi::api::core::v1::Pod;
use kube::api::{Api, DeleteParams, LogParams};
use serde_json::{Value, json};
use simcluster::{Seed, SimConfig};

fn config() -> SimConfig {
    SimConfig {
        seed: Seed::Empty,
        metrics_api: true,
        kubelet_delay: Duration::from_millis(200),
        job_run_time: Duration::from_secs(1),
        ..SimConfig::default()
    }
}

/// A kube-rs client that does not retry 503s (the proxy errors are what we want to see).
async fn client(tc: &common::TestCluster) -> kube::Client {
    let kc = kube::config::Kubeconfig::read_from(&tc.kubeconfig).expect("read kubeconfig");
    let mut cfg =
        kube::Config::from_custom_kubeconfig(kc, &kube::config::KubeConfigOptions::default())
            .await
            .expect("config");
    cfg.default_retry = false;
    kube::Client::try_from(cfg).expect("client")
}

fn req(method: &str, path: &str, body: Option<Value>) -> http::Request<Vec<u8>> {
    let builder = http::Request::builder()
        .method(method)
        .uri(path)
        .header("content-type", "application/json");
    builder
        .body(body.map(|b| b.to_string().into_bytes()).unwrap_or_default())
        .unwrap()
}

async fn get(c: &kube::Client, path: &str) -> Value {
    c.request::<Value>(req("GET", path, None))
        .await
        .unwrap_or_else(|e| panic!("GET {path}: {e}"))
}

async fn post(c: &kube::Client, path: &str, body: Value) -> Value {
    c.request::<Value>(req("POST", path, Some(body)))
        .await
        .unwrap_or_else(|e| panic!("POST {path}: {e}"))
}

/// The Status of a failing request: (code, message).
async fn fails(c: &kube::Client, method: &str, path: &str, body: Option<Value>) -> (u16, String) {
    match c.request_text(req(method, path, body)).await {
        Err(kube::Error::Api(s)) => (s.code, s.message.clone()),
        other => panic!("{method} {path}: expected an API error, got {other:?}"),
    }
}

async fn namespace(c: &kube::Client, ns: &str) {
    post(c, "/api/v1/namespaces", json!({"metadata": {"name": ns}})).await;
    for _ in 0..100 {
        if c.request::<Value>(req(
            "GET",
            &format!("/api/v1/namespaces/{ns}/serviceaccounts/default"),
            None,
        ))
        .await
        .is_ok()
        {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("no default ServiceAccount in {ns}");
}

async fn pod(c: &kube::Client, ns: &str, spec: Value) -> Value {
    post(c, &format!("/api/v1/namespaces/{ns}/pods"), spec).await
}

/// Poll `path` until `ok` holds (10 s at most); returns the last object.
async fn until(c: &kube::Client, path: &str, what: &str, ok: impl Fn(&Value) -> bool) -> Value {
    let start = Instant::now();
    loop {
        let v = get(c, path).await;
        if ok(&v) {
            return v;
        }
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "timed out waiting for {what}: {v:#}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

fn condition<'a>(pod: &'a Value, kind: &str) -> &'a Value {
    pod["status"]["conditions"]
        .as_array()
        .and_then(|a| a.iter().find(|c| c["type"] == kind))
        .unwrap_or(&Value::Null)
}

async fn event_reasons(c: &kube::Client, ns: &str, name: &str) -> Vec<(String, String)> {
    let evs = get(
        c,
        &format!("/api/v1/namespaces/{ns}/events?fieldSelector=involvedObject.name%3D{name}"),
    )
    .await;
    evs["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["reason"].as_str().unwrap().to_string(),
                e["message"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn nginx(name: &str) -> Value {
    json!({"metadata": {"name": name, "labels": {"app": name}}, "spec": {"containers": [{"name": "app", "image": "nginx:1.27", "ports": [{"name": "http", "containerPort": 80}]}]}})
}

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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn image_failures_crash_loops_jobs_and_graceful_deletion() {
    let tc = common::TestCluster::start_with(config()).await;
    let c = client(&tc).await;
    namespace(&c, "sim").await;
    pod(&c, "sim", json!({"metadata": {"name": "broken"}, "spec": {"containers": [{"name": "app", "image": "nginx:doesnotexist"}]}})).await;
    pod(&c, "sim", json!({"metadata": {"name": "crash"}, "spec": {"containers": [{"name": "app", "image": "busybox:1.36", "command": ["sh", "-c", "echo boom; sleep 1; exit 2"]}]}})).await;
    let broken = until(
        &c,
        "/api/v1/namespaces/sim/pods/broken",
        "pull back-off",
        |p| p["status"]["containerStatuses"][0]["state"]["waiting"]["reason"] == "ImagePullBackOff",
    )
    .await;
    let waiting = &broken["status"]["containerStatuses"][0]["state"]["waiting"]["message"];
    assert!(waiting.as_str().unwrap().starts_with("Back-off pulling image \"nginx:doesnotexist\": ErrImagePull: rpc error: code = NotFound"), "{waiting}");
    assert_eq!(broken["status"]["phase"], "Pending");
    let reasons = event_reasons(&c, "sim", "broken").await;
    assert!(
        reasons.contains(&("Failed".into(), "Error: ErrImagePull".into())),
        "{reasons:?}"
    );
    assert!(
        reasons.contains(&(
            "BackOff".into(),
            "Back-off pulling image \"nginx:doesnotexist\"".into()
        )),
        "{reasons:?}"
    );
    let (code, msg) = fails(&c, "GET", "/api/v1/namespaces/sim/pods/broken/log", None).await;
    assert_eq!(
        (code, msg.as_str()),
        (
            400,
            "container \"app\" in pod \"broken\" is waiting to start: trying and failing to pull image"
        )
    );

    let crash = until(&c, "/api/v1/namespaces/sim/pods/crash", "crash loop", |p| {
        p["status"]["containerStatuses"][0]["state"]["waiting"]["reason"] == "CrashLoopBackOff"
    })
    .await;
    let cs = &crash["status"]["containerStatuses"][0];
    assert_eq!(
        (
            cs["restartCount"].as_i64(),
            cs["lastState"]["terminated"]["exitCode"].as_i64(),
            cs["lastState"]["terminated"]["reason"].as_str()
        ),
        (Some(1), Some(2), Some("Error"))
    );
    assert_eq!(crash["status"]["phase"], "Running");
    let previous = c
        .request_text(req(
            "GET",
            "/api/v1/namespaces/sim/pods/crash/log?previous=true",
            None,
        ))
        .await
        .unwrap();
    assert_eq!(previous, "boom\nerror: command failed with exit code 2\n");

    // A Job's pod (the Job is suspended so no controller adds pods of its own) runs and succeeds.
    let job = post(&c, "/apis/batch/v1/namespaces/sim/jobs", json!({"metadata": {"name": "once"}, "spec": {"suspend": true, "template": {"spec": {"restartPolicy": "Never", "containers": [{"name": "main", "image": "busybox:1.36", "command": ["sh", "-c", "echo working"]}]}}}})).await;
    pod(&c, "sim", json!({"metadata": {"name": "once-abcde", "ownerReferences": [{"apiVersion": "batch/v1", "kind": "Job", "name": "once", "uid": job["metadata"]["uid"], "controller": true}]},
        "spec": {"restartPolicy": "Never", "containers": [{"name": "main", "image": "busybox:1.36", "command": ["sh", "-c", "echo working"]}]}})).await;
    let done = until(
        &c,
        "/api/v1/namespaces/sim/pods/once-abcde",
        "job pod done",
        |p| p["status"]["phase"] == "Succeeded",
    )
    .await;
    let t = &done["status"]["containerStatuses"][0]["state"]["terminated"];
    assert_eq!(
        (t["exitCode"].as_i64(), t["reason"].as_str()),
        (Some(0), Some("Completed"))
    );
    assert_eq!(condition(&done, "Ready")["reason"], "PodCompleted");

    // Deleting honours the grace period: a container that ignores SIGTERM keeps the pod until it ends.
    pod(&c, "sim", json!({"metadata": {"name": "sleeper"}, "spec": {"terminationGracePeriodSeconds": 2, "containers": [{"name": "app", "image": "busybox:1.36", "command": ["sleep", "3600"]}]}})).await;
    until(
        &c,
        "/api/v1/namespaces/sim/pods/sleeper",
        "sleeper running",
        |p| p["status"]["phase"] == "Running",
    )
    .await;
    let pods: Api<Pod> = Api::namespaced(c.clone(), "sim");
    let started = Instant::now();
    pods.delete("sleeper", &DeleteParams::default())
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_millis(500)).await;
    let marked = get(&c, "/api/v1/namespaces/sim/pods/sleeper").await;
    assert_eq!(marked["metadata"]["deletionGracePeriodSeconds"], 2);
    assert!(
        event_reasons(&c, "sim", "sleeper")
            .await
            .contains(&("Killing".into(), "Stopping container app".into()))
    );
    while pods.get_opt("sleeper").await.unwrap().is_some() {
        assert!(
            started.elapsed() < Duration::from_secs(6),
            "sleeper never went away"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(
        started.elapsed() >= Duration::from_millis(1900),
        "removed before its grace period: {:?}",
        started.elapsed()
    );
    tc.cluster.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn services_endpoints_and_proxies() {
    let tc = common::TestCluster::start_with(config()).await;
    let c = client(&tc).await;
    namespace(&c, "sim").await;
    let k8s = get(&c, "/api/v1/namespaces/default/services/kubernetes").await;
    assert_eq!(k8s["spec"]["clusterIP"], "10.96.0.1");
    pod(&c, "sim", nginx("web")).await;
    let svc = post(&c, "/api/v1/namespaces/sim/services", json!({"metadata": {"name": "web"}, "spec": {"type": "NodePort", "selector": {"app": "web"}, "ports": [{"name": "http", "port": 80, "targetPort": "http"}]}})).await;
    let ip: std::net::Ipv4Addr = svc["spec"]["clusterIP"].as_str().unwrap().parse().unwrap();
    assert_eq!(ip.octets()[0..2], [10, ip.octets()[1]]);
    assert!((96..112).contains(&ip.octets()[1]), "{ip}");
    assert_eq!(svc["spec"]["clusterIPs"], json!([ip.to_string()]));
    let node_port = svc["spec"]["ports"][0]["nodePort"].as_i64().unwrap();
    assert!((30000..=32767).contains(&node_port));
    let clash = json!({"metadata": {"name": "clash"}, "spec": {"type": "NodePort", "selector": {"app": "x"}, "ports": [{"port": 80, "nodePort": node_port}]}});
    let (code, msg) = fails(&c, "POST", "/api/v1/namespaces/sim/services", Some(clash)).await;
    assert_eq!(
        (code, msg),
        (
            422,
            format!(
                "Service \"clash\" is invalid: spec.ports[0].nodePort: Invalid value: {node_port}: provided port is already allocated"
            )
        )
    );
    // Updates keep the allocated values.
    let mut again = get(&c, "/api/v1/namespaces/sim/services/web").await;
    again["metadata"]["labels"] = json!({"tier": "web"});
    let updated = c
        .request::<Value>(req(
            "PUT",
            "/api/v1/namespaces/sim/services/web",
            Some(again),
        ))
        .await
        .unwrap();
    assert_eq!(
        (
            updated["spec"]["clusterIP"].as_str(),
            updated["spec"]["ports"][0]["nodePort"].as_i64()
        ),
        (Some(ip.to_string().as_str()), Some(node_port))
    );

    // Back to ClusterIP: the node port goes, the cluster IP stays.
    let patch = http::Request::patch("/api/v1/namespaces/sim/services/web")
        .header("content-type", "application/merge-patch+json")
        .body(br#"{"spec":{"type":"ClusterIP"}}"#.to_vec())
        .unwrap();
    let plain = c.request::<Value>(patch).await.unwrap();
    assert_eq!(
        (
            plain["spec"]["ports"][0].get("nodePort"),
            plain["spec"]["clusterIP"].as_str()
        ),
        (None, Some(ip.to_string().as_str()))
    );
    let web = until(&c, "/api/v1/namespaces/sim/pods/web", "web ready", |p| {
        condition(p, "Ready")["status"] == "True"
    })
    .await;
    let pod_ip = web["status"]["podIP"].as_str().unwrap().to_string();
    let eps = until(
        &c,
        "/api/v1/namespaces/sim/endpoints/web",
        "endpoints",
        |e| e["subsets"].is_array(),
    )
    .await;
    assert_eq!(eps["subsets"][0]["addresses"][0]["ip"], pod_ip.as_str());
    assert_eq!(
        eps["subsets"][0]["addresses"][0]["targetRef"]["name"],
        "web"
    );
    assert_eq!(
        eps["subsets"][0]["ports"],
        json!([{"name": "http", "port": 80, "protocol": "TCP"}])
    );
    let slices = get(&c, "/apis/discovery.k8s.io/v1/namespaces/sim/endpointslices?labelSelector=kubernetes.io%2Fservice-name%3Dweb").await;
    let slice = &slices["items"][0];
    assert_eq!(slice["endpoints"][0]["addresses"], json!([pod_ip]));
    assert_eq!(
        slice["endpoints"][0]["conditions"],
        json!({"ready": true, "serving": true, "terminating": false})
    );
    assert_eq!(
        slice["ports"],
        json!([{"name": "http", "protocol": "TCP", "port": 80}])
    );
    assert_eq!(slice["metadata"]["ownerReferences"][0]["kind"], "Service");

    let page = c
        .request_text(req(
            "GET",
            "/api/v1/namespaces/sim/pods/web:80/proxy/hello?a=b",
            None,
        ))
        .await
        .unwrap();
    assert!(
        page.contains("<td>Path</td><td>/hello</td>")
            && page.contains("<td>Query</td><td>a=b</td>")
            && page.contains("nginx:1.27"),
        "{page}"
    );
    let via = c
        .request_text(req(
            "POST",
            "/api/v1/namespaces/sim/services/web:80/proxy/submit",
            Some(json!({"x": 1})),
        ))
        .await
        .unwrap();
    assert!(
        via.contains("<td>Service</td><td>web</td>")
            && via.contains("<td>Method</td><td>POST</td>"),
        "{via}"
    );
    let (code, msg) = fails(&c, "GET", "/api/v1/namespaces/sim/pods/web:81/proxy/", None).await;
    assert_eq!(
        (code, msg),
        (
            503,
            format!(
                "error trying to reach service: dial tcp {pod_ip}:81: connect: connection refused"
            )
        )
    );
    post(&c, "/api/v1/namespaces/sim/services", json!({"metadata": {"name": "empty"}, "spec": {"selector": {"app": "none"}, "ports": [{"port": 80}]}})).await;
    let start = Instant::now();
    while c
        .request_text(req("GET", "/api/v1/namespaces/sim/endpoints/empty", None))
        .await
        .is_err()
    {
        assert!(
            start.elapsed() < Duration::from_secs(5),
            "no endpoints object for a service without pods"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let (code, msg) = fails(
        &c,
        "GET",
        "/api/v1/namespaces/sim/services/empty/proxy/",
        None,
    )
    .await;
    assert_eq!(
        (code, msg.as_str()),
        (503, "no endpoints available for service \"empty\"")
    );

    c.request_text(req("DELETE", "/api/v1/namespaces/sim/services/web", None))
        .await
        .unwrap();
    let start = Instant::now();
    while c
        .request_text(req("GET", "/api/v1/namespaces/sim/endpoints/web", None))
        .await
        .is_ok()
    {
        assert!(
            start.elapsed() < Duration::from_secs(5),
            "endpoints of a deleted service remain"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    tc.cluster.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn logs_and_metrics() {
    let tc = common::TestCluster::start_with(config()).await;
    let c = client(&tc).await;
    namespace(&c, "sim").await;
    let mut web = nginx("web");
    web["spec"]["containers"][0]["resources"] = json!({"requests": {"cpu": "200m", "memory": "64Mi"}, "limits": {"cpu": "300m", "memory": "128Mi"}});
    pod(&c, "sim", web).await;
    pod(&c, "sim", json!({"metadata": {"name": "ticker"}, "spec": {"containers": [{"name": "tick", "image": "busybox:1.36", "command": ["sh", "-c", "while true; do echo tick; sleep 1; done"]}, {"name": "side", "image": "nginx:1.27"}]}})).await;
    until(&c, "/api/v1/namespaces/sim/pods/web", "web running", |p| {
        p["status"]["phase"] == "Running"
    })
    .await;
    until(
        &c,
        "/api/v1/namespaces/sim/pods/ticker",
        "ticker running",
        |p| p["status"]["phase"] == "Running",
    )
    .await;
    let log = c
        .request_text(req("GET", "/api/v1/namespaces/sim/pods/web/log", None))
        .await
        .unwrap();
    assert!(
        log.starts_with("/docker-entrypoint.sh: /docker-entrypoint.d/ is not empty"),
        "{log}"
    );
    let tail = c
        .request_text(req(
            "GET",
            "/api/v1/namespaces/sim/pods/web/log?tailLines=2&timestamps=true",
            None,
        ))
        .await
        .unwrap();
    assert_eq!(tail.lines().count(), 2, "{tail}");
    assert!(
        tail.lines()
            .all(|l| l.len() > 31 && &l[10..11] == "T" && &l[29..31] == "Z "),
        "{tail}"
    );
    let limited = c
        .request_text(req(
            "GET",
            "/api/v1/namespaces/sim/pods/web/log?limitBytes=10",
            None,
        ))
        .await
        .unwrap();
    assert_eq!(limited.len(), 10);
    let (code, msg) = fails(&c, "GET", "/api/v1/namespaces/sim/pods/ticker/log", None).await;
    assert_eq!(
        (code, msg.as_str()),
        (
            400,
            "a container name must be specified for pod ticker, choose one of: [tick side]"
        )
    );
    let (code, msg) = fails(
        &c,
        "GET",
        "/api/v1/namespaces/sim/pods/web/log?tailLines=-1",
        None,
    )
    .await;
    assert_eq!(
        (code, msg.as_str()),
        (
            422,
            "PodLogOptions \"web\" is invalid: tailLines: Invalid value: -1: must be greater than or equal to 0"
        )
    );
    let (code, msg) = fails(
        &c,
        "GET",
        "/api/v1/namespaces/sim/pods/web/log?previous=true",
        None,
    )
    .await;
    assert_eq!(
        (code, msg.as_str()),
        (
            400,
            "previous terminated container \"app\" in pod \"web\" not found"
        )
    );

    // follow: new lines arrive while the container runs.
    let pods: Api<Pod> = Api::namespaced(c.clone(), "sim");
    let params = LogParams {
        container: Some("tick".into()),
        follow: true,
        tail_lines: Some(1),
        ..LogParams::default()
    };
    let mut lines = pods.log_stream("ticker", &params).await.unwrap().lines();
    let first_two = tokio::time::timeout(Duration::from_secs(6), async {
        let a = lines.next().await.unwrap().unwrap();
        let b = lines.next().await.unwrap().unwrap();
        (a, b)
    })
    .await
    .expect("two lines within 6 s");
    assert_eq!(first_two, ("tick".to_string(), "tick".to_string()));

    // metrics.k8s.io: nodes and pods, stable within a scrape window, below limits.
    let nodes = get(&c, "/apis/metrics.k8s.io/v1beta1/nodes").await;
    assert_eq!(nodes["kind"], "NodeMetricsList");
    let items = nodes["items"].as_array().unwrap();
    assert_eq!(items.len(), 4);
    assert!(
        items
            .iter()
            .all(|n| n["usage"]["cpu"].as_str().unwrap().ends_with('n')
                && n["usage"]["memory"].as_str().unwrap().ends_with("Ki"))
    );
    let one = get(&c, "/apis/metrics.k8s.io/v1beta1/namespaces/sim/pods/web").await;
    assert_eq!(
        (one["kind"].as_str(), one["containers"][0]["name"].as_str()),
        (Some("PodMetrics"), Some("app"))
    );
    let cpu: i64 = one["containers"][0]["usage"]["cpu"]
        .as_str()
        .unwrap()
        .trim_end_matches('n')
        .parse()
        .unwrap();
    assert!(cpu > 0 && cpu <= 300_000_000, "{cpu}");
    let selected = get(
        &c,
        "/apis/metrics.k8s.io/v1beta1/pods?labelSelector=app%3Dweb",
    )
    .await;
    assert_eq!(selected["items"].as_array().unwrap().len(), 1);
    let (code, msg) = fails(
        &c,
        "GET",
        "/apis/metrics.k8s.io/v1beta1/namespaces/sim/pods/nope",
        None,
    )
    .await;
    assert_eq!(
        (code, msg.as_str()),
        (404, "podmetrics.metrics.k8s.io \"sim/nope\" not found")
    );
    tc.cluster.shutdown().await;

    let off = common::TestCluster::start_with(SimConfig {
        metrics_api: false,
        ..config()
    })
    .await;
    let c = client(&off).await;
    match c
        .request_text(req("GET", "/apis/metrics.k8s.io/v1beta1/nodes", None))
        .await
    {
        Err(kube::Error::Api(s)) => assert_eq!(s.code, 404),
        other => panic!("metrics without the API: {other:?}"),
    }
    off.cluster.shutdown().await;
}
