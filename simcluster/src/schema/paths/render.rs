//! Rendering one path item of the OpenAPI documents: its parameters, request bodies, media
//! types and responses, as swagger 2.0 or OpenAPI 3.0.

use serde_json::{Map, Value, json};

use super::{Operation, PathItem};

/// (name, in, type, description) of every parameter used.
const PARAMS: &[(&str, &str, &str, &str)] = &[
    ("name", "path", "string", "name of the resource"),
    (
        "namespace",
        "path",
        "string",
        "object name and auth scope, such as for teams and projects",
    ),
    (
        "pretty",
        "query",
        "string",
        "If 'true', then the output is pretty printed. Defaults to 'false' unless the user-agent indicates a browser or command-line HTTP tool (curl and wget).",
    ),
    (
        "allowWatchBookmarks",
        "query",
        "boolean",
        "allowWatchBookmarks requests watch events with type \"BOOKMARK\". Servers that do not implement bookmarks may ignore this flag and bookmarks are sent at the server's discretion.",
    ),
    (
        "continue",
        "query",
        "string",
        "The continue option should be set when retrieving more results from the server.",
    ),
    (
        "fieldSelector",
        "query",
        "string",
        "A selector to restrict the list of returned objects by their fields. Defaults to everything.",
    ),
    (
        "labelSelector",
        "query",
        "string",
        "A selector to restrict the list of returned objects by their labels. Defaults to everything.",
    ),
    (
        "limit",
        "query",
        "integer",
        "limit is a maximum number of responses to return for a list call.",
    ),
    (
        "resourceVersion",
        "query",
        "string",
        "resourceVersion sets a constraint on what resource versions a request may be served from. Defaults to unset",
    ),
    (
        "resourceVersionMatch",
        "query",
        "string",
        "resourceVersionMatch determines how resourceVersion is applied to list calls. Defaults to unset",
    ),
    (
        "sendInitialEvents",
        "query",
        "boolean",
        "`sendInitialEvents=true` may be set together with `watch=true`. In that case, the watch stream will begin with synthetic events to produce the current state of objects in the collection.",
    ),
    (
        "timeoutSeconds",
        "query",
        "integer",
        "Timeout for the list/watch call. This limits the duration of the call, regardless of any activity or inactivity.",
    ),
    (
        "watch",
        "query",
        "boolean",
        "Watch for changes to the described resources and return them as a stream of add, update, and remove notifications. Specify resourceVersion.",
    ),
    (
        "dryRun",
        "query",
        "string",
        "When present, indicates that modifications should not be persisted. An invalid or unrecognized dryRun directive will result in an error response and no further processing of the request. Valid values are: - All: all dry run stages will be processed",
    ),
    (
        "fieldManager",
        "query",
        "string",
        "fieldManager is a name associated with the actor or entity that is making these changes. The value must be less than or 128 characters long, and only contain printable characters, as defined by https://golang.org/pkg/unicode/#IsPrint.",
    ),
    (
        "fieldValidation",
        "query",
        "string",
        "fieldValidation instructs the server on how to handle objects in the request (POST/PUT/PATCH) containing unknown or duplicate fields. Valid values are: - Ignore: This will ignore any unknown fields that are silently dropped from the object, and will ignore all but the last duplicate field that the decoder encounters. This is the default behavior prior to v1.23. - Warn: This will send a warning via the standard warning response header for each unknown field that is dropped from the object, and for each duplicate field that is encountered. The request will still succeed if there are no other errors, and will only persist the last of any duplicate fields. This is the default in v1.23+ - Strict: This will fail the request with a BadRequest error if any unknown fields would be dropped from the object, or if any duplicate fields are present. The error returned from the server will contain all unknown and duplicate fields encountered.",
    ),
    (
        "force",
        "query",
        "boolean",
        "Force is going to \"force\" Apply requests. It means user will re-acquire conflicting fields owned by other people. Force flag must be unset for non-apply patch requests.",
    ),
    (
        "gracePeriodSeconds",
        "query",
        "integer",
        "The duration in seconds before the object should be deleted. Value must be non-negative integer. The value zero indicates delete immediately. If this value is nil, the default grace period for the specified type will be used. Defaults to a per object value if not specified. zero means delete immediately.",
    ),
    (
        "ignoreStoreReadErrorWithClusterBreakingPotential",
        "query",
        "boolean",
        "if set to true, it will trigger an unsafe deletion of the resource in case the normal deletion flow fails with a corrupt object error.",
    ),
    (
        "orphanDependents",
        "query",
        "boolean",
        "Deprecated: please use the PropagationPolicy, this field will be deprecated in 1.7. Should the dependent objects be orphaned. If true/false, the \"orphan\" finalizer will be added to/removed from the object's finalizers list. Either this field or PropagationPolicy may be set, but not both.",
    ),
    (
        "propagationPolicy",
        "query",
        "string",
        "Whether and how garbage collection will be performed. Either this field or OrphanDependents may be set, but not both. The default policy is decided by the existing finalizer set in the metadata.finalizers and the resource-specific default policy. Acceptable values are: 'Orphan' - orphan the dependents; 'Background' - allow the garbage collector to delete the dependents in the background; 'Foreground' - a cascading policy that deletes all dependents in the foreground.",
    ),
];

