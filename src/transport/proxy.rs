//! Which proxy carries the requests, and how errors name it.

use ureq::{Proxy, ProxyProtocol};

use super::is_loopback;
use crate::error::Error;

/// A proxy the requests go through, as error messages name it.
#[derive(Debug)]
pub(super) struct ProxyInUse {
    /// `scheme://host:port`: never the credentials a proxy URL may hold.
    shown: String,
    /// The environment variable it came from; `None` for the `proxy` option.
    env_var: Option<&'static str>,
}

impl std::fmt::Display for ProxyInUse {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.env_var {
            Some(var) => write!(f, "{} (from {var})", self.shown),
            None => write!(f, "{} (from the proxy option)", self.shown),
        }
    }
}

/// The environment variables ureq reads a proxy from, in its order: the first that holds a
/// valid proxy URL wins, whatever the service's scheme.
const PROXY_ENV_VARS: [&str; 6] = [
    "ALL_PROXY",
    "all_proxy",
    "HTTPS_PROXY",
    "https_proxy",
    "HTTP_PROXY",
    "http_proxy",
];

/// The proxy for the service at `base`. An explicit one (`proxy`) is the caller's choice
/// and applies to every host. One from the environment does not apply to this machine
/// (`localhost`, 127.0.0.0/8, `::1`: a proxy would reach its own loopback, not ours), nor
/// to a host that `NO_PROXY` lists, nor when it is a SOCKS proxy (not built in: ureq
/// ignores those from the environment and connects directly).
pub(super) fn choose_proxy(
    explicit: Option<&str>,
    base: &str,
) -> Result<Option<(Proxy, ProxyInUse)>, Error> {
    if let Some(url) = explicit {
        let proxy =
            Proxy::new(url).map_err(|_| Error::invalid("proxy", "not a valid proxy URL"))?;
        if !matches!(proxy.protocol(), ProxyProtocol::Http | ProxyProtocol::Https) {
            return Err(Error::invalid(
                "proxy",
                "only http:// and https:// proxies are supported",
            ));
        }
        let via = ProxyInUse {
            shown: shown_proxy(&proxy),
            env_var: None,
        };
        return Ok(Some((proxy, via)));
    }
    let target: ureq::http::Uri = base
        .parse()
        .map_err(|_| Error::invalid("base_url", "not a valid URL"))?;
    if target.host().is_some_and(is_loopback) {
        return Ok(None);
    }
    // ureq's own reading, which also takes NO_PROXY; then which variable gave it.
    let Some(proxy) = Proxy::try_from_env() else {
        return Ok(None);
    };
    if proxy.is_no_proxy(&target)
        || !matches!(proxy.protocol(), ProxyProtocol::Http | ProxyProtocol::Https)
    {
        return Ok(None);
    }
    let env_var = PROXY_ENV_VARS.into_iter().find(|var| {
        std::env::var(var)
            .ok()
            .and_then(|value| Proxy::new(&value).ok())
            .is_some_and(|found| found.uri() == proxy.uri())
    });
    let via = ProxyInUse {
        shown: shown_proxy(&proxy),
        // Only if the environment changed in between; still never shows credentials.
        env_var: Some(env_var.unwrap_or("the environment")),
    };
    Ok(Some((proxy, via)))
}

/// `scheme://host:port` of a proxy, without its user name and password.
fn shown_proxy(proxy: &Proxy) -> String {
    let scheme = match proxy.protocol() {
        ProxyProtocol::Https => "https",
        _ => "http",
    };
    format!("{scheme}://{}:{}", proxy.host(), proxy.port())
}
