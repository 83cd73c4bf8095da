//! Strategic merge patch, map level (apimachinery `strategicpatch.StrategicMergeMapPatch` with
//! `MergeParallelList` and `IgnoreUnmatchedNulls`): `$patch: replace|delete`, `$retainKeys`,
//! `$setElementOrder/<list>`, `$deleteFromPrimitiveList/<list>`, merge keys from the schema.

use serde_json::{Map, Value};

use super::PatchError;
use super::gofmt;
use super::schema::{Ty, patch_meta};
use super::strategic_list::{
    SliceKind, bad_arg_type, merge_slice_handler, normalize_element_order, partition_maps,
    partition_primitives, slice_element_kind, validate_patch_with_set_order_list,
};

pub const DIRECTIVE: &str = "$patch";
pub const RETAIN_KEYS: &str = "$retainKeys";
pub const DELETE_FROM_PRIMITIVE_LIST: &str = "$deleteFromPrimitiveList";
pub const SET_ELEMENT_ORDER: &str = "$setElementOrder";

pub fn apply(doc: &Value, patch: &Value, root: &Ty) -> Result<Value, PatchError> {
    let patch = match patch {
        Value::Object(m) => m.clone(),
        Value::Null => Map::new(),
        other => {
            let kind = match other {
                Value::Array(_) => "array",
                Value::String(_) => "string",
                Value::Number(_) => "number",
                _ => "bool",
            };
            return Err(PatchError::bad_request(format!(
                "json: cannot unmarshal {kind} into Go value of type map[string]interface {{}}"
            )));
        }
    };
    let original = doc.as_object().cloned().unwrap_or_default();
    merge_map(original, patch, root).map(Value::Object)
}

/// `mergeMap`.
pub fn merge_map(
    mut original: Map<String, Value>,
    mut patch: Map<String, Value>,
    t: &Ty,
) -> Result<Map<String, Value>, PatchError> {
    if let Some(directive) = patch.get(DIRECTIVE) {
        return match directive.as_str() {
            Some("replace") => {
                patch.shift_remove(DIRECTIVE);
                Ok(cleaned_map(&patch))
            }
            Some("delete") => Ok(Map::new()),
            _ => Err(bad_patch_type(directive, &patch)),
        };
    }
    apply_retain_keys(&mut original, &mut patch)?;
    merge_patch_into_original(&mut original, &mut patch, t)?;

    for (key, patch_v) in patch {
        let (k, is_delete_list) = if key.starts_with(DELETE_FROM_PRIMITIVE_LIST) {
            (extract_key(&key, DELETE_FROM_PRIMITIVE_LIST)?, true)
        } else {
            (key, false)
        };
        if patch_v.is_null() {
            original.shift_remove(&k);
            continue;
        }
        let Some(orig_v) = original.get_mut(&k) else {
            original.insert(k, cleaned(&patch_v));
            continue;
        };
        let (field_ty, smp) = patch_meta(t, &k);
        match (&mut *orig_v, &patch_v) {
            (Value::Object(o), Value::Object(p)) => {
                let merged = if smp.strategy == "replace" {
                    cleaned_map(p)
                } else {
                    merge_map(std::mem::take(o), p.clone(), &field_ty)?
                };
                *orig_v = Value::Object(merged);
            }
            (Value::Array(o), Value::Array(p)) => {
                let merged = merge_slice_handler(
                    std::mem::take(o),
                    p.clone(),
                    &field_ty,
                    &smp,
                    is_delete_list,
                )?;
                *orig_v = Value::Array(merged);
            }
            _ => *orig_v = cleaned(&patch_v),
        }
    }
    Ok(original)
}

/// `applyRetainKeysDirective`: keys missing from `$retainKeys` are cleared from the original.
fn apply_retain_keys(
    original: &mut Map<String, Value>,
    patch: &mut Map<String, Value>,
) -> Result<(), PatchError> {
    let Some(retain) = patch.shift_remove(RETAIN_KEYS) else {
        return Ok(());
    };
    let bad = || PatchError::bad_request("invalid patch format of retainKeys");
    let list = retain.as_array().ok_or_else(bad)?;
    let keeps = |k: &str| list.iter().any(|v| v.as_str() == Some(k));
    for (k, v) in patch.iter() {
        if v.is_null()
            || k.starts_with(DELETE_FROM_PRIMITIVE_LIST)
            || k.starts_with(SET_ELEMENT_ORDER)
        {
            continue;
        }
        if !keeps(k) {
            return Err(bad());
        }
    }
    original.retain(|k, _| keeps(k));
    Ok(())
}

