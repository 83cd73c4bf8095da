//! Message decoding: protobuf fields to JSON properties, with the Go JSON encoder's view of zero
//! values (non-pointer zero fields and empty non-pointer structs are left out, present pointer
//! fields are kept even when zero or empty).

use std::borrow::Cow;
use std::collections::BTreeMap;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use serde_json::{Map, Value};

use super::special::{self, *};
use super::table::{Field, Table, Ty};
use super::wire::{self, Wire};

/// Deeper nesting than any real object (CRD schemas included) is refused.
const MAX_DEPTH: usize = 100;

pub(crate) struct Decoder<'t> {
    pub table: &'t Table,
}

fn wrong_wire(field: &str, w: &Wire<'_>) -> String {
    format!(
        "proto: wrong wireType = {} for field {field}",
        w.wire_type()
    )
}

fn name_of(f: &Field) -> &str {
    if f.json.is_empty() {
        "(inline)"
    } else {
        &f.json
    }
}

/// Whether a decoded value is what Go's `omitempty` drops (for a non-pointer field).
fn is_zero(v: &Value) -> bool {
    match v {
        Value::Null => true,
        Value::Bool(b) => !b,
        Value::Number(n) => n.as_f64() == Some(0.0),
        Value::String(s) => s.is_empty(),
        Value::Array(a) => a.is_empty(),
        Value::Object(o) => o.is_empty(),
    }
}

/// A JSON number like Go writes a float64: integral values without a fraction.
fn float(f: f64, field: &str) -> Result<Value, String> {
    if f.fract() == 0.0 && f.abs() < 1e15 {
        return Ok(Value::from(f as i64));
    }
    serde_json::Number::from_f64(f)
        .map(Value::Number)
        .ok_or_else(|| format!("json: unsupported value: {f} ({field})"))
}

/// Several occurrences of an embedded message merge (concatenated encodings).
fn merged<'a>(field: &Field, ws: &[Wire<'a>]) -> Result<Cow<'a, [u8]>, String> {
    if let [Wire::Bytes(b)] = ws {
        return Ok(Cow::Borrowed(b));
    }
    let mut buf = Vec::new();
    for w in ws {
        match w {
            Wire::Bytes(b) => buf.extend_from_slice(b),
            other => return Err(wrong_wire(name_of(field), other)),
        }
    }
    Ok(Cow::Owned(buf))
}

