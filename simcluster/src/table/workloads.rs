//! Printers of the workload controllers: replicationcontrollers, replicasets, deployments,
//! statefulsets, daemonsets, jobs, cronjobs, controllerrevisions, podtemplates,
//! poddisruptionbudgets.

use serde_json::{Value, json};

use super::docs as d;
use super::util::{
    Col, Ctx, Row, age, age_col, arr, bool_ptr, col, format_label_selector, format_labels, has,
    human_duration, i, int_or_string, name, name_col, parse_time, s, selector_string,
    template_containers, wide,
};

const CONTAINERS: &str = "Names of each container in the template.";
const IMAGES: &str = "Images referenced by each container in the template.";

pub(crate) fn printer(group: &str, plural: &str) -> Option<(Vec<Col>, super::RowFn)> {
    let p: (Vec<Col>, super::RowFn) = match (group, plural) {
        ("", "replicationcontrollers") => (replica_cols(true), replication_controller),
        ("apps", "replicasets") => (replica_cols(false), replica_set),
        ("apps", "deployments") => (deployment_cols(), deployment),
        ("apps", "statefulsets") => (statefulset_cols(), statefulset),
        ("apps", "daemonsets") => (daemonset_cols(), daemonset),
        ("apps", "controllerrevisions") => (controller_revision_cols(), controller_revision),
        ("batch", "jobs") => (job_cols(), job),
        ("batch", "cronjobs") => (cronjob_cols(), cronjob),
        ("", "podtemplates") => (pod_template_cols(), pod_template),
        ("policy", "poddisruptionbudgets") => (pdb_cols(), pdb),
        _ => return None,
    };
    Some(p)
}

/// `spec.replicas` after defaulting (1 when absent).
fn desired(o: &Value) -> i64 {
    o.pointer("/spec/replicas")
        .and_then(Value::as_i64)
        .unwrap_or(1)
}

fn replica_cols(rc: bool) -> Vec<Col> {
    let (desired, current, ready, selector) = if rc {
        (
            d::RC_SPEC_REPLICAS,
            d::RC_STATUS_REPLICAS,
            d::RC_STATUS_READY,
            d::RC_SPEC_SELECTOR,
        )
    } else {
        (
            d::RS_SPEC_REPLICAS,
            d::RS_STATUS_REPLICAS,
            d::RS_STATUS_READY,
            d::RS_SPEC_SELECTOR,
        )
    };
    vec![
        name_col(),
        col("Desired", "integer", desired),
        col("Current", "integer", current),
        col("Ready", "integer", ready),
        age_col(),
        wide("Containers", "string", CONTAINERS),
        wide("Images", "string", IMAGES),
        wide("Selector", "string", selector),
    ]
}

fn replication_controller(o: &Value, ctx: &Ctx) -> Row {
    let (names, images) = template_containers(o, "/spec/template");
    Row::new(vec![
        name(o),
        json!(desired(o)),
        json!(i(o, "/status/replicas")),
        json!(i(o, "/status/readyReplicas")),
        age(o, ctx),
        names,
        images,
        json!(format_labels(o.pointer("/spec/selector"))),
    ])
}

fn replica_set(o: &Value, ctx: &Ctx) -> Row {
    let (names, images) = template_containers(o, "/spec/template");
    Row::new(vec![
        name(o),
        json!(desired(o)),
        json!(i(o, "/status/replicas")),
        json!(i(o, "/status/readyReplicas")),
        age(o, ctx),
        names,
        images,
        json!(format_label_selector(o.pointer("/spec/selector"))),
    ])
}

fn deployment_cols() -> Vec<Col> {
    vec![
        name_col(),
        col("Ready", "string", "Number of the pod with ready state"),
        col("Up-to-date", "string", d::DEPLOY_UPDATED),
        col("Available", "string", d::DEPLOY_AVAILABLE),
        age_col(),
        wide("Containers", "string", CONTAINERS),
        wide("Images", "string", IMAGES),
        wide("Selector", "string", d::DEPLOY_SELECTOR),
    ]
}

fn deployment(o: &Value, ctx: &Ctx) -> Row {
    let (names, images) = template_containers(o, "/spec/template");
    let selector =
        selector_string(o.pointer("/spec/selector")).unwrap_or_else(|()| "<invalid>".to_string());
    Row::new(vec![
        name(o),
        json!(format!("{}/{}", i(o, "/status/readyReplicas"), desired(o))),
        json!(i(o, "/status/updatedReplicas")),
        json!(i(o, "/status/availableReplicas")),
        age(o, ctx),
        names,
        images,
        json!(selector),
    ])
}

