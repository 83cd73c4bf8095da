//! Containers whose image cannot be pulled (`ErrImagePull`, then `ImagePullBackOff` between
//! attempts that back off up to 5 minutes) and the waiting status of containers not started.

use serde_json::{Value, json};

use super::super::status::{ContainerStatus, State};
use super::{Ctx, ERR_PULL_SECS, secs};

/// A container whose image cannot be pulled: attempts at t0, then after 10 s, 20 s, 40 s ...
/// (at most 5 minutes apart), `ErrImagePull` right after an attempt, `ImagePullBackOff` between.
#[allow(clippy::too_many_arguments)]
pub(super) fn pull_failure(
    cx: &mut Ctx,
    c: &Value,
    image: &str,
    err: String,
    waiting: &str,
    restarts: i64,
    last: Value,
    path: &str,
) -> Value {
    let now = cx.env.now;
    let gap = |attempt: i32| secs((10i64 << attempt.min(5)).min(300));
    let (mut attempt_at, mut attempt) = (cx.t0, 0);
    while attempt_at + gap(attempt) <= now {
        attempt_at += gap(attempt);
        attempt += 1;
    }
    let in_err = now < attempt_at + secs(ERR_PULL_SECS);
    let reason = if in_err {
        "ErrImagePull"
    } else {
        "ImagePullBackOff"
    };
    cx.wake_at(if in_err {
        attempt_at + secs(ERR_PULL_SECS)
    } else {
        attempt_at + gap(attempt)
    });
    if reason != waiting {
        if in_err {
            if attempt > 0 {
                cx.ev(false, "Pulling", format!("Pulling image \"{image}\""), path);
            }
            cx.ev(
                true,
                "Failed",
                format!("Failed to pull image \"{image}\": {err}"),
                path,
            );
            cx.ev(true, "Failed", "Error: ErrImagePull".into(), path);
        } else {
            cx.ev(
                false,
                "BackOff",
                format!("Back-off pulling image \"{image}\""),
                path,
            );
            cx.ev(true, "Failed", "Error: ImagePullBackOff".into(), path);
        }
    }
    let message = if in_err {
        err
    } else {
        format!("Back-off pulling image \"{image}\": ErrImagePull: {err}")
    };
    let state = State::Waiting {
        reason: reason.into(),
        message: Some(message),
    };
    ContainerStatus {
        spec: c,
        state,
        last_state: last,
        ready: false,
        restart_count: restarts,
        image_ref: None,
        container_id: None,
    }
    .to_json()
}

pub(super) fn waiting_status(c: &Value, reason: &str) -> Value {
    ContainerStatus {
        spec: c,
        state: State::Waiting {
            reason: reason.into(),
            message: None,
        },
        last_state: json!({}),
        ready: false,
        restart_count: 0,
        image_ref: None,
        container_id: None,
    }
    .to_json()
}