impl Decoder<'_> {
    /// Decodes message `msg` into a JSON object.
    pub(crate) fn object(
        &self,
        msg: &str,
        b: &[u8],
        depth: usize,
    ) -> Result<Map<String, Value>, String> {
        if depth > MAX_DEPTH {
            return Err("proto: nesting too deep".to_string());
        }
        let m = self
            .table
            .messages
            .get(msg)
            .ok_or_else(|| format!("no protobuf message {msg}"))?;
        let mut seen: Vec<Vec<Wire<'_>>> = vec![Vec::new(); m.fields.len()];
        for f in wire::fields(b) {
            let (tag, w) = f?;
            if let Some(i) = m.index(tag) {
                seen[i].push(w);
            } // unknown field numbers are skipped, like the Go decoder does
        }
        let mut out = Map::new();
        for (field, ws) in m.fields.iter().zip(&seen) {
            if ws.is_empty() {
                continue;
            }
            if field.inline {
                let Ty::Msg(sub) = &field.ty else {
                    return Err(format!("inline field {msg} is not a message"));
                };
                out.extend(self.object(sub, &merged(field, ws)?, depth + 1)?);
            } else if let Some(v) = self.field(field, ws, depth)? {
                out.insert(field.json.clone(), v);
            }
        }
        Ok(out)
    }

    fn field(&self, field: &Field, ws: &[Wire<'_>], depth: usize) -> Result<Option<Value>, String> {
        let name = name_of(field);
        if let Ty::Map(vt) = &field.ty {
            let mut entries = BTreeMap::new();
            for w in ws {
                let Wire::Bytes(b) = w else {
                    return Err(wrong_wire(name, w));
                };
                let (k, v) = self.map_entry(vt, b, name, depth)?;
                entries.insert(k, v);
            }
            return Ok((!entries.is_empty()).then(|| Value::Object(entries.into_iter().collect())));
        }
        if field.repeated {
            let mut items = Vec::new();
            for w in ws {
                match (w, &field.ty) {
                    (Wire::Bytes(b), Ty::I32 | Ty::I64 | Ty::Bool) => {
                        for v in wire::packed_varints(b)? {
                            items.push(
                                self.element(&field.ty, Wire::Varint(v), name, depth)?
                                    .unwrap_or(Value::Null),
                            );
                        }
                    }
                    _ => items.push(
                        self.element(&field.ty, *w, name, depth)?
                            .unwrap_or(Value::Null),
                    ),
                }
            }
            return Ok((!items.is_empty()).then_some(Value::Array(items)));
        }
        let value = match &field.ty {
            Ty::Msg(_) => {
                let buf = merged(field, ws)?;
                self.element(&field.ty, Wire::Bytes(&buf), name, depth)?
            }
            ty => self.element(ty, *ws.last().expect("non-empty"), name, depth)?,
        };
        Ok(match value {
            Some(v) if field.pointer || matches!(&field.ty, Ty::Msg(m) if m == QUANTITY) => Some(v),
            Some(v) if is_zero(&v) => None,
            other => other,
        })
    }

    fn map_entry(
        &self,
        vt: &Ty,
        b: &[u8],
        name: &str,
        depth: usize,
    ) -> Result<(String, Value), String> {
        let (mut key, mut value) = (String::new(), None);
        for f in wire::fields(b) {
            match f? {
                (1, Wire::Bytes(k)) => {
                    key = String::from_utf8(k.to_vec())
                        .map_err(|_| format!("proto: invalid UTF-8 in {name} key"))?;
                }
                (1, w) => return Err(wrong_wire(name, &w)),
                (2, w) => value = Some(w),
                _ => {}
            }
        }
        // an absent value is the zero value of its type
        let zero = match vt {
            Ty::I32 | Ty::I64 | Ty::Bool => Wire::Varint(0),
            Ty::F64 => Wire::Fixed64(0),
            _ => Wire::Bytes(&[]),
        };
        let v = self
            .element(vt, value.unwrap_or(zero), name, depth)?
            .unwrap_or(Value::Null);
        Ok((key, v))
    }

    /// One value of type `ty`; None for values Go marshals as null (zero Time, empty raw JSON).
    fn element(
        &self,
        ty: &Ty,
        w: Wire<'_>,
        name: &str,
        depth: usize,
    ) -> Result<Option<Value>, String> {
        let v = match (ty, w) {
            (Ty::Str, Wire::Bytes(b)) => Value::String(
                String::from_utf8(b.to_vec())
                    .map_err(|_| format!("proto: invalid UTF-8 in field {name}"))?,
            ),
            (Ty::Bytes, Wire::Bytes(b)) => Value::String(BASE64.encode(b)),
            (Ty::I32, Wire::Varint(v)) => Value::from(v as i32),
            (Ty::I64, Wire::Varint(v)) => Value::from(v as i64),
            (Ty::Bool, Wire::Varint(v)) => Value::Bool(v != 0),
            (Ty::F64, Wire::Fixed64(v)) => float(f64::from_bits(v), name)?,
            (Ty::Msg(m), Wire::Bytes(b)) => return self.message_value(m, b, depth + 1),
            (_, w) => return Err(wrong_wire(name, &w)),
        };
        Ok(Some(v))
    }

    /// The JSON value of an embedded message, special ones included.
    fn message_value(&self, m: &str, b: &[u8], depth: usize) -> Result<Option<Value>, String> {
        if !special::is_special(m) {
            return self.object(m, b, depth).map(|o| Some(Value::Object(o)));
        }
        Ok(match m {
            TIME => special::time(b, false)?,
            MICRO_TIME => special::time(b, true)?,
            DURATION => Some(special::duration(b)?),
            QUANTITY => Some(special::quantity(b)?),
            INT_OR_STRING => {
                let (v, _zero) = special::int_or_string(b)?;
                Some(v)
            }
            FIELDS_V1 => special::raw_json(special::raw_bytes(b)?, "FieldsV1")?,
            RAW_EXTENSION | EXT_JSON => {
                let raw = special::raw_bytes(b)?;
                if raw.starts_with(super::MAGIC) {
                    Some(super::decode(raw)?) // an embedded protobuf object
                } else {
                    special::raw_json(raw, "RawExtension")?
                }
            }
            PROPS_OR_ARRAY | PROPS_OR_BOOL | PROPS_OR_STRINGS => self.schema_union(m, b, depth)?,
            _ => Some(special::string_list(b)?), // ExtraValue
        })
    }

    /// JSONSchemaPropsOrArray / OrBool / OrStringArray, as their Go MarshalJSON writes them.
    fn schema_union(&self, m: &str, b: &[u8], depth: usize) -> Result<Option<Value>, String> {
        const PROPS: &str = "apiextensions.v1.JSONSchemaProps";
        let (mut schema, mut many, mut strings, mut allows) =
            (None::<Vec<u8>>, Vec::new(), Vec::new(), false);
        for f in wire::fields(b) {
            match (m, f?) {
                (_, (1, Wire::Varint(v))) if m == PROPS_OR_BOOL => allows = v != 0,
                (_, (2, Wire::Bytes(s))) if m == PROPS_OR_BOOL => {
                    schema.get_or_insert_default().extend_from_slice(s)
                }
                (_, (1, Wire::Bytes(s))) => schema.get_or_insert_default().extend_from_slice(s),
                (PROPS_OR_ARRAY, (2, Wire::Bytes(s))) => {
                    many.push(Value::Object(self.object(PROPS, s, depth + 1)?))
                }
                (PROPS_OR_STRINGS, (2, Wire::Bytes(s))) => strings.push(Value::String(
                    String::from_utf8(s.to_vec())
                        .map_err(|_| "proto: invalid UTF-8 in field Property")?,
                )),
                (_, (1 | 2, w)) => return Err(wrong_wire(m, &w)),
                _ => {} // unknown field numbers are skipped
            }
        }
        if !many.is_empty() {
            return Ok(Some(Value::Array(many)));
        }
        if !strings.is_empty() {
            return Ok(Some(Value::Array(strings)));
        }
        if let Some(s) = schema {
            return Ok(Some(Value::Object(self.object(PROPS, &s, depth + 1)?)));
        }
        Ok((m == PROPS_OR_BOOL).then_some(Value::Bool(allows)))
    }
}
