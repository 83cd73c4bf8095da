//! Label selectors: the lexer/parser of `k8s.io/apimachinery/pkg/labels` (`labels.Parse`), the
//! requirement validation of `labels.NewRequirement`, matching, and the `metav1.LabelSelector`
//! and map-selector constructors used by controllers.

use serde_json::{Map, Value};
use std::fmt;

use super::{aggregate, go_quote, invalid_string, label_key_errors, label_value_errors};

/// `selection.Operator`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Operator {
    In,
    NotIn,
    Equals,
    DoubleEquals,
    NotEquals,
    Exists,
    DoesNotExist,
    GreaterThan,
    LessThan,
}

/// One `key <op> values` term; values are sorted and deduplicated for `in`/`notin`.
#[derive(Debug, Clone, PartialEq)]
pub struct Requirement {
    pub key: String,
    pub op: Operator,
    pub values: Vec<String>,
}

/// A parsed label selector: the AND of its requirements (sorted by key). `nothing` is
/// `labels.Nothing()` (a nil `metav1.LabelSelector`), which matches no object.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct LabelSelector {
    reqs: Vec<Requirement>,
    nothing: bool,
}

/// `[]string` rendered with Go's `%#v` (as in `field.Invalid(path, vals, ...)`).
fn go_string_slice(vals: &[String]) -> String {
    if vals.is_empty() {
        return "[]string(nil)".to_string();
    }
    let inner: Vec<String> = vals.iter().map(|v| go_quote(v)).collect();
    format!("[]string{{{}}}", inner.join(", "))
}

impl Requirement {
    /// `labels.NewRequirement` with a nil path: the aggregated error text on invalid input.
    pub fn new(key: &str, op: Operator, values: Vec<String>) -> Result<Requirement, String> {
        let mut errs = Vec::new();
        let key_errs = label_key_errors(key);
        if !key_errs.is_empty() {
            errs.push(invalid_string("key", key, &key_errs.join("; ")));
        }
        let slice = || go_string_slice(&values);
        match op {
            Operator::In | Operator::NotIn if values.is_empty() => errs.push(format!(
                "values: Invalid value: {}: for 'in', 'notin' operators, values set can't be empty",
                slice()
            )),
            Operator::Equals | Operator::DoubleEquals | Operator::NotEquals if values.len() != 1 => errs.push(format!(
                "values: Invalid value: {}: exact-match compatibility requires one single value",
                slice()
            )),
            Operator::Exists | Operator::DoesNotExist if !values.is_empty() => errs.push(format!(
                "values: Invalid value: {}: values set must be empty for exists and does not exist",
                slice()
            )),
            Operator::GreaterThan | Operator::LessThan => {
                if values.len() != 1 {
                    errs.push(format!(
                        "values: Invalid value: {}: for 'Gt', 'Lt' operators, exactly one value is required",
                        slice()
                    ));
                }
                for (i, v) in values.iter().enumerate() {
                    if v.parse::<i64>().is_err() {
                        errs.push(invalid_string(
                            &format!("values[{i}]"),
                            v,
                            "for 'Gt', 'Lt' operators, the value must be an integer",
                        ));
                    }
                }
            }
            _ => {}
        }
        for (i, v) in values.iter().enumerate() {
            let v_errs = label_value_errors(v);
            if !v_errs.is_empty() {
                errs.push(invalid_string(
                    &format!("values[{i}][{key}]"),
                    v,
                    &v_errs.join("; "),
                ));
            }
        }
        match aggregate(errs) {
            Some(msg) => Err(msg),
            None => Ok(Requirement {
                key: key.to_string(),
                op,
                values,
            }),
        }
    }

