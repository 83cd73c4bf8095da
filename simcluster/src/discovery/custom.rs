//! The registry as it changes at run time: the built-in API surface plus the resources of the
//! established CustomResourceDefinitions, swapped as a whole when a CRD changes.

use std::sync::{Arc, RwLock};

use super::{GroupEntry, Registry, ResourceInfo, VersionEntry};

/// The built-in registry and the current one (built-ins + custom resources).
#[derive(Debug)]
pub struct DynRegistry {
    base: Arc<Registry>,
    current: RwLock<Arc<Registry>>,
}

impl From<Registry> for DynRegistry {
    fn from(base: Registry) -> Self {
        let base = Arc::new(base);
        DynRegistry {
            current: RwLock::new(base.clone()),
            base,
        }
    }
}

impl DynRegistry {
    /// The served API surface now (cheap: one `Arc` clone).
    pub fn current(&self) -> Arc<Registry> {
        self.current
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// The built-in API surface (without custom resources).
    pub fn base(&self) -> &Registry {
        &self.base
    }

    /// Serve the built-ins plus `custom` (the served versions of every established CRD).
    pub fn set_custom(&self, custom: Vec<ResourceInfo>) {
        let next = Arc::new(self.base.with_custom(custom));
        *self.current.write().unwrap_or_else(|e| e.into_inner()) = next;
    }
}

/// Kubernetes version priority: GA before beta before alpha, higher numbers first, then
/// other names alphabetically (`v2 > v1 > v1beta2 > v1beta1 > v1alpha1 > foo`).
pub fn version_order(a: &str, b: &str) -> std::cmp::Ordering {
    fn key(v: &str) -> (u8, i64, i64, String) {
        let parse = || -> Option<(u8, i64, i64)> {
            let rest = v.strip_prefix('v')?;
            let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
            let major: i64 = digits.parse().ok()?;
            let tail = &rest[digits.len()..];
            if tail.is_empty() {
                return Some((3, major, 0));
            }
            for (pre, rank) in [("beta", 2), ("alpha", 1)] {
                if let Some(n) = tail.strip_prefix(pre) {
                    return Some((rank, major, n.parse().ok()?));
                }
            }
            None
        };
        match parse() {
            Some((rank, major, minor)) => (rank, major, minor, String::new()),
            None => (0, 0, 0, v.to_string()),
        }
    }
    let (ka, kb) = (key(a), key(b));
    kb.0.cmp(&ka.0)
        .then(kb.1.cmp(&ka.1))
        .then(kb.2.cmp(&ka.2))
        .then(ka.3.cmp(&kb.3))
}

impl Registry {
    /// This registry with the custom resources added: their groups after the built-in ones
    /// (sorted by name), versions by priority, resources by name.
    fn with_custom(&self, mut custom: Vec<ResourceInfo>) -> Registry {
        let mut reg = self.clone();
        custom.sort_by(|a, b| {
            a.group
                .cmp(&b.group)
                .then(version_order(&a.version, &b.version))
                .then(a.plural.cmp(&b.plural))
        });
        for info in custom {
            // A CRD may not take over a built-in resource.
            if reg
                .lookup(&info.group, &info.version, &info.plural)
                .is_some()
            {
                continue;
            }
            let gi = match reg.groups.iter().position(|g| g.name == info.group) {
                Some(i) => i,
                None => {
                    reg.groups.push(GroupEntry {
                        name: info.group.clone(),
                        versions: Vec::new(),
                    });
                    reg.groups.len() - 1
                }
            };
            let versions = &mut reg.groups[gi].versions;
            let vi = match versions.iter().position(|v| v.version == info.version) {
                Some(i) => i,
                None => {
                    versions.push(VersionEntry {
                        version: info.version.clone(),
                        resources: Vec::new(),
                    });
                    versions.sort_by(|a, b| version_order(&a.version, &b.version));
                    versions
                        .iter()
                        .position(|v| v.version == info.version)
                        .expect("just added")
                }
            };
            let i = reg.resources.len();
            versions[vi].resources.push(i);
            reg.by_resource.insert(
                (
                    info.group.clone(),
                    info.version.clone(),
                    info.plural.clone(),
                ),
                i,
            );
            reg.by_kind
                .entry((info.group.clone(), info.version.clone(), info.kind.clone()))
                .or_insert(i);
            reg.resources.push(info);
        }
        reg
    }
}
