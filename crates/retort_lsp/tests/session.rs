//! Sessions with the server in-process, a stand-in for `retort check`
//! (one REL001 finding per `requests.get(` without `timeout=` in `app.py`)
//! and a scripted client. Every wait is bounded.

use std::io::{self, BufReader, Read, Write};
use std::path::Path;
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use lsp_types::Url;
use retort_check::{Category, Finding, Severity};
use retort_lsp::{serve, Ending, Overlay, ServerOptions};
use serde_json::{json, Value};

const WAIT: Duration = Duration::from_secs(20);

/// The client's end of the server's stdin: frames sent here are read by the server.
struct Pipe {
    frames: Receiver<Vec<u8>>,
    pending: io::Cursor<Vec<u8>>,
}

impl Read for Pipe {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        loop {
            let read = self.pending.read(buf)?;
            if read > 0 {
                return Ok(read);
            }
            match self.frames.recv() {
                Ok(bytes) => self.pending = io::Cursor::new(bytes),
                Err(_) => return Ok(0),
            }
        }
    }
}

#[derive(Clone, Default)]
struct Shared(Arc<Mutex<Vec<u8>>>);

impl Write for Shared {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

struct Session {
    input: Option<Sender<Vec<u8>>>,
    output: Shared,
    seen: usize,
    /// Every message read so far.
    history: Vec<Value>,
    checks: Arc<Mutex<Vec<Overlay>>>,
    server: Option<JoinHandle<Result<Ending, String>>>,
}

fn frame(value: &Value) -> Vec<u8> {
    let body = value.to_string();
    format!("Content-Length: {}\r\n\r\n{body}", body.len()).into_bytes()
}

/// The JSON bodies of the frames the server wrote (raw, so that an error
/// with a null id, which is no `lsp_server::Message`, is seen too).
fn split_frames(mut output: &[u8]) -> Vec<Value> {
    let mut messages = Vec::new();
    while let Some(header_end) = output.windows(4).position(|w| w == b"\r\n\r\n") {
        let header = std::str::from_utf8(&output[..header_end]).unwrap();
        let length: usize = header.strip_prefix("Content-Length: ").unwrap().parse().unwrap();
        let Some(body) = output.get(header_end + 4..header_end + 4 + length) else {
            break; // still being written
        };
        messages.push(serde_json::from_slice(body).unwrap());
        output = &output[header_end + 4 + length..];
    }
    messages
}

fn fake_finding(index: usize, line: &str) -> Finding {
    Finding {
        code: "REL001".into(),
        rule: "outbound-call-without-timeout".into(),
        category: Category::Reliability,
        severity: Severity::Warning,
        message: "no timeout".into(),
        file: "app.py".into(),
        line: index as u32 + 1,
        column: line[..line.find("requests").unwrap_or(0)].chars().count() as u32 + 1,
        end_line: index as u32 + 1,
        end_column: line.chars().count() as u32 + 1,
        cwe: None,
        fingerprint: String::new(),
        confidence: None,
        flow: Vec::new(),
    }
}

impl Session {
    fn start(debounce: Duration) -> Session {
        let (sender, frames) = mpsc::channel();
        let output = Shared::default();
        let checks: Arc<Mutex<Vec<Overlay>>> = Arc::default();
        let (server_output, server_checks) = (output.clone(), checks.clone());
        let server = std::thread::spawn(move || {
            let check = move |root: &Path, overlay: Overlay| -> Result<Vec<Finding>, String> {
                server_checks.lock().unwrap().push(overlay.clone());
                let text = match overlay.get(Path::new("app.py")) {
                    Some(text) => text.clone(),
                    None => std::fs::read_to_string(root.join("app.py")).map_err(|e| e.to_string())?,
                };
                if text.contains("BROKEN") {
                    return Err("invalid pyproject.toml".to_string());
                }
                Ok(text
                    .lines()
                    .enumerate()
                    .filter(|(_, line)| line.contains("requests.get(") && !line.contains("timeout="))
                    .map(|(index, line)| fake_finding(index, line))
                    .collect())
            };
            let input = BufReader::new(Pipe { frames, pending: io::Cursor::new(Vec::new()) });
            let options = ServerOptions { debounce, rules_url: Some("https://example.org/rules/{code}.md".into()) };
            serve(input, server_output, options, &check).map_err(|e| e.to_string())
        });
        Session { input: Some(sender), output, seen: 0, history: Vec::new(), checks, server: Some(server) }
    }

