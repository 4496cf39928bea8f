//! One HTTP exchange with the service: build the request, send it, read a capped answer.
//! The only module that knows ureq; every ureq error becomes one of our [`Error`]s here.

use std::io;
use std::path::Path;
use std::time::{Duration, Instant};

use ureq::tls::{PemItem, RootCerts, TlsConfig};
#[cfg(not(unix))]
use ureq::unversioned::transport::DefaultConnector;
use ureq::Agent;
use zeroize::Zeroizing;

use crate::error::Error;
use crate::events;
use crate::interrupt::{self, Interrupted};
use crate::response::Answer;
use crate::secret::Secret;
use crate::soap;

#[cfg(unix)]
mod connector;
#[cfg(unix)]
mod fork;
mod proxy;
mod resolver;

use proxy::{choose_proxy, ProxyInUse};
use resolver::CachingResolver;

/// The longest answer read. Real answers are a few dozen bytes; the cap keeps a hostile or
/// broken server from exhausting memory.
pub(crate) const BODY_CAP: u64 = 64 * 1024;

/// Idle keep-alive connections kept for reuse (ureq's default is 3 per host).
const MAX_IDLE_CONNECTIONS: usize = 64;

/// The longest answer head (status line and headers) accepted; a longer one is
/// `UNEXPECTED_RESPONSE`. The service's heads are a few hundred bytes.
const MAX_HEADER: usize = 8 * 1024;

/// ureq's read buffer per connection (its default: 128 KiB). It must be larger than
/// [`MAX_HEADER`]: ureq reports an oversized head only once more than the cap is buffered,
/// and a full buffer with no complete head would read as a closed connection instead.
/// Bodies stream through it, so it does not bound the 64 KiB [`BODY_CAP`].
const INPUT_BUFFER: usize = 2 * MAX_HEADER;

/// ureq's write buffer per connection (its default: 128 KiB). ureq writes a request head
/// line by line and needs its longest line to fit: the longest is a GET request line with
/// every PIN field at its limit (1,536 characters) in 4-byte UTF-8, percent-encoded (12
/// bytes each), about 18.5 KiB with the page and authcode. Bodies stream through it.
const OUTPUT_BUFFER: usize = 20 * 1024;

pub(crate) use crate::call::Call;

/// What the transport needs to know, set by the client's builder.
pub(crate) struct Settings<'a> {
    pub base_url: &'a str,
    pub timeout: Duration,
    pub connect_timeout: Duration,
    pub transport: crate::Transport,
    pub ca_file: Option<&'a Path>,
    /// Trust the system's certificate store instead of the built-in roots (no `ca_file`).
    pub system_roots: bool,
    pub proxy: Option<&'a str>,
    pub user_agent: &'a str,
    pub allow_plain_http: bool,
}

/// A completed exchange: the service's answer (to be read by the client) and its cookies.
pub(crate) struct Reply {
    pub answer: Answer,
    pub set_cookies: Vec<String>,
}

pub(crate) struct Transport {
    /// ureq's agent holds the connection pool. On Unix it is one per process: a forked
    /// child makes its own on its first call and drops the inherited one, which closes its
    /// copies of the pooled sockets and nothing more (ureq only shuts sockets down in
    /// `Agent::shutdown`, never called here; dropping a rustls connection sends no
    /// close_notify), so the parent's connections stay intact.
    #[cfg(unix)]
    agents: fork::PerProcess<Agent>,
    #[cfg(not(unix))]
    agent: Agent,
    /// What a forked child builds its agent from.
    #[cfg(unix)]
    config: ureq::config::Config,
    /// The URL of each [`Call`], in [`Call::ALL`] order, built once.
    urls: Vec<String>,
    /// `<base>API.asmx`, for the SOAP transports.
    soap_url: String,
    transport: crate::Transport,
    /// Credentials must not travel in clear text by accident: plain `http://` off this
    /// machine is refused at each call (not when built, so that C callers can still allow
    /// it with a setter after `rescue_client_new`).
    refuse_clear_text: bool,
    /// `scheme://host:port` of the service, for error messages (never a path or query).
    origin: String,
    /// A cap on connecting, inside each exchange's share of the call's deadline.
    connect_timeout: Duration,
    /// The proxy the requests go through, if any, for error messages.
    proxy: Option<ProxyInUse>,
}

