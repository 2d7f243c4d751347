//! End-to-end tests of the load engine against the test server.

mod common;

use std::sync::Arc;
use std::time::{Duration, Instant};

use common::{closed_port, quick_plan, run, ServerConfig, TestServer};
use retort_load::scenario::{Overrides, Plan, Scenario};
use retort_load::CancellationToken;

fn overrides() -> Overrides {
    Overrides { connections: Some(4), threads: Some(2), ..Overrides::default() }
}

#[test]
fn request_bound_sends_exactly_n() {
    let server = TestServer::start(ServerConfig::default());
    let plan =
        quick_plan(&server.url("/fast"), Overrides { connections: Some(10), max_requests: Some(1000), ..overrides() });
    let result = run(plan);
    assert_eq!(result.totals.requests, 1000);
    assert_eq!(result.totals.errors, 0);
    assert_eq!(server.counts.requests.load(std::sync::atomic::Ordering::SeqCst), 1000);
    assert_eq!(result.totals.histogram.len(), 1000);
    assert_eq!(result.totals.statuses.get("200"), Some(&1000));
    let timeline_total: u64 = result.timeline.iter().map(|s| s.requests).sum();
    assert_eq!(timeline_total, 1000);
}

#[test]
fn error_classes_are_counted() {
    let server = TestServer::start(ServerConfig::default());
    let n = |path: &str, count: u64| {
        run(quick_plan(&server.url(path), Overrides { max_requests: Some(count), ..overrides() }))
    };

    // Exactly one in four fails with a 500.
    let r = n("/fail/4", 400);
    assert_eq!((r.totals.requests, r.totals.error_classes.status_5xx, r.totals.errors), (400, 100, 100));
    assert!((r.totals.error_rate - 0.25).abs() < 1e-12);

    let r = n("/status/404", 30);
    assert_eq!(r.totals.error_classes.status_4xx, 30);

    let r = n("/reset", 20);
    assert_eq!((r.totals.requests, r.totals.error_classes.reset), (20, 20));

    let r = n("/garbage", 10);
    assert_eq!(r.totals.error_classes.protocol, 10);

    // Redirects are responses, not errors, and are not followed.
    let before = server.counts.path("/fast");
    let r = n("/redirect", 25);
    assert_eq!((r.totals.errors, r.totals.statuses.get("302")), (0, Some(&25)));
    assert_eq!(server.counts.path("/fast"), before);

    // Chunked bodies and Connection: close are handled and not errors.
    let r = n("/chunked", 50);
    assert_eq!(r.totals.errors, 0);
    // Every byte of head and chunked body is read (73 bytes per response).
    assert_eq!(r.totals.bytes_received, 50 * 73);
    let r = n("/close", 50);
    assert_eq!((r.totals.requests, r.totals.errors), (50, 0));

    let r = run(quick_plan(
        &server.url("/sleep/3000"),
        Overrides { max_requests: Some(4), timeout: Some("200ms".into()), ..overrides() },
    ));
    assert_eq!((r.totals.requests, r.totals.error_classes.timeout), (4, 4));

    let port = closed_port();
    let r = run(quick_plan(&format!("http://127.0.0.1:{port}/"), Overrides { max_requests: Some(12), ..overrides() }));
    assert_eq!((r.totals.requests, r.totals.error_classes.connect), (12, 12));
    assert_eq!(r.totals.histogram.len(), 0);
}

#[test]
fn sleep_endpoint_p50_is_about_50ms() {
    let server = TestServer::start(ServerConfig::default());
    let r = run(quick_plan(&server.url("/sleep/50"), Overrides { duration: Some("2s".into()), ..overrides() }));
    let p50 = r.totals.latency_us.p50;
    // The server sleeps 50 ms (tokio timers round up to the next ms); the
    // rest is loopback and scheduling, generous for a busy CI machine.
    assert!((49_500.0..=70_000.0).contains(&p50), "p50 = {p50} µs");
    // 4 connections × 2 s / ~51 ms ≈ 156 requests; allow for a slow machine.
    assert!(r.totals.requests >= 60, "{}", r.totals.requests);
}

