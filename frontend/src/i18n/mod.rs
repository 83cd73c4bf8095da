//! Translations: every string of the web app in English and Simplified Chinese, looked up by
//! key (`nav.tenants`). Messages from the server (errors) are shown as the server wrote them.

mod dashboards;
mod explorer;
mod forms;
mod pages;
mod shell;
pub mod workloads;

/// A language of the web app.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Lang {
    En,
    Zh,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::En, Lang::Zh];

    /// BCP 47 tag (for `<html lang>` and localStorage).
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Zh => "zh-CN",
        }
    }

    pub fn parse(code: &str) -> Option<Lang> {
        match code {
            "en" => Some(Lang::En),
            "zh-CN" | "zh" => Some(Lang::Zh),
            _ => None,
        }
    }

    /// The language's own name, for the switch.
    pub fn name(self) -> &'static str {
        match self {
            Lang::En => "English",
            Lang::Zh => "简体中文",
        }
    }
}

const TABLES: [&[(&str, &str, &str)]; 6] = [
    shell::STRINGS,
    pages::STRINGS,
    forms::STRINGS,
    dashboards::STRINGS,
    workloads::STRINGS,
    explorer::STRINGS,
];

/// The text of `key` in `lang`, if the key exists.
pub fn lookup(lang: Lang, key: &str) -> Option<&'static str> {
    TABLES
        .iter()
        .flat_map(|t| t.iter())
        .find(|(k, _, _)| *k == key)
        .map(|(_, en, zh)| match lang {
            Lang::En => *en,
            Lang::Zh => *zh,
        })
}

/// The text of `key` in `lang`; the key itself when it is missing (a test keeps that from
/// happening).
pub fn text(lang: Lang, key: &'static str) -> &'static str {
    lookup(lang, key).unwrap_or(key)
}

/// `template` with `{name}` replaced by `value` for each pair.
pub fn fill(template: &str, args: &[(&str, &str)]) -> String {
    let mut out = template.to_string();
    for (name, value) in args {
        out = out.replace(&format!("{{{name}}}"), value);
    }
    out
}

#[cfg(test)]
mod tests;
