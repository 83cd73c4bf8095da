//! The YAML editor of create and edit: a textarea with a line-number gutter; a line an error
//! names is marked (its number in the gutter, a band behind the line with the message at its
//! end, and the message in a list under the editor that jumps to the line). What is marked
//! where is `crate::editor`.

use leptos::html::Textarea;
use leptos::prelude::*;

use crate::app::state::trf;
use crate::editor::{Mark, gutter, line_count, line_range};

/// Line height and top padding of the text in px (`.editor` in the CSS uses the same).
const LINE: f64 = 18.0;
const PAD: f64 = 6.0;

#[component]
pub fn YamlEditor(
    text: RwSignal<String>,
    #[prop(into)] marks: Signal<Vec<Mark>>,
    rows: u32,
    label: &'static str,
    #[prop(optional)] testid: &'static str,
) -> impl IntoView {
    let area = NodeRef::<Textarea>::new();
    let scroll = RwSignal::new(0.0);
    let lines = Memo::new(move |_| text.with(|t| line_count(t)));
    let numbers = move || {
        gutter(lines.get(), &marks.get())
            .into_iter()
            .map(|(n, msg)| {
                let bad = msg.is_some();
                view! { <div class:bad=bad data-line=n title=msg>{n}</div> }
            })
            .collect_view()
    };
    let bands = move || {
        marks
            .get()
            .into_iter()
            .map(|m| {
                let top = move || format!("{}px", PAD + (m.line as f64 - 1.0) * LINE - scroll.get());
                view! { <div class="band" style:top=top data-line=m.line><span>{m.message}</span></div> }
            })
            .collect_view()
    };
    let jump = move |line: usize| {
        if let Some(el) = area.get_untracked() {
            let (start, end) = text.with_untracked(|t| line_range(t, line));
            let _ = el.focus();
            let _ = el.set_selection_range(start, end);
            el.set_scroll_top(((line as f64 - 3.0).max(0.0) * LINE) as i32);
        }
    };
    let on_scroll = move |_| {
        if let Some(el) = area.get_untracked() {
            scroll.set(f64::from(el.scroll_top()));
        }
    };
    view! {
        <div class="editor" data-testid="editor">
            <div class="gutter" aria-hidden="true">
                <div class="gutter-lines" style:transform=move || format!("translateY({}px)", -scroll.get())>{numbers}</div>
            </div>
            <div class="editor-text">
                {bands}
                <textarea node_ref=area class="code" rows=rows wrap="off" spellcheck="false" aria-label=move || crate::app::state::tr(label)
                    data-testid=testid bind:value=text on:scroll=on_scroll></textarea>
            </div>
        </div>
        {move || {
            let list = marks.get();
            (!list.is_empty()).then(|| view! {
                <ul class="marks" data-testid="editor-marks">
                    {list.into_iter().map(|m| {
                        let line = m.line;
                        view! { <li><button type="button" class="link" on:click=move |_| jump(line)>
                            {trf("wl.create.at_line", &[("line", &line.to_string())])}</button>": "{m.message}</li> }
                    }).collect_view()}
                </ul>
            })
        }}
    }
}
