//! A small HTTP/1.1 test server on 127.0.0.1 with endpoints whose
//! behaviour is known exactly: fast, sleep a known time, fail with a known
//! ratio, stall, reset, and a few protocol cases.
#![allow(dead_code)]

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use retort_load::scenario::{Overrides, Plan, Scenario};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::time::Instant;

/// How the server behaves globally.
#[derive(Clone, Copy, Default)]
pub struct ServerConfig {
    /// Stall every response for `length` once `after` has passed since the
    /// first request: requests arriving in the window are held until it ends.
    pub stall: Option<(Duration, Duration)>,
}

/// Counts seen by the server.
#[derive(Default)]
pub struct Counts {
    pub requests: AtomicU64,
    pub paths: Mutex<HashMap<String, u64>>,
    fail_counter: AtomicU64,
    first_request: Mutex<Option<Instant>>,
}

impl Counts {
    pub fn path(&self, path: &str) -> u64 {
        self.paths.lock().unwrap().get(path).copied().unwrap_or(0)
    }
}

/// A running server; stops when dropped (its runtime is dropped).
pub struct TestServer {
    pub addr: SocketAddr,
    pub counts: Arc<Counts>,
    _runtime: tokio::runtime::Runtime,
}

impl TestServer {
    pub fn start(config: ServerConfig) -> TestServer {
        let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
        let counts = Arc::new(Counts::default());
        let listener = runtime.block_on(TcpListener::bind("127.0.0.1:0")).unwrap();
        let addr = listener.local_addr().unwrap();
        let accept_counts = counts.clone();
        runtime.spawn(async move {
            loop {
                let Ok((stream, _)) = listener.accept().await else {
                    continue;
                };
                let _ = stream.set_nodelay(true);
                tokio::spawn(serve(stream, accept_counts.clone(), config));
            }
        });
        TestServer { addr, counts, _runtime: runtime }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.addr, path)
    }
}

