//! The wire: `Content-Length` framed JSON-RPC messages on a byte stream.
//!
//! Reading is our own rather than `lsp_server::Message::read`, because a
//! frame whose body is not a JSON-RPC message is an error there that ends
//! lsp-server's stdio connection. JSON-RPC asks for an answer instead
//! (`-32700 Parse error` with a null id, `-32600 Invalid Request`), after
//! which the session goes on: the frame told us where the next one starts.
//! Only a broken frame (no or bad `Content-Length`, a truncated body) ends
//! the session, since nothing says where the next message begins.

use std::io::{self, BufRead, Read, Write};

use lsp_server::{ErrorCode, Message, RequestId};
use serde_json::Value;

/// Longest header line accepted (real ones are under 100 bytes).
const MAX_HEADER_LINE_BYTES: u64 = 8 * 1024;
/// Largest message body accepted: a whole-file `didChange` of an 8 MB
/// file (the loader's limit), JSON-escaped, fits.
const MAX_BODY_BYTES: usize = 64 * 1024 * 1024;

/// One frame read from the client.
#[derive(Debug)]
pub enum Incoming {
    Message(Message),
    /// A well-framed body that is not a JSON-RPC message; the error to answer with.
    Malformed {
        id: Option<RequestId>,
        code: ErrorCode,
        message: String,
    },
}

