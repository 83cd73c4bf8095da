//! Per-resource field tables of field selectors: the field label conversion functions
//! registered in kube-apiserver v1.36 (which fields are accepted, and with which error text) and
//! the `ToSelectableFields` value sets used for matching (values compared as strings; a field
//! outside the set reads as "").

use serde_json::Value;

use super::go_quote;

/// Which conversion function / selectable-field set applies to a resource.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Kind {
    Pod,
    Node,
    ReplicationController,
    /// core/v1 and events.k8s.io/v1 events share the internal field set.
    Event {
        events_group: bool,
    },
    Namespace,
    Secret,
    Service,
    Job,
    CertificateSigningRequest,
    ClusterTrustBundle,
    PodCertificateRequest,
    ResourceSlice,
    /// Custom resource with the CRD's `selectableFields` (selector names, e.g. `spec.color`).
    Custom(Vec<String>),
    /// No conversion function registered: `runtime.DefaultMetaV1FieldSelectorConversion`.
    Default,
}

impl Kind {
    pub(super) fn of(group: &str, plural: &str) -> Kind {
        match (group, plural) {
            ("", "pods") => Kind::Pod,
            ("", "nodes") => Kind::Node,
            ("", "replicationcontrollers") => Kind::ReplicationController,
            ("", "events") => Kind::Event {
                events_group: false,
            },
            ("events.k8s.io", "events") => Kind::Event { events_group: true },
            ("", "namespaces") => Kind::Namespace,
            ("", "secrets") => Kind::Secret,
            ("", "services") => Kind::Service,
            ("batch", "jobs") => Kind::Job,
            ("certificates.k8s.io", "certificatesigningrequests") => {
                Kind::CertificateSigningRequest
            }
            ("certificates.k8s.io", "clustertrustbundles") => Kind::ClusterTrustBundle,
            ("certificates.k8s.io", "podcertificaterequests") => Kind::PodCertificateRequest,
            ("resource.k8s.io", "resourceslices") => Kind::ResourceSlice,
            _ => Kind::Default,
        }
    }

    /// The registered field label conversion: the internal field name, or the error text.
    pub(super) fn convert(&self, label: &str) -> Result<String, String> {
        let not_supported = || Err(format!("field label not supported: {label}"));
        let accept = |ok: &[&str]| {
            if ok.contains(&label) {
                Ok(label.to_string())
            } else {
                not_supported()
            }
        };
        match self {
            Kind::Pod if label == "spec.host" => Ok("spec.nodeName".to_string()),
            Kind::Pod => accept(&[
                "metadata.name",
                "metadata.namespace",
                "spec.nodeName",
                "spec.restartPolicy",
                "spec.schedulerName",
                "spec.serviceAccountName",
                "spec.hostNetwork",
                "status.phase",
                "status.podIP",
                "status.podIPs",
                "status.nominatedNodeName",
            ]),
            Kind::Node => accept(&["metadata.name", "spec.unschedulable"]),
            Kind::ReplicationController => {
                accept(&["metadata.name", "metadata.namespace", "status.replicas"])
            }
            Kind::Event {
                events_group: false,
            } => accept(&[
                "involvedObject.kind",
                "involvedObject.namespace",
                "involvedObject.name",
                "involvedObject.uid",
                "involvedObject.apiVersion",
                "involvedObject.resourceVersion",
                "involvedObject.fieldPath",
                "reason",
                "reportingComponent",
                "source",
                "type",
                "metadata.namespace",
                "metadata.name",
            ]),
            Kind::Event { events_group: true } => match label {
                "reason" | "source" | "type" | "metadata.namespace" | "metadata.name" => {
                    Ok(label.to_string())
                }
                "reportingController" => Ok("reportingComponent".to_string()),
                _ => match label.strip_prefix("regarding.") {
                    Some(
                        f @ ("kind" | "namespace" | "name" | "uid" | "apiVersion"
                        | "resourceVersion" | "fieldPath"),
                    ) => Ok(format!("involvedObject.{f}")),
                    _ => not_supported(),
                },
            },
            Kind::Namespace => accept(&["status.phase", "metadata.name"]),
            Kind::Secret => accept(&["type", "metadata.namespace", "metadata.name"]),
            Kind::Service => accept(&[
                "metadata.namespace",
                "metadata.name",
                "spec.clusterIP",
                "spec.type",
            ]),
            Kind::Job => match label {
                "metadata.name" | "metadata.namespace" | "status.successful" => {
                    Ok(label.to_string())
                }
                _ => Err(format!(
                    "field label {} not supported for batchv1.Job",
                    go_quote(label)
                )),
            },
            Kind::CertificateSigningRequest | Kind::ClusterTrustBundle => {
                accept(&["metadata.name", "spec.signerName"])
            }
            Kind::PodCertificateRequest => accept(&[
                "metadata.name",
                "spec.signerName",
                "spec.podName",
                "spec.nodeName",
            ]),
            Kind::ResourceSlice => match label {
                "metadata.name" | "spec.nodeName" | "spec.driver" => Ok(label.to_string()),
                _ => Err(format!(
                    "field label not supported for resource.k8s.io/v1, Kind=ResourceSlice: {label}"
                )),
            },
            Kind::Custom(fields) if fields.iter().any(|f| f == label) => Ok(label.to_string()),
            Kind::Custom(_) | Kind::Default => match label {
                "metadata.name" | "metadata.namespace" => Ok(label.to_string()),
                _ => Err(format!(
                    "{} is not a known field selector: only \"metadata.name\", \"metadata.namespace\"",
                    go_quote(label)
                )),
            },
        }
    }

