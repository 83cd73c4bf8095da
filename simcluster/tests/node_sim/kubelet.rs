//! Image pull failures, crash loops, Jobs run to completion and graceful deletion.

use super::*;

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
