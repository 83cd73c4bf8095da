//! Generated container logs: plausible lines for nginx, Redis, PostgreSQL, shell loops, batch
//! jobs and generic JSON-logging apps, deterministic per seed, pod, container and container
//! instance. Lines keep appearing (about one every few seconds) while a container runs; a
//! crashed instance ends with its error. Like a rotated log file, only the newest lines are kept.

use chrono::{DateTime, Duration, Utc};
use serde_json::Value;

use crate::resources::json::{arr_at, str_at};
use crate::sim_metrics::{hash64, unit};

/// At most this many lines of one container instance are kept (log rotation).
pub const MAX_LINES: usize = 5000;

/// One log line and when it was written.
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    pub at: DateTime<Utc>,
    pub text: String,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Kind {
    Nginx,
    Redis,
    Postgres,
    Shell,
    Job,
    /// Kubernetes components (klog text format).
    Klog,
    App,
}

/// One container instance whose log is generated.
pub struct Source {
    seed: u64,
    key: String,
    kind: Kind,
    image: String,
    echo: Option<String>,
    looping: bool,
    period: i64,
    start: DateTime<Utc>,
    /// Exit code and time when the instance has ended.
    ended: Option<(i64, DateTime<Utc>)>,
}

fn command(c: &Value) -> String {
    arr_at(c, "command")
        .iter()
        .chain(arr_at(c, "args"))
        .filter_map(Value::as_str)
        .collect::<Vec<_>>()
        .join(" ")
}

/// The text of the first `echo` in a shell command.
fn echo_text(cmd: &str) -> Option<String> {
    let rest = cmd.split("echo ").nth(1)?;
    let rest = rest.trim_start();
    let text = match rest.chars().next()? {
        q @ ('"' | '\'') => rest[1..].split(q).next().unwrap_or(""),
        _ => rest.split([';', '&', '|']).next().unwrap_or("").trim(),
    };
    Some(text.to_string())
}

impl Source {
    /// The log of instance `instance` of container `c` in `pod`, started at `start`.
    pub fn new(
        seed: u64,
        pod: &Value,
        c: &Value,
        instance: i64,
        start: DateTime<Utc>,
        ended: Option<(i64, DateTime<Utc>)>,
    ) -> Source {
        let image = str_at(c, "image").to_string();
        let cmd = command(c);
        let job = arr_at(pod, "metadata/ownerReferences")
            .iter()
            .any(|r| str_at(r, "kind") == "Job");
        let lower = image.to_ascii_lowercase();
        let echo = echo_text(&cmd);
        let kind = if job {
            Kind::Job
        } else if echo.is_some() {
            Kind::Shell
        } else if lower.contains("nginx") || lower.contains("httpd") {
            Kind::Nginx
        } else if lower.contains("/kube-")
            || lower.contains("coredns")
            || lower.contains("metrics-server")
        {
            Kind::Klog
        } else if lower.contains("redis") {
            Kind::Redis
        } else if lower.contains("postgres") {
            Kind::Postgres
        } else {
            Kind::App
        };
        let period =
            crate::controllers::kubelet::sleep_seconds(&cmd).map_or(5, |s| s.max(1) as i64);
        let looping = cmd.contains("while ") || cmd.contains("for ");
        let key = format!(
            "{}/{}/{}/{instance}",
            str_at(pod, "metadata/namespace"),
            str_at(pod, "metadata/name"),
            str_at(c, "name")
        );
        Source {
            seed,
            key,
            kind,
            image,
            echo,
            looping,
            period,
            start,
            ended,
        }
    }

    fn h(&self, parts: &[&str]) -> u64 {
        let mut all = vec![self.key.as_str()];
        all.extend_from_slice(parts);
        hash64(self.seed, &all)
    }

