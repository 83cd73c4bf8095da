//! Checks a decoded request body against a compiled kind the way kube-apiserver's strict JSON
//! decoder (sigs.k8s.io/json) sees it: unknown fields with their paths, and the first type error
//! in Go's wording (a custom decoder's error wins over plain type mismatches, as in Go).

use serde_json::{Number, Value};

use super::FieldCheck;
use super::compile::{Compiled, Node, Ty, go_type_of_def};
use super::goparse;

/// sigs.k8s.io/json keeps at most this many strict errors.
const MAX_UNKNOWN: usize = 100;

struct Walker<'a> {
    c: &'a Compiled,
    unknown: Vec<String>,
    saved: Option<String>,
    /// Go's errorContext: innermost struct name and the stack of struct field names
    ctx_struct: Option<&'a str>,
    stack: Vec<&'a str>,
}

/// A decoding error that stops the decoder (returned by a custom UnmarshalJSON).
struct Hard(String);

fn json_kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "bool",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

fn fits_i32(n: &Number) -> bool {
    n.as_i64().is_some_and(|i| i32::try_from(i).is_ok())
}

/// Checks `obj` against the struct of definition `def` (None if `def` is not a struct).
pub(crate) fn check_def(c: &Compiled, def: &str, obj: &Value) -> Option<FieldCheck> {
    let root = c.struct_of(def)?;
    let mut w = Walker {
        c,
        unknown: Vec::new(),
        saved: None,
        ctx_struct: None,
        stack: Vec::new(),
    };
    let node = Node {
        ty: Ty::Struct(root),
        go: go_type_of_def(def),
    };
    let mut path = String::new();
    let type_error = match w.walk(&node, obj, &mut path) {
        Err(Hard(msg)) => Some(msg),
        Ok(()) => w.saved.take(),
    };
    Some(FieldCheck {
        unknown: w.unknown,
        type_error,
    })
}

impl<'a> Walker<'a> {
    /// `json: cannot unmarshal <what> into Go struct field <S>.<a.b.c> of type <go>`
    fn type_error(&self, what: &str, go: &str) -> String {
        match self.ctx_struct {
            Some(s) if !self.stack.is_empty() => {
                format!(
                    "json: cannot unmarshal {what} into Go struct field {s}.{} of type {go}",
                    self.stack.join(".")
                )
            }
            _ => format!("json: cannot unmarshal {what} into Go value of type {go}"),
        }
    }

    fn save(&mut self, msg: String) {
        if self.saved.is_none() {
            self.saved = Some(msg);
        }
    }

    fn mismatch(&mut self, v: &Value, go: &str) {
        let msg = self.type_error(json_kind(v), go);
        self.save(msg);
    }

    fn walk(&mut self, node: &Node, v: &Value, path: &mut String) -> Result<(), Hard> {
        if v.is_null() {
            return Ok(());
        }
        match &node.ty {
            Ty::Any => {}
            Ty::Str => {
                if !v.is_string() {
                    self.mismatch(v, &node.go);
                }
            }
            Ty::Bool => {
                if !v.is_boolean() {
                    self.mismatch(v, &node.go);
                }
            }
            Ty::Float => {
                if !v.is_number() {
                    self.mismatch(v, &node.go);
                }
            }
            Ty::Int32 | Ty::Int64 => match v {
                Value::Number(n) => {
                    let ok = if matches!(node.ty, Ty::Int32) {
                        fits_i32(n)
                    } else {
                        n.as_i64().is_some()
                    };
                    if !ok {
                        let msg = self.type_error(&format!("number {n}"), &node.go);
                        self.save(msg);
                    }
                }
                _ => self.mismatch(v, &node.go),
            },
            Ty::Bytes => match v {
                Value::String(s) => {
                    if let Some(msg) = goparse::base64_error(s) {
                        self.save(msg);
                    }
                }
                Value::Array(items) => {
                    for item in items {
                        match item {
                            Value::Null => {}
                            Value::Number(n) if n.as_u64().is_some_and(|u| u <= 255) => {}
                            Value::Number(n) => {
                                let msg = self.type_error(&format!("number {n}"), "uint8");
                                self.save(msg);
                            }
                            other => self.mismatch(other, "uint8"),
                        }
                    }
                }
                _ => self.mismatch(v, &node.go),
            },
            Ty::Quantity => match v {
                Value::Number(_) => {}
                Value::String(s) => goparse::parse_quantity(s).map_err(|e| Hard(e.to_string()))?,
                _ => return Err(Hard(goparse::QUANTITY_FORMAT_WRONG.to_string())),
            },
            Ty::IntOrString => match v {
                Value::String(_) => {}
                Value::Number(n) if fits_i32(n) => {}
                Value::Number(n) => {
                    return Err(Hard(self.type_error(&format!("number {n}"), "int32")));
                }
                other => return Err(Hard(self.type_error(json_kind(other), "int32"))),
            },
            Ty::Time | Ty::MicroTime => match v {
                Value::String(s) => {
                    let layout = if matches!(node.ty, Ty::Time) {
                        goparse::RFC3339
                    } else {
                        goparse::RFC3339_MICRO
                    };
                    if let Some(msg) = goparse::time_error(layout, s) {
                        return Err(Hard(msg));
                    }
                }
                other => return Err(Hard(self.type_error(json_kind(other), "string"))),
            },
            Ty::Struct(idx) => {
                let Value::Object(map) = v else {
                    self.mismatch(v, &node.go);
                    return Ok(());
                };
                let c: &'a Compiled = self.c;
                let def = &c.structs[*idx];
                for (key, value) in map {
                    let len = path.len();
                    if !path.is_empty() {
                        path.push('.');
                    }
                    path.push_str(key);
                    match def.fields.get_key_value(key.as_str()) {
                        Some((name, field)) => {
                            let saved_ctx = self.ctx_struct.replace(def.name.as_str());
                            self.stack.push(name.as_str());
                            let r = self.walk(field, value, path);
                            self.stack.pop();
                            self.ctx_struct = saved_ctx;
                            r?;
                        }
                        None => {
                            if self.unknown.len() < MAX_UNKNOWN {
                                self.unknown.push(path.clone());
                            }
                        }
                    }
                    path.truncate(len);
                }
            }
            Ty::List(elem) => {
                let Value::Array(items) = v else {
                    self.mismatch(v, &node.go);
                    return Ok(());
                };
                for (i, item) in items.iter().enumerate() {
                    let len = path.len();
                    path.push_str(&format!("[{i}]"));
                    let r = self.walk(elem, item, path);
                    path.truncate(len);
                    r?;
                }
            }
            Ty::Map(elem) => {
                let Value::Object(map) = v else {
                    self.mismatch(v, &node.go);
                    return Ok(());
                };
                for (key, item) in map {
                    let len = path.len();
                    if !path.is_empty() {
                        path.push('.');
                    }
                    path.push_str(key);
                    let r = self.walk(elem, item, path);
                    path.truncate(len);
                    r?;
                }
            }
        }
        Ok(())
    }
}
