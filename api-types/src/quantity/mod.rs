//! Kubernetes resource quantities (`k8s.io/apimachinery/pkg/api/resource.Quantity`): parsing,
//! exact arithmetic (in units of 10^-9), comparison and the canonical formatting of the apiserver.

use std::cmp::Ordering;
use std::fmt;
use std::ops::{Add, Sub};

mod text;

use text::{bin_suffix, cache_original, canonical, dec_suffix, split};

/// The regular-expression error of `ParseQuantity`.
pub const ERR_FORMAT: &str =
    "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";
const ERR_NUMERIC: &str = "unable to parse numeric part of quantity";
const ERR_SUFFIX: &str = "unable to parse quantity's suffix";

const NANO: i128 = 1_000_000_000;
/// Largest magnitude (math.MaxInt64 whole units), in nano units.
const MAX_NANO: i128 = i64::MAX as i128 * NANO;

/// How a quantity prints its suffix.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    DecimalExponent,
    BinarySI,
    DecimalSI,
}

/// A quantity: an exact value in units of 10^-9, a format and, like Go, the original string when
/// it was already canonical.
#[derive(Debug, Clone)]
pub struct Quantity {
    nano: i128,
    format: Format,
    cached: Option<String>,
}

impl PartialEq for Quantity {
    fn eq(&self, other: &Self) -> bool {
        self.nano == other.nano
    }
}
impl Eq for Quantity {}
impl PartialOrd for Quantity {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Quantity {
    fn cmp(&self, other: &Self) -> Ordering {
        self.nano.cmp(&other.nano)
    }
}

fn pow10(n: u32) -> i128 {
    10i128.pow(n)
}

impl Quantity {
    /// Parses a quantity string as `resource.ParseQuantity` does.
    pub fn parse(s: &str) -> Result<Quantity, String> {
        if s.is_empty() {
            return Err(ERR_FORMAT.to_string());
        }
        if s == "0" {
            return Ok(Quantity {
                nano: 0,
                format: Format::DecimalSI,
                cached: Some("0".into()),
            });
        }
        let p = split(s)?;
        let (base10, exponent, format) = if let Some(e) = dec_suffix(p.suffix) {
            (true, e, Format::DecimalSI)
        } else if let Some(e) = bin_suffix(p.suffix) {
            (false, e as i32, Format::BinarySI)
        } else if p.suffix.len() > 1 && (p.suffix.starts_with('e') || p.suffix.starts_with('E')) {
            let e: i64 = p.suffix[1..].parse().map_err(|_| ERR_SUFFIX.to_string())?;
            (true, e.clamp(-1000, 1000) as i32, Format::DecimalExponent)
        } else {
            return Err(ERR_SUFFIX.to_string());
        };
        let digits = format!("{}{}", p.num, p.denom);
        let digits = digits.trim_start_matches('0');
        // Exact value = digits * 10^(exp10) * 2^exp2, then rounded up to 10^-9.
        let exp10 = if base10 {
            exponent - p.denom.len() as i32
        } else {
            -(p.denom.len() as i32)
        };
        let exp2 = if base10 { 0 } else { exponent as u32 };
        let nano = if digits.is_empty() {
            0
        } else if digits.len() > 36 || exp10 > 30 {
            MAX_NANO
        } else {
            let mant: i128 = digits.parse().map_err(|_| ERR_NUMERIC.to_string())?;
            let shift = exp10 + 9;
            let v = if shift >= 0 {
                mant.checked_mul(pow10(shift as u32)).unwrap_or(MAX_NANO)
            } else if -shift > 36 {
                1
            } else {
                let d = pow10((-shift) as u32);
                (mant + d - 1) / d
            };
            v.checked_mul(1i128 << exp2.min(100))
                .unwrap_or(MAX_NANO)
                .min(MAX_NANO)
        };
        let nano = if p.positive { nano } else { -nano };
        let cached = cache_original(s, &p, exponent, format, base10);
        Ok(Quantity {
            nano,
            format,
            cached,
        })
    }

    /// A quantity of `value` whole units in the given format.
    pub fn from_units(value: i64, format: Format) -> Quantity {
        Quantity {
            nano: value as i128 * NANO,
            format,
            cached: None,
        }
    }

    /// A DecimalSI quantity of `milli` thousandths.
    pub fn from_milli(milli: i64) -> Quantity {
        Quantity {
            nano: milli as i128 * 1_000_000,
            format: Format::DecimalSI,
            cached: None,
        }
    }

