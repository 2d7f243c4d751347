//! A cookie jar per virtual user, following the basics of RFC 6265
//! (section 5): `Set-Cookie` name and value, `Path` (default path and
//! path-match), `Domain` (host-only unless given; a domain that does not
//! match the request host is rejected), `Max-Age` (wins over `Expires`) and
//! `Expires`, which delete a cookie when they lie in the past, and
//! `Secure`.
//!
//! `Secure` is honoured strictly: a secure cookie is only sent over
//! `https`, and one set over plain `http` is ignored (as RFC 6265bis and
//! browsers do for non-secure origins) and counted, so a Flask app with
//! `SESSION_COOKIE_SECURE = True` tested over `http://127.0.0.1` shows why
//! its login does not stick instead of silently passing. Unlike browsers
//! (and the `cookie_store` crate), loopback hosts are not treated as
//! secure: a load test should see what a client of the deployed service
//! sees. `HttpOnly` and `SameSite` do not apply to a load generator (no
//! scripts, no cross-site navigation) and are ignored.

use std::time::{Duration, SystemTime};

/// One stored cookie.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cookie {
    /// Name.
    pub name: String,
    /// Value (as sent by the server).
    pub value: String,
    /// Domain: the request host for host-only cookies, else the `Domain` attribute.
    pub domain: String,
    /// Only sent to exactly `domain` (no `Domain` attribute).
    pub host_only: bool,
    /// Path prefix it is sent for.
    pub path: String,
    /// Only sent over `https`.
    pub secure: bool,
    /// When it expires (`None`: at the end of the session, i.e. of the run).
    pub expires: Option<SystemTime>,
}

/// What storing a `Set-Cookie` header did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stored {
    /// Added or replaced.
    Set,
    /// Removed (expired by `Max-Age`/`Expires`).
    Deleted,
    /// A `Secure` cookie received over plain `http`: ignored.
    SecureOverHttp,
    /// Malformed, or its `Domain` does not match the host: ignored.
    Rejected,
}

/// The cookies of one virtual user.
#[derive(Debug, Clone, Default)]
pub struct CookieJar {
    cookies: Vec<Cookie>,
}

impl CookieJar {
    /// An empty jar.
    pub fn new() -> CookieJar {
        CookieJar::default()
    }

    /// The stored cookies (expired ones may still be listed until the next store).
    pub fn cookies(&self) -> &[Cookie] {
        &self.cookies
    }

    /// The value of a live cookie named `name` (for extraction).
    pub fn get(&self, name: &str) -> Option<&str> {
        let now = SystemTime::now();
        self.cookies.iter().find(|c| c.name == name && c.expires.is_none_or(|e| e > now)).map(|c| c.value.as_str())
    }

    /// Empties the jar (a new login).
    pub fn clear(&mut self) {
        self.cookies.clear();
    }

    /// Stores one `Set-Cookie` header received from `host` for `request_path`.
    pub fn store(&mut self, header: &str, host: &str, request_path: &str, https: bool) -> Stored {
        self.store_at(header, host, request_path, https, SystemTime::now())
    }

