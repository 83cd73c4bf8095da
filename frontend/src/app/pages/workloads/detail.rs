//! One object (`/ns/:ns/:kind/:name`), kept current through a watch on its name: status,
//! containers, conditions, owner links, data (secret values hidden until revealed), the
//! object's events and its YAML; the actions live in `actions.rs`.

use std::sync::Arc;

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use serde_json::Value;

use super::actions::{Actions, DataView};
use super::live::live;
use super::table::{RowsTable, Sort};
use super::{NsHeader, href, route};
use crate::app::state::{t, tr};
use crate::app::widgets::{Empty, ErrorBox, Loading, set_title};
use crate::kinds::{Kind, by_kind, by_plural, enc};
use crate::rows::{Row, age, cell, compare, row};
use crate::yaml::to_yaml;

#[component]
pub fn ObjectPage() -> impl IntoView {
    set_title("wl.title");
    let (ns, kind) = route();
    let params = use_params_map();
    let name = Memo::new(move |_| params.get().get("name").unwrap_or_default());
    view! {
        <NsHeader ns=ns kind=kind/>
        {move || view! { <Object ns=ns.get() kind=kind.get() name=name.get()/> }}
    }
}

#[component]
fn Object(ns: String, kind: &'static Kind, name: String) -> impl IntoView {
    let path = format!("{}?fieldSelector=metadata.name%3D{}", kind.path(&ns, None), enc(&name));
    let obj = live(path, |v| Arc::new(v.clone()));
    let current = Memo::new(move |_| obj.items.with(|l| l.as_ref().and_then(|l| l.first().cloned())));
    // Loading, gone or shown: the actions (and an open editor) stay while the object changes.
    let state = Memo::new(move |_| obj.items.with(|l| l.as_ref().map(|l| !l.is_empty())));
    let (ns2, name2) = (ns.clone(), name.clone());
    view! {
        <div class="crumbs"><a href=href(&ns, kind, None)>{move || tr(super::title(kind))}</a>" / "{name.clone()}</div>
        {move || obj.error.get().map(|e| view! { <ErrorBox error=e/> })}
        {move || match state.get() {
            None => obj.error.with(Option::is_none).then(|| view! { <Loading/> }).into_any(),
            Some(false) => view! { <Empty text=Signal::derive(|| tr("wl.gone").to_string())/> }.into_any(),
            Some(true) => {
                let ns = ns2.clone();
                view! {
                    <div class="pagehead">
                        <h2 class="objname" data-testid="obj-name">{kind.kind}" "{name2.clone()}</h2>
                        {move || current.get().map(|o| status_badge(kind, &o))}
                        <span class="spacer"></span>
                        <Actions ns=ns.clone() kind=kind obj=current/>
                    </div>
                    {move || current.get().map(|o| view! { <Body ns=ns.clone() kind=kind obj=o/> })}
                    {matches!(kind.plural, "secrets" | "configmaps").then(|| view! { <DataView obj=current secret=kind.plural == "secrets"/> })}
                    <Yaml obj=current secret=kind.plural == "secrets"/>
                }.into_any()
            }
        }}
        <Events ns=ns kind=kind name=name/>
    }
}

fn status_badge(kind: &Kind, obj: &Value) -> Option<impl IntoView + use<>> {
    let at = kind.cols.iter().position(|c| *c == crate::kinds::Col::Status)?;
    let r = row(kind, obj);
    let st = r.cells.get(at).cloned().unwrap_or_default();
    Some(view! { <span class=format!("badge {}", r.tone) data-testid="obj-status">{st}</span> })
}

fn text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

#[component]
fn Body(ns: String, kind: &'static Kind, obj: Arc<Value>) -> impl IntoView {
    let meta = &obj["metadata"];
    let owners = meta["ownerReferences"].as_array().cloned().unwrap_or_default();
    let labels = meta["labels"].as_object().cloned().unwrap_or_default();
    let now = (js_sys::Date::now() / 1000.0) as i64;
    let facts = kind.cols.iter().filter(|c| !matches!(c, crate::kinds::Col::Name)).map(|c| {
        let v = cell(*c, &obj);
        let v = if c.is_time() { age(&v, now) } else { v };
        view! { <div class="fact"><span class="label">{move || tr(c.label())}</span><span>{v}</span></div> }
    }).collect_view();
    view! {
        <section class="card facts">{facts}
            <div class="fact"><span class="label">{t("wl.labels")}</span><span>{labels.iter().map(|(k, v)| view! { <code class="label-chip">{format!("{k}={}", text(v))}</code> }).collect_view()}</span></div>
            {(!owners.is_empty()).then(|| view! { <div class="fact"><span class="label">{t("wl.owners")}</span><span>{owners.iter().map(|o| owner_link(&ns, o)).collect_view()}</span></div> })}
        </section>
        {(kind.plural == "pods").then(|| view! { <Containers obj=obj.clone()/> })}
        <Conditions obj=obj.clone()/>
    }
}

