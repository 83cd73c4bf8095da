//! Compiles the OpenAPI definitions into a compact type tree used to check request bodies the
//! way kube-apiserver's Go JSON decoder does, including the Go type names its errors print.

use std::collections::HashMap;

use serde_json::{Map, Value};

/// What a JSON value must look like at one place of an object.
#[derive(Debug)]
pub(crate) enum Ty {
    /// anything (RawExtension, apiextensions JSON, FieldsV1, values with custom decoders)
    Any,
    Str,
    /// `[]byte`: a base64 string (or an array of small numbers)
    Bytes,
    Int32,
    Int64,
    Float,
    Bool,
    /// resource.Quantity: string or number, strings must parse
    Quantity,
    /// intstr.IntOrString: string or int32
    IntOrString,
    /// metav1.Time: RFC 3339 string
    Time,
    /// metav1.MicroTime: RFC 3339 string with 6 fraction digits
    MicroTime,
    Struct(usize),
    List(Box<Node>),
    Map(Box<Node>),
}

/// A type plus the Go type name printed in `cannot unmarshal ... of type <go>`.
#[derive(Debug)]
pub(crate) struct Node {
    pub ty: Ty,
    pub go: String,
}

/// A Go struct: its short name (`PodSpec`) and its JSON fields.
#[derive(Debug, Default)]
pub(crate) struct StructDef {
    pub name: String,
    pub fields: HashMap<String, Node>,
}

/// All structs, addressable by definition name.
#[derive(Debug, Default)]
pub(crate) struct Compiled {
    pub structs: Vec<StructDef>,
    pub by_def: HashMap<String, usize>,
}

const QUANTITY: &str = "io.k8s.apimachinery.pkg.api.resource.Quantity";
const INT_OR_STRING: &str = "io.k8s.apimachinery.pkg.util.intstr.IntOrString";
const TIME: &str = "io.k8s.apimachinery.pkg.apis.meta.v1.Time";
const MICRO_TIME: &str = "io.k8s.apimachinery.pkg.apis.meta.v1.MicroTime";

/// Go type name of a definition: `io.k8s.api.core.v1.PodSpec` -> `v1.PodSpec`.
pub(crate) fn go_type_of_def(def: &str) -> String {
    let mut it = def.rsplit('.');
    let name = it.next().unwrap_or(def);
    match it.next() {
        Some(pkg) => format!("{pkg}.{name}"),
        None => name.to_string(),
    }
}

fn short_name(def: &str) -> &str {
    def.rsplit('.').next().unwrap_or(def)
}

fn ref_name(schema: &Value) -> Option<&str> {
    schema.get("$ref")?.as_str()?.rsplit('/').next()
}

