//! Replays the golden transcripts recorded from a real kube-apiserver v1.36.2 against simcluster
//! with the unmodified `replay.py` and requires every step of the API-machinery scenarios and of
//! the controller-driven scenarios simcluster implements to pass.

mod common;

use std::process::Command;

/// Scenarios of the API machinery (controller-driven ones are checked separately).
const MACHINERY: &[&str] = &[
    "discovery.json",
    "namespace-lifecycle.json",
    "pod-crud.json",
    "selectors.json",
    "generate-name.json",
    "pagination.json",
    "watch-events.json",
    "errors.json",
];

/// Scenarios that depend on controllers and admission plugins (quota, LimitRanger, workload
/// controllers), recorded without scheduler and kubelet: pods stay Pending.
const CONTROLLER_DRIVEN: &[&str] = &[
    "resourcequota-admission.json",
    "limitrange-defaults.json",
    "deployment-scale.json",
    "workloads-misc.json",
];

/// Run replay.py on some scenario files; returns (passed, failed, stdout).
async fn replay(files: &[&str]) -> (u32, u32, String) {
    let tc = common::TestCluster::start_like_golden().await;
    let dir = common::golden_dir();
    let mut cmd = Command::new("python3");
    cmd.arg(dir.join("replay.py"))
        .arg("--kubeconfig")
        .arg(&tc.kubeconfig);
    for f in files {
        cmd.arg(dir.join(f));
    }
    let out = tokio::task::spawn_blocking(move || cmd.output())
        .await
        .expect("join")
        .expect("run replay.py");
    let stdout = String::from_utf8_lossy(&out.stdout).to_string();
    let stderr = String::from_utf8_lossy(&out.stderr).to_string();
    println!("{stdout}");
    eprintln!("{stderr}");
    let summary = stdout
        .lines()
        .rev()
        .find(|l| l.starts_with("golden: "))
        .unwrap_or_else(|| panic!("no summary line; stderr:\n{stderr}"));
    let nums: Vec<u32> = summary
        .split(|c: char| !c.is_ascii_digit())
        .filter_map(|s| s.parse().ok())
        .collect();
    tc.cluster.shutdown().await;
    (nums[0], nums[1], stdout)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn golden_api_machinery_scenarios_all_pass() {
    let (passed, failed, out) = replay(MACHINERY).await;
    assert!(passed > 200, "too few steps ran:\n{out}");
    assert_eq!(failed, 0, "golden steps failed:\n{out}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn golden_controller_driven_scenarios_all_pass() {
    let (passed, failed, out) = replay(CONTROLLER_DRIVEN).await;
    assert!(passed >= 94, "too few steps ran:\n{out}");
    assert_eq!(failed, 0, "golden steps failed:\n{out}");
}
