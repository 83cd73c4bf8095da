//! Unit tests of `label` and `label_parse`: round trips, Go error texts, matching and the
//! `metav1.LabelSelector` / map constructors.

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
    assert!(!m("x=y") && !m("!x") && !m("n>5") && !m("x>1") && !m("q in (a)") && !m("x notin (z)"));
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
