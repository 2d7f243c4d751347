//! The HTTP side of `retort push`: one POST of a push document.

use std::time::Duration;

use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;

#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    #[error("bad portal URL `{0}`: expected http://HOST[:PORT][/PREFIX]")]
    BadUrl(String),
    #[error("https is not supported by `retort push` yet; reach the portal over http (e.g. inside the cluster or through a local proxy)")]
    Https,
    #[error("cannot reach the portal at {url}: {reason}")]
    Unreachable { url: String, reason: String },
    #[error("the portal at {url} did not answer within {seconds} s")]
    Timeout { url: String, seconds: u64 },
}

/// The portal's answer.
#[derive(Debug, Clone)]
pub struct Response {
    pub status: u16,
    pub body: String,
}

/// Host (with port) and path prefix of an `http://` URL.
pub fn parse_url(url: &str) -> Result<(String, String), ClientError> {
    if url.starts_with("https://") {
        return Err(ClientError::Https);
    }
    let rest = url.strip_prefix("http://").ok_or_else(|| ClientError::BadUrl(url.to_string()))?;
    let (authority, path) = match rest.find('/') {
        Some(i) => (&rest[..i], rest[i..].trim_end_matches('/')),
        None => (rest, ""),
    };
    if authority.is_empty() || authority.contains('@') || path.contains(['?', '#']) {
        return Err(ClientError::BadUrl(url.to_string()));
    }
    let authority = if authority.contains(':') && !authority.ends_with(']') {
        authority.to_string()
    } else {
        format!("{authority}:80")
    };
    Ok((authority, path.to_string()))
}

/// POSTs `body` (a push document) to `URL/api/pushes` with the token.
pub fn post_push(url: &str, token: &str, body: Vec<u8>, timeout: Duration) -> Result<Response, ClientError> {
    exchange(url, "POST", "/api/pushes", Some(token), body, timeout)
}

/// GETs `URL/healthz`: is a portal answering there (before a long analysis)?
pub fn health(url: &str, timeout: Duration) -> Result<Response, ClientError> {
    exchange(url, "GET", "/healthz", None, Vec::new(), timeout)
}

fn exchange(
    url: &str,
    method: &str,
    path: &str,
    token: Option<&str>,
    body: Vec<u8>,
    timeout: Duration,
) -> Result<Response, ClientError> {
    let (authority, prefix) = parse_url(url)?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| ClientError::Unreachable { url: url.to_string(), reason: e.to_string() })?;
    let unreachable = |reason: String| ClientError::Unreachable { url: url.to_string(), reason };
    runtime.block_on(async {
        let exchange = async {
            let stream = tokio::net::TcpStream::connect(&authority).await.map_err(|e| unreachable(e.to_string()))?;
            let io = hyper_util::rt::TokioIo::new(stream);
            let (mut sender, connection) =
                hyper::client::conn::http1::handshake(io).await.map_err(|e| unreachable(e.to_string()))?;
            tokio::spawn(connection);
            let mut request = hyper::Request::builder()
                .method(method)
                .uri(format!("{prefix}{path}"))
                .header(hyper::header::HOST, authority.trim_end_matches(":80"))
                .header(hyper::header::CONTENT_TYPE, "application/json");
            if let Some(token) = token {
                request = request.header(hyper::header::AUTHORIZATION, format!("Bearer {token}"));
            }
            let request = request.body(Full::new(Bytes::from(body))).map_err(|e| unreachable(e.to_string()))?;
            let response = sender.send_request(request).await.map_err(|e| unreachable(e.to_string()))?;
            let status = response.status().as_u16();
            let bytes = response.into_body().collect().await.map_err(|e| unreachable(e.to_string()))?.to_bytes();
            Ok(Response { status, body: String::from_utf8_lossy(&bytes).into_owned() })
        };
        tokio::time::timeout(timeout, exchange)
            .await
            .map_err(|_| ClientError::Timeout { url: url.to_string(), seconds: timeout.as_secs() })?
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_parse_to_authority_and_prefix() {
        assert_eq!(parse_url("http://127.0.0.1:8080").unwrap(), ("127.0.0.1:8080".into(), "".into()));
        assert_eq!(parse_url("http://portal/retort/").unwrap(), ("portal:80".into(), "/retort".into()));
        assert!(matches!(parse_url("https://portal"), Err(ClientError::Https)));
        assert!(matches!(parse_url("portal:8080"), Err(ClientError::BadUrl(_))));
        assert!(matches!(parse_url("http://"), Err(ClientError::BadUrl(_))));
        assert!(matches!(parse_url("http://u:p@host"), Err(ClientError::BadUrl(_))));
    }

    #[test]
    fn unreachable_portal_is_a_clear_error() {
        // Bind then drop a listener: the port is (almost certainly) closed.
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let err =
            post_push(&format!("http://127.0.0.1:{port}"), "t", b"{}".to_vec(), Duration::from_secs(5)).unwrap_err();
        assert!(matches!(err, ClientError::Unreachable { .. }), "{err}");
        assert!(err.to_string().contains("cannot reach the portal"));
    }
}
