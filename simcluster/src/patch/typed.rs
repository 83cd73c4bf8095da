//! Schema-aware walks of structured-merge-diff over JSON values: `ToFieldSet`, `Merge` (apply:
//! right-hand side wins at leaves), `Compare` (added / modified / removed paths), `RemoveItems`,
//! and `EnsureNamedFieldsAreMembers`.

use serde_json::{Map, Value};

use super::fieldset::{FieldSet, PE, Path, path_string};
use super::schema::{ListKind, Ty, child, def, elem, is_atomic};

/// How a node is walked.
#[derive(Clone, Debug, PartialEq)]
enum Node {
    Leaf,
    /// An object whose keys are named fields.
    Struct,
    /// A granular `map[string]T`.
    Map,
    /// A granular list (set or associative).
    List(ListKind),
}

fn base_node(ty: &Ty, sample: Option<&Value>) -> Node {
    match ty {
        Ty::Scalar => Node::Leaf,
        Ty::Named(_) if is_atomic(ty) => Node::Leaf,
        Ty::Named(_) => Node::Struct,
        Ty::Map(_, true) => Node::Leaf,
        Ty::Map(_, false) => Node::Map,
        Ty::List(_, ListKind::Atomic) => Node::Leaf,
        Ty::List(_, kind) => Node::List(kind.clone()),
        Ty::Deduced => match sample {
            Some(Value::Object(_)) => Node::Struct,
            _ => Node::Leaf,
        },
    }
}

/// The node kind for a pair of values; shapes that do not fit the type make it a leaf.
fn node(ty: &Ty, lhs: Option<&Value>, rhs: Option<&Value>) -> Node {
    let n = base_node(ty, rhs.or(lhs));
    let fits = |v: Option<&Value>| match (&n, v) {
        (_, None) | (_, Some(Value::Null)) => true,
        (Node::Struct | Node::Map, Some(v)) => v.is_object(),
        (Node::List(_), Some(v)) => v.is_array(),
        (Node::Leaf, _) => true,
    };
    if fits(lhs) && fits(rhs) {
        n
    } else {
        Node::Leaf
    }
}

/// The path element of a list item.
pub fn item_pe(kind: &ListKind, item: &Value, index: usize) -> Result<PE, String> {
    match kind {
        ListKind::Set => Ok(PE::Value(super::fieldset::KVal(item.clone()))),
        ListKind::Atomic => Ok(PE::Index(index as i64)),
        ListKind::Map(keys) => {
            let m = match item {
                Value::Object(m) => m,
                Value::Null => {
                    return Err("associative list with keys may not have a null element".into());
                }
                _ => return Err("associative list with keys may not have non-map elements".into()),
            };
            let fields = keys
                .iter()
                .filter_map(|(k, default)| {
                    m.get(k)
                        .cloned()
                        .or_else(|| default.clone())
                        .map(|v| (k.clone(), v))
                })
                .collect();
            Ok(PE::key(fields))
        }
    }
}

/// (path element, item) of each list item, later duplicates dropped.
fn indexed<'a>(kind: &ListKind, list: &'a [Value]) -> Vec<(PE, &'a Value)> {
    let mut out: Vec<(PE, &Value)> = Vec::new();
    for (i, item) in list.iter().enumerate() {
        if let Ok(pe) = item_pe(kind, item, i)
            && !out.iter().any(|(p, _)| *p == pe)
        {
            out.push((pe, item));
        }
    }
    out
}

fn is_empty_container(v: Option<&Value>) -> bool {
    match v {
        None | Some(Value::Null) => true,
        Some(Value::Object(m)) => m.is_empty(),
        Some(Value::Array(a)) => a.is_empty(),
        Some(_) => false,
    }
}

/// `ToFieldSet`: leaves, list items, map entries, empty or null fields.
pub fn to_field_set(v: &Value, ty: &Ty) -> FieldSet {
    let mut set = FieldSet::new();
    tfs(v, ty, &mut Vec::new(), &mut set);
    set
}

