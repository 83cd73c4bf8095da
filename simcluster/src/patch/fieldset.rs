//! Field sets of server-side apply (structured-merge-diff `fieldpath.Set`): path elements
//! (`f:`/`k:`/`v:`/`i:`), set algebra, the FieldsV1 JSON form and the `.a[k="v"].b` path strings.

use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value};

/// A JSON value with structured-merge-diff's total order (numbers < strings < bools < lists <
/// maps < null; ints and floats compare numerically).
#[derive(Clone, Debug)]
pub struct KVal(pub Value);

fn rank(v: &Value) -> u8 {
    match v {
        Value::Number(_) => 0,
        Value::String(_) => 1,
        Value::Bool(_) => 2,
        Value::Array(_) => 3,
        Value::Object(_) => 4,
        Value::Null => 5,
    }
}

fn compare_values(a: &Value, b: &Value) -> Ordering {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => match (x.as_i64(), y.as_i64()) {
            (Some(i), Some(j)) => i.cmp(&j),
            _ => x
                .as_f64()
                .unwrap_or(0.0)
                .partial_cmp(&y.as_f64().unwrap_or(0.0))
                .unwrap_or(Ordering::Equal),
        },
        (Value::String(x), Value::String(y)) => x.cmp(y),
        (Value::Bool(x), Value::Bool(y)) => x.cmp(y),
        (Value::Array(x), Value::Array(y)) => {
            for (l, r) in x.iter().zip(y.iter()) {
                let c = compare_values(l, r);
                if c != Ordering::Equal {
                    return c;
                }
            }
            x.len().cmp(&y.len())
        }
        (Value::Object(x), Value::Object(y)) => {
            let mut xs: Vec<_> = x.iter().collect();
            let mut ys: Vec<_> = y.iter().collect();
            xs.sort_by(|a, b| a.0.cmp(b.0));
            ys.sort_by(|a, b| a.0.cmp(b.0));
            for ((kl, vl), (kr, vr)) in xs.iter().zip(ys.iter()) {
                let c = kl.cmp(kr).then_with(|| compare_values(vl, vr));
                if c != Ordering::Equal {
                    return c;
                }
            }
            xs.len().cmp(&ys.len())
        }
        _ => rank(a).cmp(&rank(b)),
    }
}

impl PartialEq for KVal {
    fn eq(&self, other: &Self) -> bool {
        compare_values(&self.0, &other.0) == Ordering::Equal
    }
}
impl Eq for KVal {}
impl PartialOrd for KVal {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for KVal {
    fn cmp(&self, other: &Self) -> Ordering {
        compare_values(&self.0, &other.0)
    }
}

/// One step of a field path. The derived order (fields < keys < values < indices) is the one
/// structured-merge-diff sorts and serializes with.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum PE {
    Field(String),
    /// Key fields of an associative list item, sorted by name.
    Key(Vec<(String, KVal)>),
    Value(KVal),
    Index(i64),
}

/// JSON as Go's encoder writes it (`<`, `>`, `&` escaped).
fn go_json(v: &Value) -> String {
    serde_json::to_string(v)
        .unwrap_or_default()
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

/// `value.ToString`: strings quoted, everything else as JSON.
fn value_string(v: &Value) -> String {
    match v {
        Value::String(s) => format!("{s:?}"),
        other => other.to_string(),
    }
}

impl PE {
    /// The FieldsV1 key (`f:name`, `k:{"name":"a"}`, `v:"x"`, `i:0`).
    pub fn serialize(&self) -> String {
        match self {
            PE::Field(f) => format!("f:{f}"),
            PE::Key(fields) => {
                let parts: Vec<String> = fields
                    .iter()
                    .map(|(k, v)| {
                        format!("{}:{}", go_json(&Value::String(k.clone())), go_json(&v.0))
                    })
                    .collect();
                format!("k:{{{}}}", parts.join(","))
            }
            PE::Value(v) => format!("v:{}", go_json(&v.0)),
            PE::Index(i) => format!("i:{i}"),
        }
    }

    pub fn deserialize(s: &str) -> Option<PE> {
        let (kind, rest) = s.split_once(':')?;
        match kind {
            "f" => Some(PE::Field(rest.to_string())),
            "k" => {
                let Value::Object(m) = serde_json::from_str::<Value>(rest).ok()? else {
                    return None;
                };
                Some(PE::key(m.into_iter().collect()))
            }
            "v" => Some(PE::Value(KVal(serde_json::from_str(rest).ok()?))),
            "i" => Some(PE::Index(rest.parse().ok()?)),
            _ => None,
        }
    }

    pub fn key(mut fields: Vec<(String, Value)>) -> PE {
        fields.sort_by(|a, b| a.0.cmp(&b.0));
        PE::Key(fields.into_iter().map(|(k, v)| (k, KVal(v))).collect())
    }

    /// The form used in paths of conflict messages (`.name`, `[name="a"]`, `[="x"]`, `[0]`).
    pub fn display(&self) -> String {
        match self {
            PE::Field(f) => format!(".{f}"),
            PE::Key(fields) => {
                let parts: Vec<String> = fields
                    .iter()
                    .map(|(k, v)| format!("{k}={}", value_string(&v.0)))
                    .collect();
                format!("[{}]", parts.join(","))
            }
            PE::Value(v) => format!("[={}]", value_string(&v.0)),
            PE::Index(i) => format!("[{i}]"),
        }
    }
}

pub type Path = Vec<PE>;

pub fn path_string(p: &[PE]) -> String {
    p.iter().map(PE::display).collect()
}

/// A set of field paths: `members` end here, `children` continue.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct FieldSet {
    pub members: BTreeSet<PE>,
    pub children: BTreeMap<PE, FieldSet>,
}

