//! Cron schedules as `robfig/cron/v3`'s standard parser reads them (5 fields, ranges, steps,
//! month and weekday names, `*`/`?`, `@hourly`-style descriptors, `@every`, a `CRON_TZ=`/`TZ=`
//! prefix) and the next activation time in a time zone.

use chrono::{DateTime, Datelike, TimeZone, Utc};

use super::tz::{self, Zone};

const MONTHS: [&str; 12] = [
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];
const DOWS: [&str; 7] = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];

/// A parsed schedule.
#[derive(Debug, Clone)]
pub enum Schedule {
    Fields {
        minute: u64,
        hour: u64,
        dom: u64,
        month: u64,
        dow: u64,
        dom_star: bool,
        dow_star: bool,
        zone: Zone,
    },
    Every(i64),
}

fn field(expr: &str, min: u32, max: u32, names: &[&str], base: u32) -> Result<(u64, bool), String> {
    let mut bits = 0u64;
    let mut star = false;
    for part in expr.split(',') {
        let (range, step) = match part.split_once('/') {
            Some((r, s)) => (
                r,
                Some(s.parse::<u32>().map_err(|_| format!("bad step: {part}"))?),
            ),
            None => (part, None),
        };
        let value = |s: &str| -> Result<u32, String> {
            let lower = s.to_lowercase();
            match names.iter().position(|n| *n == lower) {
                Some(i) => Ok(i as u32 + base),
                None => s
                    .parse()
                    .map_err(|_| format!("failed to parse int from {s}")),
            }
        };
        let (start, mut end) = if range == "*" || range == "?" {
            star = true;
            (min, max)
        } else {
            match range.split_once('-') {
                Some((a, b)) => (value(a)?, value(b)?),
                None => {
                    let v = value(range)?;
                    (v, v)
                }
            }
        };
        if step.is_some() && !range.contains('-') && range != "*" && range != "?" {
            end = max;
        }
        let step = step.unwrap_or(1);
        if start < min || end > max || start > end || step == 0 {
            return Err(format!("bad range: {part}"));
        }
        let mut v = start;
        while v <= end {
            bits |= 1 << v;
            v += step;
        }
    }
    Ok((bits, star))
}

/// Parse a schedule; `time_zone` is the CronJob's `spec.timeZone` (a `CRON_TZ=` prefix wins).
pub fn parse(spec: &str, time_zone: Option<&str>) -> Result<Schedule, String> {
    let mut spec = spec.trim();
    let mut zone_name = time_zone.unwrap_or("UTC").to_string();
    if spec.starts_with("TZ=") || spec.starts_with("CRON_TZ=") {
        let (tzpart, rest) = spec.split_once(' ').unwrap_or((spec, ""));
        zone_name = tzpart
            .split_once('=')
            .map(|x| x.1)
            .unwrap_or("UTC")
            .to_string();
        spec = rest.trim();
    }
    let zone = tz::load(&zone_name).ok_or_else(|| format!("unknown time zone {zone_name}"))?;
    let expanded = match spec {
        "@yearly" | "@annually" => "0 0 1 1 *",
        "@monthly" => "0 0 1 * *",
        "@weekly" => "0 0 * * 0",
        "@daily" | "@midnight" => "0 0 * * *",
        "@hourly" => "0 * * * *",
        s if s.starts_with("@every ") => return every(&s[7..]).map(Schedule::Every),
        s => s,
    };
    let f: Vec<&str> = expanded.split_whitespace().collect();
    if f.len() != 5 {
        return Err(format!(
            "expected exactly 5 fields, found {}: [{}]",
            f.len(),
            f.join(" ")
        ));
    }
    let (minute, _) = field(f[0], 0, 59, &[], 0)?;
    let (hour, _) = field(f[1], 0, 23, &[], 0)?;
    let (dom, dom_star) = field(f[2], 1, 31, &[], 0)?;
    let (month, _) = field(f[3], 1, 12, &MONTHS, 1)?;
    let (dow, dow_star) = field(f[4], 0, 6, &DOWS, 0)?;
    Ok(Schedule::Fields {
        minute,
        hour,
        dom,
        month,
        dow,
        dom_star,
        dow_star,
        zone,
    })
}

/// `@every` durations (h, m, s), at least one second.
fn every(d: &str) -> Result<i64, String> {
    let mut total = 0f64;
    let mut num = String::new();
    for c in d.chars() {
        if c.is_ascii_digit() || c == '.' {
            num.push(c);
            continue;
        }
        let n: f64 = num
            .parse()
            .map_err(|_| format!("failed to parse duration @every {d}"))?;
        num.clear();
        total += n * match c {
            'h' => 3600.0,
            'm' => 60.0,
            's' => 1.0,
            _ => return Err(format!("failed to parse duration @every {d}")),
        };
    }
    if !num.is_empty() {
        return Err(format!("failed to parse duration @every {d}"));
    }
    Ok((total as i64).max(1))
}

fn has(bits: u64, v: u32) -> bool {
    bits & (1 << v) != 0
}

