//! The virtualized rows table: a fixed-height scrolling body that renders only the rows in view
//! (plus a few either side) between two spacer rows, with sortable column headers.

use std::sync::Arc;

use leptos::prelude::*;

use super::super::super::state::t;
use crate::html::esc;
use crate::kinds::{Col, Kind};
use crate::rows::{Row, age, window};

/// Height of one row in pixels (the CSS gives rows this height).
pub const ROW_HEIGHT: f64 = 34.0;
const OVERSCAN: usize = 8;

/// The current sort: column index and direction.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Sort {
    pub col: usize,
    pub desc: bool,
}

fn now_secs() -> i64 {
    (js_sys::Date::now() / 1000.0) as i64
}

/// A row's detail page.
pub type Link = Arc<dyn Fn(&Row) -> String + Send + Sync>;

/// The table of `rows` (already sorted and filtered); `link(row)` is the detail page's URL.
#[component]
pub fn RowsTable(
    kind: &'static Kind,
    rows: Memo<Arc<Vec<Arc<Row>>>>,
    sort: RwSignal<Sort>,
    link: Link,
) -> impl IntoView {
    let view_height = RwSignal::new(600.0_f64);
    let range = RwSignal::new((0usize, 0usize));
    let scroll_top = RwSignal::new(0.0_f64);
    let body = NodeRef::<leptos::html::Div>::new();
    // Only a change of the rendered window re-renders rows, not every scrolled pixel.
    Effect::new(move || {
        let w = window(
            scroll_top.get(),
            view_height.get(),
            ROW_HEIGHT,
            rows.with(|r| r.len()),
            OVERSCAN,
        );
        if range.get_untracked() != w {
            range.set(w);
        }
    });
    let on_scroll = move |_| {
        if let Some(el) = body.get_untracked() {
            scroll_top.set(el.scroll_top() as f64);
            view_height.set(el.client_height() as f64);
        }
    };
    Effect::new(move || {
        if let Some(el) = body.get() {
            view_height.set(el.client_height().max(300) as f64);
        }
    });
    let head = kind
        .cols
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let label = c.label();
            let mark = move || {
                let s = sort.get();
                if s.col != i {
                    ""
                } else if s.desc {
                    " ▾"
                } else {
                    " ▴"
                }
            };
            let aria = move || {
                let s = sort.get();
                if s.col != i {
                    "none"
                } else if s.desc {
                    "descending"
                } else {
                    "ascending"
                }
            };
            view! {
                <th aria-sort=aria><button class="link sort" on:click=move |_| sort.update(|s| {
                    if s.col == i { s.desc = !s.desc } else { *s = Sort { col: i, desc: false } }
                })>{t(label)}{mark}</button></th>
            }
        })
        .collect_view();
    let body_rows = move || {
        let (start, end) = range.get();
        let all = rows.get();
        let now = now_secs();
        let top = start as f64 * ROW_HEIGHT;
        let bottom = (all.len().saturating_sub(end)) as f64 * ROW_HEIGHT;
        let mut out = format!("<tr class=\"spacer\" style=\"height:{top}px\"></tr>");
        for r in &all[start.min(all.len())..end.min(all.len())] {
            row_html(kind, r, &link(r), now, &mut out);
        }
        out.push_str(&format!(
            "<tr class=\"spacer\" style=\"height:{bottom}px\"></tr>"
        ));
        out
    };
    view! {
        <div class="vtable" node_ref=body on:scroll=on_scroll data-testid="rows">
            <table>
                <thead><tr>{head}</tr></thead>
                <tbody inner_html=body_rows></tbody>
            </table>
        </div>
    }
}

/// One row as HTML (a few dozen rows are rendered at a time; links go through the router).
fn row_html(kind: &Kind, r: &Row, href: &str, now: i64, out: &mut String) {
    out.push_str(&format!("<tr data-name=\"{}\">", esc(&r.name)));
    for (c, v) in kind.cols.iter().zip(r.cells.iter()) {
        let text = esc(&if c.is_time() { age(v, now) } else { v.clone() });
        let cell = match c {
            Col::Name => format!(
                "<td class=\"name\"><a href=\"{}\">{text}</a></td>",
                esc(href)
            ),
            Col::Status => format!("<td><span class=\"badge {}\">{text}</span></td>", r.tone),
            Col::LastSeen if kind.plural == "events" => {
                format!("<td><a href=\"{}\">{text}</a></td>", esc(href))
            }
            Col::Type if kind.plural == "events" => {
                let class = if v == "Warning" {
                    "badge warn"
                } else {
                    "badge"
                };
                format!("<td><span class=\"{class}\">{text}</span></td>")
            }
            _ => format!("<td title=\"{}\">{text}</td>", esc(v)),
        };
        out.push_str(&cell);
    }
    out.push_str("</tr>");
}
