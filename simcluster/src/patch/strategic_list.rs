//! Strategic merge patch, list level: merging lists by merge key or as sets of primitives,
//! `$patch: delete|replace` elements, parallel deletion lists, and the element ordering rules
//! (including Go's `sort.SliceStable`, whose result matters with the library's partial orders).

use serde_json::{Map, Value};

use super::PatchError;
use super::gofmt;
use super::gosort::stable_sort;
use super::schema::{Smp, Ty, elem};
use super::strategic::{DIRECTIVE, SET_ELEMENT_ORDER, bad_patch_type, cleaned, merge_map};

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum SliceKind {
    Map,
    Scalar,
}

/// `mergepatch.ErrBadArgType(expected, actual)`.
pub fn bad_arg_type(expected: &str, actual: &Value) -> PatchError {
    PatchError::internal(format!(
        "expected a {expected}, but received a {}",
        gofmt::type_name(actual)
    ))
}

/// `mergepatch.ErrNoMergeKey`.
fn no_merge_key(m: &Map<String, Value>, key: &str) -> PatchError {
    PatchError::internal(format!(
        "map: {} does not contain declared merge key: {key}",
        gofmt::v(&Value::Object(m.clone()))
    ))
}

/// `sliceElementType`: all elements of all lists must have one type, and not be lists.
pub fn slice_element_kind(lists: &[&[Value]]) -> Result<SliceKind, PatchError> {
    let mut first: Option<&Value> = None;
    for v in lists.iter().flat_map(|l| l.iter()) {
        match first {
            None => {
                if v.is_array() {
                    return Err(PatchError::unprocessable(
                        "lists of lists are not supported",
                    ));
                }
                if v.is_null() {
                    return Err(PatchError::internal(
                        "runtime error: invalid memory address or nil pointer dereference",
                    ));
                }
                first = Some(v);
            }
            Some(f) if gofmt::type_name(f) != gofmt::type_name(v) => {
                let all: Vec<Value> = lists.iter().map(|l| Value::Array(l.to_vec())).collect();
                return Err(PatchError::internal(format!(
                    "list element types are not identical: {}",
                    gofmt::v(&Value::Array(all))
                )));
            }
            Some(_) => {}
        }
    }
    match first {
        None => Err(PatchError::internal(
            "no elements in any of the given slices",
        )),
        Some(Value::Object(_)) => Ok(SliceKind::Map),
        Some(_) => Ok(SliceKind::Scalar),
    }
}

/// `mergeSliceHandler`.
pub fn merge_slice_handler(
    original: Vec<Value>,
    patch: Vec<Value>,
    field_ty: &Ty,
    smp: &Smp,
    is_delete_list: bool,
) -> Result<Vec<Value>, PatchError> {
    if smp.strategy != "merge" {
        return Ok(patch.iter().map(cleaned).collect());
    }
    merge_slice(
        original,
        patch,
        &elem(field_ty),
        &smp.merge_key,
        is_delete_list,
    )
}

/// `mergeSlice`.
fn merge_slice(
    original: Vec<Value>,
    patch: Vec<Value>,
    elem_ty: &Ty,
    key: &str,
    is_delete_list: bool,
) -> Result<Vec<Value>, PatchError> {
    if original.is_empty() && patch.is_empty() {
        return Ok(original);
    }
    let kind = slice_element_kind(&[&original, &patch])?;
    let (original, patch, merged) = if kind == SliceKind::Scalar {
        if is_delete_list {
            return Ok(original
                .into_iter()
                .filter(|v| !patch.contains(v))
                .collect());
        }
        let mut both = original.clone();
        both.extend(patch.iter().cloned());
        (original, patch, deduplicate_scalars(both))
    } else {
        if key.is_empty() {
            return Err(PatchError::internal(
                "cannot merge lists without merge key for type struct",
            ));
        }
        let (original, patch) = merge_slice_with_special_elements(original, patch, key)?;
        let merged = merge_slice_without_special_elements(original.clone(), &patch, key, elem_ty)?;
        (original, patch, merged)
    };
    let (patch_items, server_only) = if key.is_empty() {
        partition_primitives(&merged, &patch)
    } else {
        partition_maps(&merged, &patch, key)?
    };
    normalize_element_order(patch_items, server_only, &patch, &original, key, kind)
}

