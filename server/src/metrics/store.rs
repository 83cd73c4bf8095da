//! Metric history in PostgreSQL: series ids (created on first sight, cached), raw samples
//! written in one statement per cycle, pods' five-minute roll-ups written from memory, the
//! roll-up of closed buckets, and retention.

use std::collections::HashMap;

use sqlx::PgPool;
use time::OffsetDateTime;

use super::sample::Sample;

/// Roll-up bucket width.
pub const BUCKET_SECS: i64 = 300;

/// How long history is kept.
#[derive(Debug, Clone, Copy)]
pub struct Retention {
    pub raw: time::Duration,
    pub rollups: time::Duration,
}

impl Default for Retention {
    fn default() -> Retention {
        Retention {
            raw: time::Duration::days(1),
            rollups: time::Duration::days(30),
        }
    }
}

/// The start of the bucket `at` falls in.
pub fn bucket_of(at: OffsetDateTime) -> OffsetDateTime {
    let secs = at.unix_timestamp();
    OffsetDateTime::from_unix_timestamp(secs - secs.rem_euclid(BUCKET_SECS)).unwrap_or(at)
}

/// What the database holds of one series, as last written.
#[derive(Debug, Clone, PartialEq)]
struct Known {
    id: i64,
    request: Option<f64>,
    limit: Option<f64>,
    tenant: Option<String>,
}

/// Series ids by scope, name and metric (nested so lookups borrow), with the request, limit
/// and tenant last written.
#[derive(Default)]
pub struct SeriesIds {
    ids: HashMap<&'static str, HashMap<String, HashMap<String, Known>>>,
}

impl SeriesIds {
    fn get(&self, s: &Sample) -> Option<&Known> {
        self.ids.get(s.scope)?.get(&s.name)?.get(&s.metric)
    }

    fn get_mut(&mut self, s: &Sample) -> Option<&mut Known> {
        self.ids
            .get_mut(s.scope)?
            .get_mut(&s.name)?
            .get_mut(&s.metric)
    }

    fn put(&mut self, scope: &'static str, name: String, metric: String, known: Known) {
        self.ids
            .entry(scope)
            .or_default()
            .entry(name)
            .or_default()
            .insert(metric, known);
    }

    /// The ids of `samples`' series (created when new), and their request/limit/tenant kept
    /// current (written only where they changed since the last cycle).
    pub async fn resolve(
        &mut self,
        db: &PgPool,
        samples: &[Sample],
    ) -> Result<Vec<i64>, sqlx::Error> {
        let missing: Vec<&Sample> = samples.iter().filter(|s| self.get(s).is_none()).collect();
        if !missing.is_empty() {
            let scopes: Vec<String> = missing.iter().map(|s| s.scope.to_string()).collect();
            let names: Vec<String> = missing.iter().map(|s| s.name.clone()).collect();
            let metrics: Vec<String> = missing.iter().map(|s| s.metric.clone()).collect();
            let tenants: Vec<Option<String>> = missing.iter().map(|s| s.tenant.clone()).collect();
            let rows = sqlx::query!(
                r#"INSERT INTO metric_series (scope, name, metric, tenant)
                   SELECT * FROM UNNEST($1::text[], $2::text[], $3::text[], $4::text[])
                   ON CONFLICT (scope, name, metric) DO UPDATE SET tenant = EXCLUDED.tenant
                   RETURNING id, scope, name, metric, tenant, request, "limit""#,
                &scopes,
                &names,
                &metrics,
                &tenants as &[Option<String>]
            )
            .fetch_all(db)
            .await?;
            for r in rows {
                let scope = SCOPES
                    .iter()
                    .copied()
                    .find(|s| *s == r.scope)
                    .unwrap_or("cluster");
                let known = Known {
                    id: r.id,
                    request: r.request,
                    limit: r.limit,
                    tenant: r.tenant,
                };
                self.put(scope, r.name, r.metric, known);
            }
        }
        let mut ids = Vec::with_capacity(samples.len());
        // Requests, limits and owners change (a namespace seen before its tenant was known gets
        // its tenant later): written where they differ from what was last written.
        let (mut sid, mut req, mut lim, mut ten) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
        let mut changed = Vec::new();
        for s in samples {
            let Some(k) = self.get(s) else {
                ids.push(0);
                continue;
            };
            ids.push(k.id);
            if (k.request, k.limit, k.tenant.as_ref()) != (s.request, s.limit, s.tenant.as_ref()) {
                sid.push(k.id);
                req.push(s.request);
                lim.push(s.limit);
                ten.push(s.tenant.clone());
                changed.push(s);
            }
        }
        if !sid.is_empty() {
            sqlx::query!(
                r#"UPDATE metric_series s SET request = u.req, "limit" = u.lim, tenant = u.ten
                   FROM UNNEST($1::bigint[], $2::float8[], $3::float8[], $4::text[]) AS u(id, req, lim, ten)
                   WHERE s.id = u.id"#,
                &sid,
                &req as &[Option<f64>],
                &lim as &[Option<f64>],
                &ten as &[Option<String>]
            )
            .execute(db)
            .await?;
            for s in changed {
                if let Some(k) = self.get_mut(s) {
                    (k.request, k.limit, k.tenant) = (s.request, s.limit, s.tenant.clone());
                }
            }
        }
        Ok(ids)
    }

