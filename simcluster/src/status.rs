//! Kubernetes `Status` errors: the one error type of the simulated API server, rendered exactly as
//! kube-apiserver renders them (reason, message, code, `details.causes`).

use serde_json::{Map, Value, json};

/// What went wrong with one field, as in `k8s.io/apimachinery/pkg/util/validation/field`.
#[derive(Debug, Clone, PartialEq)]
pub enum FieldErrorKind {
    /// `Required value`
    Required,
    /// `Invalid value: <value>`
    Invalid(Value),
    /// `Forbidden`
    Forbidden,
    /// `Unsupported value: <value>: supported values: "a", "b"`
    NotSupported(Value, Vec<String>),
    /// `Duplicate value: <value>`
    Duplicate(Value),
    /// `Too long: may not be more than N bytes` (detail carries the text)
    TooLong(Value),
    /// `Too many: N: must have at most M items`
    TooMany(Value),
    /// `Not found: <value>`
    NotFound(Value),
    /// `Invalid value: <value>` with reason FieldValueTypeInvalid
    TypeInvalid(Value),
}

/// One field validation error (`field.Error`).
#[derive(Debug, Clone, PartialEq)]
pub struct FieldError {
    /// The field path, e.g. `spec.containers[0].name`.
    pub field: String,
    /// The kind of problem and the offending value.
    pub kind: FieldErrorKind,
    /// Free text after the value, may be empty.
    pub detail: String,
}

/// Go's `%v`-ish rendering of a value inside a field error (strings quoted, numbers bare).
pub fn render_value(v: &Value) -> String {
    match v {
        Value::String(s) => format!("{s:?}").replace("\\'", "'"),
        Value::Null => "null".into(),
        Value::Array(items) => {
            let inner: Vec<String> = items.iter().map(render_value).collect();
            format!("[{}]", inner.join(","))
        }
        other => other.to_string(),
    }
}

impl FieldError {
    pub fn required(field: impl Into<String>, detail: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            kind: FieldErrorKind::Required,
            detail: detail.into(),
        }
    }
    pub fn invalid(
        field: impl Into<String>,
        value: impl Into<Value>,
        detail: impl Into<String>,
    ) -> Self {
        Self {
            field: field.into(),
            kind: FieldErrorKind::Invalid(value.into()),
            detail: detail.into(),
        }
    }
    pub fn forbidden(field: impl Into<String>, detail: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            kind: FieldErrorKind::Forbidden,
            detail: detail.into(),
        }
    }
    pub fn not_supported(
        field: impl Into<String>,
        value: impl Into<Value>,
        supported: &[&str],
    ) -> Self {
        Self {
            field: field.into(),
            kind: FieldErrorKind::NotSupported(
                value.into(),
                supported.iter().map(|s| s.to_string()).collect(),
            ),
            detail: String::new(),
        }
    }
    pub fn duplicate(field: impl Into<String>, value: impl Into<Value>) -> Self {
        Self {
            field: field.into(),
            kind: FieldErrorKind::Duplicate(value.into()),
            detail: String::new(),
        }
    }
    pub fn too_long(field: impl Into<String>, value: impl Into<Value>, max: usize) -> Self {
        Self {
            field: field.into(),
            kind: FieldErrorKind::TooLong(value.into()),
            detail: format!("may not be more than {max} bytes"),
        }
    }
    pub fn not_found(field: impl Into<String>, value: impl Into<Value>) -> Self {
        Self {
            field: field.into(),
            kind: FieldErrorKind::NotFound(value.into()),
            detail: String::new(),
        }
    }

    /// The `reason` of the cause (`FieldValueRequired`, ...).
    pub fn reason(&self) -> &'static str {
        match self.kind {
            FieldErrorKind::Required => "FieldValueRequired",
            FieldErrorKind::Invalid(_) => "FieldValueInvalid",
            FieldErrorKind::Forbidden => "FieldValueForbidden",
            FieldErrorKind::NotSupported(..) => "FieldValueNotSupported",
            FieldErrorKind::Duplicate(_) => "FieldValueDuplicate",
            FieldErrorKind::TooLong(_) => "FieldValueTooLong",
            FieldErrorKind::TooMany(_) => "FieldValueTooMany",
            FieldErrorKind::NotFound(_) => "FieldValueNotFound",
            FieldErrorKind::TypeInvalid(_) => "FieldValueTypeInvalid",
        }
    }

    /// The message without the field path (`Invalid value: "x": detail`).
    pub fn body(&self) -> String {
        let head = match &self.kind {
            FieldErrorKind::Required => "Required value".to_string(),
            FieldErrorKind::Forbidden => "Forbidden".to_string(),
            FieldErrorKind::Invalid(v) | FieldErrorKind::TypeInvalid(v) => {
                format!("Invalid value: {}", render_value(v))
            }
            FieldErrorKind::NotSupported(v, supported) => {
                let list: Vec<String> = supported.iter().map(|s| format!("{s:?}")).collect();
                let mut s = format!("Unsupported value: {}", render_value(v));
                if !list.is_empty() {
                    s.push_str(&format!(": supported values: {}", list.join(", ")));
                }
                s
            }
            FieldErrorKind::Duplicate(v) => format!("Duplicate value: {}", render_value(v)),
            FieldErrorKind::TooLong(_) => "Too long".to_string(),
            FieldErrorKind::TooMany(v) => format!("Too many: {}", render_value(v)),
            FieldErrorKind::NotFound(v) => format!("Not found: {}", render_value(v)),
        };
        if self.detail.is_empty() {
            head
        } else {
            format!("{head}: {}", self.detail)
        }
    }

    /// The full message with the field path (`spec.x: Invalid value: ...`).
    pub fn message(&self) -> String {
        if self.field.is_empty() {
            self.body()
        } else {
            format!("{}: {}", self.field, self.body())
        }
    }
}