impl Transport {
    pub(crate) fn new(settings: &Settings<'_>) -> Result<Self, Error> {
        let BaseUrl {
            base,
            origin,
            clear_text_off_machine,
        } = check_base_url(settings.base_url)?;
        let mut config = Agent::config_builder()
            .http_status_as_error(false)
            // A redirect could carry credentials to another host; the service doesn't
            // redirect its API pages, so a 3xx is reported as an HTTP status instead.
            .max_redirects(0)
            .max_redirects_will_error(false)
            // One idle connection per thread of a busy shared client: with ureq's default
            // (3 per host) an 8-thread client reconnected on ~13% of its calls.
            .max_idle_connections(MAX_IDLE_CONNECTIONS)
            .max_idle_connections_per_host(MAX_IDLE_CONNECTIONS)
            .user_agent(settings.user_agent)
            // Agent-wide only: a request whose buffer sizes differ from the agent's would
            // not use the pool (ureq's `Config::can_share_pool_with`).
            .input_buffer_size(INPUT_BUFFER)
            .output_buffer_size(OUTPUT_BUFFER)
            .max_response_header_size(MAX_HEADER)
            .timeout_global(Some(settings.timeout))
            .timeout_connect(Some(settings.connect_timeout.min(settings.timeout)))
            .tls_config(tls_config(settings.ca_file, settings.system_roots)?);
        // Always set: ureq's default would take the environment's proxy for every host.
        let (proxy, via) = match choose_proxy(settings.proxy, &base)? {
            Some((proxy, via)) => (Some(proxy), Some(via)),
            None => (None, None),
        };
        config = config.proxy(proxy);
        let config = config.build();

        Ok(Transport {
            #[cfg(unix)]
            agents: fork::PerProcess::new(new_agent(config.clone())),
            #[cfg(unix)]
            config,
            #[cfg(not(unix))]
            agent: new_agent(config),
            urls: Call::ALL
                .iter()
                .map(|call| format!("{base}{}", call.page()))
                .collect(),
            soap_url: format!("{base}{}", soap::ENDPOINT),
            transport: settings.transport,
            refuse_clear_text: clear_text_off_machine && !settings.allow_plain_http,
            origin,
            connect_timeout: settings.connect_timeout,
            proxy: via,
        })
    }

    /// Sends `call` with `params` and the session's `cookie` header, within what is left
    /// until `deadline` (the whole public call's); returns the answer of an HTTP 200, or
    /// the error. Logs the exchange (target `rescue`): never a URL, a value or a cookie.
    pub(crate) fn send(
        &self,
        call: Call,
        params: &[(&str, &str)],
        cookie: Option<&Secret>,
        deadline: Instant,
    ) -> Result<Reply, Error> {
        let what = events::Exchange::new(call, self.transport, &self.origin);
        what.sent(params, self.proxy.is_some());
        let started = Instant::now();
        let reply = self
            .send_once(call, params, cookie, deadline)
            .map_err(|error| {
                // However ureq wrapped it: the caller's interrupt check stopped the exchange.
                if interrupt::fired() {
                    Interrupted.into()
                } else {
                    error
                }
            });
        match &reply {
            Ok(reply) => what.answered(&reply.answer, started.elapsed()),
            Err(error) => what.failed(error, started.elapsed()),
        }
        reply
    }

