//! `retort lsp` driven by a scripted LSP client: the built binary on a
//! temporary Flask project, `Content-Length` framed JSON-RPC on its stdin
//! and stdout. Every read has a deadline and the process is killed when a
//! test ends early, so a hung server fails the test instead of CI.

use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, Command, ExitStatus, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

/// Generous: a debug build on a loaded machine; the check itself takes milliseconds.
const WAIT: Duration = Duration::from_secs(60);

const APP: &str = r#"import requests
from flask import Flask

app = Flask(__name__)


@app.get("/proxy")
def proxy():
    return requests.get("https://example.org").text
"#;

struct Client {
    child: Child,
    stdin: Option<ChildStdin>,
    messages: Receiver<Value>,
}

impl Drop for Client {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Reads the frames of `stdout` into a channel until it closes.
fn read_frames(stdout: impl Read + Send + 'static) -> Receiver<Value> {
    let (sender, receiver) = mpsc::channel();
    std::thread::spawn(move || {
        let mut reader = BufReader::new(stdout);
        loop {
            let mut length = None;
            loop {
                let mut line = String::new();
                if reader.read_line(&mut line).unwrap_or(0) == 0 {
                    return;
                }
                let line = line.trim_end();
                if line.is_empty() {
                    break;
                }
                if let Some(value) = line.strip_prefix("Content-Length: ") {
                    length = value.parse::<usize>().ok();
                }
            }
            let mut body = vec![0; length.expect("a Content-Length header")];
            if reader.read_exact(&mut body).is_err() {
                return;
            }
            let message: Value = serde_json::from_slice(&body).expect("a JSON body");
            if sender.send(message).is_err() {
                return;
            }
        }
    });
    receiver
}

impl Client {
    fn start(stderr: Stdio) -> Client {
        let mut child = Command::new(env!("CARGO_BIN_EXE_retort"))
            .args(["lsp", "--debounce-ms", "50", "--rules-url", "https://example.org/rules/{code}.md"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(stderr)
            .spawn()
            .expect("retort lsp starts");
        let stdin = child.stdin.take();
        let messages = read_frames(child.stdout.take().unwrap());
        Client { child, stdin, messages }
    }

    fn send_raw(&mut self, bytes: &[u8]) {
        let stdin = self.stdin.as_mut().unwrap();
        stdin.write_all(bytes).unwrap();
        stdin.flush().unwrap();
    }

    fn send(&mut self, message: Value) {
        let body = message.to_string();
        self.send_raw(format!("Content-Length: {}\r\n\r\n{body}", body.len()).as_bytes());
    }

    fn request(&mut self, id: i64, method: &str, params: Value) {
        self.send(json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    /// The next message that `matches` (others are skipped), within [`WAIT`].
    fn wait_for(&self, what: &str, matches: impl Fn(&Value) -> bool) -> Value {
        let deadline = Instant::now() + WAIT;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.messages.recv_timeout(left) {
                Ok(message) if matches(&message) => return message,
                Ok(_) => {}
                Err(_) => panic!("no {what} within {WAIT:?}"),
            }
        }
    }

    fn response(&self, id: Value) -> Value {
        self.wait_for(&format!("response {id}"), |m| m["id"] == id && m.get("method").is_none())
    }

    fn publish(&self, version: i64) -> Vec<Value> {
        let message = self.wait_for(&format!("diagnostics of version {version}"), |m| {
            m["method"] == "textDocument/publishDiagnostics" && m["params"]["version"] == version
        });
        message["params"]["diagnostics"].as_array().unwrap().clone()
    }

    fn initialize(&mut self, root: &Path) -> Value {
        let root = url(root);
        self.request(1, "initialize", json!({"processId": null, "rootUri": root, "capabilities": {}}));
        let response = self.response(json!(1));
        self.notify("initialized", json!({}));
        response
    }

    /// Closes stdin and waits for the process to end, within [`WAIT`].
    fn exit_status(&mut self) -> ExitStatus {
        self.stdin = None;
        let deadline = Instant::now() + WAIT;
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status;
            }
            assert!(Instant::now() < deadline, "retort lsp did not exit");
            std::thread::sleep(Duration::from_millis(10));
        }
    }
}

fn url(path: &Path) -> String {
    let path = std::fs::canonicalize(path).unwrap();
    format!("file://{}", path.display())
}

fn project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("app.py"), APP).unwrap();
    dir
}

/// (code, 0-based line) of each diagnostic of `code`.
fn of_rule(diagnostics: &[Value], code: &str) -> Vec<(u64, u64)> {
    diagnostics
        .iter()
        .filter(|d| d["code"] == code)
        .map(|d| (d["range"]["start"]["line"].as_u64().unwrap(), d["range"]["start"]["character"].as_u64().unwrap()))
        .collect()
}