    fn send(&self, messages: &[Value]) {
        let bytes: Vec<u8> = messages.iter().flat_map(frame).collect();
        self.send_raw(bytes);
    }

    fn send_raw(&self, bytes: Vec<u8>) {
        self.input.as_ref().unwrap().send(bytes).unwrap();
    }

    /// Messages written since the last call.
    fn new_messages(&mut self) -> Vec<Value> {
        let output = self.output.0.lock().unwrap().clone();
        let mut messages = split_frames(&output);
        let fresh = messages.split_off(self.seen.min(messages.len()));
        self.seen += fresh.len();
        self.history.extend(fresh.iter().cloned());
        fresh
    }

    /// The next message that `matches`, within [`WAIT`].
    fn wait_for(&mut self, what: &str, matches: impl Fn(&Value) -> bool) -> Value {
        let deadline = Instant::now() + WAIT;
        loop {
            if let Some(found) = self.new_messages().into_iter().find(|m| matches(m)) {
                return found;
            }
            assert!(Instant::now() < deadline, "no {what} within {WAIT:?}");
            std::thread::sleep(Duration::from_millis(5));
        }
    }

    fn publish(&mut self, version: i64) -> Value {
        self.wait_for(&format!("publishDiagnostics of version {version}"), |m| {
            m["method"] == "textDocument/publishDiagnostics" && m["params"]["version"] == version
        })
    }

    fn response(&mut self, id: Value) -> Value {
        self.wait_for(&format!("response {id}"), |m| m["id"] == id && m.get("method").is_none())
    }

    fn end(mut self) -> Result<Ending, String> {
        self.input = None;
        let server = self.server.take().unwrap();
        let deadline = Instant::now() + WAIT;
        while !server.is_finished() {
            assert!(Instant::now() < deadline, "the server did not stop");
            std::thread::sleep(Duration::from_millis(5));
        }
        server.join().unwrap()
    }
}

fn request(id: i64, method: &str, params: Value) -> Value {
    json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params})
}

fn notification(method: &str, params: Value) -> Value {
    json!({"jsonrpc": "2.0", "method": method, "params": params})
}

fn project() -> (tempfile::TempDir, Url, Url) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("app.py"), "import requests\n").unwrap();
    let root = std::fs::canonicalize(dir.path()).unwrap();
    (dir, Url::from_file_path(&root).unwrap(), Url::from_file_path(root.join("app.py")).unwrap())
}

fn initialized(session: &mut Session, root: &Url, encodings: &[&str]) -> Value {
    let capabilities = json!({"general": {"positionEncodings": encodings}});
    session.send(&[request(1, "initialize", json!({"rootUri": root, "capabilities": capabilities}))]);
    let response = session.response(json!(1));
    session.send(&[notification("initialized", json!({}))]);
    response
}

fn open(uri: &Url, text: &str) -> Value {
    notification(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri, "languageId": "python", "version": 1, "text": text}}),
    )
}

fn change(uri: &Url, version: i64, text: &str) -> Value {
    notification(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": version}, "contentChanges": [{"text": text}]}),
    )
}

