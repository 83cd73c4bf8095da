//! Read-only tables written as HTML text (set with `inner_html`): much less wasm than a typed
//! view per table, which keeps the web app's download small. Every text is escaped here.

/// `s` escaped for HTML text and attribute values.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A link (`href` and text escaped).
pub fn link(href: &str, text: &str) -> String {
    format!("<a href=\"{}\">{}</a>", esc(href), esc(text))
}

/// A badge of class `tone` (`ok`, `warn`, `bad` or empty).
pub fn badge(tone: &str, text: &str) -> String {
    format!("<span class=\"badge {}\">{}</span>", esc(tone), esc(text))
}

/// The class of a usage bar filled to `ratio` (full, high from 80 %).
pub fn bar_class(ratio: f64) -> &'static str {
    if ratio >= 0.999 {
        "bar full"
    } else if ratio >= 0.8 {
        "bar high"
    } else {
        "bar"
    }
}

/// A table in its scrolling frame; `head` is plain text, cells are HTML (escape them with
/// `esc`, or build them with `link` / `badge`).
pub fn table(head: &[&str], rows: &[Vec<String>]) -> String {
    let mut out = String::from("<div class=\"table-wrap\"><table><thead><tr>");
    for h in head {
        out.push_str(&format!("<th>{}</th>", esc(h)));
    }
    out.push_str("</tr></thead><tbody>");
    for r in rows {
        out.push_str("<tr>");
        for c in r {
            out.push_str(&format!("<td>{c}</td>"));
        }
        out.push_str("</tr>");
    }
    out.push_str("</tbody></table></div>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_everything_it_is_given() {
        assert_eq!(
            esc("<img src=x onerror='a'>&\""),
            "&lt;img src=x onerror=&#39;a&#39;&gt;&amp;&quot;"
        );
        assert_eq!(
            link("/ns/a\"b", "<b>"),
            "<a href=\"/ns/a&quot;b\">&lt;b&gt;</a>"
        );
        assert_eq!(
            table(&["A<"], &[vec![esc("x&y"), badge("ok", "Ready")]]),
            "<div class=\"table-wrap\"><table><thead><tr><th>A&lt;</th></tr></thead><tbody><tr><td>x&amp;y</td><td><span class=\"badge ok\">Ready</span></td></tr></tbody></table></div>"
        );
    }
}