impl FieldSet {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn is_empty(&self) -> bool {
        self.members.is_empty() && self.children.values().all(FieldSet::is_empty)
    }

    pub fn insert(&mut self, path: &[PE]) {
        match path {
            [] => {}
            [last] => {
                self.members.insert(last.clone());
            }
            [first, rest @ ..] => self.children.entry(first.clone()).or_default().insert(rest),
        }
    }

    pub fn has(&self, path: &[PE]) -> bool {
        match path {
            [] => false,
            [last] => self.members.contains(last),
            [first, rest @ ..] => self.children.get(first).is_some_and(|c| c.has(rest)),
        }
    }

    /// The subset under `pe` (`WithPrefix`).
    pub fn child(&self, pe: &PE) -> Option<&FieldSet> {
        self.children.get(pe)
    }

    pub fn union(&self, other: &FieldSet) -> FieldSet {
        let mut out = self.clone();
        out.members.extend(other.members.iter().cloned());
        for (pe, c) in &other.children {
            let merged = match out.children.get(pe) {
                Some(mine) => mine.union(c),
                None => c.clone(),
            };
            out.children.insert(pe.clone(), merged);
        }
        out
    }

    pub fn intersection(&self, other: &FieldSet) -> FieldSet {
        let mut out = FieldSet::new();
        out.members = self.members.intersection(&other.members).cloned().collect();
        for (pe, c) in &self.children {
            if let Some(o) = other.children.get(pe) {
                let i = c.intersection(o);
                if !i.is_empty() {
                    out.children.insert(pe.clone(), i);
                }
            }
        }
        out
    }

    /// Members of `self` not in `other` (children of `other`'s members are not removed).
    pub fn difference(&self, other: &FieldSet) -> FieldSet {
        let mut out = FieldSet::new();
        out.members = self.members.difference(&other.members).cloned().collect();
        for (pe, c) in &self.children {
            let d = match other.children.get(pe) {
                Some(o) => c.difference(o),
                None => c.clone(),
            };
            if !d.is_empty() {
                out.children.insert(pe.clone(), d);
            }
        }
        out
    }

    /// Like `difference`, but everything below a member of `other` goes too.
    pub fn recursive_difference(&self, other: &FieldSet) -> FieldSet {
        let mut out = FieldSet::new();
        out.members = self.members.difference(&other.members).cloned().collect();
        for (pe, c) in &self.children {
            if other.members.contains(pe) {
                continue;
            }
            let d = match other.children.get(pe) {
                Some(o) => c.recursive_difference(o),
                None => c.clone(),
            };
            if !d.is_empty() {
                out.children.insert(pe.clone(), d);
            }
        }
        out
    }

    /// Every member path, members of a level before its children (`Set.Iterate`).
    pub fn paths(&self) -> Vec<Path> {
        let mut out = Vec::new();
        self.collect(&mut Vec::new(), &mut out);
        out
    }

    fn collect(&self, prefix: &mut Path, out: &mut Vec<Path>) {
        for m in &self.members {
            let mut p = prefix.clone();
            p.push(m.clone());
            out.push(p);
        }
        for (pe, c) in &self.children {
            prefix.push(pe.clone());
            c.collect(prefix, out);
            prefix.pop();
        }
    }

