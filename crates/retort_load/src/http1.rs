//! A lean HTTP/1.1 client connection for the hot path: the request is
//! written pre-rendered, the response head is parsed with `httparse`, and
//! the body (Content-Length, chunked, or until close) is counted and
//! dropped without being stored.
//!
//! hyper's client would allocate a request and response per round trip;
//! on loopback that costs a measurable share of a generator's CPU, and a
//! load generator must not be the bottleneck (see `docs/load.md`).

use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};

use crate::metrics::FailureClass;

const INITIAL_BUFFER: usize = 16 * 1024;
const MAX_HEAD: usize = 1024 * 1024;

/// What a round trip yields.
#[derive(Debug, Clone)]
pub struct Response {
    /// Status code.
    pub status: u16,
    /// Bytes read (head and body).
    pub bytes: u64,
    /// Whether the connection may be reused.
    pub keep_alive: bool,
    /// The `Location` header of a 3xx response.
    pub location: Option<String>,
    /// Headers (only with [`Capture::headers`]; names as received).
    pub headers: Vec<(String, String)>,
    /// The body, de-chunked, at most [`MAX_CAPTURED_BODY`] bytes (only with [`Capture::body`]).
    pub body: Vec<u8>,
}

/// Largest body kept for checks and extractions; the rest is counted and dropped.
pub const MAX_CAPTURED_BODY: usize = 4 * 1024 * 1024;

/// What of a response to keep besides its status: nothing on the hot path,
/// headers for a cookie jar, headers and body for checks and extractions.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Capture {
    /// Keep the headers.
    pub headers: bool,
    /// Keep the body.
    pub body: bool,
}

impl Capture {
    /// Keep nothing (the hot path).
    pub const NOTHING: Capture = Capture { headers: false, body: false };
}

/// Appends `bytes` to a captured `body` when `capture` keeps bodies, up to the limit.
pub fn keep_body(body: &mut Vec<u8>, capture: Capture, bytes: &[u8]) {
    if capture.body && body.len() < MAX_CAPTURED_BODY {
        let room = MAX_CAPTURED_BODY - body.len();
        body.extend_from_slice(&bytes[..bytes.len().min(room)]);
    }
}

/// An HTTP/1.1 connection over any byte stream (TCP or TLS).
pub struct Http1Connection<S> {
    stream: S,
    buffer: Vec<u8>,
}

enum BodyFraming {
    None,
    Length(u64),
    Chunked,
    UntilClose,
}

impl<S: AsyncRead + AsyncWrite + Unpin> Http1Connection<S> {
    /// Wraps a connected stream.
    pub fn new(stream: S) -> Self {
        Http1Connection { stream, buffer: vec![0; INITIAL_BUFFER] }
    }