    pub fn forget(&mut self) {
        self.ids.clear();
    }
}

pub const SCOPES: [&str; 6] = ["cluster", "node", "tenant", "namespace", "app", "pod"];

/// Writes one cycle's raw samples.
pub async fn write_samples(
    db: &PgPool,
    ids: &[i64],
    samples: &[Sample],
    at: OffsetDateTime,
) -> Result<(), sqlx::Error> {
    let values: Vec<f64> = samples.iter().map(|s| s.value).collect();
    sqlx::query!(
        r#"INSERT INTO metric_samples (series_id, at, value)
           SELECT id, $2, v FROM UNNEST($1::bigint[], $3::float8[]) AS u(id, v)
           ON CONFLICT (series_id, at) DO UPDATE SET value = EXCLUDED.value"#,
        ids,
        at,
        &values
    )
    .execute(db)
    .await?;
    Ok(())
}

/// A bucket's minimum, sum, maximum and count of one series, built in memory (pods).
#[derive(Debug, Clone, Copy)]
pub struct Acc {
    pub min: f64,
    pub sum: f64,
    pub max: f64,
    pub n: i32,
}

impl Acc {
    pub fn new(v: f64) -> Acc {
        Acc {
            min: v,
            sum: v,
            max: v,
            n: 1,
        }
    }

    pub fn add(&mut self, v: f64) {
        self.min = self.min.min(v);
        self.max = self.max.max(v);
        self.sum += v;
        self.n += 1;
    }
}

/// Writes in-memory roll-ups of `bucket` (merged with what is there, e.g. after a restart).
pub async fn write_rollups(
    db: &PgPool,
    bucket: OffsetDateTime,
    accs: &[(i64, Acc)],
) -> Result<(), sqlx::Error> {
    let ids: Vec<i64> = accs.iter().map(|a| a.0).collect();
    let mins: Vec<f64> = accs.iter().map(|a| a.1.min).collect();
    let avgs: Vec<f64> = accs.iter().map(|a| a.1.sum / f64::from(a.1.n)).collect();
    let maxs: Vec<f64> = accs.iter().map(|a| a.1.max).collect();
    let ns: Vec<i32> = accs.iter().map(|a| a.1.n).collect();
    sqlx::query!(
        r#"INSERT INTO metric_rollups (series_id, bucket, min, avg, max, samples)
           SELECT id, $2, mi, av, ma, n FROM UNNEST($1::bigint[], $3::float8[], $4::float8[], $5::float8[], $6::int[]) AS u(id, mi, av, ma, n)
           ON CONFLICT (series_id, bucket) DO UPDATE SET
             min = least(metric_rollups.min, EXCLUDED.min),
             max = greatest(metric_rollups.max, EXCLUDED.max),
             avg = (metric_rollups.avg * metric_rollups.samples + EXCLUDED.avg * EXCLUDED.samples)
                   / (metric_rollups.samples + EXCLUDED.samples),
             samples = metric_rollups.samples + EXCLUDED.samples"#,
        &ids,
        bucket,
        &mins,
        &avgs,
        &maxs,
        &ns
    )
    .execute(db)
    .await?;
    Ok(())
}

