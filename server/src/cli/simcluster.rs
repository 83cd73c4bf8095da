//! `ku8portal simcluster` and (for now) `ku8portal demo`: start the simulated cluster, write its
//! kubeconfig, tell the user how to reach it, run until interrupted.

use std::path::PathBuf;

use anyhow::Context;
use simcluster::{SimCluster, SimConfig};

use super::shutdown_signal;

/// Options of `ku8portal simcluster`.
#[derive(Debug, clap::Args)]
pub struct SimclusterArgs {
    /// Address the simulated API server listens on (port 0 picks a free port).
    #[arg(long, env = "SIMCLUSTER_LISTEN", default_value = "127.0.0.1:6443")]
    pub listen: std::net::SocketAddr,
    /// Where to write the kubeconfig (CA, server URL, admin token).
    #[arg(
        long,
        env = "SIMCLUSTER_KUBECONFIG_OUT",
        default_value = "simcluster.kubeconfig"
    )]
    pub kubeconfig_out: PathBuf,
    /// Admin bearer token (generated when absent). Prefer the environment variable.
    #[arg(long, env = "SIMCLUSTER_TOKEN", hide_env_values = true)]
    pub token: Option<String>,
    /// Serve the metrics.k8s.io API.
    #[arg(long, env = "SIMCLUSTER_METRICS_API", default_value_t = false)]
    pub metrics_api: bool,
    /// Workers added to the seeded nodes (e.g. 296 for a 300-node cluster with `--seed empty`).
    #[arg(long, env = "SIMCLUSTER_EXTRA_NODES", default_value_t = 0)]
    pub extra_nodes: usize,
    /// No scheduler and no kubelet: pods stay Pending, nodes are plain objects (like the
    /// cluster the golden transcripts were recorded on).
    #[arg(long, env = "SIMCLUSTER_NO_KUBELET", default_value_t = false)]
    pub no_kubelet: bool,
    /// Initial content: `none` (system namespaces), `empty` (plus nodes) or `demo` (plus workloads).
    #[arg(long, env = "SIMCLUSTER_SEED", default_value = "empty")]
    pub seed: simcluster::Seed,
    /// Seed of the simulated choices (resource usage, failing images): same seed, same cluster.
    #[arg(long, env = "SIMCLUSTER_RANDOM_SEED", default_value_t = 42)]
    pub random_seed: u64,
    /// Milliseconds a scheduled pod stays ContainerCreating before it runs.
    #[arg(long, env = "SIMCLUSTER_KUBELET_DELAY_MS", default_value_t = 1000)]
    pub kubelet_delay_ms: u64,
    /// Fraction (0 to 1) of container images whose pull fails (images named "doesnotexist" always do).
    #[arg(long, env = "SIMCLUSTER_IMAGE_FAILURE_FRACTION", default_value_t = 0.0)]
    pub image_failure_fraction: f64,
    /// Seconds the pods of Jobs run before they succeed.
    #[arg(long, env = "SIMCLUSTER_JOB_RUN_SECONDS", default_value_t = 5)]
    pub job_run_seconds: u64,
}

pub async fn run(args: SimclusterArgs) -> anyhow::Result<()> {
    let config = SimConfig {
        listen: args.listen,
        admin_token: args.token,
        metrics_api: args.metrics_api,
        kubelet: !args.no_kubelet,
        seed: args.seed,
        random_seed: args.random_seed,
        kubelet_delay: std::time::Duration::from_millis(args.kubelet_delay_ms),
        image_failure_fraction: args.image_failure_fraction.clamp(0.0, 1.0),
        job_run_time: std::time::Duration::from_secs(args.job_run_seconds),
        extra_nodes: args.extra_nodes,
        ..Default::default()
    };
    let cluster = SimCluster::start(config)
        .await
        .context("starting the simulated cluster")?;
    cluster.write_kubeconfig(&args.kubeconfig_out)?;
    let path = std::fs::canonicalize(&args.kubeconfig_out).unwrap_or(args.kubeconfig_out.clone());
    println!(
        "simcluster (simulated Kubernetes v1.36 API) listening on {}",
        cluster.url
    );
    println!("kubeconfig written to {}", path.display());
    println!();
    println!("  export KUBECONFIG={}", path.display());
    println!("  kubectl get namespaces");
    println!();
    println!("Press Ctrl-C to stop.");
    shutdown_signal().await;
    cluster.shutdown().await;
    Ok(())
}