    /// `Requirement.Matches`.
    pub fn matches(&self, labels: Option<&Map<String, Value>>) -> bool {
        let value: Option<String> = labels.and_then(|m| m.get(&self.key)).map(|v| match v {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        });
        let has = |v: &str| self.values.iter().any(|x| x == v);
        match self.op {
            Operator::In | Operator::Equals | Operator::DoubleEquals => {
                value.is_some_and(|v| has(&v))
            }
            Operator::NotIn | Operator::NotEquals => value.is_none_or(|v| !has(&v)),
            Operator::Exists => value.is_some(),
            Operator::DoesNotExist => value.is_none(),
            Operator::GreaterThan | Operator::LessThan => {
                let (Some(v), [want]) = (value, self.values.as_slice()) else {
                    return false;
                };
                match (v.parse::<i64>(), want.parse::<i64>()) {
                    (Ok(have), Ok(want)) => {
                        if self.op == Operator::GreaterThan {
                            have > want
                        } else {
                            have < want
                        }
                    }
                    _ => false,
                }
            }
        }
    }
}

impl fmt::Display for Requirement {
    /// `Requirement.String()`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.op == Operator::DoesNotExist {
            f.write_str("!")?;
        }
        f.write_str(&self.key)?;
        let op = match self.op {
            Operator::Equals => "=",
            Operator::DoubleEquals => "==",
            Operator::NotEquals => "!=",
            Operator::In => " in ",
            Operator::NotIn => " notin ",
            Operator::GreaterThan => ">",
            Operator::LessThan => "<",
            Operator::Exists | Operator::DoesNotExist => return Ok(()),
        };
        f.write_str(op)?;
        let set = matches!(self.op, Operator::In | Operator::NotIn);
        let mut vals = self.values.clone();
        vals.sort();
        if set {
            f.write_str("(")?;
        }
        f.write_str(&vals.join(","))?;
        if set {
            f.write_str(")")?;
        }
        Ok(())
    }
}

impl fmt::Display for LabelSelector {
    /// `Selector.String()`: the requirements joined by `,` (empty for everything/nothing).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let parts: Vec<String> = self.reqs.iter().map(|r| r.to_string()).collect();
        f.write_str(&parts.join(","))
    }
}

impl LabelSelector {
    /// `labels.Everything()`.
    pub fn everything() -> LabelSelector {
        LabelSelector::default()
    }

    /// `labels.Nothing()`.
    pub fn nothing() -> LabelSelector {
        LabelSelector {
            reqs: Vec::new(),
            nothing: true,
        }
    }

    fn from_requirements(mut reqs: Vec<Requirement>) -> LabelSelector {
        reqs.sort_by(|a, b| a.key.cmp(&b.key));
        LabelSelector {
            reqs,
            nothing: false,
        }
    }

    /// Parse a `labelSelector` query value exactly as `labels.Parse` does; the error is the
    /// apiserver's message for the 400 BadRequest Status.
    pub fn parse(s: &str) -> Result<LabelSelector, String> {
        let mut p = Parser {
            items: lex_all(s.as_bytes()),
            pos: 0,
        };
        p.parse().map(LabelSelector::from_requirements)
    }

    /// True when the selector does not restrict anything (`Selector.Empty()`).
    pub fn is_empty(&self) -> bool {
        !self.nothing && self.reqs.is_empty()
    }

    /// The requirements, sorted by key.
    pub fn requirements(&self) -> &[Requirement] {
        &self.reqs
    }

    /// `labels` = the object's `metadata.labels` (None when absent).
    pub fn matches(&self, labels: Option<&Map<String, Value>>) -> bool {
        !self.nothing && self.reqs.iter().all(|r| r.matches(labels))
    }

    /// Convenience: match an object by its `metadata.labels`.
    pub fn matches_object(&self, obj: &Value) -> bool {
        self.matches(obj.pointer("/metadata/labels").and_then(Value::as_object))
    }

    /// `RequiresExactMatch`: the single value a `=`, `==` or one-value `in` term pins.
    pub fn requires_exact_match(&self, key: &str) -> Option<&str> {
        let r = self.reqs.iter().find(|r| r.key == key)?;
        match (r.op, r.values.as_slice()) {
            (Operator::Equals | Operator::DoubleEquals | Operator::In, [v]) => Some(v),
            _ => None,
        }
    }

