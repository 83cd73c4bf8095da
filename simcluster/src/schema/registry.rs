//! The list of built-in kinds the simulated server serves, and the raw OpenAPI definitions of
//! all of them, generated once from k8s-openapi's `schemars` implementations.

use k8s_openapi::api::{
    admissionregistration::v1 as admreg, apps::v1 as apps, authentication::v1 as authn,
    authorization::v1 as authz, autoscaling::v1 as as1, autoscaling::v2 as as2, batch::v1 as batch,
    certificates::v1 as certs, coordination::v1 as coord, core::v1 as core, discovery::v1 as disc,
    events::v1 as events, flowcontrol::v1 as flow, networking::v1 as net, node::v1 as node,
    policy::v1 as policy, rbac::v1 as rbac, resource::v1 as res, scheduling::v1 as sched,
    storage::v1 as storage,
};
use k8s_openapi::apiextensions_apiserver::pkg::apis::apiextensions::v1 as apiext;
use k8s_openapi::apimachinery::pkg::apis::meta::v1 as meta;
use k8s_openapi::kube_aggregator::pkg::apis::apiregistration::v1 as apireg;
use k8s_openapi::schemars::JsonSchema;
use k8s_openapi::schemars::generate::{SchemaGenerator, SchemaSettings};
use k8s_openapi::{ClusterResourceScope, NamespaceResourceScope, Resource, SubResourceScope};
use serde_json::{Map, Value};

/// Which operations a resource offers (drives the generated OpenAPI paths).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verbs {
    /// get, list, watch, create, update, patch, delete, deletecollection
    All,
    /// only create (reviews, bindings)
    CreateOnly,
    /// only get and list (componentstatuses)
    ReadOnly,
}

/// One served resource (a kind of a group version with its REST path segment).
#[derive(Debug, Clone)]
pub struct KindInfo {
    pub group: &'static str,
    pub version: &'static str,
    pub kind: &'static str,
    pub plural: &'static str,
    pub namespaced: bool,
    /// OpenAPI definition name, e.g. `io.k8s.api.core.v1.Pod`
    pub def: String,
    /// `Some("PodList")` for listable kinds
    pub list_kind: Option<&'static str>,
    pub verbs: Verbs,
    /// subresources with a request/response body: status, scale, binding, eviction, ...
    pub subresources: &'static [&'static str],
}

impl KindInfo {
    pub fn api_version(&self) -> String {
        if self.group.is_empty() {
            self.version.to_string()
        } else {
            format!("{}/{}", self.group, self.version)
        }
    }
    /// `api/v1` or `apis/<group>/<version>`
    pub fn gv_path(&self) -> String {
        gv_path(self.group, self.version)
    }
}

pub fn gv_path(group: &str, version: &str) -> String {
    if group.is_empty() {
        format!("api/{version}")
    } else {
        format!("apis/{group}/{version}")
    }
}

/// A type known to the schema that is not a served resource of its own (subresource bodies,
/// options): checkable, and its definition carries a group-version-kind.
#[derive(Debug, Clone)]
pub struct ExtraKind {
    pub group: &'static str,
    pub version: &'static str,
    pub kind: &'static str,
    pub def: String,
}

/// Everything generated from k8s-openapi: definitions (refs point at `#/definitions/<name>`).
pub struct Registry {
    pub kinds: Vec<KindInfo>,
    pub extra: Vec<ExtraKind>,
    pub defs: Map<String, Value>,
}

trait ScopeFlag {
    const NAMESPACED: bool;
}
impl ScopeFlag for NamespaceResourceScope {
    const NAMESPACED: bool = true;
}
impl ScopeFlag for ClusterResourceScope {
    const NAMESPACED: bool = false;
}
impl ScopeFlag for SubResourceScope {
    const NAMESPACED: bool = false;
}

fn kind<T>(
    g: &mut SchemaGenerator,
    list: Option<&'static str>,
    verbs: Verbs,
    subs: &'static [&'static str],
) -> KindInfo
where
    T: Resource + JsonSchema,
    T::Scope: ScopeFlag,
{
    g.subschema_for::<T>();
    KindInfo {
        group: T::GROUP,
        version: T::VERSION,
        kind: T::KIND,
        plural: T::URL_PATH_SEGMENT,
        namespaced: <T::Scope as ScopeFlag>::NAMESPACED,
        def: T::schema_name().into_owned(),
        list_kind: list,
        verbs,
        subresources: subs,
    }
}

