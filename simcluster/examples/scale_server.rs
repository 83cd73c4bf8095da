//! A bare simulated cluster for scale profiling without building the portal: `cargo run
//! --release -p simcluster --example scale_server -- KUBECONFIG_OUT EXTRA_NODES [LISTEN]` serves
//! (on a free port by default) with `--seed empty --metrics-api` like `ku8portal simcluster`,
//! until killed. On SIGUSR1
//! it prints where the heap goes: stored objects per resource and the watch history (estimates).

use std::collections::BTreeMap;

use simcluster::{Seed, SimCluster, SimConfig};

fn mib(n: usize) -> String {
    format!("{:.1} MiB", n as f64 / 1048576.0)
}

fn report(cluster: &SimCluster) {
    let store = &cluster.sim.store;
    let mut per: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    for r in store.resources() {
        per.insert(r.clone(), store.kept_bytes(&r));
    }
    let total: usize = per.values().map(|(_, s)| s).sum();
    eprintln!(
        "stored objects: ~{} of heap as kept (estimated)",
        mib(total)
    );
    for (r, (n, size)) in per.iter().filter(|(_, (_, s))| *s > 1 << 20) {
        eprintln!("  {r}: {n} objects, ~{}", mib(*size));
    }
    let (n, size) = store.history_stats();
    eprintln!("watch history: {n} events, ~{} held only by it", mib(size));
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let out = args.next().unwrap_or_else(|| "scale.kubeconfig".into());
    let extra_nodes = args.next().and_then(|n| n.parse().ok()).unwrap_or(0);
    let listen = args
        .next()
        .and_then(|a| a.parse().ok())
        .unwrap_or_else(|| "127.0.0.1:0".parse().expect("static address"));
    let cluster = SimCluster::start(SimConfig {
        listen,
        metrics_api: true,
        seed: Seed::Empty,
        extra_nodes,
        ..Default::default()
    })
    .await?;
    cluster.write_kubeconfig(std::path::Path::new(&out))?;
    println!("listening on {}", cluster.url);
    let mut usr1 = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::user_defined1())?;
    loop {
        tokio::select! {
            _ = usr1.recv() => report(&cluster),
            _ = tokio::signal::ctrl_c() => break,
        }
    }
    cluster.shutdown().await;
    Ok(())
}