fn param(name: &str, v3: bool) -> Value {
    let (_, loc, ty, desc) = PARAMS
        .iter()
        .find(|p| p.0 == name)
        .copied()
        .unwrap_or((name, "query", "string", ""));
    let mut p = Map::new();
    p.insert("name".into(), name.into());
    p.insert("in".into(), loc.into());
    p.insert("description".into(), desc.into());
    if loc == "path" {
        p.insert("required".into(), true.into());
    }
    if v3 {
        p.insert("schema".into(), json!({"type": ty, "uniqueItems": true}));
    } else {
        p.insert("type".into(), ty.into());
        p.insert("uniqueItems".into(), true.into());
    }
    Value::Object(p)
}

const MEDIA: &[&str] = &[
    "application/json",
    "application/yaml",
    "application/vnd.kubernetes.protobuf",
];
const PATCH_MEDIA: &[&str] = &[
    "application/apply-patch+yaml",
    "application/json-patch+json",
    "application/merge-patch+json",
    "application/strategic-merge-patch+json",
];

fn schema_ref(def: &Option<String>, v3: bool) -> Value {
    match def {
        Some(d) if v3 => json!({"$ref": format!("#/components/schemas/{d}")}),
        Some(d) => json!({"$ref": format!("#/definitions/{d}")}),
        None => json!({"type": "string"}),
    }
}

fn status_text(code: &str) -> &'static str {
    match code {
        "201" => "Created",
        "202" => "Accepted",
        _ => "OK",
    }
}

fn render_op(o: &Operation, v3: bool) -> Value {
    let mut m = Map::new();
    m.insert("tags".into(), json!([o.tag]));
    m.insert("description".into(), o.desc.clone().into());
    if v3 {
        m.insert("operationId".into(), o.id.clone().into());
    } else {
        m.insert(
            "consumes".into(),
            if o.patch {
                json!(PATCH_MEDIA)
            } else {
                json!(["*/*"])
            },
        );
        m.insert("produces".into(), json!(MEDIA));
        m.insert("schemes".into(), json!(["https"]));
        m.insert("operationId".into(), o.id.clone().into());
    }
    let mut params: Vec<Value> = Vec::new();
    if !v3 && let Some(body) = &o.body {
        params.push(json!({"name": "body", "in": "body", "required": o.method != "delete", "schema": schema_ref(&Some(body.clone()), false)}));
    }
    params.extend(o.query.iter().map(|q| param(q, v3)));
    if !params.is_empty() {
        m.insert("parameters".into(), Value::Array(params));
    }
    if v3 && let Some(body) = &o.body {
        let media: &[&str] = if o.patch { PATCH_MEDIA } else { &["*/*"] };
        let content: Map<String, Value> = media
            .iter()
            .map(|t| {
                (
                    t.to_string(),
                    json!({"schema": schema_ref(&Some(body.clone()), true)}),
                )
            })
            .collect();
        let mut rb = json!({"content": content});
        if o.method != "delete" {
            rb["required"] = true.into();
        }
        m.insert("requestBody".into(), rb);
    }
    let mut responses = Map::new();
    for code in o.codes {
        let r = if v3 {
            let content: Map<String, Value> = MEDIA
                .iter()
                .map(|t| {
                    (
                        t.to_string(),
                        json!({"schema": schema_ref(&o.response, true)}),
                    )
                })
                .collect();
            json!({"description": status_text(code), "content": content})
        } else {
            json!({"description": status_text(code), "schema": schema_ref(&o.response, false)})
        };
        responses.insert(code.to_string(), r);
    }
    responses.insert("401".into(), json!({"description": "Unauthorized"}));
    m.insert("responses".into(), Value::Object(responses));
    if !o.action.is_empty() {
        m.insert("x-kubernetes-action".into(), o.action.into());
    }
    if let Some((g, v, k)) = o.gvk {
        m.insert(
            "x-kubernetes-group-version-kind".into(),
            json!({"group": g, "kind": k, "version": v}),
        );
    }
    Value::Object(m)
}

/// Renders a path item as (path, object) for swagger 2.0 (`v3 == false`) or OpenAPI 3.0.
pub(crate) fn render(item: &PathItem, v3: bool) -> (String, Value) {
    let mut m = Map::new();
    for o in &item.ops {
        m.insert(o.method.into(), render_op(o, v3));
    }
    if !item.params.is_empty() {
        m.insert(
            "parameters".into(),
            item.params.iter().map(|p| param(p, v3)).collect(),
        );
    }
    (item.path.clone(), Value::Object(m))
}
