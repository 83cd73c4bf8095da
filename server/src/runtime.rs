//! Starting the portal: database (URL or embedded), migrations, cluster client, the first
//! platform admin, the reconciler, and the HTTP(S) server with graceful shutdown. `serve`,
//! `demo` and the tests all start it through [`start`].

use std::net::SocketAddr;
use std::path::PathBuf;

use anyhow::Context;
use api_types::portal::CreateUser;
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinHandle;

use crate::db::embedded::EmbeddedPostgres;
use crate::state::{AppState, Settings};

/// Where the database is.
#[derive(Debug, Clone)]
pub enum Database {
    Url(String),
    /// An embedded server with its data in this folder.
    Embedded(PathBuf),
}

/// How to reach the cluster.
#[derive(Debug, Clone)]
pub enum Cluster {
    Kubeconfig(PathBuf),
    KubeconfigYaml(String),
    /// `KUBECONFIG`, `~/.kube/config` or the in-cluster service account.
    Infer,
}

#[derive(Debug, Clone)]
pub struct PortalConfig {
    pub listen: SocketAddr,
    pub database: Database,
    pub cluster: Cluster,
    pub settings: Settings,
    /// Certificate and key (PEM) to serve HTTPS.
    pub tls: Option<(PathBuf, PathBuf)>,
    /// With `tls`: also answer plain HTTP on the same port (the demo and tests).
    pub plain_http_too: bool,
    /// The first platform admin, created when there are no users yet.
    pub bootstrap_admin: Option<(String, String)>,
    /// Run the reconciler and the metrics collector (each when this replica wins its leader lock).
    pub reconciler: bool,
}

/// A running portal.
pub struct Portal {
    pub addr: SocketAddr,
    pub state: AppState,
    pub url: String,
    stop: watch::Sender<bool>,
    tasks: Vec<JoinHandle<()>>,
    server: JoinHandle<()>,
    embedded: Option<EmbeddedPostgres>,
}

/// Connects to (or starts) the database and applies the migrations.
pub async fn database(db: &Database) -> anyhow::Result<(sqlx::PgPool, Option<EmbeddedPostgres>)> {
    let (url, embedded) = match db {
        Database::Url(u) => (u.clone(), None),
        Database::Embedded(dir) => {
            std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
            let pg = EmbeddedPostgres::start(dir).await?;
            pg.ensure_database("ku8portal").await?;
            (pg.url("ku8portal"), Some(pg))
        }
    };
    let pool = crate::db::connect(&url, 20)
        .await
        .context("connecting to the database (check --database-url)")?;
    crate::db::migrate(&pool)
        .await
        .context("applying the database migrations")?;
    Ok((pool, embedded))
}

/// Creates the first platform admin when the user table is empty.
pub async fn bootstrap_admin(state: &AppState, user: &str, password: &str) -> anyhow::Result<()> {
    let users = sqlx::query_scalar!(r#"SELECT count(*) AS "n!" FROM users"#)
        .fetch_one(&state.db)
        .await?;
    if users > 0 {
        return Ok(());
    }
    let req = CreateUser {
        username: user.to_string(),
        display_name: "Platform admin".to_string(),
        password: password.to_string(),
        platform_admin: true,
    };
    crate::users::insert_user(state, &req, None)
        .await
        .map_err(|e| anyhow::anyhow!("creating the first platform admin: {e}"))?;
    tracing::info!(user, "created the first platform admin");
    Ok(())
}

pub async fn start(cfg: PortalConfig) -> anyhow::Result<Portal> {
    let (db, embedded) = database(&cfg.database).await?;
    let kube = match &cfg.cluster {
        Cluster::Kubeconfig(p) => crate::kube_client::client(Some(p)).await?,
        Cluster::KubeconfigYaml(y) => crate::kube_client::client_from_yaml(y).await?,
        Cluster::Infer => crate::kube_client::client(None).await?,
    };
    let mut settings = cfg.settings.clone();
    if let Some((cert, _)) = &cfg.tls {
        let pem = std::fs::read_to_string(cert)
            .with_context(|| format!("reading the certificate {}", cert.display()))?;
        settings.tls_trust_pem = crate::tls::last_certificate(&pem);
    }
    let state = AppState::new(db.clone(), kube.clone(), settings);
    let _ = state
        .quota_cache
        .set(crate::usage::cache::QuotaCache::start(kube));
    if let Some((user, password)) = &cfg.bootstrap_admin {
        bootstrap_admin(&state, user, password).await?;
    }
    let (stop, stop_rx) = watch::channel(false);
    let mut tasks = Vec::new();
    if cfg.reconciler {
        tasks.push(tokio::spawn(crate::reconciler::run(state.clone())));
        // A zero interval turns the collector off (tests drive it themselves).
        if !state.settings.metrics_interval.is_zero() {
            let collector = crate::metrics::collector::CollectorConfig {
                interval: state.settings.metrics_interval,
                ..Default::default()
            };
            tasks.push(tokio::spawn(crate::metrics::collector::run(
                state.clone(),
                collector,
            )));
        }
    }
    tasks.push(tokio::spawn(clean_sessions(db)));
    let listener = TcpListener::bind(cfg.listen)
        .await
        .with_context(|| format!("binding {}", cfg.listen))?;
    let addr = listener.local_addr()?;
    let app = crate::app::app(state.clone());
    let (scheme, server) = match &cfg.tls {
        Some((cert, key)) => {
            let acceptor = crate::tls::acceptor(cert, key)?;
            (
                if cfg.plain_http_too { "http" } else { "https" },
                tokio::spawn(crate::tls::serve(
                    listener,
                    acceptor,
                    app,
                    stop_rx,
                    cfg.plain_http_too,
                )),
            )
        }
        None => {
            let mut stop_rx = stop_rx;
            let make = app.into_make_service_with_connect_info::<SocketAddr>();
            let server = tokio::spawn(async move {
                let shutdown = async move {
                    let _ = stop_rx.wait_for(|s| *s).await;
                };
                if let Err(e) = axum::serve(listener, make)
                    .with_graceful_shutdown(shutdown)
                    .await
                {
                    tracing::error!(error = %e, "the HTTP server failed");
                }
            });
            ("http", server)
        }
    };
    let host = if addr.ip().is_unspecified() {
        "127.0.0.1".to_string()
    } else {
        addr.ip().to_string()
    };
    Ok(Portal {
        addr,
        url: format!("{scheme}://{host}:{}", addr.port()),
        state,
        stop,
        tasks,
        server,
        embedded,
    })
}

/// Deletes expired sessions every hour.
async fn clean_sessions(db: sqlx::PgPool) {
    use tower_sessions::ExpiredDeletion;
    let store = tower_sessions_sqlx_store::PostgresStore::new(db);
    if let Err(e) = store
        .continuously_delete_expired(std::time::Duration::from_secs(3600))
        .await
    {
        tracing::warn!(error = %e, "expired-session cleanup stopped");
    }
}

impl Portal {
    /// Stops serving (open requests finish), the background tasks and the embedded database.
    pub async fn shutdown(self) {
        let _ = self.stop.send(true);
        let _ = tokio::time::timeout(std::time::Duration::from_secs(10), self.server).await;
        for t in self.tasks {
            t.abort();
        }
        self.state.db.close().await;
        if let Some(pg) = self.embedded
            && let Err(e) = pg.stop().await
        {
            tracing::warn!(error = %e, "stopping the embedded database");
        }
    }
}
