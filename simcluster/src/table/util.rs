//! Small helpers shared by the Table printers: JSON access, ages (`duration.HumanDuration`),
//! label and label-selector formatting, container name/image columns.

use chrono::{DateTime, Utc};
use serde_json::{Value, json};

/// A column definition of a Table (`metav1.TableColumnDefinition`).
#[derive(Debug, Clone)]
pub(crate) struct Col {
    pub name: &'static str,
    pub typ: &'static str,
    pub format: &'static str,
    pub desc: &'static str,
    pub priority: i32,
}

impl Col {
    pub fn to_json(&self) -> Value {
        json!({
            "name": self.name,
            "type": self.typ,
            "format": self.format,
            "description": self.desc,
            "priority": self.priority,
        })
    }
}

/// A priority-0 column.
pub(crate) fn col(name: &'static str, typ: &'static str, desc: &'static str) -> Col {
    Col {
        name,
        typ,
        format: "",
        desc,
        priority: 0,
    }
}

/// A priority-1 column (shown by `kubectl get -o wide`).
pub(crate) fn wide(name: &'static str, typ: &'static str, desc: &'static str) -> Col {
    Col {
        name,
        typ,
        format: "",
        desc,
        priority: 1,
    }
}

/// The `Name` column every printer starts with.
pub(crate) fn name_col() -> Col {
    Col {
        name: "Name",
        typ: "string",
        format: "name",
        desc: super::docs::META_NAME,
        priority: 0,
    }
}

/// The `Age` column.
pub(crate) fn age_col() -> Col {
    col("Age", "string", super::docs::META_CREATION)
}

/// One row: its cells and optional row conditions.
#[derive(Debug, Clone, Default)]
pub(crate) struct Row {
    pub cells: Vec<Value>,
    pub conditions: Option<Value>,
}

impl Row {
    pub fn new(cells: Vec<Value>) -> Row {
        Row {
            cells,
            conditions: None,
        }
    }
}

/// Everything a row printer needs besides the object.
pub(crate) struct Ctx {
    pub now: DateTime<Utc>,
}

/// The string at a JSON pointer, or "" when absent or not a string.
pub(crate) fn s<'a>(v: &'a Value, ptr: &str) -> &'a str {
    v.pointer(ptr).and_then(Value::as_str).unwrap_or("")
}

/// The integer at a JSON pointer, or 0.
pub(crate) fn i(v: &Value, ptr: &str) -> i64 {
    v.pointer(ptr).and_then(Value::as_i64).unwrap_or(0)
}

/// The array at a JSON pointer, or an empty slice.
pub(crate) fn arr<'a>(v: &'a Value, ptr: &str) -> &'a [Value] {
    v.pointer(ptr)
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or(&[])
}

/// Number of keys of the object at a JSON pointer (0 when absent).
pub(crate) fn map_len(v: &Value, ptr: &str) -> usize {
    v.pointer(ptr)
        .and_then(Value::as_object)
        .map(|m| m.len())
        .unwrap_or(0)
}

/// Whether a value is present and not null.
pub(crate) fn has(v: &Value, ptr: &str) -> bool {
    v.pointer(ptr).is_some_and(|x| !x.is_null())
}

/// The object's name.
pub(crate) fn name(v: &Value) -> Value {
    Value::String(s(v, "/metadata/name").to_string())
}

