//! ku8portal: a multi-tenant portal for a shared Kubernetes cluster (library behind the binary).

pub mod cli;
pub mod db;
pub mod reconciler;
pub mod web;
