//! ureq's resolver with a one-entry cache.

use std::time::Duration;

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
    at: std::time::Instant,
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
        let addrs = DefaultResolver::default().resolve(uri, config, timeout)?;
        *self.lock() = Some(CachedAddrs {
            scheme: scheme.to_owned(),
            authority: authority.to_owned(),
            at: std::time::Instant::now(),
            addrs: addrs.clone(),
        });
        Ok(addrs)
    }
}

impl CachingResolver {
    fn lock(&self) -> std::sync::MutexGuard<'_, Option<CachedAddrs>> {
        // The entry is replaced whole, so a poisoned lock still holds a usable value.
        self.last.lock().unwrap_or_else(|e| e.into_inner())
    }
}
