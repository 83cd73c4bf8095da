//! WATCH: a chunked stream of JSON events, from a resourceVersion or with the initial state,
//! label/field filtering with selector transitions, bookmarks, timeouts and `410 Gone`.

use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::http::{HeaderValue, Response, header};
use serde_json::{Value, json};
use tokio::sync::mpsc;

use super::Ctx;
use super::negotiate::Repr;
use super::options::list_options;
use super::read::{Selectors, Typed, with_type};
use crate::status::ApiError;
use crate::store::{EventType, WatchEvent};

/// Default lifetime of a watch without timeoutSeconds (the real server picks 30-60 minutes).
const DEFAULT_TIMEOUT: Duration = Duration::from_secs(1800);
/// Bytes of initial events sent together in one chunk.
const HEAD_BATCH: usize = 64 * 1024;
/// How long a watch from a resourceVersion the store has not reached yet waits for it.
const TOO_NEW_WAIT: Duration = Duration::from_secs(3);
/// How often bookmarks are sent when the client allows them.
const BOOKMARK_EVERY: Duration = Duration::from_secs(20);

struct Encoder {
    kind: String,
    api_version: String,
    group: String,
    plural: String,
    custom: Option<std::sync::Arc<crate::crd::CustomInfo>>,
    repr: Repr,
    include_object: String,
    sent_columns: bool,
}

/// One watch event line, its object serialized from the stored one without a copy.
#[derive(serde::Serialize)]
struct Line<'a> {
    #[serde(rename = "type")]
    kind: &'a str,
    object: Typed<'a>,
}

impl Encoder {
    fn event(&mut self, kind: &str, obj: &Value) -> Bytes {
        let plain = matches!(self.repr, Repr::Table(_) | Repr::Metadata)
            || crate::api::events_v1::is_v1(&self.kind, &self.api_version);
        if !plain {
            let line = Line {
                kind,
                object: Typed {
                    obj,
                    kind: &self.kind,
                    api_version: &self.api_version,
                },
            };
            let mut out = serde_json::to_vec(&line).unwrap_or_default();
            out.push(b'\n');
            return Bytes::from(out);
        }
        let object = match self.repr {
            Repr::Table(v) => {
                let mut t = crate::table::object_table_of(
                    &self.group,
                    &self.plural,
                    self.custom.as_ref().map(|c| c.columns.as_slice()),
                    obj,
                    &self.include_object,
                    chrono::Utc::now(),
                );
                if self.sent_columns
                    && let Some(m) = t.as_object_mut()
                {
                    m.remove("columnDefinitions");
                }
                self.sent_columns = true;
                if v == "v1beta1" {
                    t["apiVersion"] = json!("meta.k8s.io/v1beta1");
                }
                t
            }
            Repr::Metadata => {
                json!({"kind": "PartialObjectMetadata", "apiVersion": "meta.k8s.io/v1", "metadata": obj.get("metadata").cloned().unwrap_or(json!({}))})
            }
            _ => with_type(obj, &self.kind, &self.api_version),
        };
        let mut line =
            serde_json::to_vec(&json!({"type": kind, "object": object})).unwrap_or_default();
        line.push(b'\n');
        Bytes::from(line)
    }

    fn bookmark(&self, rv: u64, initial_end: bool) -> Bytes {
        let mut meta = json!({"resourceVersion": rv.to_string()});
        if initial_end {
            meta["annotations"] = json!({"k8s.io/initial-events-end": "true"});
        }
        let obj = json!({"kind": self.kind, "apiVersion": self.api_version, "metadata": meta});
        let mut line =
            serde_json::to_vec(&json!({"type": "BOOKMARK", "object": obj})).unwrap_or_default();
        line.push(b'\n');
        Bytes::from(line)
    }
}

/// The event a selector-filtered watcher sees for a store event, if any.
fn filtered(sel: &Selectors, ev: &WatchEvent) -> Option<(&'static str, Arc<Value>)> {
    let now = sel.matches(&ev.object);
    let before = ev.prev.as_ref().is_some_and(|p| sel.matches(p));
    match ev.kind {
        EventType::Added => now.then(|| ("ADDED", ev.object.clone())),
        EventType::Deleted => (now || before).then(|| ("DELETED", ev.object.clone())),
        EventType::Modified => match (before, now) {
            (true, true) => Some(("MODIFIED", ev.object.clone())),
            (false, true) => Some(("ADDED", ev.object.clone())),
            (true, false) => {
                let mut prev = (**ev.prev.as_ref().expect("before implies prev")).clone();
                if let Some(m) = prev.get_mut("metadata").and_then(Value::as_object_mut) {
                    m.insert("resourceVersion".into(), json!(ev.rv.to_string()));
                }
                Some(("DELETED", Arc::new(prev)))
            }
            (false, false) => None,
        },
    }
}

