//! Virtual users with sessions against the test server: a login step that
//! takes a CSRF token from a form and gets a session cookie, values
//! extracted from responses into later requests, checks counted per
//! request and in total, and the verdict of runs whose checks fail.

mod common;

use common::{ServerConfig, TestServer};
use retort_load::result::Verdict;
use retort_load::scenario::{Overrides, Plan, Scenario};

const SCENARIO: &str = r#"
[variables]
password = "secret"

[[login]]
name = "login form"
path = "/session/form"
extract = { csrf = { form = "csrf_token" } }
checks = [{ status = 200 }]

[[login]]
name = "log in"
method = "POST"
path = "/session/login"
form = { csrf_token = "{csrf}", username = "bob", password = "{password}" }
checks = [{ status = 302 }, { header = "Location", equals = "/session/me" }]

[[request]]
name = "me"
path = "/session/me"
extract = { token = { json = "$.token" } }
checks = [{ status = 200 }, { json = "user.id", exists = true }, { body_contains = "user" }]
weight = 1

[[request]]
name = "with token"
path = "/session/token?token={token}"
checks = [{ status = 200, name = "token accepted" }]
weight = 1
"#;

fn plan(server: &TestServer, text: &str, requests: u64) -> Plan {
    let scenario: Scenario = toml::from_str(text).unwrap();
    let overrides =
        Overrides { connections: Some(3), max_requests: Some(requests), threads: Some(1), ..Overrides::default() };
    Plan::build(scenario, Some(&server.url("")), overrides).unwrap()
}

#[test]
fn virtual_users_log_in_once_and_reuse_their_session() {
    let server = TestServer::start(ServerConfig::default());
    // `token` is extracted by a request: it needs a starting value.
    let text = SCENARIO.replace("password = \"secret\"", "password = \"secret\"\ntoken = \"none\"");
    // A user's first token request may come before its first `me`: a few may fail.
    let text = format!("thresholds = [\"checks > 95%\"]\n{text}");
    let result = common::run(plan(&server, &text, 200));
    assert_eq!(result.verdict(), Verdict::Passed, "{:#?}", result.totals.checks);
    // Three virtual users: three logins, each after one form.
    assert_eq!(server.counts.path("/session/login"), 3);
    assert_eq!(server.counts.path("/session/form"), 3);
    let by_name = |name: &str| result.requests.iter().find(|r| r.name == name).unwrap();
    assert_eq!(by_name("log in").statuses.get("302"), Some(&3));
    let me = by_name("me");
    assert!(me.requests > 50);
    assert_eq!(me.statuses.keys().collect::<Vec<_>>(), ["200"]);
    assert_eq!(
        me.checks.iter().map(|c| c.name.as_str()).collect::<Vec<_>>(),
        ["status 200", "user.id exists", "body contains \"user\"", "extract token"]
    );
    assert!(me.checks.iter().all(|c| c.failed == 0 && c.passed == me.requests));
    // Totals add checks by name across requests, like k6: `status 200` of
    // the form, `me` and nothing else (the token check is named).
    let status_200 = result.totals.checks.iter().find(|c| c.name == "status 200").unwrap();
    assert_eq!(status_200.passed, me.requests + 3);
    // The token request's sends before a user's first `me` use the starting
    // value "none" and fail (each is a coin flip, so a few); after that the
    // extracted token is used and passes. Nothing else fails.
    let token = by_name("with token");
    let failed = token.checks[0].failed;
    assert_eq!(result.totals.checks_failed, failed);
    assert!(failed <= 20, "{failed}");
    assert!(token.checks[0].passed > 40);
    assert_eq!(token.statuses.get("200"), Some(&token.checks[0].passed));
    // The Secure cookie sent with each login was not kept over http (else
    // `/session/me` answers 401).
    assert_eq!(result.totals.secure_cookies_ignored, 3);
}

