//! The `ku8portal` binary: `simcluster` starts a cluster that real kubectl can use through the
//! kubeconfig it writes; bad flags give an actionable error.

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

#[test]
fn simcluster_command_writes_a_working_kubeconfig() {
    let dir = tempfile::tempdir().unwrap();
    let kc = dir.path().join("sim.kubeconfig");
    let mut child = Command::new(env!("CARGO_BIN_EXE_ku8portal"))
        .args(["simcluster", "--listen", "127.0.0.1:0", "--kubeconfig-out"])
        .arg(&kc)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start ku8portal simcluster");
    let start = Instant::now();
    while !kc.exists() && start.elapsed() < Duration::from_secs(20) {
        std::thread::sleep(Duration::from_millis(50));
    }
    let text = std::fs::read_to_string(&kc).expect("kubeconfig written");
    assert!(
        text.contains("certificate-authority-data:") && text.contains("token:"),
        "{text}"
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(
            std::fs::metadata(&kc).unwrap().permissions().mode() & 0o777,
            0o600
        );
    }
    let out = Command::new(std::env::var("KUBECTL").unwrap_or_else(|_| "kubectl".into()))
        .env("KUBECONFIG", &kc)
        .args(["get", "namespaces", "-o", "name"])
        .output()
        .expect("run kubectl");
    let _ = child.kill();
    let _ = child.wait();
    let names = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(names.lines().any(|l| l == "namespace/default"), "{names}");
}

#[test]
fn unknown_seed_is_refused_with_the_choices() {
    let out = Command::new(env!("CARGO_BIN_EXE_ku8portal"))
        .args(["simcluster", "--seed", "lots"])
        .output()
        .expect("run ku8portal");
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("use none, empty or demo"), "{err}");
}
