//! Following redirects (`--follow-redirects N`; off by default, when a 3xx
//! is recorded as the response it is). Only same-origin redirects are
//! followed: another origin would be another target.

use crate::target::Target;

/// Whether `status` is a redirect with a `Location` to follow.
pub fn is_redirect(status: u16) -> bool {
    matches!(status, 301 | 302 | 303 | 307 | 308)
}

/// Whether the next request becomes a GET without body (303 always; 301
/// and 302 for methods other than GET/HEAD, as browsers do). 307 and 308
/// keep the method and body.
pub fn becomes_get(status: u16, method: &str) -> bool {
    status == 303 || (matches!(status, 301 | 302) && !method.eq_ignore_ascii_case("HEAD"))
}

/// The path and query to request for `location`, answered to a request
/// for `current` on `target`; `None` for another origin or a bad value.
pub fn resolve(target: &Target, current: &str, location: &str) -> Option<String> {
    if location.is_empty() || location.contains(|c: char| c.is_whitespace() || c.is_control()) {
        return None;
    }
    if let Some(rest) = location.strip_prefix("//") {
        return resolve(target, current, &format!("{}://{rest}", target.scheme()));
    }
    if location.starts_with("http://") || location.starts_with("https://") {
        let uri: http::Uri = location.parse().ok()?;
        let default_port = if uri.scheme_str() == Some("https") { 443 } else { 80 };
        let authority = uri.authority()?;
        let target_port = target.addrs.first().map(|a| a.port());
        let same_origin = uri.scheme_str() == Some(target.scheme())
            && authority.host().eq_ignore_ascii_case(&target.host)
            && Some(authority.port_u16().unwrap_or(default_port)) == target_port;
        if !same_origin {
            return None;
        }
        return Some(uri.path_and_query().map(|p| p.as_str().to_string()).unwrap_or_else(|| "/".into()));
    }
    if location.starts_with('/') {
        return Some(location.to_string());
    }
    // Relative reference: replace the last segment of the current path.
    let path = current.split('?').next().unwrap_or("/");
    let directory = &path[..=path.rfind('/').unwrap_or(0)];
    let directory = if directory.is_empty() { "/" } else { directory };
    Some(format!("{directory}{location}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_same_origin_locations_only() {
        let target = Target::parse("http://127.0.0.1:8080/").unwrap();
        assert_eq!(resolve(&target, "/a/b", "/c").as_deref(), Some("/c"));
        assert_eq!(resolve(&target, "/a/b?x=1", "c?y=2").as_deref(), Some("/a/c?y=2"));
        assert_eq!(resolve(&target, "/a/b", "http://127.0.0.1:8080/d?q").as_deref(), Some("/d?q"));
        assert_eq!(resolve(&target, "/a/b", "//127.0.0.1:8080/e").as_deref(), Some("/e"));
        assert_eq!(resolve(&target, "/a", "http://127.0.0.1:9090/d"), None);
        assert_eq!(resolve(&target, "/a", "https://127.0.0.1:8080/d"), None);
        assert_eq!(resolve(&target, "/a", "http://example.com/d"), None);
        assert_eq!(resolve(&target, "/a", "/x\r\nInjected: 1"), None);
        let default_port = Target::parse("http://127.0.0.1/").unwrap();
        assert_eq!(resolve(&default_port, "/", "http://127.0.0.1/z").as_deref(), Some("/z"));
        assert!(becomes_get(303, "POST") && becomes_get(302, "POST") && !becomes_get(307, "POST"));
    }
}