fn statefulset_cols() -> Vec<Col> {
    vec![
        name_col(),
        col("Ready", "string", "Number of the pod with ready state"),
        age_col(),
        wide("Containers", "string", CONTAINERS),
        wide("Images", "string", IMAGES),
    ]
}

fn statefulset(o: &Value, ctx: &Ctx) -> Row {
    let (names, images) = template_containers(o, "/spec/template");
    Row::new(vec![
        name(o),
        json!(format!("{}/{}", i(o, "/status/readyReplicas"), desired(o))),
        age(o, ctx),
        names,
        images,
    ])
}

fn daemonset_cols() -> Vec<Col> {
    vec![
        name_col(),
        col("Desired", "integer", d::DS_DESIRED),
        col("Current", "integer", d::DS_CURRENT),
        col("Ready", "integer", d::DS_READY),
        col("Up-to-date", "integer", d::DS_UPDATED),
        col("Available", "integer", d::DS_AVAILABLE),
        col("Node Selector", "string", d::POD_SPEC_NODE_SELECTOR),
        age_col(),
        wide("Containers", "string", CONTAINERS),
        wide("Images", "string", IMAGES),
        wide("Selector", "string", d::DS_SELECTOR),
    ]
}

fn daemonset(o: &Value, ctx: &Ctx) -> Row {
    let (names, images) = template_containers(o, "/spec/template");
    Row::new(vec![
        name(o),
        json!(i(o, "/status/desiredNumberScheduled")),
        json!(i(o, "/status/currentNumberScheduled")),
        json!(i(o, "/status/numberReady")),
        json!(i(o, "/status/updatedNumberScheduled")),
        json!(i(o, "/status/numberAvailable")),
        json!(format_labels(o.pointer("/spec/template/spec/nodeSelector"))),
        age(o, ctx),
        names,
        images,
        json!(format_label_selector(o.pointer("/spec/selector"))),
    ])
}

fn controller_revision_cols() -> Vec<Col> {
    vec![
        name_col(),
        col("Controller", "string", "Controller of the object"),
        col("Revision", "string", d::CR_REVISION),
        age_col(),
    ]
}

fn controller_revision(o: &Value, ctx: &Ctx) -> Row {
    let controller = arr(o, "/metadata/ownerReferences")
        .iter()
        .find(|r| r.get("controller").and_then(Value::as_bool) == Some(true))
        .map(|r| {
            let api_version = s(r, "/apiVersion");
            let group = if api_version.contains('/') {
                api_version.split('/').next().unwrap_or("")
            } else {
                ""
            };
            let kind = s(r, "/kind");
            let gk = match (kind.is_empty(), group.is_empty()) {
                (true, true) => String::new(),
                (_, true) => kind.to_string(),
                _ => format!("{kind}.{group}"),
            };
            if gk.is_empty() {
                s(r, "/name").to_string()
            } else {
                format!("{}/{}", gk.to_lowercase(), s(r, "/name"))
            }
        })
        .unwrap_or_else(|| "<none>".to_string());
    Row::new(vec![
        name(o),
        json!(controller),
        json!(i(o, "/revision")),
        age(o, ctx),
    ])
}

fn job_cols() -> Vec<Col> {
    vec![
        name_col(),
        col("Status", "string", "Status of the job."),
        col("Completions", "string", d::JOB_SUCCEEDED),
        col("Duration", "string", "Time required to complete the job."),
        age_col(),
        wide("Containers", "string", CONTAINERS),
        wide("Images", "string", IMAGES),
        wide("Selector", "string", d::JOB_SELECTOR),
    ]
}

/// `hasJobCondition`: the first condition of the type decides.
fn job_condition(o: &Value, typ: &str) -> bool {
    arr(o, "/status/conditions")
        .iter()
        .find(|c| s(c, "/type") == typ)
        .is_some_and(|c| s(c, "/status") == "True")
}

