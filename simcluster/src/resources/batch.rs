//! Job and CronJob strategies: `SetDefaults_Job`/`SetDefaults_CronJob`, the generated Job selector
//! and labels, spec validation (restart policy, counts, schedule, time zone) and update rules.

use super::cron::parse_standard;
use super::json::{as_obj, at, child, default, default_str, i64_at, obj_at, str_at};
use super::meta::{NameRule, validate_object_meta};
use super::pod::validate_template;
use super::selector;
use super::validation::{immutable, nonnegative};
use super::workloads::template_defaults;
use crate::status::FieldError;
use serde_json::{Map, Value, json};

pub fn job_defaults(obj: &mut Value) {
    let m = as_obj(obj);
    let spec = child(m, "spec");
    template_defaults(spec);
    job_spec_defaults(spec);
    copy_template_labels(obj);
}

fn job_spec_defaults(spec: &mut Map<String, Value>) {
    if super::json::missing(spec, "completions") && super::json::missing(spec, "parallelism") {
        spec.insert("completions".into(), json!(1));
        spec.insert("parallelism".into(), json!(1));
    }
    default(spec, "parallelism", json!(1));
    let per_index = !super::json::missing(spec, "backoffLimitPerIndex");
    default(
        spec,
        "backoffLimit",
        json!(if per_index { i32::MAX as i64 } else { 6 }),
    );
    default(spec, "completionMode", json!("NonIndexed"));
    default(spec, "suspend", json!(false));
    let has_pfp = !super::json::missing(spec, "podFailurePolicy");
    default(
        spec,
        "podReplacementPolicy",
        json!(if has_pfp {
            "Failed"
        } else {
            "TerminatingOrFailed"
        }),
    );
    default(spec, "manualSelector", json!(false));
}

/// `SetDefaults_Job`: a Job without labels takes its template's labels.
fn copy_template_labels(obj: &mut Value) {
    let labels = obj_at(obj, "spec/template/metadata/labels")
        .filter(|l| !l.is_empty())
        .cloned();
    if let Some(l) = labels {
        let meta = child(as_obj(obj), "metadata");
        if meta
            .get("labels")
            .and_then(Value::as_object)
            .is_none_or(Map::is_empty)
        {
            meta.insert("labels".into(), Value::Object(l));
        }
    }
}

/// `generateSelector` (run at create when manualSelector is not true; needs `metadata.uid`).
pub fn job_prepare_create(obj: &mut Value) {
    as_obj(obj).insert("status".into(), json!({}));
    if at(obj, "spec/manualSelector").and_then(Value::as_bool) == Some(true) {
        return;
    }
    let name = str_at(obj, "metadata/name").to_string();
    let uid = str_at(obj, "metadata/uid").to_string();
    let spec = child(as_obj(obj), "spec");
    let labels = child(child(child(spec, "template"), "metadata"), "labels");
    for k in ["job-name", "batch.kubernetes.io/job-name"] {
        labels.entry(k).or_insert(json!(name));
    }
    for k in ["controller-uid", "batch.kubernetes.io/controller-uid"] {
        labels.entry(k).or_insert(json!(uid));
    }
    let ml = child(child(spec, "selector"), "matchLabels");
    ml.entry("batch.kubernetes.io/controller-uid")
        .or_insert(json!(uid));
    copy_template_labels(obj);
}

pub fn cronjob_defaults(obj: &mut Value) {
    let spec = child(as_obj(obj), "spec");
    default_str(spec, "concurrencyPolicy", "Allow");
    default(spec, "suspend", json!(false));
    default(spec, "successfulJobsHistoryLimit", json!(3));
    default(spec, "failedJobsHistoryLimit", json!(1));
    let jt = child(spec, "jobTemplate");
    child(jt, "metadata");
    template_defaults(child(jt, "spec"));
}

