//! The reconciler: makes the cluster match the desired state kept in PostgreSQL.

pub mod cluster;
