//! Serving the portal over HTTPS with a certificate and key from PEM files (rustls), with the
//! client address available to handlers like the plain-HTTP server.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::Context;
use axum::Router;
use axum::extract::ConnectInfo;
use hyper_util::rt::{TokioExecutor, TokioIo};
use hyper_util::server::conn::auto;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio_rustls::TlsAcceptor;
use tower::ServiceExt;

/// A TLS acceptor for the certificate chain and key in these PEM files.
pub fn acceptor(cert: &Path, key: &Path) -> anyhow::Result<TlsAcceptor> {
    let certs: Vec<CertificateDer<'static>> = CertificateDer::pem_file_iter(cert)
        .with_context(|| format!("reading the TLS certificate {}", cert.display()))?
        .collect::<Result<_, _>>()
        .with_context(|| format!("parsing the TLS certificate {}", cert.display()))?;
    let key = PrivateKeyDer::from_pem_file(key)
        .with_context(|| format!("reading the TLS key {}", key.display()))?;
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()?
        .with_no_client_auth()
        .with_single_cert(certs, key)
        .context("the TLS certificate and key do not match")?;
    config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
    Ok(TlsAcceptor::from(Arc::new(config)))
}

/// Serves `app` over TLS until `stop` turns true; with `plain_too`, connections that do not
/// start with a TLS handshake are served as plain HTTP on the same port (the demo: a browser
/// on `http://`, kubectl on `https://`).
pub async fn serve(
    listener: TcpListener,
    acceptor: TlsAcceptor,
    app: Router,
    mut stop: watch::Receiver<bool>,
    plain_too: bool,
) {
    loop {
        let (tcp, peer) = tokio::select! {
            r = listener.accept() => match r {
                Ok(c) => c,
                Err(e) => { tracing::warn!(error = %e, "accept failed"); continue; }
            },
            _ = stop.changed() => break,
        };
        let acceptor = acceptor.clone();
        let app = app.clone();
        tokio::spawn(async move {
            let svc = hyper::service::service_fn(
                move |mut req: hyper::Request<hyper::body::Incoming>| {
                    req.extensions_mut().insert(ConnectInfo::<SocketAddr>(peer));
                    app.clone().oneshot(req.map(axum::body::Body::new))
                },
            );
            let builder = auto::Builder::new(TokioExecutor::new());
            let mut first = [0u8; 1];
            // 0x16: a TLS handshake record.
            let tls = !plain_too || matches!(tcp.peek(&mut first).await, Ok(1) if first[0] == 0x16);
            if !tls {
                let _ = builder
                    .serve_connection_with_upgrades(TokioIo::new(tcp), svc)
                    .await;
                return;
            }
            let Ok(tls) = acceptor.accept(tcp).await else {
                return;
            };
            let _ = builder
                .serve_connection_with_upgrades(TokioIo::new(tls), svc)
                .await;
        });
    }
}

/// A self-signed certificate for `hosts` (IP addresses or DNS names) written to
/// `dir/portal.crt` and `dir/portal.key`, unless both exist already; returns their paths.
pub fn self_signed(dir: &Path, hosts: &[String]) -> anyhow::Result<(PathBuf, PathBuf)> {
    let (cert, key) = (dir.join("portal.crt"), dir.join("portal.key"));
    if cert.exists() && key.exists() {
        return Ok((cert, key));
    }
    let pair = rcgen::KeyPair::generate().context("generating a TLS key")?;
    let c = rcgen::CertificateParams::new(hosts.to_vec())
        .context("certificate names")?
        .self_signed(&pair)
        .context("self-signing the portal's certificate")?;
    std::fs::write(&cert, c.pem()).with_context(|| format!("writing {}", cert.display()))?;
    write_private(&key, &pair.serialize_pem())?;
    Ok((cert, key))
}

fn write_private(path: &Path, text: &str) -> anyhow::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(path)
        .with_context(|| format!("writing {}", path.display()))?;
    f.write_all(text.as_bytes())?;
    Ok(())
}

/// The last certificate of a PEM chain (the one closest to the root), as PEM.
pub fn last_certificate(pem: &str) -> Option<String> {
    const BEGIN: &str = "-----BEGIN CERTIFICATE-----";
    const END: &str = "-----END CERTIFICATE-----";
    let start = pem.rfind(BEGIN)?;
    let end = pem[start..].find(END)? + start + END.len();
    Some(format!("{}\n", &pem[start..end]))
}

#[cfg(test)]
mod tests {
    #[test]
    fn last_certificate_of_a_chain() {
        let chain = "-----BEGIN CERTIFICATE-----\nAAA\n-----END CERTIFICATE-----\n-----BEGIN CERTIFICATE-----\nBBB\n-----END CERTIFICATE-----\n";
        assert_eq!(
            super::last_certificate(chain).unwrap(),
            "-----BEGIN CERTIFICATE-----\nBBB\n-----END CERTIFICATE-----\n"
        );
        assert!(super::last_certificate("nothing").is_none());
    }
}
