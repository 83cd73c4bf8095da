//! The type schema both strategic merge patch and server-side apply walk: parsed once from the
//! table in `strategy_table.rs`; undeclared types and fields fall back to schema-less behaviour.

use std::collections::HashMap;
use std::sync::OnceLock;

use serde_json::Value;

use super::strategy_table::{BUILTIN_GROUPS, KINDS, TYPES};

/// A field's type.
#[derive(Clone, Debug, PartialEq)]
pub enum Ty {
    /// A struct (known or not): keys are named fields; atomic when declared with `!`.
    Named(String),
    /// `map[string]T` (granular unless atomic).
    Map(Box<Ty>, bool),
    /// A list of T.
    List(Box<Ty>, ListKind),
    Scalar,
    /// Unknown: deduced from the value (objects granular, lists atomic).
    Deduced,
}

/// `x-kubernetes-list-type`.
#[derive(Clone, Debug, PartialEq)]
pub enum ListKind {
    Atomic,
    Set,
    /// Associative list: key fields with an optional default (e.g. `protocol=TCP`).
    Map(Vec<(String, Option<Value>)>),
}

/// `patchStrategy` / `patchMergeKey`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Smp {
    /// "merge", "replace" or "" (none).
    pub strategy: String,
    pub merge_key: String,
}

#[derive(Clone, Debug)]
pub struct Field {
    pub ty: Ty,
    pub smp: Smp,
}

#[derive(Debug, Default)]
pub struct TypeDef {
    pub atomic: bool,
    pub fields: HashMap<String, Field>,
}

static SCHEMA: OnceLock<HashMap<String, TypeDef>> = OnceLock::new();

fn types() -> &'static HashMap<String, TypeDef> {
    SCHEMA.get_or_init(|| parse(TYPES))
}

fn parse(text: &str) -> HashMap<String, TypeDef> {
    let mut out = HashMap::new();
    for line in text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
    {
        let mut words = line.split_whitespace();
        let head = words.next().unwrap_or_default();
        let (name, atomic) = match head.strip_suffix('!') {
            Some(n) => (n, true),
            None => (head, false),
        };
        let mut def = TypeDef {
            atomic,
            fields: HashMap::new(),
        };
        for w in words {
            let (field, spec) = w.split_once('=').unwrap_or((w, ""));
            def.fields.insert(field.to_string(), parse_spec(spec));
        }
        out.insert(name.to_string(), def);
    }
    out
}

fn parse_spec(spec: &str) -> Field {
    let (spec, smp) = match spec.split_once('+') {
        Some((s, strategy)) => {
            let (strategy, key) = match strategy.split_once('(') {
                Some((st, k)) => (st, k.trim_end_matches(')')),
                None => (strategy, ""),
            };
            (
                s,
                Smp {
                    strategy: strategy.to_string(),
                    merge_key: key.to_string(),
                },
            )
        }
        None => (spec, Smp::default()),
    };
    let elem = |inner: &str| {
        if inner.is_empty() {
            Ty::Scalar
        } else {
            Ty::Named(inner.to_string())
        }
    };
    let ty = if let Some(rest) = spec.strip_prefix('{') {
        let (inner, tail) = rest.split_once('}').unwrap_or((rest, ""));
        Ty::Map(Box::new(elem(inner)), tail == "!")
    } else if let Some(rest) = spec.strip_prefix('[') {
        let (inner, tail) = rest.split_once(']').unwrap_or((rest, ""));
        let kind = if tail == "set" {
            ListKind::Set
        } else if let Some(keys) = tail.strip_prefix("map(") {
            let keys = keys
                .trim_end_matches(')')
                .split(',')
                .map(|k| match k.split_once('=') {
                    Some((k, d)) => (k.to_string(), Some(Value::String(d.to_string()))),
                    None => (k.to_string(), None),
                });
            ListKind::Map(keys.collect())
        } else {
            ListKind::Atomic
        };
        Ty::List(Box::new(elem(inner)), kind)
    } else if spec.is_empty() {
        Ty::Scalar
    } else {
        Ty::Named(spec.to_string())
    };
    Field { ty, smp }
}

/// The group of an apiVersion (`apps/v1` -> `apps`, `v1` -> ``).
pub fn group_of(api_version: &str) -> &str {
    api_version.rsplit_once('/').map(|(g, _)| g).unwrap_or("")
}

pub fn is_builtin_group(group: &str) -> bool {
    BUILTIN_GROUPS.contains(&group)
}

fn kind_entry(
    api_version: &str,
    kind: &str,
) -> Option<&'static (&'static str, &'static str, &'static str, bool, &'static str)> {
    let group = group_of(api_version);
    KINDS.iter().find(|(g, k, ..)| *g == group && *k == kind)
}

/// The root type of an object of this kind (`Object`: just ObjectMeta, for everything else).
pub fn root_type(api_version: &str, kind: &str) -> Ty {
    Ty::Named(
        kind_entry(api_version, kind)
            .map(|e| e.2)
            .unwrap_or("Object")
            .to_string(),
    )
}