/// Rolls the raw samples of every closed bucket up to `now`'s bucket; returns how many
/// roll-up rows were written.
pub async fn roll_up(db: &PgPool, now: OffsetDateTime) -> Result<u64, sqlx::Error> {
    let upto = bucket_of(now);
    let mut tx = db.begin().await?;
    let from: Option<OffsetDateTime> =
        sqlx::query_scalar!("SELECT rolled_up_to FROM metric_collector FOR UPDATE")
            .fetch_one(&mut *tx)
            .await?;
    let from = from.unwrap_or(OffsetDateTime::UNIX_EPOCH);
    if from >= upto {
        return Ok(0);
    }
    let n = sqlx::query!(
        r#"INSERT INTO metric_rollups (series_id, bucket, min, avg, max, samples)
           SELECT series_id, to_timestamp(floor(extract(epoch FROM at)::float8 / $3::float8) * $3::float8),
                  min(value), avg(value), max(value), count(*)::int
           FROM metric_samples WHERE at >= $1 AND at < $2
           GROUP BY 1, 2
           ON CONFLICT (series_id, bucket) DO UPDATE SET min = EXCLUDED.min, avg = EXCLUDED.avg,
             max = EXCLUDED.max, samples = EXCLUDED.samples"#,
        from,
        upto,
        BUCKET_SECS as f64
    )
    .execute(&mut *tx)
    .await?
    .rows_affected();
    sqlx::query!("UPDATE metric_collector SET rolled_up_to = $1", upto)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(n)
}

/// Deletes history older than `keep` says (pods' roll-ups live as long as raw samples), and
/// series left without any data.
pub async fn expire(db: &PgPool, now: OffsetDateTime, keep: Retention) -> Result<(), sqlx::Error> {
    let raw_before = now - keep.raw;
    let rollups_before = now - keep.rollups;
    sqlx::query!("DELETE FROM metric_samples WHERE at < $1", raw_before)
        .execute(db)
        .await?;
    sqlx::query!(
        r#"DELETE FROM metric_rollups r USING metric_series s
           WHERE r.series_id = s.id AND s.scope = 'pod' AND r.bucket < $1"#,
        raw_before
    )
    .execute(db)
    .await?;
    sqlx::query!(
        "DELETE FROM metric_rollups WHERE bucket < $1",
        rollups_before
    )
    .execute(db)
    .await?;
    sqlx::query!(
        r#"DELETE FROM metric_series s
           WHERE NOT EXISTS (SELECT 1 FROM metric_samples x WHERE x.series_id = s.id)
             AND NOT EXISTS (SELECT 1 FROM metric_rollups r WHERE r.series_id = s.id)"#
    )
    .execute(db)
    .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use time::macros::datetime;

    #[test]
    fn buckets_are_five_minutes() {
        assert_eq!(
            super::bucket_of(datetime!(2026-11-24 10:04:59 UTC)),
            datetime!(2026-11-24 10:00:00 UTC)
        );
        assert_eq!(
            super::bucket_of(datetime!(2026-11-24 10:05:00 UTC)),
            datetime!(2026-11-24 10:05:00 UTC)
        );
    }
}