pub async fn watch(ctx: Ctx) -> Result<Response<Body>, ApiError> {
    let opts = list_options(&ctx.query)?;
    let sel = Selectors::parse(&ctx, &opts.label_selector, &opts.field_selector)?;
    let ns = (!ctx.path.namespace.is_empty()).then(|| ctx.path.namespace.clone());
    let rv = opts.resource_version.as_deref().unwrap_or("");
    let from = match rv {
        "" | "0" => None,
        s => Some(
            s.parse::<u64>()
                .map_err(|_| ApiError::bad_request(format!("invalid resource version: {s}")))?,
        ),
    };
    let from = if opts.send_initial_events { None } else { from };
    let mut enc = Encoder {
        kind: ctx.info.kind.clone(),
        api_version: ctx.info.api_version(),
        group: ctx.info.group.clone(),
        plural: ctx.info.plural.clone(),
        custom: ctx.info.custom.clone(),
        repr: ctx.repr,
        include_object: ctx
            .query
            .get("includeObject")
            .unwrap_or("Metadata")
            .to_string(),
        sent_columns: false,
    };
    let (tx, rx) = mpsc::channel::<Result<Bytes, Infallible>>(256);
    let timeout = opts
        .timeout_seconds
        .filter(|t| *t > 0)
        .map(|t| Duration::from_secs(t as u64))
        .unwrap_or(DEFAULT_TIMEOUT);
    if let Some(rv) = from
        && let Err(e) = wait_for(&ctx.sim.store, rv).await
    {
        return Ok(error_stream(&e));
    }
    let started = ctx
        .sim
        .store
        .watch(&ctx.storage_resource(), ns.as_deref(), from);
    let mut start = match started {
        Ok(s) => s,
        Err(oldest) => {
            let status = ApiError::new(
                410,
                "Expired",
                format!("too old resource version: {} ({oldest})", from.unwrap_or(0)),
            );
            return Ok(error_stream(&status));
        }
    };
    let snapshot = std::mem::take(&mut start.snapshot);
    let backlog = std::mem::take(&mut start.backlog);
    let initial_bookmark = opts.send_initial_events && opts.allow_bookmarks;
    let bookmarks = opts.allow_bookmarks;
    let sim = ctx.sim.clone();
    tokio::spawn(async move {
        // The initial state goes out in batches of lines (one chunk each), encoded as it is
        // sent, so a watch of tens of thousands of objects starts at once and holds little.
        let mut batch: Vec<u8> = Vec::new();
        let head = snapshot
            .iter()
            .filter(|o| sel.matches(o))
            .map(|o| ("ADDED", o.clone()))
            .chain(backlog.iter().filter_map(|ev| filtered(&sel, ev)));
        for (t, o) in head {
            batch.extend_from_slice(&enc.event(t, &o));
            if batch.len() >= HEAD_BATCH
                && tx
                    .send(Ok(Bytes::from(std::mem::take(&mut batch))))
                    .await
                    .is_err()
            {
                return;
            }
        }
        // A snapshot and a backlog never come together: the bookmark ends the snapshot.
        if initial_bookmark {
            batch.extend_from_slice(&enc.bookmark(start.rv, true));
        }
        if !batch.is_empty() && tx.send(Ok(Bytes::from(batch))).await.is_err() {
            return;
        }
        let deadline = tokio::time::Instant::now() + timeout;
        let mut tick = tokio::time::interval(BOOKMARK_EVERY);
        tick.tick().await;
        loop {
            tokio::select! {
                ev = start.watcher.next() => {
                    let Some(ev) = ev else { return };
                    if let Some((t, o)) = filtered(&sel, &ev)
                        && tx.send(Ok(enc.event(t, &o))).await.is_err() { return; }
                }
                _ = tick.tick(), if bookmarks => {
                    if tx.send(Ok(enc.bookmark(sim.store.current_rv(), false))).await.is_err() { return; }
                }
                _ = tokio::time::sleep_until(deadline) => return,
                _ = tx.closed() => return,
            }
        }
    });
    Ok(stream_response(rx))
}

/// A watch answer that is one ERROR event carrying `status`.
fn error_stream(status: &ApiError) -> Response<Body> {
    let (tx, rx) = mpsc::channel::<Result<Bytes, Infallible>>(1);
    let mut line = serde_json::to_vec(&json!({"type": "ERROR", "object": status.to_status()}))
        .unwrap_or_default();
    line.push(b'\n');
    let _ = tx.try_send(Ok(Bytes::from(line)));
    stream_response(rx)
}

/// A watch from a resourceVersion the store has not reached: wait for it like the watch cache
/// does (about 3 s), then give up with the real 504 `Too large resource version` ERROR event.
async fn wait_for(store: &crate::store::Store, rv: u64) -> Result<(), ApiError> {
    let deadline = tokio::time::Instant::now() + TOO_NEW_WAIT;
    while store.current_rv() < rv {
        if tokio::time::Instant::now() >= deadline {
            let mut details = serde_json::Map::new();
            details.insert(
                "causes".into(),
                json!([{"reason": "ResourceVersionTooLarge", "message": "Too large resource version"}]),
            );
            details.insert("retryAfterSeconds".into(), json!(1));
            let mut e = ApiError::new(
                504,
                "Timeout",
                format!(
                    "Timeout: Too large resource version: {rv}, current: {}",
                    store.current_rv()
                ),
            );
            e.details = Some(Box::new(details));
            return Err(e);
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    Ok(())
}

fn stream_response(rx: mpsc::Receiver<Result<Bytes, Infallible>>) -> Response<Body> {
    let stream = tokio_stream::wrappers::ReceiverStream::new(rx);
    let mut r = Response::new(Body::from_stream(stream));
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    r.headers_mut().insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("no-cache, private"),
    );
    r
}
