//! The deterministic resource-usage model behind `metrics.k8s.io`: per-container CPU and memory
//! that depend only on the random seed, the pod's namespace/name, its image, requests and limits,
//! and the time. Usage moves smoothly over minutes and hours, correlates with requests, stays
//! below limits and starts with a warm-up; node usage is the sum of its pods plus the overhead
//! of the system daemons. Also the stable hash the other simulated parts use for their choices.

use std::f64::consts::TAU;

use chrono::{DateTime, TimeZone, Utc};
use serde_json::Value;

use crate::resources::Quantity;
use crate::resources::json::{arr_at, str_at};

/// A stable 64-bit hash of a seed and some strings (FNV-1a, then a splitmix64 finish).
pub fn hash64(seed: u64, parts: &[&str]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325 ^ seed.wrapping_mul(0x9e37_79b9_7f4a_7c15);
    for p in parts {
        for b in p.bytes().chain(std::iter::once(0xff)) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    h ^= h >> 30;
    h = h.wrapping_mul(0xbf58_476d_1ce4_e5b9);
    h ^= h >> 27;
    h = h.wrapping_mul(0x94d0_49bb_1331_11eb);
    h ^ (h >> 31)
}

/// A hash mapped to [0, 1).
pub fn unit(h: u64) -> f64 {
    (h >> 11) as f64 / (1u64 << 53) as f64
}

/// Smooth value noise in [-1, 1]: random values at integer knots, cosine-interpolated.
fn noise(seed: u64, key: &str, x: f64) -> f64 {
    let i = x.floor();
    let f = x - i;
    let knot = |n: f64| unit(hash64(seed, &[key, &format!("{n}")])) * 2.0 - 1.0;
    let (a, b) = (knot(i), knot(i + 1.0));
    let w = (1.0 - (f * std::f64::consts::PI).cos()) / 2.0;
    a * (1.0 - w) + b * w
}

/// CPU (nanocores) and memory (bytes) in use.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Usage {
    pub cpu_nanos: i64,
    pub memory_bytes: i64,
}

impl std::ops::AddAssign for Usage {
    fn add_assign(&mut self, o: Usage) {
        self.cpu_nanos += o.cpu_nanos;
        self.memory_bytes += o.memory_bytes;
    }
}

/// metrics-server's CPU format: nanocores (`123456789n`).
pub fn format_cpu(nanos: i64) -> String {
    format!("{}n", nanos.max(0))
}

/// metrics-server's memory format: kibibytes (`123456Ki`).
pub fn format_memory(bytes: i64) -> String {
    format!("{}Ki", bytes.max(0) / 1024)
}

/// Metrics are scraped every 15 s: the time a sample at `now` was taken.
pub fn sample_time(now: DateTime<Utc>) -> DateTime<Utc> {
    let t = now.timestamp();
    Utc.timestamp_opt(t - t.rem_euclid(15), 0)
        .single()
        .unwrap_or(now)
}

fn quantity(v: &Value, path: &str, milli: bool) -> Option<i64> {
    let s = str_at(v, path);
    let q = Quantity::parse(s).ok()?;
    Some(if milli { q.milli_value() } else { q.value() })
}

const MI: f64 = 1024.0 * 1024.0;

/// Typical idle usage of an image when nothing is requested: (CPU millicores, memory MiB) ranges.
fn profile(image: &str) -> ((f64, f64), (f64, f64)) {
    let i = image.to_ascii_lowercase();
    let has = |words: &[&str]| words.iter().any(|w| i.contains(w));
    if has(&["busybox", "alpine", "pause", "sleep"]) {
        ((0.1, 1.0), (0.3, 1.5))
    } else if has(&["nginx", "httpd", "caddy", "traefik", "envoy", "echo"]) {
        ((1.0, 6.0), (3.0, 14.0))
    } else if has(&["redis", "memcached", "coredns"]) {
        ((2.0, 8.0), (8.0, 40.0))
    } else if has(&["postgres", "mysql", "mariadb", "mongo", "etcd"]) {
        ((6.0, 40.0), (40.0, 180.0))
    } else if has(&[
        "java",
        "jvm",
        "kafka",
        "elastic",
        "keycloak",
        "kube-apiserver",
        "grafana",
        "prometheus",
    ]) {
        ((20.0, 120.0), (150.0, 600.0))
    } else {
        ((3.0, 35.0), (20.0, 140.0))
    }
}

