//! A portal for one test: its own database, its own simulated cluster over HTTPS, the real
//! router on a free port, a platform admin, and helpers that read like a small client library.

use std::time::Duration;

use ku8portal::runtime::{Cluster, Database, Portal, PortalConfig};
use ku8portal::state::Settings;
use serde_json::{Value, json};
use simcluster::{Seed, SimCluster, SimConfig};

use super::db::fresh_database;
use super::http::Api;

pub const ADMIN: &str = "admin";
pub const ADMIN_PASSWORD: &str = "admin-password-1";
/// Password of every user the helpers create.
pub const PASSWORD: &str = "user-password-1";

pub struct TestPortal {
    pub portal: Option<Portal>,
    /// The portal's self-signed certificate (it answers HTTPS and plain HTTP on one port).
    pub cert: std::path::PathBuf,
    _certs: tempfile::TempDir,
    pub sim: SimCluster,
    pub db_url: String,
    pub url: String,
}

pub fn settings() -> Settings {
    Settings {
        resync_interval: Duration::from_secs(2),
        ..Settings::default()
    }
}

impl TestPortal {
    pub async fn start() -> TestPortal {
        TestPortal::start_with(settings()).await
    }

    pub async fn start_with(settings: Settings) -> TestPortal {
        TestPortal::start_on(settings, SimConfig::default()).await
    }

    /// With a simulated cluster configured by `sim` (listen address and seed are set here).
    pub async fn start_on(settings: Settings, sim: SimConfig) -> TestPortal {
        let sim = SimCluster::start(SimConfig {
            listen: "127.0.0.1:0".parse().unwrap(),
            seed: Seed::Empty,
            ..sim
        })
        .await
        .expect("start simcluster");
        let db_url = fresh_database().await;
        let certs = tempfile::tempdir().unwrap();
        let hosts = ["127.0.0.1".to_string(), "localhost".to_string()];
        let (cert, key) = ku8portal::tls::self_signed(certs.path(), &hosts).unwrap();
        let portal = ku8portal::runtime::start(PortalConfig {
            listen: "127.0.0.1:0".parse().unwrap(),
            database: Database::Url(db_url.clone()),
            cluster: Cluster::KubeconfigYaml(sim.kubeconfig()),
            settings,
            tls: Some((cert.clone(), key)),
            plain_http_too: true,
            bootstrap_admin: Some((ADMIN.into(), ADMIN_PASSWORD.into())),
            reconciler: true,
        })
        .await
        .expect("start portal");
        let url = portal.url.clone();
        TestPortal {
            portal: Some(portal),
            cert,
            _certs: certs,
            sim,
            db_url,
            url,
        }
    }

    pub fn state(&self) -> &ku8portal::state::AppState {
        &self.portal.as_ref().expect("portal running").state
    }

    pub fn api(&self) -> Api {
        Api::new(&self.url)
    }

    /// A client logged in as the platform admin.
    pub async fn admin(&self) -> Api {
        let mut a = self.api();
        a.login(ADMIN, ADMIN_PASSWORD).await;
        a
    }

    /// A client logged in as `user`.
    pub async fn login(&self, user: &str) -> Api {
        let mut a = self.api();
        a.login(user, PASSWORD).await;
        a
    }

    /// A cluster client with the simulator's admin credentials (what `kubectl` would see).
    pub async fn kube(&self) -> kube::Client {
        ku8portal::kube_client::client_from_yaml(&self.sim.kubeconfig())
            .await
            .unwrap()
    }

    pub async fn shutdown(mut self) {
        if let Some(p) = self.portal.take() {
            p.shutdown().await;
        }
        self.sim.shutdown().await;
    }
}

/// A tenant with the given budget (the other standard resources at 0).
pub async fn create_tenant(admin: &mut Api, name: &str, budget: Value) -> Value {
    admin
        .post("/api/v1/tenants", &json!({"name": name, "budget": budget}))
        .await
        .expect(201)
        .body
}

/// A user with [`PASSWORD`], member of `tenant` in `role` (no tenant: just the user).
pub async fn create_user(admin: &mut Api, user: &str, tenant: Option<(&str, &str)>) {
    admin
        .post(
            "/api/v1/users",
            &json!({"username": user, "password": PASSWORD}),
        )
        .await
        .expect(201);
    if let Some((t, role)) = tenant {
        admin
            .put(
                &format!("/api/v1/tenants/{t}/members/{user}"),
                &json!({"role": role}),
            )
            .await
            .expect(200);
    }
}

/// Polls `check` every 100 ms until it is true or `secs` pass.
pub async fn eventually<F, Fut>(secs: u64, what: &str, mut check: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let deadline = tokio::time::Instant::now() + Duration::from_secs(secs);
    loop {
        if check().await {
            return;
        }
        if tokio::time::Instant::now() > deadline {
            panic!("timed out after {secs} s waiting for {what}");
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}