/// `validateJobSpec` at `f` (`spec` or `spec.jobTemplate.spec`).
fn job_spec(spec: &Value, f: &str) -> Vec<FieldError> {
    let mut errs = vec![];
    for k in [
        "parallelism",
        "completions",
        "activeDeadlineSeconds",
        "backoffLimit",
        "ttlSecondsAfterFinished",
    ] {
        errs.extend(nonnegative(&format!("{f}.{k}"), i64_at(spec, k)));
    }
    match at(spec, "completionMode").and_then(Value::as_str) {
        None | Some("NonIndexed") => {}
        Some("Indexed") => {
            if at(spec, "completions").is_none() {
                errs.push(FieldError::required(
                    format!("{f}.completions"),
                    "when completion mode is Indexed",
                ));
            }
        }
        Some(o) => errs.push(FieldError::not_supported(
            format!("{f}.completionMode"),
            o,
            &["NonIndexed", "Indexed"],
        )),
    }
    if let Some(p) = at(spec, "podReplacementPolicy").and_then(Value::as_str)
        && !matches!(p, "TerminatingOrFailed" | "Failed")
    {
        errs.push(FieldError::not_supported(
            format!("{f}.podReplacementPolicy"),
            p,
            &["TerminatingOrFailed", "Failed"],
        ));
    }
    let tpl = at(spec, "template").cloned().unwrap_or(json!({}));
    errs.extend(validate_template(&tpl, &format!("{f}.template")));
    let rp = str_at(&tpl, "spec/restartPolicy");
    let rpf = format!("{f}.template.spec.restartPolicy");
    if rp == "Always" || rp.is_empty() {
        errs.push(FieldError::required(
            rpf,
            "valid values: \"OnFailure\", \"Never\"",
        ));
    } else if rp != "OnFailure" && rp != "Never" {
        errs.push(FieldError::not_supported(rpf, rp, &["OnFailure", "Never"]));
    } else if at(spec, "podFailurePolicy").is_some() && rp != "Never" {
        errs.push(FieldError::invalid(
            rpf,
            rp,
            "only \"Never\" is supported when podFailurePolicy is specified",
        ));
    }
    errs
}

pub fn validate_job(obj: &Value) -> Vec<FieldError> {
    let mut errs = validate_object_meta(obj, NameRule::Subdomain);
    if at(obj, "spec/manualSelector").and_then(Value::as_bool) != Some(true)
        && obj_at(obj, "spec/template/metadata/labels").is_none()
    {
        errs.push(FieldError::invalid(
            "spec.template.metadata",
            Value::Null,
            "must have labels",
        ));
    }
    let empty = json!({});
    let spec = at(obj, "spec").unwrap_or(&empty);
    errs.extend(job_spec(spec, "spec"));
    let sel = at(spec, "selector");
    if sel.is_none() {
        errs.push(FieldError::required("spec.selector", ""));
    } else {
        errs.extend(selector::validate(sel, "spec.selector"));
    }
    let labels = obj_at(spec, "template/metadata/labels");
    if sel.is_some() && !selector::matches(sel, labels) {
        errs.push(FieldError::invalid(
            "spec.template.metadata.labels",
            labels.cloned().map(Value::Object).unwrap_or(Value::Null),
            "`selector` does not match template `labels`",
        ));
    }
    errs
}

pub fn validate_job_update(new: &Value, old: &Value) -> Vec<FieldError> {
    let mut errs = validate_job(new);
    errs.extend(immutable(
        "spec.completions",
        at(new, "spec/completions"),
        at(old, "spec/completions"),
    ));
    errs.extend(immutable(
        "spec.selector",
        at(new, "spec/selector"),
        at(old, "spec/selector"),
    ));
    // A suspended Job that never started may change its scheduling directives.
    let mut old_tpl = at(old, "spec/template").cloned().unwrap_or(json!({}));
    let new_tpl = at(new, "spec/template").cloned().unwrap_or(json!({}));
    if at(new, "spec/suspend").and_then(Value::as_bool) == Some(true)
        && at(old, "status/startTime").is_none()
    {
        let o = as_obj(&mut old_tpl);
        for (k, sub) in [
            ("metadata", "labels"),
            ("metadata", "annotations"),
            ("spec", "nodeSelector"),
            ("spec", "tolerations"),
            ("spec", "schedulingGates"),
            ("spec", "affinity"),
        ] {
            let v = new_tpl.get(k).and_then(|x| x.get(sub)).cloned();
            let c = child(o, k);
            match v {
                Some(v) => c.insert(sub.into(), v),
                None => c.remove(sub),
            };
        }
    }
    errs.extend(immutable("spec.template", Some(&new_tpl), Some(&old_tpl)));
    for k in [
        "completionMode",
        "podFailurePolicy",
        "backoffLimitPerIndex",
        "managedBy",
    ] {
        errs.extend(immutable(
            &format!("spec.{k}"),
            at(new, &format!("spec/{k}")),
            at(old, &format!("spec/{k}")),
        ));
    }
    errs
}

