//! The tenant-isolating Kubernetes API proxy (issue 5). So far: the one strict parser every
//! proxied request goes through before it is authorized (`path`).

pub mod path;
