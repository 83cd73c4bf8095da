//! Field selectors: the parser and escaping rules of `k8s.io/apimachinery/pkg/fields`, the
//! per-kind field label conversion functions registered in kube-apiserver v1.36 (which fields
//! are accepted, and with which error text) and the `ToSelectableFields` value sets used for
//! matching (values compared as strings; a field outside the set reads as "").

use serde_json::Value;
use std::fmt;

use super::go_quote;

/// Which conversion function / selectable-field set applies to a resource.
#[derive(Debug, Clone, PartialEq)]
enum Kind {
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
    fn of(group: &str, plural: &str) -> Kind {
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
    fn convert(&self, label: &str) -> Result<String, String> {
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
    fn value(&self, obj: &Value, field: &str) -> String {
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

#[derive(Debug, Clone, PartialEq)]
struct Term {
    field: String,
    value: String,
    negate: bool,
}

/// A parsed field selector: the AND of `field=value` / `field!=value` terms, already converted
/// to the internal field names of the resource it was parsed for.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldSelector {
    terms: Vec<Term>,
    kind: Kind,
}

/// `fields.EscapeValue`.
pub fn escape_value(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace(',', "\\,")
        .replace('=', "\\=")
}

/// `fields.UnescapeValue`.
fn unescape_value(s: &str) -> Result<String, String> {
    if !s.contains(['\\', ',', '=']) {
        return Ok(s.to_string());
    }
    let mut out = String::with_capacity(s.len());
    let mut in_slash = false;
    for c in s.chars() {
        if in_slash {
            match c {
                '\\' | ',' | '=' => out.push(c),
                _ => {
                    return Err(format!(
                        "invalid field selector: invalid escape sequence: \\{c}"
                    ));
                }
            }
            in_slash = false;
            continue;
        }
        match c {
            '\\' => in_slash = true,
            ',' | '=' => {
                return Err(format!(
                    "invalid field selector: unescaped character in value: {}",
                    c as u32
                ));
            }
            _ => out.push(c),
        }
    }
    if in_slash {
        return Err("invalid field selector: invalid escape sequence: \\".to_string());
    }
    Ok(out)
}

/// `splitTerms`: split on commas not escaped by a backslash (escapes kept).
fn split_terms(s: &str) -> Vec<&str> {
    if s.is_empty() {
        return Vec::new();
    }
    let mut terms = Vec::new();
    let (mut start, mut in_slash) = (0, false);
    for (i, c) in s.char_indices() {
        if in_slash {
            in_slash = false;
        } else if c == '\\' {
            in_slash = true;
        } else if c == ',' {
            terms.push(&s[start..i]);
            start = i + 1;
        }
    }
    terms.push(&s[start..]);
    terms
}

/// `splitTerm`: split at the first operator (`!=`, then `==`, then `=` at each position).
fn split_term(term: &str) -> Option<(&str, &str, &str)> {
    for (i, _) in term.char_indices() {
        let rest = &term[i..];
        for op in ["!=", "==", "="] {
            if let Some(rhs) = rest.strip_prefix(op) {
                return Some((&term[..i], op, rhs));
            }
        }
    }
    None
}

impl FieldSelector {
    /// Parse a `fieldSelector` value for a resource (group "" for core, plural e.g. "pods"),
    /// validating the field names against the real apiserver's conversion functions, with the
    /// real error messages.
    pub fn parse(s: &str, group: &str, plural: &str) -> Result<FieldSelector, String> {
        Self::parse_kind(s, Kind::of(group, plural))
    }

    /// Parse for a custom resource whose CRD declares `selectableFields` (given as selector
    /// names without the leading dot, e.g. `spec.color`).
    pub fn parse_custom(s: &str, selectable_fields: &[String]) -> Result<FieldSelector, String> {
        Self::parse_kind(s, Kind::Custom(selectable_fields.to_vec()))
    }

    fn parse_kind(s: &str, kind: Kind) -> Result<FieldSelector, String> {
        let mut parts = split_terms(s);
        parts.sort();
        let mut raw = Vec::new();
        for part in parts.into_iter().filter(|p| !p.is_empty()) {
            let Some((lhs, op, rhs)) = split_term(part) else {
                return Err(format!(
                    "invalid selector: '{s}'; can't understand '{part}'"
                ));
            };
            raw.push((lhs, unescape_value(rhs)?, op == "!="));
        }
        let mut terms = Vec::with_capacity(raw.len());
        for (lhs, value, negate) in raw {
            terms.push(Term {
                field: kind.convert(lhs)?,
                value,
                negate,
            });
        }
        Ok(FieldSelector { terms, kind })
    }

    /// True when the selector does not restrict anything.
    pub fn is_empty(&self) -> bool {
        self.terms.is_empty()
    }

    /// Whether the object (in its stored JSON form) satisfies every term.
    pub fn matches(&self, obj: &Value) -> bool {
        self.terms
            .iter()
            .all(|t| (self.kind.value(obj, &t.field) == t.value) != t.negate)
    }

    /// If the selector pins `metadata.name=X` (single-object watch/list), return X.
    pub fn exact_name(&self) -> Option<&str> {
        self.requires_exact_match("metadata.name")
    }

    /// `RequiresExactMatch` for any (internal) field name.
    pub fn requires_exact_match(&self, field: &str) -> Option<&str> {
        self.terms
            .iter()
            .find(|t| !t.negate && t.field == field)
            .map(|t| t.value.as_str())
    }
}

impl fmt::Display for FieldSelector {
    /// `Selector.String()` (internal field names, escaped values).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let parts: Vec<String> = self
            .terms
            .iter()
            .map(|t| {
                format!(
                    "{}{}{}",
                    t.field,
                    if t.negate { "!=" } else { "=" },
                    escape_value(&t.value)
                )
            })
            .collect();
        f.write_str(&parts.join(","))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn err(s: &str, group: &str, plural: &str) -> String {
        FieldSelector::parse(s, group, plural).unwrap_err()
    }

    fn sel(s: &str, group: &str, plural: &str) -> FieldSelector {
        FieldSelector::parse(s, group, plural).unwrap_or_else(|e| panic!("{s}: {e}"))
    }

    #[test]
    fn syntax_and_escaping() {
        let f = sel(r"metadata.name=a\,b\=c\\d", "", "configmaps");
        assert!(f.matches(&json!({"metadata": {"name": "a,b=c\\d"}})));
        assert_eq!(f.to_string(), r"metadata.name=a\,b\=c\\d");
        assert!(sel("", "", "pods").is_empty());
        assert!(sel(",,", "", "pods").is_empty());
        assert_eq!(
            err("metadata.name=a=b", "", "pods"),
            "invalid field selector: unescaped character in value: 61"
        );
        assert_eq!(
            err(r"metadata.name=a\q", "", "pods"),
            r"invalid field selector: invalid escape sequence: \q"
        );
        assert_eq!(
            err(r"metadata.name=a\", "", "pods"),
            r"invalid field selector: invalid escape sequence: \"
        );
        assert_eq!(
            err("metadata.name=a,b", "", "pods"),
            "invalid selector: 'metadata.name=a,b'; can't understand 'b'"
        );
        // Terms are sorted before any check, syntax errors come before field-name errors.
        assert_eq!(
            err("zzz=1,metadata.name=a=b", "", "pods"),
            "invalid field selector: unescaped character in value: 61"
        );
        assert_eq!(
            err("zzz=1,yyy", "", "pods"),
            "invalid selector: 'zzz=1,yyy'; can't understand 'yyy'"
        );
        assert_eq!(
            err("zzz=1,aaa=2", "", "pods"),
            "field label not supported: aaa"
        );
        assert_eq!(
            err("metadata.name =x", "", "pods"),
            "field label not supported: metadata.name "
        );
        let f = sel("metadata.name==x,status.phase!=Running", "", "pods");
        assert_eq!(f.exact_name(), Some("x"));
    }

    #[test]
    fn error_texts_per_kind() {
        let default = "\"data.key\" is not a known field selector: only \"metadata.name\", \"metadata.namespace\"";
        assert_eq!(err("data.key=value", "", "configmaps"), default);
        assert_eq!(
            err("status.replicas=1", "apps", "replicasets"),
            "\"status.replicas\" is not a known field selector: only \"metadata.name\", \"metadata.namespace\""
        );
        assert_eq!(
            err("spec.containers.image=nginx", "", "pods"),
            "field label not supported: spec.containers.image"
        );
        assert_eq!(
            err("metadata.namespace=x", "", "nodes"),
            "field label not supported: metadata.namespace"
        );
        assert_eq!(
            err("metadata.namespace=x", "", "namespaces"),
            "field label not supported: metadata.namespace"
        );
        assert_eq!(
            err("status.active=1", "batch", "jobs"),
            "field label \"status.active\" not supported for batchv1.Job"
        );
        assert_eq!(
            err("deprecatedSource=x", "events.k8s.io", "events"),
            "field label not supported: deprecatedSource"
        );
        assert_eq!(
            err("involvedObject.kind=x", "events.k8s.io", "events"),
            "field label not supported: involvedObject.kind"
        );
        assert_eq!(
            err("regarding.kind=x", "", "events"),
            "field label not supported: regarding.kind"
        );
        assert_eq!(
            err("spec.pool=x", "resource.k8s.io", "resourceslices"),
            "field label not supported for resource.k8s.io/v1, Kind=ResourceSlice: spec.pool"
        );
        assert_eq!(
            err(
                "spec.username=x",
                "certificates.k8s.io",
                "certificatesigningrequests"
            ),
            "field label not supported: spec.username"
        );
        assert_eq!(
            err("spec.color=red", "example.com", "widgets"),
            "\"spec.color\" is not a known field selector: only \"metadata.name\", \"metadata.namespace\""
        );
        let f = FieldSelector::parse_custom("spec.color=red", &["spec.color".to_string()]).unwrap();
        assert!(f.matches(&json!({"spec": {"color": "red"}})));
    }

    #[test]
    fn pod_fields() {
        let pod = json!({
            "metadata": {"name": "p", "namespace": "ns"},
            "spec": {"restartPolicy": "Always", "schedulerName": "default-scheduler", "serviceAccountName": "default"},
            "status": {"phase": "Pending"}
        });
        for yes in [
            "spec.nodeName=",
            "spec.host=",
            "spec.hostNetwork=false",
            "status.podIP=",
            "status.podIPs=",
            "spec.serviceAccountName=default,spec.schedulerName=default-scheduler",
            "metadata.namespace=ns,metadata.name=p",
            "status.nominatedNodeName=",
        ] {
            assert!(sel(yes, "", "pods").matches(&pod), "{yes}");
        }
        for no in [
            "spec.nodeName!=",
            "spec.hostNetwork=true",
            "status.phase=Running",
            "metadata.name!=p",
        ] {
            assert!(!sel(no, "", "pods").matches(&pod), "{no}");
        }
        let running = json!({"spec": {"nodeName": "n1", "hostNetwork": true}, "status": {"podIP": "10.0.0.1", "podIPs": [{"ip": "10.0.0.1"}]}});
        assert!(
            sel(
                "spec.host=n1,spec.hostNetwork=true,status.podIP=10.0.0.1",
                "",
                "pods"
            )
            .matches(&running)
        );
        assert!(!sel("status.podIPs=10.0.0.1", "", "pods").matches(&running));
    }

    #[test]
    fn other_kinds_fields() {
        let node = json!({"metadata": {"name": "n1"}, "spec": {}});
        assert!(sel("spec.unschedulable=false,metadata.name=n1", "", "nodes").matches(&node));
        let job = json!({"metadata": {"name": "j"}, "status": {}});
        assert!(sel("status.successful=0", "batch", "jobs").matches(&job));
        assert!(
            sel("status.successful=2", "batch", "jobs")
                .matches(&json!({"status": {"succeeded": 2}}))
        );
        assert!(sel("status.replicas=0", "", "replicationcontrollers").matches(&json!({})));
        assert!(sel("type=Opaque", "", "secrets").matches(&json!({"type": "Opaque"})));
        assert!(
            sel(
                "spec.type=ClusterIP,spec.clusterIP=10.0.0.1",
                "",
                "services"
            )
            .matches(&json!({"spec": {"type": "ClusterIP", "clusterIP": "10.0.0.1"}}))
        );
        assert!(
            sel("status.phase=Active", "", "namespaces")
                .matches(&json!({"status": {"phase": "Active"}}))
        );
        assert!(
            sel(
                "spec.signerName=x/y",
                "certificates.k8s.io",
                "certificatesigningrequests"
            )
            .matches(&json!({"spec": {"signerName": "x/y"}}))
        );
        let core_event = json!({
            "involvedObject": {"kind": "Job", "name": "j"},
            "source": {}, "reportingComponent": "job-controller", "type": "Normal", "reason": "Created"
        });
        assert!(sel("involvedObject.kind=Job,source=job-controller,reportingComponent=job-controller,type=Normal,reason=Created", "", "events").matches(&core_event));
        let new_event = json!({"regarding": {"kind": "Job", "name": "j"}, "reportingController": "c", "deprecatedSource": {"component": "old"}});
        assert!(
            sel(
                "regarding.kind=Job,regarding.name=j,reportingController=c,source=old",
                "events.k8s.io",
                "events"
            )
            .matches(&new_event)
        );
        assert!(sel("regarding.fieldPath=", "events.k8s.io", "events").matches(&new_event));
    }
}
