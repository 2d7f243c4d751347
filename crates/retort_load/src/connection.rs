//! Connections to the target: TCP or TLS (rustls), speaking HTTP/1.1
//! through [`Http1Connection`] or HTTP/2 through hyper.

use std::sync::Arc;

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper_util::rt::{TokioExecutor, TokioIo};
use tokio::net::TcpStream;
use tokio_rustls::client::TlsStream;
use tokio_rustls::TlsConnector;

use crate::http1::{keep_body, Capture, Http1Connection, Response};
use crate::metrics::FailureClass;
use crate::request::Rendered;
use crate::target::Target;

/// How to open connections, shared by all of a run's connections.
#[derive(Clone)]
pub struct Connector {
    target: Arc<Target>,
    tls: Option<(TlsConnector, rustls::pki_types::ServerName<'static>)>,
    http2: bool,
}

/// An open connection.
pub enum Connection {
    /// HTTP/1.1 over TCP.
    Plain(Http1Connection<TcpStream>),
    /// HTTP/1.1 over TLS.
    Tls(Box<Http1Connection<TlsStream<TcpStream>>>),
    /// HTTP/2 (cleartext or TLS).
    H2(hyper::client::conn::http2::SendRequest<Full<Bytes>>),
}

impl Connector {
    /// Prepares TLS (when the target is `https`) and protocol settings.
    pub fn new(target: Arc<Target>, http2: bool, insecure: bool) -> Result<Connector, String> {
        let tls = if target.tls {
            let provider = Arc::new(rustls::crypto::ring::default_provider());
            let builder = rustls::ClientConfig::builder_with_provider(provider.clone())
                .with_safe_default_protocol_versions()
                .map_err(|e| e.to_string())?;
            let mut config = if insecure {
                builder
                    .dangerous()
                    .with_custom_certificate_verifier(Arc::new(AcceptAnyCertificate(provider)))
                    .with_no_client_auth()
            } else {
                let roots = rustls::RootCertStore::from_iter(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
                builder.with_root_certificates(roots).with_no_client_auth()
            };
            config.alpn_protocols = if http2 { vec![b"h2".to_vec()] } else { vec![b"http/1.1".to_vec()] };
            let name = rustls::pki_types::ServerName::try_from(target.host.clone())
                .map_err(|e| format!("invalid TLS server name `{}`: {e}", target.host))?;
            Some((TlsConnector::from(Arc::new(config)), name))
        } else {
            None
        };
        Ok(Connector { target, tls, http2 })
    }

    /// Opens a connection; any failure is a connect error.
    pub async fn connect(&self) -> Result<Connection, FailureClass> {
        let mut last = None;
        let mut stream = None;
        for addr in &self.target.addrs {
            match TcpStream::connect(addr).await {
                Ok(s) => {
                    stream = Some(s);
                    break;
                }
                Err(e) => last = Some(e),
            }
        }
        let Some(stream) = stream else {
            drop(last);
            return Err(FailureClass::Connect);
        };
        let _ = stream.set_nodelay(true);
        match (&self.tls, self.http2) {
            (None, false) => Ok(Connection::Plain(Http1Connection::new(stream))),
            (Some((connector, name)), false) => {
                let tls = connector.connect(name.clone(), stream).await.map_err(|_| FailureClass::Connect)?;
                Ok(Connection::Tls(Box::new(Http1Connection::new(tls))))
            }
            (None, true) => h2_handshake(TokioIo::new(stream)).await,
            (Some((connector, name)), true) => {
                let tls = connector.connect(name.clone(), stream).await.map_err(|_| FailureClass::Connect)?;
                h2_handshake(TokioIo::new(tls)).await
            }
        }
    }

    /// The target.
    pub fn target(&self) -> &Target {
        &self.target
    }
}

async fn h2_handshake<T>(io: TokioIo<T>) -> Result<Connection, FailureClass>
where
    T: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin + Send + 'static,
{
    let (sender, connection) =
        hyper::client::conn::http2::handshake(TokioExecutor::new(), io).await.map_err(|_| FailureClass::Connect)?;
    tokio::spawn(async move {
        let _ = connection.await;
    });
    Ok(Connection::H2(sender))
}

impl Connection {
    /// Another handle on the same HTTP/2 connection (streams multiplex);
    /// `None` for HTTP/1.1 or a closed HTTP/2 connection.
    pub fn share(&self) -> Option<Connection> {
        match self {
            Connection::H2(sender) if !sender.is_closed() => Some(Connection::H2(sender.clone())),
            _ => None,
        }
    }

