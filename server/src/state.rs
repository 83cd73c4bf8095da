//! Shared state of the portal's handlers: the database pool, the cluster client, settings and
//! the password hasher.

use std::ops::Deref;
use std::sync::Arc;
use std::time::Duration;

use sqlx::PgPool;

use crate::auth::password::Hasher;

/// Runtime settings of the portal (built from the command line by `cli`).
#[derive(Debug, Clone)]
pub struct Settings {
    /// The URL users reach the portal at (cookies are `Secure` when it is https).
    pub public_url: Option<url::Url>,
    /// Mark cookies `Secure` (TLS served directly or `public_url` is https).
    pub secure_cookies: bool,
    /// A session ends after this much inactivity...
    pub session_idle: Duration,
    /// ...and at the latest this long after login.
    pub session_absolute: Duration,
    /// Failed logins allowed per user name within `login_window`.
    pub login_failures_per_user: i64,
    /// Failed logins allowed per client address within `login_window`.
    pub login_failures_per_addr: i64,
    pub login_window: Duration,
    /// How often the reconciler re-checks every namespace even without a change.
    pub resync_interval: Duration,
    /// Label shown in the UI for the cluster (e.g. "simulated cluster").
    pub cluster_label: Option<String>,
    /// How often the metrics collector samples the cluster.
    pub metrics_interval: Duration,
    /// When the portal serves TLS itself: the certificate clients should trust (the last one of
    /// its chain, PEM), written into the kubeconfigs it hands out.
    pub tls_trust_pem: Option<String>,
}

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            public_url: None,
            secure_cookies: false,
            session_idle: Duration::from_secs(8 * 3600),
            session_absolute: Duration::from_secs(7 * 24 * 3600),
            login_failures_per_user: 5,
            login_failures_per_addr: 30,
            login_window: Duration::from_secs(15 * 60),
            resync_interval: Duration::from_secs(30),
            cluster_label: None,
            tls_trust_pem: None,
            metrics_interval: Duration::from_secs(15),
        }
    }
}

pub struct Inner {
    pub db: PgPool,
    pub kube: kube::Client,
    pub settings: Settings,
    pub hasher: Hasher,
    /// Managed ResourceQuotas from a watch (set by `runtime::start`; absent in the admin CLI).
    pub quota_cache: std::sync::OnceLock<crate::usage::cache::QuotaCache>,
    /// The Kubernetes proxy's caches (callers, discovery).
    pub proxy: crate::proxy::ProxyState,
}

/// Cheap to clone; handlers take it as `State<AppState>`.
#[derive(Clone)]
pub struct AppState(Arc<Inner>);

impl AppState {
    pub fn new(db: PgPool, kube: kube::Client, settings: Settings) -> AppState {
        AppState(Arc::new(Inner {
            db,
            kube,
            settings,
            hasher: Hasher::new(4),
            quota_cache: std::sync::OnceLock::new(),
            proxy: crate::proxy::ProxyState::default(),
        }))
    }
}

impl Deref for AppState {
    type Target = Inner;
    fn deref(&self) -> &Inner {
        &self.0
    }
}
