//! The server over real sockets on 127.0.0.1: pages, API, tokens, limits,
//! hostile input, duplicates, cut-off and concurrent pushes, restarts.
//! Engine-dependent tests run on SQLite and, when
//! `RETORT_TEST_POSTGRES_URL` is set, on PostgreSQL.

#[macro_use]
mod common;

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::sync::Arc;
use std::time::Duration;

use common::{check_doc, push, scan_doc, team_doc};
use retort_portal::server::ServerConfig;
use retort_portal::{token, Store};
use serde_json::{json, Value as Json};

/// A server on its own thread and runtime, stopped on drop.
struct TestServer {
    addr: SocketAddr,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl TestServer {
    fn start(store: Arc<dyn Store>, config: ServerConfig) -> TestServer {
        let (ready_tx, ready_rx) = std::sync::mpsc::channel();
        let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
        let thread = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(4).enable_all().build().unwrap();
            runtime.block_on(async move {
                let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
                ready_tx.send(listener.local_addr().unwrap()).unwrap();
                retort_portal::server::serve(listener, store, config, async {
                    let _ = stop_rx.await;
                })
                .await
                .unwrap();
            });
        });
        let addr = ready_rx.recv().unwrap();
        TestServer { addr, stop: Some(stop_tx), thread: Some(thread) }
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

struct Reply {
    status: u16,
    headers: Vec<(String, String)>,
    body: String,
}

impl Reply {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }
    fn json(&self) -> Json {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }
}

/// One HTTP/1.1 exchange over a fresh connection (`Connection: close`).
fn request(addr: SocketAddr, method: &str, path: &str, headers: &[(&str, &str)], body: &[u8]) -> Reply {
    let mut stream = TcpStream::connect(addr).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(60))).unwrap();
    let mut head =
        format!("{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nContent-Length: {}\r\n", body.len());
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes()).unwrap();
    // The server may answer (413) before reading a large body and close.
    let _ = stream.write_all(body);
    let mut raw = Vec::new();
    let _ = stream.read_to_end(&mut raw);
    parse_reply(&raw)
}

fn parse_reply(raw: &[u8]) -> Reply {
    let text = String::from_utf8_lossy(raw);
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or_else(|| panic!("no HTTP reply: {text:?}"));
    let mut lines = head.lines();
    let status = lines.next().unwrap().split(' ').nth(1).unwrap().parse().unwrap();
    let headers: Vec<(String, String)> =
        lines.filter_map(|l| l.split_once(':').map(|(n, v)| (n.trim().to_string(), v.trim().to_string()))).collect();
    let body = if headers.iter().any(|(n, v)| n.eq_ignore_ascii_case("transfer-encoding") && v.contains("chunked")) {
        dechunk(body)
    } else {
        body.to_string()
    };
    Reply { status, headers, body }
}

fn dechunk(mut body: &str) -> String {
    let mut out = String::new();
    while let Some((size, rest)) = body.split_once("\r\n") {
        let size = usize::from_str_radix(size.trim(), 16).unwrap_or(0);
        if size == 0 {
            break;
        }
        out.push_str(&rest[..size]);
        body = &rest[size + 2..];
    }
    out
}

fn get(addr: SocketAddr, path: &str) -> Reply {
    request(addr, "GET", path, &[], b"")
}

fn post_push(addr: SocketAddr, token: &str, body: &Json) -> Reply {
    let auth = format!("Bearer {token}");
    request(
        addr,
        "POST",
        "/api/pushes",
        &[("Authorization", &auth), ("Content-Type", "application/json")],
        body.to_string().as_bytes(),
    )
}

fn with_token(store: &Arc<dyn Store>) -> String {
    let token = token::generate().unwrap();
    store.add_token(&token::hash(&token), "test", 0).unwrap();
    token
}

fn push_json(service: &str, commit: &str, time: i64, results: Vec<(&str, Json)>) -> Json {
    serde_json::to_value(push(service, commit, time, results)).unwrap()
}