fn extra<T: Resource + JsonSchema>(g: &mut SchemaGenerator) -> ExtraKind {
    g.subschema_for::<T>();
    ExtraKind {
        group: T::GROUP,
        version: T::VERSION,
        kind: T::KIND,
        def: T::schema_name().into_owned(),
    }
}

/// `res!(g, Type [subresources])` for listable kinds, `res!(g, Type, verbs)` for the others.
macro_rules! res {
    ($g:expr, $t:ty [$($s:literal),*]) => {
        kind::<$t>($g, Some(<$t as k8s_openapi::ListableResource>::LIST_KIND), Verbs::All, &[$($s),*])
    };
    ($g:expr, $t:ty, $v:expr) => {
        kind::<$t>($g, None, $v, &[])
    };
}

/// Builds the registry: every resource the recorded kube-apiserver v1.36 serves (the same set as
/// its discovery documents), in discovery order.
pub fn build() -> Registry {
    let settings = SchemaSettings::draft07().with(|s| {
        s.definitions_path = "/definitions".into();
        s.meta_schema = None;
        s.transforms = Vec::new();
    });
    let mut g = SchemaGenerator::new(settings);
    let g = &mut g;
    let kinds = vec![
        res!(g, core::Binding, Verbs::CreateOnly),
        res!(g, core::ComponentStatus [ ]),
        res!(g, core::ConfigMap []),
        res!(g, core::Endpoints []),
        res!(g, core::Event []),
        res!(g, core::LimitRange []),
        res!(g, core::Namespace ["finalize", "status"]),
        res!(g, core::Node["status"]),
        res!(g, core::PersistentVolumeClaim["status"]),
        res!(g, core::PersistentVolume["status"]),
        res!(g, core::Pod ["binding", "ephemeralcontainers", "eviction", "resize", "status"]),
        res!(g, core::PodTemplate []),
        res!(g, core::ReplicationController ["scale", "status"]),
        res!(g, core::ResourceQuota["status"]),
        res!(g, core::Secret []),
        res!(g, core::ServiceAccount["token"]),
        res!(g, core::Service["status"]),
        res!(g, apireg::APIService["status"]),
        res!(g, apps::ControllerRevision []),
        res!(g, apps::DaemonSet["status"]),
        res!(g, apps::Deployment ["scale", "status"]),
        res!(g, apps::ReplicaSet ["scale", "status"]),
        res!(g, apps::StatefulSet ["scale", "status"]),
        res!(g, events::Event []),
        res!(g, authn::SelfSubjectReview, Verbs::CreateOnly),
        res!(g, authn::TokenReview, Verbs::CreateOnly),
        res!(g, authz::LocalSubjectAccessReview, Verbs::CreateOnly),
        res!(g, authz::SelfSubjectAccessReview, Verbs::CreateOnly),
        res!(g, authz::SelfSubjectRulesReview, Verbs::CreateOnly),
        res!(g, authz::SubjectAccessReview, Verbs::CreateOnly),
        res!(g, as2::HorizontalPodAutoscaler["status"]),
        res!(g, as1::HorizontalPodAutoscaler["status"]),
        res!(g, batch::CronJob["status"]),
        res!(g, batch::Job["status"]),
        res!(g, certs::CertificateSigningRequest ["approval", "status"]),
        res!(g, net::IngressClass []),
        res!(g, net::Ingress["status"]),
        res!(g, net::IPAddress []),
        res!(g, net::NetworkPolicy []),
        res!(g, net::ServiceCIDR["status"]),
        res!(g, policy::PodDisruptionBudget["status"]),
        res!(g, rbac::ClusterRoleBinding []),
        res!(g, rbac::ClusterRole []),
        res!(g, rbac::RoleBinding []),
        res!(g, rbac::Role []),
        res!(g, storage::CSIDriver []),
        res!(g, storage::CSINode []),
        res!(g, storage::CSIStorageCapacity []),
        res!(g, storage::StorageClass []),
        res!(g, storage::VolumeAttachment["status"]),
        res!(g, storage::VolumeAttributesClass []),
        res!(g, admreg::MutatingAdmissionPolicy []),
        res!(g, admreg::MutatingAdmissionPolicyBinding []),
        res!(g, admreg::MutatingWebhookConfiguration []),
        res!(g, admreg::ValidatingAdmissionPolicy["status"]),
        res!(g, admreg::ValidatingAdmissionPolicyBinding []),
        res!(g, admreg::ValidatingWebhookConfiguration []),
        res!(g, apiext::CustomResourceDefinition["status"]),
        res!(g, sched::PriorityClass []),
        res!(g, coord::Lease []),
        res!(g, node::RuntimeClass []),
        res!(g, disc::EndpointSlice []),
        res!(g, res::DeviceClass []),
        res!(g, res::ResourceClaim["status"]),
        res!(g, res::ResourceClaimTemplate []),
        res!(g, res::ResourceSlice []),
        res!(g, flow::FlowSchema["status"]),
        res!(g, flow::PriorityLevelConfiguration["status"]),
    ];
    let mut kinds = kinds;
    // componentstatuses are read-only
    for k in kinds.iter_mut().filter(|k| k.kind == "ComponentStatus") {
        k.verbs = Verbs::ReadOnly;
    }
    let extra = vec![
        extra::<as1::Scale>(g),
        extra::<policy::Eviction>(g),
        extra::<authn::TokenRequest>(g),
        extra::<meta::Status>(g),
    ];
    // types used by paths without a kind of their own
    g.subschema_for::<meta::DeleteOptions>();
    g.subschema_for::<meta::WatchEvent<core::Pod>>();
    g.subschema_for::<meta::Patch>();
    g.subschema_for::<meta::APIResourceList>();
    g.subschema_for::<meta::APIGroup>();
    g.subschema_for::<meta::APIGroupList>();
    g.subschema_for::<meta::APIVersions>();
    g.subschema_for::<meta::ListMeta>();
    let mut defs = g.take_definitions(false);
    for k in &kinds {
        if let Some(list_kind) = k.list_kind {
            let (name, def) = list_def(k, list_kind, &defs);
            defs.insert(name, def);
        }
    }
    Registry { kinds, extra, defs }
}

