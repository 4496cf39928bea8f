//! ureq's resolver with a one-entry cache.

use std::io;
use std::net::IpAddr;
use std::sync::mpsc::{self, RecvTimeoutError};
use std::time::{Duration, Instant};

use ureq::unversioned::resolver::{DefaultResolver, ResolvedSocketAddrs, Resolver};
use ureq::unversioned::transport::NextTimeout;

/// How long a resolved address is reused: libcurl's default DNS cache time.
const DNS_CACHE_TTL: Duration = Duration::from_secs(60);

/// ureq's resolver with a one-entry cache. ureq resolves the host before it looks for a
/// pooled connection, on every call, and with a timeout set it does so on a new thread:
/// uncached, each call paid a thread spawn and a getaddrinfo() (64 µs of 115 µs CPU per
/// call on loopback; a DNS query per call against the real service). Like libcurl's DNS
/// cache, an answer is reused for a minute; failures are not cached.
#[derive(Debug, Default)]
pub(super) struct CachingResolver {
    last: std::sync::Mutex<Option<CachedAddrs>>,
}

#[derive(Debug)]
struct CachedAddrs {
    scheme: String,
    authority: String,
    at: Instant,
    addrs: ResolvedSocketAddrs,
}

impl Resolver for CachingResolver {
    fn resolve(
        &self,
        uri: &ureq::http::Uri,
        config: &ureq::config::Config,
        timeout: NextTimeout,
    ) -> Result<ResolvedSocketAddrs, ureq::Error> {
        let scheme = uri.scheme_str().unwrap_or_default();
        let authority = uri.authority().map(|a| a.as_str()).unwrap_or_default();
        let cached = |entry: &CachedAddrs| {
            entry.scheme == scheme
                && entry.authority == authority
                && entry.at.elapsed() < DNS_CACHE_TTL
        };
        if let Some(entry) = self.lock().as_ref().filter(|entry| cached(entry)) {
            return Ok(entry.addrs.clone());
        }
        let addrs = if is_ip_literal(uri) {
            // Parsed, not looked up: no thread to wait on (ureq starts one when a timeout
            // is set).
            DefaultResolver::default().resolve(uri, config, NextTimeout::default())?
        } else if crate::interrupt::armed() {
            resolve_in_slices(uri, config, timeout)?
        } else {
            DefaultResolver::default().resolve(uri, config, timeout)?
        };
        *self.lock() = Some(CachedAddrs {
            scheme: scheme.to_owned(),
            authority: authority.to_owned(),
            at: Instant::now(),
            addrs: addrs.clone(),
        });
        Ok(addrs)
    }
}

fn is_ip_literal(uri: &ureq::http::Uri) -> bool {
    uri.host().is_some_and(|host| {
        let host = host
            .strip_prefix('[')
            .and_then(|h| h.strip_suffix(']'))
            .unwrap_or(host);
        host.parse::<IpAddr>().is_ok()
    })
}

/// ureq's lookup for an armed call (`interrupt.rs`): on a thread of its own, as ureq's
/// does when a timeout is set, waited for in slices with the check run between them.
/// getaddrinfo() can't be cut short, so a lookup the call gave up on ends on its thread
/// (within the resolver's own timeouts) and its answer is dropped.
fn resolve_in_slices(
    uri: &ureq::http::Uri,
    config: &ureq::config::Config,
    timeout: NextTimeout,
) -> Result<ResolvedSocketAddrs, ureq::Error> {
    let until = (!timeout.after.is_not_happening())
        .then(|| Instant::now().checked_add(*timeout.after))
        .flatten();
    let (uri, config) = (uri.clone(), config.clone());
    let (answer, answered) = mpsc::sync_channel(1);
    std::thread::Builder::new()
        .name("rescue-dns".into())
        .spawn(move || {
            let untimed = NextTimeout::default();
            answer
                .send(DefaultResolver::default().resolve(&uri, &config, untimed))
                .ok()
        })?;
    loop {
        let left = until.map(|at| at.saturating_duration_since(Instant::now()));
        if left.is_some_and(|left| left.is_zero()) {
            return Err(ureq::Error::Timeout(timeout.reason));
        }
        let slice = crate::interrupt::slice(left).unwrap_or(crate::interrupt::SLICE);
        match answered.recv_timeout(slice) {
            Ok(addrs) => return addrs,
            Err(RecvTimeoutError::Timeout) => crate::interrupt::check()?,
            Err(RecvTimeoutError::Disconnected) => {
                return Err(ureq::Error::Io(io::Error::other(
                    "the DNS lookup's thread died",
                )))
            }
        }
    }
}

impl CachingResolver {
    fn lock(&self) -> std::sync::MutexGuard<'_, Option<CachedAddrs>> {
        // The entry is replaced whole, so a poisoned lock still holds a usable value.
        self.last.lock().unwrap_or_else(|e| e.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::is_ip_literal;

    #[test]
    fn ip_literals_are_told_from_names() {
        let literal = |url: &str| is_ip_literal(&url.parse().unwrap());
        assert!(literal("http://127.0.0.1:8080/API/"));
        assert!(literal("https://[::1]:8443/API/"));
        assert!(!literal("https://secure.logmeinrescue.com/API/"));
        assert!(!literal("http://localhost:8080/API/"));
    }
}