    fn send_once(
        &self,
        call: Call,
        params: &[(&str, &str)],
        cookie: Option<&Secret>,
        deadline: Instant,
    ) -> Result<Reply, Error> {
        if self.refuse_clear_text {
            return Err(Error::invalid(
                "base_url",
                "plain http:// to another machine would send credentials in clear text; \
                 use https://, or allow plain HTTP explicitly",
            ));
        }
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(self.out_of_time());
        }
        let timeouts = (left, self.connect_timeout);
        let result = match self.transport.soap() {
            None if self.transport == crate::Transport::HttpGet => {
                let url = &self.urls[call as usize];
                prepare(self.agent().get(url), timeouts, cookie)
                    .query_pairs(params.iter().copied())
                    .call()
            }
            None => {
                // The form is built here rather than by ureq so that the buffer holding the
                // password or authcode is zeroed once sent.
                let body = Zeroizing::new(
                    form_urlencoded::Serializer::new(String::new())
                        .extend_pairs(params.iter().copied())
                        .finish(),
                );
                prepare(
                    self.agent().post(&self.urls[call as usize]),
                    timeouts,
                    cookie,
                )
                .content_type("application/x-www-form-urlencoded")
                .send(body.as_bytes())
            }
            Some(version) => {
                let envelope = soap::envelope(version, call, params)?;
                let mut request = prepare(self.agent().post(&self.soap_url), timeouts, cookie)
                    .content_type(version.content_type());
                if version == soap::Version::V11 {
                    request = request.header("soapaction", soap::soap_action(call)?);
                }
                request.send(envelope.as_bytes())
            }
        };
        let mut response = result.map_err(|e| self.map_error(e))?;
        let status = response.status().as_u16();
        // ASMX answers a fault with HTTP 500 and the fault in the body.
        let soap_fault_possible = self.transport.soap().is_some() && status == 500;
        if status != 200 && !soap_fault_possible {
            return Err(Error::HttpStatus(status));
        }
        let set_cookies = response
            .headers()
            .get_all("set-cookie")
            .iter()
            .filter_map(|value| value.to_str().ok().map(str::to_owned))
            .collect();
        let bytes = response
            .body_mut()
            .with_config()
            .limit(BODY_CAP)
            .read_to_vec()
            .map_err(|e| self.map_error(e))?;
        let body = Zeroizing::new(decode_body(bytes)?);
        let answer = match self.transport.soap() {
            None => Answer::Text(body),
            Some(version) => match soap::read(version, call, &body) {
                Ok(soap::Body::Response(answer)) if status == 200 => Answer::Soap(answer, body),
                Ok(soap::Body::Fault(fault)) => {
                    return Err(Error::SoapFault {
                        code: fault.code,
                        text: fault.text,
                    })
                }
                // A 500 without a readable fault is just an HTTP error.
                _ if status != 200 => return Err(Error::HttpStatus(status)),
                Ok(soap::Body::Response(_)) => unreachable!("status is 200 here"),
                Err(error) => return Err(error),
            },
        };
        Ok(Reply {
            answer,
            set_cookies,
        })
    }

    /// This process's agent.
    #[cfg(unix)]
    fn agent(&self) -> &Agent {
        self.agents.get(|| new_agent(self.config.clone()))
    }

    #[cfg(not(unix))]
    fn agent(&self) -> &Agent {
        &self.agent
    }

    /// The call's deadline passed before this exchange could start.
    pub(crate) fn out_of_time(&self) -> Error {
        Error::Timeout(format!(
            "the call's timeout ran out before {} could answer",
            self.origin
        ))
    }

    /// Turns a ureq error into ours. Messages name the origin, never the URL: a GET URL
    /// holds the parameters, secrets included. Through a proxy, they also name the proxy
    /// and where it was configured; failures to reach it are told as the proxy's.
    fn map_error(&self, error: ureq::Error) -> Error {
        let Some(proxy) = &self.proxy else {
            return self.map_direct(error);
        };
        let origin = &self.origin;
        match error {
            // The proxy resolves the service's name: a name not found is the proxy's.
            ureq::Error::HostNotFound => {
                Error::Network(format!("could not resolve the proxy {proxy}"))
            }
            ureq::Error::ConnectionFailed => {
                Error::Network(format!("could not connect to the proxy {proxy}"))
            }
            ureq::Error::Io(io) if is_connect_failure(&io) => {
                Error::Network(format!("could not connect to the proxy {proxy}: {io}"))
            }
            ureq::Error::ConnectProxyFailed(why) => Error::Network(format!(
                "the proxy {proxy} could not open a tunnel to {origin}: {why}"
            )),
            ureq::Error::Timeout(which @ (ureq::Timeout::Resolve | ureq::Timeout::Connect)) => {
                Error::Timeout(format!(
                    "could not connect to {origin} through the proxy {proxy} in time ({which})"
                ))
            }
            other => match self.map_direct(other) {
                Error::Network(text) => {
                    Error::Network(format!("{text} (through the proxy {proxy})"))
                }
                Error::Timeout(text) => {
                    Error::Timeout(format!("{text} (through the proxy {proxy})"))
                }
                Error::Tls(text) => Error::Tls(format!("{text} (through the proxy {proxy})")),
                Error::UnexpectedResponse(text) => {
                    Error::UnexpectedResponse(format!("{text} (through the proxy {proxy})"))
                }
                unchanged => unchanged,
            },
        }
    }

    /// [`Self::map_error`] for a direct connection, or the service's part of a proxied one.
    fn map_direct(&self, error: ureq::Error) -> Error {
        let origin = &self.origin;
        match error {
            ureq::Error::Timeout(which) => {
                Error::Timeout(format!("{origin} did not answer in time ({which})"))
            }
            ureq::Error::HostNotFound => Error::Network(format!("could not resolve {origin}")),
            ureq::Error::ConnectionFailed => {
                Error::Network(format!("could not connect to {origin}"))
            }
            ureq::Error::Io(io) => self.map_io(io),
            ureq::Error::Tls(what) => Error::Tls(format!("{origin}: {what}")),
            ureq::Error::Rustls(e) => Error::Tls(format!("{origin}: {e}")),
            ureq::Error::Pem(_) => Error::Tls(format!("{origin}: bad PEM data")),
            ureq::Error::BodyExceedsLimit(_) => Error::UnexpectedResponse(format!(
                "the answer from {origin} is longer than {BODY_CAP} bytes"
            )),
            ureq::Error::StatusCode(code) => Error::HttpStatus(code),
            ureq::Error::Protocol(e) => {
                Error::UnexpectedResponse(format!("{origin} did not answer valid HTTP: {e}"))
            }
            ureq::Error::LargeResponseHeader(_, _) => Error::UnexpectedResponse(format!(
                "{origin} answered HTTP headers longer than {MAX_HEADER} bytes"
            )),
            ureq::Error::ConnectProxyFailed(why) => {
                Error::Network(format!("the proxy refused to connect to {origin}: {why}"))
            }
            ureq::Error::InvalidProxyUrl => Error::invalid("proxy", "not a valid proxy URL"),
            ureq::Error::BadUri(_) => Error::invalid("base_url", "not a valid URL"),
            // The remaining errors carry no URL, so their text is safe to show.
            other => Error::Network(format!("{origin}: {other}")),
        }
    }

    fn map_io(&self, io: io::Error) -> Error {
        let origin = &self.origin;
        if let Some(tls) = io.get_ref().and_then(|e| e.downcast_ref::<rustls::Error>()) {
            return Error::Tls(format!("{origin}: {tls}"));
        }
        match io.kind() {
            io::ErrorKind::TimedOut | io::ErrorKind::WouldBlock => {
                Error::Timeout(format!("{origin} did not answer in time"))
            }
            io::ErrorKind::UnexpectedEof => {
                Error::Network(format!("{origin} closed the connection without an answer"))
            }
            _ => Error::Network(format!("{origin}: {io}")),
        }
    }
}