/// Whether writes to the main resource reset `status` (the kind has a status subresource).
pub fn has_status_subresource(api_version: &str, kind: &str) -> bool {
    kind_entry(api_version, kind).is_some_and(|e| e.3)
}

/// The empty object of the kind, as the field manager compares a created object against.
pub fn empty_object(api_version: &str, kind: &str) -> Value {
    match kind_entry(api_version, kind) {
        Some(e) => serde_json::from_str(e.4).unwrap_or(Value::Null),
        None if is_builtin_group(group_of(api_version)) => {
            serde_json::json!({"metadata": {"creationTimestamp": null}})
        }
        None => serde_json::json!({}),
    }
}

/// A declared struct type.
pub fn def(ty: &Ty) -> Option<&'static TypeDef> {
    match ty {
        Ty::Named(n) => types().get(n),
        _ => None,
    }
}

/// Whether values of this type are atomic (replaced and owned as a whole).
pub fn is_atomic(ty: &Ty) -> bool {
    match ty {
        Ty::Named(_) => def(ty).is_some_and(|d| d.atomic),
        Ty::Map(_, atomic) => *atomic,
        Ty::List(_, kind) => *kind == ListKind::Atomic,
        Ty::Scalar => true,
        Ty::Deduced => false,
    }
}

/// The declared field `key` of a struct type.
pub fn field(ty: &Ty, key: &str) -> Option<&'static Field> {
    def(ty).and_then(|d| d.fields.get(key))
}

/// The type of member `key` of a struct or map value of type `ty`.
pub fn child(ty: &Ty, key: &str) -> Ty {
    match ty {
        Ty::Named(_) => field(ty, key).map(|f| f.ty.clone()).unwrap_or(Ty::Deduced),
        Ty::Map(elem, _) => (**elem).clone(),
        _ => Ty::Deduced,
    }
}

/// The element type of a list type.
pub fn elem(ty: &Ty) -> Ty {
    match ty {
        Ty::List(e, _) => (**e).clone(),
        _ => Ty::Deduced,
    }
}

/// `LookupPatchMetadata`: the field's type and patch strategy (defaults for maps and unknowns).
pub fn patch_meta(ty: &Ty, key: &str) -> (Ty, Smp) {
    match ty {
        Ty::Named(_) => field(ty, key)
            .map(|f| (f.ty.clone(), f.smp.clone()))
            .unwrap_or((Ty::Deduced, Smp::default())),
        Ty::Map(elem, _) => ((**elem).clone(), Smp::default()),
        _ => (Ty::Deduced, Smp::default()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_parses() {
        let pod_spec = Ty::Named("PodSpec".into());
        let containers = field(&pod_spec, "containers").unwrap();
        assert_eq!(
            containers.smp,
            Smp {
                strategy: "merge".into(),
                merge_key: "name".into()
            }
        );
        assert_eq!(
            containers.ty,
            Ty::List(
                Box::new(Ty::Named("Container".into())),
                ListKind::Map(vec![("name".into(), None)])
            )
        );
        let ports = field(&Ty::Named("Container".into()), "ports").unwrap();
        assert_eq!(
            ports.ty,
            Ty::List(
                Box::new(Ty::Named("ContainerPort".into())),
                ListKind::Map(vec![
                    ("containerPort".into(), None),
                    ("protocol".into(), Some(Value::String("TCP".into())))
                ])
            )
        );
        let fin = field(&Ty::Named("ObjectMeta".into()), "finalizers").unwrap();
        assert_eq!(
            (fin.ty.clone(), fin.smp.strategy.as_str()),
            (Ty::List(Box::new(Ty::Scalar), ListKind::Set), "merge")
        );
        assert!(is_atomic(&child(
            &Ty::Named("DeploymentSpec".into()),
            "selector"
        )));
        assert!(is_atomic(&child(&pod_spec, "nodeSelector")));
        assert!(!is_atomic(&child(&pod_spec, "tolerations"))); // undeclared: deduced
        let job = field(&Ty::Named("JobStatus".into()), "conditions").unwrap();
        assert_eq!(
            job.ty,
            Ty::List(Box::new(Ty::Named("JobCondition".into())), ListKind::Atomic)
        );
        assert_eq!(job.smp.merge_key, "type");
        for (_, _, _, _, empty) in KINDS {
            assert!(serde_json::from_str::<Value>(empty).unwrap().is_object());
        }
        for (_, _, root, _, _) in KINDS {
            assert!(types().contains_key(*root), "{root}");
        }
    }

    #[test]
    fn kinds() {
        assert_eq!(
            root_type("apps/v1", "Deployment"),
            Ty::Named("Deployment".into())
        );
        assert_eq!(
            root_type("example.com/v1", "Widget"),
            Ty::Named("Object".into())
        );
        assert!(has_status_subresource("v1", "Pod"));
        assert!(!has_status_subresource("v1", "ConfigMap"));
        assert_eq!(
            group_of("rbac.authorization.k8s.io/v1"),
            "rbac.authorization.k8s.io"
        );
    }
}
