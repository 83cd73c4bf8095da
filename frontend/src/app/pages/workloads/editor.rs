//! The YAML editor of create and edit: a textarea with a line-number gutter; a line an error
//! names is marked (its number in the gutter, a band behind the line with the message at its
//! end, and the message in a list under the editor whose buttons jump to the line). What is
//! marked where, and the HTML of it, is `crate::editor`.

use leptos::html::Textarea;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::app::state::{globals, tr};
use crate::editor::{LINE_PX, Mark, bands_html, gutter_html, line_count, line_range, marks_html};

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
    let shift = move || format!("translateY({}px)", -scroll.get());
    let on_scroll = move |_| {
        if let Some(el) = area.get_untracked() {
            scroll.set(f64::from(el.scroll_top()));
        }
    };
    // One listener for the list: the button's `data-line` says where to go.
    let jump = move |ev: leptos::ev::MouseEvent| {
        let line = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .and_then(|e| e.get_attribute("data-line"))
            .and_then(|l| l.parse::<usize>().ok());
        if let (Some(line), Some(el)) = (line, area.get_untracked()) {
            let (start, end) = text.with_untracked(|t| line_range(t, line));
            let _ = el.focus();
            let _ = el.set_selection_range(start, end);
            el.set_scroll_top(((line as f64 - 3.0).max(0.0) * LINE_PX) as i32);
        }
    };
    view! {
        <div class="editor" data-testid="editor">
            <div class="gutter" aria-hidden="true">
                <div class="gutter-lines" style:transform=shift inner_html=move || gutter_html(text.with(|t| line_count(t)), &marks.get())></div>
            </div>
            <div class="editor-text">
                <div class="bands" style:transform=shift inner_html=move || bands_html(&marks.get())></div>
                <textarea node_ref=area class="code" rows=rows wrap="off" spellcheck="false" aria-label=move || tr(label)
                    data-testid=testid bind:value=text on:scroll=on_scroll></textarea>
            </div>
        </div>
        <ul class="marks" data-testid="editor-marks" on:click=jump
            inner_html=move || marks_html(&marks.get(), globals().lang.get())></ul>
    }
}