/// Usage of one container of `pod` at `at`, started at `started`.
pub fn container_usage(
    seed: u64,
    pod: &Value,
    container: &Value,
    started: Option<DateTime<Utc>>,
    at: DateTime<Utc>,
) -> Usage {
    let ns = str_at(pod, "metadata/namespace");
    let pod_name = str_at(pod, "metadata/name");
    let c_name = str_at(container, "name");
    let key = format!("{ns}/{pod_name}/{c_name}");
    let r = |what: &str| unit(hash64(seed, &[&key, what]));
    let ((cpu_lo, cpu_hi), (mem_lo, mem_hi)) = profile(str_at(container, "image"));
    let cpu_req = quantity(container, "resources/requests/cpu", true);
    let cpu_lim = quantity(container, "resources/limits/cpu", true);
    let mem_req = quantity(container, "resources/requests/memory", false);
    let mem_lim = quantity(container, "resources/limits/memory", false);

    let idle_cpu = cpu_lo + (cpu_hi - cpu_lo) * r("cpu").powi(2);
    let base_cpu = match cpu_req {
        Some(req) if req > 0 => (req as f64 * (0.08 + 0.55 * r("cpu-share"))).max(idle_cpu),
        _ => idle_cpu,
    };
    let idle_mem = (mem_lo + (mem_hi - mem_lo) * r("mem")) * MI;
    let base_mem = match mem_req {
        Some(req) if req > 0 => {
            (req as f64 * (0.3 + 0.5 * r("mem-share"))).max(idle_mem.min(req as f64 * 0.9))
        }
        _ => idle_mem,
    };

    let t = at.timestamp() as f64;
    let p1 = 1800.0 + 5400.0 * r("p1");
    let p2 = 240.0 + 660.0 * r("p2");
    let daily = 1.0 + 0.2 * (TAU * t / 86_400.0 + TAU * unit(hash64(seed, &[ns, "day"]))).sin();
    let wave =
        1.0 + 0.3 * (TAU * (t / p1 + r("ph1"))).sin() + 0.15 * (TAU * (t / p2 + r("ph2"))).sin();
    let jitter = 0.25 * noise(seed, &key, t / 45.0);
    let mut cpu = base_cpu * daily * (wave + jitter).max(0.25);
    let p3 = 900.0 + 2700.0 * r("p3");
    let saw = (t / p3 + r("ph3")).fract();
    let mut mem =
        base_mem * (0.92 + 0.08 * saw + 0.03 * noise(seed, &format!("{key}/mem"), t / 120.0));

    if let Some(s) = started {
        let age = (at - s).num_seconds().max(0) as f64;
        cpu *= 1.0 + 2.0 * (-age / 15.0).exp();
        mem *= 1.0 - 0.5 * (-age / 20.0).exp();
    }
    if let Some(l) = cpu_lim.filter(|l| *l > 0) {
        cpu = cpu.min(l as f64 * 0.92);
    }
    if let Some(l) = mem_lim.filter(|l| *l > 0) {
        mem = mem.min(l as f64 * 0.88);
    }
    let cpu_nanos = (cpu * 1_000_000.0).max(50_000.0) as i64;
    let memory_bytes = ((mem.max(256.0 * 1024.0) / 4096.0) as i64) * 4096;
    Usage {
        cpu_nanos,
        memory_bytes,
    }
}

fn parse_time(s: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(s)
        .ok()
        .map(|d| d.with_timezone(&Utc))
}

/// Usage of the running containers of a running pod (empty when nothing runs), in spec order.
pub fn pod_usage(seed: u64, pod: &Value, at: DateTime<Utc>) -> Vec<(String, Usage)> {
    if str_at(pod, "status/phase") != "Running" {
        return Vec::new();
    }
    let statuses = arr_at(pod, "status/containerStatuses");
    let mut out = Vec::new();
    for c in arr_at(pod, "spec/containers") {
        let name = str_at(c, "name");
        let Some(st) = statuses.iter().find(|s| str_at(s, "name") == name) else {
            continue;
        };
        let Some(started) = st
            .pointer("/state/running/startedAt")
            .and_then(Value::as_str)
        else {
            continue;
        };
        out.push((
            name.to_string(),
            container_usage(seed, pod, c, parse_time(started), at),
        ));
    }
    out
}