#[test]
fn a_request_using_a_value_no_earlier_step_extracts_is_an_error() {
    let server = TestServer::start(ServerConfig::default());
    let scenario: Scenario = toml::from_str(SCENARIO).unwrap();
    let error = Plan::build(scenario, Some(&server.url("")), Overrides::default()).unwrap_err().to_string();
    assert!(error.contains("`{token}`") && error.contains("[variables]"), "{error}");
    let bad = [
        // A login step using what a later one extracts.
        "[[login]]\npath = \"/a?x={x}\"\n[[login]]\npath = \"/b\"\nextract = { x = { json = \"$.x\" } }\n[[request]]\npath = \"/\"",
        "[[login]]\npath = \"/a\"\nweight = 2\n[[request]]\npath = \"/\"",
        "[[login]]\npath = \"/a\"",
        "[[request]]\npath = \"/\"\nextract = { x = { json = \"$.\" } }",
        "[[request]]\npath = \"/\"\nextract = { \"a b\" = { json = \"$.x\" } }",
        "[[request]]\npath = \"/\"\nchecks = [{ status = 200, body_contains = \"x\" }]",
        "[[request]]\npath = \"/\"\nbody = \"x\"\nform = { a = \"b\" }",
    ];
    for text in bad {
        let scenario: Scenario = toml::from_str(text).unwrap();
        assert!(Plan::build(scenario, Some(&server.url("")), Overrides::default()).is_err(), "{text}");
    }
}

#[test]
fn a_wrong_password_fails_the_checks_and_the_run() {
    let server = TestServer::start(ServerConfig::default());
    let text = SCENARIO.replace("password = \"secret\"", "password = \"wrong\"\ntoken = \"none\"");
    let mut plan = plan(&server, &text, 1_000);
    plan.duration = Some(std::time::Duration::from_millis(2500));
    let result = common::run(plan);
    // The form loads, the login fails its checks, the users retry after a
    // pause and never reach the pages behind the login.
    let login = result.requests.iter().find(|r| r.name == "log in").unwrap();
    assert!(login.requests >= 3 && login.requests <= 12, "{}", login.requests);
    assert!(login.checks.iter().any(|c| c.name == "status 302" && c.passed == 0 && c.failed == login.requests));
    assert_eq!(result.requests.iter().find(|r| r.name == "me").unwrap().requests, 0);
    match result.verdict() {
        Verdict::Failed(reasons) => assert!(reasons.iter().any(|r| r.contains("checks failed")), "{reasons:?}"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn every_response_failing_a_check_measured_nothing() {
    let server = TestServer::start(ServerConfig::default());
    // Without a login, every `me` is a 401 and fails its check.
    let text = "[[request]]\npath = \"/session/me\"\nchecks = [{ status = 200 }]\n";
    let result = common::run(plan(&server, text, 30));
    match result.verdict() {
        Verdict::NothingMeasured(why) => assert!(why.contains("`status 200` failed 30 of 30"), "{why}"),
        other => panic!("{other:?}"),
    }
    // A `checks` threshold does not rescue a run where nothing passed.
    let text = format!("thresholds = [\"checks > 0%\"]\n{text}");
    assert!(matches!(common::run(plan(&server, &text, 10)).verdict(), Verdict::NothingMeasured(_)));
    // One passing response among failing ones is a failed run, not an empty one;
    // a `checks` threshold then decides instead of the failed checks.
    let text = "thresholds = [\"checks > 40%\"]\n[[request]]\npath = \"/fail/2\"\nchecks = [{ status = 200 }]\n";
    let result = common::run(plan(&server, text, 40));
    assert_eq!(result.totals.checks_failed, 20);
    assert_eq!(result.verdict(), Verdict::Passed);
    let text = text.replace("40%", "60%");
    assert!(matches!(common::run(plan(&server, &text, 40)).verdict(), Verdict::Failed(_)));
}

#[test]
fn no_response_at_all_measured_nothing() {
    let url = format!("http://127.0.0.1:{}/", common::closed_port());
    let plan =
        common::quick_plan(&url, Overrides { max_requests: Some(5), connections: Some(1), ..Default::default() });
    match common::run(plan).verdict() {
        Verdict::NothingMeasured(why) => {
            assert!(why.contains("none of the 5 requests got a response (connect 5)"), "{why}")
        }
        other => panic!("{other:?}"),
    }
}
