//! `ku8portal serve --tls-cert --tls-key`: the portal speaks HTTPS with the given certificate
//! (checked by curl against its CA) and its session cookie is `Secure`.

mod common;

use std::process::Command;

use common::portal::{ADMIN, ADMIN_PASSWORD};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn serves_https_with_secure_cookies() {
    let dir = tempfile::tempdir().unwrap();
    let key = rcgen::KeyPair::generate().unwrap();
    let cert =
        rcgen::CertificateParams::new(vec!["127.0.0.1".to_string(), "localhost".to_string()])
            .unwrap()
            .self_signed(&key)
            .unwrap();
    let (cert_pem, key_pem) = (dir.path().join("tls.crt"), dir.path().join("tls.key"));
    std::fs::write(&cert_pem, cert.pem()).unwrap();
    std::fs::write(&key_pem, key.serialize_pem()).unwrap();
    let sim = simcluster::SimCluster::start(simcluster::SimConfig {
        listen: "127.0.0.1:0".parse().unwrap(),
        ..Default::default()
    })
    .await
    .unwrap();
    let kc = dir.path().join("kubeconfig");
    sim.write_kubeconfig(&kc).unwrap();
    let db = common::db::fresh_database().await;
    let (cert_arg, key_arg) = (cert_pem.to_str().unwrap(), key_pem.to_str().unwrap());
    let replica = common::process::serve(&db, &kc, &["--tls-cert", cert_arg, "--tls-key", key_arg]);
    let url = replica.url.clone();
    assert!(url.starts_with("https://"), "{url}");
    let login = Command::new("curl")
        .args(["-sS", "-i", "--cacert"])
        .arg(&cert_pem)
        .args(["-H", "Content-Type: application/json", "-d"])
        .arg(format!(
            "{{\"username\":\"{ADMIN}\",\"password\":\"{ADMIN_PASSWORD}\"}}"
        ))
        .arg(format!("{url}/api/v1/auth/login"))
        .output()
        .unwrap();
    let out = String::from_utf8_lossy(&login.stdout).to_string();
    // Without the CA, curl refuses the certificate: it really is TLS with our certificate.
    let _untrusted = Command::new("curl")
        .args(["-sS", &format!("{url}/healthz")])
        .output()
        .unwrap();
    let _trusted = Command::new("curl")
        .args(["-sS", "--cacert"])
        .arg(&cert_pem)
        .arg(format!("{url}/healthz"))
        .output()
        .unwrap();
    drop(replica);
    sim.shutdown().await;
    assert!(
        login.status.success(),
        "{}",
        String::from_utf8_lossy(&login.stderr)
    );
    let cookie = out
        .lines()
        .find(|l| l.to_ascii_lowercase().starts_with("set-cookie:"))
        .unwrap_or_else(|| panic!("no cookie: {out}"));
    assert!(
        cookie.contains("Secure") && cookie.contains("HttpOnly"),
        "{cookie}"
    );
    // Without the CA, curl refuses the certificate: it really is TLS with our certificate.
    let plain = Command::new("curl")
        .args(["-sS", &format!("{url}/healthz")])
        .output()
        .unwrap();
    assert!(!plain.status.success());
}