    fn store_at(&mut self, header: &str, host: &str, request_path: &str, https: bool, now: SystemTime) -> Stored {
        let mut parts = header.split(';');
        let Some((name, value)) = parts.next().and_then(|pair| pair.split_once('=')) else {
            return Stored::Rejected;
        };
        let (name, value) = (name.trim(), value.trim());
        if name.is_empty() {
            return Stored::Rejected;
        }
        let host = host.to_ascii_lowercase();
        let mut cookie = Cookie {
            name: name.to_string(),
            value: value.trim_matches('"').to_string(),
            domain: host.clone(),
            host_only: true,
            path: default_path(request_path),
            secure: false,
            expires: None,
        };
        let mut max_age: Option<i64> = None;
        let mut expires: Option<SystemTime> = None;
        for attribute in parts {
            let (key, val) = match attribute.split_once('=') {
                Some((k, v)) => (k.trim(), v.trim()),
                None => (attribute.trim(), ""),
            };
            match key.to_ascii_lowercase().as_str() {
                "max-age" => {
                    // RFC 6265 5.2.2: digits with an optional leading minus; else ignored.
                    let digits = val.strip_prefix('-').unwrap_or(val);
                    if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
                        max_age = Some(val.parse::<i64>().unwrap_or(if val.starts_with('-') { -1 } else { i64::MAX }));
                    }
                }
                "expires" => {
                    if let Ok(time) = httpdate::parse_http_date(val) {
                        expires = Some(time);
                    }
                }
                "domain" if !val.is_empty() => {
                    let domain = val.trim_start_matches('.').to_ascii_lowercase();
                    if !domain_matches(&host, &domain) {
                        return Stored::Rejected;
                    }
                    cookie.domain = domain;
                    cookie.host_only = false;
                }
                "path" if val.starts_with('/') => cookie.path = val.to_string(),
                "secure" => cookie.secure = true,
                _ => {}
            }
        }
        if cookie.secure && !https {
            return Stored::SecureOverHttp;
        }
        cookie.expires = match max_age {
            Some(seconds) if seconds <= 0 => Some(SystemTime::UNIX_EPOCH),
            Some(seconds) => now.checked_add(Duration::from_secs(seconds as u64)),
            None => expires,
        };
        // A cookie replaces the one with the same name, domain and path.
        self.cookies.retain(|c| !(c.name == cookie.name && c.domain == cookie.domain && c.path == cookie.path));
        if cookie.expires.is_some_and(|e| e <= now) {
            return Stored::Deleted;
        }
        self.cookies.push(cookie);
        Stored::Set
    }

    /// The `Cookie` header value for a request to `host` and `path`
    /// (`None` when no cookie applies). Longer paths come first, then
    /// older cookies (RFC 6265 5.4).
    pub fn header_for(&self, host: &str, path: &str, https: bool) -> Option<String> {
        let now = SystemTime::now();
        let host = host.to_ascii_lowercase();
        let path = path.split(['?', '#']).next().unwrap_or("/");
        let mut matching: Vec<&Cookie> = self
            .cookies
            .iter()
            .filter(|c| c.expires.is_none_or(|e| e > now))
            .filter(|c| if c.host_only { c.domain == host } else { domain_matches(&host, &c.domain) })
            .filter(|c| path_matches(path, &c.path))
            .filter(|c| https || !c.secure)
            .collect();
        if matching.is_empty() {
            return None;
        }
        // A stable sort keeps insertion (creation) order among equal paths.
        matching.sort_by_key(|c| std::cmp::Reverse(c.path.len()));
        let pairs: Vec<String> = matching.iter().map(|c| format!("{}={}", c.name, c.value)).collect();
        Some(pairs.join("; "))
    }
}

/// RFC 6265 5.1.3: `host` equals `domain`, or ends with `.domain` and is
/// not an IP address.
fn domain_matches(host: &str, domain: &str) -> bool {
    if host == domain {
        return true;
    }
    let is_ip = host.parse::<std::net::IpAddr>().is_ok();
    !is_ip && host.len() > domain.len() && host.ends_with(domain) && host[..host.len() - domain.len()].ends_with('.')
}

/// RFC 6265 5.1.4: the directory of the request path.
fn default_path(request_path: &str) -> String {
    let path = request_path.split(['?', '#']).next().unwrap_or("");
    if !path.starts_with('/') {
        return "/".into();
    }
    match path.rfind('/') {
        Some(0) | None => "/".into(),
        Some(i) => path[..i].to_string(),
    }
}