/// `mergeSliceWithSpecialElements`: applies `$patch: delete` elements, detects `$patch: replace`.
fn merge_slice_with_special_elements(
    mut original: Vec<Value>,
    patch: Vec<Value>,
    key: &str,
) -> Result<(Vec<Value>, Vec<Value>), PatchError> {
    let mut plain = Vec::new();
    let mut replace = false;
    for v in patch {
        let m = v.as_object().cloned().unwrap_or_default();
        match m.get(DIRECTIVE) {
            None => plain.push(v),
            Some(Value::String(d)) if d == "delete" => {
                let Some(value) = m.get(key) else {
                    return Err(no_merge_key(&m, key));
                };
                while let Some(idx) = find_map_in_slice(&original, key, value)? {
                    original.remove(idx);
                }
            }
            Some(Value::String(d)) if d == "replace" => replace = true,
            Some(Value::String(d)) if d == "merge" => {
                return Err(PatchError::internal(
                    "merging lists cannot yet be specified in the patch",
                ));
            }
            Some(other) => return Err(bad_patch_type(other, &m)),
        }
    }
    if replace {
        Ok((plain.iter().map(cleaned).collect(), Vec::new()))
    } else {
        Ok((original, plain))
    }
}

/// `mergeSliceWithoutSpecialElements`: merge elements with a matching key, append the others.
fn merge_slice_without_special_elements(
    mut original: Vec<Value>,
    patch: &[Value],
    key: &str,
    elem_ty: &Ty,
) -> Result<Vec<Value>, PatchError> {
    for v in patch {
        let m = v.as_object().cloned().unwrap_or_default();
        let Some(value) = m.get(key) else {
            return Err(no_merge_key(&m, key));
        };
        match find_map_in_slice(&original, key, value)? {
            Some(idx) => {
                let orig = original[idx].as_object().cloned().unwrap_or_default();
                original[idx] = Value::Object(merge_map(orig, m, elem_ty)?);
            }
            None => original.push(cleaned(v)),
        }
    }
    Ok(original)
}

/// `findMapInSliceBasedOnKeyValue`.
fn find_map_in_slice(
    list: &[Value],
    key: &str,
    value: &Value,
) -> Result<Option<usize>, PatchError> {
    for (i, v) in list.iter().enumerate() {
        let m = v
            .as_object()
            .ok_or_else(|| PatchError::internal(format!("value for key {i} is not a map.")))?;
        if m.get(key) == Some(value) {
            return Ok(Some(i));
        }
    }
    Ok(None)
}

/// The Go "clever" de-duplication (moves the last element into a duplicate's slot).
fn deduplicate_scalars(mut s: Vec<Value>) -> Vec<Value> {
    if s.is_empty() {
        return s;
    }
    let mut length = s.len() - 1;
    let mut i = 0;
    while i < length {
        let mut j = i + 1;
        while j <= length {
            if s[i] == s[j] {
                s[j] = s[length].clone();
                s.truncate(length);
                length -= 1;
            } else {
                j += 1;
            }
        }
        i += 1;
    }
    s
}

/// Items of `original` present in `partition_by`, and the others (server-only).
pub fn partition_primitives(
    original: &[Value],
    partition_by: &[Value],
) -> (Vec<Value>, Vec<Value>) {
    original
        .iter()
        .cloned()
        .partition(|v| partition_by.contains(v))
}

pub fn partition_maps(
    original: &[Value],
    partition_by: &[Value],
    key: &str,
) -> Result<(Vec<Value>, Vec<Value>), PatchError> {
    let (mut patch, mut server) = (Vec::new(), Vec::new());
    for v in original {
        let m = v
            .as_object()
            .ok_or_else(|| bad_arg_type("map[string]interface {}", v))?;
        let value = m.get(key).ok_or_else(|| no_merge_key(m, key))?;
        if find_map_in_slice(partition_by, key, value)?.is_some() {
            patch.push(v.clone())
        } else {
            server.push(v.clone())
        }
    }
    Ok((patch, server))
}

/// `validatePatchWithSetOrderList`: the patch items must appear in the $setElementOrder list in
/// the same relative order.
pub fn validate_patch_with_set_order_list(
    patch: &[Value],
    order: &[Value],
    key: &str,
) -> Result<(), PatchError> {
    if order.is_empty() || patch.is_empty() {
        return Ok(());
    }
    let non_delete = if key.is_empty() {
        patch.to_vec()
    } else {
        extract_to_delete_items(patch.to_vec())?.0
    };
    let (mut pi, mut si) = (0, 0);
    while pi < non_delete.len() && si < order.len() {
        if non_delete[pi]
            .as_object()
            .is_some_and(|m| m.contains_key(DIRECTIVE))
        {
            pi += 1;
            continue;
        }
        if merge_key_value_equal(&non_delete[pi], &order[si], key)? {
            pi += 1;
        }
        si += 1;
    }
    if pi < non_delete.len() && si >= order.len() {
        return Err(PatchError::internal(format!(
            "The order in patch list:\n{}\n doesn't match {SET_ELEMENT_ORDER} list:\n{}\n",
            gofmt::v(&Value::Array(patch.to_vec())),
            gofmt::v(&Value::Array(order.to_vec()))
        )));
    }
    Ok(())
}

