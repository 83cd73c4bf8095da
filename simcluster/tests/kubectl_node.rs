//! Real kubectl against the full simulation (scheduler, kubelets, metrics): `run`, `wait`,
//! `describe` (a pod that fits nowhere, a node's allocated resources), `logs` and `logs -f`,
//! `top nodes` / `top pods -A`, `get events`, the pod proxy through `get --raw`.

mod common;

use common::{kubectl_ok as ok, kubectl_until as eventually};

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

use simcluster::{Seed, SimConfig};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kubectl_sees_a_running_cluster() {
    let config = SimConfig {
        seed: Seed::Empty,
        metrics_api: true,
        kubelet_delay: Duration::from_millis(200),
        ..SimConfig::default()
    };
    let tc = common::TestCluster::start_with(config).await;
    let kc = tc.kubeconfig.clone();
    tokio::task::spawn_blocking(move || run_all(&kc))
        .await
        .expect("kubectl steps");
    tc.cluster.shutdown().await;
}

fn run_all(kc: &Path) {
    let nodes = ok(kc, &["get", "nodes"]);
    assert_eq!(
        nodes
            .lines()
            .filter(|l| l.split_whitespace().nth(1) == Some("Ready"))
            .count(),
        4,
        "{nodes}"
    );

    // A pod runs; its logs, its page through the API server proxy, its events.
    let spec = r#"{"spec":{"containers":[{"name":"web","image":"nginx:1.27","ports":[{"containerPort":80}],"resources":{"requests":{"cpu":"250m","memory":"64Mi"}}}]}}"#;
    eventually(
        kc,
        &["run", "web", "--image=nginx:1.27", "--overrides", spec],
        |_| true,
    );
    ok(
        kc,
        &["wait", "--for=condition=Ready", "pod/web", "--timeout=20s"],
    );
    let row = ok(kc, &["get", "pod", "web", "--no-headers"]);
    assert_eq!(
        row.split_whitespace().take(3).collect::<Vec<_>>(),
        ["web", "1/1", "Running"],
        "{row}"
    );
    let logs = ok(kc, &["logs", "web"]);
    assert!(
        logs.starts_with("/docker-entrypoint.sh: /docker-entrypoint.d/ is not empty"),
        "{logs}"
    );
    let page = ok(
        kc,
        &[
            "get",
            "--raw",
            "/api/v1/namespaces/default/pods/web:80/proxy/hello",
        ],
    );
    assert!(
        page.contains("Welcome to nginx!") && page.contains("<td>Path</td><td>/hello</td>"),
        "{page}"
    );
    let events = ok(kc, &["get", "events"]);
    assert!(
        events.contains("Successfully assigned default/web to sim-worker-")
            && events.contains("Started container web"),
        "{events}"
    );

    // The node shows what runs on it.
    let node = ok(
        kc,
        &["get", "pod", "web", "-o", "jsonpath={.spec.nodeName}"],
    );
    let desc = ok(kc, &["describe", "node", &node]);
    assert!(desc.contains("Allocated resources:"), "{desc}");
    assert!(
        desc.lines()
            .any(|l| l.split_whitespace().collect::<Vec<_>>()
                == ["cpu", "250m", "(3%)", "0", "(0%)"]),
        "{desc}"
    );
    assert!(desc.contains("default                     web"), "{desc}");

    // A pod that fits nowhere says why.
    ok(
        kc,
        &[
            "run",
            "big",
            "--image=nginx:1.27",
            "--overrides",
            r#"{"spec":{"containers":[{"name":"big","image":"nginx:1.27","resources":{"requests":{"cpu":"64"}}}]}}"#,
        ],
    );
    let why = eventually(kc, &["describe", "pod", "big"], |d| {
        d.contains("FailedScheduling")
    });
    assert!(
        why.contains(
            "0/4 nodes are available: 2 Insufficient cpu, 2 node(s) had untolerated taint(s)."
        ),
        "{why}"
    );

    // A broken image.
    ok(kc, &["run", "broken", "--image=nginx:doesnotexist"]);
    eventually(kc, &["get", "pod", "broken", "--no-headers"], |r| {
        r.contains("ErrImagePull") || r.contains("ImagePullBackOff")
    });

    // logs -f: lines keep coming.
    ok(
        kc,
        &[
            "run",
            "ticker",
            "--image=busybox:1.36",
            "--",
            "sh",
            "-c",
            "while true; do echo tick; sleep 1; done",
        ],
    );
    ok(
        kc,
        &[
            "wait",
            "--for=condition=Ready",
            "pod/ticker",
            "--timeout=20s",
        ],
    );
    let mut follow = Command::new(common::kubectl_bin())
        .env("KUBECONFIG", kc)
        .args(["logs", "-f", "ticker", "--tail=1"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("kubectl logs -f");
    let mut lines = BufReader::new(follow.stdout.take().expect("stdout")).lines();
    let first = lines.next().expect("a line").expect("read");
    let second = lines.next().expect("another line").expect("read");
    let _ = follow.kill();
    let _ = follow.wait();
    assert_eq!((first.as_str(), second.as_str()), ("tick", "tick"));

    // top.
    let top = ok(kc, &["top", "nodes"]);
    assert!(top.starts_with("NAME"), "{top}");
    assert_eq!(
        top.lines().filter(|l| l.starts_with("sim-")).count(),
        4,
        "{top}"
    );
    let top = ok(kc, &["top", "pods", "-A"]);
    assert!(
        top.lines()
            .any(|l| l.split_whitespace().take(2).collect::<Vec<_>>() == ["default", "web"]),
        "{top}"
    );
    let row: Vec<String> = top
        .lines()
        .find(|l| l.contains(" web "))
        .unwrap()
        .split_whitespace()
        .map(str::to_string)
        .collect();
    assert!(row[2].ends_with('m') && row[3].ends_with("Mi"), "{top}");
}
