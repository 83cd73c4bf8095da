//! Calls to the Kubernetes API through the portal's tenant-isolating proxy (`/k8s/...`, session
//! cookie; the browser's `Origin` satisfies the CSRF guard): JSON reads and writes with the
//! `Status` message as the error, streamed answers (watches, followed logs) read line by line,
//! and aborting those streams when the page that opened them goes away.

use std::cell::RefCell;
use std::collections::HashMap;

use gloo_net::http::{Request, Response};
use leptos::prelude::on_cleanup;
use serde_json::Value;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortController, AbortSignal, ReadableStreamDefaultReader};

use super::api::{ApiError, ApiResult, Method, builder};

/// The `Status` object of a failed call as an `ApiError` (reason as the code).
async fn finish(resp: Response) -> ApiResult<Response> {
    if resp.ok() {
        return Ok(resp);
    }
    let status = resp.status();
    let text = resp.text().await.unwrap_or_default();
    let v: Value = serde_json::from_str(&text).unwrap_or_default();
    let message = v["message"]
        .as_str()
        .map(str::to_string)
        .unwrap_or_else(|| {
            if text.trim().is_empty() {
                format!("the cluster answered {status}")
            } else {
                text.clone()
            }
        });
    Err(ApiError {
        status,
        code: v["reason"].as_str().unwrap_or("http").to_string(),
        message,
        details: Vec::new(),
        retry_after: None,
    })
}

/// `GET path` as JSON.
pub async fn get(path: &str) -> ApiResult<Value> {
    get_as(path, "application/json").await
}

/// `GET path` as the JSON media type `accept` (aggregated discovery, for one).
pub async fn get_as(path: &str, accept: &str) -> ApiResult<Value> {
    let resp = Request::get(path)
        .header("accept", accept)
        .send()
        .await
        .map_err(ApiError::network)?;
    finish(resp).await?.json().await.map_err(ApiError::network)
}

/// A change: `body` sent as `content_type`; answers the status code and the JSON answer.
pub async fn send(
    method: Method,
    path: &str,
    content_type: &str,
    body: Option<String>,
) -> ApiResult<(u16, Value)> {
    let req = builder(method, path).header("accept", "application/json");
    let sent = match body {
        Some(b) => {
            req.header("content-type", content_type)
                .body(b)
                .map_err(ApiError::network)?
                .send()
                .await
        }
        None => req.send().await,
    };
    let resp = finish(sent.map_err(ApiError::network)?).await?;
    let code = resp.status();
    Ok((code, resp.json().await.unwrap_or_default()))
}

thread_local! {
    static ABORTS: RefCell<HashMap<u64, AbortController>> = RefCell::new(HashMap::new());
    static NEXT: RefCell<u64> = const { RefCell::new(0) };
}

/// Aborts the streams a page opened: the one open now when `signal` is asked again, all of
/// them when the page (the reactive owner it was made in) is cleaned up.
#[derive(Debug, Clone, Copy)]
pub struct Aborter(u64);

impl Aborter {
    pub fn new() -> Aborter {
        let id = NEXT.with(|n| {
            *n.borrow_mut() += 1;
            *n.borrow()
        });
        on_cleanup(move || Aborter(id).abort());
        Aborter(id)
    }

    /// A fresh signal (aborting the previous stream).
    pub fn signal(self) -> Option<AbortSignal> {
        self.abort();
        let c = AbortController::new().ok()?;
        let s = c.signal();
        ABORTS.with(|a| a.borrow_mut().insert(self.0, c));
        Some(s)
    }

    pub fn abort(self) {
        if let Some(c) = ABORTS.with(|a| a.borrow_mut().remove(&self.0)) {
            c.abort();
        }
    }

    /// Whether the last signal was aborted (or none is open).
    pub fn aborted(self) -> bool {
        ABORTS.with(|a| a.borrow().get(&self.0).is_none_or(|c| c.signal().aborted()))
    }
}

/// Reads a streamed `GET path` line by line: `on_lines` gets each batch of complete lines as
/// it arrives (and the unterminated rest at the end) and returns `false` to stop.
pub async fn stream_lines(
    path: &str,
    aborter: Aborter,
    mut on_lines: impl FnMut(Vec<String>) -> bool,
) -> ApiResult<()> {
    let resp = Request::get(path)
        .abort_signal(aborter.signal().as_ref())
        .send()
        .await
        .map_err(ApiError::network)?;
    let resp = finish(resp).await?;
    let Some(body) = resp.body() else {
        return Ok(());
    };
    let reader: ReadableStreamDefaultReader = body.get_reader().unchecked_into();
    let mut pending: Vec<u8> = Vec::new();
    loop {
        let chunk = JsFuture::from(reader.read())
            .await
            .map_err(|e| ApiError::network(format!("{e:?}")))?;
        let done = js_sys::Reflect::get(&chunk, &"done".into())
            .ok()
            .and_then(|d| d.as_bool())
            .unwrap_or(true);
        if let Ok(v) = js_sys::Reflect::get(&chunk, &"value".into())
            && let Some(bytes) = v.dyn_ref::<js_sys::Uint8Array>()
        {
            pending.extend(bytes.to_vec());
        }
        let cut = if done {
            pending.len()
        } else {
            pending
                .iter()
                .rposition(|b| *b == b'\n')
                .map_or(0, |p| p + 1)
        };
        if cut > 0 {
            let text = String::from_utf8_lossy(&pending[..cut]).into_owned();
            pending.drain(..cut);
            let lines: Vec<String> = text.lines().map(str::to_string).collect();
            if !on_lines(lines) {
                let _ = reader.cancel();
                return Ok(());
            }
        }
        if done {
            return Ok(());
        }
    }
}