    /// Sends `request` and reads the whole response, keeping what `capture` asks for.
    pub async fn round_trip(&mut self, request: &[u8], head: bool, capture: Capture) -> Result<Response, FailureClass> {
        self.stream.write_all(request).await.map_err(io_class)?;
        let mut filled = 0usize;
        let mut total = 0u64;
        loop {
            // Read until the head is complete; 1xx heads are skipped.
            let parsed = loop {
                if let Some(parsed) = parse_head(&self.buffer[..filled], head, capture.headers)? {
                    break parsed;
                }
                if filled == self.buffer.len() {
                    if self.buffer.len() >= MAX_HEAD {
                        return Err(FailureClass::Protocol);
                    }
                    self.buffer.resize(self.buffer.len() * 2, 0);
                }
                let n = self.stream.read(&mut self.buffer[filled..]).await.map_err(io_class)?;
                if n == 0 {
                    return Err(FailureClass::Reset);
                }
                filled += n;
                total += n as u64;
            };
            let head_len = parsed.length;
            if (100..200).contains(&parsed.status) && parsed.status != 101 {
                self.buffer.copy_within(head_len..filled, 0);
                filled -= head_len;
                continue;
            }
            let leftover = filled - head_len;
            let mut body = Vec::new();
            let keep_alive = match parsed.framing {
                BodyFraming::None => parsed.keep_alive,
                BodyFraming::Length(length) => {
                    let first = (leftover as u64).min(length) as usize;
                    keep_body(&mut body, capture, &self.buffer[head_len..head_len + first]);
                    let mut remaining = length.saturating_sub(leftover as u64);
                    while remaining > 0 {
                        let n = self.read_some().await?;
                        total += n as u64;
                        keep_body(&mut body, capture, &self.buffer[..(n as u64).min(remaining) as usize]);
                        remaining = remaining.saturating_sub(n as u64);
                    }
                    parsed.keep_alive
                }
                BodyFraming::Chunked => {
                    let mut decoder = ChunkedDecoder::default();
                    self.buffer.copy_within(head_len..filled, 0);
                    let mut sink = capture.body.then_some(&mut body);
                    let mut done = decoder.feed_into(&self.buffer[..leftover], sink.as_deref_mut())?;
                    while !done {
                        let n = self.read_some().await?;
                        total += n as u64;
                        done = decoder.feed_into(&self.buffer[..n], sink.as_deref_mut())?;
                    }
                    parsed.keep_alive
                }
                BodyFraming::UntilClose => {
                    keep_body(&mut body, capture, &self.buffer[head_len..filled]);
                    loop {
                        let n = self.stream.read(&mut self.buffer).await.map_err(io_class)?;
                        if n == 0 {
                            break;
                        }
                        total += n as u64;
                        keep_body(&mut body, capture, &self.buffer[..n]);
                    }
                    false
                }
            };
            body.truncate(MAX_CAPTURED_BODY);
            return Ok(Response {
                status: parsed.status,
                bytes: total,
                keep_alive,
                location: parsed.location,
                headers: parsed.headers,
                body,
            });
        }
    }

    async fn read_some(&mut self) -> Result<usize, FailureClass> {
        let n = self.stream.read(&mut self.buffer).await.map_err(io_class)?;
        if n == 0 {
            Err(FailureClass::Reset)
        } else {
            Ok(n)
        }
    }
}

struct Head {
    length: usize,
    status: u16,
    framing: BodyFraming,
    keep_alive: bool,
    location: Option<String>,
    headers: Vec<(String, String)>,
}

fn parse_head(bytes: &[u8], head_request: bool, keep_headers: bool) -> Result<Option<Head>, FailureClass> {
    let mut headers = [httparse::EMPTY_HEADER; 64];
    let mut response = httparse::Response::new(&mut headers);
    let length = match response.parse(bytes) {
        Ok(httparse::Status::Complete(length)) => length,
        Ok(httparse::Status::Partial) => return Ok(None),
        Err(_) => return Err(FailureClass::Protocol),
    };
    let status = response.code.ok_or(FailureClass::Protocol)?;
    let mut keep_alive = response.version == Some(1);
    let mut content_length = None;
    let mut chunked = false;
    let mut location = None;
    let mut kept = Vec::new();
    for header in response.headers.iter() {
        let name = header.name;
        if keep_headers {
            kept.push((name.to_string(), String::from_utf8_lossy(header.value).trim().to_string()));
        }
        if name.eq_ignore_ascii_case("content-length") {
            let text = std::str::from_utf8(header.value).map_err(|_| FailureClass::Protocol)?;
            content_length = Some(text.trim().parse::<u64>().map_err(|_| FailureClass::Protocol)?);
        } else if name.eq_ignore_ascii_case("transfer-encoding") {
            chunked = header
                .value
                .rsplit(|&b| b == b',')
                .next()
                .is_some_and(|last| last.trim_ascii().eq_ignore_ascii_case(b"chunked"));
        } else if name.eq_ignore_ascii_case("location") && (300..400).contains(&status) {
            location = std::str::from_utf8(header.value).ok().map(|v| v.trim().to_string());
        } else if name.eq_ignore_ascii_case("connection") {
            for token in header.value.split(|&b| b == b',') {
                let token = token.trim_ascii();
                if token.eq_ignore_ascii_case(b"close") {
                    keep_alive = false;
                } else if token.eq_ignore_ascii_case(b"keep-alive") {
                    keep_alive = true;
                }
            }
        }
    }
    let framing = if head_request || (100..200).contains(&status) || status == 204 || status == 304 {
        BodyFraming::None
    } else if chunked {
        BodyFraming::Chunked
    } else if let Some(length) = content_length {
        BodyFraming::Length(length)
    } else {
        BodyFraming::UntilClose
    };
    Ok(Some(Head { length, status, framing, keep_alive, location, headers: kept }))
}

