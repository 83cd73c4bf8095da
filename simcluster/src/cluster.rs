//! Starting and stopping a simulated cluster: the shared state, the HTTPS listener and the
//! kubeconfig that points at it.

use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;

use anyhow::Context;
use chrono::{DateTime, Utc};
use hyper_util::rt::{TokioExecutor, TokioIo};
use hyper_util::server::conn::auto;
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio_rustls::TlsAcceptor;
use tower::ServiceExt;

use crate::discovery::{DynRegistry, Registry};
use crate::store::Store;

/// How to start a simulated cluster.
#[derive(Debug, Clone)]
pub struct SimConfig {
    /// Address to listen on; port 0 picks a free port.
    pub listen: SocketAddr,
    /// Bearer token of the cluster admin (`None` generates one).
    pub admin_token: Option<String>,
    /// Extra host names / IPs the serving certificate is valid for.
    pub extra_hosts: Vec<String>,
    /// Serve the metrics.k8s.io API (the golden recordings were made without it).
    pub metrics_api: bool,
    /// Run the scheduler and the kubelet simulation (pods get nodes and start). Off
    /// (`--no-kubelet`) pods stay Pending and nodes are plain objects, as in a cluster without
    /// kubelets — the golden recordings were made that way.
    pub kubelet: bool,
    /// What the cluster starts with.
    pub seed: Seed,
    /// Seed of the pseudo-random choices (metrics, failing images), for reproducible runs.
    pub random_seed: u64,
    /// How many past events watches can resume from; older resourceVersions get 410 Gone.
    pub watch_history: usize,
    /// Workers added to the seeded nodes (sim-worker-3, ...), for large simulated clusters.
    pub extra_nodes: usize,
    /// How long a bound pod stays ContainerCreating before its containers run (and how long
    /// stopping a container takes).
    pub kubelet_delay: std::time::Duration,
    /// Fraction (0..1) of images whose pull fails (chosen by `random_seed`); images with
    /// "doesnotexist" in their name always fail.
    pub image_failure_fraction: f64,
    /// How long the pods of Jobs run before they succeed.
    pub job_run_time: std::time::Duration,
    /// How long an Event lives after its last write (kube-apiserver's `--event-ttl`, 1 hour).
    pub event_ttl: std::time::Duration,
}

/// The initial content of a simulated cluster.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Seed {
    /// Only the system namespaces.
    #[default]
    None,
    /// Nodes (CPU, memory, GPU capacity, labels, taints) and nothing else.
    Empty,
    /// Nodes plus realistic workloads in a few namespaces.
    Demo,
}

impl std::str::FromStr for Seed {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "none" => Ok(Seed::None),
            "empty" => Ok(Seed::Empty),
            "demo" => Ok(Seed::Demo),
            other => Err(format!("unknown seed {other:?}: use none, empty or demo")),
        }
    }
}

impl Default for SimConfig {
    fn default() -> Self {
        Self {
            listen: "127.0.0.1:0".parse().expect("static address"),
            admin_token: None,
            extra_hosts: Vec::new(),
            metrics_api: false,
            kubelet: true,
            seed: Seed::None,
            random_seed: 42,
            watch_history: crate::store::DEFAULT_HISTORY_LEN,
            extra_nodes: 0,
            kubelet_delay: std::time::Duration::from_secs(1),
            image_failure_fraction: 0.0,
            job_run_time: std::time::Duration::from_secs(5),
            event_ttl: std::time::Duration::from_secs(3600),
        }
    }
}

/// The state shared by the API handlers and the simulated controllers.
pub struct Sim {
    pub store: Store,
    /// The served API surface: built-ins plus established custom resources.
    pub registry: DynRegistry,
    pub admin_token: String,
    pub ca_pem: String,
    pub started: DateTime<Utc>,
    /// `host:port` clients use, reported in `/api` as serverAddress.
    pub server_address: String,
    /// How the cluster was started.
    pub config: SimConfig,
    /// Held while a write's admission decision and its store write happen together (quota).
    pub admission_lock: std::sync::Mutex<()>,
}

/// A running simulated cluster. Dropping it does not stop it; call [`SimCluster::shutdown`].
pub struct SimCluster {
    pub sim: Arc<Sim>,
    /// `https://127.0.0.1:PORT`
    pub url: String,
    pub addr: SocketAddr,
    /// Stops the controllers.
    stop: watch::Sender<bool>,
    /// Stops the API server (listener and open connections) but not the controllers.
    serve_stop: watch::Sender<bool>,
    task: tokio::task::JoinHandle<()>,
    acceptor: TlsAcceptor,
    app: axum::Router,
}

fn random_token() -> String {
    use rand::Rng;
    let mut rng = rand::rng();
    (0..40)
        .map(|_| char::from(b"abcdefghijklmnopqrstuvwxyz0123456789"[rng.random_range(0..36)]))
        .collect()
}

