//! Tests of the HorizontalPodAutoscaler controller: metrics, replica decisions, conditions and events.
use super::*;

fn setup(metrics: bool) -> std::sync::Arc<Sim> {
    let mut sim = super::super::test_sim(false);
    std::sync::Arc::get_mut(&mut sim)
        .expect("not shared yet")
        .config
        .metrics_api = metrics;
    crate::controllers::bootstrap(&sim);
    let d = json!({"metadata": {"name": "web", "namespace": "default", "uid": "d", "generation": 1},
        "spec": {"replicas": 2, "selector": {"matchLabels": {"app": "web"}}}});
    sim.store
        .create(Key::new("apps/deployments", "default", "web"), d)
        .unwrap();
    let hpa = json!({"metadata": {"name": "web", "namespace": "default", "uid": "h"},
        "spec": {"scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": "web"}, "minReplicas": 1, "maxReplicas": 5,
            "metrics": [{"type": "Resource", "resource": {"name": "cpu", "target": {"type": "Utilization", "averageUtilization": 50}}}]},
        "status": {"desiredReplicas": 0, "currentMetrics": null}});
    sim.store
        .create(
            Key::new("autoscaling/horizontalpodautoscalers", "default", "web"),
            hpa,
        )
        .unwrap();
    sim
}

fn hpa(sim: &Sim) -> std::sync::Arc<Value> {
    sim.store
        .get(&Key::new(
            "autoscaling/horizontalpodautoscalers",
            "default",
            "web",
        ))
        .unwrap()
}

#[test]
fn without_metrics_api_reports_failed_get_resource_metric() {
    let sim = setup(false);
    reconcile(&sim);
    let h = hpa(&sim);
    assert_eq!(h["status"]["currentReplicas"], 2);
    assert_eq!(h["status"]["desiredReplicas"], 0);
    assert_eq!(h["status"]["currentMetrics"], json!([{"type": ""}]));
    assert_eq!(
        h["status"]["conditions"][1]["reason"],
        "FailedGetResourceMetric"
    );
    let reasons: Vec<String> = sim
        .store
        .list("events", Some("default"))
        .0
        .iter()
        .map(|e| e["reason"].as_str().unwrap().to_string())
        .collect();
    assert!(
        reasons.contains(&"FailedGetResourceMetric".to_string())
            && reasons.contains(&"FailedComputeMetricsReplicas".to_string())
    );
}

#[test]
fn replicas_follow_the_usage_the_metrics_api_reports() {
    let sim = setup(true);
    let started = (chrono::Utc::now() - chrono::Duration::hours(1))
        .format("%Y-%m-%dT%H:%M:%SZ")
        .to_string();
    let mut pods = Vec::new();
    for i in 0..2 {
        let n = format!("web-{i}");
        // Small requests: the usage model puts at least the idle usage of nginx on them.
        let pod = json!({"metadata": {"name": n, "namespace": "default", "labels": {"app": "web"}},
            "spec": {"containers": [{"name": "c", "image": "nginx:1.27", "resources": {"requests": {"cpu": "1m"}}}]},
            "status": {"phase": "Running", "containerStatuses": [{"name": "c", "state": {"running": {"startedAt": started}}}]}});
        sim.store
            .create(Key::new("pods", "default", &n), pod.clone())
            .unwrap();
        pods.push(pod);
    }
    reconcile(&sim);
    let h = hpa(&sim);
    let utilization = h["status"]["currentMetrics"][0]["resource"]["current"]["averageUtilization"]
        .as_i64()
        .expect("utilization reported");
    // The same usage the metrics API reports, against the 1m requests of the two pods.
    let at = crate::sim_metrics::sample_time(chrono::Utc::now());
    let used: i64 = pods
        .iter()
        .flat_map(|p| crate::sim_metrics::pod_usage(sim.config.random_seed, p, at))
        .map(|(_, u)| u.cpu_nanos / 1_000_000)
        .sum();
    assert_eq!(utilization, used * 100 / 2);
    // ceil(current * utilization / target) with the 0.1 tolerance, within min/max.
    let ratio = utilization as f64 / 50.0;
    let want = if (ratio - 1.0).abs() <= 0.1 {
        2
    } else {
        ((2.0 * ratio).ceil() as i64).clamp(1, 5)
    };
    assert!(
        want > 2,
        "idle nginx uses more than 1m: the HPA must scale up"
    );
    assert_eq!(h["status"]["desiredReplicas"], want);
    let d = sim
        .store
        .get(&Key::new("apps/deployments", "default", "web"))
        .unwrap();
    assert_eq!(d["spec"]["replicas"], want);
    assert_eq!(h["status"]["conditions"][0]["reason"], "SucceededRescale");
}