async fn serve(mut stream: TcpStream, counts: Arc<Counts>, config: ServerConfig) {
    let mut buffer = vec![0u8; 8192];
    let mut filled = 0;
    loop {
        // Read one request head (and body, by Content-Length).
        let (head_len, path, body_len, cookie) = loop {
            let mut headers = [httparse::EMPTY_HEADER; 32];
            let mut request = httparse::Request::new(&mut headers);
            if let Ok(httparse::Status::Complete(n)) = request.parse(&buffer[..filled]) {
                let path = request.path.unwrap_or("/").to_string();
                let body_len = request
                    .headers
                    .iter()
                    .find(|h| h.name.eq_ignore_ascii_case("content-length"))
                    .and_then(|h| std::str::from_utf8(h.value).ok()?.trim().parse::<usize>().ok())
                    .unwrap_or(0);
                let cookie = request
                    .headers
                    .iter()
                    .find(|h| h.name.eq_ignore_ascii_case("cookie"))
                    .map(|h| String::from_utf8_lossy(h.value).into_owned())
                    .unwrap_or_default();
                break (n, path, body_len, cookie);
            }
            if filled == buffer.len() {
                return;
            }
            match stream.read(&mut buffer[filled..]).await {
                Ok(0) | Err(_) => return,
                Ok(n) => filled += n,
            }
        };
        while filled < head_len + body_len {
            match stream.read(&mut buffer[filled..]).await {
                Ok(0) | Err(_) => return,
                Ok(n) => filled += n,
            }
        }
        let body = String::from_utf8_lossy(&buffer[head_len..head_len + body_len]).into_owned();
        buffer.copy_within(head_len + body_len..filled, 0);
        filled -= head_len + body_len;

        counts.requests.fetch_add(1, Ordering::SeqCst);
        *counts.paths.lock().unwrap().entry(path.clone()).or_default() += 1;

        if let Some((after, length)) = config.stall {
            let first = *counts.first_request.lock().unwrap().get_or_insert_with(Instant::now);
            let (begin, end) = (first + after, first + after + length);
            let now = Instant::now();
            if now >= begin && now < end {
                tokio::time::sleep_until(end).await;
            }
        }

        let segments: Vec<&str> = path.split('?').next().unwrap_or("").trim_start_matches('/').split('/').collect();
        let query = path.split_once('?').map(|(_, q)| q).unwrap_or("");
        let reply: Vec<u8> = match segments.as_slice() {
            ["fast"] | ["stall"] | [""] => ok("ok"),
            ["sleep", ms] => {
                tokio::time::sleep(Duration::from_millis(ms.parse().unwrap_or(0))).await;
                ok("slept")
            }
            ["fail", every] => {
                let every: u64 = every.parse().unwrap_or(1).max(1);
                let n = counts.fail_counter.fetch_add(1, Ordering::SeqCst) + 1;
                if n.is_multiple_of(every) {
                    status(500, "fail")
                } else {
                    ok("ok")
                }
            }
            ["status", code] => status(code.parse().unwrap_or(500), ""),
            ["items", _] | ["items"] | ["users", _, "orders"] => ok("{\"ok\":true}"),
            ["redirect"] => b"HTTP/1.1 302 Found\r\nLocation: /fast\r\nContent-Length: 0\r\n\r\n".to_vec(),
            ["redirect-close"] => {
                b"HTTP/1.1 301 Moved\r\nLocation: fast\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".to_vec()
            }
            ["loop"] => b"HTTP/1.1 307 Again\r\nLocation: /loop\r\nContent-Length: 0\r\n\r\n".to_vec(),
            ["away"] => {
                b"HTTP/1.1 302 Found\r\nLocation: http://example.invalid/\r\nContent-Length: 0\r\n\r\n".to_vec()
            }
            ["chunked"] => {
                b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n".to_vec()
            }
            ["close"] => b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok".to_vec(),
            ["garbage"] => b"NOT HTTP AT ALL\r\n\r\n".to_vec(),
            // A session: a form with a CSRF token, a login that checks it and
            // the password and sets a session cookie (and a Secure cookie,
            // which must not be kept over http), a page that needs the cookie.
            ["session", "form"] => ok("<form><input type=\"hidden\" name=\"csrf_token\" value=\"tok&amp;1\"></form>"),
            ["session", "login"] => {
                if body.contains("csrf_token=tok%261") && body.contains("password=secret") {
                    let n = counts.fail_counter.fetch_add(1, Ordering::SeqCst);
                    format!(
                        "HTTP/1.1 302 Found\r\nLocation: /session/me\r\nSet-Cookie: sid=user{n}; Path=/; HttpOnly\r\n\
                         Set-Cookie: tracker=1; Secure; Path=/\r\nContent-Length: 0\r\n\r\n"
                    )
                    .into_bytes()
                } else {
                    ok("bad password or CSRF token")
                }
            }
            ["session", "me"] => match cookie.split("; ").find_map(|c| c.strip_prefix("sid=")) {
                Some(sid) if !cookie.contains("tracker") => {
                    ok(&format!("{{\"user\":{{\"id\":\"{sid}\"}},\"token\":\"t-{sid}\"}}"))
                }
                _ => status(401, "{\"error\":\"login required\"}"),
            },
            ["session", "token"] => {
                let sid = cookie.split("; ").find_map(|c| c.strip_prefix("sid=")).unwrap_or("");
                let auth = query.split('&').find_map(|p| p.strip_prefix("token=")).unwrap_or("");
                if !sid.is_empty() && auth == format!("t-{sid}") {
                    ok("token ok")
                } else {
                    status(403, "wrong token")
                }
            }
            ["reset"] => {
                let _ = stream.set_zero_linger();
                return;
            }
            _ => status(404, "not found"),
        };
        if stream.write_all(&reply).await.is_err() {
            return;
        }
        if matches!(segments.as_slice(), ["close"] | ["garbage"] | ["redirect-close"]) {
            return;
        }
    }
}

fn ok(body: &str) -> Vec<u8> {
    status(200, body)
}

fn status(code: u16, body: &str) -> Vec<u8> {
    format!("HTTP/1.1 {code} X\r\nContent-Length: {}\r\n\r\n{body}", body.len()).into_bytes()
}

/// Builds a quick-mode plan for `url` with `overrides`.
pub fn quick_plan(url: &str, overrides: Overrides) -> Plan {
    let target = retort_load::target::Target::parse(url).unwrap();
    Plan::build(Scenario::single("GET", &target.path_and_query, None), Some(url), overrides).unwrap()
}

/// Runs a plan to completion.
pub fn run(plan: Plan) -> retort_load::result::RunResult {
    retort_load::engine::run(Arc::new(plan), retort_load::CancellationToken::new(), &mut |_| {}).unwrap()
}

/// A closed port on 127.0.0.1 (bound, then released).
pub fn closed_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap().port()
}
