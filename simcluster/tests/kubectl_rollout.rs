//! With the kubelet simulation on, real kubectl sees Deployments roll out to completion:
//! `create deployment` (a protobuf body), `rollout status`, `set image`, `logs deployment/...`.

mod common;

use common::kubectl_ok as ok;

use std::time::Duration;

use simcluster::{Seed, SimConfig};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deployment_rolls_out_and_updates() {
    let config = SimConfig {
        seed: Seed::Empty,
        kubelet_delay: Duration::from_millis(100),
        ..SimConfig::default()
    };
    let tc = common::TestCluster::start_with(config).await;
    let kc = tc.kubeconfig.clone();
    tokio::task::spawn_blocking(move || {
        let kc = kc.as_path();
        assert_eq!(
            ok(
                kc,
                &[
                    "create",
                    "deployment",
                    "web",
                    "--image=nginx:1.27",
                    "--replicas=2"
                ]
            ),
            "deployment.apps/web created\n"
        );
        let status = ok(
            kc,
            &["rollout", "status", "deployment/web", "--timeout=60s"],
        );
        assert!(
            status
                .trim_end()
                .ends_with("deployment \"web\" successfully rolled out"),
            "{status}"
        );
        let row = ok(kc, &["get", "deployment", "web", "--no-headers"]);
        assert_eq!(
            row.split_whitespace().take(4).collect::<Vec<_>>(),
            ["web", "2/2", "2", "2"],
            "{row}"
        );

        assert_eq!(
            ok(kc, &["set", "image", "deployment/web", "nginx=nginx:1.28"]),
            "deployment.apps/web image updated\n"
        );
        let status = ok(
            kc,
            &["rollout", "status", "deployment/web", "--timeout=60s"],
        );
        assert!(
            status
                .trim_end()
                .ends_with("deployment \"web\" successfully rolled out"),
            "{status}"
        );
        let images = ok(
            kc,
            &[
                "get",
                "pods",
                "-l",
                "app=web",
                "-o",
                "jsonpath={.items[*].spec.containers[0].image}",
            ],
        );
        assert_eq!(
            images.split_whitespace().collect::<Vec<_>>(),
            ["nginx:1.28", "nginx:1.28"],
            "old pods left: {images}"
        );
        let history = ok(kc, &["rollout", "history", "deployment/web"]);
        assert!(
            history.lines().any(|l| l.trim_start().starts_with("1 "))
                && history.lines().any(|l| l.trim_start().starts_with("2 ")),
            "{history}"
        );

        let logs = ok(kc, &["logs", "deployment/web", "--tail=5"]);
        assert!(!logs.trim().is_empty(), "no log lines");
    })
    .await
    .expect("kubectl steps");
    tc.cluster.shutdown().await;
}