/// Parses an RFC 3339 timestamp (`metav1.Time` or `metav1.MicroTime`).
pub(crate) fn parse_time(ts: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(ts)
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

/// `duration.HumanDuration` of k8s.io/apimachinery.
pub(crate) fn human_duration(d: chrono::Duration) -> String {
    let nanos = d
        .num_nanoseconds()
        .unwrap_or(if d < chrono::Duration::zero() {
            i64::MIN
        } else {
            i64::MAX
        });
    let seconds = nanos / 1_000_000_000; // truncation toward zero, like int(d.Seconds())
    if seconds < -1 {
        return "<invalid>".to_string();
    } else if seconds < 0 {
        return "0s".to_string();
    } else if seconds < 60 * 2 {
        return format!("{seconds}s");
    }
    let minutes = seconds / 60;
    if minutes < 10 {
        let s = seconds % 60;
        if s == 0 {
            return format!("{minutes}m");
        }
        return format!("{minutes}m{s}s");
    } else if minutes < 60 * 3 {
        return format!("{minutes}m");
    }
    let hours = seconds / 3600;
    if hours < 8 {
        let m = minutes % 60;
        if m == 0 {
            return format!("{hours}h");
        }
        return format!("{hours}h{m}m");
    } else if hours < 48 {
        return format!("{hours}h");
    } else if hours < 24 * 8 {
        let h = hours % 24;
        if h == 0 {
            return format!("{}d", hours / 24);
        }
        return format!("{}d{}h", hours / 24, h);
    } else if hours < 24 * 365 * 2 {
        return format!("{}d", hours / 24);
    } else if hours < 24 * 365 * 8 {
        let dy = (hours / 24) % 365;
        if dy == 0 {
            return format!("{}y", hours / 24 / 365);
        }
        return format!("{}y{}d", hours / 24 / 365, dy);
    }
    format!("{}y", hours / 24 / 365)
}

/// `translateTimestampSince`: the age of a timestamp, `<unknown>` when it is unset.
pub(crate) fn since_str(ts: &str, now: DateTime<Utc>) -> String {
    match parse_time(ts) {
        Some(t) => human_duration(now - t),
        None => "<unknown>".to_string(),
    }
}

/// `translateTimestampSince` of the timestamp at a JSON pointer.
pub(crate) fn since(v: &Value, ptr: &str, now: DateTime<Utc>) -> String {
    since_str(s(v, ptr), now)
}

/// The Age cell of an object.
pub(crate) fn age(v: &Value, ctx: &Ctx) -> Value {
    Value::String(since(v, "/metadata/creationTimestamp", ctx.now))
}

/// `labels.Set(m).String()`: sorted `k=v` pairs joined by commas.
pub(crate) fn labels_string(m: Option<&Value>) -> String {
    let Some(map) = m.and_then(Value::as_object) else {
        return String::new();
    };
    let mut pairs: Vec<(&String, String)> = map
        .iter()
        .map(|(k, v)| (k, v.as_str().unwrap_or("").to_string()))
        .collect();
    pairs.sort_by(|a, b| a.0.cmp(b.0));
    pairs
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join(",")
}

/// `labels.FormatLabels`: like [`labels_string`] but `<none>` when empty.
pub(crate) fn format_labels(m: Option<&Value>) -> String {
    let l = labels_string(m);
    if l.is_empty() {
        "<none>".to_string()
    } else {
        l
    }
}

/// `metav1.LabelSelectorAsSelector(sel).String()`; `Err(())` for an invalid operator.
/// A nil selector selects nothing and prints as "", an empty one selects everything ("").
pub(crate) fn selector_string(sel: Option<&Value>) -> Result<String, ()> {
    let Some(sel) = sel.filter(|v| !v.is_null()) else {
        return Ok(String::new());
    };
    let mut reqs: Vec<(String, String)> = Vec::new();
    if let Some(ml) = sel.get("matchLabels").and_then(Value::as_object) {
        for (k, v) in ml {
            reqs.push((k.clone(), format!("{k}={}", v.as_str().unwrap_or(""))));
        }
    }
    for expr in sel
        .get("matchExpressions")
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or(&[])
    {
        let key = s(expr, "/key").to_string();
        let mut values: Vec<String> = arr(expr, "/values")
            .iter()
            .map(|v| v.as_str().unwrap_or("").to_string())
            .collect();
        let op = s(expr, "/operator");
        let text = match op {
            "In" | "NotIn" => {
                values.sort();
                let word = if op == "In" { "in" } else { "notin" };
                format!("{key} {word} ({})", values.join(","))
            }
            "Exists" => key.clone(),
            "DoesNotExist" => format!("!{key}"),
            _ => return Err(()),
        };
        reqs.push((key, text));
    }
    reqs.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(reqs
        .into_iter()
        .map(|(_, t)| t)
        .collect::<Vec<_>>()
        .join(","))
}

/// `metav1.FormatLabelSelector`: the selector string, `<none>` when empty, `<error>` when invalid.
pub(crate) fn format_label_selector(sel: Option<&Value>) -> String {
    match selector_string(sel) {
        Err(()) => "<error>".to_string(),
        Ok(l) if l.is_empty() => "<none>".to_string(),
        Ok(l) => l,
    }
}

/// `layoutContainerCells`: container names and images joined by commas.
pub(crate) fn layout_containers(containers: &[Value]) -> (Value, Value) {
    let names: Vec<&str> = containers.iter().map(|c| s(c, "/name")).collect();
    let images: Vec<&str> = containers.iter().map(|c| s(c, "/image")).collect();
    (
        Value::String(names.join(",")),
        Value::String(images.join(",")),
    )
}

/// The `Containers`, `Images` cells of a pod template at `ptr` (e.g. `/spec/template`).
pub(crate) fn template_containers(v: &Value, ptr: &str) -> (Value, Value) {
    layout_containers(arr(v, &format!("{ptr}/spec/containers")))
}

/// Go's `IntOrString.String()` of a JSON value.
pub(crate) fn int_or_string(v: &Value) -> String {
    match v {
        Value::String(x) => x.clone(),
        Value::Number(n) => n.to_string(),
        _ => String::new(),
    }
}

/// `printBoolPtr`: "True", "False" or "<unset>".
pub(crate) fn bool_ptr(v: Option<&Value>) -> String {
    match v.and_then(Value::as_bool) {
        Some(true) => "True".to_string(),
        Some(false) => "False".to_string(),
        None => "<unset>".to_string(),
    }
}

/// `helper.GetAccessModesAsString`: RWO, ROX, RWX, RWOP in that order, without duplicates.
pub(crate) fn access_modes(modes: &[Value]) -> String {
    let has = |m: &str| modes.iter().any(|x| x.as_str() == Some(m));
    let mut out = Vec::new();
    for (mode, short) in [
        ("ReadWriteOnce", "RWO"),
        ("ReadOnlyMany", "ROX"),
        ("ReadWriteMany", "RWX"),
        ("ReadWriteOncePod", "RWOP"),
    ] {
        if has(mode) {
            out.push(short);
        }
    }
    out.join(",")
}

/// Joins up to `max` items, adding " + N more..." like the Go printers' `listWithMoreString`;
/// `empty` is returned for an empty list.
pub(crate) fn list_with_more(items: &[String], max: usize, empty: &str) -> String {
    if items.is_empty() {
        return empty.to_string();
    }
    let shown: Vec<&str> = items.iter().take(max).map(String::as_str).collect();
    let ret = shown.join(",");
    if items.len() > max {
        return format!("{ret} + {} more...", items.len() - max);
    }
    ret
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(secs: i64) -> String {
        human_duration(chrono::Duration::seconds(secs))
    }

    #[test]
    fn human_duration_like_apimachinery() {
        assert_eq!(d(-5), "<invalid>");
        assert_eq!(d(-1), "0s");
        assert_eq!(d(0), "0s");
        assert_eq!(d(5), "5s");
        assert_eq!(d(119), "119s");
        assert_eq!(d(120), "2m");
        assert_eq!(d(182), "3m2s");
        assert_eq!(d(600), "10m");
        assert_eq!(d(179 * 60 + 59), "179m");
        assert_eq!(d(3 * 3600), "3h");
        assert_eq!(d(5 * 3600 + 30 * 60), "5h30m");
        assert_eq!(d(8 * 3600 + 5), "8h");
        assert_eq!(d(47 * 3600), "47h");
        assert_eq!(d(3 * 86400), "3d");
        assert_eq!(d(3 * 86400 + 5 * 3600), "3d5h");
        assert_eq!(d(10 * 86400), "10d");
        assert_eq!(d(2 * 365 * 86400), "2y");
        assert_eq!(d(2 * 365 * 86400 + 10 * 86400), "2y10d");
        assert_eq!(d(9 * 365 * 86400 + 10 * 86400), "9y");
        assert_eq!(human_duration(chrono::Duration::milliseconds(-1500)), "0s");
    }

    #[test]
    fn selectors_and_labels() {
        let sel = json!({"matchLabels": {"b": "2", "a": "1"},
            "matchExpressions": [{"key": "env", "operator": "In", "values": ["prod", "dev"]},
                                 {"key": "x", "operator": "DoesNotExist"},
                                 {"key": "c", "operator": "Exists"}]});
        assert_eq!(
            format_label_selector(Some(&sel)),
            "a=1,b=2,c,env in (dev,prod),!x"
        );
        assert_eq!(format_label_selector(Some(&json!({}))), "<none>");
        assert_eq!(format_label_selector(None), "<none>");
        assert_eq!(
            format_label_selector(Some(
                &json!({"matchExpressions": [{"key": "a", "operator": "Bad"}]})
            )),
            "<error>"
        );
        assert_eq!(
            format_labels(Some(&json!({"z": "1", "app": "web"}))),
            "app=web,z=1"
        );
        assert_eq!(format_labels(None), "<none>");
        assert_eq!(
            access_modes(&[json!("ReadWriteMany"), json!("ReadWriteOnce")]),
            "RWO,RWX"
        );
    }
}
