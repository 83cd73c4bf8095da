//! Time zones for CronJob `spec.timeZone` / `CRON_TZ=`: UTC offsets read from the system's
//! TZif files (`/usr/share/zoneinfo`, as Go's `time.LoadLocation` does on Linux). Times after
//! the last recorded transition keep the last offset.

use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};

/// A zone: transition times (Unix seconds, ascending) with the offset from each one on.
#[derive(Debug, Clone, PartialEq)]
pub struct Zone {
    transitions: Vec<(i64, i32)>,
    initial: i32,
}

impl Zone {
    pub fn utc() -> Zone {
        Zone {
            transitions: Vec::new(),
            initial: 0,
        }
    }

    /// Offset (seconds east of UTC) in force at a UTC instant.
    pub fn offset_at(&self, utc: i64) -> i32 {
        match self.transitions.partition_point(|(t, _)| *t <= utc) {
            0 => self.initial,
            i => self.transitions[i - 1].1,
        }
    }

    /// The UTC instant of a local wall-clock time (seconds as if the wall clock were UTC).
    pub fn to_utc(&self, local: i64) -> i64 {
        let guess = local - i64::from(self.offset_at(local));
        local - i64::from(self.offset_at(guess))
    }
}

fn be32(b: &[u8], at: usize) -> Option<i64> {
    b.get(at..at + 4)
        .map(|s| i64::from(i32::from_be_bytes([s[0], s[1], s[2], s[3]])))
}

fn be64(b: &[u8], at: usize) -> Option<i64> {
    b.get(at..at + 8)
        .map(|s| i64::from_be_bytes(s.try_into().unwrap_or([0; 8])))
}

/// Parse a TZif file (the 64-bit block of version 2+, the 32-bit one otherwise).
pub fn parse_tzif(b: &[u8]) -> Option<Zone> {
    if b.get(0..4)? != b"TZif" {
        return None;
    }
    let counts = |at: usize| -> Option<[usize; 6]> {
        let mut c = [0usize; 6];
        for (i, v) in c.iter_mut().enumerate() {
            *v = usize::try_from(be32(b, at + 20 + i * 4)?).ok()?;
        }
        Some(c)
    };
    let [isut, isstd, leap, time, types, chars] = counts(0)?;
    let v1_len = 44 + time * 5 + types * 6 + chars + leap * 8 + isstd + isut;
    let (base, tsize, [_, _, _, time, types, _]) = if b[4] >= b'2' {
        (v1_len, 8, counts(v1_len)?)
    } else {
        (0, 4, [isut, isstd, leap, time, types, chars])
    };
    let times_at = base + 44;
    let idx_at = times_at + time * tsize;
    let types_at = idx_at + time;
    let utoff = |i: usize| be32(b, types_at + i * 6).map(|v| v as i32);
    let mut transitions = Vec::with_capacity(time);
    for i in 0..time {
        let t = if tsize == 8 {
            be64(b, times_at + i * 8)?
        } else {
            be32(b, times_at + i * 4)?
        };
        let ty = usize::from(*b.get(idx_at + i)?);
        if ty < types {
            transitions.push((t, utoff(ty)?));
        }
    }
    // Before the first transition: the first standard-time type (type 0 by convention).
    let initial = utoff(0).unwrap_or(0);
    Some(Zone {
        transitions,
        initial,
    })
}

/// Load a zone by IANA name (`None` when unknown). Cached.
pub fn load(name: &str) -> Option<Zone> {
    if matches!(name, "" | "UTC" | "Etc/UTC" | "GMT" | "Etc/GMT") {
        return Some(Zone::utc());
    }
    if name.contains("..") || name.starts_with('/') {
        return None;
    }
    static CACHE: OnceLock<Mutex<HashMap<String, Option<Zone>>>> = OnceLock::new();
    let cache = CACHE.get_or_init(Default::default);
    let mut cache = cache.lock().unwrap_or_else(|e| e.into_inner());
    cache
        .entry(name.to_string())
        .or_insert_with(|| {
            let dir = std::env::var("ZONEINFO").unwrap_or_else(|_| "/usr/share/zoneinfo".into());
            std::fs::read(std::path::Path::new(&dir).join(name))
                .ok()
                .and_then(|b| parse_tzif(&b))
        })
        .clone()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utc_and_system_zones() {
        assert_eq!(load("UTC").unwrap().offset_at(0), 0);
        assert!(load("No/Such_Zone").is_none());
        if let Some(berlin) = load("Europe/Berlin") {
            // 2026-01-15 12:00 UTC is winter time (+1h), 2026-07-15 summer time (+2h).
            assert_eq!(berlin.offset_at(1_768_478_400), 3600);
            assert_eq!(berlin.offset_at(1_784_116_800), 7200);
            assert_eq!(berlin.to_utc(1_768_478_400 + 3600), 1_768_478_400);
        }
    }
}
