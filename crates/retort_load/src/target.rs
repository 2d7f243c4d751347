//! The service under load: scheme, address and base path of the URL.

use std::net::{SocketAddr, ToSocketAddrs};

use crate::error::LoadError;

/// Where requests go.
#[derive(Debug, Clone)]
pub struct Target {
    /// The URL as given.
    pub url: String,
    /// `true` for `https`.
    pub tls: bool,
    /// Host name (for TLS server name).
    pub host: String,
    /// Value of the `Host` header / `:authority`.
    pub authority: String,
    /// Resolved addresses, tried in order.
    pub addrs: Vec<SocketAddr>,
    /// Path and query of the URL (`/` when empty).
    pub path_and_query: String,
}

impl Target {
    /// Parses and resolves `url` (`http://` or `https://`).
    pub fn parse(url: &str) -> Result<Target, LoadError> {
        let bad = |why: &str| LoadError::Invalid(format!("invalid URL `{url}`: {why}"));
        let uri: http::Uri = url.trim().parse().map_err(|e: http::uri::InvalidUri| bad(&e.to_string()))?;
        let tls = match uri.scheme_str() {
            Some("http") => false,
            Some("https") => true,
            Some(other) => return Err(bad(&format!("unsupported scheme `{other}`"))),
            None => return Err(bad("missing scheme (http:// or https://)")),
        };
        let authority = uri.authority().ok_or_else(|| bad("missing host"))?;
        let host = authority.host().trim_start_matches('[').trim_end_matches(']').to_string();
        if host.is_empty() {
            return Err(bad("missing host"));
        }
        let port = authority.port_u16().unwrap_or(if tls { 443 } else { 80 });
        let addrs: Vec<SocketAddr> =
            (host.as_str(), port).to_socket_addrs().map_err(|e| bad(&format!("cannot resolve host: {e}")))?.collect();
        if addrs.is_empty() {
            return Err(bad("host resolves to no address"));
        }
        let path_and_query = uri
            .path_and_query()
            .map(|p| p.as_str().to_string())
            .filter(|p| !p.is_empty())
            .unwrap_or_else(|| "/".into());
        Ok(Target {
            url: url.trim().to_string(),
            tls,
            host,
            authority: authority.as_str().to_string(),
            addrs,
            path_and_query,
        })
    }

    /// The URL's path without query and trailing slash, to prefix scenario paths.
    pub fn base_path(&self) -> &str {
        let path = self.path_and_query.split('?').next().unwrap_or("");
        path.trim_end_matches('/')
    }

    /// `http` or `https`.
    pub fn scheme(&self) -> &'static str {
        if self.tls {
            "https"
        } else {
            "http"
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_urls() {
        let t = Target::parse("http://127.0.0.1:8080/api/").unwrap();
        assert_eq!(t.authority, "127.0.0.1:8080");
        assert_eq!(t.base_path(), "/api");
        assert!(!t.tls);
        let t = Target::parse("https://127.0.0.1").unwrap();
        assert_eq!(t.addrs[0].port(), 443);
        assert_eq!(t.path_and_query, "/");
        assert!(Target::parse("ftp://x").is_err());
        assert!(Target::parse("127.0.0.1:80").is_err());
        assert!(Target::parse("not a url").is_err());
    }
}
