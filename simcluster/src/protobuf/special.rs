//! The Kubernetes types whose protobuf message differs from their JSON form: Time, MicroTime,
//! Duration, IntOrString, Quantity, RawExtension / JSON / FieldsV1 (embedded JSON) and the
//! string-list wrappers (ExtraValue). The JSONSchemaPropsOr* unions are in `decode`.

use chrono::DateTime;
use serde_json::Value;

use super::wire::{self, Wire};

pub(crate) const TIME: &str = "meta.v1.Time";
pub(crate) const MICRO_TIME: &str = "meta.v1.MicroTime";
pub(crate) const DURATION: &str = "meta.v1.Duration";
pub(crate) const FIELDS_V1: &str = "meta.v1.FieldsV1";
pub(crate) const RAW_EXTENSION: &str = "runtime.RawExtension";
pub(crate) const INT_OR_STRING: &str = "intstr.IntOrString";
pub(crate) const QUANTITY: &str = "quantity.Quantity";
pub(crate) const EXT_JSON: &str = "apiextensions.v1.JSON";
pub(crate) const PROPS_OR_ARRAY: &str = "apiextensions.v1.JSONSchemaPropsOrArray";
pub(crate) const PROPS_OR_BOOL: &str = "apiextensions.v1.JSONSchemaPropsOrBool";
pub(crate) const PROPS_OR_STRINGS: &str = "apiextensions.v1.JSONSchemaPropsOrStringArray";

/// Messages with a hand-written JSON form.
pub(crate) fn is_special(name: &str) -> bool {
    matches!(
        name,
        TIME | MICRO_TIME
            | DURATION
            | FIELDS_V1
            | RAW_EXTENSION
            | INT_OR_STRING
            | QUANTITY
            | EXT_JSON
            | PROPS_OR_ARRAY
            | PROPS_OR_BOOL
            | PROPS_OR_STRINGS
    ) || name.ends_with(".ExtraValue")
}

fn varint_of(w: Wire<'_>, what: &str) -> Result<u64, String> {
    match w {
        Wire::Varint(v) => Ok(v),
        other => Err(format!(
            "proto: wrong wireType = {} for field {what}",
            other.wire_type()
        )),
    }
}

fn bytes_of<'a>(w: Wire<'a>, what: &str) -> Result<&'a [u8], String> {
    match w {
        Wire::Bytes(b) => Ok(b),
        other => Err(format!(
            "proto: wrong wireType = {} for field {what}",
            other.wire_type()
        )),
    }
}

fn utf8(b: &[u8], what: &str) -> Result<String, String> {
    String::from_utf8(b.to_vec()).map_err(|_| format!("proto: invalid UTF-8 in field {what}"))
}

/// `metav1.Time` / `metav1.MicroTime` ({1: seconds, 2: nanos}). An empty message is Go's zero
/// time, which marshals as JSON null: None (the property is left out).
pub(crate) fn time(b: &[u8], micro: bool) -> Result<Option<Value>, String> {
    if b.is_empty() {
        return Ok(None);
    }
    let (mut seconds, mut nanos) = (0i64, 0i64);
    for f in wire::fields(b) {
        match f? {
            (1, w) => seconds = varint_of(w, "Seconds")? as i64,
            (2, w) => nanos = i64::from(varint_of(w, "Nanos")? as i32),
            _ => {}
        }
    }
    // time.Unix normalizes nanos outside [0, 1e9)
    seconds = seconds
        .checked_add(nanos.div_euclid(1_000_000_000))
        .ok_or("proto: time out of range")?;
    let nanos = nanos.rem_euclid(1_000_000_000) as u32;
    let t = DateTime::from_timestamp(seconds, nanos)
        .ok_or_else(|| format!("proto: time out of range: {seconds}s"))?;
    let s = if micro {
        t.format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string()
    } else {
        t.format("%Y-%m-%dT%H:%M:%SZ").to_string()
    };
    Ok(Some(Value::String(s)))
}

/// `metav1.Duration` ({1: nanoseconds}) as Go's `time.Duration.String()`: "1h2m3.5s", "150ms".
pub(crate) fn duration(b: &[u8]) -> Result<Value, String> {
    let mut d = 0i64;
    for f in wire::fields(b) {
        if let (1, w) = f? {
            d = varint_of(w, "Duration")? as i64;
        }
    }
    Ok(Value::String(go_duration(d)))
}

fn trim_frac(v: u64, digits: u32) -> String {
    let s = format!("{v:0width$}", width = digits as usize);
    s.trim_end_matches('0').to_string()
}

pub(crate) fn go_duration(d: i64) -> String {
    if d == 0 {
        return "0s".to_string();
    }
    let neg = if d < 0 { "-" } else { "" };
    let u = d.unsigned_abs();
    if u < 1_000_000_000 {
        // sub-second: ns, µs or ms with a fraction
        let (unit, scale, digits) = match u {
            0..1_000 => return format!("{neg}{u}ns"),
            1_000..1_000_000 => ("µs", 1_000, 3),
            _ => ("ms", 1_000_000, 6),
        };
        let frac = trim_frac(u % scale, digits);
        let dot = if frac.is_empty() {
            String::new()
        } else {
            format!(".{frac}")
        };
        return format!("{neg}{}{dot}{unit}", u / scale);
    }
    let secs = u / 1_000_000_000;
    let frac = trim_frac(u % 1_000_000_000, 9);
    let dot = if frac.is_empty() {
        String::new()
    } else {
        format!(".{frac}")
    };
    let (h, m, s) = (secs / 3600, (secs / 60) % 60, secs % 60);
    if h > 0 {
        format!("{neg}{h}h{m}m{s}{dot}s")
    } else if m > 0 {
        format!("{neg}{m}m{s}{dot}s")
    } else {
        format!("{neg}{s}{dot}s")
    }
}

