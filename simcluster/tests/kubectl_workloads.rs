//! Real kubectl against the workload controllers, with the kubelet simulation off (pods stay
//! Pending, as on the cluster the golden files were recorded on): Deployments scale, roll out,
//! undo and restart with the real ReplicaSet history; rollout status reports what it waits for;
//! events are listed through both events APIs.
//!
//! Note: `kubectl create deployment` sends a protobuf body; until simcluster decodes protobuf the
//! manifest is produced with `--dry-run=client -o yaml` and sent with `kubectl create -f`.

mod common;

use common::{kubectl, kubectl_ok as ok, kubectl_until as wait_for};

use std::path::Path;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deployments_scale_roll_out_and_record_events() {
    let tc = common::TestCluster::start_like_golden().await;
    let kc = tc.kubeconfig.clone();
    let dir = tc.dir.path().to_path_buf();
    tokio::task::spawn_blocking(move || run(&kc, &dir))
        .await
        .expect("kubectl steps");
    tc.cluster.shutdown().await;
}

fn run(kc: &Path, dir: &Path) {
    let manifest = ok(
        kc,
        &[
            "create",
            "deployment",
            "web",
            "--image=nginx:1.27",
            "--replicas=2",
            "--dry-run=client",
            "-o",
            "yaml",
        ],
    );
    let file = dir.join("web.yaml");
    std::fs::write(&file, manifest).expect("write manifest");
    assert_eq!(
        ok(kc, &["create", "-f", file.to_str().unwrap()]),
        "deployment.apps/web created\n"
    );

    // Deployment → ReplicaSet web-<hash> → 2 pods web-<hash>-<5>, Pending without a kubelet.
    wait_for(
        kc,
        &[
            "get",
            "deploy",
            "web",
            "-o",
            "jsonpath={.status.updatedReplicas}",
        ],
        |o| o == "2",
    );
    let rs = ok(
        kc,
        &[
            "get",
            "rs",
            "-l",
            "app=web",
            "-o",
            "jsonpath={.items[*].metadata.name}",
        ],
    );
    assert!(
        rs.starts_with("web-") && !rs.contains(' '),
        "one ReplicaSet: {rs}"
    );
    let pods = wait_for(kc, &["get", "pods", "-l", "app=web", "--no-headers"], |o| {
        o.lines().count() == 2
    });
    for line in pods.lines() {
        let cols: Vec<&str> = line.split_whitespace().collect();
        assert!(
            cols[0].starts_with(&format!("{rs}-")) && cols[0].len() == rs.len() + 6,
            "{line}"
        );
        assert_eq!(&cols[1..4], ["0/1", "Pending", "0"]);
    }
    let row = ok(kc, &["get", "deploy", "web", "--no-headers"]);
    assert_eq!(
        row.split_whitespace().take(4).collect::<Vec<_>>(),
        ["web", "0/2", "2", "0"]
    );

    // Scale.
    assert_eq!(
        ok(kc, &["scale", "deployment", "web", "--replicas=3"]),
        "deployment.apps/web scaled\n"
    );
    wait_for(
        kc,
        &[
            "get",
            "deploy",
            "web",
            "-o",
            "jsonpath={.status.updatedReplicas}",
        ],
        |o| o == "3",
    );
    let conditions = ok(
        kc,
        &[
            "get",
            "deploy",
            "web",
            "-o",
            "jsonpath={range .status.conditions[*]}{.type}={.status}/{.reason};{end}",
        ],
    );
    assert_eq!(
        conditions,
        "Available=False/MinimumReplicasUnavailable;Progressing=True/ReplicaSetUpdated;"
    );

    // rollout status: nothing becomes available without a kubelet.
    let status = kubectl(kc, &["rollout", "status", "deployment/web", "--timeout=2s"]);
    assert!(!status.status.success());
    let said = String::from_utf8_lossy(&status.stdout);
    assert!(said.contains("Waiting for deployment \"web\" rollout to finish: 0 of 3 updated replicas are available..."), "{said}");

    // Events, as kubectl shows them, through core/v1 and events.k8s.io/v1.
    let events = wait_for(kc, &["get", "events"], |o| o.contains("from 2 to 3"));
    assert!(
        events.contains(&format!("Scaled up replica set {rs} from 0 to 2")),
        "{events}"
    );
    assert!(
        events.contains(&format!("replicaset/{rs}")) && events.contains("SuccessfulCreate"),
        "{events}"
    );
    let v1 = ok(
        kc,
        &[
            "get",
            "events.v1.events.k8s.io",
            "-o",
            "jsonpath={range .items[*]}{.reportingController}:{.note};{end}",
        ],
    );
    assert!(
        v1.contains(&format!(
            "deployment-controller:Scaled up replica set {rs} from 2 to 3;"
        )),
        "{v1}"
    );
    let described = ok(kc, &["describe", "deployment", "web"]);
    assert!(
        described.contains("ScalingReplicaSet") && described.contains("deployment-controller"),
        "{described}"
    );
    assert!(
        described.contains(&format!("NewReplicaSet:   {rs} (3/3 replicas created)")),
        "{described}"
    );

    // A template change starts revision 2; undo returns to revision 1's ReplicaSet as revision 3.
    assert_eq!(
        ok(kc, &["set", "image", "deployment/web", "nginx=nginx:1.28"]),
        "deployment.apps/web image updated\n"
    );
    wait_for(kc, &["get", "rs", "-l", "app=web", "--no-headers"], |o| {
        o.lines().count() == 2
    });
    let history = wait_for(kc, &["rollout", "history", "deployment/web"], |o| {
        o.contains("\n2 ")
    });
    assert!(
        history.contains("REVISION  CHANGE-CAUSE\n1         <none>\n2         <none>\n"),
        "{history}"
    );
    assert_eq!(
        ok(kc, &["rollout", "undo", "deployment/web"]),
        "deployment.apps/web rolled back\n"
    );
    let history = wait_for(kc, &["rollout", "history", "deployment/web"], |o| {
        o.contains("\n3 ")
    });
    assert!(
        history.contains("2         <none>\n3         <none>\n"),
        "{history}"
    );
    assert_eq!(
        ok(
            kc,
            &[
                "get",
                "deploy",
                "web",
                "-o",
                "jsonpath={.spec.template.spec.containers[0].image}"
            ]
        ),
        "nginx:1.27"
    );
    let rev1 = ok(
        kc,
        &[
            "get",
            "rs",
            rs.as_str(),
            "-o",
            "jsonpath={.metadata.annotations.deployment\\.kubernetes\\.io/revision}",
        ],
    );
    assert_eq!(rev1, "3", "the first ReplicaSet is the new one again");

    // restart: a new template (restartedAt annotation), hence a third ReplicaSet.
    assert_eq!(
        ok(kc, &["rollout", "restart", "deployment/web"]),
        "deployment.apps/web restarted\n"
    );
    let at = ok(
        kc,
        &[
            "get",
            "deploy",
            "web",
            "-o",
            "jsonpath={.spec.template.metadata.annotations.kubectl\\.kubernetes\\.io/restartedAt}",
        ],
    );
    assert!(at.len() >= 20, "restartedAt: {at}");
    wait_for(kc, &["get", "rs", "-l", "app=web", "--no-headers"], |o| {
        o.lines().count() == 3
    });
    wait_for(kc, &["rollout", "history", "deployment/web"], |o| {
        o.contains("\n4 ")
    });

    // Deleting the deployment removes its ReplicaSets and pods (background propagation).
    assert_eq!(
        ok(kc, &["delete", "deployment", "web"]),
        "deployment.apps \"web\" deleted from default namespace\n"
    );
    wait_for(
        kc,
        &["get", "rs,pods", "-l", "app=web", "--no-headers"],
        |o| o.trim().is_empty(),
    );
}
