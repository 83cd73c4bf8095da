//! ConfigMap and Secret: Secret defaulting (`type: Opaque`, `stringData` folded into `data`), the
//! base64 decoding check of `data`/`binaryData`, key validation, Secret type rules, `immutable`.

use super::json::{as_obj, at, obj_at, str_at};
use super::meta::{NameRule, validate_object_meta};
use super::validation::{immutable, invalids, max_len_error, regex_error};
use crate::status::FieldError;
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde_json::{Map, Value};

const MAX_SIZE: usize = 1024 * 1024;

/// `IsConfigMapKey`.
fn config_map_key(k: &str) -> Vec<String> {
    let mut errs = vec![];
    if k.len() > 253 {
        errs.push(max_len_error(253));
    }
    if k.is_empty()
        || !k
            .bytes()
            .all(|c| c.is_ascii_alphanumeric() || b"-._".contains(&c))
    {
        errs.push(regex_error(
            "a valid config key must consist of alphanumeric characters, '-', '_' or '.'",
            "[-._a-zA-Z0-9]+",
            &["key.name", "KEY_NAME", "key-name"],
        ));
    }
    if k == "." {
        errs.push("must not be '.'".into());
    } else if k == ".." {
        errs.push("must not be '..'".into());
    } else if k.starts_with("..") {
        errs.push("must not start with '..'".into());
    }
    errs
}

fn sorted_keys(m: Option<&Map<String, Value>>) -> Vec<String> {
    let mut k: Vec<String> = m.into_iter().flat_map(|m| m.keys().cloned()).collect();
    k.sort();
    k
}

/// Go's `base64.StdEncoding` decode error offset (`illegal base64 data at input byte N`).
pub fn base64_error(s: &str) -> Option<usize> {
    let b: Vec<(usize, u8)> = s
        .bytes()
        .enumerate()
        .filter(|(_, c)| *c != b'\n' && *c != b'\r')
        .collect();
    let valid = |c: u8| c.is_ascii_alphanumeric() || c == b'+' || c == b'/';
    let mut i = 0;
    while i < b.len() {
        let q_start = i;
        for j in 0..4 {
            if i >= b.len() {
                return Some(if j == 0 {
                    return None;
                } else {
                    b.get(q_start).map_or(s.len(), |x| x.0)
                });
            }
            let (pos, c) = b[i];
            i += 1;
            if valid(c) {
                continue;
            }
            if c == b'=' && j >= 2 {
                // Padding: "xx==" or "xxx=", then nothing else.
                if j == 2 {
                    if i >= b.len() {
                        return Some(s.len());
                    }
                    if b[i].1 != b'=' {
                        return Some(b[i].0.saturating_sub(1));
                    }
                    i += 1;
                }
                return if i < b.len() { Some(b[i].0) } else { None };
            }
            return Some(pos);
        }
    }
    None
}

/// The decode error of a body, as the message after `cannot be handled as a <Kind>: `.
pub fn decode_error(kind: &str, obj: &Value) -> Option<String> {
    let field = match kind {
        "Secret" => "data",
        "ConfigMap" => "binaryData",
        _ => return None,
    };
    for (_, v) in obj_at(obj, field).into_iter().flatten() {
        if let Some(s) = v.as_str()
            && let Some(pos) = base64_error(s)
        {
            return Some(format!("illegal base64 data at input byte {pos}"));
        }
    }
    None
}

/// Byte fields as Go re-encodes them (newlines dropped, standard padding); invalid values stay
/// for `decode_error`.
pub fn canonical_base64(obj: &mut Value, field: &str) {
    if let Some(d) = obj.get_mut(field).and_then(Value::as_object_mut) {
        for v in d.values_mut() {
            let decoded = v
                .as_str()
                .filter(|s| base64_error(s).is_none())
                .and_then(|s| STANDARD.decode(s.replace(['\n', '\r'], "")).ok());
            if let Some(bytes) = decoded {
                *v = Value::String(STANDARD.encode(bytes));
            }
        }
    }
}

/// Secret defaults and conversion: `stringData` entries overwrite `data` (base64), type Opaque.
pub fn secret_defaults(obj: &mut Value) {
    canonical_base64(obj, "data");
    let m = as_obj(obj);
    if let Some(Value::Object(sd)) = m.remove("stringData") {
        let data = m.entry("data").or_insert(Value::Object(Map::new()));
        let d = as_obj(data);
        for (k, v) in sd {
            d.insert(k, Value::String(STANDARD.encode(v.as_str().unwrap_or(""))));
        }
    }
    if m.get("type")
        .and_then(Value::as_str)
        .unwrap_or("")
        .is_empty()
    {
        m.insert("type".into(), Value::String("Opaque".into()));
    }
}

fn decoded_len(v: &Value) -> usize {
    v.as_str()
        .and_then(|s| STANDARD.decode(s.replace(['\n', '\r'], "")).ok())
        .map_or(0, |d| d.len())
}