    /// `metav1.LabelSelectorAsSelector` on a `{matchLabels, matchExpressions}` JSON value.
    /// `null` gives [`LabelSelector::nothing`], `{}` gives everything.
    pub fn from_label_selector_json(v: &Value) -> Result<LabelSelector, String> {
        let obj = match v {
            Value::Null => return Ok(LabelSelector::nothing()),
            Value::Object(o) => o,
            other => return Err(format!("invalid label selector: {other}")),
        };
        let mut reqs = Vec::new();
        if let Some(ml) = obj.get("matchLabels").and_then(Value::as_object) {
            let mut keys: Vec<&String> = ml.keys().collect();
            keys.sort();
            for k in keys {
                let val = ml[k.as_str()].as_str().unwrap_or_default().to_string();
                reqs.push(Requirement::new(k, Operator::Equals, vec![val])?);
            }
        }
        if let Some(exprs) = obj.get("matchExpressions").and_then(Value::as_array) {
            for e in exprs {
                let key = e.get("key").and_then(Value::as_str).unwrap_or_default();
                let op_str = e
                    .get("operator")
                    .and_then(Value::as_str)
                    .unwrap_or_default();
                let op = match op_str {
                    "In" => Operator::In,
                    "NotIn" => Operator::NotIn,
                    "Exists" => Operator::Exists,
                    "DoesNotExist" => Operator::DoesNotExist,
                    other => {
                        return Err(format!(
                            "{} is not a valid label selector operator",
                            go_quote(other)
                        ));
                    }
                };
                let values: Vec<String> = e
                    .get("values")
                    .and_then(Value::as_array)
                    .map(|a| {
                        a.iter()
                            .map(|x| x.as_str().unwrap_or_default().to_string())
                            .collect()
                    })
                    .unwrap_or_default();
                reqs.push(Requirement::new(key, op, values)?);
            }
        }
        Ok(LabelSelector::from_requirements(reqs))
    }

    /// `labels.SelectorFromSet`: an unvalidated equality selector (Service/RC selectors).
    /// An empty map gives everything.
    pub fn from_map(m: &Map<String, Value>) -> LabelSelector {
        let reqs = m
            .iter()
            .map(|(k, v)| Requirement {
                key: k.clone(),
                op: Operator::Equals,
                values: vec![
                    v.as_str()
                        .map(str::to_string)
                        .unwrap_or_else(|| v.to_string()),
                ],
            })
            .collect();
        LabelSelector::from_requirements(reqs)
    }
}

// ---------------------------------------------------------------------------------------------
// Lexer (byte-oriented like the Go one; a NUL byte reads as end of input)

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tok {
    Error,
    Eos,
    ClosedPar,
    Comma,
    DoesNotExist,
    DoubleEquals,
    Equals,
    GreaterThan,
    Ident,
    In,
    LessThan,
    NotEquals,
    NotIn,
    OpenPar,
}

fn literal_token(s: &[u8]) -> Option<Tok> {
    Some(match s {
        b")" => Tok::ClosedPar,
        b"," => Tok::Comma,
        b"!" => Tok::DoesNotExist,
        b"==" => Tok::DoubleEquals,
        b"=" => Tok::Equals,
        b">" => Tok::GreaterThan,
        b"in" => Tok::In,
        b"<" => Tok::LessThan,
        b"!=" => Tok::NotEquals,
        b"notin" => Tok::NotIn,
        b"(" => Tok::OpenPar,
        _ => return None,
    })
}

fn is_ws(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\r' | b'\n')
}

fn is_special(c: u8) -> bool {
    matches!(c, b'=' | b'!' | b'(' | b')' | b',' | b'>' | b'<')
}

struct Lexer<'a> {
    s: &'a [u8],
    pos: usize,
}