fn job(o: &Value, ctx: &Ctx) -> Row {
    let succeeded = i(o, "/status/succeeded");
    let completions = match o.pointer("/spec/completions").and_then(Value::as_i64) {
        Some(c) => format!("{succeeded}/{c}"),
        None => {
            let parallelism = o
                .pointer("/spec/parallelism")
                .and_then(Value::as_i64)
                .unwrap_or(0);
            if parallelism > 1 {
                format!("{succeeded}/1 of {parallelism}")
            } else {
                format!("{succeeded}/1")
            }
        }
    };
    let start = parse_time(s(o, "/status/startTime"));
    let completion = parse_time(s(o, "/status/completionTime"));
    let duration = match (start, completion) {
        (None, _) => String::new(),
        (Some(st), None) => human_duration(ctx.now - st),
        (Some(st), Some(c)) => human_duration(c - st),
    };
    let status = if job_condition(o, "Complete") {
        "Complete"
    } else if job_condition(o, "Failed") {
        "Failed"
    } else if has(o, "/metadata/deletionTimestamp") {
        "Terminating"
    } else if job_condition(o, "Suspended") {
        "Suspended"
    } else if job_condition(o, "FailureTarget") {
        "FailureTarget"
    } else {
        "Running"
    };
    let (names, images) = template_containers(o, "/spec/template");
    Row::new(vec![
        name(o),
        json!(status),
        json!(completions),
        json!(duration),
        age(o, ctx),
        names,
        images,
        json!(format_label_selector(o.pointer("/spec/selector"))),
    ])
}

fn cronjob_cols() -> Vec<Col> {
    vec![
        name_col(),
        col("Schedule", "string", d::CJ_SCHEDULE),
        col("Timezone", "string", d::CJ_TIMEZONE),
        col("Suspend", "boolean", d::CJ_SUSPEND),
        col("Active", "integer", d::CJ_ACTIVE),
        col("Last Schedule", "string", d::CJ_LAST_SCHEDULE),
        age_col(),
        wide("Containers", "string", CONTAINERS),
        wide("Images", "string", IMAGES),
        wide("Selector", "string", d::JOB_SELECTOR),
    ]
}

fn cronjob(o: &Value, ctx: &Ctx) -> Row {
    let last = if has(o, "/status/lastScheduleTime") {
        super::util::since(o, "/status/lastScheduleTime", ctx.now)
    } else {
        "<none>".to_string()
    };
    let tz = o
        .pointer("/spec/timeZone")
        .and_then(Value::as_str)
        .unwrap_or("<none>");
    let (names, images) = template_containers(o, "/spec/jobTemplate/spec/template");
    Row::new(vec![
        name(o),
        json!(s(o, "/spec/schedule")),
        json!(tz),
        json!(bool_ptr(o.pointer("/spec/suspend"))),
        json!(arr(o, "/status/active").len()),
        json!(last),
        age(o, ctx),
        names,
        images,
        json!(format_label_selector(
            o.pointer("/spec/jobTemplate/spec/selector")
        )),
    ])
}

fn pod_template_cols() -> Vec<Col> {
    vec![
        name_col(),
        col("Containers", "string", CONTAINERS),
        col("Images", "string", IMAGES),
        col("Pod Labels", "string", "The labels for the pod template."),
    ]
}

fn pod_template(o: &Value, _ctx: &Ctx) -> Row {
    let (names, images) = template_containers(o, "/template");
    Row::new(vec![
        name(o),
        names,
        images,
        json!(format_labels(o.pointer("/template/metadata/labels"))),
    ])
}

fn pdb_cols() -> Vec<Col> {
    vec![
        name_col(),
        col(
            "Min Available",
            "string",
            "The minimum number of pods that must be available.",
        ),
        col(
            "Max Unavailable",
            "string",
            "The maximum number of pods that may be unavailable.",
        ),
        col(
            "Allowed Disruptions",
            "integer",
            "Calculated number of pods that may be disrupted at this time.",
        ),
        age_col(),
    ]
}

fn pdb(o: &Value, ctx: &Ctx) -> Row {
    let field = |p: &str| match o.pointer(p).filter(|v| !v.is_null()) {
        Some(v) => int_or_string(v),
        None => "N/A".to_string(),
    };
    Row::new(vec![
        name(o),
        json!(field("/spec/minAvailable")),
        json!(field("/spec/maxUnavailable")),
        json!(i(o, "/status/disruptionsAllowed")),
        age(o, ctx),
    ])
}
