//! Line diff as `github.com/pmezard/go-difflib` (a port of Python's difflib) computes it:
//! SequenceMatcher with the "popular element" heuristic, grouped opcodes and the unified format.

use std::collections::HashMap;

#[derive(Debug, Clone, Copy, PartialEq)]
enum Tag {
    Equal,
    Replace,
    Delete,
    Insert,
}

type OpCode = (Tag, usize, usize, usize, usize);

struct Matcher<'a> {
    a: &'a [String],
    b: &'a [String],
    b2j: HashMap<&'a str, Vec<usize>>,
}

impl<'a> Matcher<'a> {
    fn new(a: &'a [String], b: &'a [String]) -> Self {
        let mut b2j: HashMap<&str, Vec<usize>> = HashMap::new();
        for (i, s) in b.iter().enumerate() {
            b2j.entry(s.as_str()).or_default().push(i);
        }
        let n = b.len();
        if n >= 200 {
            let ntest = n / 100 + 1;
            b2j.retain(|_, idx| idx.len() <= ntest);
        }
        Matcher { a, b, b2j }
    }

    fn longest_match(
        &self,
        alo: usize,
        ahi: usize,
        blo: usize,
        bhi: usize,
    ) -> (usize, usize, usize) {
        let (mut bi, mut bj, mut bs) = (alo, blo, 0usize);
        let mut j2len: HashMap<usize, usize> = HashMap::new();
        for i in alo..ahi {
            let mut new: HashMap<usize, usize> = HashMap::new();
            if let Some(js) = self.b2j.get(self.a[i].as_str()) {
                for &j in js {
                    if j < blo {
                        continue;
                    }
                    if j >= bhi {
                        break;
                    }
                    let k = j
                        .checked_sub(1)
                        .and_then(|p| j2len.get(&p))
                        .copied()
                        .unwrap_or(0)
                        + 1;
                    new.insert(j, k);
                    if k > bs {
                        bi = i + 1 - k;
                        bj = j + 1 - k;
                        bs = k;
                    }
                }
            }
            j2len = new;
        }
        // No junk set: extend the match over equal elements (popular ones included).
        while bi > alo && bj > blo && self.a[bi - 1] == self.b[bj - 1] {
            bi -= 1;
            bj -= 1;
            bs += 1;
        }
        while bi + bs < ahi && bj + bs < bhi && self.a[bi + bs] == self.b[bj + bs] {
            bs += 1;
        }
        (bi, bj, bs)
    }

    fn matching_blocks(&self) -> Vec<(usize, usize, usize)> {
        let mut out = vec![];
        self.blocks(0, self.a.len(), 0, self.b.len(), &mut out);
        let mut merged: Vec<(usize, usize, usize)> = vec![];
        for (i, j, k) in out {
            if let Some(last) = merged.last_mut()
                && last.0 + last.2 == i
                && last.1 + last.2 == j
            {
                last.2 += k;
                continue;
            }
            merged.push((i, j, k));
        }
        merged.push((self.a.len(), self.b.len(), 0));
        merged
    }

    fn blocks(
        &self,
        alo: usize,
        ahi: usize,
        blo: usize,
        bhi: usize,
        out: &mut Vec<(usize, usize, usize)>,
    ) {
        let (i, j, k) = self.longest_match(alo, ahi, blo, bhi);
        if k > 0 {
            if alo < i && blo < j {
                self.blocks(alo, i, blo, j, out);
            }
            out.push((i, j, k));
            if i + k < ahi && j + k < bhi {
                self.blocks(i + k, ahi, j + k, bhi, out);
            }
        }
    }

    fn opcodes(&self) -> Vec<OpCode> {
        let (mut i, mut j) = (0, 0);
        let mut out = vec![];
        for (ai, bj, size) in self.matching_blocks() {
            let tag = if i < ai && j < bj {
                Some(Tag::Replace)
            } else if i < ai {
                Some(Tag::Delete)
            } else if j < bj {
                Some(Tag::Insert)
            } else {
                None
            };
            if let Some(t) = tag {
                out.push((t, i, ai, j, bj));
            }
            i = ai + size;
            j = bj + size;
            if size > 0 {
                out.push((Tag::Equal, ai, i, bj, j));
            }
        }
        out
    }

