//! Cells of the workload and networking printers.

use serde_json::{Value, json};

use super::{cells, columns};

pub(super) fn meta(name: &str) -> Value {
    json!({"name": name, "namespace": "ns", "creationTimestamp": "2026-02-27T12:00:00Z", "resourceVersion": "1"})
}

pub(super) fn names(list: &[(String, i64)]) -> Vec<&str> {
    list.iter().map(|(n, _)| n.as_str()).collect()
}

#[test]
fn deployments_replicasets_statefulsets_daemonsets() {
    let tpl = json!({"metadata": {"labels": {"app": "web"}},
        "spec": {"containers": [{"name": "web", "image": "nginx:1.27"}, {"name": "log", "image": "fluentd"}]}});
    let d = json!({"metadata": meta("web"), "spec": {"replicas": 3, "selector": {"matchLabels": {"app": "web"}},
        "template": tpl}, "status": {"replicas": 3, "updatedReplicas": 3, "readyReplicas": 2, "availableReplicas": 2}});
    assert_eq!(
        names(&columns("apps", "deployments")),
        [
            "Name",
            "Ready",
            "Up-to-date",
            "Available",
            "Age",
            "Containers",
            "Images",
            "Selector"
        ]
    );
    assert_eq!(
        cells("apps", "deployments", &d),
        [
            json!("web"),
            json!("2/3"),
            json!(3),
            json!(2),
            json!("2d"),
            json!("web,log"),
            json!("nginx:1.27,fluentd"),
            json!("app=web")
        ]
    );
    let rs = json!({"metadata": meta("web-5d4f8b7c9"), "spec": {"replicas": 1,
        "selector": {"matchLabels": {"app": "web", "pod-template-hash": "5d4f8b7c9"}}, "template": tpl},
        "status": {"replicas": 1, "observedGeneration": 1}});
    assert_eq!(
        cells("apps", "replicasets", &rs),
        [
            json!("web-5d4f8b7c9"),
            json!(1),
            json!(1),
            json!(0),
            json!("2d"),
            json!("web,log"),
            json!("nginx:1.27,fluentd"),
            json!("app=web,pod-template-hash=5d4f8b7c9")
        ]
    );
    let rc = json!({"metadata": meta("old"), "spec": {"replicas": 2, "selector": {"app": "old"}, "template": tpl},
        "status": {"replicas": 2, "readyReplicas": 2}});
    assert_eq!(
        cells("", "replicationcontrollers", &rc)[1..4],
        [json!(2), json!(2), json!(2)]
    );
    assert_eq!(cells("", "replicationcontrollers", &rc)[7], "app=old");
    let sts = json!({"metadata": meta("db"), "spec": {"replicas": 3, "template": tpl}, "status": {"readyReplicas": 1}});
    assert_eq!(
        names(&columns("apps", "statefulsets")),
        ["Name", "Ready", "Age", "Containers", "Images"]
    );
    assert_eq!(
        cells("apps", "statefulsets", &sts),
        [
            json!("db"),
            json!("1/3"),
            json!("2d"),
            json!("web,log"),
            json!("nginx:1.27,fluentd")
        ]
    );
    let ds = json!({"metadata": meta("agent"), "spec": {"selector": {"matchLabels": {"app": "agent"}},
        "template": {"spec": {"nodeSelector": {"kubernetes.io/os": "linux"}, "containers": [{"name": "a", "image": "agent:1"}]}}},
        "status": {"desiredNumberScheduled": 2, "currentNumberScheduled": 2, "numberReady": 1, "updatedNumberScheduled": 2, "numberAvailable": 1}});
    assert_eq!(
        cells("apps", "daemonsets", &ds),
        [
            json!("agent"),
            json!(2),
            json!(2),
            json!(1),
            json!(2),
            json!(1),
            json!("kubernetes.io/os=linux"),
            json!("2d"),
            json!("a"),
            json!("agent:1"),
            json!("app=agent")
        ]
    );
}

