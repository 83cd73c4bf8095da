//! `ku8portal demo`: everything on one machine — an embedded PostgreSQL, the built-in simulated
//! cluster (seeded with nodes and workloads) and demo tenants, users and namespaces; prints the
//! URL and the logins. Data persists in the data folder across restarts.

use std::net::SocketAddr;
use std::path::PathBuf;

use anyhow::Context;
use simcluster::{SimCluster, SimConfig};

use crate::runtime::{Cluster, Database, PortalConfig};
use crate::state::Settings;

/// Options of `ku8portal demo`.
#[derive(Debug, clap::Args)]
pub struct DemoArgs {
    /// Address of the portal.
    #[arg(long, env = "KU8PORTAL_LISTEN", default_value = "127.0.0.1:8080")]
    pub listen: SocketAddr,
    /// Address of the simulated cluster's API server.
    #[arg(long, env = "KU8PORTAL_SIM_LISTEN", default_value = "127.0.0.1:6443")]
    pub sim_listen: SocketAddr,
    /// Folder for the demo's state: the database and the cluster's kubeconfig.
    #[arg(long, env = "KU8PORTAL_DATA_DIR", default_value = ".ku8portal-data")]
    pub data_dir: PathBuf,
    /// Workers added to the simulated cluster's seeded nodes (room for thousands of pods, e.g.
    /// for the web app's 3,000-pod list benchmark).
    #[arg(long, env = "KU8PORTAL_SIM_EXTRA_NODES", default_value_t = 0)]
    pub sim_extra_nodes: usize,
}

pub async fn run(args: DemoArgs) -> anyhow::Result<()> {
    std::fs::create_dir_all(&args.data_dir)
        .with_context(|| format!("creating {}", args.data_dir.display()))?;
    let sim = SimCluster::start(SimConfig {
        listen: args.sim_listen,
        metrics_api: true,
        seed: simcluster::Seed::Demo,
        random_seed: 42,
        kubelet_delay: std::time::Duration::from_millis(1000),
        job_run_time: std::time::Duration::from_secs(20),
        extra_nodes: args.sim_extra_nodes,
        ..Default::default()
    })
    .await
    .context("starting the simulated cluster")?;
    let kubeconfig = args.data_dir.join("simcluster.kubeconfig");
    sim.write_kubeconfig(&kubeconfig)?;
    // kubectl sends tokens only over HTTPS: the demo answers both on its one port.
    let hosts = vec![
        "localhost".to_string(),
        "127.0.0.1".to_string(),
        args.listen.ip().to_string(),
    ];
    let tls = crate::tls::self_signed(&args.data_dir, &hosts)?;
    let portal = crate::runtime::start(PortalConfig {
        listen: args.listen,
        database: Database::Embedded(args.data_dir.join("postgres")),
        cluster: Cluster::KubeconfigYaml(sim.kubeconfig()),
        settings: Settings {
            cluster_label: Some("simulated cluster".into()),
            resync_interval: std::time::Duration::from_secs(15),
            ..Settings::default()
        },
        tls: Some(tls),
        plain_http_too: true,
        bootstrap_admin: None,
        reconciler: true,
    })
    .await?;
    let seeded = crate::demo::seed(&portal.state).await?;
    println!("ku8portal demo is running at {}", portal.url);
    println!(
        "  {} ({})",
        if seeded {
            "demo data created"
        } else {
            "demo data from an earlier run"
        },
        args.data_dir.display()
    );
    println!(
        "  simulated cluster: {} (kubeconfig {})",
        sim.url,
        kubeconfig.display()
    );
    println!(
        "  kubectl: download a kubeconfig from {}/api/v1/me/kubeconfig after logging in (it uses https:// on the same port)",
        portal.url
    );
    println!();
    println!("Logins (user / password):");
    for (user, role) in crate::demo::LOGINS {
        println!(
            "  {user:<8} / {:<16} {role}",
            crate::demo::password_of(user)
        );
    }
    println!();
    println!("Press Ctrl-C to stop.");
    super::shutdown_signal().await;
    portal.shutdown().await;
    sim.shutdown().await;
    Ok(())
}
