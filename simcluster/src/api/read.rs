//! GET of one object and LIST with label/field selectors, `limit`/`continue` pagination,
//! Table and PartialObjectMetadata representations.

use std::sync::Arc;

use axum::body::Body;
use axum::http::Response;
use base64::Engine;
use serde_json::{Map, Value, json};

use super::negotiate::{self, Repr};
use super::options::list_options;
use super::{Ctx, storage_resource};
use crate::resources::json::str_at;
use crate::selectors::{FieldSelector, LabelSelector};
use crate::status::ApiError;
use crate::store::Key;

/// The object as returned to clients: `kind` and `apiVersion` set.
pub fn with_type(obj: &Value, kind: &str, api_version: &str) -> Value {
    let mut o = super::events_v1::outgoing(obj, kind, api_version).unwrap_or_else(|| obj.clone());
    if let Some(m) = o.as_object_mut() {
        let mut out = Map::new();
        out.insert("kind".into(), json!(kind));
        out.insert("apiVersion".into(), json!(api_version));
        for (k, v) in m.iter() {
            if k != "kind" && k != "apiVersion" {
                out.insert(k.clone(), v.clone());
            }
        }
        return Value::Object(out);
    }
    o
}

/// PartialObjectMetadata of an object.
fn partial(obj: &Value) -> Value {
    json!({"kind": "PartialObjectMetadata", "apiVersion": "meta.k8s.io/v1", "metadata": obj.get("metadata").cloned().unwrap_or(json!({}))})
}

/// Render one object in the negotiated representation.
pub fn render_object(ctx: &Ctx, status: u16, obj: &Value) -> Response<Body> {
    match ctx.repr {
        Repr::Table(v) => {
            let include = ctx.query.get("includeObject").unwrap_or("Metadata");
            let obj = &with_type(obj, &ctx.info.kind, &ctx.info.api_version());
            let mut t = crate::table::object_table_of(
                &ctx.info.group,
                &ctx.info.plural,
                ctx.info.custom.as_ref().map(|c| c.columns.as_slice()),
                obj,
                include,
                chrono::Utc::now(),
            );
            if v == "v1beta1" {
                t["apiVersion"] = json!("meta.k8s.io/v1beta1");
            }
            negotiate::object(status, &t, ctx.repr)
        }
        Repr::Metadata => negotiate::object(status, &partial(obj), ctx.repr),
        _ => negotiate::object(
            status,
            &with_type(obj, &ctx.info.kind, &ctx.info.api_version()),
            ctx.repr,
        ),
    }
}

pub fn get(ctx: &Ctx) -> Result<Response<Body>, ApiError> {
    let key = Key::new(&ctx.storage_resource(), &ctx.path.namespace, &ctx.path.name);
    let obj =
        ctx.sim.store.get(&key).ok_or_else(|| {
            ApiError::not_found(&ctx.info.plural, &ctx.info.group, &ctx.path.name)
        })?;
    Ok(render_object(ctx, 200, &obj))
}

/// Parsed selectors of a list or watch.
pub struct Selectors {
    pub label: LabelSelector,
    pub field: FieldSelector,
}

impl Selectors {
    pub fn parse(ctx: &Ctx, label: &str, field: &str) -> Result<Self, ApiError> {
        let label = LabelSelector::parse(label).map_err(ApiError::bad_request)?;
        let field = match &ctx.info.custom {
            Some(c) => FieldSelector::parse_custom(field, &c.selectable_fields),
            None => FieldSelector::parse(field, &ctx.info.group, &ctx.info.plural),
        }
        .map_err(ApiError::bad_request)?;
        Ok(Self { label, field })
    }
    pub fn matches(&self, obj: &Value) -> bool {
        self.label
            .matches(obj.pointer("/metadata/labels").and_then(Value::as_object))
            && self.field.matches(obj)
    }
    pub fn is_empty(&self) -> bool {
        self.label.is_empty() && self.field.is_empty()
    }
}

