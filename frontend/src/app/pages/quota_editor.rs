//! The quota editor: one input per resource, checked while typing with the server's own
//! parser, with what would be left of the tenant budget; and the container-defaults editor.

use std::collections::BTreeMap;

use api_types::portal::ContainerLimits;
use api_types::quantity::Quantity;
use api_types::quota::ResourceList;
use leptos::prelude::*;

use super::super::state::{t, tr, trf};
use crate::quota_form::{self, check_row};

/// The editable values, one signal per resource.
pub type Rows = Vec<(String, RwSignal<String>)>;

/// Rows for the standard resources (and any others in `initial`), filled from `initial`.
pub fn rows(initial: &ResourceList) -> Rows {
    quota_form::resources([initial])
        .into_iter()
        .map(|r| {
            let v = initial.get(&r).cloned().unwrap_or_default();
            (r, RwSignal::new(v))
        })
        .collect()
}

/// Rows for just the resources `list` names (e.g. what a quota request asks for).
pub fn rows_of(list: &ResourceList) -> Rows {
    list.iter()
        .map(|(k, v)| (k.clone(), RwSignal::new(v.clone())))
        .collect()
}

/// The typed values as a resource list (empty inputs left out).
pub fn collect(rows: &Rows) -> ResourceList {
    let pairs: Vec<(String, String)> = rows
        .iter()
        .map(|(k, v)| (k.clone(), v.get_untracked()))
        .collect();
    quota_form::to_list(&pairs)
}

/// Whether every value parses (budget overruns are left to the server to refuse).
pub fn parses(rows: &Rows) -> bool {
    rows.iter().all(|(k, v)| {
        check_row(k, &v.get(), None, &BTreeMap::new())
            .error
            .is_none()
    })
}

#[component]
pub fn QuotaEditor(
    rows: Rows,
    /// The tenant budget to check against (`None`: no budget column, e.g. editing a budget).
    budget: Option<ResourceList>,
    /// What the tenant's other namespaces have.
    #[prop(optional)]
    others: BTreeMap<String, Quantity>,
    /// Values shown as placeholders (e.g. the current quota of a request's namespace).
    #[prop(optional)]
    current: ResourceList,
) -> impl IntoView {
    let has_budget = budget.is_some();
    let has_current = !current.is_empty();
    let cells = rows.into_iter().map(|(resource, value)| {
        let id = format!("q-{}", resource.replace(['/', '.'], "-"));
        let r2 = resource.clone();
        let budget = budget.clone();
        let others = others.clone();
        let check = Memo::new(move |_| check_row(&r2, &value.get(), budget.as_ref(), &others));
        let now = current.get(&resource).cloned();
        let placeholder = now.clone().unwrap_or_default();
        view! {
            <label class="mono" for=id.clone()>{resource.clone()}</label>
            <input id=id data-resource=resource.clone() bind:value=value placeholder=placeholder
                aria-invalid=move || (!check.get().is_ok()).to_string()/>
            <div class=move || if check.get().is_ok() { "left" } else { "left bad" }>
                {move || {
                    let c = check.get();
                    if let Some(e) = c.error { e }
                    else if c.not_in_budget { tr("quota.not_in_budget").to_string() }
                    else if let Some(o) = c.over_by { trf("quota.over_by", &[("q", &o)]) }
                    else if let Some(l) = c.left { if has_budget { trf("quota.left", &[("q", &l)]) } else { String::new() } }
                    else if let Some(n) = &now { trf("quota.now", &[("q", n)]) }
                    else { String::new() }
                }}
            </div>
        }
    }).collect_view();
    view! {
        <div class="quota-grid" data-testid="quota-editor">
            <div class="head">{t("quota.resource")}</div>
            <div class="head">{t("quota.value")}</div>
            <div class="head">{move || if has_budget { tr("quota.left_head") } else if has_current { tr("quota.now_head") } else { "" }}</div>
            {cells}
        </div>
    }
}

/// Signals for the container defaults: (default, default request, max) × (cpu, memory).
#[derive(Clone, Copy)]
pub struct LimitRows {
    pub cells: [[RwSignal<String>; 2]; 3],
}

const KINDS: [&str; 3] = ["limits.default", "limits.default_request", "limits.max"];
const RES: [&str; 2] = ["cpu", "memory"];

impl LimitRows {
    pub fn new(l: &ContainerLimits) -> LimitRows {
        let lists = [&l.default, &l.default_request, &l.max];
        LimitRows {
            cells: lists
                .map(|list| RES.map(|r| RwSignal::new(list.get(r).cloned().unwrap_or_default()))),
        }
    }

    pub fn collect(&self) -> ContainerLimits {
        let list = |i: usize| {
            let pairs: Vec<(String, String)> = RES
                .iter()
                .zip(self.cells[i])
                .map(|(r, v)| (r.to_string(), v.get_untracked()))
                .collect();
            quota_form::to_list(&pairs)
        };
        ContainerLimits {
            default: list(0),
            default_request: list(1),
            max: list(2),
        }
    }

    /// The defaults, or `None` when every input is empty (the server's defaults then apply).
    pub fn collect_set(&self) -> Option<ContainerLimits> {
        let l = self.collect();
        (!(l.default.is_empty() && l.default_request.is_empty() && l.max.is_empty())).then_some(l)
    }

    pub fn parses(&self) -> bool {
        self.cells
            .iter()
            .flatten()
            .zip(RES.iter().cycle())
            .all(|(v, r)| {
                check_row(r, &v.get(), None, &BTreeMap::new())
                    .error
                    .is_none()
            })
    }
}

#[component]
pub fn LimitsEditor(rows: LimitRows) -> impl IntoView {
    let body = KINDS.iter().enumerate().map(|(i, kind)| {
        let inputs = RES.iter().enumerate().map(|(j, r)| {
            let v = rows.cells[i][j];
            let err = move || check_row(r, &v.get(), None, &BTreeMap::new()).error;
            view! {
                <td>
                    <input aria-label=format!("{} {}", kind, r) data-limit=format!("{i}-{r}") bind:value=v aria-invalid=move || err().is_some().to_string()/>
                    {move || err().map(|e| view! { <div class="fielderr">{e}</div> })}
                </td>
            }
        }).collect_view();
        view! { <tr><th>{t(kind)}</th>{inputs}</tr> }
    }).collect_view();
    view! {
        <div class="table-wrap"><table>
            <thead><tr><th></th><th>"cpu"</th><th>"memory"</th></tr></thead>
            <tbody>{body}</tbody>
        </table></div>
    }
}