fn tfs(v: &Value, ty: &Ty, path: &mut Path, set: &mut FieldSet) {
    match node(ty, Some(v), None) {
        Node::Leaf => set.insert(path),
        n @ (Node::Struct | Node::Map) => {
            if let Value::Object(m) = v {
                for (k, c) in m {
                    path.push(PE::Field(k.clone()));
                    tfs(c, &child(ty, k), path, set);
                    if n == Node::Map || c.is_null() || c.as_object().is_some_and(Map::is_empty) {
                        set.insert(path);
                    }
                    path.pop();
                }
            }
        }
        Node::List(kind) => {
            if let Value::Array(a) = v {
                for (i, item) in a.iter().enumerate() {
                    let Ok(pe) = item_pe(&kind, item, i) else {
                        continue;
                    };
                    path.push(pe);
                    tfs(item, &elem(ty), path, set);
                    set.insert(path);
                    path.pop();
                }
            }
        }
    }
}

/// `Merge` with the apply rule: at leaves (scalars, atomic values, empty containers) the
/// right-hand side wins; granular maps and lists merge item by item.
pub fn merge(lhs: Option<&Value>, rhs: Option<&Value>, ty: &Ty) -> Option<Value> {
    let n = node(ty, lhs, rhs);
    let leaf = || rhs.or(lhs).cloned();
    match n {
        Node::Leaf => leaf(),
        _ if is_empty_container(lhs) && is_empty_container(rhs) => leaf(),
        Node::Struct | Node::Map => {
            let lm = lhs.and_then(Value::as_object);
            let rm = rhs.and_then(Value::as_object);
            let mut out = Map::new();
            for (k, lv) in lm.into_iter().flatten() {
                if let Some(v) = merge(Some(lv), rm.and_then(|r| r.get(k)), &child(ty, k)) {
                    out.insert(k.clone(), v);
                }
            }
            for (k, rv) in rm.into_iter().flatten() {
                if lm.is_some_and(|l| l.contains_key(k)) {
                    continue;
                }
                if let Some(v) = merge(None, Some(rv), &child(ty, k)) {
                    out.insert(k.clone(), v);
                }
            }
            if out.is_empty() {
                None
            } else {
                Some(Value::Object(out))
            }
        }
        Node::List(kind) => {
            let empty = Vec::new();
            let l = indexed(&kind, lhs.and_then(Value::as_array).unwrap_or(&empty));
            let r = indexed(&kind, rhs.and_then(Value::as_array).unwrap_or(&empty));
            let out = merge_list_items(&l, &r, &elem(ty));
            if out.is_empty() {
                None
            } else {
                Some(Value::Array(out))
            }
        }
    }
}

/// The item order of structured-merge-diff: live order, with the items the config shares with
/// the live list in the config's order and config-only items where the config puts them.
fn find<'a>(list: &[(PE, &'a Value)], pe: &PE) -> Option<&'a Value> {
    list.iter().find(|(p, _)| p == pe).map(|(_, v)| *v)
}

fn merge_list_items(l: &[(PE, &Value)], r: &[(PE, &Value)], ety: &Ty) -> Vec<Value> {
    let mut shared = r
        .iter()
        .filter(|(pe, _)| find(l, pe).is_some())
        .map(|(pe, _)| pe.clone());
    let mut next_shared = shared.next();
    let mut out = Vec::new();
    let (mut li, mut ri) = (0, 0);
    while li < l.len() || ri < r.len() {
        let before = (li, ri);
        if li < l.len() && ri < r.len() {
            let pe = &l[li].0;
            if *pe == r[ri].0 {
                out.extend(merge(Some(l[li].1), Some(r[ri].1), ety));
                li += 1;
                ri += 1;
                next_shared = shared.next();
                continue;
            }
            if find(r, pe).is_some() && next_shared.as_ref().is_some_and(|n| n != pe) {
                li += 1;
                continue;
            }
        }
        if li < l.len() && find(r, &l[li].0).is_none() {
            out.extend(merge(Some(l[li].1), None, ety));
            li += 1;
            continue;
        }
        if ri < r.len() {
            let pe = &r[ri].0;
            out.extend(merge(find(l, pe), Some(r[ri].1), ety));
            if next_shared.as_ref() == Some(pe) {
                next_shared = shared.next();
            }
            ri += 1;
        }
        if (li, ri) == before {
            // Only live items the config already merged are left: skip them.
            li += 1;
        }
    }
    out
}