    /// The FieldsV1 JSON (sorted, `"."` last for a member that also has children).
    pub fn to_json(&self) -> Value {
        Value::Object(self.emit(false))
    }

    fn emit(&self, include_self: bool) -> Map<String, Value> {
        let mut out = Map::new();
        let mut keys: BTreeSet<&PE> = self.members.iter().collect();
        keys.extend(
            self.children
                .keys()
                .filter(|pe| !self.children[*pe].is_empty()),
        );
        for pe in keys {
            let value = match self.children.get(pe).filter(|c| !c.is_empty()) {
                Some(c) => Value::Object(c.emit(self.members.contains(pe))),
                None => Value::Object(Map::new()),
            };
            out.insert(pe.serialize(), value);
        }
        if include_self && !out.is_empty() {
            out.insert(".".into(), Value::Object(Map::new()));
        }
        out
    }

    /// Parses FieldsV1 JSON (unknown path element kinds are dropped, as the real reader does).
    pub fn from_json(v: &Value) -> FieldSet {
        Self::read(v).0
    }

    fn read(v: &Value) -> (FieldSet, bool) {
        let mut set = FieldSet::new();
        let mut is_member = false;
        let Value::Object(m) = v else {
            return (set, true);
        };
        for (k, child) in m {
            if k == "." {
                is_member = true;
                continue;
            }
            let Some(pe) = PE::deserialize(k) else {
                continue;
            };
            let (grand, child_member) = Self::read(child);
            if child_member {
                set.members.insert(pe.clone());
            }
            if !grand.is_empty() {
                set.children.insert(pe, grand);
            }
        }
        if set.is_empty() {
            is_member = true;
        }
        (set, is_member)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn f(s: &str) -> PE {
        PE::Field(s.into())
    }

    #[test]
    fn round_trip_and_order() {
        let raw = json!({
            "f:metadata": {"f:labels": {".": {}, "f:app": {}}},
            "f:spec": {"f:containers": {"k:{\"name\":\"app\"}": {".": {}, "f:image": {}, "f:name": {}}}, "f:finalizers": {"v:\"a\"": {}}}
        });
        let set = FieldSet::from_json(&raw);
        assert!(set.has(&[f("metadata"), f("labels")]));
        assert!(set.has(&[f("metadata"), f("labels"), f("app")]));
        let item = PE::key(vec![("name".into(), json!("app"))]);
        assert!(set.has(&[f("spec"), f("containers"), item.clone()]));
        assert_eq!(
            path_string(&[f("spec"), f("containers"), item, f("image")]),
            ".spec.containers[name=\"app\"].image"
        );
        // "." is written after the children, as the Go serializer does.
        assert_eq!(
            serde_json::to_string(&set.to_json()).unwrap(),
            r#"{"f:metadata":{"f:labels":{"f:app":{},".":{}}},"f:spec":{"f:containers":{"k:{\"name\":\"app\"}":{"f:image":{},"f:name":{},".":{}}},"f:finalizers":{"v:\"a\"":{}}}}"#
        );
    }

    #[test]
    fn algebra() {
        let mut a = FieldSet::new();
        a.insert(&[f("data"), f("a")]);
        a.insert(&[f("data"), f("b")]);
        a.insert(&[f("status")]);
        let mut b = FieldSet::new();
        b.insert(&[f("data"), f("b")]);
        b.insert(&[f("status"), f("x")]);
        assert_eq!(a.intersection(&b).paths(), vec![vec![f("data"), f("b")]]);
        assert_eq!(
            a.difference(&b).paths(),
            vec![vec![f("status")], vec![f("data"), f("a")]]
        );
        let mut ignored = FieldSet::new();
        ignored.insert(&[f("status")]);
        assert!(b.recursive_difference(&ignored).paths() == vec![vec![f("data"), f("b")]]);
        assert!(a.union(&b).has(&[f("status"), f("x")]));
    }

    #[test]
    fn key_order_and_escaping() {
        let k = PE::key(vec![
            ("protocol".into(), json!("TCP")),
            ("containerPort".into(), json!(80)),
        ]);
        assert_eq!(k.serialize(), r#"k:{"containerPort":80,"protocol":"TCP"}"#);
        assert_eq!(k.display(), r#"[containerPort=80,protocol="TCP"]"#);
        assert_eq!(PE::Value(KVal(json!("a<b"))).serialize(), r#"v:"a\u003cb""#);
        assert!(PE::Field("z".into()) < PE::key(vec![]));
        assert_eq!(
            PE::deserialize(r#"k:{"protocol":"TCP","containerPort":80}"#),
            Some(k)
        );
    }
}