#[test]
fn jobs_and_cronjobs() {
    // The Job of the workloads-misc golden scenario, started 90 s ago.
    let job = json!({"metadata": meta("golden-job"), "spec": {"parallelism": 2, "completions": 2,
        "selector": {"matchLabels": {"batch.kubernetes.io/controller-uid": "abc"}},
        "template": {"spec": {"containers": [{"name": "work", "image": "busybox:1.36"}]}}},
        "status": {"startTime": "2026-03-01T11:58:30Z", "active": 2, "ready": 0}});
    assert_eq!(
        names(&columns("batch", "jobs")),
        [
            "Name",
            "Status",
            "Completions",
            "Duration",
            "Age",
            "Containers",
            "Images",
            "Selector"
        ]
    );
    assert_eq!(
        cells("batch", "jobs", &job),
        [
            json!("golden-job"),
            json!("Running"),
            json!("0/2"),
            json!("90s"),
            json!("2d"),
            json!("work"),
            json!("busybox:1.36"),
            json!("batch.kubernetes.io/controller-uid=abc")
        ]
    );
    let done = json!({"metadata": meta("once"), "spec": {"parallelism": 3, "template": {"spec": {"containers": []}}},
        "status": {"startTime": "2026-03-01T10:00:00Z", "completionTime": "2026-03-01T10:03:02Z", "succeeded": 1,
                   "conditions": [{"type": "SuccessCriteriaMet", "status": "True"}, {"type": "Complete", "status": "True"}]}});
    let c = cells("batch", "jobs", &done);
    assert_eq!(
        c[1..4],
        [json!("Complete"), json!("1/1 of 3"), json!("3m2s")]
    );
    let pending = json!({"metadata": meta("new"), "spec": {"completions": 1}, "status": {}});
    assert_eq!(
        cells("batch", "jobs", &pending)[1..4],
        [json!("Running"), json!("0/1"), json!("")]
    );

    let cj = json!({"metadata": meta("nightly"), "spec": {"schedule": "0 3 * * *", "suspend": false,
        "concurrencyPolicy": "Allow", "jobTemplate": {"spec": {"template": {"spec": {"containers": [{"name": "c", "image": "busybox"}]}}}}},
        "status": {}});
    assert_eq!(
        names(&columns("batch", "cronjobs")),
        [
            "Name",
            "Schedule",
            "Timezone",
            "Suspend",
            "Active",
            "Last Schedule",
            "Age",
            "Containers",
            "Images",
            "Selector"
        ]
    );
    assert_eq!(
        cells("batch", "cronjobs", &cj),
        [
            json!("nightly"),
            json!("0 3 * * *"),
            json!("<none>"),
            json!("False"),
            json!(0),
            json!("<none>"),
            json!("2d"),
            json!("c"),
            json!("busybox"),
            json!("<none>")
        ]
    );
}

#[test]
fn services_endpoints_slices_ingresses() {
    let svc = json!({"metadata": meta("web"), "spec": {"type": "ClusterIP", "clusterIP": "10.96.0.10",
        "clusterIPs": ["10.96.0.10"], "ports": [{"port": 80, "protocol": "TCP", "targetPort": 8080}],
        "selector": {"app": "web"}}});
    assert_eq!(
        names(&columns("", "services")),
        [
            "Name",
            "Type",
            "Cluster-IP",
            "External-IP",
            "Port(s)",
            "Age",
            "Selector"
        ]
    );
    assert_eq!(
        cells("", "services", &svc),
        [
            json!("web"),
            json!("ClusterIP"),
            json!("10.96.0.10"),
            json!("<none>"),
            json!("80/TCP"),
            json!("2d"),
            json!("app=web")
        ]
    );
    let np = json!({"metadata": meta("np"), "spec": {"type": "NodePort", "clusterIPs": ["10.96.0.11"],
        "ports": [{"port": 80, "protocol": "TCP", "nodePort": 30080}, {"port": 53, "protocol": "UDP", "nodePort": 30053}]}});
    assert_eq!(cells("", "services", &np)[4], "80:30080/TCP,53:30053/UDP");
    assert_eq!(cells("", "services", &np)[6], "<none>");
    let lb = json!({"metadata": meta("lb"), "spec": {"type": "LoadBalancer", "clusterIPs": ["10.96.0.12"], "ports": []},
        "status": {"loadBalancer": {}}});
    assert_eq!(
        cells("", "services", &lb)[3..5],
        [json!("<pending>"), json!("<none>")]
    );
    let ext = json!({"metadata": meta("ext"), "spec": {"type": "ExternalName", "externalName": "example.com"}});
    assert_eq!(
        cells("", "services", &ext)[2..4],
        [json!("<none>"), json!("example.com")]
    );

    let ep = json!({"metadata": meta("web"), "subsets": [{"addresses": [{"ip": "10.0.0.1"}, {"ip": "10.0.0.2"}],
        "ports": [{"port": 8080}, {"port": 9090}]}]});
    assert_eq!(
        cells("", "endpoints", &ep)[1],
        "10.0.0.1:8080,10.0.0.2:8080,10.0.0.1:9090 + 1 more..."
    );
    assert_eq!(
        cells("", "endpoints", &json!({"metadata": meta("none")}))[1],
        "<none>"
    );
    let eps = json!({"metadata": meta("web-abcde"), "addressType": "IPv4", "ports": [{"name": "http", "port": 80, "protocol": "TCP"}],
        "endpoints": [{"addresses": ["10.0.0.1"]}, {"addresses": ["10.0.0.2"]}]});
    assert_eq!(
        cells("discovery.k8s.io", "endpointslices", &eps),
        [
            json!("web-abcde"),
            json!("IPv4"),
            json!("80"),
            json!("10.0.0.1,10.0.0.2"),
            json!("2d")
        ]
    );
    let empty = json!({"metadata": meta("e"), "addressType": "IPv4", "endpoints": null});
    assert_eq!(
        cells("discovery.k8s.io", "endpointslices", &empty)[2..4],
        [json!("<unset>"), json!("<unset>")]
    );

    let ing = json!({"metadata": meta("ing"), "spec": {"ingressClassName": "nginx", "rules": [{"host": "a.example.com"}, {"host": "b.example.com"}],
        "tls": [{"hosts": ["a.example.com"]}]}, "status": {"loadBalancer": {"ingress": [{"ip": "192.0.2.1"}]}}});
    assert_eq!(
        cells("networking.k8s.io", "ingresses", &ing),
        [
            json!("ing"),
            json!("nginx"),
            json!("a.example.com,b.example.com"),
            json!("192.0.2.1"),
            json!("80, 443"),
            json!("2d")
        ]
    );
}
