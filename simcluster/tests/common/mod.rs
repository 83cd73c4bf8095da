//! Test helpers: start a simulated cluster on a free port with its kubeconfig in a temp dir,
//! find the golden transcripts and real kubectl.

#![allow(dead_code)]

use std::path::{Path, PathBuf};

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
        Self::start_with(SimConfig { kubelet: false, ..SimConfig::default() }).await
    }

    pub async fn start_with(config: SimConfig) -> TestCluster {
        let cluster = SimCluster::start(config).await.expect("start simcluster");
        let dir = tempfile::tempdir().expect("tempdir");
        let kubeconfig = dir.path().join("kubeconfig");
        cluster.write_kubeconfig(&kubeconfig).expect("write kubeconfig");
        TestCluster { cluster, dir, kubeconfig }
    }

    /// A kube-rs client for this cluster.
    pub async fn client(&self) -> kube::Client {
        let kc = kube::config::Kubeconfig::read_from(&self.kubeconfig).expect("read kubeconfig");
        let cfg = kube::Config::from_custom_kubeconfig(kc, &kube::config::KubeConfigOptions::default()).await.expect("config");
        kube::Client::try_from(cfg).expect("client")
    }
}

/// The folder of the golden transcripts: $GOLDEN_DIR, or ../shared/k8s-golden next to the checkout.
pub fn golden_dir() -> PathBuf {
    if let Ok(d) = std::env::var("GOLDEN_DIR") {
        return PathBuf::from(d);
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("workspace root").to_path_buf();
    for cand in [root.join("../shared/k8s-golden"), PathBuf::from("/work/shared/k8s-golden")] {
        if cand.join("replay.py").exists() {
            return cand;
        }
    }
    panic!("golden transcripts not found: set GOLDEN_DIR to the k8s-golden folder (with replay.py)");
}

/// The kubectl binary: $KUBECTL or `kubectl` on PATH (installed by scripts/ensure-tools.sh).
pub fn kubectl_bin() -> String {
    std::env::var("KUBECTL").unwrap_or_else(|_| "kubectl".into())
}
