//! The error of every cluster operation: unreachable apiserver, the apiserver's own `Status`
//! passed through, or a desired state the cluster cannot take yet.

use std::error::Error as _;

/// What went wrong talking to the cluster.
#[derive(Debug, thiserror::Error)]
pub enum ClusterError {
    /// No answer from the apiserver (connection refused, TLS failure, timeout...).
    #[error("the Kubernetes apiserver is unreachable: {0}")]
    Unreachable(String),
    /// The apiserver answered with an error `Status`; `message` is its own text.
    #[error("{}", api_display(*.code, .reason, .message))]
    Api {
        code: u16,
        reason: String,
        message: String,
    },
    /// The namespace is being deleted; it can be set up again once it is gone.
    #[error("namespace {0} is being deleted (Terminating); it can be set up again once it is gone")]
    Terminating(String),
    /// The desired state itself is not acceptable (nothing was sent to the cluster).
    #[error("{0}")]
    Invalid(String),
    /// Any other client-side failure (e.g. an answer that could not be decoded).
    #[error("Kubernetes client error: {0}")]
    Other(String),
}

fn api_display(code: u16, reason: &str, message: &str) -> String {
    if message.is_empty() {
        format!("the Kubernetes apiserver answered {code} {reason}")
    } else {
        message.to_string()
    }
}

impl ClusterError {
    /// The cluster could not be reached (or answered that it is unavailable): retry later.
    pub fn is_unreachable(&self) -> bool {
        match self {
            ClusterError::Unreachable(_) => true,
            ClusterError::Api { code, .. } => matches!(code, 502..=504),
            _ => false,
        }
    }

    /// The HTTP code of an apiserver error.
    pub fn code(&self) -> Option<u16> {
        match self {
            ClusterError::Api { code, .. } => Some(*code),
            _ => None,
        }
    }

    /// 404 from the apiserver.
    pub fn is_not_found(&self) -> bool {
        self.code() == Some(404)
    }

    /// 409 from the apiserver (a write lost an optimistic-concurrency race, or already exists).
    pub fn is_conflict(&self) -> bool {
        self.code() == Some(409)
    }
}

/// The error and its sources, `a: b: c`, without repeating a source already in the text.
pub(crate) fn chain(e: &(dyn std::error::Error + 'static)) -> String {
    let mut out = e.to_string();
    let mut cur = e.source();
    while let Some(s) = cur {
        let text = s.to_string();
        if !out.contains(&text) {
            out.push_str(": ");
            out.push_str(&text);
        }
        cur = s.source();
    }
    out
}

impl From<kube::Error> for ClusterError {
    fn from(e: kube::Error) -> Self {
        match e {
            kube::Error::Api(status) => ClusterError::Api {
                code: status.code,
                reason: status.reason,
                message: status.message,
            },
            kube::Error::HyperError(_) | kube::Error::Service(_) | kube::Error::ReadEvents(_) => {
                let text = match e.source() {
                    Some(s) => chain(s),
                    None => e.to_string(),
                };
                ClusterError::Unreachable(text)
            }
            other => ClusterError::Other(chain(&other)),
        }
    }
}