    /// Sends one request and reads its whole response, keeping what `capture` asks for.
    pub async fn send(
        &mut self,
        request: &Rendered,
        method: &str,
        target: &Target,
        capture: Capture,
    ) -> Result<Response, FailureClass> {
        let head = method.eq_ignore_ascii_case("HEAD");
        match self {
            Connection::Plain(c) => c.round_trip(&request.wire, head, capture).await,
            Connection::Tls(c) => c.round_trip(&request.wire, head, capture).await,
            Connection::H2(sender) => {
                sender.ready().await.map_err(|_| FailureClass::Reset)?;
                let uri = format!("{}://{}{}", target.scheme(), target.authority, request.path);
                let mut builder = hyper::Request::builder().method(method).uri(uri);
                // HTTP/2 carries the host in `:authority`, not a Host header.
                for (name, value) in request.headers.iter().filter(|(n, _)| !n.eq_ignore_ascii_case("host")) {
                    builder = builder.header(name.as_str(), value.as_str());
                }
                let http_request = builder.body(Full::new(request.body.clone())).map_err(|_| FailureClass::Protocol)?;
                let response = sender.send_request(http_request).await.map_err(h2_class)?;
                let status = response.status().as_u16();
                let location = if (300..400).contains(&status) {
                    response
                        .headers()
                        .get(hyper::header::LOCATION)
                        .and_then(|v| v.to_str().ok())
                        .map(|v| v.trim().to_string())
                } else {
                    None
                };
                let headers = if capture.headers {
                    response
                        .headers()
                        .iter()
                        .map(|(n, v)| {
                            (n.as_str().to_string(), String::from_utf8_lossy(v.as_bytes()).trim().to_string())
                        })
                        .collect()
                } else {
                    Vec::new()
                };
                let mut body = response.into_body();
                let mut bytes = 0u64;
                let mut kept = Vec::new();
                while let Some(frame) = body.frame().await {
                    let frame = frame.map_err(h2_class)?;
                    if let Some(data) = frame.data_ref() {
                        bytes += data.len() as u64;
                        keep_body(&mut kept, capture, data);
                    }
                }
                Ok(Response { status, bytes, keep_alive: true, location, headers, body: kept })
            }
        }
    }
}

fn h2_class(error: hyper::Error) -> FailureClass {
    if error.is_parse() || error.is_user() {
        FailureClass::Protocol
    } else if error.is_timeout() {
        FailureClass::Timeout
    } else {
        FailureClass::Reset
    }
}

/// `--insecure`: accepts any server certificate (signatures still checked).
#[derive(Debug)]
struct AcceptAnyCertificate(Arc<rustls::crypto::CryptoProvider>);

impl rustls::client::danger::ServerCertVerifier for AcceptAnyCertificate {
    fn verify_server_cert(
        &self,
        _end_entity: &rustls::pki_types::CertificateDer<'_>,
        _intermediates: &[rustls::pki_types::CertificateDer<'_>],
        _server_name: &rustls::pki_types::ServerName<'_>,
        _ocsp_response: &[u8],
        _now: rustls::pki_types::UnixTime,
    ) -> Result<rustls::client::danger::ServerCertVerified, rustls::Error> {
        Ok(rustls::client::danger::ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &rustls::pki_types::CertificateDer<'_>,
        dss: &rustls::DigitallySignedStruct,
    ) -> Result<rustls::client::danger::HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(message, cert, dss, &self.0.signature_verification_algorithms)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &rustls::pki_types::CertificateDer<'_>,
        dss: &rustls::DigitallySignedStruct,
    ) -> Result<rustls::client::danger::HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(message, cert, dss, &self.0.signature_verification_algorithms)
    }

    fn supported_verify_schemes(&self) -> Vec<rustls::SignatureScheme> {
        self.0.signature_verification_algorithms.supported_schemes()
    }
}
