//! The HTTP side of `retort push`: one POST of a push document.

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;

#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    #[error("bad portal URL `{0}`: expected http(s)://HOST[:PORT][/PREFIX]")]
    BadUrl(String),
    #[error("cannot reach the portal at {url}: {reason}")]
    Unreachable { url: String, reason: String },
    #[error("the portal at {url} did not answer within {seconds} s")]
    Timeout { url: String, seconds: u64 },
    #[error("--ca-cert {file}: {reason}")]
    CaCert { file: String, reason: String },
}

/// The portal's answer.
#[derive(Debug, Clone)]
pub struct Response {
    pub status: u16,
    pub body: String,
}

/// Where a portal URL points.
#[derive(Debug, Clone, PartialEq)]
pub struct Endpoint {
    pub https: bool,
    pub host: String,
    /// `host:port`, the port filled in (80 or 443).
    pub authority: String,
    /// Path prefix without a trailing `/` (`""` at the root).
    pub prefix: String,
}

/// Parses `http(s)://HOST[:PORT][/PREFIX]`.
pub fn parse_url(url: &str) -> Result<Endpoint, ClientError> {
    let bad = || ClientError::BadUrl(url.to_string());
    let (https, rest) = match (url.strip_prefix("https://"), url.strip_prefix("http://")) {
        (Some(rest), _) => (true, rest),
        (None, Some(rest)) => (false, rest),
        _ => return Err(bad()),
    };
    let (authority, path) = match rest.find('/') {
        Some(i) => (&rest[..i], rest[i..].trim_end_matches('/')),
        None => (rest, ""),
    };
    if authority.is_empty() || authority.contains('@') || path.contains(['?', '#']) {
        return Err(bad());
    }
    let (host, authority) = match authority.rsplit_once(':') {
        Some((host, port)) if !host.is_empty() && !authority.ends_with(']') => {
            port.parse::<u16>().map_err(|_| bad())?;
            (host.to_string(), authority.to_string())
        }
        _ => (authority.to_string(), format!("{authority}:{}", if https { 443 } else { 80 })),
    };
    let host = host.trim_start_matches('[').trim_end_matches(']').to_string();
    Ok(Endpoint { https, host, authority, prefix: path.to_string() })
}

/// How to reach the portal: the URL, and for https extra trusted CAs.
pub struct Target<'a> {
    pub url: &'a str,
    /// A PEM file of CA certificates trusted besides the built-in (Mozilla) roots.
    pub ca_cert: Option<&'a Path>,
    pub timeout: Duration,
}

/// POSTs `body` (a push document) to `URL/api/pushes` with the token.
pub fn post_push(target: &Target, token: &str, body: Vec<u8>) -> Result<Response, ClientError> {
    exchange(target, "POST", "/api/pushes", Some(token), body)
}

/// GETs `URL/healthz`: is a portal answering there (before a long analysis)?
pub fn health(target: &Target) -> Result<Response, ClientError> {
    exchange(target, "GET", "/healthz", None, Vec::new())
}

fn tls_connector(ca_cert: Option<&Path>) -> Result<tokio_rustls::TlsConnector, ClientError> {
    use rustls::pki_types::pem::PemObject;
    use rustls::pki_types::CertificateDer;
    let mut roots = rustls::RootCertStore::from_iter(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
    if let Some(file) = ca_cert {
        let problem = |reason: String| ClientError::CaCert { file: file.display().to_string(), reason };
        let mut added = 0;
        for cert in CertificateDer::pem_file_iter(file).map_err(|e| problem(e.to_string()))? {
            roots.add(cert.map_err(|e| problem(e.to_string()))?).map_err(|e| problem(e.to_string()))?;
            added += 1;
        }
        if added == 0 {
            return Err(problem("no certificate in the file".into()));
        }
    }
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| ClientError::Unreachable { url: String::new(), reason: e.to_string() })?
        .with_root_certificates(roots)
        .with_no_client_auth();
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(tokio_rustls::TlsConnector::from(Arc::new(config)))
}

async fn send<IO>(io: IO, request: hyper::Request<Full<Bytes>>) -> Result<Response, String>
where
    IO: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin + Send + 'static,
{
    let (mut sender, connection) =
        hyper::client::conn::http1::handshake(hyper_util::rt::TokioIo::new(io)).await.map_err(|e| e.to_string())?;
    tokio::spawn(connection);
    let response = sender.send_request(request).await.map_err(|e| e.to_string())?;
    let status = response.status().as_u16();
    let bytes = response.into_body().collect().await.map_err(|e| e.to_string())?.to_bytes();
    Ok(Response { status, body: String::from_utf8_lossy(&bytes).into_owned() })
}