/// `intstr.IntOrString` ({1: type, 2: intVal, 3: strVal}); also whether it is the zero value.
pub(crate) fn int_or_string(b: &[u8]) -> Result<(Value, bool), String> {
    let (mut ty, mut int_val, mut str_val) = (0i64, 0i32, String::new());
    for f in wire::fields(b) {
        match f? {
            (1, w) => ty = varint_of(w, "Type")? as i64,
            (2, w) => int_val = varint_of(w, "IntVal")? as i32,
            (3, w) => str_val = utf8(bytes_of(w, "StrVal")?, "StrVal")?,
            _ => {}
        }
    }
    Ok(match ty {
        1 => {
            let zero = str_val.is_empty();
            (Value::String(str_val), zero)
        }
        0 => (Value::from(int_val), int_val == 0),
        other => return Err(format!("impossible IntOrString.Type {other}")),
    })
}

/// `resource.Quantity` ({1: string}) as its string.
pub(crate) fn quantity(b: &[u8]) -> Result<Value, String> {
    let mut s = String::new();
    for f in wire::fields(b) {
        if let (1, w) = f? {
            s = utf8(bytes_of(w, "String_")?, "Quantity")?;
        }
    }
    Ok(Value::String(s))
}

/// The `raw` bytes (field 1) of RawExtension, apiextensions JSON and FieldsV1.
pub(crate) fn raw_bytes(b: &[u8]) -> Result<&[u8], String> {
    let mut raw: &[u8] = &[];
    for f in wire::fields(b) {
        if let (1, w) = f? {
            raw = bytes_of(w, "Raw")?;
        }
    }
    Ok(raw)
}

/// Embedded JSON: None when empty.
pub(crate) fn raw_json(raw: &[u8], what: &str) -> Result<Option<Value>, String> {
    if raw.iter().all(u8::is_ascii_whitespace) {
        return Ok(None);
    }
    serde_json::from_slice(raw)
        .map(Some)
        .map_err(|e| format!("invalid JSON in {what}: {e}"))
}

/// `ExtraValue` ({1: repeated string}) as a JSON array.
pub(crate) fn string_list(b: &[u8]) -> Result<Value, String> {
    let mut items = Vec::new();
    for f in wire::fields(b) {
        if let (1, w) = f? {
            items.push(Value::String(utf8(bytes_of(w, "Items")?, "Items")?));
        }
    }
    Ok(Value::Array(items))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn times() {
        // seconds 1767323045 = 2026-01-02T03:04:05Z, nanos 123456789
        let mut b = vec![0x08];
        let mut v = 1_767_323_045u64;
        while v >= 0x80 {
            b.push((v as u8) | 0x80);
            v >>= 7;
        }
        b.push(v as u8);
        assert_eq!(time(&b, false), Ok(Some(json!("2026-01-02T03:04:05Z"))));
        b.extend_from_slice(&[0x10, 0x95, 0x9a, 0xef, 0x3a]);
        assert_eq!(
            time(&b, true),
            Ok(Some(json!("2026-01-02T03:04:05.123456Z")))
        );
        assert_eq!(time(&[], false), Ok(None));
        assert_eq!(
            time(&[0x08, 0x00, 0x10, 0x00], false),
            Ok(Some(json!("1970-01-01T00:00:00Z")))
        );
    }

    #[test]
    fn durations_like_go() {
        assert_eq!(go_duration(0), "0s");
        assert_eq!(go_duration(1), "1ns");
        assert_eq!(go_duration(1_500), "1.5µs");
        assert_eq!(go_duration(150_000_000), "150ms");
        assert_eq!(go_duration(1_500_000_000), "1.5s");
        assert_eq!(go_duration(3_600_000_000_000), "1h0m0s");
        assert_eq!(go_duration(3_723_000_000_000), "1h2m3s");
        assert_eq!(go_duration(-90_000_000_000), "-1m30s");
        assert_eq!(
            duration(&[0x08, 0x80, 0xaa, 0xce, 0x93, 0x8c, 0x09]),
            Ok(json!("5m12.5s"))
        );
    }

    #[test]
    fn int_or_string_and_quantity() {
        assert_eq!(
            int_or_string(&[0x08, 0x00, 0x10, 0x50, 0x1a, 0x00]),
            Ok((json!(80), false))
        );
        assert_eq!(
            int_or_string(&[0x08, 0x01, 0x10, 0x00, 0x1a, 0x03, b'2', b'5', b'%']),
            Ok((json!("25%"), false))
        );
        assert_eq!(
            int_or_string(&[0x08, 0x00, 0x10, 0x00, 0x1a, 0x00]),
            Ok((json!(0), true))
        );
        assert_eq!(
            quantity(&[0x0a, 0x04, b'1', b'0', b'0', b'm']),
            Ok(json!("100m"))
        );
        assert_eq!(
            string_list(&[0x0a, 1, b'a', 0x0a, 1, b'b']),
            Ok(json!(["a", "b"]))
        );
        assert_eq!(raw_json(b"", "x"), Ok(None));
        assert_eq!(
            raw_json(br#"{"f:a":{}}"#, "x"),
            Ok(Some(json!({"f:a": {}})))
        );
        assert!(raw_json(b"{", "x").is_err());
    }
}