/// An agent with an empty pool and a fresh resolver cache.
fn new_agent(config: ureq::config::Config) -> Agent {
    #[cfg(unix)]
    let connector = connector::lean();
    // The lean TCP layer's liveness probe is POSIX (`MSG_DONTWAIT`).
    #[cfg(not(unix))]
    let connector = DefaultConnector::new();
    Agent::with_parts(config, connector, CachingResolver::default())
}

/// Gives `request` what is left of the call's deadline and the session's cookie.
fn prepare<B>(
    request: ureq::RequestBuilder<B>,
    (left, connect_timeout): (Duration, Duration),
    cookie: Option<&Secret>,
) -> ureq::RequestBuilder<B> {
    let mut request = request
        .config()
        .timeout_global(Some(left))
        .timeout_connect(Some(connect_timeout.min(left)))
        .build();
    if let Some(cookie) = cookie {
        request = request.header("cookie", cookie.expose());
    }
    request
}

/// An I/O error of connecting (to the proxy, when there is one), not of an open connection.
fn is_connect_failure(io: &io::Error) -> bool {
    matches!(
        io.kind(),
        io::ErrorKind::ConnectionRefused
            | io::ErrorKind::AddrNotAvailable
            | io::ErrorKind::HostUnreachable
            | io::ErrorKind::NetworkUnreachable
            | io::ErrorKind::NetworkDown
    )
}

