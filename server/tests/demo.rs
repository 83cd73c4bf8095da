//! `ku8portal demo` from nothing on a fresh data folder: it prints the URL and logins that
//! work, its namespaces reach the simulated cluster, and its data survives a restart.

mod common;

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

use common::http::Api;
use common::portal::eventually;

struct Demo {
    child: Child,
    url: String,
    out: Vec<String>,
}

impl Drop for Demo {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn demo(dir: &std::path::Path) -> Demo {
    let mut child = Command::new(env!("CARGO_BIN_EXE_ku8portal"))
        .args([
            "demo",
            "--listen",
            "127.0.0.1:0",
            "--sim-listen",
            &format!("127.0.0.1:{}", free_port()),
        ])
        .arg("--data-dir")
        .arg(dir)
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("start ku8portal demo");
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let mut out = Vec::new();
    let mut url = String::new();
    for line in lines.by_ref() {
        let line = line.unwrap();
        if let Some(u) = line.strip_prefix("ku8portal demo is running at ") {
            url = u.trim().to_string();
        }
        let done = line.starts_with("Press Ctrl-C");
        out.push(line);
        if done {
            break;
        }
    }
    std::thread::spawn(move || for _ in lines {});
    assert!(!url.is_empty(), "no URL printed: {out:?}");
    Demo { child, url, out }
}

/// The printed "user / password" pairs.
fn logins(out: &[String]) -> Vec<(String, String)> {
    out.iter()
        .filter(|l| l.starts_with("  "))
        .filter_map(|l| {
            let (user, rest) = l.trim().split_once(" / ")?;
            Some((
                user.trim().to_string(),
                rest.split_whitespace().next()?.to_string(),
            ))
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn demo_starts_from_nothing_and_its_logins_work() {
    let dir = tempfile::tempdir().unwrap();
    let d = demo(dir.path());
    assert!(
        d.out.iter().any(|l| l.contains("demo data created")),
        "{:?}",
        d.out
    );
    let logins = logins(&d.out);
    assert!(logins.len() >= 5, "{:?}", d.out);
    for (user, password) in &logins {
        let mut api = Api::new(&d.url);
        api.login(user, password).await;
    }
    let (admin, pw) = &logins[0];
    let mut api = Api::new(&d.url);
    api.login(admin, pw).await;
    let tenants = api.get("/api/v1/tenants").await.expect(200).body;
    let names: Vec<&str> = tenants
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["acme", "globex"]);
    let pending = api
        .get("/api/v1/quota-requests?status=pending")
        .await
        .expect(200)
        .body;
    assert_eq!(pending.as_array().unwrap().len(), 2);
    let a = api.clone();
    eventually(30, "every demo namespace in sync", || {
        let mut a = a.clone();
        async move {
            let nss = a.get("/api/v1/namespaces").await.body;
            nss.as_array()
                .is_some_and(|v| v.len() == 4 && v.iter().all(|n| n["sync_state"] == "in-sync"))
        }
    })
    .await;
    let ready = api.get("/readyz").await.expect(200);
    assert_eq!(ready.body["cluster_label"], "simulated cluster");
    drop(d);
    // Data persists across a restart.
    let d = demo(dir.path());
    assert!(
        d.out
            .iter()
            .any(|l| l.contains("demo data from an earlier run")),
        "{:?}",
        d.out
    );
    let mut api = Api::new(&d.url);
    api.login(admin, pw).await;
    assert_eq!(
        api.get("/api/v1/tenants")
            .await
            .body
            .as_array()
            .unwrap()
            .len(),
        2
    );
}
