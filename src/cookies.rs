//! The session's cookie jar.
//!
//! The client talks to one service origin, so the jar keeps every cookie that origin sets
//! (API.md: keep a whole jar, not just `ASP.NET_SessionId`) and sends them all back.
//! Values are secrets: never shown, zeroed when dropped.

use cookie::time::OffsetDateTime;
use cookie::Cookie;

use crate::secret::Secret;

#[derive(Debug, Default)]
pub(crate) struct Jar {
    cookies: Vec<(String, Secret)>,
}

impl Jar {
    /// Applies one `Set-Cookie` header. Unparseable headers are ignored, as browsers do.
    pub(crate) fn store(&mut self, set_cookie: &str) {
        let Ok(cookie) = Cookie::parse(set_cookie) else {
            return;
        };
        let name = cookie.name();
        self.cookies.retain(|(existing, _)| existing != name);
        let expired = cookie
            .max_age()
            .is_some_and(|age| age.is_zero() || age.is_negative())
            || cookie
                .expires_datetime()
                .is_some_and(|at| at <= OffsetDateTime::now_utc());
        if !expired {
            self.cookies
                .push((name.to_owned(), Secret::new(cookie.value())));
        }
    }

    /// The `Cookie` request header, or `None` when the jar is empty.
    pub(crate) fn header(&self) -> Option<Secret> {
        if self.cookies.is_empty() {
            return None;
        }
        let mut header = zeroize::Zeroizing::new(String::new());
        for (name, value) in &self.cookies {
            if !header.is_empty() {
                header.push_str("; ");
            }
            header.push_str(name);
            header.push('=');
            header.push_str(value.expose());
        }
        Some(Secret::new(&header))
    }

    pub(crate) fn clear(&mut self) {
        self.cookies.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::Jar;

    #[test]
    fn keeps_replaces_and_expires_cookies() {
        let mut jar = Jar::default();
        assert!(jar.header().is_none());
        jar.store("ASP.NET_SessionId=abc; path=/; HttpOnly");
        jar.store("other=1");
        jar.store("ASP.NET_SessionId=def; path=/");
        assert_eq!(
            jar.header().map(|h| h.expose().to_owned()),
            Some("other=1; ASP.NET_SessionId=def".to_owned())
        );
        jar.store("ASP.NET_SessionId=; expires=Thu, 01 Jan 1970 00:00:00 GMT");
        jar.store("other=; Max-Age=0");
        assert!(jar.header().is_none());
        assert!(!format!("{jar:?}").contains("abc"));
    }
}
