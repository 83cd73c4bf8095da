//! The `paths` of the OpenAPI documents: the REST operations of every served resource (with
//! `x-kubernetes-group-version-kind` and the query parameters kubectl looks for, such as
//! `fieldValidation` on PATCH), rendered as swagger 2.0 or OpenAPI 3.0.

use super::registry::{KindInfo, Registry, Verbs};

mod render;

pub(crate) use render::render;

/// group, version, kind
pub(crate) type Gvk = (&'static str, &'static str, &'static str);

/// One REST operation, independent of the OpenAPI version.
pub(crate) struct Operation {
    pub method: &'static str,
    pub id: String,
    pub desc: String,
    pub action: &'static str,
    pub gvk: Option<Gvk>,
    pub query: &'static [&'static str],
    /// definition of the request body; patches take `meta.v1.Patch` in the patch media types
    pub body: Option<String>,
    pub patch: bool,
    /// definition of the response, None for a plain string
    pub response: Option<String>,
    pub codes: &'static [&'static str],
    pub tag: String,
}

/// A path with its path-level parameters and operations.
pub(crate) struct PathItem {
    pub path: String,
    pub params: Vec<&'static str>,
    pub ops: Vec<Operation>,
}

const LIST_Q: &[&str] = &[
    "allowWatchBookmarks",
    "continue",
    "fieldSelector",
    "labelSelector",
    "limit",
    "resourceVersion",
    "resourceVersionMatch",
    "sendInitialEvents",
    "timeoutSeconds",
    "watch",
];
const WRITE_Q: &[&str] = &["dryRun", "fieldManager", "fieldValidation"];
const PATCH_Q: &[&str] = &["dryRun", "fieldManager", "fieldValidation", "force"];
const DELETE_Q: &[&str] = &[
    "dryRun",
    "gracePeriodSeconds",
    "ignoreStoreReadErrorWithClusterBreakingPotential",
    "orphanDependents",
    "propagationPolicy",
];
const DELETE_COLLECTION_Q: &[&str] = &[
    "continue",
    "dryRun",
    "fieldSelector",
    "gracePeriodSeconds",
    "ignoreStoreReadErrorWithClusterBreakingPotential",
    "labelSelector",
    "limit",
    "orphanDependents",
    "propagationPolicy",
    "resourceVersion",
    "resourceVersionMatch",
    "sendInitialEvents",
    "timeoutSeconds",
];

const DELETE_OPTIONS: &str = "io.k8s.apimachinery.pkg.apis.meta.v1.DeleteOptions";
const STATUS: &str = "io.k8s.apimachinery.pkg.apis.meta.v1.Status";
const PATCH: &str = "io.k8s.apimachinery.pkg.apis.meta.v1.Patch";

/// `rbac.authorization.k8s.io` -> `RbacAuthorization`, `` -> `Core`
pub(crate) fn group_camel(group: &str) -> String {
    if group.is_empty() {
        return "Core".into();
    }
    let g = group.strip_suffix(".k8s.io").unwrap_or(group);
    g.split('.').map(capitalize).collect()
}

fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

/// `core_v1`, `rbacAuthorization_v1`
pub(crate) fn tag(group: &str, version: &str) -> String {
    let camel = group_camel(group);
    let mut c = camel.chars();
    let first: String = c
        .next()
        .map(|f| f.to_lowercase().collect())
        .unwrap_or_default();
    format!("{first}{}_{version}", c.as_str())
}

fn prefix(group: &str, version: &str) -> String {
    if group.is_empty() {
        format!("/api/{version}")
    } else {
        format!("/apis/{group}/{version}")
    }
}

fn gvk_of(reg: &Registry, def: &str) -> Option<Gvk> {
    reg.kinds
        .iter()
        .find(|k| k.def == def)
        .map(|k| (k.group, k.version, k.kind))
        .or_else(|| {
            reg.extra
                .iter()
                .find(|e| e.def == def)
                .map(|e| (e.group, e.version, e.kind))
        })
}