fn owner_link(ns: &str, o: &Value) -> impl IntoView + use<> {
    let (av, k, n) = (text(&o["apiVersion"]), text(&o["kind"]), text(&o["name"]));
    let label = format!("{k}/{n}");
    match by_kind(&av, &k) {
        Some(kind) => view! { <a class="owner" href=href(ns, kind, Some(&n))>{label}</a> }.into_any(),
        None => view! { <span>{label}</span> }.into_any(),
    }
}

#[component]
fn Containers(obj: Arc<Value>) -> impl IntoView {
    let statuses = obj["status"]["containerStatuses"].as_array().cloned().unwrap_or_default();
    let rows = obj["spec"]["containers"].as_array().cloned().unwrap_or_default().into_iter().map(|c| {
        let name = text(&c["name"]);
        let st = statuses.iter().find(|s| s["name"] == c["name"]).cloned().unwrap_or_default();
        let state = st["state"].as_object().and_then(|m| m.keys().next().cloned()).unwrap_or_default();
        let req = &c["resources"]["requests"];
        view! { <tr>
            <td>{name}</td><td class="mono">{text(&c["image"])}</td>
            <td>{if st["ready"] == true { "✓" } else { "—" }}</td><td>{text(&st["restartCount"])}</td><td>{state}</td>
            <td class="mono">{text(&req["cpu"])}" "{text(&req["memory"])}</td>
        </tr> }
    }).collect_view();
    view! {
        <section class="card">
            <h2>{t("wl.containers")}</h2>
            <div class="table-wrap"><table>
                <thead><tr><th>{t("wl.col.name")}</th><th>{t("wl.image")}</th><th>{t("wl.col.ready")}</th><th>{t("wl.col.restarts")}</th><th>{t("wl.state")}</th><th>{t("wl.requests")}</th></tr></thead>
                <tbody>{rows}</tbody>
            </table></div>
        </section>
    }
}

#[component]
fn Conditions(obj: Arc<Value>) -> impl IntoView {
    let list = obj["status"]["conditions"].as_array().cloned().unwrap_or_default();
    (!list.is_empty()).then(|| {
        let rows = list.into_iter().map(|c| {
            let ok = if c["status"] == "True" { "badge ok" } else { "badge" };
            view! { <tr>
                <td>{text(&c["type"])}</td><td><span class=ok>{text(&c["status"])}</span></td>
                <td>{text(&c["reason"])}</td><td>{text(&c["message"])}</td>
                <td class="nowrap">{text(&c["lastTransitionTime"]).replace('T', " ")}</td>
            </tr> }
        }).collect_view();
        view! {
            <section class="card" data-testid="conditions">
                <h2>{t("wl.conditions")}</h2>
                <div class="table-wrap"><table>
                    <thead><tr><th>{t("wl.col.type")}</th><th>{t("wl.col.status")}</th><th>{t("wl.col.reason")}</th><th>{t("wl.col.message")}</th><th>{t("wl.changed")}</th></tr></thead>
                    <tbody>{rows}</tbody>
                </table></div>
            </section>
        }
    })
}

/// The object's events, live (newest first).
#[component]
fn Events(ns: String, kind: &'static Kind, name: String) -> impl IntoView {
    let events = by_plural("events").expect("events kind");
    let path = format!("{}?fieldSelector=involvedObject.name%3D{}", events.path(&ns, None), enc(&name));
    let want = kind.kind;
    let list = live(path, move |v| (v["involvedObject"]["kind"] == want).then(|| Arc::new(row(events, v))));
    let sort = RwSignal::new(Sort { col: 0, desc: true });
    let rows = Memo::new(move |_| {
        let mut v: Vec<Arc<Row>> = list.items.with(|i| i.iter().flat_map(|l| l.iter().flatten().cloned()).collect());
        let s = sort.get();
        v.sort_by(|a, b| if s.desc { compare(b, a, s.col) } else { compare(a, b, s.col) });
        Arc::new(v)
    });
    let empty = Memo::new(move |_| rows.with(|r| r.is_empty()));
    let ns2 = ns.clone();
    view! {
        <section class="card" data-testid="obj-events">
            <h2>{t("wl.kind.events")}</h2>
            {move || if empty.get() {
                view! { <p class="muted">{t("wl.no_events")}</p> }.into_any()
            } else {
                let ns = ns2.clone();
                view! { <div class="events-box"><RowsTable kind=events rows=rows sort=sort link=move |r: &Row| href(&ns, events, Some(&r.name))/></div> }.into_any()
            }}
        </section>
    }
}

/// The object as YAML (without managedFields; a secret's values masked: they are shown by
/// "reveal" above).
#[component]
fn Yaml(obj: Memo<Option<Arc<Value>>>, secret: bool) -> impl IntoView {
    let yaml = move || {
        let mut v = obj.get().map(|o| (*o).clone()).unwrap_or_default();
        if let Some(m) = v["metadata"].as_object_mut() {
            m.remove("managedFields");
        }
        if secret && let Some(data) = v["data"].as_object_mut() {
            for val in data.values_mut() {
                *val = Value::String("••••••".into());
            }
        }
        to_yaml(&v)
    };
    view! {
        <details class="card yaml" data-testid="obj-yaml">
            <summary>"YAML"</summary>
            <pre>{yaml}</pre>
        </details>
    }
}
