//! HTTP/2 (prior knowledge and ALPN) and TLS (rustls) against hyper
//! servers on 127.0.0.1.

mod common;

use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use bytes::Bytes;
use common::{quick_plan, run};
use http_body_util::Full;
use hyper::service::service_fn;
use hyper_util::rt::{TokioExecutor, TokioIo};
use hyper_util::server::conn::auto;
use retort_load::scenario::Overrides;
use tokio::net::TcpListener;

struct HyperServer {
    addr: SocketAddr,
    requests: Arc<AtomicU64>,
    http2_requests: Arc<AtomicU64>,
    accepted: Arc<AtomicU64>,
    _runtime: tokio::runtime::Runtime,
}

fn start(tls: bool) -> HyperServer {
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    let listener = runtime.block_on(TcpListener::bind("127.0.0.1:0")).unwrap();
    let addr = listener.local_addr().unwrap();
    let requests = Arc::new(AtomicU64::new(0));
    let http2_requests = Arc::new(AtomicU64::new(0));
    let accepted = Arc::new(AtomicU64::new(0));
    let acceptor = tls.then(|| {
        let certified = rcgen::generate_simple_self_signed(vec!["localhost".into()]).unwrap();
        let cert = certified.cert.der().clone();
        let key = rustls::pki_types::PrivateKeyDer::try_from(certified.key_pair.serialize_der()).unwrap();
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let mut config = rustls::ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .unwrap()
            .with_no_client_auth()
            .with_single_cert(vec![cert], key)
            .unwrap();
        config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
        tokio_rustls::TlsAcceptor::from(Arc::new(config))
    });
    let (count, count_h2, count_accepted) = (requests.clone(), http2_requests.clone(), accepted.clone());
    runtime.spawn(async move {
        loop {
            let Ok((stream, _)) = listener.accept().await else { continue };
            count_accepted.fetch_add(1, Ordering::SeqCst);
            let (count, count_h2, acceptor) = (count.clone(), count_h2.clone(), acceptor.clone());
            tokio::spawn(async move {
                let service = service_fn(move |request: hyper::Request<hyper::body::Incoming>| {
                    count.fetch_add(1, Ordering::SeqCst);
                    if request.version() == hyper::Version::HTTP_2 {
                        count_h2.fetch_add(1, Ordering::SeqCst);
                    }
                    async {
                        Ok::<_, Infallible>(hyper::Response::new(Full::new(Bytes::from_static(b"hello over hyper"))))
                    }
                });
                let builder = auto::Builder::new(TokioExecutor::new());
                match acceptor {
                    Some(acceptor) => {
                        if let Ok(tls) = acceptor.accept(stream).await {
                            let _ = builder.serve_connection(TokioIo::new(tls), service).await;
                        }
                    }
                    None => {
                        let _ = builder.serve_connection(TokioIo::new(stream), service).await;
                    }
                }
            });
        }
    });
    HyperServer { addr, requests, http2_requests, accepted, _runtime: runtime }
}

fn overrides(n: u64) -> Overrides {
    Overrides { connections: Some(4), threads: Some(2), max_requests: Some(n), ..Overrides::default() }
}

#[test]
fn http1_and_http2_cleartext() {
    let server = start(false);
    let url = format!("http://{}/", server.addr);
    let r = run(quick_plan(&url, overrides(300)));
    assert_eq!((r.totals.requests, r.totals.errors), (300, 0));
    assert_eq!(server.http2_requests.load(Ordering::SeqCst), 0);

    let r = run(quick_plan(&url, Overrides { http2: true, ..overrides(300) }));
    assert_eq!((r.totals.requests, r.totals.errors), (300, 0), "{:?}", r.totals.error_classes);
    assert_eq!(server.http2_requests.load(Ordering::SeqCst), 300);
    assert_eq!(r.totals.bytes_received, 300 * 16, "HTTP/2 counts body bytes");
    assert_eq!(server.requests.load(Ordering::SeqCst), 600);
}

#[test]
fn tls_with_http1_and_http2_via_alpn() {
    let server = start(true);
    let url = format!("https://localhost:{}/", server.addr.port());

    let r = run(quick_plan(&url, Overrides { insecure: true, ..overrides(200) }));
    assert_eq!((r.totals.requests, r.totals.errors), (200, 0), "{:?}", r.totals.error_classes);
    assert_eq!(server.http2_requests.load(Ordering::SeqCst), 0);

    let r = run(quick_plan(&url, Overrides { insecure: true, http2: true, ..overrides(200) }));
    assert_eq!((r.totals.requests, r.totals.errors), (200, 0), "{:?}", r.totals.error_classes);
    assert_eq!(server.http2_requests.load(Ordering::SeqCst), 200);

    // Without --insecure, a self-signed certificate is a connect error.
    let r = run(quick_plan(&url, overrides(5)));
    assert_eq!((r.totals.requests, r.totals.error_classes.connect), (5, 5));
}

#[test]
fn http2_streams_share_connections() {
    let server = start(false);
    let url = format!("http://{}/", server.addr);
    // 8 concurrent requests on 2 threads, 4 streams per connection: each
    // worker's 4 tasks share one TCP connection.
    let r =
        run(quick_plan(&url, Overrides { http2: true, h2_streams: Some(4), connections: Some(8), ..overrides(400) }));
    assert_eq!((r.totals.requests, r.totals.errors), (400, 0), "{:?}", r.totals.error_classes);
    assert_eq!(server.http2_requests.load(Ordering::SeqCst), 400);
    assert_eq!(server.accepted.load(Ordering::SeqCst), 2);

    // Without sharing, one connection per task.
    let server = start(false);
    let url = format!("http://{}/", server.addr);
    let r = run(quick_plan(&url, Overrides { http2: true, connections: Some(8), ..overrides(400) }));
    assert_eq!(r.totals.errors, 0);
    assert_eq!(server.accepted.load(Ordering::SeqCst), 8);
}