/// Paths added, modified and removed between two objects (`Compare`).
#[derive(Debug, Default, Clone)]
pub struct Comparison {
    pub added: FieldSet,
    pub modified: FieldSet,
    pub removed: FieldSet,
}

impl Comparison {
    /// `ExcludeFields`: drops everything under the given paths.
    pub fn exclude(&self, ignored: &FieldSet) -> Comparison {
        Comparison {
            added: self.added.recursive_difference(ignored),
            modified: self.modified.recursive_difference(ignored),
            removed: self.removed.recursive_difference(ignored),
        }
    }
}

pub fn compare(lhs: &Value, rhs: &Value, ty: &Ty) -> Comparison {
    let mut c = Comparison::default();
    cmp(Some(lhs), Some(rhs), ty, &mut Vec::new(), &mut c);
    c
}

fn cmp(lhs: Option<&Value>, rhs: Option<&Value>, ty: &Ty, path: &mut Path, c: &mut Comparison) {
    let n = node(ty, lhs, rhs);
    if n == Node::Leaf || (is_empty_container(lhs) && is_empty_container(rhs)) {
        match (lhs, rhs) {
            (None, _) => c.added.insert(path),
            (_, None) => c.removed.insert(path),
            (Some(l), Some(r)) if !json_eq(l, r) => c.modified.insert(path),
            _ => {}
        }
        return;
    }
    match n {
        Node::List(kind) => {
            let empty = Vec::new();
            let l = indexed(&kind, lhs.and_then(Value::as_array).unwrap_or(&empty));
            let r = indexed(&kind, rhs.and_then(Value::as_array).unwrap_or(&empty));
            let ety = elem(ty);
            for (pe, lv) in &l {
                let rv = r.iter().find(|(p, _)| p == pe).map(|(_, v)| *v);
                path.push(pe.clone());
                cmp(Some(lv), rv, &ety, path, c);
                path.pop();
            }
            for (pe, rv) in &r {
                if !l.iter().any(|(p, _)| p == pe) {
                    path.push(pe.clone());
                    cmp(None, Some(rv), &ety, path, c);
                    path.pop();
                }
            }
        }
        _ => {
            let lm = lhs.and_then(Value::as_object);
            let rm = rhs.and_then(Value::as_object);
            for (k, lv) in lm.into_iter().flatten() {
                path.push(PE::Field(k.clone()));
                cmp(Some(lv), rm.and_then(|r| r.get(k)), &child(ty, k), path, c);
                path.pop();
            }
            for (k, rv) in rm.into_iter().flatten() {
                if !lm.is_some_and(|l| l.contains_key(k)) {
                    path.push(PE::Field(k.clone()));
                    cmp(None, Some(rv), &child(ty, k), path, c);
                    path.pop();
                }
            }
        }
    }
    if lhs.is_none() {
        c.added.insert(path);
    } else if rhs.is_none() {
        c.removed.insert(path);
    }
}

/// Deep equality with ints and floats compared numerically (`value.Equals`).
pub fn json_eq(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => match (x.as_i64(), y.as_i64()) {
            (Some(i), Some(j)) => i == j,
            _ => x.as_f64() == y.as_f64(),
        },
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(l, r)| json_eq(l, r))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| y.get(k).is_some_and(|w| json_eq(v, w)))
        }
        _ => a == b,
    }
}

