//! Comparing quantities the way the apiserver means them (`1Gi` = `1024Mi`), on the shared
//! parser of `api_types::quantity`.

use std::collections::BTreeMap;

use api_types::quantity::Quantity;

/// The exact value in units of 10^-9, or `None` when `s` is not a quantity.
pub fn to_nanos(s: &str) -> Option<i128> {
    Quantity::parse(s).ok().map(|q| q.nano_value())
}

/// Two quantity strings with the same value (unparseable ones compare as text).
pub fn same(a: &str, b: &str) -> bool {
    match (to_nanos(a), to_nanos(b)) {
        (Some(x), Some(y)) => x == y,
        _ => a == b,
    }
}

/// Two resource lists with the same keys and values.
pub fn same_list(a: &BTreeMap<String, String>, b: &BTreeMap<String, String>) -> bool {
    a.len() == b.len() && a.iter().all(|(k, v)| b.get(k).is_some_and(|w| same(v, w)))
}

/// Sums quantity strings per resource (canonical strings; unparseable values are skipped and
/// returned as the second element).
pub fn sum_lists<'a>(
    lists: impl IntoIterator<Item = &'a BTreeMap<String, String>>,
) -> (BTreeMap<String, String>, Vec<(String, String)>) {
    let mut sums: BTreeMap<String, Quantity> = BTreeMap::new();
    let mut bad = Vec::new();
    for list in lists {
        for (k, v) in list {
            match Quantity::parse(v) {
                Ok(q) => {
                    let e = sums.entry(k.clone()).or_insert_with(Quantity::zero);
                    *e = e.clone() + q;
                }
                Err(_) => bad.push((k.clone(), v.clone())),
            }
        }
    }
    let sums = sums
        .into_iter()
        .map(|(k, q)| (k, q.to_canonical_string()))
        .collect();
    (sums, bad)
}