/// Usage of a node: its running pods plus the kubelet, container runtime and OS.
pub fn node_usage(seed: u64, node: &Value, pods: &[&Value], at: DateTime<Utc>) -> Usage {
    let name = str_at(node, "metadata/name");
    let cap_cpu = quantity(node, "status/capacity/cpu", true).unwrap_or(2000) as f64;
    let cap_mem = quantity(node, "status/capacity/memory", false).unwrap_or(4 << 30) as f64;
    let t = at.timestamp() as f64;
    let n = noise(seed, &format!("node/{name}"), t / 60.0);
    let sys_cpu = (70.0 + cap_cpu * 0.012) * (1.0 + 0.2 * n);
    let sys_mem = (550.0 * MI + cap_mem * 0.04) * (1.0 + 0.05 * n);
    let mut total = Usage {
        cpu_nanos: (sys_cpu * 1_000_000.0) as i64,
        memory_bytes: ((sys_mem / 4096.0) as i64) * 4096,
    };
    for pod in pods {
        for (_, u) in pod_usage(seed, pod, at) {
            total += u;
        }
    }
    total
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn pod(req_cpu: &str, lim_cpu: &str) -> Value {
        json!({
            "metadata": {"namespace": "shop", "name": "web-1"},
            "spec": {"containers": [{"name": "app", "image": "nginx:1.27",
                "resources": {"requests": {"cpu": req_cpu, "memory": "128Mi"}, "limits": {"cpu": lim_cpu, "memory": "256Mi"}}}]},
            "status": {"phase": "Running", "containerStatuses": [{"name": "app", "state": {"running": {"startedAt": "2026-01-01T00:00:00Z"}}}]}
        })
    }

    fn at(s: i64) -> DateTime<Utc> {
        Utc.timestamp_opt(1_767_225_600 + s, 0).unwrap()
    }

    #[test]
    fn deterministic_and_seed_dependent() {
        let p = pod("200m", "500m");
        assert_eq!(pod_usage(7, &p, at(3600)), pod_usage(7, &p, at(3600)));
        assert_ne!(pod_usage(7, &p, at(3600)), pod_usage(8, &p, at(3600)));
    }

    #[test]
    fn stays_below_limits_and_moves_smoothly() {
        let p = pod("400m", "500m");
        let mut prev: Option<Usage> = None;
        for s in (600..86_400).step_by(15) {
            let u = pod_usage(3, &p, at(s))[0].1;
            assert!(u.cpu_nanos <= 460_000_000, "cpu {} at {s}", u.cpu_nanos);
            assert!(
                u.memory_bytes <= 256 * 1024 * 1024 * 88 / 100 + 4096,
                "mem {}",
                u.memory_bytes
            );
            if let Some(p) = prev {
                let step = (u.cpu_nanos - p.cpu_nanos).abs() as f64 / p.cpu_nanos as f64;
                assert!(step < 0.5, "jump {step} at {s}");
            }
            prev = Some(u);
        }
    }

    #[test]
    fn correlates_with_requests() {
        let avg = |req: &str| -> f64 {
            let p = pod(req, "8");
            (0..200)
                .map(|i| pod_usage(1, &p, at(3600 + i * 60))[0].1.cpu_nanos as f64)
                .sum::<f64>()
                / 200.0
        };
        assert!(avg("2") > avg("100m") * 5.0);
    }

    #[test]
    fn node_is_pods_plus_overhead() {
        let node = json!({"metadata": {"name": "n1"}, "status": {"capacity": {"cpu": "8", "memory": "32Gi"}}});
        let p = pod("200m", "500m");
        let empty = node_usage(1, &node, &[], at(5000));
        let with = node_usage(1, &node, &[&p], at(5000));
        let pu = pod_usage(1, &p, at(5000))[0].1;
        assert_eq!(with.cpu_nanos, empty.cpu_nanos + pu.cpu_nanos);
        assert!(empty.memory_bytes > 500 * 1024 * 1024);
        assert_eq!(format_memory(2048), "2Ki");
        assert_eq!(format_cpu(15), "15n");
    }
}
