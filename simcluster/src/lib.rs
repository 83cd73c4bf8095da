//! simcluster: a simulated Kubernetes API server (kube-apiserver v1.36 conventions) with the
//! controllers a user would notice, served over HTTPS with bearer-token auth, for ku8portal's
//! demo and tests. Start one with [`SimCluster::start`].

pub mod admission;
pub mod api;
pub mod cluster;
pub mod controllers;
pub mod crd;
pub mod discovery;
pub mod patch;
pub mod protobuf;
pub mod resources;
pub mod schema;
pub mod selectors;
pub mod sim_logs;
pub mod sim_metrics;
pub mod status;
pub mod store;
pub mod table;
pub mod tls;

pub use cluster::{Seed, SimCluster, SimConfig, kubeconfig_yaml};