fn exchange(
    target: &Target,
    method: &str,
    path: &str,
    token: Option<&str>,
    body: Vec<u8>,
) -> Result<Response, ClientError> {
    let url = target.url;
    let endpoint = parse_url(url)?;
    let unreachable = |reason: String| ClientError::Unreachable { url: url.to_string(), reason };
    let connector = if endpoint.https { Some(tls_connector(target.ca_cert)?) } else { None };
    let default_port = if endpoint.https { ":443" } else { ":80" };
    let mut request = hyper::Request::builder()
        .method(method)
        .uri(format!("{}{path}", endpoint.prefix))
        .header(hyper::header::HOST, endpoint.authority.trim_end_matches(default_port))
        .header(hyper::header::CONTENT_TYPE, "application/json");
    if let Some(token) = token {
        request = request.header(hyper::header::AUTHORIZATION, format!("Bearer {token}"));
    }
    let request = request.body(Full::new(Bytes::from(body))).map_err(|e| unreachable(e.to_string()))?;
    let runtime =
        tokio::runtime::Builder::new_current_thread().enable_all().build().map_err(|e| unreachable(e.to_string()))?;
    runtime.block_on(async {
        let exchange = async {
            let stream = tokio::net::TcpStream::connect(&endpoint.authority).await.map_err(|e| e.to_string())?;
            match connector {
                Some(connector) => {
                    let name =
                        rustls::pki_types::ServerName::try_from(endpoint.host.clone()).map_err(|e| e.to_string())?;
                    let tls = connector.connect(name, stream).await.map_err(|e| e.to_string())?;
                    send(tls, request).await
                }
                None => send(stream, request).await,
            }
        };
        match tokio::time::timeout(target.timeout, exchange).await {
            Ok(result) => result.map_err(unreachable),
            Err(_) => Err(ClientError::Timeout { url: url.to_string(), seconds: target.timeout.as_secs() }),
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn target(url: &str) -> Target<'_> {
        Target { url, ca_cert: None, timeout: Duration::from_secs(10) }
    }

    #[test]
    fn urls_parse_to_endpoints() {
        let e = parse_url("http://127.0.0.1:8080").unwrap();
        assert_eq!((e.https, e.authority.as_str(), e.prefix.as_str()), (false, "127.0.0.1:8080", ""));
        let e = parse_url("http://portal/retort/").unwrap();
        assert_eq!((e.authority.as_str(), e.prefix.as_str()), ("portal:80", "/retort"));
        let e = parse_url("https://portal.example").unwrap();
        assert_eq!((e.https, e.host.as_str(), e.authority.as_str()), (true, "portal.example", "portal.example:443"));
        assert!(matches!(parse_url("portal:8080"), Err(ClientError::BadUrl(_))));
        assert!(matches!(parse_url("http://"), Err(ClientError::BadUrl(_))));
        assert!(matches!(parse_url("http://u:p@host"), Err(ClientError::BadUrl(_))));
        assert!(matches!(parse_url("http://host:port"), Err(ClientError::BadUrl(_))));
    }

    #[test]
    fn unreachable_portal_is_a_clear_error() {
        // Bind then drop a listener: the port is (almost certainly) closed.
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let url = format!("http://127.0.0.1:{port}");
        let err = post_push(&target(&url), "t", b"{}".to_vec()).unwrap_err();
        assert!(matches!(err, ClientError::Unreachable { .. }), "{err}");
        assert!(err.to_string().contains("cannot reach the portal"));
    }

    /// A one-request HTTPS server with a certificate for `localhost` signed by a fresh CA.
    fn tls_server() -> (u16, String, std::thread::JoinHandle<()>) {
        use rcgen::{BasicConstraints, CertificateParams, IsCa, KeyPair};
        let ca_key = KeyPair::generate().unwrap();
        let mut ca_params = CertificateParams::new(Vec::<String>::new()).unwrap();
        ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        let ca = ca_params.self_signed(&ca_key).unwrap();
        let leaf_key = KeyPair::generate().unwrap();
        let leaf =
            CertificateParams::new(vec!["localhost".to_string()]).unwrap().signed_by(&leaf_key, &ca, &ca_key).unwrap();
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let config = rustls::ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .unwrap()
            .with_no_client_auth()
            .with_single_cert(
                vec![leaf.der().clone()],
                rustls::pki_types::PrivateKeyDer::Pkcs8(leaf_key.serialize_der().into()),
            )
            .unwrap();
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let thread = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
            runtime.block_on(async move {
                use tokio::io::{AsyncReadExt, AsyncWriteExt};
                listener.set_nonblocking(true).unwrap();
                let listener = tokio::net::TcpListener::from_std(listener).unwrap();
                let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
                // Two connections: one refused by the client's verification, one served.
                for _ in 0..2 {
                    let (stream, _) = listener.accept().await.unwrap();
                    let Ok(mut tls) = acceptor.accept(stream).await else { continue };
                    let mut buffer = vec![0u8; 4096];
                    let _ = tls.read(&mut buffer).await;
                    let body = "{\"status\":\"ok\"}";
                    let reply =
                        format!("HTTP/1.1 200 OK\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}", body.len());
                    tls.write_all(reply.as_bytes()).await.unwrap();
                    let _ = tls.shutdown().await;
                }
            });
        });
        (port, ca.pem(), thread)
    }

    #[test]
    fn https_verifies_the_portal_certificate() {
        let (port, ca_pem, server) = tls_server();
        let url = format!("https://localhost:{port}");
        let refused = health(&target(&url)).unwrap_err();
        assert!(refused.to_string().contains("certificate"), "{refused}");
        let dir = tempfile::tempdir().unwrap();
        let ca_file = dir.path().join("ca.pem");
        std::fs::write(&ca_file, ca_pem).unwrap();
        let trusted = Target { url: &url, ca_cert: Some(&ca_file), timeout: Duration::from_secs(10) };
        let answer = health(&trusted).unwrap();
        assert_eq!((answer.status, answer.body.as_str()), (200, "{\"status\":\"ok\"}"));
        server.join().unwrap();
        let empty = dir.path().join("empty.pem");
        std::fs::write(&empty, "").unwrap();
        let bad = Target { url: &url, ca_cert: Some(&empty), timeout: Duration::from_secs(10) };
        assert!(matches!(health(&bad), Err(ClientError::CaCert { .. })));
    }
}