/// Go types of fields whose type is a named Go type rather than what the schema implies
/// (enumeration strings, named maps and lists). Keyed by (struct, field).
const GO_TYPE_OVERRIDES: &[(&str, &str, &str)] = &[
    ("Container", "imagePullPolicy", "v1.PullPolicy"),
    (
        "Container",
        "terminationMessagePolicy",
        "v1.TerminationMessagePolicy",
    ),
    ("Container", "restartPolicy", "v1.ContainerRestartPolicy"),
    ("EphemeralContainer", "imagePullPolicy", "v1.PullPolicy"),
    (
        "EphemeralContainer",
        "terminationMessagePolicy",
        "v1.TerminationMessagePolicy",
    ),
    ("ContainerPort", "protocol", "v1.Protocol"),
    ("ServicePort", "protocol", "v1.Protocol"),
    ("EndpointPort", "protocol", "v1.Protocol"),
    ("NetworkPolicyPort", "protocol", "v1.Protocol"),
    ("ContainerResizePolicy", "resourceName", "v1.ResourceName"),
    (
        "ContainerResizePolicy",
        "restartPolicy",
        "v1.ResourceResizeRestartPolicy",
    ),
    ("PodSpec", "restartPolicy", "v1.RestartPolicy"),
    ("PodSpec", "dnsPolicy", "v1.DNSPolicy"),
    ("PodSpec", "preemptionPolicy", "v1.PreemptionPolicy"),
    (
        "PodSecurityContext",
        "fsGroupChangePolicy",
        "v1.PodFSGroupChangePolicy",
    ),
    ("SeccompProfile", "type", "v1.SeccompProfileType"),
    ("AppArmorProfile", "type", "v1.AppArmorProfileType"),
    ("Capabilities", "add", "[]v1.Capability"),
    ("Capabilities", "drop", "[]v1.Capability"),
    ("HostPathVolumeSource", "type", "v1.HostPathType"),
    ("HTTPGetAction", "scheme", "v1.URIScheme"),
    ("Toleration", "operator", "v1.TolerationOperator"),
    ("Toleration", "effect", "v1.TaintEffect"),
    ("Taint", "effect", "v1.TaintEffect"),
    (
        "NodeSelectorRequirement",
        "operator",
        "v1.NodeSelectorOperator",
    ),
    (
        "LabelSelectorRequirement",
        "operator",
        "v1.LabelSelectorOperator",
    ),
    (
        "TopologySpreadConstraint",
        "whenUnsatisfiable",
        "v1.UnsatisfiableConstraintAction",
    ),
    (
        "TopologySpreadConstraint",
        "nodeAffinityPolicy",
        "v1.NodeInclusionPolicy",
    ),
    (
        "TopologySpreadConstraint",
        "nodeTaintsPolicy",
        "v1.NodeInclusionPolicy",
    ),
    ("ServiceSpec", "type", "v1.ServiceType"),
    ("ServiceSpec", "sessionAffinity", "v1.ServiceAffinity"),
    (
        "ServiceSpec",
        "externalTrafficPolicy",
        "v1.ServiceExternalTrafficPolicy",
    ),
    (
        "ServiceSpec",
        "internalTrafficPolicy",
        "v1.ServiceInternalTrafficPolicy",
    ),
    ("ServiceSpec", "ipFamilies", "[]v1.IPFamily"),
    ("ServiceSpec", "ipFamilyPolicy", "v1.IPFamilyPolicy"),
    ("Secret", "type", "v1.SecretType"),
    (
        "PersistentVolumeClaimSpec",
        "accessModes",
        "[]v1.PersistentVolumeAccessMode",
    ),
    (
        "PersistentVolumeClaimSpec",
        "volumeMode",
        "v1.PersistentVolumeMode",
    ),
    (
        "PersistentVolumeSpec",
        "accessModes",
        "[]v1.PersistentVolumeAccessMode",
    ),
    (
        "PersistentVolumeSpec",
        "volumeMode",
        "v1.PersistentVolumeMode",
    ),
    (
        "PersistentVolumeSpec",
        "persistentVolumeReclaimPolicy",
        "v1.PersistentVolumeReclaimPolicy",
    ),
    ("LimitRangeItem", "type", "v1.LimitType"),
    ("ResourceQuotaSpec", "scopes", "[]v1.ResourceQuotaScope"),
    ("NamespaceSpec", "finalizers", "[]v1.FinalizerName"),
    ("NamespaceStatus", "phase", "v1.NamespacePhase"),
    ("PodStatus", "phase", "v1.PodPhase"),
    ("PodStatus", "qosClass", "v1.PodQOSClass"),
    ("DeploymentStrategy", "type", "v1.DeploymentStrategyType"),
    (
        "DaemonSetUpdateStrategy",
        "type",
        "v1.DaemonSetUpdateStrategyType",
    ),
    (
        "StatefulSetUpdateStrategy",
        "type",
        "v1.StatefulSetUpdateStrategyType",
    ),
    (
        "StatefulSetSpec",
        "podManagementPolicy",
        "v1.PodManagementPolicyType",
    ),
    ("CronJobSpec", "concurrencyPolicy", "v1.ConcurrencyPolicy"),
    ("JobSpec", "completionMode", "v1.CompletionMode"),
    ("JobSpec", "podReplacementPolicy", "v1.PodReplacementPolicy"),
    ("HTTPIngressPath", "pathType", "v1.PathType"),
    ("NetworkPolicySpec", "policyTypes", "[]v1.PolicyType"),
    ("MetricSpec", "type", "v2.MetricSourceType"),
    ("MetricTarget", "type", "v2.MetricTargetType"),
    ("HPAScalingRules", "selectPolicy", "v2.ScalingPolicySelect"),
    ("HPAScalingPolicy", "type", "v2.HPAScalingPolicyType"),
    (
        "SubjectAccessReviewSpec",
        "extra",
        "map[string]v1.ExtraValue",
    ),
    ("UserInfo", "extra", "map[string]v1.ExtraValue"),
];

impl Compiled {
    pub(crate) fn build(defs: &Map<String, Value>) -> Compiled {
        let overrides: HashMap<(&str, &str), &str> = GO_TYPE_OVERRIDES
            .iter()
            .map(|(s, f, g)| ((*s, *f), *g))
            .collect();
        let mut c = Compiled::default();
        let names: Vec<&String> = defs.keys().collect();
        for name in names {
            if is_struct_def(name, &defs[name.as_str()]) {
                c.struct_index(name, defs, &overrides);
            }
        }
        c
    }

    fn struct_index(
        &mut self,
        def: &str,
        defs: &Map<String, Value>,
        ov: &HashMap<(&str, &str), &str>,
    ) -> usize {
        if let Some(&i) = self.by_def.get(def) {
            return i;
        }
        let idx = self.structs.len();
        let name = short_name(def).to_string();
        self.structs.push(StructDef {
            name: name.clone(),
            fields: HashMap::new(),
        });
        self.by_def.insert(def.to_string(), idx);
        let mut fields = HashMap::new();
        if let Some(props) = defs
            .get(def)
            .and_then(|d| d.get("properties"))
            .and_then(Value::as_object)
        {
            for (field, schema) in props {
                let mut node = self.node(schema, defs, ov);
                if let Some(go) = ov.get(&(name.as_str(), field.as_str())) {
                    apply_override(&mut node, go);
                }
                fields.insert(field.clone(), node);
            }
        }
        self.structs[idx].fields = fields;
        idx
    }

