//! `ku8portal serve`: the production portal against a real cluster, configured by flags with
//! environment-variable fallbacks.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use anyhow::Context;

use crate::runtime::{Cluster, Database, PortalConfig};
use crate::state::Settings;

/// Options of `ku8portal serve`.
#[derive(Debug, Clone, clap::Args)]
pub struct ServeArgs {
    /// Address the portal listens on.
    #[arg(long, env = "KU8PORTAL_LISTEN", default_value = "127.0.0.1:8080")]
    pub listen: SocketAddr,
    /// PostgreSQL URL, e.g. postgres://ku8portal:secret@db:5432/ku8portal. Without it an
    /// embedded PostgreSQL is started from the system's PostgreSQL binaries in --data-dir.
    #[arg(long, env = "DATABASE_URL", hide_env_values = true)]
    pub database_url: Option<String>,
    /// Folder of the embedded database (used when no --database-url is given).
    #[arg(long, env = "KU8PORTAL_DATA_DIR", default_value = ".ku8portal-data")]
    pub data_dir: PathBuf,
    /// Kubeconfig of the cluster (its current context). Without it: KUBECONFIG,
    /// ~/.kube/config, or the in-cluster service account.
    #[arg(long, env = "KU8PORTAL_KUBECONFIG")]
    pub kubeconfig: Option<PathBuf>,
    /// The URL users reach the portal at; cookies are Secure when it is https.
    #[arg(long, env = "KU8PORTAL_PUBLIC_URL")]
    pub public_url: Option<url::Url>,
    /// Serve HTTPS with this certificate chain (PEM); needs --tls-key.
    #[arg(long, env = "KU8PORTAL_TLS_CERT", requires = "tls_key")]
    pub tls_cert: Option<PathBuf>,
    /// The private key (PEM) of --tls-cert.
    #[arg(long, env = "KU8PORTAL_TLS_KEY", requires = "tls_cert")]
    pub tls_key: Option<PathBuf>,
    /// Mark session cookies Secure even without TLS here (TLS terminated by a proxy).
    #[arg(long, env = "KU8PORTAL_SECURE_COOKIES")]
    pub secure_cookies: bool,
    /// Minutes of inactivity after which a session ends.
    #[arg(long, env = "KU8PORTAL_SESSION_IDLE_MINUTES", default_value_t = 480)]
    pub session_idle_minutes: u64,
    /// Hours after login at which a session ends regardless of activity.
    #[arg(long, env = "KU8PORTAL_SESSION_MAX_HOURS", default_value_t = 168)]
    pub session_max_hours: u64,
    /// Seconds between full reconciliations of every namespace.
    #[arg(long, env = "KU8PORTAL_RESYNC_SECONDS", default_value_t = 30)]
    pub resync_seconds: u64,
    /// Seconds between metrics collections (0: no collector in this replica).
    #[arg(long, env = "KU8PORTAL_METRICS_INTERVAL_SECONDS", default_value_t = 15)]
    pub metrics_interval_seconds: u64,
    /// User name of the first platform admin, created when there are no users yet.
    #[arg(long, env = "KU8PORTAL_ADMIN_USER", default_value = "admin")]
    pub admin_user: String,
    /// File holding the first platform admin's password (only read when there are no users).
    #[arg(long, env = "KU8PORTAL_ADMIN_PASSWORD_FILE")]
    pub admin_password_file: Option<PathBuf>,
    /// The first platform admin's password (prefer --admin-password-file).
    #[arg(long, env = "KU8PORTAL_ADMIN_PASSWORD", hide_env_values = true)]
    pub admin_password: Option<String>,
    /// Do not run the reconciler in this process (for read-only replicas).
    #[arg(long, env = "KU8PORTAL_NO_RECONCILER")]
    pub no_reconciler: bool,
}

impl ServeArgs {
    pub fn settings(&self) -> Settings {
        let https_public = self
            .public_url
            .as_ref()
            .is_some_and(|u| u.scheme() == "https");
        Settings {
            public_url: self.public_url.clone(),
            secure_cookies: self.secure_cookies || self.tls_cert.is_some() || https_public,
            session_idle: Duration::from_secs(self.session_idle_minutes * 60),
            session_absolute: Duration::from_secs(self.session_max_hours * 3600),
            resync_interval: Duration::from_secs(self.resync_seconds.max(1)),
            metrics_interval: Duration::from_secs(self.metrics_interval_seconds),
            ..Settings::default()
        }
    }

    pub fn config(&self) -> anyhow::Result<PortalConfig> {
        let password = match (&self.admin_password_file, &self.admin_password) {
            (Some(f), _) => Some(
                std::fs::read_to_string(f)
                    .with_context(|| format!("reading --admin-password-file {}", f.display()))?
                    .trim_end_matches(['\n', '\r'])
                    .to_string(),
            ),
            (None, p) => p.clone(),
        };
        Ok(PortalConfig {
            listen: self.listen,
            database: match &self.database_url {
                Some(u) => Database::Url(u.clone()),
                None => Database::Embedded(self.data_dir.join("postgres")),
            },
            cluster: match &self.kubeconfig {
                Some(p) => Cluster::Kubeconfig(p.clone()),
                None => Cluster::Infer,
            },
            settings: self.settings(),
            tls: self.tls_cert.clone().zip(self.tls_key.clone()),
            plain_http_too: false,
            bootstrap_admin: password.map(|p| (self.admin_user.clone(), p)),
            reconciler: !self.no_reconciler,
        })
    }
}

pub async fn run(args: ServeArgs) -> anyhow::Result<()> {
    let portal = crate::runtime::start(args.config()?).await?;
    let users = sqlx::query_scalar!(r#"SELECT count(*) AS "n!" FROM users"#)
        .fetch_one(&portal.state.db)
        .await?;
    if users == 0 {
        tracing::warn!(
            "there are no users yet: restart with --admin-password-file (or KU8PORTAL_ADMIN_PASSWORD) to create the first platform admin, or use `ku8portal admin create-user`"
        );
    }
    println!("ku8portal listening on {}", portal.url);
    super::shutdown_signal().await;
    tracing::info!("shutting down");
    portal.shutdown().await;
    Ok(())
}