#[test]
fn diagnostics_follow_the_edits_of_an_open_file() {
    let dir = project();
    let file = dir.path().join("app.py");
    let uri = url(&file);
    let mut client = Client::start(Stdio::inherit());
    let response = client.initialize(dir.path());
    assert_eq!(response["result"]["capabilities"]["textDocumentSync"]["openClose"], true, "{response}");

    client.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri, "languageId": "python", "version": 1, "text": APP}}),
    );
    let diagnostics = client.publish(1);
    // `requests.get(` on line 9, column 12 (1-based).
    assert_eq!(of_rule(&diagnostics, "REL001"), [(8, 11)], "{diagnostics:#?}");
    let rel001 = diagnostics.iter().find(|d| d["code"] == "REL001").unwrap();
    assert_eq!(rel001["severity"], 2);
    assert_eq!(rel001["source"], "retort");
    assert_eq!(rel001["codeDescription"]["href"], "https://example.org/rules/REL001.md");
    assert!(rel001["message"].as_str().unwrap().contains("timeout="), "{rel001}");

    // The fix, unsaved: the finding goes.
    let fixed = APP.replace(".get(\"https://example.org\")", ".get(\"https://example.org\", timeout=5)");
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 2}, "contentChanges": [{"text": fixed}]}),
    );
    let diagnostics = client.publish(2);
    assert_eq!(of_rule(&diagnostics, "REL001"), []);

    // A new finding, unsaved: it appears, an error (a debugger on every
    // interface; on loopback only, in this app without logins, it is info).
    let debug = format!("{fixed}\n\nif __name__ == \"__main__\":\n    app.run(host=\"0.0.0.0\", debug=True)\n");
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 3}, "contentChanges": [{"text": debug}]}),
    );
    let diagnostics = client.publish(3);
    assert_eq!(of_rule(&diagnostics, "SEC001").len(), 1, "{diagnostics:#?}");
    let sec001 = diagnostics.iter().find(|d| d["code"] == "SEC001").unwrap();
    assert_eq!(sec001["range"]["start"]["line"], 12);
    assert_eq!(sec001["severity"], 1);
    assert_eq!(std::fs::read_to_string(&file).unwrap(), APP, "the file on disk is untouched");

    // Closing clears the file's diagnostics.
    client.notify("textDocument/didClose", json!({"textDocument": {"uri": uri}}));
    let cleared = client.wait_for("cleared diagnostics", |m| m["method"] == "textDocument/publishDiagnostics");
    assert_eq!(cleared["params"]["diagnostics"], json!([]));

    client.request(2, "shutdown", Value::Null);
    assert_eq!(client.response(json!(2))["result"], Value::Null);
    client.notify("exit", Value::Null);
    assert_eq!(client.exit_status().code(), Some(0));
}

#[test]
fn malformed_messages_get_errors_and_the_server_keeps_serving() {
    let dir = project();
    let mut client = Client::start(Stdio::inherit());
    client.send_raw(b"Content-Length: 6\r\n\r\n{oops!");
    let error = client.wait_for("a parse error", |m| m.get("error").is_some());
    assert_eq!((error["id"].clone(), error["error"]["code"].clone()), (Value::Null, json!(-32700)));
    client.request(5, "textDocument/hover", json!({}));
    assert_eq!(client.response(json!(5))["error"]["code"], -32002, "before initialize");
    client.send(json!({"jsonrpc": "2.0", "id": 6, "params": 1}));
    assert_eq!(client.response(json!(6))["error"]["code"], -32600);

    client.initialize(dir.path());
    client.request(7, "retort/unknown", json!({}));
    assert_eq!(client.response(json!(7))["error"]["code"], -32601);
    client.notify("textDocument/didOpen", json!({"textDocument": "not an object"}));
    client.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": url(&dir.path().join("app.py")), "languageId": "python", "version": 1, "text": APP}}),
    );
    assert_eq!(of_rule(&client.publish(1), "REL001").len(), 1, "still serving");

    // `exit` without `shutdown`: exit code 1, as the protocol says.
    client.notify("exit", Value::Null);
    assert_eq!(client.exit_status().code(), Some(1));
}

#[test]
fn a_broken_frame_ends_the_server_with_a_message() {
    let mut client = Client::start(Stdio::piped());
    let mut stderr = client.child.stderr.take().unwrap();
    client.send_raw(b"Content-Length: lots\r\n\r\n{}");
    assert_eq!(client.exit_status().code(), Some(2));
    let mut text = String::new();
    stderr.read_to_string(&mut text).unwrap();
    assert!(text.contains("Content-Length"), "{text}");
}

#[test]
fn a_rules_url_that_is_not_a_url_is_a_usage_error() {
    let output = Command::new(env!("CARGO_BIN_EXE_retort"))
        .args(["lsp", "--rules-url", "docs/rules/{code}.md"])
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("--rules-url"));
}
