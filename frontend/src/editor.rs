//! The YAML editor's error markers (pure, tested on the host): which lines of the text carry an
//! error (from the server's message or the local manifest check), the gutter beside the text,
//! and where a line starts and ends for jumping to it. The gutter, the bands behind marked
//! lines and the list of marks are HTML text (`crate::html`), which costs far less wasm than views.

use crate::html::esc;
use crate::i18n::{Lang, fill, text};

/// Line height and top padding of the editor's text in px (`.editor` in the CSS uses the same).
pub const LINE_PX: f64 = 18.0;
pub const PAD_PX: f64 = 6.0;

/// An error at one line of the editor's text (1-based).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mark {
    pub line: usize,
    pub message: String,
}

/// How many lines an editor shows for `text` (a trailing newline opens an empty last line).
pub fn line_count(text: &str) -> usize {
    text.split('\n').count()
}

/// The last line of `text` with something on it (1 for an empty text).
fn last_content_line(text: &str) -> usize {
    text.split('\n')
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, _)| i + 1)
        .last()
        .unwrap_or(1)
}

/// `line` as the editor marks it: a line past the text's content (a parser that hit the end)
/// is the last line with content; 0 is 1.
pub fn clamp_line(text: &str, line: usize) -> usize {
    line.clamp(1, last_content_line(text))
}

/// Marks for `errors` (a line and a message each) on `text`: a line past the text's content
/// (a parser that hit the end, "line 6" of five lines) is the last line with content; several
/// messages at one line are joined; sorted by line.
pub fn marks(text: &str, errors: &[(usize, String)]) -> Vec<Mark> {
    let mut out: Vec<Mark> = Vec::new();
    for (line, message) in errors {
        let line = clamp_line(text, *line);
        match out.iter_mut().find(|m| m.line == line) {
            Some(m) if !m.message.contains(message.as_str()) => {
                m.message.push_str(" · ");
                m.message.push_str(message);
            }
            Some(_) => {}
            None => {
                // Kept in line order as they come (a sort would cost the wasm a few KB).
                let at = out.iter().position(|m| m.line > line).unwrap_or(out.len());
                out.insert(
                    at,
                    Mark {
                        line,
                        message: message.clone(),
                    },
                );
            }
        }
    }
    out
}

/// The gutter: each line's number and, on a marked line, its message.
pub fn gutter(lines: usize, marks: &[Mark]) -> Vec<(usize, Option<String>)> {
    (1..=lines.max(1))
        .map(|n| {
            let message = marks
                .iter()
                .find(|m| m.line == n)
                .map(|m| m.message.clone());
            (n, message)
        })
        .collect()
}

/// Where `line` (1-based) starts and ends in `text`, in UTF-16 code units (what a textarea's
/// `setSelectionRange` counts).
pub fn line_range(text: &str, line: usize) -> (u32, u32) {
    let mut start = 0u32;
    for (i, l) in text.split('\n').enumerate() {
        let len = l.encode_utf16().count() as u32;
        if i + 1 == line {
            return (start, start + len);
        }
        start += len + 1;
    }
    let end = text.encode_utf16().count() as u32;
    (end, end)
}

/// The gutter's HTML: one numbered line each, a marked one with class `bad` and its message
/// as the title.
pub fn gutter_html(lines: usize, marks: &[Mark]) -> String {
    gutter(lines, marks)
        .into_iter()
        .map(|(n, msg)| match msg {
            Some(m) => format!(
                "<div class=\"bad\" data-line=\"{n}\" title=\"{}\">{n}</div>",
                esc(&m)
            ),
            None => format!("<div data-line=\"{n}\">{n}</div>"),
        })
        .collect()
}

/// A band behind each marked line (at the line's offset from the text's top), the message at
/// its end.
pub fn bands_html(marks: &[Mark]) -> String {
    marks
        .iter()
        .map(|m| {
            format!(
                "<div class=\"band\" data-line=\"{}\" style=\"top:{}px\"><span>{}</span></div>",
                m.line,
                PAD_PX + (m.line as f64 - 1.0) * LINE_PX,
                esc(&m.message)
            )
        })
        .collect()
}

/// The marks as list items, each with a button (`data-line`) that jumps to its line.
pub fn marks_html(marks: &[Mark], lang: Lang) -> String {
    marks
        .iter()
        .map(|m| {
            let line = fill(
                text(lang, "wl.create.at_line"),
                &[("line", &m.line.to_string())],
            );
            format!(
                "<li><button type=\"button\" class=\"link\" data-line=\"{}\">{}</button>: {}</li>",
                m.line,
                esc(&line),
                esc(&m.message)
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const BROKEN: &str = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: bad\ndata: [1\n";

    #[test]
    fn marks_are_clamped_joined_and_sorted() {
        assert_eq!(line_count(BROKEN), 6);
        let m = marks(
            BROKEN,
            &[
                (6, "did not find expected ',' or ']'".into()),
                (2, "unknown kind".into()),
                (5, "second message".into()),
                (5, "second message".into()),
                (0, "no line zero".into()),
            ],
        );
        assert_eq!(
            m,
            vec![
                Mark {
                    line: 1,
                    message: "no line zero".into()
                },
                Mark {
                    line: 2,
                    message: "unknown kind".into()
                },
                Mark {
                    line: 5,
                    message: "did not find expected ',' or ']' · second message".into()
                },
            ]
        );
        assert!(marks("", &[(3, "x".into())]).iter().all(|m| m.line == 1));
        assert_eq!((clamp_line(BROKEN, 6), clamp_line(BROKEN, 2)), (5, 2));
    }

    #[test]
    fn gutter_numbers_every_line_and_carries_the_message() {
        let m = marks(BROKEN, &[(5, "bad".into())]);
        let g = gutter(line_count(BROKEN), &m);
        assert_eq!(g.len(), 6);
        assert_eq!(g[0], (1, None));
        assert_eq!(g[4], (5, Some("bad".into())));
        assert_eq!(gutter(0, &[]), vec![(1, None)]);
    }

    #[test]
    fn line_ranges_count_utf16() {
        assert_eq!(line_range(BROKEN, 1), (0, 14));
        assert_eq!(line_range(BROKEN, 5), (53, 61));
        assert_eq!(&BROKEN[53..61], "data: [1");
        // "é" is one UTF-16 unit, "𝄞" two.
        assert_eq!(line_range("é𝄞\nx", 2), (4, 5));
        assert_eq!(line_range("a", 9), (1, 1));
    }

    #[test]
    fn html_of_the_gutter_bands_and_list() {
        let m = marks(BROKEN, &[(5, "bad <thing>".into())]);
        let g = gutter_html(line_count(BROKEN), &m);
        assert!(g.starts_with("<div data-line=\"1\">1</div>"), "{g}");
        assert!(
            g.contains("<div class=\"bad\" data-line=\"5\" title=\"bad &lt;thing&gt;\">5</div>"),
            "{g}"
        );
        assert_eq!(g.matches("<div").count(), 6);
        assert_eq!(
            bands_html(&m),
            "<div class=\"band\" data-line=\"5\" style=\"top:78px\"><span>bad &lt;thing&gt;</span></div>"
        );
        assert_eq!(
            marks_html(&m, Lang::Zh),
            "<li><button type=\"button\" class=\"link\" data-line=\"5\">第 5 行</button>: bad &lt;thing&gt;</li>"
        );
    }
}
