//! `ku8portal admin`: create a user (password from stdin), reset a password, list tenants —
//! straight against the database, with clear errors for bad input.

mod common;

use std::io::Write;
use std::process::{Command, Output, Stdio};

use common::http::Api;
use common::portal::{TestPortal, create_tenant};
use serde_json::json;

fn admin(db: &str, args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_ku8portal"))
        .arg("admin")
        .args(args)
        .env("DATABASE_URL", db)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run ku8portal admin");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn operators_manage_users_and_see_tenants_without_the_ui() {
    let tp = TestPortal::start().await;
    let db = tp.db_url.clone();
    let out = admin(
        &db,
        &["create-user", "ops", "--platform-admin"],
        "ops-password-1\n",
    );
    assert!(out.status.success(), "{}", text(&out));
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        "created user ops (platform admin)"
    );
    let mut ops = Api::new(&tp.url);
    ops.login("ops", "ops-password-1").await;
    create_tenant(&mut ops, "acme", json!({"pods": "5"})).await;
    let out = admin(&db, &["create-user", "ops"], "ops-password-1\n");
    assert!(!out.status.success());
    assert!(
        text(&out).contains("a user named \"ops\" already exists"),
        "{}",
        text(&out)
    );
    let out = admin(&db, &["create-user", "weak"], "short\n");
    assert!(!out.status.success());
    assert!(
        text(&out).contains("at least 10 characters"),
        "{}",
        text(&out)
    );
    let out = admin(&db, &["reset-password", "ops"], "new-ops-password\n");
    assert!(out.status.success(), "{}", text(&out));
    // The reset ends the sessions of the user.
    ops.get("/api/v1/auth/me").await.expect(401);
    Api::new(&tp.url).login("ops", "new-ops-password").await;
    let out = admin(&db, &["reset-password", "nobody"], "new-ops-password\n");
    assert!(
        text(&out).contains("user \"nobody\" not found"),
        "{}",
        text(&out)
    );
    let out = admin(&db, &["list-tenants"], "");
    assert!(out.status.success(), "{}", text(&out));
    let listing = String::from_utf8_lossy(&out.stdout);
    assert!(
        listing
            .lines()
            .any(|l| l.starts_with("acme") && l.contains("active")),
        "{listing}"
    );
    tp.shutdown().await;
}
