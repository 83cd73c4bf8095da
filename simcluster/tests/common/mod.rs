//! Test helpers: start a simulated cluster on a free port with its kubeconfig in a temp dir,
//! find the golden transcripts and real kubectl.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant};

use simcluster::{SimCluster, SimConfig};

/// A running cluster plus the folder holding its kubeconfig.
pub struct TestCluster {
    pub cluster: SimCluster,
    pub dir: tempfile::TempDir,
    pub kubeconfig: PathBuf,
}

impl TestCluster {
    pub async fn start() -> TestCluster {
        Self::start_with(SimConfig::default()).await
    }

    /// Like the cluster the golden transcripts were recorded on: no scheduler, no kubelet, no nodes.
    pub async fn start_like_golden() -> TestCluster {
        Self::start_with(SimConfig {
            kubelet: false,
            ..SimConfig::default()
        })
        .await
    }

    pub async fn start_with(config: SimConfig) -> TestCluster {
        let cluster = SimCluster::start(config).await.expect("start simcluster");
        let dir = tempfile::tempdir().expect("tempdir");
        let kubeconfig = dir.path().join("kubeconfig");
        cluster
            .write_kubeconfig(&kubeconfig)
            .expect("write kubeconfig");
        TestCluster {
            cluster,
            dir,
            kubeconfig,
        }
    }

    /// A kube-rs client for this cluster.
    pub async fn client(&self) -> kube::Client {
        let kc = kube::config::Kubeconfig::read_from(&self.kubeconfig).expect("read kubeconfig");
        let cfg =
            kube::Config::from_custom_kubeconfig(kc, &kube::config::KubeConfigOptions::default())
                .await
                .expect("config");
        kube::Client::try_from(cfg).expect("client")
    }
}

/// The folder of the golden transcripts: $GOLDEN_DIR, or ../shared/k8s-golden next to the checkout.
pub fn golden_dir() -> PathBuf {
    if let Ok(d) = std::env::var("GOLDEN_DIR") {
        return PathBuf::from(d);
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("workspace root")
        .to_path_buf();
    for cand in [
        root.join("../shared/k8s-golden"),
        PathBuf::from("/work/shared/k8s-golden"),
    ] {
        if cand.join("replay.py").exists() {
            return cand;
        }
    }
    panic!(
        "golden transcripts not found: set GOLDEN_DIR to the k8s-golden folder (with replay.py)"
    );
}

/// The kubectl binary: $KUBECTL or `kubectl` on PATH (installed by scripts/ensure-tools.sh).
pub fn kubectl_bin() -> String {
    std::env::var("KUBECTL").unwrap_or_else(|_| "kubectl".into())
}

/// Run real kubectl with a kubeconfig.
pub fn kubectl(kubeconfig: &Path, args: &[&str]) -> Output {
    Command::new(kubectl_bin())
        .env("KUBECONFIG", kubeconfig)
        .env_remove("KUBECTL_EXTERNAL_DIFF")
        .args(args)
        .output()
        .expect("run kubectl (install it with scripts/ensure-tools.sh)")
}

/// Run kubectl, require success, return stdout.
pub fn kubectl_ok(kubeconfig: &Path, args: &[&str]) -> String {
    let out = kubectl(kubeconfig, args);
    let stdout = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(
        out.status.success(),
        "kubectl {args:?} failed: {}\n{stdout}",
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
}

/// Repeat a kubectl command until its stdout satisfies `done` (controllers work
/// asynchronously); returns that stdout. Fails after 20 s, showing the last stdout and stderr.
pub fn kubectl_until(kubeconfig: &Path, args: &[&str], done: impl Fn(&str) -> bool) -> String {
    let start = Instant::now();
    loop {
        let out = kubectl(kubeconfig, args);
        let text = String::from_utf8_lossy(&out.stdout).to_string();
        if done(&text) {
            return text;
        }
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "kubectl {args:?} never got there; last output:\n{text}{err}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}