    /// `fields.Set.Get(field)` on the kind's selectable field set built from the object.
    pub(super) fn value(&self, obj: &Value, field: &str) -> String {
        let s = |ptr: &str| obj.pointer(ptr).map(scalar).unwrap_or_default();
        let or = |ptr: &str, default: &str| {
            obj.pointer(ptr)
                .filter(|v| !v.is_null())
                .map(scalar)
                .unwrap_or(default.into())
        };
        match (self, field) {
            (_, "metadata.name") => s("/metadata/name"),
            (_, "metadata.namespace") => s("/metadata/namespace"),
            (
                Kind::Pod,
                "spec.nodeName"
                | "spec.restartPolicy"
                | "spec.schedulerName"
                | "spec.serviceAccountName",
            ) => s(&format!("/{}", field.replace('.', "/"))),
            (Kind::Pod, "spec.hostNetwork") => or("/spec/hostNetwork", "false"),
            (Kind::Pod, "status.phase") => s("/status/phase"),
            (Kind::Pod, "status.nominatedNodeName") => s("/status/nominatedNodeName"),
            (Kind::Pod, "status.podIP") => obj
                .pointer("/status/podIPs/0/ip")
                .map(scalar)
                .unwrap_or_else(|| s("/status/podIP")),
            (Kind::Node, "spec.unschedulable") => or("/spec/unschedulable", "false"),
            (Kind::ReplicationController, "status.replicas") => or("/status/replicas", "0"),
            (Kind::Event { .. }, _) => event_value(obj, field),
            (Kind::Namespace, "status.phase") => s("/status/phase"),
            (Kind::Secret, "type") => s("/type"),
            (Kind::Service, "spec.clusterIP" | "spec.type") => {
                s(&format!("/{}", field.replace('.', "/")))
            }
            (Kind::Job, "status.successful") => or("/status/succeeded", "0"),
            (
                Kind::CertificateSigningRequest
                | Kind::ClusterTrustBundle
                | Kind::PodCertificateRequest,
                "spec.signerName",
            ) => s("/spec/signerName"),
            (Kind::PodCertificateRequest, "spec.podName" | "spec.nodeName") => {
                s(&format!("/{}", field.replace('.', "/")))
            }
            (Kind::ResourceSlice, "spec.nodeName" | "spec.driver") => {
                s(&format!("/{}", field.replace('.', "/")))
            }
            (Kind::Custom(fields), _) if fields.iter().any(|f| f == field) => {
                s(&format!("/{}", field.replace('.', "/")))
            }
            _ => String::new(),
        }
    }
}

/// A JSON scalar as the string the apiserver would put in its field set.
fn scalar(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// The internal event field set, read from either the core/v1 or the events.k8s.io/v1 shape.
fn event_value(obj: &Value, field: &str) -> String {
    let first = |ptrs: &[&str]| {
        ptrs.iter()
            .filter_map(|p| obj.pointer(p))
            .map(scalar)
            .find(|v| !v.is_empty())
            .unwrap_or_default()
    };
    if let Some(f) = field.strip_prefix("involvedObject.") {
        return first(&[&format!("/involvedObject/{f}"), &format!("/regarding/{f}")]);
    }
    match field {
        "reason" => first(&["/reason"]),
        "type" => first(&["/type"]),
        "reportingComponent" => first(&["/reportingComponent", "/reportingController"]),
        "source" => first(&[
            "/source/component",
            "/deprecatedSource/component",
            "/reportingComponent",
            "/reportingController",
        ]),
        _ => String::new(),
    }
}
