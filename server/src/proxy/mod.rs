//! The tenant-isolating Kubernetes API proxy (issue 5). So far: the one strict parser every
//! proxied request goes through (`path`) and the authorization decision on its result (`authz`).

pub mod authz;
pub mod path;