fn codes_and_lines(publish: &Value) -> Vec<(String, u64)> {
    publish["params"]["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| (d["code"].as_str().unwrap().to_string(), d["range"]["start"]["line"].as_u64().unwrap()))
        .collect()
}

#[test]
fn edits_update_the_diagnostics_of_the_buffer_not_the_disk() {
    let (_dir, root, uri) = project();
    let mut session = Session::start(Duration::from_millis(20));
    let response = initialized(&mut session, &root, &[]);
    assert_eq!(response["result"]["capabilities"]["textDocumentSync"]["change"], 1, "{response}");
    assert_eq!(response["result"]["capabilities"]["positionEncoding"], "utf-16");
    assert_eq!(response["result"]["serverInfo"]["name"], "retort");

    session.send(&[open(&uri, "import requests\nr = requests.get(url)\n")]);
    let published = session.publish(1);
    assert_eq!(codes_and_lines(&published), [("REL001".to_string(), 1)]);
    let diagnostic = &published["params"]["diagnostics"][0];
    assert_eq!(diagnostic["range"]["start"]["character"], 4);
    assert_eq!(diagnostic["severity"], 2);
    assert_eq!(diagnostic["source"], "retort");
    assert_eq!(diagnostic["codeDescription"]["href"], "https://example.org/rules/REL001.md");
    // The check read the buffer, not the file on disk.
    assert_eq!(
        session.checks.lock().unwrap()[0].get(Path::new("app.py")).map(String::as_str),
        Some("import requests\nr = requests.get(url)\n")
    );

    session.send(&[change(&uri, 2, "import requests\nr = requests.get(url, timeout=5)\n")]);
    assert_eq!(codes_and_lines(&session.publish(2)), []);

    session.send(&[change(&uri, 3, "import requests\n\n\nx = requests.get(other)\n")]);
    assert_eq!(codes_and_lines(&session.publish(3)), [("REL001".to_string(), 3)]);

    session.send(&[notification("textDocument/didClose", json!({"textDocument": {"uri": uri}}))]);
    let cleared = session.wait_for("cleared diagnostics", |m| {
        m["method"] == "textDocument/publishDiagnostics" && m["params"]["diagnostics"] == json!([])
    });
    assert_eq!(cleared["params"]["uri"], json!(uri));

    session.send(&[request(9, "shutdown", Value::Null), notification("exit", Value::Null)]);
    assert_eq!(session.response(json!(9))["result"], Value::Null);
    assert_eq!(session.end(), Ok(Ending::Exit { after_shutdown: true }));
}

#[test]
fn a_burst_of_edits_runs_one_check_on_the_last_text() {
    let (_dir, root, uri) = project();
    // A long quiet period, so the burst (one write) surely falls inside it.
    let mut session = Session::start(Duration::from_millis(300));
    initialized(&mut session, &root, &["utf-32", "utf-16"]);
    session.send(&[open(&uri, "import requests\n")]);
    assert_eq!(codes_and_lines(&session.publish(1)), []);
    let burst: Vec<Value> =
        (2..=6).map(|version| change(&uri, version, &"requests.get(u)\n".repeat(version as usize - 1))).collect();
    session.send(&burst);
    let published = session.publish(6);
    assert_eq!(codes_and_lines(&published).len(), 5);
    assert_eq!(session.checks.lock().unwrap().len(), 2, "one check for the open, one for the burst");
    let versions: Vec<&Value> = session
        .history
        .iter()
        .filter(|m| m["method"] == "textDocument/publishDiagnostics")
        .map(|m| &m["params"]["version"])
        .collect();
    assert_eq!(versions, [1, 6]);
    assert_eq!(session.end(), Ok(Ending::ClientGone));
}

#[test]
fn utf32_columns_when_the_client_offers_them() {
    let (_dir, root, uri) = project();
    let mut session = Session::start(Duration::from_millis(20));
    let response = initialized(&mut session, &root, &["utf-32", "utf-16"]);
    assert_eq!(response["result"]["capabilities"]["positionEncoding"], "utf-32");
    session.send(&[open(&uri, "s = '𝒳'; requests.get(u)\n")]);
    // `requests` is character 9 (UTF-16 would say 10).
    assert_eq!(session.publish(1)["params"]["diagnostics"][0]["range"]["start"]["character"], 9);
    session.end().unwrap();
}

#[test]
fn a_failing_check_is_shown_once_and_keeps_the_diagnostics() {
    let (_dir, root, uri) = project();
    let mut session = Session::start(Duration::from_millis(20));
    initialized(&mut session, &root, &[]);
    session.send(&[open(&uri, "requests.get(u)\n")]);
    assert_eq!(codes_and_lines(&session.publish(1)).len(), 1);
    session.send(&[change(&uri, 2, "BROKEN\n")]);
    let shown = session.wait_for("showMessage", |m| m["method"] == "window/showMessage");
    assert!(shown["params"]["message"].as_str().unwrap().contains("invalid pyproject.toml"), "{shown}");
    session.send(&[change(&uri, 3, "BROKEN again\n")]);
    session.wait_for("the failure logged", |m| {
        m["method"] == "window/logMessage" && m["params"]["message"].as_str().unwrap().contains("cannot check")
    });
    session.send(&[change(&uri, 4, "fixed\n")]);
    assert_eq!(codes_and_lines(&session.publish(4)), []);
    let shown = session.history.iter().filter(|m| m["method"] == "window/showMessage").count();
    assert_eq!(shown, 1, "{:?}", session.history);
    session.end().unwrap();
}

#[test]
fn bad_input_gets_protocol_errors_and_the_session_goes_on() {
    let (_dir, root, uri) = project();
    let mut session = Session::start(Duration::from_millis(20));
    // Before `initialize`: requests are refused, notifications dropped.
    session.send(&[request(1, "textDocument/hover", json!({})), open(&uri, "requests.get(u)\n")]);
    assert_eq!(session.response(json!(1))["error"]["code"], -32002);
    // A body that is not JSON, and JSON that is not a message.
    session.send_raw(b"Content-Length: 9\r\n\r\n{not json".to_vec());
    let parse_error = session.wait_for("a parse error", |m| m["error"]["code"] == -32700);
    assert_eq!(parse_error["id"], Value::Null);
    session.send(&[json!({"jsonrpc": "2.0", "id": 5})]);
    assert_eq!(session.response(json!(5))["error"]["code"], -32600);
    // Invalid `initialize` parameters, then a good one.
    session.send(&[request(2, "initialize", json!({"capabilities": 7}))]);
    assert_eq!(session.response(json!(2))["error"]["code"], -32602);
    initialized(&mut session, &root, &[]);
    session.send(&[request(3, "initialize", json!({"capabilities": {}}))]);
    assert_eq!(session.response(json!(3))["error"]["code"], -32600);
    session.send(&[request(4, "textDocument/hover", json!({}))]);
    assert_eq!(session.response(json!(4))["error"]["code"], -32601);
    // A notification with bad parameters is logged, not answered.
    session.send(&[notification("textDocument/didOpen", json!({"textDocument": 3}))]);
    session.wait_for("a warning", |m| m["method"] == "window/logMessage" && m["params"]["type"] == 2);
    // Unknown notifications are ignored; the session still works.
    session.send(&[notification("$/unknown", json!({})), open(&uri, "requests.get(u)\n")]);
    assert_eq!(codes_and_lines(&session.publish(1)).len(), 1);
    // After `shutdown`, requests are invalid; `exit` ends the session.
    session.send(&[request(6, "shutdown", Value::Null), request(7, "textDocument/hover", json!({}))]);
    assert_eq!(session.response(json!(7))["error"]["code"], -32600);
    session.send(&[notification("exit", Value::Null)]);
    assert_eq!(session.end(), Ok(Ending::Exit { after_shutdown: true }));
}

#[test]
fn exit_without_shutdown_and_a_broken_frame_end_the_session_as_failures() {
    let (_dir, root, _) = project();
    let mut session = Session::start(Duration::from_millis(20));
    initialized(&mut session, &root, &[]);
    session.send(&[notification("exit", Value::Null)]);
    let ending = session.end().unwrap();
    assert_eq!((ending, ending.exit_code()), (Ending::Exit { after_shutdown: false }, 1));

    let mut session = Session::start(Duration::from_millis(20));
    initialized(&mut session, &root, &[]);
    session.send_raw(b"Content-Type: text/plain\r\n\r\n".to_vec());
    let error = session.end().unwrap_err();
    assert!(error.contains("Content-Length"), "{error}");
}
