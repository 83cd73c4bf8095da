//! Helpers shared by the integration tests: a database per test, an HTTP client for the
//! portal API, and a portal with its own simulated cluster.
#![allow(dead_code)]

pub mod db;
pub mod http;
pub mod kubectl;
pub mod portal;
pub mod process;
pub mod tenancy;
