//! The pod-template-hash of Deployments (and the revision hash of StatefulSets/DaemonSets):
//! FNV-32a over the template plus the collision count, the decimal value rendered with
//! `rand.SafeEncodeString`'s alphabet — the same shape as `controller.ComputeHash`. The input is
//! the template's canonical JSON (sorted keys) instead of a Go-struct dump, so the values differ
//! from a real cluster's, but they are stable for a template and change with it.

use serde_json::Value;

const ALPHANUMS: &[u8] = b"bcdfghjklmnpqrstvwxz2456789";

fn fnv32a(bytes: &[u8], mut h: u32) -> u32 {
    for b in bytes {
        h ^= u32::from(*b);
        h = h.wrapping_mul(0x0100_0193);
    }
    h
}

/// Write `v` as JSON with object keys sorted (independent of the stored key order).
fn canonical(v: &Value, out: &mut String) {
    match v {
        Value::Object(m) => {
            let mut keys: Vec<&String> = m.keys().collect();
            keys.sort();
            out.push('{');
            for (i, k) in keys.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&Value::String((*k).clone()).to_string());
                out.push(':');
                canonical(&m[*k], out);
            }
            out.push('}');
        }
        Value::Array(a) => {
            out.push('[');
            for (i, x) in a.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                canonical(x, out);
            }
            out.push(']');
        }
        other => out.push_str(&other.to_string()),
    }
}

/// `rand.SafeEncodeString`.
pub fn safe_encode(s: &str) -> String {
    s.bytes()
        .map(|b| ALPHANUMS[usize::from(b) % ALPHANUMS.len()] as char)
        .collect()
}

/// The hash of a pod template with an optional collision count.
pub fn compute_hash(template: &Value, collision_count: Option<i64>) -> String {
    let mut text = String::new();
    canonical(template, &mut text);
    let mut h = fnv32a(text.as_bytes(), 0x811c_9dc5);
    if let Some(c) = collision_count {
        // The real hasher writes the count as a little-endian uint32 into 8 bytes.
        let mut bytes = [0u8; 8];
        bytes[..4].copy_from_slice(&(c as u32).to_le_bytes());
        h = fnv32a(&bytes, h);
    }
    safe_encode(&h.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn stable_shaped_and_sensitive_to_changes() {
        let a = json!({"metadata": {"labels": {"app": "web"}}, "spec": {"containers": [{"name": "app", "image": "nginx:1.27"}]}});
        let b = json!({"spec": {"containers": [{"image": "nginx:1.27", "name": "app"}]}, "metadata": {"labels": {"app": "web"}}});
        let h = compute_hash(&a, None);
        assert_eq!(h, compute_hash(&b, None), "key order does not matter");
        assert!(
            (6..=10).contains(&h.len()) && h.bytes().all(|c| ALPHANUMS.contains(&c)),
            "{h}"
        );
        assert_ne!(h, compute_hash(&a, Some(1)));
        let c = json!({"metadata": {"labels": {"app": "web"}}, "spec": {"containers": [{"name": "app", "image": "nginx:1.28"}]}});
        assert_ne!(h, compute_hash(&c, None));
        assert_eq!(fnv32a(b"a", 0x811c_9dc5), 0xe40c_292c);
    }
}