on_both_engines!(
    duplicate_policy_over_http,
    a_push_cut_off_halfway_stores_nothing,
    concurrent_pushes_from_many_clients_lose_nothing_and_duplicate_nothing,
    restart_keeps_everything,
);

#[test]
fn every_response_carries_csp_and_nosniff() {
    let t = common::sqlite_store();
    let server = TestServer::start(t.store.clone(), ServerConfig::default());
    for path in ["/", "/org", "/search?q=x", "/api/services", "/nowhere", "/api/nowhere", "/static/portal.css"] {
        let reply = get(server.addr, path);
        let csp = reply.header("content-security-policy").unwrap_or_else(|| panic!("no CSP on {path}"));
        assert!(csp.contains("default-src 'none'") && !csp.contains("unsafe-inline"), "{csp}");
        assert_eq!(reply.header("x-content-type-options"), Some("nosniff"), "{path}");
    }
    assert_eq!(get(server.addr, "/nowhere").status, 404);
    assert_eq!(get(server.addr, "/api/nowhere").json()["error"], "no such endpoint");
}

#[test]
fn writes_need_a_valid_token() {
    let t = common::sqlite_store();
    let token = with_token(&t.store);
    let server = TestServer::start(t.store.clone(), ServerConfig::default());
    let body = push_json("shop", "c1", 1, vec![("scan", scan_doc(&[("/a", "a")]))]);
    let text = body.to_string();
    let no_header = request(server.addr, "POST", "/api/pushes", &[], text.as_bytes());
    assert_eq!(no_header.status, 401);
    assert_eq!(no_header.header("www-authenticate"), Some("Bearer"));
    let bad_tokens = [
        "Bearer wrong".to_string(),
        format!("Bearer {}", &token[..token.len() - 1]),
        format!("Bearer {token}x"),
        format!("Bearer {}", token::hash(&token)),
        format!("Basic {token}"),
        "Bearer".to_string(),
        format!("Bearer {}", "\u{202e}".repeat(3)),
    ];
    for header in &bad_tokens {
        let reply = request(server.addr, "POST", "/api/pushes", &[("Authorization", header)], text.as_bytes());
        assert_eq!(reply.status, 401, "{header}");
    }
    assert_eq!(t.store.counts().unwrap().runs, 0, "nothing stored by refused pushes");
    assert_eq!(post_push(server.addr, &token, &body).status, 201);
    // Reads are open by default.
    assert_eq!(get(server.addr, "/api/services").status, 200);
}

#[test]
fn reads_can_require_a_token_too() {
    let t = common::sqlite_store();
    let token = with_token(&t.store);
    let server = TestServer::start(t.store.clone(), ServerConfig { read_token_required: true, ..Default::default() });
    for path in ["/", "/api/services", "/search?q=a", "/org"] {
        assert_eq!(get(server.addr, path).status, 401, "{path}");
        let auth = format!("Bearer {token}");
        assert_eq!(request(server.addr, "GET", path, &[("Authorization", &auth)], b"").status, 200, "{path}");
    }
    assert_eq!(get(server.addr, "/healthz").status, 200, "health stays open");
}

#[test]
fn oversized_bad_and_invalid_bodies_are_refused() {
    let t = common::sqlite_store();
    let token = with_token(&t.store);
    let server = TestServer::start(t.store.clone(), ServerConfig { body_limit: 8 * 1024, ..Default::default() });
    let routes: Vec<(String, String)> = (0..200).map(|i| (format!("/r{i}"), format!("e{i}"))).collect();
    let refs: Vec<(&str, &str)> = routes.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
    let big = push_json("shop", "c1", 1, vec![("scan", scan_doc(&refs))]);
    assert!(big.to_string().len() > 8 * 1024);
    assert_eq!(post_push(server.addr, &token, &big).status, 413);
    let auth = format!("Bearer {token}");
    let garbage = request(server.addr, "POST", "/api/pushes", &[("Authorization", &auth)], b"{not json");
    assert_eq!(garbage.status, 400);
    let unknown_tool = push_json("shop", "c1", 1, vec![("exec", json!({}))]);
    assert_eq!(post_push(server.addr, &token, &unknown_tool).status, 422);
    let slash = push_json("a/b", "c1", 1, vec![("scan", json!({}))]);
    assert_eq!(post_push(server.addr, &token, &slash).status, 422);
    assert_eq!(t.store.counts().unwrap().runs, 0);
}

