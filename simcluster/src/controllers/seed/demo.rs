//! The workloads of `--seed demo`: a shop (web frontend, API, cache, database, a broken image),
//! an analytics team (dashboard, cron jobs, a batch job, a crash-looping notifier), an ML team
//! (GPU inference and training, a GPU quota), and what kube-system holds on a kubeadm cluster.

use serde_json::{Value, json};

/// One object to create: apiVersion, resource, namespace, body.
pub type Obj = (&'static str, &'static str, &'static str, Value);

fn container(
    name: &str,
    image: &str,
    port: Option<(&str, i64)>,
    req: (&str, &str),
    lim: Option<(&str, &str)>,
) -> Value {
    let mut c = json!({"name": name, "image": image, "resources": {"requests": {"cpu": req.0, "memory": req.1}}});
    if let Some((cpu, mem)) = lim {
        c["resources"]["limits"] = json!({"cpu": cpu, "memory": mem});
    }
    if let Some((pname, p)) = port {
        c["ports"] = json!([{"name": pname, "containerPort": p, "protocol": "TCP"}]);
    }
    c
}

fn deployment(
    ns: &'static str,
    name: &str,
    replicas: i64,
    mut pod_spec: Value,
    extra_labels: Value,
) -> Obj {
    let mut labels = json!({"app": name});
    if let (Some(l), Some(e)) = (labels.as_object_mut(), extra_labels.as_object()) {
        l.extend(e.clone());
    }
    if pod_spec.get("containers").is_none() {
        pod_spec = json!({"containers": [pod_spec]});
    }
    (
        "apps/v1",
        "deployments",
        ns,
        json!({
            "metadata": {"name": name, "labels": labels},
            "spec": {"replicas": replicas, "selector": {"matchLabels": {"app": name}}, "template": {"metadata": {"labels": labels}, "spec": pod_spec}},
        }),
    )
}

fn service(ns: &'static str, name: &str, selector: Value, ports: Value, extra: Value) -> Obj {
    let mut spec = json!({"selector": selector, "ports": ports});
    if let (Some(s), Some(e)) = (spec.as_object_mut(), extra.as_object()) {
        s.extend(e.clone());
    }
    (
        "v1",
        "services",
        ns,
        json!({"metadata": {"name": name, "labels": {"app": name}}, "spec": spec}),
    )
}

fn namespace(name: &str, team: &str) -> Obj {
    (
        "v1",
        "namespaces",
        "",
        json!({"metadata": {"name": name, "labels": {"team": team}}}),
    )
}

fn job_template(image: &str, command: Value, req: (&str, &str)) -> Value {
    json!({"spec": {"restartPolicy": "Never", "containers": [{"name": "main", "image": image, "command": command, "resources": {"requests": {"cpu": req.0, "memory": req.1}}}]}})
}

fn gpu_tolerations() -> Value {
    json!([{"key": "nvidia.com/gpu", "operator": "Exists", "effect": "NoSchedule"}])
}

/// The shop, analytics and ml namespaces and everything in them.
pub fn workloads() -> Vec<Obj> {
    let mut v = vec![
        (
            "storage.k8s.io/v1",
            "storageclasses",
            "",
            json!({
                "metadata": {"name": "standard", "annotations": {"storageclass.kubernetes.io/is-default-class": "true"}},
                "provisioner": "rancher.io/local-path", "reclaimPolicy": "Delete", "volumeBindingMode": "WaitForFirstConsumer",
            }),
        ),
        namespace("shop", "storefront"),
        namespace("analytics", "data"),
        namespace("ml", "ml-platform"),
        (
            "v1",
            "configmaps",
            "shop",
            json!({"metadata": {"name": "frontend-config"}, "data": {
                "default.conf": "server {\n    listen 80;\n    location / { root /usr/share/nginx/html; }\n    location /api/ { proxy_pass http://catalog; }\n}\n",
            }}),
        ),
        (
            "v1",
            "secrets",
            "shop",
            json!({"metadata": {"name": "shop-db"}, "type": "Opaque", "stringData": {"username": "shop", "password": "s3cr3t-demo"}}),
        ),
    ];
    let mut frontend = container(
        "nginx",
        "nginx:1.27",
        Some(("http", 80)),
        ("100m", "128Mi"),
        Some(("500m", "256Mi")),
    );
    frontend["readinessProbe"] = json!({"httpGet": {"path": "/", "port": "http"}, "initialDelaySeconds": 2, "periodSeconds": 5});
    v.push(deployment(
        "shop",
        "frontend",
        3,
        frontend,
        json!({"tier": "web"}),
    ));
    v.push(service(
        "shop",
        "frontend",
        json!({"app": "frontend"}),
        json!([{"name": "http", "port": 80, "targetPort": "http", "nodePort": 30080}]),
        json!({"type": "NodePort"}),
    ));
    let mut catalog = container(
        "catalog",
        "hashicorp/http-echo:1.0",
        Some(("http", 5678)),
        ("50m", "64Mi"),
        Some(("250m", "128Mi")),
    );
    catalog["args"] = json!(["-text=catalog v2.4.1", "-listen=:5678"]);
    v.push(deployment(
        "shop",
        "catalog",
        2,
        catalog,
        json!({"tier": "api"}),
    ));
    v.push(service(
        "shop",
        "catalog",
        json!({"app": "catalog"}),
        json!([{"name": "http", "port": 80, "targetPort": "http"}]),
        json!({}),
    ));
    v.push(deployment(
        "shop",
        "cart",
        1,
        container(
            "redis",
            "redis:7.2-alpine",
            Some(("redis", 6379)),
            ("100m", "128Mi"),
            Some(("500m", "512Mi")),
        ),
        json!({"tier": "cache"}),
    ));
    v.push(service(
        "shop",
        "cart-redis",
        json!({"app": "cart"}),
        json!([{"name": "redis", "port": 6379, "targetPort": "redis"}]),
        json!({}),
    ));
    v.push(deployment(
        "shop",
        "recommendations",
        1,
        container(
            "app",
            "ghcr.io/example-shop/recommendations:doesnotexist",
            Some(("http", 8080)),
            ("100m", "128Mi"),
            None,
        ),
        json!({"tier": "api"}),
    ));
    let mut pg = container(
        "postgres",
        "postgres:16",
        Some(("postgres", 5432)),
        ("250m", "512Mi"),
        Some(("1", "1Gi")),
    );
    pg["env"] = json!([{"name": "POSTGRES_USER", "valueFrom": {"secretKeyRef": {"name": "shop-db", "key": "username"}}}, {"name": "POSTGRES_PASSWORD", "valueFrom": {"secretKeyRef": {"name": "shop-db", "key": "password"}}}]);
    v.push(("apps/v1", "statefulsets", "shop", json!({
        "metadata": {"name": "postgres", "labels": {"app": "postgres"}},
        "spec": {
            "serviceName": "postgres", "replicas": 1, "selector": {"matchLabels": {"app": "postgres"}},
            "template": {"metadata": {"labels": {"app": "postgres", "tier": "db"}}, "spec": {"containers": [pg]}},
            "volumeClaimTemplates": [{"metadata": {"name": "data"}, "spec": {"accessModes": ["ReadWriteOnce"], "storageClassName": "standard", "resources": {"requests": {"storage": "10Gi"}}}}],
        },
    })));
    v.push(service(
        "shop",
        "postgres",
        json!({"app": "postgres"}),
        json!([{"name": "postgres", "port": 5432}]),
        json!({"clusterIP": "None"}),
    ));
    v.push(("v1", "persistentvolumeclaims", "shop", json!({"metadata": {"name": "uploads"}, "spec": {"accessModes": ["ReadWriteOnce"], "storageClassName": "standard", "resources": {"requests": {"storage": "5Gi"}}}})));

    v.push(deployment(
        "analytics",
        "dashboard",
        1,
        container(
            "grafana",
            "grafana/grafana:11.1.0",
            Some(("http", 3000)),
            ("250m", "256Mi"),
            Some(("1", "512Mi")),
        ),
        json!({}),
    ));
    v.push(service(
        "analytics",
        "dashboard",
        json!({"app": "dashboard"}),
        json!([{"name": "http", "port": 80, "targetPort": "http"}]),
        json!({}),
    ));
    let mut notifier = container(
        "notifier",
        "busybox:1.36",
        None,
        ("10m", "16Mi"),
        Some(("100m", "64Mi")),
    );
    notifier["command"] = json!([
        "sh",
        "-c",
        "echo \"connecting to smtp.internal:25\"; sleep 8; echo \"error: connection refused\"; exit 1"
    ]);
    v.push(deployment("analytics", "notifier", 1, notifier, json!({})));
    for (name, schedule) in [
        ("nightly-report", "0 2 * * *"),
        ("hourly-sync", "15 * * * *"),
    ] {
        let tpl = job_template(
            "busybox:1.36",
            json!(["sh", "-c", format!("echo running {name}; sleep 20")]),
            ("50m", "64Mi"),
        );
        v.push(("batch/v1", "cronjobs", "analytics", json!({"metadata": {"name": name}, "spec": {"schedule": schedule, "jobTemplate": {"spec": {"backoffLimit": 2, "template": tpl}}}})));
    }
    let tpl = job_template(
        "busybox:1.36",
        json!(["sh", "-c", "echo backfilling events for 2026-11; sleep 30"]),
        ("200m", "128Mi"),
    );
    v.push(("batch/v1", "jobs", "analytics", json!({"metadata": {"name": "backfill-2026-11"}, "spec": {"completions": 3, "parallelism": 1, "backoffLimit": 2, "template": tpl}})));

    v.push(("v1", "resourcequotas", "ml", json!({"metadata": {"name": "gpu-quota"}, "spec": {"hard": {"requests.nvidia.com/gpu": "4", "pods": "20"}}})));
    let mut triton = container(
        "triton",
        "nvcr.io/nvidia/tritonserver:24.08-py3",
        Some(("http", 8000)),
        ("2", "8Gi"),
        Some(("4", "16Gi")),
    );
    triton["resources"]["requests"]["nvidia.com/gpu"] = json!("1");
    triton["resources"]["limits"]["nvidia.com/gpu"] = json!("1");
    v.push(deployment("ml", "inference", 1, json!({"containers": [triton], "tolerations": gpu_tolerations(), "nodeSelector": {"nvidia.com/gpu.present": "true"}}), json!({})));
    v.push(service(
        "ml",
        "inference",
        json!({"app": "inference"}),
        json!([{"name": "http", "port": 8000, "targetPort": "http"}]),
        json!({}),
    ));
    let mut train = job_template(
        "pytorch/pytorch:2.4.0-cuda12.1-cudnn9-runtime",
        json!(["python", "train.py", "--epochs=3"]),
        ("4", "16Gi"),
    );
    train["spec"]["containers"][0]["resources"]["limits"] = json!({"nvidia.com/gpu": "2"});
    train["spec"]["containers"][0]["resources"]["requests"]["nvidia.com/gpu"] = json!("2");
    train["spec"]["tolerations"] = gpu_tolerations();
    train["spec"]["nodeSelector"] = json!({"nvidia.com/gpu.present": "true"});
    v.push(("batch/v1", "jobs", "ml", json!({"metadata": {"name": "fine-tune-llama"}, "spec": {"backoffLimit": 1, "template": train}})));
    v
}

/// What kubeadm puts into kube-system: CoreDNS, kube-proxy, metrics-server (when served).
pub fn kube_system(metrics: bool) -> Vec<Obj> {
    let corefile = ".:53 {\n    errors\n    health {\n       lameduck 5s\n    }\n    ready\n    kubernetes cluster.local in-addr.arpa ip6.arpa {\n       pods insecure\n       fallthrough in-addr.arpa ip6.arpa\n       ttl 30\n    }\n    prometheus :9153\n    forward . /etc/resolv.conf {\n       max_concurrent 1000\n    }\n    cache 30\n    loop\n    reload\n    loadbalance\n}\n";
    let mut v = vec![(
        "v1",
        "configmaps",
        "kube-system",
        json!({"metadata": {"name": "coredns"}, "data": {"Corefile": corefile}}),
    )];
    let mut dns = container(
        "coredns",
        "registry.k8s.io/coredns/coredns:v1.12.1",
        None,
        ("100m", "70Mi"),
        None,
    );
    dns["resources"]["limits"] = json!({"memory": "170Mi"});
    dns["args"] = json!(["-conf", "/etc/coredns/Corefile"]);
    dns["ports"] = json!([{"name": "dns", "containerPort": 53, "protocol": "UDP"}, {"name": "dns-tcp", "containerPort": 53, "protocol": "TCP"}, {"name": "metrics", "containerPort": 9153, "protocol": "TCP"}]);
    dns["volumeMounts"] =
        json!([{"name": "config-volume", "mountPath": "/etc/coredns", "readOnly": true}]);
    let spec = json!({
        "containers": [dns], "dnsPolicy": "Default", "priorityClassName": "system-cluster-critical",
        "tolerations": [{"key": "CriticalAddonsOnly", "operator": "Exists"}, {"key": "node-role.kubernetes.io/control-plane", "effect": "NoSchedule"}],
        "volumes": [{"name": "config-volume", "configMap": {"name": "coredns", "items": [{"key": "Corefile", "path": "Corefile"}]}}],
    });
    let (_, _, _, mut d) = deployment("kube-system", "coredns", 2, spec, json!({}));
    d["metadata"]["labels"] = json!({"k8s-app": "kube-dns"});
    d["spec"]["selector"] = json!({"matchLabels": {"k8s-app": "kube-dns"}});
    d["spec"]["template"]["metadata"]["labels"] = json!({"k8s-app": "kube-dns"});
    v.push(("apps/v1", "deployments", "kube-system", d));
    let (_, _, _, mut svc) = service(
        "kube-system",
        "kube-dns",
        json!({"k8s-app": "kube-dns"}),
        json!([
            {"name": "dns", "port": 53, "protocol": "UDP", "targetPort": 53},
            {"name": "dns-tcp", "port": 53, "protocol": "TCP", "targetPort": 53},
            {"name": "metrics", "port": 9153, "protocol": "TCP", "targetPort": 9153},
        ]),
        json!({"clusterIP": "10.96.0.10"}),
    );
    svc["metadata"]["labels"] = json!({"k8s-app": "kube-dns", "kubernetes.io/cluster-service": "true", "kubernetes.io/name": "CoreDNS"});
    v.push(("v1", "services", "kube-system", svc));
    let mut proxy = container(
        "kube-proxy",
        "registry.k8s.io/kube-proxy:v1.36.2",
        None,
        ("10m", "32Mi"),
        None,
    );
    proxy["command"] = json!([
        "/usr/local/bin/kube-proxy",
        "--config=/var/lib/kube-proxy/config.conf",
        "--hostname-override=$(NODE_NAME)"
    ]);
    proxy["securityContext"] = json!({"privileged": true});
    let ds_labels = json!({"k8s-app": "kube-proxy"});
    v.push(("apps/v1", "daemonsets", "kube-system", json!({
        "metadata": {"name": "kube-proxy", "labels": ds_labels},
        "spec": {"selector": {"matchLabels": ds_labels}, "template": {"metadata": {"labels": ds_labels}, "spec": {
            "containers": [proxy], "hostNetwork": true, "priorityClassName": "system-node-critical",
            "tolerations": [{"operator": "Exists"}], "nodeSelector": {"kubernetes.io/os": "linux"},
        }}},
    })));
    if metrics {
        let mut ms = container(
            "metrics-server",
            "registry.k8s.io/metrics-server/metrics-server:v0.8.0",
            Some(("https", 10250)),
            ("100m", "200Mi"),
            None,
        );
        ms["args"] = json!([
            "--cert-dir=/tmp",
            "--secure-port=10250",
            "--kubelet-preferred-address-types=InternalIP,ExternalIP,Hostname",
            "--kubelet-use-node-status-port",
            "--metric-resolution=15s"
        ]);
        let (_, _, _, mut d) = deployment(
            "kube-system",
            "metrics-server",
            1,
            json!({"containers": [ms], "priorityClassName": "system-cluster-critical"}),
            json!({}),
        );
        d["metadata"]["labels"] = json!({"k8s-app": "metrics-server"});
        d["spec"]["selector"] = json!({"matchLabels": {"k8s-app": "metrics-server"}});
        d["spec"]["template"]["metadata"]["labels"] = json!({"k8s-app": "metrics-server"});
        v.push(("apps/v1", "deployments", "kube-system", d));
        let (_, _, _, mut s) = service(
            "kube-system",
            "metrics-server",
            json!({"k8s-app": "metrics-server"}),
            json!([{"name": "https", "port": 443, "targetPort": "https"}]),
            json!({}),
        );
        s["metadata"]["labels"] = json!({"k8s-app": "metrics-server"});
        v.push(("v1", "services", "kube-system", s));
    }
    v
}

/// The control-plane static pods (mirror pods owned by their node).
pub fn static_pods(node: &str, node_uid: &str, node_ip: &str) -> Vec<Obj> {
    let pods: [(&str, &str, &str, Vec<String>); 4] = [
        (
            "etcd",
            "registry.k8s.io/etcd:3.6.4-0",
            "100m",
            vec![
                "etcd".into(),
                format!("--advertise-client-urls=https://{node_ip}:2379"),
                "--data-dir=/var/lib/etcd".into(),
                format!("--name={node}"),
            ],
        ),
        (
            "kube-apiserver",
            "registry.k8s.io/kube-apiserver:v1.36.2",
            "250m",
            vec![
                "kube-apiserver".into(),
                format!("--advertise-address={node_ip}"),
                "--authorization-mode=Node,RBAC".into(),
                "--service-cluster-ip-range=10.96.0.0/12".into(),
            ],
        ),
        (
            "kube-controller-manager",
            "registry.k8s.io/kube-controller-manager:v1.36.2",
            "200m",
            vec![
                "kube-controller-manager".into(),
                "--allocate-node-cidrs=true".into(),
                "--cluster-cidr=10.244.0.0/16".into(),
                "--leader-elect=true".into(),
            ],
        ),
        (
            "kube-scheduler",
            "registry.k8s.io/kube-scheduler:v1.36.2",
            "100m",
            vec![
                "kube-scheduler".into(),
                "--bind-address=127.0.0.1".into(),
                "--leader-elect=true".into(),
            ],
        ),
    ];
    pods.into_iter()
        .map(|(component, image, cpu, command)| {
            let hash = format!("{:032x}", crate::sim_metrics::hash64(7, &[component, node]) as u128 * 0x1_0000_0001);
            ("v1", "pods", "kube-system", json!({
                "metadata": {
                    "name": format!("{component}-{node}"),
                    "labels": {"component": component, "tier": "control-plane"},
                    "annotations": {"kubernetes.io/config.hash": hash, "kubernetes.io/config.mirror": hash, "kubernetes.io/config.source": "file"},
                    "ownerReferences": [{"apiVersion": "v1", "kind": "Node", "name": node, "uid": node_uid, "controller": true}],
                },
                "spec": {
                    "nodeName": node, "hostNetwork": true, "priorityClassName": "system-node-critical", "automountServiceAccountToken": false,
                    "tolerations": [{"operator": "Exists", "effect": "NoExecute"}],
                    "containers": [{"name": component, "image": image, "command": command, "resources": {"requests": {"cpu": cpu}}}],
                },
            }))
        })
        .collect()
}