/// A failed API request, rendered as a `Status` object with an HTTP code.
#[derive(Debug, Clone, PartialEq)]
pub struct ApiError {
    pub code: u16,
    pub reason: String,
    pub message: String,
    /// `details`; `None` omits the key, `Some(empty map)` renders `"details": {}`. Boxed: an
    /// error travels in every `Result` of the request path, so it is kept small.
    pub details: Option<Box<Map<String, Value>>>,
    /// Plain text body instead of a Status (the mux's `404 page not found`).
    pub plain_text: bool,
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} ({}): {}", self.code, self.reason, self.message)
    }
}

impl std::error::Error for ApiError {}

/// `details` with name / group / kind (group and name omitted when empty).
pub fn details(name: &str, group: &str, kind: &str) -> Map<String, Value> {
    let mut m = Map::new();
    if !name.is_empty() {
        m.insert("name".into(), json!(name));
    }
    if !group.is_empty() {
        m.insert("group".into(), json!(group));
    }
    if !kind.is_empty() {
        m.insert("kind".into(), json!(kind));
    }
    m
}

/// `plural.group` or `plural` for the core group, as used in messages.
pub fn qualified(plural: &str, group: &str) -> String {
    if group.is_empty() {
        plural.to_string()
    } else {
        format!("{plural}.{group}")
    }
}