fn op(
    method: &'static str,
    verb: &str,
    k: &KindInfo,
    what: &str,
    action: &'static str,
    desc: String,
    query: &'static [&'static str],
) -> Operation {
    let gv = format!("{}{}", group_camel(k.group), capitalize(k.version));
    Operation {
        method,
        id: format!("{verb}{gv}{what}"),
        desc,
        action,
        gvk: Some((k.group, k.version, k.kind)),
        query,
        body: None,
        patch: false,
        response: Some(k.def.clone()),
        codes: &["200"],
        tag: tag(k.group, k.version),
    }
}

/// All paths of one group version.
pub(crate) fn gv_paths(reg: &Registry, group: &str, version: &str) -> Vec<PathItem> {
    let root = prefix(group, version);
    let mut items = vec![PathItem {
        path: format!("{root}/"),
        params: vec![],
        ops: vec![Operation {
            method: "get",
            id: format!(
                "get{}{}APIResources",
                group_camel(group),
                capitalize(version)
            ),
            desc: "get available resources".into(),
            action: "",
            gvk: None,
            query: &[],
            body: None,
            patch: false,
            response: Some("io.k8s.apimachinery.pkg.apis.meta.v1.APIResourceList".into()),
            codes: &["200"],
            tag: tag(group, version),
        }],
    }];
    for k in reg
        .kinds
        .iter()
        .filter(|k| k.group == group && k.version == version)
    {
        items.extend(kind_paths(reg, k, &root));
    }
    items
}

