//! Writing desired state into the cluster: create or correct a managed namespace's Namespace
//! labels, ResourceQuota and LimitRange; delete a namespace.

use std::collections::BTreeMap;
use std::fmt::Debug;

use k8s_openapi::api::core::v1::{
    LimitRange, LimitRangeItem, LimitRangeSpec, Namespace, ResourceQuota, ResourceQuotaSpec,
};
use k8s_openapi::apimachinery::pkg::api::resource::Quantity;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use kube::api::{Api, DeleteParams, Patch, PatchParams, PostParams};
use kube::{Client, Resource};
use serde::Serialize;
use serde::de::DeserializeOwned;

use super::quantity::same_list;
use super::{
    ApplyOutcome, ClusterError, ContainerLimits, DesiredNamespace, FIELD_MANAGER, LIMITS_NAME,
    MANAGED_BY, POD_SECURITY_LEVELS, QUOTA_NAME, Removed,
};

/// How many times an update that lost a 409 Conflict race is retried with a fresh read.
const WRITE_ATTEMPTS: usize = 5;

fn post_params() -> PostParams {
    PostParams {
        dry_run: false,
        field_manager: Some(FIELD_MANAGER.into()),
    }
}

/// Make the cluster match `d`: the Namespace (created if missing; our labels put back, labels
/// added by others kept), then the ResourceQuota and LimitRange with the fixed names (created
/// if missing, their spec replaced wholesale when it differs by more than spelling).
pub async fn apply(client: &Client, d: &DesiredNamespace) -> Result<ApplyOutcome, ClusterError> {
    if !POD_SECURITY_LEVELS.contains(&d.pod_security.as_str()) {
        return Err(ClusterError::Invalid(format!(
            "pod security level {:?} of namespace {} is not one of privileged, baseline, restricted",
            d.pod_security, d.name
        )));
    }
    let mut out = ApplyOutcome::default();
    ensure_namespace(client, d, &mut out).await?;

    let quotas: Api<ResourceQuota> = Api::namespaced(client.clone(), &d.name);
    let hard = to_quantities(&d.quota);
    let quota_changed = ensure(&quotas, QUOTA_NAME, quota_in_sync(&d.quota), |observed| {
        let mut rq = observed.unwrap_or_else(|| ResourceQuota {
            metadata: object_meta(QUOTA_NAME),
            ..ResourceQuota::default()
        });
        mark_managed(&mut rq.metadata);
        rq.spec = Some(ResourceQuotaSpec {
            hard: Some(hard.clone()),
            ..ResourceQuotaSpec::default()
        });
        rq.status = None;
        rq
    })
    .await?;
    if quota_changed {
        out.changed.push(format!("ResourceQuota {QUOTA_NAME}"));
    }

    let limits = super::defaulted(&d.limits);
    let ranges: Api<LimitRange> = Api::namespaced(client.clone(), &d.name);
    let limits_changed = ensure(&ranges, LIMITS_NAME, limits_in_sync(&limits), |observed| {
        let mut lr = observed.unwrap_or_else(|| LimitRange {
            metadata: object_meta(LIMITS_NAME),
            ..LimitRange::default()
        });
        mark_managed(&mut lr.metadata);
        lr.spec = Some(LimitRangeSpec {
            limits: vec![container_item(&limits)],
        });
        lr
    })
    .await?;
    if limits_changed {
        out.changed.push(format!("LimitRange {LIMITS_NAME}"));
    }
    Ok(out)
}

/// Create the Namespace, or put back the labels the portal owns.
async fn ensure_namespace(
    client: &Client,
    d: &DesiredNamespace,
    out: &mut ApplyOutcome,
) -> Result<(), ClusterError> {
    let api: Api<Namespace> = Api::all(client.clone());
    let wanted = d.namespace_labels();
    let observed = match api.get_opt(&d.name).await? {
        Some(ns) => ns,
        None => {
            let ns = Namespace {
                metadata: ObjectMeta {
                    name: Some(d.name.clone()),
                    labels: Some(wanted.clone()),
                    ..ObjectMeta::default()
                },
                ..Namespace::default()
            };
            match api.create(&post_params(), &ns).await {
                Ok(_) => {
                    out.created_namespace = true;
                    out.changed.push(format!("Namespace {}", d.name));
                    return Ok(());
                }
                // Created by someone else meanwhile: check its labels like any other.
                Err(e) => match ClusterError::from(e) {
                    e if e.is_conflict() => api.get(&d.name).await?,
                    e => return Err(e),
                },
            }
        }
    };
    if observed.metadata.deletion_timestamp.is_some() {
        return Err(ClusterError::Terminating(d.name.clone()));
    }
    let labels = observed.metadata.labels.unwrap_or_default();
    let fix: BTreeMap<&String, &String> = wanted
        .iter()
        .filter(|(k, v)| labels.get(*k) != Some(*v))
        .collect();
    if !fix.is_empty() {
        let patch = serde_json::json!({ "metadata": { "labels": fix } });
        let params = PatchParams {
            field_manager: Some(FIELD_MANAGER.into()),
            ..PatchParams::default()
        };
        api.patch(&d.name, &params, &Patch::Merge(&patch)).await?;
        out.changed.push(format!("Namespace {} labels", d.name));
    }
    Ok(())
}