    fn grouped_opcodes(&self, n: usize) -> Vec<Vec<OpCode>> {
        let mut codes = self.opcodes();
        if codes.is_empty() {
            codes.push((Tag::Equal, 0, 1, 0, 1));
        }
        if let Some(c) = codes.first_mut().filter(|c| c.0 == Tag::Equal) {
            c.1 = c.1.max(c.2.saturating_sub(n));
            c.3 = c.3.max(c.4.saturating_sub(n));
        }
        if let Some(c) = codes.last_mut().filter(|c| c.0 == Tag::Equal) {
            c.2 = c.2.min(c.1 + n);
            c.4 = c.4.min(c.3 + n);
        }
        let mut groups = vec![];
        let mut group = vec![];
        for (tag, mut i1, i2, mut j1, j2) in codes {
            if tag == Tag::Equal && i2 - i1 > 2 * n {
                group.push((tag, i1, i2.min(i1 + n), j1, j2.min(j1 + n)));
                groups.push(std::mem::take(&mut group));
                i1 = i1.max(i2.saturating_sub(n));
                j1 = j1.max(j2.saturating_sub(n));
            }
            group.push((tag, i1, i2, j1, j2));
        }
        if !(group.is_empty() || (group.len() == 1 && group[0].0 == Tag::Equal)) {
            groups.push(group);
        }
        groups
    }
}

/// `difflib.SplitLines`: lines keep their `\n`, and the last one gets one too.
pub fn split_lines(s: &str) -> Vec<String> {
    let mut lines: Vec<String> = s.split_inclusive('\n').map(str::to_string).collect();
    if s.is_empty() || s.ends_with('\n') {
        lines.push(String::new());
    }
    if let Some(l) = lines.last_mut() {
        l.push('\n');
    }
    lines
}

fn range(start: usize, stop: usize) -> String {
    let mut beginning = start + 1;
    let length = stop - start;
    if length == 1 {
        return beginning.to_string();
    }
    if length == 0 {
        beginning -= 1;
    }
    format!("{beginning},{length}")
}

/// Unified diff of two texts without file headers (`difflib.GetUnifiedDiffString` with no
/// FromFile/ToFile), `context` lines around each change.
pub fn unified_diff(a: &str, b: &str, context: usize) -> String {
    let (la, lb) = (split_lines(a), split_lines(b));
    let m = Matcher::new(&la, &lb);
    let mut out = String::new();
    for g in m.grouped_opcodes(context) {
        let (first, last) = (g[0], g[g.len() - 1]);
        out.push_str(&format!(
            "@@ -{} +{} @@\n",
            range(first.1, last.2),
            range(first.3, last.4)
        ));
        for (tag, i1, i2, j1, j2) in g {
            if tag == Tag::Equal {
                la[i1..i2]
                    .iter()
                    .for_each(|l| out.push_str(&format!(" {l}")));
                continue;
            }
            if matches!(tag, Tag::Replace | Tag::Delete) {
                la[i1..i2]
                    .iter()
                    .for_each(|l| out.push_str(&format!("-{l}")));
            }
            if matches!(tag, Tag::Replace | Tag::Insert) {
                lb[j1..j2]
                    .iter()
                    .for_each(|l| out.push_str(&format!("+{l}")));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_diff() {
        let a = "a\nb\nc\nd\ne\nf\ng\nh";
        let b = "a\nb\nc\nd\nX\nf\ng\nh";
        assert_eq!(
            unified_diff(a, b, 3),
            "@@ -2,7 +2,7 @@\n b\n c\n d\n-e\n+X\n f\n g\n h\n"
        );
        assert_eq!(unified_diff(a, a, 3), "");
    }
}
