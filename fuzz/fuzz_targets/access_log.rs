//! Arbitrary bytes as an access log, through everything `retort slo report`
//! does with a line: line splitting (`for_each_line`, overlong lines,
//! `\r\n`), format detection and parsing (combined/common, JSON lines,
//! gunicorn and nginx templates, or a template taken from the input's
//! first line), then route matching with werkzeug's converters, custom
//! ones included, and path shapes. Any panic or hang is a bug: bad lines
//! must be counted as bad.
#![no_main]

use std::cell::RefCell;

use libfuzzer_sys::fuzz_target;
use retort_slo::accesslog::{for_each_line, LogFormat};
use retort_slo::routes::{path_shape, CustomConverter, RouteMatcher, RouteRule};

const RULES: &[&str] = &[
    "/",
    "/items/<int:item_id>",
    "/items/<int(min=1, max=99):item_id>/reviews",
    "/prices/<float(signed=True):p>",
    "/files/<path:rest>",
    "/u/<uuid:id>",
    "/lang/<any(en, fr):code>/",
    "/codes/<regex(\"[A-Z]{3}\"):code>",
    "/posts/<slug:s>",
    "/<name>",
];

thread_local! {
    /// Compiled once (regex compilation would dominate every run); its path
    /// cache carries over between inputs, which only adds cache hits.
    static MATCHER: RefCell<RouteMatcher> = RefCell::new(matcher());
}

fn matcher() -> RouteMatcher {
    let rules: Vec<RouteRule> =
        RULES.iter().map(|r| RouteRule { rule: r.to_string(), endpoint: None, blueprint: None }).collect();
    let custom = vec![
        CustomConverter { name: "regex".into(), regex: None, regex_from_argument: true, weight: None },
        CustomConverter { name: "slug".into(), regex: Some("[a-z0-9-]+".into()), regex_from_argument: false, weight: Some(20) },
    ];
    RouteMatcher::new(&rules, &custom)
}

fuzz_target!(|data: &[u8]| {
    let Some((&selector, body)) = data.split_first() else { return };
    let template = match selector % 5 {
        0 => "auto".to_string(),
        1 => "json".to_string(),
        2 => r#"%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s" %(D)s"#.to_string(),
        3 => r#"$remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent $request_time"#.to_string(),
        _ => String::from_utf8_lossy(body.split(|b| *b == b'\n').next().unwrap_or_default()).into_owned(),
    };
    let Ok(format) = LogFormat::parse(&template, None) else { return };
    MATCHER.with(|m| {
        let mut m = m.borrow_mut();
        let _ = for_each_line(std::io::Cursor::new(body), |line| {
            let Some(bytes) = line else { return };
            let Ok(text) = std::str::from_utf8(bytes) else { return };
            if let Ok(request) = format.parse_line(text) {
                let _ = m.match_path(request.path);
                let _ = path_shape(request.path);
            }
        });
    });
});
