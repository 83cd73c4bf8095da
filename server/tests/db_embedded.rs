//! The embedded PostgreSQL and the per-test databases built on it: databases are independent,
//! data survives a restart and a killed server, and a missing installation is explained.

mod common;

use std::time::Instant;

use ku8portal::db::{self, embedded::EmbeddedPostgres};

#[tokio::test]
async fn fresh_databases_are_migrated_and_independent() {
    let (a, b) = (
        common::db::fresh_database().await,
        common::db::fresh_database().await,
    );
    assert_ne!(a, b);
    let (a, b) = (
        db::connect(&a, 2).await.unwrap(),
        db::connect(&b, 2).await.unwrap(),
    );
    let version = db::server_version(&a).await.unwrap();
    assert!(
        version.chars().next().unwrap().is_ascii_digit(),
        "{version}"
    );
    for pool in [&a, &b] {
        let applied: i64 = sqlx::query_scalar("SELECT count(*) FROM _sqlx_migrations")
            .fetch_one(pool)
            .await
            .unwrap();
        assert_eq!(applied as usize, db::MIGRATOR.iter().count());
    }
    sqlx::query("CREATE TABLE only_in_a (x int)")
        .execute(&a)
        .await
        .unwrap();
    let in_b: bool = sqlx::query_scalar("SELECT to_regclass('only_in_a') IS NOT NULL")
        .fetch_one(&b)
        .await
        .unwrap();
    assert!(
        !in_b,
        "a table created in one test database shows in another"
    );
}

#[tokio::test]
async fn many_tests_can_get_databases_at_once() {
    common::db::fresh_database().await;
    let begun = Instant::now();
    for _ in 0..5 {
        common::db::fresh_database().await;
    }
    println!("one fresh database: {:?}", begun.elapsed() / 5);
    let begun = Instant::now();
    let urls = futures::future::join_all((0..20).map(|_| common::db::fresh_database())).await;
    let elapsed = begun.elapsed();
    let distinct: std::collections::HashSet<_> = urls.iter().collect();
    assert_eq!(distinct.len(), 20);
    for url in &urls {
        let pool = db::connect(url, 1).await.unwrap();
        sqlx::query("SELECT 1").execute(&pool).await.unwrap();
        pool.close().await;
    }
    println!("20 concurrent fresh databases in {elapsed:?}");
}

#[tokio::test]
async fn data_survives_stop_and_start() {
    let dir = common::db::scratch_dir();
    let begun = Instant::now();
    let pg = EmbeddedPostgres::start(dir.path()).await.unwrap();
    let cold = begun.elapsed();
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(pg.socket_dir())
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o700, "socket folder open to other users");
    }
    pg.ensure_database("ku8portal").await.unwrap();
    pg.ensure_database("ku8portal").await.unwrap();
    let pool = db::connect(&pg.url("ku8portal"), 2).await.unwrap();
    sqlx::query("CREATE TABLE kept (v text)")
        .execute(&pool)
        .await
        .unwrap();
    sqlx::query("INSERT INTO kept VALUES ('still here')")
        .execute(&pool)
        .await
        .unwrap();
    pool.close().await;
    pg.stop().await.unwrap();

    let begun = Instant::now();
    let pg = EmbeddedPostgres::start(dir.path()).await.unwrap();
    let warm = begun.elapsed();
    let pool = db::connect(&pg.url("ku8portal"), 2).await.unwrap();
    let v: String = sqlx::query_scalar("SELECT v FROM kept")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(v, "still here");
    pool.close().await;
    pg.stop().await.unwrap();
    println!("embedded PostgreSQL start: cold (initdb) {cold:?}, warm {warm:?}");
}

#[tokio::test]
async fn a_killed_server_does_not_block_the_next_start() {
    // Durable: an ephemeral server (synchronous_commit=off) may lose the last commits to SIGKILL.
    let dir = common::db::scratch_dir();
    let pg = EmbeddedPostgres::start(dir.path()).await.unwrap();
    pg.ensure_database("ku8portal").await.unwrap();
    let pool = db::connect(&pg.url("ku8portal"), 1).await.unwrap();
    sqlx::query("CREATE TABLE t (v int)")
        .execute(&pool)
        .await
        .unwrap();
    pool.close().await;
    let pid = pg.pid();
    let pid_file = pg.data_dir().join("pgdata/postmaster.pid");
    rustix::process::kill_process(
        rustix::process::Pid::from_raw(pid as i32).unwrap(),
        rustix::process::Signal::KILL,
    )
    .unwrap();
    while std::path::Path::new(&format!("/proc/{pid}/cwd")).exists() {
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    assert!(pid_file.exists(), "SIGKILL leaves postmaster.pid behind");
    drop(pg);

    let pg = EmbeddedPostgres::start(dir.path()).await.unwrap();
    let pool = db::connect(&pg.url("ku8portal"), 1).await.unwrap();
    let rows: i64 = sqlx::query_scalar("SELECT count(*) FROM t")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(rows, 0);
    pool.close().await;
    pg.stop().await.unwrap();
}

#[tokio::test]
async fn a_second_server_on_the_same_folder_is_refused_with_the_reason() {
    let dir = common::db::scratch_dir();
    let first = EmbeddedPostgres::start_ephemeral(dir.path()).await.unwrap();
    let Err(err) = EmbeddedPostgres::start_ephemeral(dir.path()).await else {
        panic!("two servers started on one folder");
    };
    let err = err.to_string();
    assert!(err.contains("already running"), "{err}");
    assert!(err.contains(&first.pid().to_string()), "{err}");
    // The first one is unharmed.
    let pool = db::connect(&first.url("postgres"), 1).await.unwrap();
    sqlx::query("SELECT 1").execute(&pool).await.unwrap();
    pool.close().await;
    first.stop().await.unwrap();
}

#[test]
fn missing_binaries_say_what_to_install() {
    let empty = tempfile::tempdir().unwrap();
    let err = ku8portal::db::embedded::pick_bindir(&[empty.path().to_path_buf()])
        .unwrap_err()
        .to_string();
    for needle in [
        "apt-get install postgresql",
        "--database-url",
        empty.path().to_str().unwrap(),
    ] {
        assert!(err.contains(needle), "{needle:?} missing from: {err}");
    }
}