fn kind_paths(reg: &Registry, k: &KindInfo, root: &str) -> Vec<PathItem> {
    let ns = if k.namespaced { "Namespaced" } else { "" };
    let coll = if k.namespaced {
        format!("{root}/namespaces/{{namespace}}/{}", k.plural)
    } else {
        format!("{root}/{}", k.plural)
    };
    let coll_params = if k.namespaced {
        vec!["namespace", "pretty"]
    } else {
        vec!["pretty"]
    };
    let item_params = if k.namespaced {
        vec!["name", "namespace", "pretty"]
    } else {
        vec!["name", "pretty"]
    };
    let kind = k.kind;
    let mut out = Vec::new();
    let list_def = k.list_kind.map(|l| super::registry::list_def_name(k, l));

    let mut create = op(
        "post",
        "create",
        k,
        &format!("{ns}{kind}"),
        "post",
        format!("create a {kind}"),
        WRITE_Q,
    );
    create.body = Some(k.def.clone());
    create.codes = &["200", "201", "202"];
    let mut coll_ops = Vec::new();
    if k.verbs != Verbs::CreateOnly {
        let mut list = op(
            "get",
            "list",
            k,
            &format!("{ns}{kind}"),
            "list",
            format!("list or watch objects of kind {kind}"),
            LIST_Q,
        );
        list.response = list_def.clone();
        coll_ops.push(list);
    }
    if k.verbs != Verbs::ReadOnly {
        coll_ops.push(create);
    }
    if k.verbs == Verbs::All {
        let mut dc = op(
            "delete",
            "delete",
            k,
            &format!("Collection{ns}{kind}"),
            "deletecollection",
            format!("delete collection of {kind}"),
            DELETE_COLLECTION_Q,
        );
        dc.id = format!(
            "delete{}{}Collection{ns}{kind}",
            group_camel(k.group),
            capitalize(k.version)
        );
        dc.body = Some(DELETE_OPTIONS.into());
        dc.response = Some(STATUS.into());
        coll_ops.push(dc);
    }
    out.push(PathItem {
        path: coll.clone(),
        params: coll_params,
        ops: coll_ops,
    });
    if k.namespaced && k.verbs == Verbs::All {
        let mut all = op(
            "get",
            "list",
            k,
            &format!("{kind}ForAllNamespaces"),
            "list",
            format!("list or watch objects of kind {kind}"),
            LIST_Q,
        );
        all.response = list_def;
        out.push(PathItem {
            path: format!("{root}/{}", k.plural),
            params: vec!["pretty"],
            ops: vec![all],
        });
    }
    if k.verbs == Verbs::CreateOnly {
        return out;
    }
    let mut item_ops = vec![op(
        "get",
        "read",
        k,
        &format!("{ns}{kind}"),
        "get",
        format!("read the specified {kind}"),
        &[],
    )];
    if k.verbs == Verbs::All {
        let mut put = op(
            "put",
            "replace",
            k,
            &format!("{ns}{kind}"),
            "put",
            format!("replace the specified {kind}"),
            WRITE_Q,
        );
        put.body = Some(k.def.clone());
        put.codes = &["200", "201"];
        let mut patch = op(
            "patch",
            "patch",
            k,
            &format!("{ns}{kind}"),
            "patch",
            format!("partially update the specified {kind}"),
            PATCH_Q,
        );
        patch.body = Some(PATCH.into());
        patch.patch = true;
        patch.codes = &["200", "201"];
        let mut del = op(
            "delete",
            "delete",
            k,
            &format!("{ns}{kind}"),
            "delete",
            format!("delete a {kind}"),
            DELETE_Q,
        );
        del.body = Some(DELETE_OPTIONS.into());
        del.response = Some(STATUS.into());
        del.codes = &["200", "202"];
        item_ops.extend([put, patch, del]);
    }
    let item = format!("{coll}/{{name}}");
    out.push(PathItem {
        path: item.clone(),
        params: item_params.clone(),
        ops: item_ops,
    });

    for sub in k.subresources {
        let camel = capitalize(sub);
        let what = format!("{ns}{kind}{camel}");
        let (body_def, methods): (String, &[&str]) = match *sub {
            "scale" => (
                "io.k8s.api.autoscaling.v1.Scale".into(),
                &["get", "put", "patch"],
            ),
            "binding" => ("io.k8s.api.core.v1.Binding".into(), &["post"]),
            "eviction" => ("io.k8s.api.policy.v1.Eviction".into(), &["post"]),
            "token" => (
                "io.k8s.api.authentication.v1.TokenRequest".into(),
                &["post"],
            ),
            "finalize" => (k.def.clone(), &["put"]),
            _ => (k.def.clone(), &["get", "put", "patch"]),
        };
        let gvk = gvk_of(reg, &body_def);
        let ops = methods
            .iter()
            .map(|m| {
                let mut o = match *m {
                    "get" => op(
                        "get",
                        "read",
                        k,
                        &what,
                        "get",
                        format!("read {sub} of the specified {kind}"),
                        &[],
                    ),
                    "put" => op(
                        "put",
                        "replace",
                        k,
                        &what,
                        "put",
                        format!("replace {sub} of the specified {kind}"),
                        WRITE_Q,
                    ),
                    "patch" => op(
                        "patch",
                        "patch",
                        k,
                        &what,
                        "patch",
                        format!("partially update {sub} of the specified {kind}"),
                        PATCH_Q,
                    ),
                    _ => op(
                        "post",
                        "create",
                        k,
                        &what,
                        "post",
                        format!("create {sub} of a {kind}"),
                        WRITE_Q,
                    ),
                };
                o.gvk = gvk;
                o.response = Some(body_def.clone());
                match *m {
                    "put" => (o.body, o.codes) = (Some(body_def.clone()), &["200", "201"]),
                    "patch" => {
                        (o.body, o.patch, o.codes) = (Some(PATCH.into()), true, &["200", "201"])
                    }
                    "post" => (o.body, o.codes) = (Some(body_def.clone()), &["200", "201", "202"]),
                    _ => {}
                }
                o
            })
            .collect();
        out.push(PathItem {
            path: format!("{item}/{sub}"),
            params: item_params.clone(),
            ops,
        });
    }
    out
}