/// Name of the list definition of a kind: `io.k8s.api.core.v1.PodList`.
pub fn list_def_name(k: &KindInfo, list_kind: &str) -> String {
    match k.def.rsplit_once('.') {
        Some((pkg, _)) => format!("{pkg}.{list_kind}"),
        None => list_kind.to_string(),
    }
}

/// The `<Kind>List` definition (k8s-openapi has a generic `List<T>` without a named schema).
fn list_def(k: &KindInfo, list_kind: &str, defs: &Map<String, Value>) -> (String, Value) {
    let prop_desc = |p: &str| {
        defs.get(&k.def)
            .and_then(|d| d.pointer(&format!("/properties/{p}/description")))
            .cloned()
            .unwrap_or(Value::Null)
    };
    let def = serde_json::json!({
        "description": format!("{list_kind} is a list of {} objects.", k.kind),
        "type": "object",
        "properties": {
            "apiVersion": {"description": prop_desc("apiVersion"), "type": "string"},
            "items": {
                "description": format!("Items is the list of {} objects.", k.kind),
                "type": "array",
                "items": {"$ref": format!("#/definitions/{}", k.def)},
            },
            "kind": {"description": prop_desc("kind"), "type": "string"},
            "metadata": {
                "$ref": "#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.ListMeta",
                "description": "Standard list metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds",
            },
        },
        "required": ["items"],
    });
    (list_def_name(k, list_kind), def)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registry_has_core_kinds_and_definitions() {
        let r = build();
        let pod = r.kinds.iter().find(|k| k.kind == "Pod").unwrap();
        assert_eq!(
            (pod.group, pod.version, pod.plural, pod.namespaced),
            ("", "v1", "pods", true)
        );
        assert_eq!(pod.def, "io.k8s.api.core.v1.Pod");
        assert_eq!(pod.list_kind, Some("PodList"));
        let ns = r.kinds.iter().find(|k| k.kind == "Namespace").unwrap();
        assert!(!ns.namespaced);
        assert!(r.defs.contains_key("io.k8s.api.core.v1.PodSpec"));
        assert!(
            r.defs
                .contains_key("io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta")
        );
        assert!(
            r.defs
                .contains_key("io.k8s.apimachinery.pkg.apis.meta.v1.DeleteOptions")
        );
        assert_eq!(r.kinds.len(), 68);
        let list = &r.defs["io.k8s.api.core.v1.PodList"];
        assert_eq!(
            list["properties"]["items"]["items"]["$ref"],
            "#/definitions/io.k8s.api.core.v1.Pod"
        );
    }
}
