//! The cluster client: from a kubeconfig file, or inferred (`KUBECONFIG`, `~/.kube/config`,
//! in-cluster service account) — the portal talks to every cluster the same way.

use std::path::Path;

use anyhow::Context;

/// A client for the cluster of `kubeconfig` (its current context), or the inferred one.
pub async fn client(kubeconfig: Option<&Path>) -> anyhow::Result<kube::Client> {
    let config = match kubeconfig {
        Some(path) => {
            let kc = kube::config::Kubeconfig::read_from(path)
                .with_context(|| format!("reading the kubeconfig {}", path.display()))?;
            kube::Config::from_custom_kubeconfig(kc, &kube::config::KubeConfigOptions::default())
                .await
                .with_context(|| format!("using the kubeconfig {}", path.display()))?
        }
        None => kube::Config::infer().await.context(
            "no cluster configured: pass --kubeconfig, set KUBECONFIG, or run inside a cluster",
        )?,
    };
    kube::Client::try_from(config).context("creating the cluster client")
}

/// A client from kubeconfig YAML text (tests and the demo's in-process cluster).
pub async fn client_from_yaml(yaml: &str) -> anyhow::Result<kube::Client> {
    let kc = kube::config::Kubeconfig::from_yaml(yaml).context("parsing the kubeconfig")?;
    let config =
        kube::Config::from_custom_kubeconfig(kc, &kube::config::KubeConfigOptions::default())
            .await
            .context("using the kubeconfig")?;
    kube::Client::try_from(config).context("creating the cluster client")
}

/// A client that is never used to connect (commands that need no cluster).
pub fn offline_client() -> anyhow::Result<kube::Client> {
    let config = kube::Config::new("https://127.0.0.1:1".parse()?);
    kube::Client::try_from(config).context("creating the cluster client")
}