    fn node(
        &mut self,
        schema: &Value,
        defs: &Map<String, Value>,
        ov: &HashMap<(&str, &str), &str>,
    ) -> Node {
        if let Some(r) = ref_name(schema) {
            let go = go_type_of_def(r);
            let ty = match r {
                QUANTITY => Ty::Quantity,
                INT_OR_STRING => Ty::IntOrString,
                TIME => Ty::Time,
                MICRO_TIME => Ty::MicroTime,
                _ => match defs.get(r) {
                    Some(d) if is_struct_def(r, d) => Ty::Struct(self.struct_index(r, defs, ov)),
                    _ => Ty::Any,
                },
            };
            return Node { ty, go };
        }
        let format = schema.get("format").and_then(Value::as_str).unwrap_or("");
        match schema.get("type").and_then(Value::as_str) {
            Some("string") if format == "byte" => Node {
                ty: Ty::Bytes,
                go: "[]uint8".into(),
            },
            Some("string") => Node {
                ty: Ty::Str,
                go: "string".into(),
            },
            Some("integer") if format == "int32" => Node {
                ty: Ty::Int32,
                go: "int32".into(),
            },
            Some("integer") => Node {
                ty: Ty::Int64,
                go: "int64".into(),
            },
            Some("number") => Node {
                ty: Ty::Float,
                go: "float64".into(),
            },
            Some("boolean") => Node {
                ty: Ty::Bool,
                go: "bool".into(),
            },
            Some("array") => {
                let elem = schema.get("items").map(|i| self.node(i, defs, ov));
                let elem = elem.unwrap_or(Node {
                    ty: Ty::Any,
                    go: "interface {}".into(),
                });
                Node {
                    go: format!("[]{}", elem.go),
                    ty: Ty::List(Box::new(elem)),
                }
            }
            Some("object") => match schema.get("additionalProperties") {
                Some(ap) if ap.is_object() => {
                    let elem = self.node(ap, defs, ov);
                    let go = if matches!(elem.ty, Ty::Quantity) {
                        "v1.ResourceList".to_string()
                    } else {
                        format!("map[string]{}", elem.go)
                    };
                    Node {
                        go,
                        ty: Ty::Map(Box::new(elem)),
                    }
                }
                _ => Node {
                    ty: Ty::Any,
                    go: "map[string]interface {}".into(),
                },
            },
            _ => Node {
                ty: Ty::Any,
                go: "interface {}".into(),
            },
        }
    }

    /// The struct of a definition, if it is one.
    pub(crate) fn struct_of(&self, def: &str) -> Option<usize> {
        self.by_def.get(def).copied()
    }
}

/// Object definitions that decode as plain Go structs (not the ones with custom decoders).
fn is_struct_def(name: &str, def: &Value) -> bool {
    const ANY: &[&str] = &[
        "io.k8s.apimachinery.pkg.runtime.RawExtension",
        "io.k8s.apimachinery.pkg.apis.meta.v1.FieldsV1",
        "io.k8s.apimachinery.pkg.apis.meta.v1.Patch",
        "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSON",
    ];
    if ANY.contains(&name) || def.get("oneOf").is_some() {
        return false;
    }
    def.get("properties").is_some() || def.get("type").and_then(Value::as_str) == Some("object")
}

fn apply_override(node: &mut Node, go: &str) {
    match (
        &mut node.ty,
        go.strip_prefix("[]"),
        go.strip_prefix("map[string]"),
    ) {
        (Ty::List(elem), Some(inner), _) => elem.go = inner.to_string(),
        (Ty::Map(elem), _, Some(inner)) => elem.go = inner.to_string(),
        _ => {}
    }
    node.go = go.to_string();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn go_names_of_definitions() {
        assert_eq!(go_type_of_def("io.k8s.api.core.v1.PodSpec"), "v1.PodSpec");
        assert_eq!(go_type_of_def(QUANTITY), "resource.Quantity");
        assert_eq!(go_type_of_def(INT_OR_STRING), "intstr.IntOrString");
    }

    #[test]
    fn compiles_pod_types() {
        let reg = super::super::registry::build();
        let c = Compiled::build(&reg.defs);
        let spec = &c.structs[c.struct_of("io.k8s.api.core.v1.PodSpec").unwrap()];
        assert_eq!(spec.name, "PodSpec");
        assert_eq!(spec.fields["containers"].go, "[]v1.Container");
        assert_eq!(spec.fields["restartPolicy"].go, "v1.RestartPolicy");
        assert_eq!(spec.fields["nodeSelector"].go, "map[string]string");
        assert_eq!(spec.fields["overhead"].go, "v1.ResourceList");
        let caps = &c.structs[c.struct_of("io.k8s.api.core.v1.Capabilities").unwrap()];
        match &caps.fields["add"].ty {
            Ty::List(e) => assert_eq!(e.go, "v1.Capability"),
            other => panic!("{other:?}"),
        }
        let secret = &c.structs[c.struct_of("io.k8s.api.core.v1.Secret").unwrap()];
        assert_eq!(secret.fields["data"].go, "map[string][]uint8");
        assert!(
            c.struct_of("io.k8s.apimachinery.pkg.runtime.RawExtension")
                .is_none()
        );
    }
}
