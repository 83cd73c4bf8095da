//! Demo data for `ku8portal demo`: a platform admin, two tenants with budgets, namespaces (some
//! adopted from the simulated cluster's seeded workloads), members in every role and pending
//! quota requests. Created once, when the database has no users.

use api_types::portal::{ContainerLimits, CreateUser};
use api_types::quota::{self, ResourceList};
use sqlx::types::Json;

use crate::state::AppState;

/// The demo logins and what they are.
pub const LOGINS: &[(&str, &str)] = &[
    ("admin", "platform admin"),
    ("alice", "tenant admin of acme"),
    ("bob", "member of acme"),
    ("carol", "viewer of acme"),
    ("grace", "tenant admin of globex"),
    ("heidi", "member of globex"),
];

pub fn password_of(user: &str) -> &'static str {
    if user == "admin" {
        "admin-password"
    } else {
        "demo-password"
    }
}

fn list(pairs: &[(&str, &str)]) -> ResourceList {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

fn budget(cpu: &str, mem: &str, gpu: &str, pods: &str) -> ResourceList {
    list(&[
        ("requests.cpu", cpu),
        (
            "limits.cpu",
            &format!("{}", cpu.parse::<u32>().unwrap_or(1) * 2),
        ),
        ("requests.memory", mem),
        ("limits.memory", mem),
        ("requests.nvidia.com/gpu", gpu),
        ("requests.storage", "200Gi"),
        ("persistentvolumeclaims", "20"),
        ("pods", pods),
        ("services", "30"),
        ("replicationcontrollers", "10"),
        ("configmaps", "60"),
        ("secrets", "60"),
        ("count/deployments.apps", "30"),
        ("count/jobs.batch", "30"),
    ])
}

fn ns_quota(cpu: &str, lcpu: &str, mem: &str, gpu: &str, pods: &str) -> ResourceList {
    list(&[
        ("requests.cpu", cpu),
        ("limits.cpu", lcpu),
        ("requests.memory", mem),
        ("limits.memory", mem),
        ("requests.nvidia.com/gpu", gpu),
        ("requests.storage", "50Gi"),
        ("persistentvolumeclaims", "5"),
        ("pods", pods),
        ("services", "10"),
        ("replicationcontrollers", "3"),
        ("configmaps", "20"),
        ("secrets", "20"),
        ("count/deployments.apps", "10"),
        ("count/jobs.batch", "10"),
    ])
}

/// Creates the demo data when there are no users; re-labels the adopted namespaces of the
/// (fresh, in-memory) simulated cluster on every start. Returns whether it created data.
pub async fn seed(state: &AppState) -> anyhow::Result<bool> {
    let users = sqlx::query_scalar!(r#"SELECT count(*) AS "n!" FROM users"#)
        .fetch_one(&state.db)
        .await?;
    let fresh = users == 0;
    if fresh {
        create(state).await?;
    }
    let adopted = ["shop", "analytics", "ml"];
    let rows = sqlx::query!(
        r#"SELECT n.name, t.name AS tenant FROM namespaces n JOIN tenants t ON t.id = n.tenant_id
           WHERE n.name = ANY($1) AND n.sync_state <> 'removed'"#,
        &adopted.map(String::from)
    )
    .fetch_all(&state.db)
    .await?;
    for r in rows {
        crate::namespaces::claim(&state.kube, &r.name, &r.tenant).await?;
    }
    Ok(fresh)
}

async fn create(state: &AppState) -> anyhow::Result<()> {
    for (user, role) in LOGINS {
        let req = CreateUser {
            username: user.to_string(),
            display_name: format!("{}{}", user[..1].to_uppercase(), &user[1..]),
            password: password_of(user).to_string(),
            platform_admin: *user == "admin",
        };
        crate::users::insert_user(state, &req, None)
            .await
            .map_err(|e| anyhow::anyhow!("demo user {user} ({role}): {e}"))?;
    }
    let limits = crate::validate::default_limits();
    let tenants = [
        (
            "acme",
            "ACME Storefront",
            budget("16", "32Gi", "0", "150"),
            vec![
                ("shop", ns_quota("6", "12", "12Gi", "0", "60")),
                ("acme-dev", ns_quota("2", "4", "4Gi", "0", "20")),
            ],
            vec![
                ("alice", "tenant-admin"),
                ("bob", "tenant-member"),
                ("carol", "tenant-viewer"),
            ],
        ),
        (
            "globex",
            "Globex Data & ML",
            budget("24", "64Gi", "4", "150"),
            vec![
                ("analytics", ns_quota("8", "16", "24Gi", "0", "60")),
                ("ml", ns_quota("8", "16", "32Gi", "4", "40")),
            ],
            vec![("grace", "tenant-admin"), ("heidi", "tenant-member")],
        ),
    ];
    let mut tx = state.db.begin().await?;
    for (name, display, budget, namespaces, members) in tenants {
        let total = quota::sum(namespaces.iter().map(|(_, q)| q));
        anyhow::ensure!(
            quota::shortfalls(&budget, &total).is_empty(),
            "demo quotas of {name} exceed its budget"
        );
        let tid = sqlx::query_scalar!(
            "INSERT INTO tenants (name, display_name, description, budget) VALUES ($1, $2, $3, $4) RETURNING id",
            name,
            display,
            format!("Demo tenant {display}"),
            Json(&budget) as _
        )
        .fetch_one(&mut *tx)
        .await?;
        for (ns, q) in namespaces {
            sqlx::query!(
                "INSERT INTO namespaces (tenant_id, name, quota, limits) VALUES ($1, $2, $3, $4)",
                tid,
                ns,
                Json(&q) as _,
                Json::<&ContainerLimits>(&limits) as _
            )
            .execute(&mut *tx)
            .await?;
        }
        for (user, role) in members {
            sqlx::query!(
                "INSERT INTO memberships (tenant_id, user_id, role) SELECT $1, id, $3 FROM users WHERE username = $2",
                tid,
                user,
                role
            )
            .execute(&mut *tx)
            .await?;
        }
    }
    sqlx::query!(
        r#"INSERT INTO quota_requests (tenant_id, namespace_id, requested_by, requester, reason, requested)
           SELECT t.id, n.id, u.id, u.username, 'Black Friday traffic: two more web replicas', $1
           FROM tenants t JOIN namespaces n ON n.tenant_id = t.id AND n.name = 'shop', users u
           WHERE t.name = 'acme' AND u.username = 'alice'"#,
        Json(list(&[("requests.cpu", "8"), ("limits.cpu", "16")])) as _
    )
    .execute(&mut *tx)
    .await?;
    sqlx::query!(
        r#"INSERT INTO quota_requests (tenant_id, requested_by, requester, reason, requested)
           SELECT t.id, u.id, u.username, 'A second GPU node pool for model training', $1
           FROM tenants t, users u WHERE t.name = 'globex' AND u.username = 'grace'"#,
        Json(list(&[("requests.nvidia.com/gpu", "8")])) as _
    )
    .execute(&mut *tx)
    .await?;
    sqlx::query!("SELECT pg_notify($1, '*')", crate::reconciler::CHANNEL)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(())
}