    fn pick<'a>(&self, what: &str, slot: i64, list: &[&'a str]) -> &'a str {
        list[(self.h(&[what, &slot.to_string()]) % list.len() as u64) as usize]
    }

    fn startup(&self) -> Vec<String> {
        let t = self.start;
        let nginx_t = t.format("%Y/%m/%d %H:%M:%S");
        match self.kind {
            Kind::Nginx => {
                let mut v: Vec<String> = [
                    "/docker-entrypoint.sh: /docker-entrypoint.d/ is not empty, will attempt to perform configuration",
                    "/docker-entrypoint.sh: Looking for shell scripts in /docker-entrypoint.d/",
                    "/docker-entrypoint.sh: Launching /docker-entrypoint.d/10-listen-on-ipv6-by-default.sh",
                    "10-listen-on-ipv6-by-default.sh: info: Getting the checksum of /etc/nginx/conf.d/default.conf",
                    "10-listen-on-ipv6-by-default.sh: info: Enabled listen on IPv6 in /etc/nginx/conf.d/default.conf",
                    "/docker-entrypoint.sh: Sourcing /docker-entrypoint.d/15-local-resolvers.envsh",
                    "/docker-entrypoint.sh: Launching /docker-entrypoint.d/20-envsubst-on-templates.sh",
                    "/docker-entrypoint.sh: Launching /docker-entrypoint.d/30-tune-worker-processes.sh",
                    "/docker-entrypoint.sh: Configuration complete; ready for start up",
                ]
                .iter()
                .map(|s| s.to_string())
                .collect();
                let version = self
                    .image
                    .rsplit(':')
                    .next()
                    .filter(|v| v.starts_with('1'))
                    .unwrap_or("1.27.5");
                for n in [
                    "using the \"epoll\" event method",
                    &format!("nginx/{version}"),
                    "built by gcc 12.2.0 (Debian 12.2.0-14) ",
                    "OS: Linux 6.8.0-60-generic",
                    "getrlimit(RLIMIT_NOFILE): 1048576:1048576",
                    "start worker processes",
                    "start worker process 29",
                    "start worker process 30",
                ] {
                    v.push(format!("{nginx_t} [notice] 1#1: {n}"));
                }
                v
            }
            Kind::Redis => {
                let rt = t.format("%d %b %Y %H:%M:%S%.3f");
                vec![
                    format!("1:C {rt} * oO0OoO0OoO0Oo Redis is starting oO0OoO0OoO0Oo"),
                    format!(
                        "1:C {rt} * Redis version=7.2.5, bits=64, commit=00000000, modified=0, pid=1, just started"
                    ),
                    format!(
                        "1:C {rt} # Warning: no config file specified, using the default config. In order to specify a config file use redis-server /path/to/redis.conf"
                    ),
                    format!("1:M {rt} * monotonic clock: POSIX clock_gettime"),
                    format!("1:M {rt} * Running mode=standalone, port=6379."),
                    format!("1:M {rt} * Server initialized"),
                    format!("1:M {rt} * Ready to accept connections tcp"),
                ]
            }
            Kind::Postgres => {
                let pt = t.format("%Y-%m-%d %H:%M:%S%.3f UTC");
                vec![
                    String::new(),
                    "PostgreSQL Database directory appears to contain a database; Skipping initialization".into(),
                    String::new(),
                    format!("{pt} [1] LOG:  starting PostgreSQL 16.4 (Debian 16.4-1.pgdg120+2) on x86_64-pc-linux-gnu, compiled by gcc (Debian 12.2.0-14) 12.2.0, 64-bit"),
                    format!("{pt} [1] LOG:  listening on IPv4 address \"0.0.0.0\", port 5432"),
                    format!("{pt} [1] LOG:  listening on Unix socket \"/var/run/postgresql/.s.PGSQL.5432\""),
                    format!("{pt} [29] LOG:  database system was shut down at {pt}"),
                    format!("{pt} [1] LOG:  database system is ready to accept connections"),
                ]
            }
            Kind::Klog => {
                let component = self
                    .image
                    .rsplit('/')
                    .next()
                    .unwrap_or("component")
                    .split(':')
                    .next()
                    .unwrap_or("component");
                let version = self.image.rsplit(':').next().unwrap_or("v1.36.2");
                vec![
                    klog(t, 'I', "flags.go:64", "FLAG: --v=\"2\""),
                    klog(
                        t,
                        'I',
                        "server.go:164",
                        &format!("\"Starting {component}\" version=\"{version}\""),
                    ),
                    klog(
                        t,
                        'I',
                        "tlsconfig.go:243",
                        "\"Starting DynamicServingCertificateController\"",
                    ),
                    klog(
                        t,
                        'I',
                        "secure_serving.go:213",
                        "Serving securely on [::]:10250",
                    ),
                ]
            }
            Kind::Shell if !self.looping => self.echo.clone().into_iter().collect(),
            Kind::Shell => Vec::new(),
            Kind::Job => vec![format!(
                "starting {} (attempt {})",
                self.key.split('/').nth(1).unwrap_or("job"),
                1
            )],
            Kind::App => vec![
                json_line(
                    t,
                    "info",
                    "starting server",
                    &format!(
                        ",\"version\":\"{}\",\"addr\":\":8080\"",
                        self.image.rsplit(':').next().unwrap_or("latest")
                    ),
                ),
                json_line(t, "info", "connected to backing services", ""),
                json_line(t, "info", "ready to serve requests", ""),
            ],
        }
    }

    /// The line of a one-second slot after start-up, if that second logs anything.
    fn periodic(&self, slot: i64, at: DateTime<Utc>) -> Option<String> {
        let roll = unit(self.h(&["slot", &slot.to_string()]));
        match self.kind {
            Kind::Nginx if roll < 0.3 => {
                let probe = roll < 0.12;
                let client = if probe {
                    "10.244.0.1".to_string()
                } else {
                    format!(
                        "10.244.{}.{}",
                        self.h(&["net", &slot.to_string()]) % 4,
                        2 + self.h(&["host", &slot.to_string()]) % 40
                    )
                };
                let path = if probe {
                    "/"
                } else {
                    self.pick(
                        "path",
                        slot,
                        &[
                            "/",
                            "/index.html",
                            "/api/products?page=2",
                            "/static/app.js",
                            "/static/style.css",
                            "/cart",
                            "/favicon.ico",
                            "/api/cart/items",
                        ],
                    )
                };
                let status = if path == "/favicon.ico" {
                    "404"
                } else {
                    self.pick(
                        "status",
                        slot,
                        &["200", "200", "200", "200", "304", "200", "200", "500"],
                    )
                };
                let ua = if probe {
                    "kube-probe/1.36"
                } else {
                    self.pick("ua", slot, &["Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36", "curl/8.5.0", "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_6) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.0 Safari/605.1.15"])
                };
                let bytes = if status == "304" {
                    0
                } else {
                    150 + self.h(&["bytes", &slot.to_string()]) % 4000
                };
                let method = if path.starts_with("/api/cart") {
                    "POST"
                } else {
                    "GET"
                };
                Some(format!(
                    "{client} - - [{}] \"{method} {path} HTTP/1.1\" {status} {bytes} \"-\" \"{ua}\" \"-\"",
                    at.format("%d/%b/%Y:%H:%M:%S +0000")
                ))
            }
            Kind::Redis if roll < 0.01 => Some(format!(
                "1:M {} * 100 changes in 300 seconds. Saving...",
                at.format("%d %b %Y %H:%M:%S%.3f")
            )),
            Kind::Postgres if roll < 0.008 => Some(format!(
                "{} [27] LOG:  checkpoint complete: wrote {} buffers ({:.1}%); 0 WAL file(s) added, 0 removed, 0 recycled",
                at.format("%Y-%m-%d %H:%M:%S%.3f UTC"),
                3 + self.h(&["buf", &slot.to_string()]) % 200,
                unit(self.h(&["pct", &slot.to_string()])) * 2.0
            )),
            Kind::Shell if self.looping && slot.rem_euclid(self.period) == 0 => self.echo.clone(),
            Kind::Klog if roll < 0.02 => Some(klog(
                at,
                'I',
                "reflector.go:376",
                &format!(
                    "\"Caches populated\" type=\"*v1.{}\" reflector=\"k8s.io/client-go/informers/factory.go:160\"",
                    self.pick(
                        "type",
                        slot,
                        &[
                            "Pod",
                            "Node",
                            "Service",
                            "EndpointSlice",
                            "ConfigMap",
                            "Namespace"
                        ]
                    )
                ),
            )),
            Kind::Job if slot.rem_euclid(2) == 0 => Some(format!(
                "processed batch {} ({} records)",
                slot / 2 + 1,
                500 + self.h(&["rec", &slot.to_string()]) % 1500
            )),
            Kind::App if roll < 0.25 => {
                let path = self.pick(
                    "path",
                    slot,
                    &[
                        "/api/v1/items",
                        "/api/v1/items/42",
                        "/healthz",
                        "/api/v1/orders",
                        "/metrics",
                    ],
                );
                let status = self.pick("status", slot, &["200", "200", "200", "201", "404", "200"]);
                let ms = 1 + self.h(&["ms", &slot.to_string()]) % 120;
                Some(json_line(
                    at,
                    if status == "404" { "warn" } else { "info" },
                    "request completed",
                    &format!(
                        ",\"method\":\"GET\",\"path\":\"{path}\",\"status\":{status},\"duration_ms\":{ms}"
                    ),
                ))
            }
            _ => None,
        }
    }

    fn last_words(&self, code: i64, at: DateTime<Utc>) -> Vec<String> {
        match (self.kind, code) {
            (Kind::Job, 0) => vec!["done".into()],
            (_, 0) => Vec::new(),
            (Kind::Shell | Kind::Job, _) => {
                vec![format!("error: command failed with exit code {code}")]
            }
            _ => vec![json_line(
                at,
                "fatal",
                "cannot connect to database",
                ",\"error\":\"dial tcp 10.96.12.7:5432: connect: connection refused\"",
            )],
        }
    }

    fn stamp(&self, second: DateTime<Utc>, what: &str) -> DateTime<Utc> {
        second + Duration::nanoseconds((self.h(&["ns", what]) % 999_000_000) as i64)
    }

    /// The newest `max` lines written up to `until` (or until the instance ended), oldest first.
    pub fn lines(&self, until: DateTime<Utc>, max: usize) -> Vec<Line> {
        let end = self.ended.map_or(until, |(_, t)| t.min(until));
        let max = max.min(MAX_LINES);
        let mut out: Vec<Line> = Vec::new();
        if let Some((code, t)) = self.ended.filter(|(_, t)| *t <= until) {
            for (i, text) in self.last_words(code, t).into_iter().enumerate().rev() {
                out.push(Line {
                    at: t + Duration::microseconds(i as i64),
                    text,
                });
            }
        }
        let first_slot = 1;
        let mut slot = (end - self.start).num_seconds();
        // Rotation: nothing older than a week is kept.
        let oldest = (slot - 7 * 86_400).max(first_slot);
        while slot >= oldest && out.len() < max {
            let second = self.start + Duration::seconds(slot);
            if let Some(text) = self.periodic(slot, second) {
                let at = self.stamp(second, &slot.to_string());
                if at <= end {
                    out.push(Line { at, text });
                }
            }
            slot -= 1;
        }
        if slot < first_slot {
            for (i, text) in self.startup().into_iter().enumerate().rev() {
                out.push(Line {
                    at: self.start + Duration::milliseconds(3 + 2 * i as i64),
                    text,
                });
            }
        }
        out.truncate(max);
        out.reverse();
        out.retain(|l| l.at <= until);
        out
    }
}

fn klog(at: DateTime<Utc>, level: char, at_file: &str, msg: &str) -> String {
    format!(
        "{level}{} {:>7} {at_file}] {msg}",
        at.format("%m%d %H:%M:%S%.6f"),
        1
    )
}

fn json_line(at: DateTime<Utc>, level: &str, msg: &str, extra: &str) -> String {
    format!(
        "{{\"time\":\"{}\",\"level\":\"{level}\",\"msg\":\"{msg}\"{extra}}}",
        at.format("%Y-%m-%dT%H:%M:%S%.3fZ")
    )
}

#[cfg(test)]
#[path = "sim_logs_tests.rs"]
mod tests;
