//! ku8portal: a multi-tenant portal for a shared Kubernetes cluster (library behind the binary).
//! `app::app(state)` is the whole HTTP application; `runtime` starts it with its database,
//! cluster client and background tasks.

pub mod app;
pub mod audit;
pub mod auth;
pub mod cli;
pub mod db;
pub mod demo;
pub mod error;
pub mod health;
pub mod kube_client;
pub mod metrics;
pub mod namespaces;
pub mod openapi;
pub mod proxy;
pub mod quota_requests;
pub mod reconciler;
pub mod request_id;
pub mod runtime;
pub mod state;
pub mod tenants;
pub mod time;
pub mod tls;
pub mod usage;
pub mod users;
pub mod validate;
pub mod web;