pub fn validate_config_map(obj: &Value) -> Vec<FieldError> {
    let mut errs = validate_object_meta(obj, NameRule::Subdomain);
    let data = obj_at(obj, "data");
    let bin = obj_at(obj, "binaryData");
    let mut total = 0;
    for k in sorted_keys(data) {
        errs.extend(invalids(
            &format!("data[{k}]"),
            &Value::String(k.clone()),
            config_map_key(&k),
        ));
        if bin.is_some_and(|b| b.contains_key(&k)) {
            errs.push(FieldError::invalid(
                format!("data[{k}]"),
                k.clone(),
                "duplicate of key present in binaryData",
            ));
        }
        total += data.and_then(|d| d[&k].as_str()).map_or(0, str::len);
    }
    for k in sorted_keys(bin) {
        errs.extend(invalids(
            &format!("binaryData[{k}]"),
            &Value::String(k.clone()),
            config_map_key(&k),
        ));
        total += bin.map_or(0, |b| decoded_len(&b[&k]));
    }
    if total > MAX_SIZE {
        errs.push(FieldError::too_long("", "", MAX_SIZE));
    }
    errs
}

pub fn validate_secret(obj: &Value) -> Vec<FieldError> {
    let mut errs = validate_object_meta(obj, NameRule::Subdomain);
    let data = obj_at(obj, "data");
    let mut total = 0;
    for k in sorted_keys(data) {
        errs.extend(invalids(
            &format!("data[{k}]"),
            &Value::String(k.clone()),
            config_map_key(&k),
        ));
        total += data.map_or(0, |d| decoded_len(&d[&k]));
    }
    if total > MAX_SIZE {
        errs.push(FieldError::too_long("data", "", MAX_SIZE));
    }
    let has = |k: &str| data.is_some_and(|d| d.contains_key(k));
    let req = |k: &str| FieldError::required(format!("data[{k}]"), "");
    match str_at(obj, "type") {
        "kubernetes.io/service-account-token"
            if obj_at(obj, "metadata/annotations")
                .and_then(|a| a.get("kubernetes.io/service-account.name"))
                .and_then(Value::as_str)
                .is_none_or(str::is_empty) =>
        {
            errs.push(FieldError::required(
                "metadata.annotations[kubernetes.io/service-account.name]",
                "",
            ));
        }
        t @ ("kubernetes.io/dockercfg" | "kubernetes.io/dockerconfigjson") => {
            let key = if t.ends_with("dockercfg") {
                ".dockercfg"
            } else {
                ".dockerconfigjson"
            };
            match data.and_then(|d| d.get(key)).and_then(Value::as_str) {
                None => errs.push(req(key)),
                Some(b) => {
                    let bytes = STANDARD.decode(b).unwrap_or_default();
                    if serde_json::from_slice::<Map<String, Value>>(&bytes).is_err() {
                        errs.push(FieldError::invalid(
                            format!("data[{key}]"),
                            "<secret contents redacted>",
                            "unexpected end of JSON input",
                        ));
                    }
                }
            }
        }
        "kubernetes.io/basic-auth" if !has("username") && !has("password") => {
            errs.push(req("username"));
            errs.push(req("password"));
        }
        "kubernetes.io/ssh-auth"
            if data
                .and_then(|d| d.get("ssh-privatekey"))
                .is_none_or(|v| decoded_len(v) == 0) =>
        {
            errs.push(req("ssh-privatekey"));
        }
        "kubernetes.io/tls" => {
            for k in ["tls.crt", "tls.key"] {
                if !has(k) {
                    errs.push(req(k));
                }
            }
        }
        _ => {}
    }
    errs
}

fn immutable_rules(new: &Value, old: &Value, fields: &[&str]) -> Vec<FieldError> {
    let mut errs = vec![];
    if at(old, "immutable").and_then(Value::as_bool) == Some(true) {
        if at(new, "immutable").and_then(Value::as_bool) != Some(true) {
            errs.push(FieldError::forbidden(
                "immutable",
                "field is immutable when `immutable` is set",
            ));
        }
        for f in fields {
            if at(new, f) != at(old, f) {
                errs.push(FieldError::forbidden(
                    *f,
                    "field is immutable when `immutable` is set",
                ));
            }
        }
    }
    errs
}

pub fn validate_config_map_update(new: &Value, old: &Value) -> Vec<FieldError> {
    let mut errs = immutable_rules(new, old, &["data", "binaryData"]);
    errs.extend(validate_config_map(new));
    errs
}

pub fn validate_secret_update(new: &Value, old: &Value) -> Vec<FieldError> {
    let mut errs = immutable("type", at(new, "type"), at(old, "type"));
    errs.extend(immutable_rules(new, old, &["data"]));
    errs.extend(validate_secret(new));
    errs
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn base64_offsets_like_go() {
        assert_eq!(base64_error("not base64!"), Some(3));
        assert_eq!(base64_error("YWRtaW4="), None);
        assert_eq!(base64_error("YWRtaW4"), Some(4));
        assert_eq!(base64_error("YQ=="), None);
        assert_eq!(base64_error("YQ="), Some(3));
        assert_eq!(base64_error(""), None);
    }

    #[test]
    fn secret_string_data() {
        let mut s = json!({"data": {"username": "YWRtaW4="}, "stringData": {"password": "s3cr3t"}});
        secret_defaults(&mut s);
        assert_eq!(
            s,
            json!({"data": {"username": "YWRtaW4=", "password": "czNjcjN0"}, "type": "Opaque"})
        );
    }
}