/// Decode a continue token into (resourceVersion, start key).
fn decode_continue(token: &str) -> Result<(u64, String), ApiError> {
    let bad = |why: String| ApiError::bad_request(format!("invalid continue token: {why}"));
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(token.trim_end_matches('='))
        .map_err(|e| {
            let at = match e {
                base64::DecodeError::InvalidByte(o, _)
                | base64::DecodeError::InvalidLastSymbol(o, _) => o,
                base64::DecodeError::InvalidLength(l) => l.saturating_sub(1),
                base64::DecodeError::InvalidPadding => token.len(),
            };
            bad(format!(
                "continue key is not valid: illegal base64 data at input byte {at}"
            ))
        })?;
    let v: Value = serde_json::from_slice(&bytes)
        .map_err(|e| bad(format!("continue key is not valid: {e}")))?;
    if v.get("v").and_then(Value::as_str) != Some("meta.k8s.io/v1") {
        return Err(bad("continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)".into()));
    }
    let rv = v.get("rv").and_then(Value::as_u64).unwrap_or(0);
    let start = v
        .get("start")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string();
    Ok((rv, start))
}

fn encode_continue(rv: u64, start: &str) -> String {
    let v = json!({"v": "meta.k8s.io/v1", "rv": rv, "start": format!("{start}\u{0}")});
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(v.to_string())
}

/// The key used for ordering and continue tokens: `name` in a namespace, `ns/name` across.
fn sort_key(obj: &Value, across: bool) -> String {
    let name = obj
        .pointer("/metadata/name")
        .and_then(Value::as_str)
        .unwrap_or("");
    if across {
        let ns = obj
            .pointer("/metadata/namespace")
            .and_then(Value::as_str)
            .unwrap_or("");
        if ns.is_empty() {
            name.to_string()
        } else {
            format!("{ns}/{name}")
        }
    } else {
        name.to_string()
    }
}

/// Where an object stands in the store's order: (namespace when listing across namespaces, name).
fn position(obj: &Value, across: bool) -> (&str, &str) {
    let ns = if across {
        str_at(obj, "metadata/namespace")
    } else {
        ""
    };
    (ns, str_at(obj, "metadata/name"))
}

/// One page of a list: (items, resourceVersion, continue token, remaining item count).
pub type Page = (Vec<Arc<Value>>, u64, Option<String>, Option<i64>);

/// Objects of the request's resource (and namespace) that match the selectors, after the
/// continue position, at most `limit`.
pub fn select(ctx: &Ctx, sel: &Selectors, limit: i64, cont: &str) -> Result<Page, ApiError> {
    let ns = (!ctx.path.namespace.is_empty()).then_some(ctx.path.namespace.as_str());
    let (all, rv) = ctx
        .sim
        .store
        .list(&storage_resource(&ctx.info.group, &ctx.info.plural), ns);
    let across = ns.is_none() && ctx.info.namespaced;
    let (list_rv, start) = if cont.is_empty() {
        (rv, String::new())
    } else {
        decode_continue(cont)?
    };
    let start = start.trim_end_matches('\u{0}').to_string();
    // The store iterates in key order (namespace, name); the continue position is compared in
    // that order too (as a string "a-b/x" sorts before "a/y", and namespace a-b would be skipped).
    let after: (&str, &str) = match (across, start.split_once('/')) {
        (true, Some((ns, name))) => (ns, name),
        _ => ("", start.as_str()),
    };
    let everything = sel.is_empty();
    let mut matched: Vec<Arc<Value>> = all
        .into_iter()
        .filter(|o| start.is_empty() || position(o, across) > after)
        .filter(|o| everything || sel.matches(o))
        .collect();
    if limit > 0 && matched.len() > limit as usize {
        let rest = matched.len() - limit as usize;
        matched.truncate(limit as usize);
        let last = matched
            .last()
            .map(|o| sort_key(o, across))
            .unwrap_or_default();
        let remaining = sel.is_empty().then_some(rest as i64);
        return Ok((
            matched,
            list_rv,
            Some(encode_continue(list_rv, &last)),
            remaining,
        ));
    }
    Ok((matched, list_rv, None, None))
}

