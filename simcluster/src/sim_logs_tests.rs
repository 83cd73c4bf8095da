//! Tests of the simulated container logs.
use super::*;
use chrono::TimeZone;
use serde_json::json;

fn t(s: i64) -> DateTime<Utc> {
    Utc.timestamp_opt(1_800_000_000 + s, 0).unwrap()
}

#[test]
fn nginx_starts_like_nginx_and_keeps_logging() {
    let pod = json!({"metadata": {"namespace": "shop", "name": "web"}});
    let c = json!({"name": "app", "image": "nginx:1.27"});
    let src = Source::new(1, &pod, &c, 0, t(0), None);
    let all = src.lines(t(600), 10_000);
    assert!(all[0].text.starts_with("/docker-entrypoint.sh"));
    assert!(all.len() > 100, "{}", all.len());
    assert!(all.windows(2).all(|w| w[0].at <= w[1].at));
    assert_eq!(src.lines(t(600), 5), all[all.len() - 5..].to_vec());
    assert_eq!(
        Source::new(1, &pod, &c, 0, t(0), None).lines(t(300), 10_000),
        src.lines(t(300), 10_000)
    );
    assert!(src.lines(t(600), 10_000).len() > src.lines(t(300), 10_000).len());
}

#[test]
fn shell_loops_and_crashes() {
    let pod = json!({"metadata": {"namespace": "a", "name": "b"}});
    let c = json!({"name": "c", "image": "busybox", "command": ["sh", "-c", "while true; do echo \"tick tock\"; sleep 2; done"]});
    let lines = Source::new(1, &pod, &c, 0, t(0), None).lines(t(11), 100);
    assert_eq!(
        lines.iter().map(|l| l.text.as_str()).collect::<Vec<_>>(),
        ["tick tock"; 5]
    );
    let crash = json!({"name": "c", "image": "busybox", "command": ["sh", "-c", "echo starting; sleep 3; exit 1"]});
    let lines = Source::new(1, &pod, &crash, 2, t(0), Some((1, t(3)))).lines(t(100), 100);
    let texts: Vec<&str> = lines.iter().map(|l| l.text.as_str()).collect();
    assert_eq!(
        texts,
        ["starting", "error: command failed with exit code 1"]
    );
}