fn merge_key_value_equal(left: &Value, right: &Value, key: &str) -> Result<bool, PatchError> {
    if key.is_empty() {
        return Ok(left == right);
    }
    let l = left
        .as_object()
        .ok_or_else(|| bad_arg_type("map[string]interface {}", left))?;
    let r = right
        .as_object()
        .ok_or_else(|| bad_arg_type("map[string]interface {}", right))?;
    let lv = l.get(key).ok_or_else(|| no_merge_key(l, key))?;
    let rv = r.get(key).ok_or_else(|| no_merge_key(r, key))?;
    Ok(lv == rv)
}

/// `extractToDeleteItems`: (items to keep, `$patch: delete` items).
fn extract_to_delete_items(l: Vec<Value>) -> Result<(Vec<Value>, Vec<Value>), PatchError> {
    let (mut keep, mut delete) = (Vec::new(), Vec::new());
    for v in l {
        let m = v
            .as_object()
            .ok_or_else(|| bad_arg_type("map[string]interface {}", &v))?;
        if m.get(DIRECTIVE).and_then(Value::as_str) == Some("delete") {
            delete.push(v)
        } else {
            keep.push(v)
        }
    }
    Ok((keep, delete))
}

/// `index`: position of `v` in `l` (by merge key value for maps, `==` otherwise).
fn index(l: &[Value], v: &Value, key: &str, kind: SliceKind) -> Option<usize> {
    let get = |item: &'_ Value| -> Option<Value> {
        match kind {
            SliceKind::Map => item.as_object().and_then(|m| m.get(key)).cloned(),
            SliceKind::Scalar => Some(item.clone()),
        }
    };
    let target = get(v);
    l.iter().position(|item| get(item) == target)
}

/// `normalizeElementOrder`: sorts the patch items by the patch order, the server-only items by
/// the live order, then interleaves them.
pub fn normalize_element_order(
    patch: Vec<Value>,
    server_only: Vec<Value>,
    patch_order: &[Value],
    server_order: &[Value],
    key: &str,
    kind: SliceKind,
) -> Result<Vec<Value>, PatchError> {
    let patch = normalize_slice_order(patch, patch_order, key, kind)?;
    let server_only = normalize_slice_order(server_only, server_order, key, kind)?;
    Ok(merge_sorted_slice(
        server_only,
        patch,
        server_order,
        key,
        kind,
    ))
}

fn normalize_slice_order(
    to_sort: Vec<Value>,
    order: &[Value],
    key: &str,
    kind: SliceKind,
) -> Result<Vec<Value>, PatchError> {
    let (mut to_sort, to_delete) = if kind == SliceKind::Map {
        for item in to_sort.iter().chain(order.iter()) {
            let m = item
                .as_object()
                .ok_or_else(|| bad_arg_type("map[string]interface {}", item))?;
            if !m.contains_key(key) {
                return Err(no_merge_key(m, key));
            }
        }
        extract_to_delete_items(to_sort)?
    } else {
        (to_sort, Vec::new())
    };
    stable_sort(&mut to_sort, |a, b| {
        match (index(order, a, key, kind), index(order, b, key, kind)) {
            (Some(i), Some(j)) => i < j,
            _ => true,
        }
    });
    to_sort.extend(to_delete);
    Ok(to_sort)
}

/// `mergeSortedSlice`: inserts the server-only items (`left`) among the patch items (`right`).
fn merge_sorted_slice(
    left: Vec<Value>,
    right: Vec<Value>,
    server_order: &[Value],
    key: &str,
    kind: SliceKind,
) -> Vec<Value> {
    let (mut i, mut j) = (0, 0);
    let mut out = Vec::with_capacity(left.len() + right.len());
    while i < left.len() || j < right.len() {
        if i >= left.len() {
            out.push(right[j].clone());
            j += 1;
        } else if j >= right.len() {
            out.push(left[i].clone());
            i += 1;
        } else {
            let li = index(server_order, &left[i], key, kind);
            let ri = index(server_order, &right[j], key, kind);
            if matches!((li, ri), (Some(a), Some(b)) if a < b) {
                out.push(left[i].clone());
                i += 1;
            } else {
                out.push(right[j].clone());
                j += 1;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn go_dedup_moves_last_element() {
        let out = deduplicate_scalars(vec![json!("a"), json!("b"), json!("a"), json!("c")]);
        assert_eq!(out, vec![json!("a"), json!("b"), json!("c")]);
        let out = deduplicate_scalars(vec![json!("a"), json!("a"), json!("b"), json!("c")]);
        assert_eq!(out, vec![json!("a"), json!("c"), json!("b")]);
    }
}