/// `RemoveItems`: drops the members of `set` (whole subtrees); containers left empty disappear.
pub fn remove_items(v: &Value, set: &FieldSet, ty: &Ty) -> Value {
    removed(v, set, ty).unwrap_or_else(|| Value::Object(Map::new()))
}

fn removed(v: &Value, set: &FieldSet, ty: &Ty) -> Option<Value> {
    match node(ty, Some(v), None) {
        Node::Leaf => Some(v.clone()),
        Node::Struct | Node::Map => {
            let m = v.as_object().filter(|m| !m.is_empty())?;
            let mut out = Map::new();
            for (k, c) in m {
                let pe = PE::Field(k.clone());
                if set.members.contains(&pe) {
                    continue;
                }
                match set.child(&pe).filter(|s| !s.is_empty()) {
                    Some(sub) => {
                        if let Some(r) = removed(c, sub, &child(ty, k)) {
                            out.insert(k.clone(), r);
                        }
                    }
                    None => {
                        out.insert(k.clone(), c.clone());
                    }
                }
            }
            if out.is_empty() {
                None
            } else {
                Some(Value::Object(out))
            }
        }
        Node::List(kind) => {
            let a = v.as_array().filter(|a| !a.is_empty())?;
            let mut out = Vec::new();
            for (i, item) in a.iter().enumerate() {
                let Ok(pe) = item_pe(&kind, item, i) else {
                    out.push(item.clone());
                    continue;
                };
                if set.members.contains(&pe) {
                    continue;
                }
                match set.child(&pe).filter(|s| !s.is_empty()) {
                    Some(sub) => out.extend(removed(item, sub, &elem(ty))),
                    None => out.push(item.clone()),
                }
            }
            if out.is_empty() {
                None
            } else {
                Some(Value::Array(out))
            }
        }
    }
}

/// `EnsureNamedFieldsAreMembers`: struct fields with owned children become members themselves.
pub fn ensure_named_fields(set: &FieldSet, ty: &Ty) -> FieldSet {
    let mut out = FieldSet {
        members: set.members.clone(),
        children: Default::default(),
    };
    let named = matches!(ty, Ty::Deduced)
        || (matches!(ty, Ty::Named(_)) && !def(ty).is_some_and(|d| d.atomic));
    for (pe, c) in &set.children {
        let cty = match pe {
            PE::Field(k) => {
                if named {
                    out.members.insert(pe.clone());
                }
                child(ty, k)
            }
            _ => elem(ty),
        };
        out.children
            .insert(pe.clone(), ensure_named_fields(c, &cty));
    }
    out
}

/// Problems `ObjectToTyped` reports for an applied configuration (bad or duplicate list keys).
pub fn validate(v: &Value, ty: &Ty) -> Vec<String> {
    let mut errs = Vec::new();
    validate_at(v, ty, &mut Vec::new(), &mut errs);
    errs
}

fn validate_at(v: &Value, ty: &Ty, path: &mut Path, errs: &mut Vec<String>) {
    match node(ty, Some(v), None) {
        Node::Leaf => {}
        Node::Struct | Node::Map => {
            for (k, c) in v.as_object().into_iter().flatten() {
                path.push(PE::Field(k.clone()));
                validate_at(c, &child(ty, k), path, errs);
                path.pop();
            }
        }
        Node::List(kind) => {
            let mut seen: Vec<PE> = Vec::new();
            for (i, item) in v.as_array().into_iter().flatten().enumerate() {
                match item_pe(&kind, item, i) {
                    Err(e) => errs.push(format!("{}: element {i}: {e}", path_string(path))),
                    Ok(pe) if seen.contains(&pe) => errs.push(format!(
                        "{}: duplicate entries for key {}",
                        path_string(path),
                        pe.display()
                    )),
                    Ok(pe) => {
                        path.push(pe.clone());
                        validate_at(item, &elem(ty), path, errs);
                        path.pop();
                        seen.push(pe);
                    }
                }
            }
        }
    }
}
