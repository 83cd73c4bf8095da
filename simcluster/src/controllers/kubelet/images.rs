//! What the simulated container runtime knows about images and containers: normalized image
//! references and digests, which pulls fail (and with which containerd error), pull times and
//! sizes, which containers crash or finish, container IDs — all stable for a random seed.

use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::resources::json::{arr_at, str_at};
use crate::sim_metrics::{hash64, unit};

/// `nginx:1.27` → `docker.io/library/nginx:1.27`, as containerd reports image references.
pub fn normalize(image: &str) -> String {
    let (name, digest) = match image.split_once('@') {
        Some((n, d)) => (n, Some(d)),
        None => (image, None),
    };
    let first = name.split('/').next().unwrap_or("");
    let has_registry =
        name.contains('/') && (first.contains('.') || first.contains(':') || first == "localhost");
    let mut full = if has_registry {
        name.to_string()
    } else if name.contains('/') {
        format!("docker.io/{name}")
    } else {
        format!("docker.io/library/{name}")
    };
    let last = full.rsplit('/').next().unwrap_or("");
    if digest.is_none() && !last.contains(':') {
        full.push_str(":latest");
    }
    match digest {
        Some(d) => format!("{full}@{d}"),
        None => full,
    }
}

/// The repository of a normalized reference (`docker.io/library/nginx`).
fn repository(full: &str) -> &str {
    let no_digest = full.split('@').next().unwrap_or(full);
    match no_digest.rfind(':') {
        Some(i) if !no_digest[i..].contains('/') => &no_digest[..i],
        _ => no_digest,
    }
}

/// `docker.io/library/nginx@sha256:…`: the digest the runtime resolved the image to.
pub fn image_id(image: &str) -> String {
    let full = normalize(image);
    if let Some((repo, digest)) = full.split_once('@') {
        return format!("{}@{digest}", repository(repo));
    }
    let digest = Sha256::digest(full.as_bytes());
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    format!("{}@sha256:{hex}", repository(&full))
}

/// A containerd container ID for a container instance.
pub fn container_id(pod_uid: &str, container: &str, restart: i64) -> String {
    let digest = Sha256::digest(format!("{pod_uid}/{container}/{restart}").as_bytes());
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    format!("containerd://{hex}")
}

/// Why pulling `image` fails, or `None` when it succeeds: images with "doesnotexist" in their
/// name never exist; otherwise `fraction` of the (non-system) images fail, chosen by the seed.
pub fn pull_error(image: &str, seed: u64, fraction: f64) -> Option<String> {
    let full = normalize(image);
    if image.contains("doesnotexist") {
        return Some(format!(
            "rpc error: code = NotFound desc = failed to pull and unpack image \"{full}\": failed to resolve reference \"{full}\": {full}: not found"
        ));
    }
    let system = full.starts_with("registry.k8s.io/");
    if !system && fraction > 0.0 && unit(hash64(seed, &["image-fails", &full])) < fraction {
        return Some(format!(
            "rpc error: code = Unknown desc = failed to pull and unpack image \"{full}\": failed to resolve reference \"{full}\": pull access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed"
        ));
    }
    None
}

/// `Successfully pulled image "x" in 2.513s (2.513s including waiting). Image size: N bytes.`
pub fn pulled_message(image: &str, seed: u64) -> String {
    let h = hash64(seed, &["pull", image]);
    let millis = 400 + (h % 7600);
    let size = 3_000_000 + (h >> 20) % 240_000_000;
    let secs = format!("{}.{:03}s", millis / 1000, millis % 1000);
    format!(
        "Successfully pulled image \"{image}\" in {secs} ({secs} including waiting). Image size: {size} bytes."
    )
}

fn command_text(c: &Value) -> String {
    arr_at(c, "command")
        .iter()
        .chain(arr_at(c, "args"))
        .filter_map(Value::as_str)
        .collect::<Vec<_>>()
        .join(" ")
}