#[test]
fn open_model_shows_a_stall_in_its_tail_but_closed_model_does_not() {
    // The server holds every response from 1 s to 2 s after its first request.
    let stall = ServerConfig { stall: Some((Duration::from_secs(1), Duration::from_secs(1))) };

    let server = TestServer::start(stall);
    let open = run(quick_plan(
        &server.url("/stall"),
        Overrides { rate: Some("200/s".into()), connections: Some(50), duration: Some("3s".into()), ..overrides() },
    ));
    let server = TestServer::start(stall);
    let closed = run(quick_plan(
        &server.url("/stall"),
        Overrides { connections: Some(2), duration: Some("3s".into()), ..overrides() },
    ));

    // Open: ~200 of ~600 arrivals fall in the stall and wait up to 1 s
    // from their intended send time, so p90 and p99 show it.
    assert!(open.totals.requests >= 550, "open sent {}", open.totals.requests);
    assert!(open.totals.latency_us.p90 > 400_000.0, "open p90 {}", open.totals.latency_us.p90);
    assert!(open.totals.latency_us.p99 > 800_000.0, "open p99 {}", open.totals.latency_us.p99);
    // Closed: only the 2 requests in flight during the stall wait; the
    // tail percentiles stay small while the max shows the stall.
    assert!(closed.totals.requests > 1000, "closed sent {}", closed.totals.requests);
    assert!(closed.totals.latency_us.p99 < 200_000.0, "closed p99 {}", closed.totals.latency_us.p99);
    assert!(closed.totals.latency_us.max > 500_000.0, "closed max {}", closed.totals.latency_us.max);
}

#[test]
fn staged_open_model_sends_the_integral_of_its_rate() {
    let server = TestServer::start(ServerConfig::default());
    let text = r#"
        model = "open"
        connections = 8
        [[stages]]
        name = "ramp"
        duration = "2s"
        target = 200
        [[stages]]
        name = "hold"
        duration = "1s"
        target = 200
        [[request]]
        name = "fast"
        path = "/fast"
    "#;
    let scenario: Scenario = toml::from_str(text).unwrap();
    let plan =
        Plan::build(scenario, Some(&server.url("/")), Overrides { threads: Some(2), ..Overrides::default() }).unwrap();
    let r = run(plan);
    // 0→200/s over 2 s is 200 arrivals, then 200 more in the hold.
    assert_eq!(r.totals.requests, 400);
    assert_eq!(r.missed_arrivals, 0);
    // The ramp is visible in the timeline: the first second has far fewer
    // requests (≈50) than the last (≈200).
    let first = r.timeline.iter().find(|s| s.second == 0).map(|s| s.requests).unwrap_or(0);
    let third = r.timeline.iter().find(|s| s.second == 2).map(|s| s.requests).unwrap_or(0);
    assert!(first < 100 && third > 150, "first {first}, third {third}");
}

#[test]
fn weighted_requests_and_templates_group_by_name() {
    let server = TestServer::start(ServerConfig::default());
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("users.csv"), "user_id\n10\n11\n12\n").unwrap();
    let text = r#"
        max_requests = 400
        connections = 4
        [[data]]
        file = "users.csv"
        [[request]]
        name = "item"
        path = "/items/{__seq}"
        weight = 3
        [[request]]
        name = "orders"
        path = "/users/{user_id}/orders"
        weight = 1
        expect = [200]
    "#;
    std::fs::write(dir.path().join("s.toml"), text).unwrap();
    let scenario = Scenario::read(&dir.path().join("s.toml")).unwrap();
    let plan =
        Plan::build(scenario, Some(&server.url("/")), Overrides { threads: Some(2), ..Overrides::default() }).unwrap();
    let r = run(plan);
    assert_eq!(r.totals.requests, 400);
    assert_eq!(r.totals.errors, 0);
    let item = r.name("item").unwrap().requests;
    let orders = r.name("orders").unwrap().requests;
    assert_eq!(item + orders, 400);
    // 3:1 weights; a binomial with n = 400 stays well within ±60.
    assert!((240..=360).contains(&item), "item {item}");
    let users: u64 =
        ["/users/10/orders", "/users/11/orders", "/users/12/orders"].iter().map(|p| server.counts.path(p)).sum();
    assert_eq!(users, orders);
}