    pub fn zero() -> Quantity {
        Quantity {
            nano: 0,
            format: Format::DecimalSI,
            cached: None,
        }
    }

    pub fn is_zero(&self) -> bool {
        self.nano == 0
    }

    pub fn format(&self) -> Format {
        self.format
    }

    /// Value in units of 10^-9.
    pub fn nano_value(&self) -> i128 {
        self.nano
    }

    /// `MilliValue()`: ceil(q * 1000).
    pub fn milli_value(&self) -> i64 {
        div_ceil(self.nano, 1_000_000) as i64
    }

    /// `Value()`: ceil(q).
    pub fn value(&self) -> i64 {
        div_ceil(self.nano, NANO) as i64
    }

    /// Canonical string as the apiserver prints it (`Quantity.String()`).
    pub fn to_canonical_string(&self) -> String {
        if let Some(s) = &self.cached {
            return s.clone();
        }
        canonical(self.nano, self.format)
    }
}

fn div_ceil(a: i128, b: i128) -> i128 {
    let q = a / b;
    if a % b != 0 && a > 0 { q + 1 } else { q }
}

impl fmt::Display for Quantity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_canonical_string())
    }
}

impl Add for Quantity {
    type Output = Quantity;
    /// Go's `q.Add(y)`: keeps q's format unless q is zero.
    fn add(self, y: Quantity) -> Quantity {
        let format = if self.nano == 0 {
            y.format
        } else {
            self.format
        };
        Quantity {
            nano: (self.nano + y.nano).clamp(-MAX_NANO, MAX_NANO),
            format,
            cached: None,
        }
    }
}

impl Sub for Quantity {
    type Output = Quantity;
    fn sub(self, y: Quantity) -> Quantity {
        let format = if self.nano == 0 {
            y.format
        } else {
            self.format
        };
        Quantity {
            nano: (self.nano - y.nano).clamp(-MAX_NANO, MAX_NANO),
            format,
            cached: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(s: &str) -> String {
        Quantity::parse(s).unwrap().to_canonical_string()
    }

    #[test]
    fn canonical_forms() {
        let table = "100m=100m 1.5=1500m 0.5=500m 2Gi=2Gi 1e3=1e3 500Mi=500Mi 1000=1k 1024Mi=1Gi 1=1 1000m=1 \
                     1.5Gi=1536Mi 0=0 0m=0 512Mi=512Mi 64Mi=64Mi 1200=1200 12000=12k 0.1m=100u 1n=1n 0.1n=1n \
                     100Ki=100Ki 1536=1536 2k=2k -1=-1 10=10";
        for pair in table.split_whitespace() {
            let (i, o) = pair.split_once('=').unwrap();
            assert_eq!(c(i), o, "{i}");
        }
        assert_eq!(Quantity::parse("abc").unwrap_err(), ERR_FORMAT);
        assert_eq!(Quantity::parse("1Qi").unwrap_err(), ERR_FORMAT);
        assert_eq!(Quantity::parse("1e").unwrap_err(), ERR_SUFFIX);
        assert!(Quantity::parse("").is_err());
    }

    #[test]
    fn arithmetic() {
        let a = Quantity::parse("1Gi").unwrap() + Quantity::parse("128Mi").unwrap();
        assert_eq!(a.to_canonical_string(), "1152Mi");
        let b =
            Quantity::zero() + Quantity::parse("500m").unwrap() + Quantity::parse("100m").unwrap();
        assert_eq!(b.to_canonical_string(), "600m");
        let c = Quantity::parse("1").unwrap() + Quantity::parse("200m").unwrap();
        assert_eq!(c.to_canonical_string(), "1200m");
        assert_eq!(
            (Quantity::parse("1").unwrap() - Quantity::parse("1").unwrap()).to_canonical_string(),
            "0"
        );
        assert!(Quantity::parse("800m").unwrap() > Quantity::parse("500m").unwrap());
        assert_eq!(Quantity::parse("1.5").unwrap().milli_value(), 1500);
        assert_eq!(Quantity::parse("1500m").unwrap().value(), 2);
        assert_eq!(Quantity::parse("1Ki").unwrap().value(), 1024);
        assert_eq!(
            Quantity::parse("1").unwrap(),
            Quantity::parse("1000m").unwrap()
        );
    }
}