/// Classifies an I/O error of an established connection.
pub fn io_class(error: std::io::Error) -> FailureClass {
    use std::io::ErrorKind::*;
    match error.kind() {
        TimedOut => FailureClass::Timeout,
        InvalidData => FailureClass::Protocol,
        _ => FailureClass::Reset,
    }
}

/// Incremental decoder of a chunked body that only tracks framing.
#[derive(Default, Debug)]
pub struct ChunkedDecoder {
    state: ChunkState,
    size: u64,
    line_length: usize,
}

#[derive(Default, Debug, PartialEq, Eq)]
enum ChunkState {
    #[default]
    Size,
    SizeExtension,
    SizeLf,
    Data,
    DataCr,
    DataLf,
    TrailerStart,
    TrailerLine,
    TrailerLf,
    FinalLf,
    Done,
}

impl ChunkedDecoder {
    /// Feeds body bytes; returns true once the last chunk and trailers ended.
    pub fn feed(&mut self, bytes: &[u8]) -> Result<bool, FailureClass> {
        self.feed_into(bytes, None)
    }

    /// Like [`ChunkedDecoder::feed`], appending the chunks' data to `sink`
    /// (up to [`MAX_CAPTURED_BODY`] bytes).
    pub fn feed_into(&mut self, mut bytes: &[u8], mut sink: Option<&mut Vec<u8>>) -> Result<bool, FailureClass> {
        use ChunkState::*;
        while !bytes.is_empty() {
            if self.state == Data {
                let take = (self.size.min(bytes.len() as u64)) as usize;
                if let Some(sink) = sink.as_deref_mut() {
                    keep_body(sink, Capture { headers: false, body: true }, &bytes[..take]);
                }
                self.size -= take as u64;
                bytes = &bytes[take..];
                if self.size == 0 {
                    self.state = DataCr;
                }
                continue;
            }
            let b = bytes[0];
            bytes = &bytes[1..];
            self.state = match self.state {
                Size => match b {
                    b'0'..=b'9' | b'a'..=b'f' | b'A'..=b'F' => {
                        let digit = (b as char).to_digit(16).unwrap_or(0) as u64;
                        self.line_length += 1;
                        if self.line_length > 16 {
                            return Err(FailureClass::Protocol);
                        }
                        self.size = self.size * 16 + digit;
                        Size
                    }
                    b';' | b' ' | b'\t' if self.line_length > 0 => SizeExtension,
                    b'\r' if self.line_length > 0 => SizeLf,
                    _ => return Err(FailureClass::Protocol),
                },
                SizeExtension => match b {
                    b'\r' => SizeLf,
                    b'\n' => return Err(FailureClass::Protocol),
                    _ => SizeExtension,
                },
                SizeLf => {
                    if b != b'\n' {
                        return Err(FailureClass::Protocol);
                    }
                    self.line_length = 0;
                    if self.size == 0 {
                        TrailerStart
                    } else {
                        Data
                    }
                }
                DataCr if b == b'\r' => DataLf,
                DataLf if b == b'\n' => Size,
                TrailerStart => match b {
                    b'\r' => FinalLf,
                    _ => TrailerLine,
                },
                TrailerLine => match b {
                    b'\r' => TrailerLf,
                    _ => TrailerLine,
                },
                TrailerLf if b == b'\n' => TrailerStart,
                FinalLf if b == b'\n' => Done,
                Done => return Err(FailureClass::Protocol),
                _ => return Err(FailureClass::Protocol),
            };
            if self.state == Done {
                return if bytes.is_empty() { Ok(true) } else { Err(FailureClass::Protocol) };
            }
        }
        Ok(self.state == Done)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunked_bodies_in_any_split() {
        let body = b"5\r\nhello\r\n1;ext=1\r\n \r\n0\r\nX-Trailer: 1\r\n\r\n";
        for split in 0..body.len() {
            let mut d = ChunkedDecoder::default();
            let first = d.feed(&body[..split]).unwrap();
            assert!(!first || split == body.len());
            assert!(d.feed(&body[split..]).unwrap(), "split {split}");
        }
        let mut d = ChunkedDecoder::default();
        assert!(d.feed(b"zz\r\n").is_err());
        let mut d = ChunkedDecoder::default();
        assert!(d.feed(b"3\r\nabcX").is_err());
    }

    #[tokio::test]
    async fn responses_with_each_framing() {
        let (client, mut server) = tokio::io::duplex(64 * 1024);
        let mut conn = Http1Connection::new(client);
        let replies: &[&[u8]] = &[
            b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello",
            b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 404 Not Found\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n",
            b"HTTP/1.1 204 No Content\r\n\r\n",
            b"HTTP/1.1 302 Found\r\nLocation: /x\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
        ];
        let expected = [(200, true), (404, true), (204, true), (302, false)];
        for (reply, (status, keep_alive)) in replies.iter().zip(expected) {
            server.write_all(reply).await.unwrap();
            let response = conn.round_trip(b"GET / HTTP/1.1\r\n\r\n", false, Capture::NOTHING).await.unwrap();
            assert_eq!(response.status, status);
            assert_eq!(response.keep_alive, keep_alive);
            assert_eq!(response.bytes, reply.len() as u64);
            let mut sink = vec![0; 1024];
            let _ = server.read(&mut sink).await.unwrap();
        }
        server.write_all(b"garbage\r\n\r\n").await.unwrap();
        assert_eq!(conn.round_trip(b"x", false, Capture::NOTHING).await.unwrap_err(), FailureClass::Protocol);
        drop(server);
        assert_eq!(conn.round_trip(b"x", false, Capture::NOTHING).await.unwrap_err(), FailureClass::Reset);
    }

    #[tokio::test]
    async fn captured_headers_and_bodies() {
        let (client, mut server) = tokio::io::duplex(64 * 1024);
        let mut conn = Http1Connection::new(client);
        let everything = Capture { headers: true, body: true };
        let replies: &[&[u8]] = &[
            b"HTTP/1.1 200 OK\r\nSet-Cookie: a=1\r\nSet-Cookie: b=2\r\nContent-Length: 5\r\n\r\nhello",
            b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2;x=y\r\nde\r\n0\r\n\r\n",
        ];
        let bodies: [&[u8]; 2] = [b"hello", b"abcde"];
        for (reply, body) in replies.iter().zip(bodies) {
            server.write_all(reply).await.unwrap();
            let response = conn.round_trip(b"GET / HTTP/1.1\r\n\r\n", false, everything).await.unwrap();
            assert_eq!(response.body, body);
            let mut sink = vec![0; 1024];
            let _ = server.read(&mut sink).await.unwrap();
        }
        server.write_all(replies[0]).await.unwrap();
        let response = conn.round_trip(b"GET / HTTP/1.1\r\n\r\n", false, everything).await.unwrap();
        let cookies: Vec<_> =
            response.headers.iter().filter(|(n, _)| n == "Set-Cookie").map(|(_, v)| v.as_str()).collect();
        assert_eq!(cookies, ["a=1", "b=2"]);
        // Without capture nothing is kept.
        let _ = server.read(&mut vec![0; 1024]).await.unwrap();
        server.write_all(replies[0]).await.unwrap();
        let response = conn.round_trip(b"GET / HTTP/1.1\r\n\r\n", false, Capture::NOTHING).await.unwrap();
        assert!(response.headers.is_empty() && response.body.is_empty());
        // Until close.
        let _ = server.read(&mut vec![0; 1024]).await.unwrap();
        server.write_all(b"HTTP/1.0 200 OK\r\n\r\nrest of it").await.unwrap();
        server.shutdown().await.unwrap();
        let response = conn.round_trip(b"GET / HTTP/1.1\r\n\r\n", false, everything).await.unwrap();
        assert_eq!(response.body, b"rest of it");
    }
}