pub fn list(ctx: &Ctx) -> Result<Response<Body>, ApiError> {
    let opts = list_options(&ctx.query)?;
    let sel = Selectors::parse(ctx, &opts.label_selector, &opts.field_selector)?;
    let (items, rv, cont, remaining) = select(ctx, &sel, opts.limit, &opts.continue_token)?;
    let av = ctx.info.api_version();
    let items: Vec<Arc<Value>> = match super::events_v1::is_v1(&ctx.info.kind, &av) {
        true => items
            .iter()
            .map(|o| Arc::new(super::events_v1::to_v1(o)))
            .collect(),
        false => items,
    };
    let mut meta = Map::new();
    meta.insert("resourceVersion".into(), json!(rv.to_string()));
    if let Some(c) = cont {
        meta.insert("continue".into(), json!(c));
    }
    if let Some(r) = remaining {
        meta.insert("remainingItemCount".into(), json!(r));
    }
    let body = match ctx.repr {
        Repr::Table(v) => {
            let include = ctx.query.get("includeObject").unwrap_or("Metadata");
            let objs: Vec<Value> = items.iter().map(|o| (**o).clone()).collect();
            let mut t = crate::table::to_table_of(
                &ctx.info.group,
                &ctx.info.plural,
                ctx.info.custom.as_ref().map(|c| c.columns.as_slice()),
                &objs,
                &Value::Object(meta),
                include,
                chrono::Utc::now(),
            );
            if v == "v1beta1" {
                t["apiVersion"] = json!("meta.k8s.io/v1beta1");
            }
            t
        }
        Repr::Metadata => json!({
            "kind": "PartialObjectMetadataList",
            "apiVersion": "meta.k8s.io/v1",
            "metadata": meta,
            "items": items.iter().map(|o| partial(o)).collect::<Vec<_>>(),
        }),
        _ if ctx.info.custom.is_some() => {
            // Unstructured lists: every item carries its kind and apiVersion.
            let kind = ctx.info.kind.clone();
            let typed: Vec<Typed<'_>> = items
                .iter()
                .map(|o| Typed {
                    obj: o,
                    kind: &kind,
                    api_version: &av,
                })
                .collect();
            let list = json!({
                "apiVersion": av,
                "items": typed,
                "kind": format!("{}List", ctx.info.kind),
                "metadata": meta,
            });
            return Ok(negotiate::serialized(200, &list, ctx.repr));
        }
        _ => {
            // Serialized straight from the stored objects: no deep copies of large lists.
            let list = ListBody {
                kind: format!("{}List", ctx.info.kind),
                api_version: ctx.info.api_version(),
                meta: &meta,
                items: &items,
            };
            return Ok(negotiate::serialized(200, &list, ctx.repr));
        }
    };
    Ok(negotiate::object(200, &body, ctx.repr))
}

/// A typed list rendered from shared objects, leaving out each item's kind and apiVersion.
struct ListBody<'a> {
    kind: String,
    api_version: String,
    meta: &'a Map<String, Value>,
    items: &'a [Arc<Value>],
}

/// An object with `kind` and `apiVersion` first, serialized from the stored object without
/// copying it (what [`with_type`] builds, for every kind but events.k8s.io/v1 Events).
pub(super) struct Typed<'a> {
    pub obj: &'a Value,
    pub kind: &'a str,
    pub api_version: &'a str,
}

impl serde::Serialize for Typed<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let Some(m) = self.obj.as_object() else {
            return self.obj.serialize(s);
        };
        let mut map = s.serialize_map(None)?;
        map.serialize_entry("kind", self.kind)?;
        map.serialize_entry("apiVersion", self.api_version)?;
        for (k, v) in m {
            if k != "kind" && k != "apiVersion" {
                map.serialize_entry(k, v)?;
            }
        }
        map.end()
    }
}

/// One list item: the object without `kind` and `apiVersion`.
struct Item<'a>(&'a Value);

impl serde::Serialize for Item<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let Some(m) = self.0.as_object() else {
            return self.0.serialize(s);
        };
        let mut map = s.serialize_map(None)?;
        for (k, v) in m {
            if k != "kind" && k != "apiVersion" {
                map.serialize_entry(k, v)?;
            }
        }
        map.end()
    }
}

impl serde::Serialize for ListBody<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = s.serialize_map(Some(4))?;
        map.serialize_entry("kind", &self.kind)?;
        map.serialize_entry("apiVersion", &self.api_version)?;
        map.serialize_entry("metadata", self.meta)?;
        let items: Vec<Item<'_>> = self.items.iter().map(|o| Item(o)).collect();
        map.serialize_entry("items", &items)?;
        map.end()
    }
}