impl Schedule {
    /// The first activation strictly after `t`.
    pub fn next(&self, t: DateTime<Utc>) -> Option<DateTime<Utc>> {
        let (minute, hour, dom, month, dow, dom_star, dow_star, zone) = match self {
            Schedule::Every(s) => return Some(t + chrono::Duration::seconds(*s)),
            Schedule::Fields {
                minute,
                hour,
                dom,
                month,
                dow,
                dom_star,
                dow_star,
                zone,
            } => (
                *minute, *hour, *dom, *month, *dow, *dom_star, *dow_star, zone,
            ),
        };
        let start = t.timestamp() - t.timestamp().rem_euclid(60) + 60;
        let local = start + i64::from(zone.offset_at(start));
        let local = Utc.timestamp_opt(local, 0).single()?;
        let mut day = local.date_naive();
        // Five years always contain every valid day-of-month/month/weekday combination.
        for _ in 0..(366 * 5) {
            let day_ok = {
                let d = has(dom, day.day());
                let w = has(dow, day.weekday().num_days_from_sunday());
                if dom_star || dow_star { d && w } else { d || w }
            };
            if has(month, day.month()) && day_ok {
                for h in 0..24u32 {
                    if !has(hour, h) {
                        continue;
                    }
                    for m in 0..60u32 {
                        if !has(minute, m) {
                            continue;
                        }
                        let wall = day.and_hms_opt(h, m, 0)?.and_utc();
                        if wall < local {
                            continue;
                        }
                        let utc = zone.to_utc(wall.timestamp());
                        if utc > t.timestamp() {
                            return Utc.timestamp_opt(utc, 0).single();
                        }
                    }
                }
            }
            day = day.succ_opt()?;
        }
        None
    }

    /// The most recent activation in (`after`, `now`], and how many were missed in between.
    pub fn most_recent(
        &self,
        after: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> (Option<DateTime<Utc>>, u32) {
        let mut last = None;
        let mut missed = 0;
        let mut t = after;
        while let Some(n) = self.next(t) {
            if n > now {
                break;
            }
            last = Some(n);
            missed += 1;
            t = n;
            if missed > 100 {
                // Skip ahead like the real controller does after too many missed times.
                let mut from = now - chrono::Duration::minutes(1);
                while let Some(n) = self.next(from) {
                    if n > now {
                        break;
                    }
                    last = Some(n);
                    from = n;
                }
                break;
            }
        }
        (last, missed)
    }
}

/// Render a UTC instant in a zone as RFC 3339 with its offset (`Z` for UTC).
pub fn format_in(t: DateTime<Utc>, zone: &Zone) -> String {
    let off = zone.offset_at(t.timestamp());
    if off == 0 {
        return t.format("%Y-%m-%dT%H:%M:%SZ").to_string();
    }
    let local = t + chrono::Duration::seconds(i64::from(off));
    let sign = if off < 0 { '-' } else { '+' };
    let a = off.abs();
    format!(
        "{}{sign}{:02}:{:02}",
        local.format("%Y-%m-%dT%H:%M:%S"),
        a / 3600,
        (a % 3600) / 60
    )
}

impl Schedule {
    pub fn zone(&self) -> Zone {
        match self {
            Schedule::Fields { zone, .. } => zone.clone(),
            Schedule::Every(_) => Zone::utc(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    fn next(spec: &str, from: &str) -> String {
        parse(spec, None)
            .unwrap()
            .next(at(from))
            .unwrap()
            .to_rfc3339()
    }

    #[test]
    fn next_activation_times() {
        assert_eq!(
            next("*/5 * * * *", "2026-03-01T10:02:30Z"),
            "2026-03-01T10:05:00+00:00"
        );
        assert_eq!(
            next("0 0 1 1 *", "2026-03-01T10:02:30Z"),
            "2027-01-01T00:00:00+00:00"
        );
        assert_eq!(
            next("@hourly", "2026-03-01T10:00:00Z"),
            "2026-03-01T11:00:00+00:00"
        );
        assert_eq!(
            next("30 9 * jan-mar MON-fri", "2026-03-06T09:30:00Z"),
            "2026-03-09T09:30:00+00:00"
        );
        // Day-of-month OR day-of-week when both are restricted.
        assert_eq!(
            next("0 0 13 * 5", "2026-03-01T00:00:00Z"),
            "2026-03-06T00:00:00+00:00"
        );
        assert_eq!(
            next("0 0 29 2 *", "2026-03-01T00:00:00Z"),
            "2028-02-29T00:00:00+00:00"
        );
        assert_eq!(
            next("@every 90s", "2026-03-01T00:00:00Z"),
            "2026-03-01T00:01:30+00:00"
        );
        assert!(
            parse("every minute", None)
                .unwrap_err()
                .contains("expected exactly 5 fields")
        );
    }

    #[test]
    fn time_zones() {
        if tz::load("Europe/Berlin").is_none() {
            return;
        }
        let s = parse("0 9 * * *", Some("Europe/Berlin")).unwrap();
        assert_eq!(
            s.next(at("2026-01-15T00:00:00Z")).unwrap().to_rfc3339(),
            "2026-01-15T08:00:00+00:00"
        );
        assert_eq!(
            s.next(at("2026-07-15T00:00:00Z")).unwrap().to_rfc3339(),
            "2026-07-15T07:00:00+00:00"
        );
        let p = parse("CRON_TZ=Europe/Berlin 0 9 * * *", None).unwrap();
        assert_eq!(
            format_in(at("2026-07-15T07:00:00Z"), &p.zone()),
            "2026-07-15T09:00:00+02:00"
        );
        let (last, missed) = parse("*/10 * * * *", None)
            .unwrap()
            .most_recent(at("2026-01-01T00:00:00Z"), at("2026-01-01T00:35:00Z"));
        assert_eq!(
            (last.unwrap().to_rfc3339().as_str(), missed),
            ("2026-01-01T00:30:00+00:00", 3)
        );
    }
}
