//! Real kubectl against a ResourceQuota: the refusal message of a pod beyond the quota, and the
//! quota's usage as `kubectl describe quota` shows it.

mod common;

use std::path::Path;
use std::process::{Command, Output};
use std::time::Duration;

fn kubectl(kubeconfig: &Path, dir: &Path, args: &[&str]) -> Output {
    Command::new(common::kubectl_bin())
        .env("KUBECONFIG", kubeconfig)
        .current_dir(dir)
        .args(args)
        .output()
        .expect("run kubectl (install it with scripts/ensure-tools.sh)")
}

const QUOTA: &str = "apiVersion: v1\nkind: ResourceQuota\nmetadata:\n  name: compute\nspec:\n  hard:\n    pods: \"1\"\n    requests.cpu: \"1\"\n";

fn pod(name: &str, cpu: &str) -> String {
    format!(
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: {name}\nspec:\n  containers:\n  - name: app\n    image: nginx:1.27\n    resources:\n      requests:\n        cpu: {cpu}\n"
    )
}

/// Run until success (the ServiceAccount and the quota status appear asynchronously).
fn eventually_ok(kc: &Path, dir: &Path, args: &[&str]) -> String {
    let mut last = String::new();
    for _ in 0..50 {
        let out = kubectl(kc, dir, args);
        if out.status.success() {
            return String::from_utf8_lossy(&out.stdout).to_string();
        }
        last = String::from_utf8_lossy(&out.stderr).to_string();
        std::thread::sleep(Duration::from_millis(100));
    }
    panic!("kubectl {args:?} kept failing: {last}");
}

fn run(kc: &Path, dir: &Path) {
    std::fs::write(dir.join("quota.yaml"), QUOTA).unwrap();
    std::fs::write(dir.join("big.yaml"), pod("big", "2")).unwrap();
    std::fs::write(dir.join("small.yaml"), pod("small", "500m")).unwrap();
    std::fs::write(dir.join("second.yaml"), pod("second", "100m")).unwrap();
    // A manifest rather than `kubectl create namespace`: kubectl 1.37 sends typed creates as protobuf.
    std::fs::write(
        dir.join("ns.yaml"),
        "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: kq\n",
    )
    .unwrap();
    eventually_ok(kc, dir, &["create", "-f", "ns.yaml"]);
    eventually_ok(kc, dir, &["-n", "kq", "get", "serviceaccount", "default"]);
    assert_eq!(
        eventually_ok(kc, dir, &["-n", "kq", "create", "-f", "quota.yaml"]),
        "resourcequota/compute created\n"
    );
    // Wait for the controller to fill in the usage.
    let mut used_pods = String::new();
    for _ in 0..50 {
        used_pods = eventually_ok(
            kc,
            dir,
            &[
                "-n",
                "kq",
                "get",
                "quota",
                "compute",
                "-o",
                "jsonpath={.status.used.pods}",
            ],
        );
        if !used_pods.is_empty() {
            break;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    assert_eq!(used_pods, "0");

    let out = kubectl(kc, dir, &["-n", "kq", "create", "-f", "big.yaml"]);
    assert!(!out.status.success());
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "Error from server (Forbidden): error when creating \"big.yaml\": pods \"big\" is forbidden: exceeded quota: compute, requested: requests.cpu=2, used: requests.cpu=0, limited: requests.cpu=1\n"
    );
    assert_eq!(
        eventually_ok(kc, dir, &["-n", "kq", "create", "-f", "small.yaml"]),
        "pod/small created\n"
    );
    let out = kubectl(kc, dir, &["-n", "kq", "create", "-f", "second.yaml"]);
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "Error from server (Forbidden): error when creating \"second.yaml\": pods \"second\" is forbidden: exceeded quota: compute, requested: pods=1, used: pods=1, limited: pods=1\n"
    );

    let used = eventually_ok(
        kc,
        dir,
        &[
            "-n",
            "kq",
            "get",
            "quota",
            "compute",
            "-o",
            "jsonpath={.status.used}",
        ],
    );
    let used: serde_json::Value = serde_json::from_str(&used).expect("json");
    assert_eq!(
        used,
        serde_json::json!({"pods": "1", "requests.cpu": "500m"})
    );
    let describe = eventually_ok(kc, dir, &["-n", "kq", "describe", "quota", "compute"]);
    let rows: Vec<Vec<&str>> = describe
        .lines()
        .map(|l| l.split_whitespace().collect())
        .collect();
    assert!(rows.contains(&vec!["pods", "1", "1"]), "{describe}");
    assert!(
        rows.contains(&vec!["requests.cpu", "500m", "1"]),
        "{describe}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kubectl_shows_the_quota_refusal() {
    let tc = common::TestCluster::start().await;
    let kc = tc.kubeconfig.clone();
    let dir = tc.dir.path().to_path_buf();
    tokio::task::spawn_blocking(move || run(&kc, &dir))
        .await
        .expect("kubectl steps");
    tc.cluster.shutdown().await;
}
