//! Drift events: external edits and deletes reported, and the stream surviving an apiserver
//! restart.

use super::*;

#[tokio::test]
async fn drift_events_report_external_edits_and_deletes() {
    let (sim, c) = start(SimConfig::default()).await;
    cluster::apply(&c, &desired("drift-a")).await.unwrap();
    cluster::apply(&c, &desired("drift-b")).await.unwrap();
    let mut events: Events = Box::pin(cluster::drift_events(c.clone()));
    let initial = drain(&mut events, Duration::from_millis(700)).await;
    assert!(initial.contains(&"drift-a".to_string()) && initial.contains(&"drift-b".to_string()));
    assert!(
        !initial.contains(&"default".to_string()),
        "unmanaged namespace reported"
    );

    let edit = serde_json::json!({"spec": {"hard": {"pods": "99"}}});
    Api::<ResourceQuota>::namespaced(c.clone(), "drift-b")
        .patch(QUOTA_NAME, &someone_else(), &Patch::Merge(&edit))
        .await
        .unwrap();
    let t = expect_name(&mut events, "drift-b", Duration::from_secs(2)).await;
    eprintln!("quota edit reported after {t:?}");

    Api::<LimitRange>::namespaced(c.clone(), "drift-a")
        .delete(LIMITS_NAME, &DeleteParams::default())
        .await
        .unwrap();
    let t = expect_name(&mut events, "drift-a", Duration::from_secs(2)).await;
    eprintln!("LimitRange delete reported after {t:?}");

    // Taking the managed-by label off looks like a deletion to a label-selected watch.
    drain(&mut events, Duration::from_millis(300)).await;
    let unlabel = serde_json::json!({"metadata": {"labels": {MANAGED_BY.0: null}}});
    Api::<ResourceQuota>::namespaced(c.clone(), "drift-b")
        .patch(QUOTA_NAME, &someone_else(), &Patch::Merge(&unlabel))
        .await
        .unwrap();
    expect_name(&mut events, "drift-b", Duration::from_secs(2)).await;
    // ...and apply labels it again.
    cluster::apply(&c, &desired("drift-b")).await.unwrap();
    let rq = get_quota(&c, "drift-b").await;
    assert_eq!(labels(&rq.metadata)[MANAGED_BY.0], MANAGED_BY.1);
    sim.shutdown().await;
}

#[tokio::test]
async fn drift_events_survive_an_apiserver_restart() {
    use std::sync::{Arc, Mutex};
    // Capture this test's logs (the stream is polled on this thread).
    let logs = Arc::new(Mutex::new(Vec::<u8>::new()));
    let sink = logs.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_env_filter("ku8portal=debug")
        .with_ansi(false)
        .with_writer(move || LogWriter(sink.clone()))
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let token = "restart-test-token".to_string();
    let config = SimConfig {
        admin_token: Some(token.clone()),
        ..SimConfig::default()
    };
    let sim = SimCluster::start(config.clone()).await.unwrap();
    let addr = sim.addr;
    // The restarted simulator has a new CA: this client does not check certificates.
    let c = client_for(&sim, true).await;
    cluster::apply(&c, &desired("before")).await.unwrap();
    let mut events: Events = Box::pin(cluster::drift_events(c.clone()));
    expect_name(&mut events, "before", Duration::from_secs(5)).await;
    drain(&mut events, Duration::from_millis(300)).await;

    sim.shutdown().await;
    let down = Instant::now();
    match tokio::time::timeout(Duration::from_secs(3), events.next()).await {
        Err(_) => {}
        Ok(None) => panic!("drift stream ended when the apiserver went away"),
        Ok(Some(n)) => panic!("unexpected event {n} while the apiserver is down"),
    }
    let err = cluster::apply(&c, &desired("during")).await.unwrap_err();
    assert!(err.is_unreachable(), "{err:?}");
    eprintln!("apply while down: {err}");

    let sim = SimCluster::start(SimConfig {
        listen: addr,
        ..config
    })
    .await
    .unwrap();
    eprintln!("apiserver back after {:?}", down.elapsed());
    let back = Instant::now();
    // The new simulator starts empty with lower resourceVersions, so changes made before the
    // watch reconnects are not replayed: keep changing until one is reported.
    let mut d = desired("after");
    for round in 0.. {
        assert!(
            back.elapsed() < Duration::from_secs(60),
            "stream never recovered"
        );
        d.quota.insert("pods".into(), (10 + round).to_string());
        cluster::apply(&c, &d).await.unwrap();
        let got = tokio::time::timeout(Duration::from_secs(1), async {
            loop {
                match events.next().await {
                    Some(n) if n == "after" => return true,
                    Some(_) => {}
                    None => return false,
                }
            }
        })
        .await;
        match got {
            Ok(true) => break,
            Ok(false) => panic!("drift stream ended"),
            Err(_) => {}
        }
    }
    eprintln!(
        "drift events flowing again {:?} after the restart",
        back.elapsed()
    );
    let text = String::from_utf8_lossy(&logs.lock().unwrap()).to_string();
    let failures = text.matches("drift watch failed").count();
    eprintln!("the outage was logged {failures} time(s)");
    for line in text.lines().filter(|l| l.contains("drift watch")) {
        eprintln!("  {line}");
    }
    assert!(
        (1..=3).contains(&failures),
        "logged {failures} times:\n{text}"
    );
    assert!(text.contains("drift watch recovered"), "{text}");
    sim.shutdown().await;
}

struct LogWriter(std::sync::Arc<std::sync::Mutex<Vec<u8>>>);

impl std::io::Write for LogWriter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}