/// Why the stream cannot be read any further.
#[derive(Debug, thiserror::Error)]
pub enum TransportError {
    #[error("cannot read from the client: {0}")]
    Io(#[from] io::Error),
    #[error("malformed message header: {0}")]
    Header(String),
    #[error("message of {0} bytes is over the {MAX_BODY_BYTES}-byte limit")]
    TooLarge(usize),
}

/// Reads the next frame; `None` at the end of the stream between frames.
pub fn read_incoming(input: &mut impl BufRead) -> Result<Option<Incoming>, TransportError> {
    let Some(length) = read_headers(input)? else { return Ok(None) };
    if length > MAX_BODY_BYTES {
        return Err(TransportError::TooLarge(length));
    }
    let mut body = vec![0; length];
    input.read_exact(&mut body)?;
    Ok(Some(parse_body(&body)))
}

/// The `Content-Length` of the next header block, `None` at a clean end of stream.
fn read_headers(input: &mut impl BufRead) -> Result<Option<usize>, TransportError> {
    let mut length = None;
    let mut first = true;
    loop {
        let mut line = Vec::new();
        input.by_ref().take(MAX_HEADER_LINE_BYTES).read_until(b'\n', &mut line)?;
        if line.is_empty() {
            if first {
                return Ok(None);
            }
            return Err(TransportError::Io(io::ErrorKind::UnexpectedEof.into()));
        }
        first = false;
        if !line.ends_with(b"\n") {
            return Err(TransportError::Header("header line too long or not terminated".to_string()));
        }
        let text = String::from_utf8_lossy(&line);
        let text = text.trim_end_matches(['\r', '\n']);
        if text.is_empty() {
            return length.map(Some).ok_or_else(|| TransportError::Header("no Content-Length".to_string()));
        }
        let Some((name, value)) = text.split_once(':') else {
            return Err(TransportError::Header(format!("`{text}` is not `Name: value`")));
        };
        if name.trim().eq_ignore_ascii_case("content-length") {
            let parsed = value.trim().parse::<usize>();
            length =
                Some(parsed.map_err(|_| TransportError::Header(format!("bad Content-Length `{}`", value.trim())))?);
        }
    }
}

fn parse_body(body: &[u8]) -> Incoming {
    let value: Value = match serde_json::from_slice(body) {
        Ok(value) => value,
        Err(err) => {
            return Incoming::Malformed {
                id: None,
                code: ErrorCode::ParseError,
                message: format!("invalid JSON: {err}"),
            }
        }
    };
    let id = value.get("id").and_then(|id| serde_json::from_value::<RequestId>(id.clone()).ok());
    match serde_json::from_value::<Message>(value) {
        Ok(message) => Incoming::Message(message),
        Err(_) => Incoming::Malformed {
            id,
            code: ErrorCode::InvalidRequest,
            message: "not a JSON-RPC request, response or notification".to_string(),
        },
    }
}

/// Writes one message, framed.
pub fn write_message(output: &mut impl Write, message: Message) -> io::Result<()> {
    message.write(output)
}

/// Answers a malformed frame. Built by hand because `lsp_server::Response`
/// cannot carry the null id JSON-RPC asks for when the id is unknown.
pub fn write_error(output: &mut impl Write, id: Option<RequestId>, code: ErrorCode, message: &str) -> io::Result<()> {
    let body = serde_json::json!({
        "jsonrpc": "2.0",
        "id": id,
        "error": { "code": code as i32, "message": message },
    })
    .to_string();
    write!(output, "Content-Length: {}\r\n\r\n{body}", body.len())?;
    output.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frame(body: &str) -> String {
        format!("Content-Length: {}\r\n\r\n{body}", body.len())
    }

    fn read_all(input: &str) -> Vec<Result<Option<Incoming>, TransportError>> {
        let mut reader = io::Cursor::new(input.as_bytes().to_vec());
        let mut out = Vec::new();
        loop {
            let next = read_incoming(&mut reader);
            let stop = !matches!(next, Ok(Some(_)));
            out.push(next);
            if stop {
                return out;
            }
        }
    }

    #[test]
    fn reads_frames_and_answers_bad_bodies_without_losing_the_stream() {
        let input = [
            frame(r#"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{}}"#),
            frame("{not json"),
            frame(r#"{"jsonrpc":"2.0","id":"x7"}"#),
            // Headers in another case, with a Content-Type, `\n` line ends.
            "content-length: 40\nContent-Type: application/vscode-jsonrpc; charset=utf-8\n\n".to_string()
                + r#"{"jsonrpc":"2.0","method":"initialized"}"#,
        ]
        .concat();
        let read = read_all(&input);
        assert_eq!(read.len(), 5, "{read:?}");
        assert!(matches!(&read[0], Ok(Some(Incoming::Message(Message::Request(r)))) if r.method == "initialize"));
        assert!(matches!(&read[1], Ok(Some(Incoming::Malformed { id: None, code: ErrorCode::ParseError, .. }))));
        match &read[2] {
            Ok(Some(Incoming::Malformed { id: Some(id), code: ErrorCode::InvalidRequest, .. })) => {
                assert_eq!(id, &RequestId::from("x7".to_string()))
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(&read[3], Ok(Some(Incoming::Message(Message::Notification(n)))) if n.method == "initialized"));
        assert!(matches!(read[4], Ok(None)));
    }

    #[test]
    fn broken_frames_end_the_stream_with_an_error() {
        for input in [
            "Content-Type: x\r\n\r\n{}".to_string(),
            "Content-Length: ten\r\n\r\n{}".to_string(),
            "Content-Length: 100\r\n\r\n{}".to_string(),
            "Content-Length 2\r\n\r\n{}".to_string(),
            format!("Content-Length: {}\r\n\r\n", MAX_BODY_BYTES + 1),
            "x".repeat(20_000),
            "Content-Length: 2\r\n".to_string(),
        ] {
            let read = read_all(&input);
            assert!(matches!(read.last(), Some(Err(_))), "{input:.40}: {read:?}");
        }
    }

    #[test]
    fn error_answers_carry_a_null_id_when_unknown() {
        let mut out = Vec::new();
        write_error(&mut out, None, ErrorCode::ParseError, "invalid JSON").unwrap();
        let text = String::from_utf8(out).unwrap();
        let (_, body) = text.split_once("\r\n\r\n").unwrap();
        let value: Value = serde_json::from_str(body).unwrap();
        assert_eq!(value["id"], Value::Null);
        assert_eq!(value["error"]["code"], -32700);
        assert!(text.starts_with(&format!("Content-Length: {}\r\n", body.len())));
    }
}