impl ApiError {
    pub fn new(code: u16, reason: &str, message: impl Into<String>) -> Self {
        Self {
            code,
            reason: reason.into(),
            message: message.into(),
            details: None,
            plain_text: false,
        }
    }
    pub fn with_details(mut self, d: Map<String, Value>) -> Self {
        self.details = Some(Box::new(d));
        self
    }
    /// The Go mux's `404 page not found` in plain text.
    pub fn page_not_found() -> Self {
        Self {
            plain_text: true,
            ..Self::new(404, "NotFound", "404 page not found\n")
        }
    }
    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::new(400, "BadRequest", message)
    }
    pub fn resource_not_found() -> Self {
        Self::new(
            404,
            "NotFound",
            "the server could not find the requested resource",
        )
        .with_details(Map::new())
    }
    pub fn method_not_allowed() -> Self {
        Self::new(
            405,
            "MethodNotAllowed",
            "the server does not allow this method on the requested resource",
        )
        .with_details(Map::new())
    }
    pub fn not_found(plural: &str, group: &str, name: &str) -> Self {
        Self::new(
            404,
            "NotFound",
            format!("{} {name:?} not found", qualified(plural, group)),
        )
        .with_details(details(name, group, plural))
    }
    pub fn already_exists(plural: &str, group: &str, name: &str) -> Self {
        Self::new(
            409,
            "AlreadyExists",
            format!("{} {name:?} already exists", qualified(plural, group)),
        )
        .with_details(details(name, group, plural))
    }
    pub fn conflict(plural: &str, group: &str, name: &str, why: &str) -> Self {
        Self::new(
            409,
            "Conflict",
            format!(
                "Operation cannot be fulfilled on {} {name:?}: {why}",
                qualified(plural, group)
            ),
        )
        .with_details(details(name, group, plural))
    }
    pub fn modified_conflict(plural: &str, group: &str, name: &str) -> Self {
        Self::conflict(
            plural,
            group,
            name,
            "the object has been modified; please apply your changes to the latest version and try again",
        )
    }
    /// `Kind.group "name" is invalid: ...` with causes (422).
    pub fn invalid(kind: &str, group: &str, name: &str, errs: &[FieldError]) -> Self {
        let what = if group.is_empty() {
            kind.to_string()
        } else {
            format!("{kind}.{group}")
        };
        let summary = if errs.len() == 1 {
            errs[0].message()
        } else {
            format!(
                "[{}]",
                errs.iter()
                    .map(FieldError::message)
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        };
        let mut d = details(name, group, kind);
        let causes: Vec<Value> = errs
            .iter()
            .map(|e| json!({"reason": e.reason(), "message": e.body(), "field": e.field}))
            .collect();
        d.insert("causes".into(), Value::Array(causes));
        Self::new(
            422,
            "Invalid",
            format!("{what} {name:?} is invalid: {summary}"),
        )
        .with_details(d)
    }
    /// `plural "name" is forbidden: why` (403).
    pub fn forbidden(plural: &str, group: &str, name: &str, why: &str) -> Self {
        let q = qualified(plural, group);
        let msg = if name.is_empty() {
            format!("{q} is forbidden: {why}")
        } else {
            format!("{q} {name:?} is forbidden: {why}")
        };
        Self::new(403, "Forbidden", msg).with_details(details(name, group, plural))
    }
    pub fn unauthorized() -> Self {
        Self::new(401, "Unauthorized", "Unauthorized")
    }
    pub fn internal(message: impl Into<String>) -> Self {
        Self::new(500, "InternalError", message)
    }
    pub fn too_large() -> Self {
        Self::new(
            413,
            "RequestEntityTooLarge",
            "Request entity too large: limit is 3145728",
        )
    }

    /// The `Status` object.
    pub fn to_status(&self) -> Value {
        let mut m = Map::new();
        m.insert("kind".into(), json!("Status"));
        m.insert("apiVersion".into(), json!("v1"));
        m.insert("metadata".into(), json!({}));
        m.insert("status".into(), json!("Failure"));
        m.insert("message".into(), json!(self.message));
        if !self.reason.is_empty() {
            m.insert("reason".into(), json!(self.reason));
        }
        if let Some(d) = &self.details {
            m.insert("details".into(), Value::Object((**d).clone()));
        }
        m.insert("code".into(), json!(self.code));
        Value::Object(m)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invalid_message_joins_several_causes() {
        let e = ApiError::invalid(
            "Pod",
            "",
            "bad",
            &[
                FieldError::required("spec.containers[0].image", ""),
                FieldError::not_supported(
                    "spec.restartPolicy",
                    "Sometimes",
                    &["Always", "OnFailure", "Never"],
                ),
            ],
        );
        assert_eq!(
            e.message,
            "Pod \"bad\" is invalid: [spec.containers[0].image: Required value, spec.restartPolicy: Unsupported value: \"Sometimes\": supported values: \"Always\", \"OnFailure\", \"Never\"]"
        );
        assert_eq!(
            e.to_status()["details"]["causes"][1]["reason"],
            "FieldValueNotSupported"
        );
    }

    #[test]
    fn numbers_render_bare() {
        let e = FieldError::invalid("spec.replicas", -1, "must be greater than or equal to 0");
        assert_eq!(
            e.body(),
            "Invalid value: -1: must be greater than or equal to 0"
        );
    }
}