/// RFC 6265 5.1.4: path-match.
fn path_matches(request_path: &str, cookie_path: &str) -> bool {
    request_path == cookie_path
        || (request_path.starts_with(cookie_path)
            && (cookie_path.ends_with('/') || request_path[cookie_path.len()..].starts_with('/')))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn jar_with(headers: &[&str], path: &str) -> CookieJar {
        let mut jar = CookieJar::new();
        for h in headers {
            jar.store(h, "127.0.0.1", path, false);
        }
        jar
    }

    #[test]
    fn name_value_and_replacement() {
        let mut jar = jar_with(&["session=abc; HttpOnly; Path=/", "theme=\"dark\"; SameSite=Lax"], "/login");
        assert_eq!(jar.header_for("127.0.0.1", "/orders", false).as_deref(), Some("session=abc; theme=dark"));
        assert_eq!(jar.store("session=xyz; Path=/", "127.0.0.1", "/", false), Stored::Set);
        assert_eq!(jar.get("session"), Some("xyz"));
        assert_eq!(jar.cookies().len(), 2);
        assert_eq!(jar.store("novalue", "127.0.0.1", "/", false), Stored::Rejected);
        assert_eq!(jar.store("=x", "127.0.0.1", "/", false), Stored::Rejected);
    }

    #[test]
    fn paths_default_and_match() {
        let jar = jar_with(&["a=1", "b=2; Path=/api", "c=3; Path=/api/v2/"], "/account/login");
        // `a` has the default path /account.
        assert_eq!(jar.header_for("127.0.0.1", "/account/x", false).as_deref(), Some("a=1"));
        assert_eq!(jar.header_for("127.0.0.1", "/accounts", false), None);
        assert_eq!(jar.header_for("127.0.0.1", "/api", false).as_deref(), Some("b=2"));
        assert_eq!(jar.header_for("127.0.0.1", "/apix", false), None);
        // Longer paths first.
        assert_eq!(jar.header_for("127.0.0.1", "/api/v2/items?x=1", false).as_deref(), Some("c=3; b=2"));
        assert_eq!(default_path("/"), "/");
        assert_eq!(default_path("/login"), "/");
        assert_eq!(default_path("x"), "/");
    }

    #[test]
    fn domains_host_only_and_suffix() {
        let mut jar = CookieJar::new();
        assert_eq!(jar.store("h=1", "shop.example.com", "/", false), Stored::Set);
        assert_eq!(jar.store("d=2; Domain=.example.com", "shop.example.com", "/", false), Stored::Set);
        assert_eq!(jar.store("x=3; Domain=other.com", "shop.example.com", "/", false), Stored::Rejected);
        assert_eq!(jar.header_for("shop.example.com", "/", false).as_deref(), Some("h=1; d=2"));
        // Host-only cookies stay with their host; domain cookies go to subdomains.
        assert_eq!(jar.header_for("api.example.com", "/", false).as_deref(), Some("d=2"));
        assert_eq!(jar.header_for("example.com", "/", false).as_deref(), Some("d=2"));
        assert_eq!(jar.header_for("badexample.com", "/", false), None);
        // IP hosts only match exactly.
        assert!(!domain_matches("127.0.0.1", "0.0.1"));
        assert!(domain_matches("127.0.0.1", "127.0.0.1"));
    }

    #[test]
    fn max_age_and_expires_delete() {
        let mut jar = jar_with(&["s=1; Path=/", "t=2; Path=/"], "/");
        // Flask's delete_cookie sends both.
        let deleted =
            jar.store("s=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; Path=/", "127.0.0.1", "/", false);
        assert_eq!(deleted, Stored::Deleted);
        assert_eq!(jar.header_for("127.0.0.1", "/", false).as_deref(), Some("t=2"));
        assert_eq!(jar.store("t=2; Expires=Thu, 01 Jan 1970 00:00:00 GMT", "127.0.0.1", "/", false), Stored::Deleted);
        assert_eq!(jar.header_for("127.0.0.1", "/", false), None);
        // Max-Age wins over Expires; a future expiry keeps the cookie.
        jar.store("u=3; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=60", "127.0.0.1", "/", false);
        jar.store("v=4; Expires=Fri, 01 Jan 2100 00:00:00 GMT", "127.0.0.1", "/", false);
        assert_eq!(jar.header_for("127.0.0.1", "/", false).as_deref(), Some("u=3; v=4"));
        assert_eq!(jar.store("u=3; Max-Age=-5", "127.0.0.1", "/", false), Stored::Deleted);
        // A malformed Max-Age is ignored (RFC 6265 5.2.2): a session cookie.
        assert_eq!(jar.store("m=1; Max-Age=-", "127.0.0.1", "/", false), Stored::Set);
        assert_eq!(jar.store("m=2; Max-Age=1x", "127.0.0.1", "/", false), Stored::Set);
        assert_eq!(jar.get("m"), Some("2"));
        // An unparseable date is ignored: a session cookie.
        jar.store("w=5; Expires=soon", "127.0.0.1", "/", false);
        assert_eq!(jar.get("w"), Some("5"));
        // A cookie that expires while stored is no longer sent.
        let past = SystemTime::now() - Duration::from_secs(100);
        jar.store_at("old=1; Max-Age=10", "127.0.0.1", "/", false, past);
        assert_eq!(jar.get("old"), None);
        assert!(!jar.header_for("127.0.0.1", "/", false).unwrap().contains("old"));
    }

    #[test]
    fn secure_cookies_need_https() {
        let mut jar = CookieJar::new();
        assert_eq!(jar.store("s=1; Secure", "127.0.0.1", "/", false), Stored::SecureOverHttp);
        assert_eq!(jar.header_for("127.0.0.1", "/", false), None);
        assert_eq!(jar.store("s=1; Secure", "127.0.0.1", "/", true), Stored::Set);
        assert_eq!(jar.header_for("127.0.0.1", "/", true).as_deref(), Some("s=1"));
        // Loopback is not a secure context here: never sent over http.
        assert_eq!(jar.header_for("127.0.0.1", "/", false), None);
    }
}
