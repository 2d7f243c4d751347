//! Write tokens: 32 random bytes shown once, stored only as their SHA-256.

use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

/// A new token: `rtp_` and 64 hex digits (32 bytes from the OS).
pub fn generate() -> Result<String, getrandom::Error> {
    let mut bytes = [0u8; 32];
    getrandom::getrandom(&mut bytes)?;
    Ok(format!("rtp_{}", hex(&bytes)))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The stored form of a token.
pub fn hash(token: &str) -> String {
    hex(&Sha256::digest(token.as_bytes()))
}

/// Whether `presented` is one of the tokens whose hashes are stored. Every
/// stored hash is compared in constant time, with no early exit.
pub fn verify(presented: &str, stored_hashes: &[String]) -> bool {
    let presented = hash(presented);
    let mut found = subtle::Choice::from(0);
    for stored in stored_hashes {
        if stored.len() == presented.len() {
            found |= stored.as_bytes().ct_eq(presented.as_bytes());
        }
    }
    found.into()
}

/// The token of an `Authorization: Bearer …` header value.
pub fn bearer(header: &str) -> Option<&str> {
    let (scheme, token) = header.trim().split_once(' ')?;
    let token = token.trim();
    (scheme.eq_ignore_ascii_case("bearer") && !token.is_empty()).then_some(token)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_verify_against_their_hash_only() {
        let a = generate().unwrap();
        let b = generate().unwrap();
        assert_ne!(a, b);
        assert_eq!(a.len(), 4 + 64);
        let stored = vec![hash(&a)];
        assert!(verify(&a, &stored));
        assert!(!verify(&b, &stored));
        assert!(!verify("", &stored));
        assert!(!verify(&a, &[]));
        assert!(!verify(&hash(&a), &stored), "the hash itself is not a token");
    }

    #[test]
    fn bearer_header_parsing() {
        assert_eq!(bearer("Bearer abc"), Some("abc"));
        assert_eq!(bearer("bearer  abc "), Some("abc"));
        assert_eq!(bearer("Basic abc"), None);
        assert_eq!(bearer("Bearer "), None);
        assert_eq!(bearer("abc"), None);
    }
}