/// Whether a container exits with an error and after how many seconds: images with "crash" in
/// their name, commands that `exit` non-zero or run `false`.
pub fn crash(c: &Value) -> Option<(i64, u64)> {
    let cmd = command_text(c);
    let image = str_at(c, "image");
    let code = cmd
        .split("exit ")
        .skip(1)
        .filter_map(|rest| {
            rest.trim()
                .split(|ch: char| !ch.is_ascii_digit())
                .next()?
                .parse::<i64>()
                .ok()
        })
        .find(|n| *n != 0);
    let code = code.or_else(|| (cmd.trim() == "false" || cmd.ends_with(" false")).then_some(1));
    let code = code.or_else(|| image.contains("crash").then_some(1))?;
    Some((code, sleep_seconds(&cmd).unwrap_or(3).clamp(1, 60)))
}

/// The `sleep N` in a command, if any.
pub fn sleep_seconds(cmd: &str) -> Option<u64> {
    cmd.split("sleep ")
        .nth(1)?
        .split(|ch: char| !ch.is_ascii_digit())
        .next()?
        .parse()
        .ok()
}

/// Whether a container ignores SIGTERM (a shell's `sleep` as PID 1): it is killed only when the
/// grace period ends.
pub fn ignores_sigterm(c: &Value) -> bool {
    command_text(c).contains("sleep")
}

/// Whether a stopped instance needs a fresh pull (`Always`, or `:latest` without a policy).
pub fn needs_pull(c: &Value, pulled_before: bool) -> bool {
    match str_at(c, "imagePullPolicy") {
        "Always" => true,
        "Never" => false,
        _ => !pulled_before,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn normalizes_like_containerd() {
        assert_eq!(normalize("nginx"), "docker.io/library/nginx:latest");
        assert_eq!(normalize("nginx:1.27"), "docker.io/library/nginx:1.27");
        assert_eq!(
            normalize("grafana/grafana:11.1.0"),
            "docker.io/grafana/grafana:11.1.0"
        );
        assert_eq!(
            normalize("registry.k8s.io/pause:3.10"),
            "registry.k8s.io/pause:3.10"
        );
        assert_eq!(normalize("localhost:5000/app"), "localhost:5000/app:latest");
        assert!(image_id("nginx:1.27").starts_with("docker.io/library/nginx@sha256:"));
        assert_eq!(
            image_id("nginx:1.27").len(),
            "docker.io/library/nginx@sha256:".len() + 64
        );
        assert_eq!(
            image_id("nginx:1.27"),
            image_id("docker.io/library/nginx:1.27")
        );
        assert_eq!(
            image_id("localhost:5000/app:v1"),
            format!(
                "localhost:5000/app@{}",
                image_id("localhost:5000/app:v1").split('@').nth(1).unwrap()
            )
        );
    }

    #[test]
    fn failing_pulls() {
        let e = pull_error("nginx:doesnotexist", 1, 0.0).unwrap();
        assert!(
            e.ends_with("docker.io/library/nginx:doesnotexist: not found"),
            "{e}"
        );
        assert!(pull_error("nginx:1.27", 1, 0.0).is_none());
        assert!(pull_error("nginx:1.27", 1, 1.0).is_some());
        assert!(pull_error("registry.k8s.io/coredns/coredns:v1.12.1", 1, 1.0).is_none());
        let failing = (0..200)
            .filter(|i| pull_error(&format!("app{i}:v1"), 9, 0.25).is_some())
            .count();
        assert!((25..=75).contains(&failing), "{failing}");
    }

    #[test]
    fn crash_markers() {
        assert_eq!(
            crash(&json!({"image": "busybox", "command": ["sh", "-c", "sleep 5; exit 2"]})),
            Some((2, 5))
        );
        assert_eq!(
            crash(&json!({"image": "busybox", "command": ["false"]})),
            Some((1, 3))
        );
        assert_eq!(crash(&json!({"image": "example/crashy:1"})), Some((1, 3)));
        assert_eq!(crash(&json!({"image": "nginx", "args": ["exit 0"]})), None);
        assert!(ignores_sigterm(
            &json!({"image": "busybox", "command": ["sleep", "3600"]})
        ));
    }
}
