//! Path → Flask rule with werkzeug's converters and precedence.

use retort_slo::routes::{path_shape, CustomConverter, RouteMatcher, RouteRule};

fn rules_of(rules: &[&str]) -> Vec<RouteRule> {
    rules.iter().map(|r| RouteRule { rule: r.to_string(), endpoint: None, blueprint: None }).collect()
}

fn matcher(rules: &[&str]) -> RouteMatcher {
    RouteMatcher::new(&rules_of(rules), &[])
}

fn rule_of(m: &mut RouteMatcher, path: &str) -> Option<String> {
    m.match_path(path).map(|i| m.rules()[i].rule.clone())
}

#[test]
fn converters_follow_werkzeug() {
    let mut m = matcher(&[
        "/items/<int:item_id>",
        "/items/new",
        "/items/<name>",
        "/price/<float:p>",
        "/files/<path:rest>",
        "/u/<uuid:id>",
        "/lang/<any(en, fr):code>/home",
        "/archive/<int(fixed_digits=4):year>",
        "/docs/",
    ]);
    assert_eq!(rule_of(&mut m, "/items/42").as_deref(), Some("/items/<int:item_id>"));
    assert_eq!(rule_of(&mut m, "/items/new").as_deref(), Some("/items/new"), "static beats converters");
    assert_eq!(rule_of(&mut m, "/items/abc").as_deref(), Some("/items/<name>"));
    assert_eq!(rule_of(&mut m, "/items/-1").as_deref(), Some("/items/<name>"), "int is unsigned by default");
    assert_eq!(rule_of(&mut m, "/price/1.5").as_deref(), Some("/price/<float:p>"));
    assert_eq!(rule_of(&mut m, "/price/1"), None, "float needs a dot");
    assert_eq!(rule_of(&mut m, "/files/a/b/c.txt").as_deref(), Some("/files/<path:rest>"));
    assert_eq!(rule_of(&mut m, "/u/0f8fad5b-d9cb-469f-a165-70867728950e").as_deref(), Some("/u/<uuid:id>"));
    assert_eq!(rule_of(&mut m, "/u/not-a-uuid"), None);
    assert_eq!(rule_of(&mut m, "/lang/fr/home").as_deref(), Some("/lang/<any(en, fr):code>/home"));
    assert_eq!(rule_of(&mut m, "/lang/de/home"), None);
    assert_eq!(rule_of(&mut m, "/archive/2024").as_deref(), Some("/archive/<int(fixed_digits=4):year>"));
    assert_eq!(rule_of(&mut m, "/archive/24"), None);
    assert_eq!(rule_of(&mut m, "/docs").as_deref(), Some("/docs/"), "strict slashes redirect to the rule");
    // werkzeug matches the decoded path: %2F is a slash there.
    assert_eq!(rule_of(&mut m, "/items/a%2Fb"), None);
    assert_eq!(rule_of(&mut m, "/items/caf%C3%A9").as_deref(), Some("/items/<name>"));
    assert_eq!(rule_of(&mut m, "/nothing"), None);
}

#[test]
fn converter_checks_after_the_match_are_404s_as_in_werkzeug() {
    let mut m = matcher(&[
        "/months/<int(min=1, max=12):month>",
        "/months/<name>",
        "/years/<int(fixed_digits=4):year>",
        "/years/<string(length=2):short>",
        "/codes/<string(minlength=3, maxlength=5):code>",
    ]);
    assert_eq!(rule_of(&mut m, "/months/7").as_deref(), Some("/months/<int(min=1, max=12):month>"));
    // The int rule wins the match, then its converter refuses 13: 404.
    assert_eq!(rule_of(&mut m, "/months/13"), None);
    assert_eq!(rule_of(&mut m, "/months/ab").as_deref(), Some("/months/<name>"));
    assert_eq!(rule_of(&mut m, "/years/2024").as_deref(), Some("/years/<int(fixed_digits=4):year>"));
    assert_eq!(rule_of(&mut m, "/years/20"), None, "digits pick the int rule, then fixed_digits refuses");
    assert_eq!(rule_of(&mut m, "/years/ab").as_deref(), Some("/years/<string(length=2):short>"));
    assert_eq!(rule_of(&mut m, "/codes/abcd").as_deref(), Some("/codes/<string(minlength=3, maxlength=5):code>"));
    assert_eq!(rule_of(&mut m, "/codes/ab"), None);
    assert_eq!(rule_of(&mut m, "/codes/abcdef"), None);
}

#[test]
fn unmatched_shapes() {
    assert_eq!(path_shape("/old/123/x"), "/old/{int}/x");
    assert_eq!(path_shape("/u/0f8fad5b-d9cb-469f-a165-70867728950e"), "/u/{uuid}");
    assert_eq!(path_shape("/t/0123456789abcdef0123"), "/t/{hex}");
}

#[test]
fn custom_converters_use_their_regex_weight_or_first_argument() {
    let custom = [
        CustomConverter {
            name: "lang".into(),
            regex: Some("[a-z]{2}".into()),
            regex_from_argument: false,
            weight: None,
        },
        CustomConverter { name: "regex".into(), regex: None, regex_from_argument: true, weight: None },
        CustomConverter {
            name: "slug".into(),
            regex: Some("[a-z0-9-]+".into()),
            regex_from_argument: false,
            weight: Some(20),
        },
        CustomConverter { name: "look".into(), regex: Some("(?=a)a".into()), regex_from_argument: false, weight: None },
        CustomConverter { name: "opaque".into(), regex: None, regex_from_argument: false, weight: None },
    ];
    let mut m = RouteMatcher::new(
        &rules_of(&[
            "/<lang:code>/home",
            "/codes/<regex(\"[A-Z]{3}\"):code>",
            "/codes/<name>",
            "/posts/<slug:s>",
            "/posts/<name>",
            "/l/<look:x>",
            "/o/<opaque:x>",
        ]),
        &custom,
    );
    assert_eq!(rule_of(&mut m, "/en/home").as_deref(), Some("/<lang:code>/home"));
    assert_eq!(rule_of(&mut m, "/eng/home"), None, "three letters are not `[a-z]{{2}}`");
    assert_eq!(rule_of(&mut m, "/codes/ABC").as_deref(), Some("/codes/<regex(\"[A-Z]{3}\"):code>"));
    assert_eq!(rule_of(&mut m, "/codes/abcd").as_deref(), Some("/codes/<name>"));
    // weight 20 beats the default converter's 100, as in werkzeug.
    assert_eq!(rule_of(&mut m, "/posts/hello-world").as_deref(), Some("/posts/<slug:s>"));
    assert_eq!(rule_of(&mut m, "/posts/Hello").as_deref(), Some("/posts/<name>"));
    // Unsupported or unknown regexes: a segment, and a note says so.
    assert_eq!(rule_of(&mut m, "/l/b").as_deref(), Some("/l/<look:x>"));
    assert!(
        m.approximations.iter().any(|n| n.contains("`look`") && n.contains("not supported")),
        "{:?}",
        m.approximations
    );
    assert!(
        m.approximations.iter().any(|n| n.contains("`opaque`") && n.contains("no regex")),
        "{:?}",
        m.approximations
    );
    assert!(!m.approximations.iter().any(|n| n.contains("`lang`") || n.contains("`regex`")));
}
