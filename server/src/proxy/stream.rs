//! Long-running answers (watches, followed logs): one or several upstream streams merged into
//! one response body that ends when any of them ends, when the client goes away, or when the
//! caller loses access (re-checked every `RECHECK`) — a watch does not outlive a membership.

use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use axum::body::{Body, Bytes};
use futures::{Stream, StreamExt, stream};
use tokio::sync::mpsc;

use super::caller::{ProxyUser, still_allowed};
use crate::state::AppState;

/// How often an open stream re-checks the caller's access.
pub const RECHECK: Duration = Duration::from_secs(2);

/// A stream of chunks from the cluster.
pub type Source = Pin<Box<dyn Stream<Item = Bytes> + Send>>;

/// The data of an upstream body (ends at the first transport error).
pub fn chunks(body: Body) -> Source {
    Box::pin(
        body.into_data_stream()
            .take_while(|c| std::future::ready(c.is_ok()))
            .filter_map(|c| std::future::ready(c.ok())),
    )
}

/// Splits a watch stream into its events (one JSON document per line) and passes each through
/// `keep`, which may drop or rewrite it; lines are emitted with their trailing newline.
pub fn events<F>(body: Body, mut keep: F) -> Source
where
    F: FnMut(&[u8]) -> Option<Bytes> + Send + 'static,
{
    let lines = stream::unfold(
        (chunks(body), Vec::<u8>::new(), false),
        |(mut src, mut buf, done)| async move {
            loop {
                if let Some(pos) = buf.iter().position(|b| *b == b'\n') {
                    let line: Vec<u8> = buf.drain(..=pos).collect();
                    return Some((Some(line), (src, buf, done)));
                }
                if done {
                    return None;
                }
                match src.next().await {
                    Some(c) => buf.extend_from_slice(&c),
                    None => {
                        // A last event without a newline still counts.
                        let rest = std::mem::take(&mut buf);
                        let rest = (!rest.trim_ascii().is_empty()).then_some(rest);
                        return Some((rest, (src, Vec::new(), true)));
                    }
                }
            }
        },
    );
    Box::pin(lines.filter_map(move |line| {
        let out = line.and_then(|l| {
            let t = l.trim_ascii();
            if t.is_empty() {
                return None;
            }
            keep(t).map(|b| {
                let mut v = b.to_vec();
                v.push(b'\n');
                Bytes::from(v)
            })
        });
        std::future::ready(out)
    }))
}

/// Merges `sources` into one response body, supervised as described in the module docs.
/// `namespaces` are the ones whose access is re-checked.
pub fn supervise(
    state: AppState,
    user: Arc<ProxyUser>,
    namespaces: Vec<String>,
    sources: Vec<Source>,
) -> Body {
    let (tx, rx) = mpsc::channel::<Result<Bytes, std::io::Error>>(64);
    tokio::spawn(async move {
        // Each source ends with a `None`, which ends the whole merge.
        let mut merged = stream::select_all(
            sources
                .into_iter()
                .map(|s| s.map(Some).chain(stream::once(async { None })).boxed()),
        );
        let mut tick = tokio::time::interval(RECHECK);
        tick.tick().await;
        loop {
            tokio::select! {
                item = merged.next() => match item {
                    Some(Some(chunk)) => {
                        if tx.send(Ok(chunk)).await.is_err() {
                            break;
                        }
                    }
                    _ => break,
                },
                _ = tick.tick() => {
                    if !still_allowed(&state, &user, &namespaces).await {
                        tracing::info!(user = %user.username, "stream ended: access was withdrawn");
                        break;
                    }
                }
                _ = tx.closed() => break,
            }
        }
    });
    Body::from_stream(tokio_stream::wrappers::ReceiverStream::new(rx))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn events_are_split_into_lines_across_chunks() {
        let body = Body::from(Bytes::from_static(
            b"{\"type\":\"ADDED\"}\n{\"type\":\"BOOKMARK\"}\n{\"type\":\"DELETED\"}",
        ));
        let out: Vec<Bytes> = events(body, |l| {
            (!l.windows(8).any(|w| w == b"BOOKMARK")).then(|| Bytes::copy_from_slice(l))
        })
        .collect()
        .await;
        assert_eq!(
            out,
            vec![
                Bytes::from_static(b"{\"type\":\"ADDED\"}\n"),
                Bytes::from_static(b"{\"type\":\"DELETED\"}\n")
            ]
        );
    }
}