impl Lexer<'_> {
    fn read(&mut self) -> u8 {
        match self.s.get(self.pos) {
            Some(&b) => {
                self.pos += 1;
                b
            }
            None => 0,
        }
    }

    fn unread(&mut self) {
        self.pos -= 1;
    }

    fn scan_id_or_keyword(&mut self) -> (Tok, String) {
        let mut buf = Vec::new();
        loop {
            match self.read() {
                0 => break,
                c if is_special(c) || is_ws(c) => {
                    self.unread();
                    break;
                }
                c => buf.push(c),
            }
        }
        let lit = String::from_utf8_lossy(&buf).into_owned();
        (literal_token(&buf).unwrap_or(Tok::Ident), lit)
    }

    fn scan_special_symbol(&mut self) -> (Tok, String) {
        let mut last: Option<(Tok, String)> = None;
        let mut buf = Vec::new();
        loop {
            match self.read() {
                0 => break,
                c if is_special(c) => {
                    buf.push(c);
                    if let Some(tok) = literal_token(&buf) {
                        last = Some((tok, String::from_utf8_lossy(&buf).into_owned()));
                    } else if last.is_some() {
                        self.unread();
                        break;
                    }
                }
                _ => {
                    self.unread();
                    break;
                }
            }
        }
        last.unwrap_or_else(|| {
            (
                Tok::Error,
                format!(
                    "error expected: keyword found '{}'",
                    String::from_utf8_lossy(&buf)
                ),
            )
        })
    }

    fn lex(&mut self) -> (Tok, String) {
        let mut c = self.read();
        while is_ws(c) {
            c = self.read();
        }
        if c == 0 {
            return (Tok::Eos, String::new());
        }
        self.unread();
        if is_special(c) {
            self.scan_special_symbol()
        } else {
            self.scan_id_or_keyword()
        }
    }
}

