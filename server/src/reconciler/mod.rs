//! The reconciler: desired state is in Postgres, and a level-triggered loop (on one portal
//! replica at a time, by advisory lock) makes the cluster match — after each committed change
//! (Postgres NOTIFY), when the cluster drifts (watches), and on a periodic resync.

pub mod cluster;
pub mod leader;
mod one;
mod worker;

use std::collections::BTreeMap;

use api_types::quota::ResourceList;
use k8s_openapi::api::core::v1::Namespace;
use sqlx::PgConnection;
use uuid::Uuid;

pub use worker::run;

/// The Postgres notification channel; the payload is a namespace name, or `*` for all.
pub const CHANNEL: &str = "ku8portal_reconcile";

/// Tells the reconciler (on whichever replica leads) that `namespace` changed; delivered when
/// the caller's transaction commits.
pub async fn notify(conn: &mut PgConnection, namespace: &str) -> Result<(), sqlx::Error> {
    sqlx::query!("SELECT pg_notify($1, $2)", CHANNEL, namespace)
        .execute(conn)
        .await?;
    Ok(())
}

/// Marks every live namespace of a tenant as changed (its budget resources or Pod Security
/// level changed).
pub async fn touch_tenant(conn: &mut PgConnection, tenant_id: Uuid) -> Result<(), sqlx::Error> {
    sqlx::query!(
        r#"UPDATE namespaces SET generation = generation + 1,
                  sync_state = CASE WHEN sync_state = 'deleting' THEN sync_state ELSE 'pending' END
           WHERE tenant_id = $1 AND sync_state <> 'removed'"#,
        tenant_id
    )
    .execute(&mut *conn)
    .await?;
    notify(conn, "*").await
}

/// The ResourceQuota a namespace gets: every budget resource (at 0 unless the namespace has
/// some), so nothing the budget limits is unlimited in a namespace.
pub fn full_quota(budget: &ResourceList, quota: &ResourceList) -> ResourceList {
    let mut hard: BTreeMap<String, String> = budget
        .keys()
        .map(|k| (k.clone(), "0".to_string()))
        .collect();
    hard.extend(quota.clone());
    hard
}

/// Whether a namespace exists in the cluster, and the tenant it is labelled with:
/// `None` when it does not exist (or the cluster cannot be asked), `Some(None)` when it exists
/// without a tenant label.
pub async fn cluster_owner(client: &kube::Client, name: &str) -> Option<Option<String>> {
    let api: kube::Api<Namespace> = kube::Api::all(client.clone());
    let ns = api.get_opt(name).await.ok()??;
    Some(
        ns.metadata
            .labels
            .and_then(|mut l| l.remove(cluster::TENANT_LABEL)),
    )
}

#[cfg(test)]
mod tests {
    #[test]
    fn full_quota_zeroes_budget_resources() {
        let b: super::ResourceList = [
            ("pods".into(), "10".into()),
            ("requests.cpu".into(), "4".into()),
        ]
        .into();
        let q: super::ResourceList = [("requests.cpu".into(), "1".into())].into();
        let h = super::full_quota(&b, &q);
        assert_eq!(h["pods"], "0");
        assert_eq!(h["requests.cpu"], "1");
    }
}
