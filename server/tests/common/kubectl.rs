//! Real kubectl against the portal's Kubernetes proxy: a user's kubeconfig downloaded from
//! `/api/v1/me/kubeconfig` (HTTPS, the portal's certificate inside), and a runner around it.

use std::path::PathBuf;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use super::http::Api;

/// kubectl as one portal user.
pub struct Kubectl {
    pub kubeconfig: PathBuf,
    _dir: tempfile::TempDir,
}

/// What one kubectl run printed.
pub struct Run {
    pub ok: bool,
    pub stdout: String,
    pub stderr: String,
}

impl From<Output> for Run {
    fn from(o: Output) -> Run {
        Run {
            ok: o.status.success(),
            stdout: String::from_utf8_lossy(&o.stdout).to_string(),
            stderr: String::from_utf8_lossy(&o.stderr).to_string(),
        }
    }
}

impl Kubectl {
    /// The kubeconfig the portal hands `api`'s logged-in user.
    pub async fn of(api: &mut Api) -> Kubectl {
        let resp = api.get("/api/v1/me/kubeconfig").await.expect(200);
        let dir = tempfile::tempdir().unwrap();
        let kubeconfig = dir.path().join("kubeconfig");
        std::fs::write(&kubeconfig, &resp.text).unwrap();
        Kubectl {
            kubeconfig,
            _dir: dir,
        }
    }

    fn command(&self, args: &[&str]) -> Command {
        let mut c = Command::new(std::env::var("KUBECTL").unwrap_or_else(|_| "kubectl".into()));
        c.env("KUBECONFIG", &self.kubeconfig)
            .env("HOME", self._dir.path())
            .args(args);
        c
    }

    pub fn run(&self, args: &[&str]) -> Run {
        self.command(args)
            .output()
            .expect("run kubectl (scripts/ensure-tools.sh installs it)")
            .into()
    }

    /// Runs with `stdin` as its input (`apply -f -`).
    pub fn run_with(&self, args: &[&str], stdin: &str) -> Run {
        use std::io::Write;
        let mut child = self
            .command(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("run kubectl");
        child
            .stdin
            .take()
            .unwrap()
            .write_all(stdin.as_bytes())
            .unwrap();
        child.wait_with_output().unwrap().into()
    }

    /// Runs and requires success; returns stdout.
    #[track_caller]
    pub fn ok(&self, args: &[&str]) -> String {
        let r = self.run(args);
        assert!(r.ok, "kubectl {args:?} failed: {}{}", r.stderr, r.stdout);
        r.stdout
    }

    /// Runs and requires failure; returns stderr.
    #[track_caller]
    pub fn fails(&self, args: &[&str]) -> String {
        let r = self.run(args);
        assert!(!r.ok, "kubectl {args:?} should have failed: {}", r.stdout);
        r.stderr
    }

    /// Repeats until stdout satisfies `done` (20 s at most).
    #[track_caller]
    pub fn until(&self, args: &[&str], done: impl Fn(&str) -> bool) -> String {
        let start = Instant::now();
        loop {
            let r = self.run(args);
            if done(&r.stdout) {
                return r.stdout;
            }
            assert!(
                start.elapsed() < Duration::from_secs(20),
                "kubectl {args:?} never got there:\n{}{}",
                r.stdout,
                r.stderr
            );
            std::thread::sleep(Duration::from_millis(200));
        }
    }
}