#[test]
fn cancellation_stops_early_and_keeps_the_partial_result() {
    let server = TestServer::start(ServerConfig::default());
    let plan = quick_plan(&server.url("/sleep/20"), Overrides { duration: Some("60s".into()), ..overrides() });
    let cancel = CancellationToken::new();
    let trigger = cancel.clone();
    std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(1500));
        trigger.cancel();
    });
    let began = Instant::now();
    let r = retort_load::engine::run(Arc::new(plan), cancel, &mut |_| {}).unwrap();
    assert!(began.elapsed() < Duration::from_secs(20), "did not stop on cancel");
    assert!(r.interrupted);
    assert!(r.totals.requests > 20, "{}", r.totals.requests);
    assert!(r.duration_s < 20.0);
    assert!(!r.timeline.is_empty());
}

#[test]
fn staged_closed_model_ramps_connections_and_think_time_paces_them() {
    let server = TestServer::start(ServerConfig::default());
    // 1 → 8 connections over 2 s, then 8 for 1 s, each pausing 20 ms
    // between requests to a 10 ms endpoint: ≈ 33 req/s per connection.
    let text = r#"
        start = 1
        think_time = "20ms"
        [[stages]]
        name = "ramp"
        duration = "2s"
        target = 8
        [[stages]]
        name = "hold"
        duration = "1s"
        target = 8
        [[request]]
        name = "sleep"
        path = "/sleep/10"
    "#;
    let scenario: Scenario = toml::from_str(text).unwrap();
    let plan =
        Plan::build(scenario, Some(&server.url("/")), Overrides { threads: Some(2), ..Overrides::default() }).unwrap();
    assert_eq!(plan.model.max_connections(), 8);
    let r = run(plan);
    let per_second = |second: u64| r.timeline.iter().find(|s| s.second == second).map_or(0, |s| s.requests);
    let (first, last) = (per_second(0), per_second(2));
    // Second 0 averages ~2.75 connections, second 2 has 8: expect ~90 vs ~260.
    assert!(last as f64 > 1.8 * first as f64, "first {first}, last {last}");
    // Think time caps each connection well below what the endpoint allows.
    assert!(last < 8 * 50, "last {last}");
    assert_eq!(r.totals.errors, 0);
}

#[test]
fn redirects_are_followed_only_when_asked_and_only_same_origin() {
    let server = TestServer::start(ServerConfig::default());
    let follow = |path: &str, hops: u32| {
        run(quick_plan(
            &server.url(path),
            Overrides { max_requests: Some(20), follow_redirects: Some(hops), ..overrides() },
        ))
    };
    let fast = || server.counts.path("/fast");

    // Default: not followed (also covered by error_classes_are_counted).
    let r = follow("/redirect", 0);
    assert_eq!((r.totals.statuses.get("302"), r.totals.redirects, fast()), (Some(&20), 0, 0));

    // Followed: the chain counts once, under the final status.
    let r = follow("/redirect", 5);
    assert_eq!((r.totals.requests, r.totals.statuses.get("200"), r.totals.redirects), (20, Some(&20), 20));
    assert_eq!(fast(), 20);

    // A relative Location on a connection the server closes: reconnect.
    let r = follow("/redirect-close", 5);
    assert_eq!((r.totals.statuses.get("200"), r.totals.errors), (Some(&20), 0));
    assert_eq!(fast(), 40);

    // A loop stops after the limit; the last 307 is the response.
    let r = follow("/loop", 3);
    assert_eq!((r.totals.statuses.get("307"), r.totals.redirects), (Some(&20), 60));
    assert_eq!(server.counts.path("/loop"), 80);

    // Another origin is not followed.
    let r = follow("/away", 5);
    assert_eq!((r.totals.statuses.get("302"), r.totals.redirects), (Some(&20), 0));
}