fn lex_all(s: &[u8]) -> Vec<(Tok, String)> {
    let mut lx = Lexer { s, pos: 0 };
    let mut items = Vec::new();
    loop {
        let item = lx.lex();
        let end = item.0 == Tok::Eos;
        items.push(item);
        if end {
            return items;
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Parser

struct Parser {
    items: Vec<(Tok, String)>,
    pos: usize,
}

const BINARY_OPS: &str = "in, notin, =, ==, !=, gt, lt";

impl Parser {
    /// The token at the cursor; in the `Values` context `in`/`notin` read as identifiers.
    fn lookahead(&self, values: bool) -> (Tok, String) {
        let (tok, lit) = self.items[self.pos.min(self.items.len() - 1)].clone();
        match tok {
            Tok::In | Tok::NotIn if values => (Tok::Ident, lit),
            _ => (tok, lit),
        }
    }

    fn consume(&mut self, values: bool) -> (Tok, String) {
        let item = self.lookahead(values);
        self.pos += 1;
        item
    }

    fn parse(&mut self) -> Result<Vec<Requirement>, String> {
        let mut reqs = Vec::new();
        loop {
            let (tok, lit) = self.lookahead(true);
            match tok {
                Tok::Ident | Tok::DoesNotExist => {
                    let r = self
                        .parse_requirement()
                        .map_err(|e| format!("unable to parse requirement: {e}"))?;
                    reqs.push(r);
                    let (t, l) = self.consume(true);
                    match t {
                        Tok::Eos => return Ok(reqs),
                        Tok::Comma => {
                            let (t2, l2) = self.lookahead(true);
                            if t2 != Tok::Ident && t2 != Tok::DoesNotExist {
                                return Err(format!(
                                    "found '{l2}', expected: identifier after ','"
                                ));
                            }
                        }
                        _ => return Err(format!("found '{l}', expected: ',' or 'end of string'")),
                    }
                }
                Tok::Eos => return Ok(reqs),
                _ => {
                    return Err(format!(
                        "found '{lit}', expected: !, identifier, or 'end of string'"
                    ));
                }
            }
        }
    }

    fn parse_requirement(&mut self) -> Result<Requirement, String> {
        let (key, op) = self.parse_key_and_infer_operator()?;
        if let Some(op @ (Operator::Exists | Operator::DoesNotExist)) = op {
            return Requirement::new(&key, op, Vec::new());
        }
        let op = self.parse_operator()?;
        let values = match op {
            Operator::In | Operator::NotIn => self.parse_values()?,
            _ => self.parse_exact_value()?,
        };
        Requirement::new(&key, op, values)
    }

    fn parse_key_and_infer_operator(&mut self) -> Result<(String, Option<Operator>), String> {
        let mut op = None;
        let (mut tok, mut lit) = self.consume(true);
        if tok == Tok::DoesNotExist {
            op = Some(Operator::DoesNotExist);
            (tok, lit) = self.consume(true);
        }
        if tok != Tok::Ident {
            return Err(format!("found '{lit}', expected: identifier"));
        }
        let errs = label_key_errors(&lit);
        if !errs.is_empty() {
            return Err(invalid_string("<nil>", &lit, &errs.join("; ")));
        }
        let (next, _) = self.lookahead(true);
        if (next == Tok::Eos || next == Tok::Comma) && op.is_none() {
            op = Some(Operator::Exists);
        }
        Ok((lit, op))
    }

    fn parse_operator(&mut self) -> Result<Operator, String> {
        let (tok, lit) = self.consume(false);
        Ok(match tok {
            Tok::In => Operator::In,
            Tok::Equals => Operator::Equals,
            Tok::DoubleEquals => Operator::DoubleEquals,
            Tok::GreaterThan => Operator::GreaterThan,
            Tok::LessThan => Operator::LessThan,
            Tok::NotIn => Operator::NotIn,
            Tok::NotEquals => Operator::NotEquals,
            _ => return Err(format!("found '{lit}', expected: {BINARY_OPS}")),
        })
    }

    /// `(a,b,...)`; the result is a sorted set like Go's `sets.String.List()`.
    fn parse_values(&mut self) -> Result<Vec<String>, String> {
        let (tok, lit) = self.consume(true);
        if tok != Tok::OpenPar {
            return Err(format!("found '{lit}' expected: '('"));
        }
        let (tok, lit) = self.lookahead(true);
        match tok {
            Tok::Ident | Tok::Comma => {
                let set = self.parse_identifiers_list()?;
                if self.consume(true).0 != Tok::ClosedPar {
                    return Err(format!("found '{lit}', expected: ')'"));
                }
                Ok(set)
            }
            Tok::ClosedPar => {
                self.consume(true);
                Ok(vec![String::new()])
            }
            _ => Err(format!("found '{lit}', expected: ',', ')' or identifier")),
        }
    }

    fn parse_identifiers_list(&mut self) -> Result<Vec<String>, String> {
        let mut set: Vec<String> = Vec::new();
        let insert = |set: &mut Vec<String>, v: String| {
            if let Err(i) = set.binary_search(&v) {
                set.insert(i, v);
            }
        };
        loop {
            let (tok, lit) = self.consume(true);
            match tok {
                Tok::Ident => {
                    insert(&mut set, lit);
                    let (tok2, lit2) = self.lookahead(true);
                    match tok2 {
                        Tok::Comma => continue,
                        Tok::ClosedPar => return Ok(set),
                        _ => return Err(format!("found '{lit2}', expected: ',' or ')'")),
                    }
                }
                Tok::Comma => {
                    if set.is_empty() {
                        insert(&mut set, String::new());
                    }
                    let (tok2, _) = self.lookahead(true);
                    if tok2 == Tok::ClosedPar {
                        insert(&mut set, String::new());
                        return Ok(set);
                    }
                    if tok2 == Tok::Comma {
                        insert(&mut set, String::new());
                    }
                }
                _ => return Err(format!("found '{lit}', expected: ',', or identifier")),
            }
        }
    }

    fn parse_exact_value(&mut self) -> Result<Vec<String>, String> {
        let (tok, _) = self.lookahead(true);
        if tok == Tok::Eos || tok == Tok::Comma {
            return Ok(vec![String::new()]);
        }
        let (tok, lit) = self.consume(true);
        if tok == Tok::Ident {
            Ok(vec![lit])
        } else {
            Err(format!("found '{lit}', expected: identifier"))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn labels(v: Value) -> Map<String, Value> {
        v.as_object().unwrap().clone()
    }

    fn err(s: &str) -> String {
        LabelSelector::parse(s).unwrap_err()
    }

    const NAME_PART: &str = "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";

    #[test]
    fn good_selectors_round_trip() {
        for (input, out) in [
            ("x=a,y=b,z=c", "x=a,y=b,z=c"),
            ("", ""),
            ("x!=a,y=b", "x!=a,y=b"),
            ("x= ", "x="),
            ("x= ,z= ", "x=,z="),
            ("!x", "!x"),
            ("x>1,z<5", "x>1,z<5"),
            ("\rx", "x"),
            (
                "x notin (abc,,def),bar,z in (),w",
                "bar,w,x notin (,abc,def),z in ()",
            ),
            ("x notin (, a)", "x notin (,a)"),
            ("a in (x,y,notin, z,in)", "a in (in,notin,x,y,z)"),
            ("foo  in\t (abc)", "foo in (abc)"),
            (
                "0.1.2.domain/99 notin (10.10.100.1, tick.tack.clock)",
                "0.1.2.domain/99 notin (10.10.100.1,tick.tack.clock)",
            ),
            ("notin=in", "notin=in"),
            ("a=b \0garbage", "a=b"),
        ] {
            let sel = LabelSelector::parse(input).unwrap_or_else(|e| panic!("{input:?}: {e}"));
            assert_eq!(sel.to_string(), out, "{input:?}");
        }
    }

    #[test]
    fn parse_errors_have_go_texts() {
        let cases = [
            ("x=a,b=c=d", "found '=', expected: ',' or 'end of string'"),
            ("x==a==b", "found '==', expected: ',' or 'end of string'"),
            ("!x=a", "found '=', expected: ',' or 'end of string'"),
            ("x,,y", "found ',', expected: identifier after ','"),
            (
                ",x,y",
                "found ',', expected: !, identifier, or 'end of string'",
            ),
            ("a in (xyz),", "found '', expected: identifier after ','"),
            (
                "a in (xyz)b notin ()",
                "found 'b', expected: ',' or 'end of string'",
            ),
            (
                "(",
                "found '(', expected: !, identifier, or 'end of string'",
            ),
            (
                "x nott in (y)",
                "unable to parse requirement: found 'nott', expected: in, notin, =, ==, !=, gt, lt",
            ),
            (
                "a in (xyz abc)",
                "unable to parse requirement: found 'abc', expected: ',' or ')'",
            ),
            (
                "a notin(",
                "unable to parse requirement: found '', expected: ',', ')' or identifier",
            ),
            (
                "a (",
                "unable to parse requirement: found '(', expected: in, notin, =, ==, !=, gt, lt",
            ),
            (
                "a in (x,=)",
                "unable to parse requirement: found '=', expected: ',', or identifier",
            ),
            (
                "a=(",
                "unable to parse requirement: found '(', expected: identifier",
            ),
            (
                "!",
                "unable to parse requirement: found '', expected: identifier",
            ),
            (
                "a gt 1",
                "unable to parse requirement: found 'gt', expected: in, notin, =, ==, !=, gt, lt",
            ),
            (
                "x<a",
                "unable to parse requirement: values[0]: Invalid value: \"a\": for 'Gt', 'Lt' operators, the value must be an integer",
            ),
        ];
        for (input, want) in cases {
            assert_eq!(err(input), want, "{input:?}");
        }
    }

    #[test]
    fn key_and_value_validation_texts() {
        assert_eq!(
            err("Bad_=x"),
            format!("unable to parse requirement: <nil>: Invalid value: \"Bad_\": {NAME_PART}")
        );
        assert_eq!(
            err("a/b/c"),
            "unable to parse requirement: <nil>: Invalid value: \"a/b/c\": a valid label key must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')"
        );
        assert_eq!(
            err("Ex.com/x"),
            "unable to parse requirement: <nil>: Invalid value: \"Ex.com/x\": prefix part a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"
        );
        assert_eq!(
            err("x/"),
            format!(
                "unable to parse requirement: <nil>: Invalid value: \"x/\": name part must be non-empty; {NAME_PART}"
            )
        );
        let long = "k".repeat(64);
        assert_eq!(
            err(&long),
            format!(
                "unable to parse requirement: <nil>: Invalid value: \"{long}\": name part must be no more than 63 bytes"
            )
        );
        assert_eq!(
            err("x=-a"),
            "unable to parse requirement: values[0][x]: Invalid value: \"-a\": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')"
        );
        let e = err("x in (ok,-b,é)");
        assert!(
            e.starts_with("unable to parse requirement: [values[0][x]: Invalid value: \"-b\": "),
            "{e}"
        );
        assert!(e.contains(", values[2][x]: Invalid value: \"é\": "), "{e}");
        assert!(err("x>-1").contains("values[0][x]: Invalid value: \"-1\": a valid label"));
        assert!(err("a=\u{1}").contains("Invalid value: \"\\x01\""));
        assert!(err("a=x\u{7f}").contains("Invalid value: \"x\\x7f\""));
    }

    #[test]
    fn matching_follows_go_semantics() {
        let set = labels(json!({"x": "z", "z": "a", "n": "5"}));
        let m = |s: &str| LabelSelector::parse(s).unwrap().matches(Some(&set));
        assert!(
            m("x!=y,z!=w")
                && m("x")
                && m("!y")
                && m("n>4")
                && m("n<6")
                && m("q notin (a)")
                && m("q!=a")
        );
        assert!(
            !m("x=y") && !m("!x") && !m("n>5") && !m("x>1") && !m("q in (a)") && !m("x notin (z)")
        );
        assert!(LabelSelector::parse("a!=b").unwrap().matches(None));
        assert!(!LabelSelector::parse("a").unwrap().matches(None));
        assert!(LabelSelector::parse("").unwrap().is_empty());
        let sel = LabelSelector::parse("app=web,env in (x)").unwrap();
        assert_eq!(sel.requires_exact_match("app"), Some("web"));
        assert_eq!(sel.requires_exact_match("env"), Some("x"));
    }

    #[test]
    fn metav1_label_selector_json() {
        let sel = LabelSelector::from_label_selector_json(&json!({
            "matchLabels": {"app": "web"},
            "matchExpressions": [{"key": "tier", "operator": "NotIn", "values": ["db", "cache"]}]
        }))
        .unwrap();
        assert_eq!(sel.to_string(), "app=web,tier notin (cache,db)");
        assert!(sel.matches(Some(&labels(json!({"app": "web"})))));
        assert!(!sel.matches(Some(&labels(json!({"app": "web", "tier": "db"})))));
        let nothing = LabelSelector::from_label_selector_json(&Value::Null).unwrap();
        assert!(!nothing.is_empty() && !nothing.matches(None));
        assert!(
            LabelSelector::from_label_selector_json(&json!({}))
                .unwrap()
                .is_empty()
        );
        let bad_op = json!({"matchExpressions": [{"key": "a", "operator": "Gt", "values": ["1"]}]});
        assert_eq!(
            LabelSelector::from_label_selector_json(&bad_op).unwrap_err(),
            "\"Gt\" is not a valid label selector operator"
        );
        let no_values = json!({"matchExpressions": [{"key": "a", "operator": "In"}]});
        assert_eq!(
            LabelSelector::from_label_selector_json(&no_values).unwrap_err(),
            "values: Invalid value: []string(nil): for 'in', 'notin' operators, values set can't be empty"
        );
        let exists_vals =
            json!({"matchExpressions": [{"key": "a", "operator": "Exists", "values": ["x", "y"]}]});
        assert_eq!(
            LabelSelector::from_label_selector_json(&exists_vals).unwrap_err(),
            "values: Invalid value: []string{\"x\", \"y\"}: values set must be empty for exists and does not exist"
        );
        let bad_key = json!({"matchLabels": {"-a": "b"}});
        assert_eq!(
            LabelSelector::from_label_selector_json(&bad_key).unwrap_err(),
            format!("key: Invalid value: \"-a\": {NAME_PART}")
        );
    }

    #[test]
    fn map_selector() {
        let sel = LabelSelector::from_map(&labels(json!({"b": "2", "a": "1"})));
        assert_eq!(sel.to_string(), "a=1,b=2");
        assert!(sel.matches(Some(&labels(json!({"a": "1", "b": "2", "c": "3"})))));
        assert!(!sel.matches(Some(&labels(json!({"a": "1"})))));
        assert!(LabelSelector::from_map(&Map::new()).is_empty());
    }
}