/// The answer's text: it must be UTF-8 (the service's charset is not documented).
pub(crate) fn decode_body(bytes: Vec<u8>) -> Result<String, Error> {
    String::from_utf8(bytes)
        .map_err(|e| Error::unexpected("not UTF-8", &String::from_utf8_lossy(e.as_bytes())))
}

/// A checked base URL.
struct BaseUrl {
    /// With a trailing `/`.
    base: String,
    /// `scheme://host:port`.
    origin: String,
    /// Plain `http://` to a host other than this machine.
    clear_text_off_machine: bool,
}

/// Checks the base URL.
fn check_base_url(base_url: &str) -> Result<BaseUrl, Error> {
    let bad = |reason: &str| Error::invalid("base_url", reason.to_owned());
    if base_url.contains('\0') {
        return Err(bad("contains a NUL byte"));
    }
    let uri: ureq::http::Uri = base_url.parse().map_err(|_| bad("not a valid URL"))?;
    let scheme = uri.scheme_str().ok_or_else(|| bad("has no scheme"))?;
    if scheme != "http" && scheme != "https" {
        return Err(bad("the scheme must be http or https"));
    }
    let authority = uri.authority().ok_or_else(|| bad("has no host"))?;
    if authority.as_str().contains('@') {
        return Err(bad("must not hold user information"));
    }
    if uri.query().is_some() {
        return Err(bad("must not have a query"));
    }
    let mut base = base_url.to_owned();
    if !base.ends_with('/') {
        base.push('/');
    }
    Ok(BaseUrl {
        base,
        origin: format!("{scheme}://{authority}"),
        clear_text_off_machine: scheme == "http" && !is_loopback(authority.host()),
    })
}

/// `localhost`, 127.0.0.0/8 or `::1`.
fn is_loopback(host: &str) -> bool {
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    bare.eq_ignore_ascii_case("localhost")
        || bare
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

fn tls_config(ca_file: Option<&Path>, system_roots: bool) -> Result<TlsConfig, Error> {
    let builder = TlsConfig::builder();
    let Some(path) = ca_file else {
        // rustls-platform-verifier: the Windows store, the macOS keychain, or the system
        // bundle on Linux (SSL_CERT_FILE and SSL_CERT_DIR apply there).
        let roots = if system_roots {
            RootCerts::PlatformVerifier
        } else {
            RootCerts::WebPki
        };
        return Ok(builder.root_certs(roots).build());
    };
    let bad = |reason: String| Error::invalid("ca_file", reason);
    let pem =
        std::fs::read(path).map_err(|e| bad(format!("cannot read {}: {e}", path.display())))?;
    let mut certs = Vec::new();
    for item in ureq::tls::parse_pem(&pem) {
        if let PemItem::Certificate(cert) =
            item.map_err(|_| bad(format!("{} is not valid PEM", path.display())))?
        {
            certs.push(cert);
        }
    }
    if certs.is_empty() {
        return Err(bad(format!("{} holds no certificate", path.display())));
    }
    Ok(builder
        .root_certs(RootCerts::new_with_certs(&certs))
        .build())
}

#[cfg(test)]
mod tests {
    use super::check_base_url;

    #[test]
    fn base_urls() {
        let checked = check_base_url("https://secure.logmeinrescue.com/API").unwrap();
        assert_eq!(checked.base, "https://secure.logmeinrescue.com/API/");
        assert_eq!(checked.origin, "https://secure.logmeinrescue.com");
        assert!(!checked.clear_text_off_machine);
        for bad in [
            "",
            "ftp://x/API/",
            "/API/",
            "http://u:p@host/API/",
            "http://h/API/?a=1",
            "http://h\0/",
        ] {
            assert!(check_base_url(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn plain_http_off_this_machine_is_flagged() {
        for local in [
            "http://127.0.0.1:8080/API/",
            "http://127.1.2.3/API/",
            "http://localhost/API/",
            "http://[::1]:80/API/",
        ] {
            assert!(
                !check_base_url(local).unwrap().clear_text_off_machine,
                "{local}"
            );
        }
        for remote in [
            "http://secure.logmeinrescue.com/API/",
            "http://10.0.0.1/API/",
            "http://localhost.example/API/",
        ] {
            assert!(
                check_base_url(remote).unwrap().clear_text_off_machine,
                "{remote}"
            );
        }
    }
}