fn duplicate_policy_over_http(t: &common::TestStore) {
    let token = with_token(&t.store);
    let server = TestServer::start(t.store.clone(), ServerConfig::default());
    let first = push_json("shop", "c1", 1, vec![("scan", scan_doc(&[("/a", "a")]))]);
    let created = post_push(server.addr, &token, &first);
    assert_eq!(created.status, 201);
    assert_eq!(created.json()["stored"], json!(["scan"]));
    let repeat = post_push(server.addr, &token, &first);
    assert_eq!(repeat.status, 200);
    assert_eq!(repeat.json()["unchanged"], json!(["scan"]));
    let different = push_json("shop", "c1", 2, vec![("scan", scan_doc(&[("/b", "b")]))]);
    let conflict = post_push(server.addr, &token, &different);
    assert_eq!(conflict.status, 409);
    assert_eq!(conflict.json()["conflicts"], json!(["scan"]));
    let counts = t.store.counts().unwrap();
    assert_eq!((counts.runs, counts.results, counts.routes), (1, 1, 1));
}

fn a_push_cut_off_halfway_stores_nothing(t: &common::TestStore) {
    let token = with_token(&t.store);
    let server = TestServer::start(t.store.clone(), ServerConfig::default());
    let body = push_json("shop", "c1", 1, vec![("scan", scan_doc(&[("/a", "a"), ("/b", "b")]))]).to_string();
    let half = &body.as_bytes()[..body.len() / 2];
    let mut stream = TcpStream::connect(server.addr).unwrap();
    let head = format!(
        "POST /api/pushes HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {token}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes()).unwrap();
    stream.write_all(half).unwrap();
    stream.flush().unwrap();
    std::thread::sleep(Duration::from_millis(200));
    drop(stream);
    // The server is still healthy and stored nothing; the whole push then works.
    std::thread::sleep(Duration::from_millis(200));
    let counts = t.store.counts().unwrap();
    assert_eq!((counts.services, counts.runs, counts.results), (0, 0, 0));
    let reply = post_push(server.addr, &token, &serde_json::from_str(&body).unwrap());
    assert_eq!(reply.status, 201);
    assert_eq!(t.store.counts().unwrap().runs, 1);
}

fn concurrent_pushes_from_many_clients_lose_nothing_and_duplicate_nothing(t: &common::TestStore) {
    // 20 clients × 20 pushes; each (service, commit) is pushed by two
    // clients, so 400 pushes carry 200 distinct results.
    let token = with_token(&t.store);
    let server = TestServer::start(t.store.clone(), ServerConfig::default());
    let addr = server.addr;
    let clients: Vec<_> = (0..20)
        .map(|client| {
            let token = token.clone();
            std::thread::spawn(move || {
                let mut statuses = Vec::new();
                for i in 0..20 {
                    let n = (client % 10) * 20 + i;
                    let body = push_json(
                        &format!("svc{}", n % 7),
                        &format!("c{n}"),
                        n as i64,
                        vec![
                            ("scan", scan_doc(&[("/a", "a"), ("/b", "b"), ("/c", "c")])),
                            ("team", team_doc(&[("x", 1)])),
                        ],
                    );
                    statuses.push(post_push(addr, &token, &body).status);
                }
                statuses
            })
        })
        .collect();
    let statuses: Vec<u16> = clients.into_iter().flat_map(|c| c.join().unwrap()).collect();
    assert_eq!(statuses.len(), 400);
    assert_eq!(statuses.iter().filter(|s| **s == 201).count(), 200, "each distinct push created once");
    assert_eq!(statuses.iter().filter(|s| **s == 200).count(), 200, "each repeat reported unchanged");
    let counts = t.store.counts().unwrap();
    assert_eq!((counts.services, counts.runs, counts.results, counts.routes), (7, 200, 400, 600));
}

fn restart_keeps_everything(t: &common::TestStore) {
    let token = with_token(&t.store);
    {
        let server = TestServer::start(t.store.clone(), ServerConfig::default());
        let body =
            push_json("shop", "c1", 1, vec![("check", check_doc(&[("security", "silver")], &[("SEC001", "a.py")]))]);
        assert_eq!(post_push(server.addr, &token, &body).status, 201);
    }
    let reopened = retort_portal::open_store(&t.url).unwrap();
    let server = TestServer::start(reopened, ServerConfig::default());
    let services = get(server.addr, "/api/services").json();
    assert_eq!(services[0]["name"], "shop");
    assert_eq!(services[0]["levels"][0]["level"], "silver");
    let body = push_json("shop", "c2", 2, vec![("scan", scan_doc(&[("/a", "a")]))]);
    assert_eq!(post_push(server.addr, &token, &body).status, 201, "the token survives the restart too");
}

/// Route names, docstrings, file names and identities as hostile as a
/// repository can make them.
fn hostile_push() -> Json {
    let script = "<script>alert('route')</script>";
    let mut doc = scan_doc(&[(script, "evil\"endpoint")]);
    doc["routes"][0]["doc"] = json!("\"><img src=x onerror=alert(1)> docstring \u{202e}txt.exe");
    doc["routes"][0]["file"] = json!("views\u{202e}yp.exe<b>.py");
    let mut check = check_doc(&[("security", "<b>gold</b>")], &[("SEC<1>", "a'\"<svg onload=alert(2)>.py")]);
    check["findings"][0]["message"] = json!("</td></tr></table><script>alert(3)</script>");
    let mut body =
        push_json("evil\"'<svc>\u{2066}", "'; DROP TABLE runs; --", 1, vec![("scan", doc), ("check", check)]);
    body["service"]["owner"] = json!("<iframe src=//x>");
    body
}

#[test]
fn hostile_input_is_shown_as_text() {
    let t = common::sqlite_store();
    let token = with_token(&t.store);
    let server = TestServer::start(t.store.clone(), ServerConfig::default());
    assert_eq!(post_push(server.addr, &token, &hostile_push()).status, 201);
    let name = "evil\"'<svc>\u{2066}";
    let service_path = format!("/services/{}", retort_portal::html::url_component(name));
    let search_path = format!("/search?q={}", retort_portal::html::url_component("<script>"));
    for path in ["/", service_path.as_str(), search_path.as_str(), "/org?category=security&level=gold"] {
        let reply = get(server.addr, path);
        assert_eq!(reply.status, 200, "{path}");
        for forbidden in
            ["<script>alert", "<img src=x", "<svg onload", "<iframe", "<svc>", "<b>gold", "\u{202e}", "\u{2066}"]
        {
            assert!(!reply.body.contains(forbidden), "{path} contains {forbidden:?}");
        }
        assert!(!reply.body.contains("<script"), "{path}: no script element at all");
    }
    let page = get(server.addr, &service_path).body;
    assert!(page.contains("&lt;script&gt;alert(&#39;route&#39;)&lt;/script&gt;"));
    assert!(page.contains("&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"));
    assert!(page.contains("views[U+202E]yp.exe&lt;b&gt;.py"));
    assert!(page.contains("evil&quot;&#39;&lt;svc&gt;[U+2066]"));
    let search = get(server.addr, &search_path).body;
    assert!(search.contains("1 routes for"), "search finds the hostile route");
    // The API returns the data exactly as pushed (JSON-escaped, served as JSON).
    let api = get(server.addr, &format!("/api/services/{}", retort_portal::html::url_component(name)));
    assert_eq!(api.header("content-type"), Some("application/json"));
    assert_eq!(api.json()["routes"][0]["rule"], "<script>alert('route')</script>");
}

#[test]
fn pages_show_levels_trends_charts_and_organisation_views() {
    let t = common::sqlite_store();
    let token = with_token(&t.store);
    let server = TestServer::start(t.store.clone(), ServerConfig::default());
    for (commit, level, time) in [("c1", "gold", 100), ("c2", "bronze", 200)] {
        let body = push_json(
            "shop",
            commit,
            time,
            vec![
                ("check", check_doc(&[("security", level)], &[("SEC003", "a.py")])),
                ("scan", scan_doc(&[("/api/v1/users/<int:id>", "users.get")])),
                ("team", team_doc(&[("billing", 1)])),
                (
                    "load",
                    json!({"duration_s": 5.0, "totals": {"requests": 500, "error_rate": 0.0, "latency_us": {"p50": 900.0, "p99": 4000.0}}}),
                ),
            ],
        );
        assert_eq!(post_push(server.addr, &token, &body).status, 201);
    }
    let index = get(server.addr, "/").body;
    assert!(index.contains("<a href=\"/services/shop\">shop</a>"));
    assert!(index.contains("level bronze") && index.contains("trend down"));
    let page = get(server.addr, "/services/shop").body;
    assert_eq!(page.matches("<svg class=\"chart\"").count(), 3, "scorecards, findings and load charts");
    assert!(page.contains("billing"));
    let search = get(server.addr, "/search?q=%2Fapi%2Fv1%2Fusers%2F42").body;
    assert!(search.contains("users.get"));
    let org = get(server.addr, "/org").body;
    assert!(org.contains("<a href=\"/services/shop\">shop</a>"), "shop is below silver in security");
    assert!(org.contains("SEC003"));
    let org_gold_bronze = get(server.addr, "/org?category=security&level=bronze").body;
    assert!(
        org_gold_bronze.contains("Services below bronze") && org_gold_bronze.contains("<p class=\"empty\">None.</p>")
    );
    assert_eq!(get(server.addr, "/org?level=platinum").status, 400);
    assert_eq!(get(server.addr, "/services/nobody").status, 404);
}

#[test]
fn every_documented_path_exists_and_answers() {
    let t = common::sqlite_store();
    let token = with_token(&t.store);
    let server = TestServer::start(t.store.clone(), ServerConfig::default());
    let mut body = push_json(
        "shop",
        "c1",
        1,
        vec![("scan", scan_doc(&[("/a", "a")])), ("openapi", json!({"openapi": "3.1.0", "paths": {"/a": {}}}))],
    );
    body["service"]["owner"] = json!("team-web");
    assert_eq!(post_push(server.addr, &token, &body).status, 201);
    let document = get(server.addr, "/api/openapi.json").json();
    assert_eq!(document["openapi"], "3.1.0");
    let paths = document["paths"].as_object().unwrap();
    assert!(paths.len() >= 10);
    for (path, operations) in paths {
        let concrete = path.replace("{name}", "shop").replace("{tool}", "scan");
        for method in operations.as_object().unwrap().keys() {
            let reply = match method.as_str() {
                "get" => get(server.addr, &format!("{concrete}{}", if path == "/api/search" { "?q=a" } else { "" })),
                "post" => post_push(server.addr, &token, &push_json("shop", "c2", 2, vec![("scan", scan_doc(&[]))])),
                other => panic!("undocumented method {other}"),
            };
            assert!(reply.status == 200 || reply.status == 201, "{method} {path}: {} {}", reply.status, reply.body);
            let documented = operations[method]["responses"].as_object().unwrap();
            assert!(
                documented.contains_key(&reply.status.to_string()),
                "{method} {path}: {} not documented",
                reply.status
            );
        }
    }
    let yaml = get(server.addr, "/api/services/shop/catalog-info.yaml").body;
    let identity = retort_portal::backstage::read_catalog_info(&yaml).unwrap();
    assert_eq!((identity.name.as_deref(), identity.owner.as_deref()), (Some("shop"), Some("team-web")));
    assert!(yaml.contains("kind: API") && yaml.contains("providesApis"));
}
