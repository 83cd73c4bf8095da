//! Identity and sessions on real responses: cookie flags, a new session id at login, sessions
//! that end on logout, password change, disable and removal, cross-site writes refused, login
//! rate limits, and personal API tokens.

mod common;

use common::portal::{ADMIN, ADMIN_PASSWORD, PASSWORD, TestPortal, create_user, settings};
use serde_json::json;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn login_sets_a_fresh_httponly_cookie_and_logout_ends_it() {
    let tp = TestPortal::start().await;
    let mut a = tp.api();
    a.get("/api/v1/auth/me").await.expect(401);
    // A planted session id is not adopted at login (fixation).
    a.cookie = Some("ku8portal_session=attacker-chosen-id".into());
    let r = a.login(ADMIN, ADMIN_PASSWORD).await;
    assert_eq!(r.body["username"], ADMIN);
    assert_eq!(r.body["platform_admin"], true);
    let sc = a.set_cookie.clone().expect("Set-Cookie at login");
    assert!(sc.starts_with("ku8portal_session="), "{sc}");
    assert!(!sc.contains("attacker-chosen-id"), "{sc}");
    for flag in ["HttpOnly", "SameSite=Lax", "Path=/"] {
        assert!(sc.contains(flag), "{flag} missing: {sc}");
    }
    assert!(
        !sc.contains("Secure"),
        "plain http without https public URL: {sc}"
    );
    a.get("/api/v1/auth/me").await.expect(200);
    // Logging in again rotates the id; the old one no longer works.
    let old = a.cookie.clone().unwrap();
    a.login(ADMIN, ADMIN_PASSWORD).await;
    assert_ne!(a.cookie.clone().unwrap(), old);
    let mut stale = tp.api();
    stale.cookie = Some(old);
    stale.get("/api/v1/auth/me").await.expect(401);
    a.post("/api/v1/auth/logout", &json!({})).await.expect(204);
    a.get("/api/v1/auth/me").await.expect(401);
    tp.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cookies_are_secure_behind_an_https_public_url() {
    // The settings `serve --public-url https://...` derives (no explicit --secure-cookies).
    use clap::Parser;
    let cli = ku8portal::cli::Cli::try_parse_from([
        "ku8portal",
        "serve",
        "--public-url",
        "https://portal.example",
    ])
    .unwrap();
    let ku8portal::cli::Command::Serve(args) = cli.command else {
        panic!("not serve")
    };
    let s = ku8portal::state::Settings {
        resync_interval: settings().resync_interval,
        ..args.settings()
    };
    let tp = TestPortal::start_with(s).await;
    let mut a = tp.api();
    a.login(ADMIN, ADMIN_PASSWORD).await;
    assert!(a.set_cookie.clone().unwrap().contains("Secure"));
    tp.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sessions_end_on_password_change_disable_and_removal() {
    let tp = TestPortal::start().await;
    let mut admin = tp.admin().await;
    create_user(&mut admin, "dave", None).await;
    let mut one = tp.login("dave").await;
    let mut two = tp.login("dave").await;
    one.post(
        "/api/v1/me/password",
        &json!({"current_password": "wrong-password", "new_password": "another-password-2"}),
    )
    .await
    .expect(400);
    one.post(
        "/api/v1/me/password",
        &json!({"current_password": PASSWORD, "new_password": "short"}),
    )
    .await
    .expect(400);
    one.post(
        "/api/v1/me/password",
        &json!({"current_password": PASSWORD, "new_password": "another-password-2"}),
    )
    .await
    .expect(204);
    one.get("/api/v1/auth/me").await.expect(200);
    let r = two.get("/api/v1/auth/me").await.expect(401);
    assert_eq!(r.message(), "your session has ended; log in again");
    let mut three = tp.api();
    three.login("dave", "another-password-2").await;
    admin
        .patch("/api/v1/users/dave", &json!({"disabled": true}))
        .await
        .expect(200);
    one.get("/api/v1/auth/me").await.expect(401);
    three.get("/api/v1/auth/me").await.expect(401);
    let r = tp
        .api()
        .post(
            "/api/v1/auth/login",
            &json!({"username": "dave", "password": "another-password-2"}),
        )
        .await
        .expect(401);
    assert!(r.message().contains("disabled"), "{}", r.text);
    admin
        .patch("/api/v1/users/dave", &json!({"disabled": false}))
        .await
        .expect(200);
    let mut four = tp.api();
    four.login("dave", "another-password-2").await;
    admin.delete("/api/v1/users/dave").await.expect(204);
    four.get("/api/v1/auth/me").await.expect(401);
    tp.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cross_site_writes_are_refused() {
    let tp = TestPortal::start().await;
    let mut admin = tp.admin().await;
    let body = json!({"name": "evil", "budget": {}});
    let mut evil = admin.clone();
    evil.header("origin", "https://evil.example");
    let r = evil.post("/api/v1/tenants", &body).await.expect(403);
    assert!(
        r.message().starts_with("cross-site request refused"),
        "{}",
        r.text
    );
    let mut fetch = admin.clone();
    fetch.header("sec-fetch-site", "cross-site");
    fetch.post("/api/v1/tenants", &body).await.expect(403);
    // Reads are fine; the same origin is fine.
    evil.get("/api/v1/tenants").await.expect(200);
    admin.header("origin", &tp.url);
    admin.header("sec-fetch-site", "same-origin");
    admin.post("/api/v1/tenants", &body).await.expect(201);
    tp.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn failed_logins_are_rate_limited() {
    let tp = TestPortal::start().await;
    let mut a = tp.api();
    for _ in 0..5 {
        a.post(
            "/api/v1/auth/login",
            &json!({"username": ADMIN, "password": "guess-guess-guess"}),
        )
        .await
        .expect(401);
    }
    let r = a
        .post(
            "/api/v1/auth/login",
            &json!({"username": ADMIN, "password": ADMIN_PASSWORD}),
        )
        .await
        .expect(429);
    assert!(
        r.message().starts_with("too many wrong passwords"),
        "{}",
        r.text
    );
    let retry: u64 = r.headers["retry-after"].to_str().unwrap().parse().unwrap();
    assert!(retry > 0 && retry <= 900, "{retry}");

    tp.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn api_tokens_are_shown_once_stored_hashed_and_revocable() {
    let tp = TestPortal::start().await;
    let mut admin = tp.admin().await;
    let r = admin
        .post(
            "/api/v1/me/tokens",
            &json!({"name": "ci", "expires_in_days": 30}),
        )
        .await
        .expect(201);
    let secret = r.body["secret"].as_str().unwrap().to_string();
    let id = r.body["token"]["id"].as_str().unwrap().to_string();
    assert!(secret.starts_with("ku8p_"));
    let mut bot = admin.with_token(&secret);
    assert_eq!(
        bot.get("/api/v1/auth/me").await.expect(200).body["username"],
        ADMIN
    );
    // Bearer writes need no Origin checks (no ambient credentials).
    let mut bot_x = bot.clone();
    bot_x.header("origin", "https://elsewhere.example");
    bot_x
        .post("/api/v1/tenants", &json!({"name": "via-token"}))
        .await
        .expect(201);
    let list = admin.get("/api/v1/me/tokens").await.expect(200).body;
    assert_eq!(list[0]["name"], "ci");
    assert!(list[0].get("secret").is_none());
    assert!(list[0]["last_used_at"].is_string());
    let stored: Vec<u8> = sqlx::query_scalar("SELECT token_hash FROM api_tokens")
        .fetch_one(&tp.state().db)
        .await
        .unwrap();
    assert_eq!(stored.len(), 32);
    assert!(!String::from_utf8_lossy(&stored).contains(&secret[5..]));
    admin
        .delete(&format!("/api/v1/me/tokens/{id}"))
        .await
        .expect(204);
    let r = bot.get("/api/v1/auth/me").await.expect(401);
    assert_eq!(r.message(), "the API token is invalid, expired or revoked");
    // An expired token.
    let r = admin
        .post("/api/v1/me/tokens", &json!({"name": "old"}))
        .await
        .expect(201);
    let old = r.body["secret"].as_str().unwrap().to_string();
    sqlx::query(
        "UPDATE api_tokens SET expires_at = now() - interval '1 minute' WHERE name = 'old'",
    )
    .execute(&tp.state().db)
    .await
    .unwrap();
    admin
        .with_token(&old)
        .get("/api/v1/auth/me")
        .await
        .expect(401);
    admin
        .with_token("ku8p_made-up")
        .get("/api/v1/auth/me")
        .await
        .expect(401);
    tp.shutdown().await;
}

#[tokio::test]
async fn error_answers_name_their_request_id() {
    let tp = TestPortal::start().await;
    let mut anon = tp.api();
    // Unauthenticated, unknown path, and a body refused before any handler runs.
    for (status, r) in [
        (401, anon.get("/api/v1/tenants").await),
        (404, anon.get("/api/v1/no-such-thing").await),
        (
            413,
            anon.raw(
                http::Method::POST,
                "/api/v1/auth/login",
                Some(bytes::Bytes::from(vec![b' '; 2 * 1024 * 1024])),
                Some("application/json"),
            )
            .await,
        ),
    ] {
        let r = r.expect(status);
        let header = r.headers["x-request-id"].to_str().unwrap().to_string();
        assert!(!header.is_empty());
        assert_eq!(r.body["request_id"], header.as_str(), "{}", r.text);
    }
    // An id set by a proxy in front is kept, in the header and the envelope.
    anon.headers.insert(
        "x-request-id",
        "trace-from-the-load-balancer".parse().unwrap(),
    );
    let r = anon.get("/api/v1/tenants").await.expect(401);
    assert_eq!(r.body["request_id"], "trace-from-the-load-balancer");
    tp.shutdown().await;
}

/// Wrong current passwords on a password change count like failed logins.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wrong_current_passwords_are_rate_limited() {
    let tp = TestPortal::start().await;
    let mut bob = {
        let mut admin = tp.admin().await;
        create_user(&mut admin, "bob", None).await;
        tp.login("bob").await
    };
    let change = |current: &str| json!({"current_password": current, "new_password": "a-new-long-password-1"});
    for _ in 0..5 {
        let r = bob
            .post("/api/v1/me/password", &change("guess-guess-guess"))
            .await
            .expect(400);
        assert!(
            r.text.contains("the current password is wrong"),
            "{}",
            r.text
        );
    }
    let r = bob
        .post("/api/v1/me/password", &change(PASSWORD))
        .await
        .expect(429);
    assert!(
        r.message().starts_with("too many wrong passwords"),
        "{}",
        r.text
    );
    tp.shutdown().await;
}
