//! `ku8portal serve` as a child process: started on a free port against a test database and a
//! kubeconfig, its URL read from the "listening on" line, killed when dropped.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};

use super::portal::ADMIN_PASSWORD;

pub struct Replica {
    pub child: Child,
    pub url: String,
}

impl Drop for Replica {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts `ku8portal serve --listen 127.0.0.1:0 <extra> --kubeconfig <kubeconfig>` with the
/// test admin bootstrapped, and waits for its address.
pub fn serve(db: &str, kubeconfig: &Path, extra: &[&str]) -> Replica {
    let mut child = Command::new(env!("CARGO_BIN_EXE_ku8portal"))
        .args(["serve", "--listen", "127.0.0.1:0"])
        .args(extra)
        .arg("--kubeconfig")
        .arg(kubeconfig)
        .env("DATABASE_URL", db)
        .env("KU8PORTAL_ADMIN_PASSWORD", ADMIN_PASSWORD)
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("start ku8portal serve");
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let url = loop {
        let line = lines.next().expect("serve printed its address").unwrap();
        if let Some(u) = line.strip_prefix("ku8portal listening on ") {
            break u.trim().to_string();
        }
    };
    std::thread::spawn(move || for _ in lines {});
    Replica { child, url }
}
