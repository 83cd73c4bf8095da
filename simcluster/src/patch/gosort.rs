//! Go's `sort.SliceStable` (insertion-sorted blocks of 20 merged with SymMerge), reproduced
//! exactly because strategic merge patch sorts with orders that are not strict weak orders, where
//! the result depends on the algorithm.

/// `sort.SliceStable(data, less)`.
pub fn stable_sort<T>(data: &mut [T], mut less: impl FnMut(&T, &T) -> bool) {
    let n = data.len();
    let mut lt = |d: &[T], i: usize, j: usize| less(&d[i], &d[j]);
    let mut block = 20;
    let (mut a, mut b) = (0, block);
    while b <= n {
        insertion_sort(data, a, b, &mut lt);
        a = b;
        b += block;
    }
    insertion_sort(data, a, n, &mut lt);
    while block < n {
        let (mut a, mut b) = (0, 2 * block);
        while b <= n {
            sym_merge(data, a, a + block, b, &mut lt);
            a = b;
            b += 2 * block;
        }
        if a + block < n {
            sym_merge(data, a, a + block, n, &mut lt);
        }
        block *= 2;
    }
}

type Less<'a, T> = dyn FnMut(&[T], usize, usize) -> bool + 'a;

fn insertion_sort<T>(data: &mut [T], a: usize, b: usize, less: &mut Less<'_, T>) {
    for i in a + 1..b {
        let mut j = i;
        while j > a && less(data, j, j - 1) {
            data.swap(j, j - 1);
            j -= 1;
        }
    }
}

fn sym_merge<T>(data: &mut [T], a: usize, m: usize, b: usize, less: &mut Less<'_, T>) {
    if m - a == 1 {
        let (mut i, mut j) = (m, b);
        while i < j {
            let h = (i + j) / 2;
            if less(data, h, a) { i = h + 1 } else { j = h }
        }
        for k in a..i.saturating_sub(1) {
            data.swap(k, k + 1);
        }
        return;
    }
    if b - m == 1 {
        let (mut i, mut j) = (a, m);
        while i < j {
            let h = (i + j) / 2;
            if !less(data, m, h) { i = h + 1 } else { j = h }
        }
        let mut k = m;
        while k > i {
            data.swap(k, k - 1);
            k -= 1;
        }
        return;
    }
    let mid = (a + b) / 2;
    let n = mid + m;
    let (mut start, mut r) = if m > mid { (n - b, mid) } else { (a, m) };
    let p = n - 1;
    while start < r {
        let c = (start + r) / 2;
        if !less(data, p - c, c) {
            start = c + 1
        } else {
            r = c
        }
    }
    let end = n - start;
    if start < m && m < end {
        data[start..end].rotate_left(m - start);
    }
    if a < start && start < mid {
        sym_merge(data, a, start, mid, less);
    }
    if mid < end && end < b {
        sym_merge(data, mid, end, b, less);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stable_sort_matches_plain_stable_sort_for_total_orders() {
        let mut v: Vec<u32> = (0..97).map(|i| (i * 37) % 23).collect();
        let mut w = v.clone();
        stable_sort(&mut v, |a, b| a < b);
        w.sort();
        assert_eq!(v, w);
    }
}