/// `mergePatchIntoOriginal`: merges each `$setElementOrder/<list>` with its list and orders the
/// result ($setElementOrder > order in the patch > order in the live list).
fn merge_patch_into_original(
    original: &mut Map<String, Value>,
    patch: &mut Map<String, Value>,
    t: &Ty,
) -> Result<(), PatchError> {
    let keys: Vec<String> = patch
        .keys()
        .filter(|k| k.starts_with(SET_ELEMENT_ORDER))
        .cloned()
        .collect();
    for key in keys {
        let order_v = patch.shift_remove(&key).unwrap_or(Value::Null);
        let order = match &order_v {
            Value::Array(a) => a.clone(),
            other => return Err(bad_arg_type("[]interface {}", other)),
        };
        let orig_key = extract_key(&key, SET_ELEMENT_ORDER)?;
        let orig_list = match original.get(&orig_key) {
            Some(Value::Array(a)) => Some(a.clone()),
            Some(other) => return Err(bad_arg_type("[]interface {}", other)),
            None => None,
        };
        let patch_list = match patch.get(&orig_key) {
            Some(Value::Array(a)) => Some(a.clone()),
            Some(other) => return Err(bad_arg_type("[]interface {}", other)),
            None => None,
        };
        let (field_ty, smp) = patch_meta(t, &orig_key);
        validate_patch_with_set_order_list(
            patch_list.as_deref().unwrap_or(&[]),
            &order,
            &smp.merge_key,
        )?;
        let merged = match (&orig_list, &patch_list) {
            (Some(o), None) => o.clone(),
            (None, Some(p)) => p.iter().map(cleaned).collect(),
            (Some(o), Some(p)) => {
                merge_slice_handler(o.clone(), p.clone(), &field_ty, &smp, false)?
            }
            (None, None) => continue,
        };
        let (patch_items, server_only) = if smp.merge_key.is_empty() {
            partition_primitives(&merged, &order)
        } else {
            partition_maps(&merged, &order, &smp.merge_key)?
        };
        let orig_list = orig_list.unwrap_or_default();
        let kind: SliceKind =
            slice_element_kind(&[&orig_list, patch_list.as_deref().unwrap_or(&[])])?;
        let both = normalize_element_order(
            patch_items,
            server_only,
            &order,
            &orig_list,
            &smp.merge_key,
            kind,
        )?;
        original.insert(orig_key.clone(), Value::Array(both));
        patch.shift_remove(&orig_key);
    }
    Ok(())
}

/// `extractKey`: `$prefix/key` -> `key`.
fn extract_key(s: &str, prefix: &str) -> Result<String, PatchError> {
    match s.split_once('/') {
        Some((p, rest)) if p == prefix => Ok(rest.to_string()),
        _ if prefix == DELETE_FROM_PRIMITIVE_LIST => Err(PatchError::bad_request(
            "invalid patch format of primitive list",
        )),
        _ if prefix == SET_ELEMENT_ORDER => Err(PatchError::bad_request(
            "invalid patch format of setElementOrder list",
        )),
        _ => Err(PatchError::internal(format!(
            "fail to find unknown prefix {prefix:?} in {s}\n"
        ))),
    }
}

/// `mergepatch.ErrBadPatchType`.
pub fn bad_patch_type(directive: &Value, m: &Map<String, Value>) -> PatchError {
    PatchError::internal(format!(
        "unknown patch type: {} in map: {}",
        gofmt::s(directive),
        gofmt::v(&Value::Object(m.clone()))
    ))
}

/// A patch value taken as is: directive keys dropped (the typed decoding of the real server
/// drops them as unknown fields) and null members pruned (they decode to omitted zero values).
pub fn cleaned(v: &Value) -> Value {
    match v {
        Value::Object(m) => Value::Object(cleaned_map(m)),
        Value::Array(a) => Value::Array(a.iter().map(cleaned).collect()),
        other => other.clone(),
    }
}

fn cleaned_map(m: &Map<String, Value>) -> Map<String, Value> {
    m.iter()
        .filter(|(k, v)| {
            !v.is_null()
                && *k != DIRECTIVE
                && *k != RETAIN_KEYS
                && !k.starts_with(SET_ELEMENT_ORDER)
                && !k.starts_with(DELETE_FROM_PRIMITIVE_LIST)
        })
        .map(|(k, v)| (k.clone(), cleaned(v)))
        .collect()
}
