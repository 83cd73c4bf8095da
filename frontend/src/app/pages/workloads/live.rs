//! A live list: LIST through the proxy (in pages of 500, each shown as it arrives), then WATCH from its resourceVersion (bookmarks on),
//! applying ADDED/MODIFIED/DELETED to a map keyed by name; a `410 Gone` (as the answer or as an
//! ERROR event) relists, an ended watch resumes from the last version seen. The page sees a
//! snapshot signal, published at most every 100 ms so thousands of events stay cheap.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;
use std::sync::Arc;

use leptos::prelude::*;
use serde_json::Value;

use super::super::super::api::ApiError;
use super::super::super::k8s::{self, Aborter};
use crate::app::sleep_ms;
use crate::kinds::{Kind, enc};
use crate::rows::{Row, row};

/// What a live list shows: loading, the items (by name) or the error of its LIST.
#[derive(Clone, Copy)]
pub struct Live {
    pub items: RwSignal<Option<Arc<Vec<T>>>>,
    pub error: RwSignal<Option<ApiError>>,
}

/// What a live list keeps of each object: its row (and, if asked, the object).
type T = Arc<Row>;

fn rv(v: &Value) -> Option<String> {
    v["metadata"]["resourceVersion"]
        .as_str()
        .map(str::to_string)
}

fn name(v: &Value) -> String {
    v["metadata"]["name"].as_str().unwrap_or("").to_string()
}

fn now_ms() -> f64 {
    js_sys::Date::now()
}

/// Shows the store's items; `false` when the page is gone.
fn publish(live: Live, store: &BTreeMap<String, T>) -> bool {
    live.items
        .try_set(Some(Arc::new(store.values().cloned().collect())))
        .is_none()
}

/// Lists `path` (a collection URL of `kind`, maybe with a query) and keeps it current through
/// a watch; each object becomes its row, with the object itself when `keep_object`.
pub fn live(path: String, kind: &'static Kind, keep_object: bool) -> Live {
    let map = move |obj: &Value| {
        let mut r = row(kind, obj);
        if keep_object {
            r.obj = Some(Arc::new(obj.clone()));
        }
        Arc::new(r)
    };
    let live = Live {
        items: RwSignal::new(None),
        error: RwSignal::new(None),
    };
    let aborter = Aborter::new();
    leptos::task::spawn_local(run(path, map, live, aborter));
    live
}

async fn run(path: String, map: impl Fn(&Value) -> T, live: Live, aborter: Aborter) {
    let sep = if path.contains('?') { '&' } else { '?' };
    let store: Rc<RefCell<BTreeMap<String, T>>> = Rc::default();
    let show = |store: &BTreeMap<String, T>| publish(live, store);
    let scheduled = Rc::new(std::cell::Cell::new(false));
    loop {
        // Pages of 500: the first ones are on screen while the rest arrive.
        let mut version = String::new();
        let mut token = String::new();
        let mut first = true;
        let listed = loop {
            let url = format!(
                "{path}{sep}limit=500{}",
                if token.is_empty() {
                    String::new()
                } else {
                    format!("&continue={}", enc(&token))
                }
            );
            let page = match k8s::get(&url).await {
                Ok(p) => p,
                Err(e) => break Err(e),
            };
            version = rv(&page).unwrap_or_default();
            token = page["metadata"]["continue"]
                .as_str()
                .unwrap_or("")
                .to_string();
            let mut s = store.borrow_mut();
            if first {
                s.clear();
                first = false;
            }
            for item in page["items"].as_array().into_iter().flatten() {
                s.insert(name(item), map(item));
            }
            if !show(&s) {
                return;
            }
            if token.is_empty() {
                break Ok(());
            }
        };
        if let Err(e) = listed {
            let fatal = matches!(e.status, 401 | 403 | 404);
            if live.error.try_set(Some(e)).is_some() || fatal {
                return;
            }
            sleep_ms(3000).await;
            continue;
        }
        live.error.try_set(None);
        // Watch until the version is gone (then relist).
        loop {
            let url =
                format!("{path}{sep}watch=1&allowWatchBookmarks=true&resourceVersion={version}");
            let mut gone = false;
            let mut last_publish = now_ms();
            let mut dirty = false;
            let result = k8s::stream_lines(&url, aborter, |lines| {
                let mut s = store.borrow_mut();
                for line in lines {
                    let Ok(ev) = serde_json::from_str::<Value>(&line) else {
                        continue;
                    };
                    let obj = &ev["object"];
                    if let Some(v) = rv(obj) {
                        version = v;
                    }
                    match ev["type"].as_str().unwrap_or("") {
                        "ADDED" | "MODIFIED" => {
                            s.insert(name(obj), map(obj));
                            dirty = true;
                        }
                        "DELETED" => {
                            s.remove(&name(obj));
                            dirty = true;
                        }
                        "ERROR" => {
                            gone = obj["code"] == 410;
                            return false;
                        }
                        _ => {}
                    }
                }
                if dirty && now_ms() - last_publish > 100.0 {
                    dirty = false;
                    last_publish = now_ms();
                    return show(&s);
                }
                if dirty && !scheduled.replace(true) {
                    // A burst: the rest is shown 100 ms later even if the stream goes quiet.
                    dirty = false;
                    let (store, scheduled) = (store.clone(), scheduled.clone());
                    leptos::task::spawn_local(async move {
                        sleep_ms(100).await;
                        scheduled.set(false);
                        publish(live, &store.borrow());
                    });
                }
                true
            })
            .await;
            if dirty && !show(&store.borrow()) {
                return;
            }
            if live.items.try_get_untracked().is_none() {
                return; // the page is gone
            }
            match result {
                Err(e) if e.status == 410 => break,
                Err(e) if e.status == 0 && aborter.aborted() => return,
                Err(_) => {
                    sleep_ms(2000).await;
                    break;
                }
                Ok(()) if gone => break,
                Ok(()) => {}
            }
        }
    }
}