/// Create `name` from `build(None)` when missing; when `in_sync` says it drifted, replace it
/// with `build(Some(observed))` (an update carrying the observed resourceVersion), re-reading
/// and retrying when the write loses a race. Returns whether anything was written.
async fn ensure<K>(
    api: &Api<K>,
    name: &str,
    in_sync: impl Fn(&K) -> bool,
    build: impl Fn(Option<K>) -> K,
) -> Result<bool, ClusterError>
where
    K: Resource + Clone + Debug + Serialize + DeserializeOwned,
{
    let mut last = None;
    for _ in 0..WRITE_ATTEMPTS {
        let result = match api.get_opt(name).await? {
            Some(observed) if in_sync(&observed) => return Ok(false),
            Some(observed) => {
                api.replace(name, &post_params(), &build(Some(observed)))
                    .await
            }
            None => api.create(&post_params(), &build(None)).await,
        };
        match result.map_err(ClusterError::from) {
            Ok(_) => return Ok(true),
            // 409: changed (or created) by someone else since we read it; 404: deleted since.
            Err(e) if e.is_conflict() || e.is_not_found() => {
                tracing::debug!(object = name, error = %e, "write lost a race, retrying");
                last = Some(e);
            }
            Err(e) => return Err(e),
        }
    }
    Err(last.unwrap_or_else(|| ClusterError::Other(format!("could not write {name}"))))
}

fn object_meta(name: &str) -> ObjectMeta {
    ObjectMeta {
        name: Some(name.into()),
        ..ObjectMeta::default()
    }
}

fn mark_managed(meta: &mut ObjectMeta) {
    meta.labels
        .get_or_insert_with(BTreeMap::new)
        .insert(MANAGED_BY.0.into(), MANAGED_BY.1.into());
}

fn is_managed(meta: &ObjectMeta) -> bool {
    meta.labels
        .as_ref()
        .and_then(|l| l.get(MANAGED_BY.0))
        .is_some_and(|v| v == MANAGED_BY.1)
}

fn to_quantities(m: &BTreeMap<String, String>) -> BTreeMap<String, Quantity> {
    m.iter()
        .map(|(k, v)| (k.clone(), Quantity(v.clone())))
        .collect()
}

pub(crate) fn to_strings(m: Option<&BTreeMap<String, Quantity>>) -> BTreeMap<String, String> {
    m.into_iter()
        .flatten()
        .map(|(k, v)| (k.clone(), v.0.clone()))
        .collect()
}

fn quota_in_sync(hard: &BTreeMap<String, String>) -> impl Fn(&ResourceQuota) -> bool + '_ {
    move |rq| {
        let spec = rq.spec.clone().unwrap_or_default();
        is_managed(&rq.metadata)
            && spec.scopes.unwrap_or_default().is_empty()
            && spec.scope_selector.is_none()
            && same_list(&to_strings(spec.hard.as_ref()), hard)
    }
}

fn container_item(l: &ContainerLimits) -> LimitRangeItem {
    let list = |m: &BTreeMap<String, String>| (!m.is_empty()).then(|| to_quantities(m));
    LimitRangeItem {
        type_: "Container".into(),
        default: list(&l.default),
        default_request: list(&l.default_request),
        max: list(&l.max),
        ..LimitRangeItem::default()
    }
}

/// `limits` must already be [`defaulted`](super::defaulted), as the apiserver stores it.
fn limits_in_sync(limits: &ContainerLimits) -> impl Fn(&LimitRange) -> bool + '_ {
    move |lr| {
        let items = lr.spec.as_ref().map(|s| s.limits.as_slice()).unwrap_or(&[]);
        let [item] = items else { return false };
        is_managed(&lr.metadata)
            && item.type_ == "Container"
            && item.min.as_ref().is_none_or(BTreeMap::is_empty)
            && item
                .max_limit_request_ratio
                .as_ref()
                .is_none_or(BTreeMap::is_empty)
            && same_list(&to_strings(item.default.as_ref()), &limits.default)
            && same_list(
                &to_strings(item.default_request.as_ref()),
                &limits.default_request,
            )
            && same_list(&to_strings(item.max.as_ref()), &limits.max)
    }
}

/// Delete the Namespace: `Gone` once it no longer exists, `Terminating` while its content is
/// being removed.
pub async fn remove(client: &Client, name: &str) -> Result<Removed, ClusterError> {
    let api: Api<Namespace> = Api::all(client.clone());
    match api.get_opt(name).await? {
        None => return Ok(Removed::Gone),
        Some(ns) if ns.metadata.deletion_timestamp.is_some() => return Ok(Removed::Terminating),
        Some(_) => {}
    }
    match api.delete(name, &DeleteParams::default()).await {
        // The Namespace object back (being finalized), or a Status when it went at once.
        Ok(answer) if answer.is_left() => Ok(Removed::Terminating),
        Ok(_) => Ok(Removed::Gone),
        Err(e) => match ClusterError::from(e) {
            e if e.is_not_found() => Ok(Removed::Gone),
            // "The system is ensuring all content is removed from this namespace."
            e if e.is_conflict() => match api.get_opt(name).await? {
                None => Ok(Removed::Gone),
                Some(ns) if ns.metadata.deletion_timestamp.is_some() => Ok(Removed::Terminating),
                Some(_) => Err(e),
            },
            e => Err(e),
        },
    }
}