/// Time zones `time.LoadLocation` knows (IANA names of the common regions).
pub fn known_time_zone(tz: &str) -> bool {
    if matches!(tz, "UTC" | "GMT" | "Etc/UTC" | "Etc/GMT") {
        return true;
    }
    let regions = [
        "Africa",
        "America",
        "Antarctica",
        "Arctic",
        "Asia",
        "Atlantic",
        "Australia",
        "Europe",
        "Indian",
        "Pacific",
        "Etc",
    ];
    let mut parts = tz.split('/');
    let first = parts.next().unwrap_or("");
    regions.contains(&first)
        && tz.contains('/')
        && parts.all(|p| {
            !p.is_empty()
                && p.bytes()
                    .all(|c| c.is_ascii_alphanumeric() || b"_+-".contains(&c))
        })
}

pub fn validate_cronjob(obj: &Value, create: bool) -> Vec<FieldError> {
    let mut errs = validate_object_meta(obj, NameRule::Subdomain);
    let schedule = str_at(obj, "spec/schedule");
    if schedule.is_empty() {
        errs.push(FieldError::required("spec.schedule", ""));
    } else {
        if let Err(e) = parse_standard(schedule) {
            errs.push(FieldError::invalid("spec.schedule", schedule, e));
        }
        if schedule.contains("TZ") {
            errs.push(FieldError::invalid(
                "spec.schedule",
                schedule,
                "cannot use TZ or CRON_TZ in schedule, use timeZone field instead",
            ));
        }
    }
    errs.extend(nonnegative(
        "spec.startingDeadlineSeconds",
        i64_at(obj, "spec/startingDeadlineSeconds"),
    ));
    if let Some(tz) = at(obj, "spec/timeZone").and_then(Value::as_str) {
        if tz.is_empty() {
            errs.push(FieldError::invalid(
                "spec.timeZone",
                tz,
                "timeZone must be nil or non-empty string",
            ));
        } else if tz.eq_ignore_ascii_case("local") {
            errs.push(FieldError::invalid("spec.timeZone", tz, "timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones"));
        } else if !known_time_zone(tz) {
            errs.push(FieldError::invalid(
                "spec.timeZone",
                tz,
                format!("unknown time zone {tz}"),
            ));
        }
    }
    match str_at(obj, "spec/concurrencyPolicy") {
        "Allow" | "Forbid" | "Replace" => {}
        "" => errs.push(FieldError::required("spec.concurrencyPolicy", "")),
        o => errs.push(FieldError::not_supported(
            "spec.concurrencyPolicy",
            o,
            &["Allow", "Forbid", "Replace"],
        )),
    }
    let empty = json!({});
    let js = at(obj, "spec/jobTemplate/spec").unwrap_or(&empty);
    errs.extend(job_spec(js, "spec.jobTemplate.spec"));
    if let Some(sel) = at(js, "selector") {
        errs.push(FieldError::invalid(
            "spec.jobTemplate.spec.selector",
            sel.clone(),
            "`selector` will be auto-generated",
        ));
    }
    if at(js, "manualSelector").and_then(Value::as_bool) == Some(true) {
        errs.push(FieldError::not_supported(
            "spec.jobTemplate.spec.manualSelector",
            true,
            &["nil", "false"],
        ));
    }
    for k in ["successfulJobsHistoryLimit", "failedJobsHistoryLimit"] {
        errs.extend(nonnegative(
            &format!("spec.{k}"),
            i64_at(obj, &format!("spec/{k}")),
        ));
    }
    let name = str_at(obj, "metadata/name");
    if create && name.len() > 52 {
        errs.push(FieldError::invalid(
            "metadata.name",
            name,
            "must be no more than 52 characters",
        ));
    }
    errs
}