impl SimCluster {
    /// Start a cluster on `config.listen` (a free port when 0) and its controllers.
    pub async fn start(config: SimConfig) -> anyhow::Result<SimCluster> {
        let listener = TcpListener::bind(config.listen)
            .await
            .with_context(|| format!("binding {}", config.listen))?;
        let addr = listener.local_addr()?;
        let mut hosts = config.extra_hosts.clone();
        hosts.push(addr.ip().to_string());
        let pki = crate::tls::generate(&hosts)?;
        let host = if addr.ip().is_unspecified() {
            "127.0.0.1".to_string()
        } else {
            addr.ip().to_string()
        };
        let sim = Arc::new(Sim {
            store: Store::with_history_len(config.watch_history),
            registry: Registry::new(config.metrics_api).into(),
            admin_token: config.admin_token.clone().unwrap_or_else(random_token),
            ca_pem: pki.ca_pem.clone(),
            started: Utc::now(),
            server_address: format!("{host}:{}", addr.port()),
            config: config.clone(),
            admission_lock: std::sync::Mutex::new(()),
        });
        crate::controllers::bootstrap(&sim);
        let (stop, stop_rx) = watch::channel(false);
        crate::controllers::spawn_all(sim.clone(), stop_rx.clone());
        let app = crate::api::router(sim.clone());
        let acceptor = TlsAcceptor::from(pki.server_config.clone());
        let (serve_stop, serve_stop_rx) = watch::channel(false);
        let task = tokio::spawn(serve(
            listener,
            acceptor.clone(),
            app.clone(),
            serve_stop_rx,
        ));
        drop(stop_rx);
        Ok(SimCluster {
            url: format!("https://{host}:{}", addr.port()),
            addr,
            sim,
            stop,
            serve_stop,
            task,
            acceptor,
            app,
        })
    }

    /// A kubeconfig (YAML) with the cluster's CA and the admin token, context `simcluster`.
    pub fn kubeconfig(&self) -> String {
        kubeconfig_yaml(&self.url, &self.sim.ca_pem, &self.sim.admin_token)
    }

    /// Write [`Self::kubeconfig`] to a file (mode 0600).
    pub fn write_kubeconfig(&self, path: &Path) -> anyhow::Result<()> {
        write_private(path, &self.kubeconfig())
    }

    /// Simulate an API server outage: close the listener and every open connection; the
    /// cluster's state and controllers stay. [`Self::resume`] serves again on the same address.
    pub async fn pause(&mut self) {
        let _ = self.serve_stop.send(true);
        let _ = (&mut self.task).await;
    }

    /// Serve again after [`Self::pause`], on the same address with the same certificate.
    pub async fn resume(&mut self) -> anyhow::Result<()> {
        let listener = TcpListener::bind(self.addr)
            .await
            .with_context(|| format!("binding {}", self.addr))?;
        let (serve_stop, rx) = watch::channel(false);
        self.serve_stop = serve_stop;
        self.task = tokio::spawn(serve(listener, self.acceptor.clone(), self.app.clone(), rx));
        Ok(())
    }

    /// Stop accepting connections and end the controllers.
    pub async fn shutdown(self) {
        let _ = self.stop.send(true);
        let _ = self.serve_stop.send(true);
        let _ = self.task.await;
    }
}

/// Write a file readable only by its owner.
fn write_private(path: &Path, content: &str) -> anyhow::Result<()> {
    use std::io::Write;
    #[cfg(unix)]
    use std::os::unix::fs::OpenOptionsExt;
    let mut opts = std::fs::OpenOptions::new();
    opts.create(true).write(true).truncate(true);
    #[cfg(unix)]
    opts.mode(0o600);
    let mut f = opts
        .open(path)
        .with_context(|| format!("writing {}", path.display()))?;
    f.write_all(content.as_bytes())?;
    Ok(())
}

/// Render a kubeconfig for `server` trusting `ca_pem` and authenticating with `token`.
pub fn kubeconfig_yaml(server: &str, ca_pem: &str, token: &str) -> String {
    use base64::Engine;
    let ca = base64::engine::general_purpose::STANDARD.encode(ca_pem);
    format!(
        "apiVersion: v1\nkind: Config\nclusters:\n- name: simcluster\n  cluster:\n    server: {server}\n    certificate-authority-data: {ca}\nusers:\n- name: simcluster-admin\n  user:\n    token: {token}\ncontexts:\n- name: simcluster\n  context:\n    cluster: simcluster\n    user: simcluster-admin\n    namespace: default\ncurrent-context: simcluster\n"
    )
}

async fn serve(
    listener: TcpListener,
    acceptor: TlsAcceptor,
    app: axum::Router,
    mut stop: watch::Receiver<bool>,
) {
    loop {
        let (tcp, _peer) = tokio::select! {
            r = listener.accept() => match r {
                Ok(c) => c,
                Err(e) => { tracing::warn!(error = %e, "accept failed"); continue; }
            },
            _ = stop.changed() => break,
        };
        let acceptor = acceptor.clone();
        let app = app.clone();
        let mut stop_conn = stop.clone();
        tokio::spawn(async move {
            let _ = tcp.set_nodelay(true);
            let Ok(tls) = acceptor.accept(tcp).await else {
                return;
            };
            let svc =
                hyper::service::service_fn(move |req: hyper::Request<hyper::body::Incoming>| {
                    let app = app.clone();
                    async move { app.oneshot(req.map(axum::body::Body::new)).await }
                });
            let builder = auto::Builder::new(TokioExecutor::new());
            let conn = builder.serve_connection_with_upgrades(TokioIo::new(tls), svc);
            tokio::pin!(conn);
            tokio::select! {
                _ = conn.as_mut() => {}
                _ = stop_conn.changed() => {}
            }
        });
    }
}
