//! The client: the service's calls, the login session and its renewal.

use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use crate::cookies::Jar;
use crate::error::Error;
use crate::pin::Pin;
use crate::request::{reject_nul, PinRequest};
use crate::response::{self, Key};
use crate::secret::Secret;
use crate::status::Status;
use crate::transport::{Call, Settings, Transport};

/// The public Rescue service.
pub const DEFAULT_BASE_URL: &str = "https://secure.logmeinrescue.com/API/";

/// How requests carry their parameters. Both are documented for every method.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Method {
    /// A form body (`application/x-www-form-urlencoded`): keeps secrets out of URLs and
    /// proxy logs. The default.
    #[default]
    Post,
    /// The query string.
    Get,
}

/// Configures a [`Client`].
#[derive(Clone, Debug)]
pub struct ClientBuilder {
    base_url: String,
    timeout: Duration,
    connect_timeout: Duration,
    method: Method,
    ca_file: Option<PathBuf>,
    proxy: Option<String>,
    renew_session: bool,
    allow_plain_http: bool,
    session: Option<Arc<Mutex<Session>>>,
}

impl Default for ClientBuilder {
    fn default() -> Self {
        ClientBuilder {
            base_url: DEFAULT_BASE_URL.to_owned(),
            timeout: Duration::from_secs(30),
            connect_timeout: Duration::from_secs(10),
            method: Method::Post,
            ca_file: None,
            proxy: None,
            renew_session: true,
            allow_plain_http: false,
            session: None,
        }
    }
}

impl ClientBuilder {
    /// The service's base URL, e.g. the sandbox's `http://127.0.0.1:PORT/API/`.
    /// Default: [`DEFAULT_BASE_URL`].
    pub fn base_url(mut self, base_url: impl Into<String>) -> Self {
        self.base_url = base_url.into();
        self
    }

    /// The longest one call may take, connecting and reading included. Default: 30 s.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// The longest connecting (DNS, TCP, proxy, TLS) may take, within the overall
    /// timeout. Default: 10 s.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// POST (default) or GET.
    pub fn method(mut self, method: Method) -> Self {
        self.method = method;
        self
    }

    /// Trust the certificates in this PEM file instead of the built-in (Mozilla) roots,
    /// as curl's `--cacert` does.
    pub fn ca_file(mut self, path: impl Into<PathBuf>) -> Self {
        self.ca_file = Some(path.into());
        self
    }

    /// Send every request through this proxy (`http://host:port`, `socks5://…`).
    /// Without it, `HTTPS_PROXY`, `HTTP_PROXY`, `ALL_PROXY` and `NO_PROXY` apply.
    pub fn proxy(mut self, url: impl Into<String>) -> Self {
        self.proxy = Some(url.into());
        self
    }

    /// Whether a call answered `NOTLOGGEDIN` logs in again with the credentials of the
    /// last successful [`Client::login`] and is retried once. Default: on.
    pub fn renew_session(mut self, renew: bool) -> Self {
        self.renew_session = renew;
        self
    }

    /// Allows a plain `http://` base URL to a host other than this machine. Off by
    /// default, so that credentials never travel in clear text by accident: each call then
    /// fails with [`Error::InvalidArgument`] before sending anything. Loopback
    /// (`localhost`, `127.0.0.0/8`, `::1`) is always allowed, for the sandbox.
    pub fn allow_plain_http(mut self, allow: bool) -> Self {
        self.allow_plain_http = allow;
        self
    }

    /// Shares `client`'s session (cookies and remembered credentials) with the client
    /// built, so that changing settings doesn't log the technician out.
    pub fn session_of(mut self, client: &Client) -> Self {
        self.session = Some(Arc::clone(&client.inner.session));
        self
    }

    /// Builds the client. Fails with [`Error::InvalidArgument`] for a zero timeout, a bad
    /// base URL, proxy URL or CA file.
    pub fn build(self) -> Result<Client, Error> {
        if self.timeout.is_zero() {
            return Err(Error::invalid("timeout", "must be greater than zero"));
        }
        if let Some(proxy) = &self.proxy {
            reject_nul("proxy", proxy)?;
        }
        let transport = Transport::new(&Settings {
            base_url: &self.base_url,
            timeout: self.timeout,
            connect_timeout: self.connect_timeout,
            use_get: self.method == Method::Get,
            ca_file: self.ca_file.as_deref(),
            proxy: self.proxy.as_deref(),
            user_agent: concat!("librescue/", env!("CARGO_PKG_VERSION")),
            allow_plain_http: self.allow_plain_http,
        })?;
        Ok(Client {
            inner: Arc::new(Inner {
                transport,
                renew_session: self.renew_session,
                session: self.session.unwrap_or_default(),
                renewal: Mutex::new(()),
            }),
        })
    }
}

/// The login session: its cookies, and the credentials that renew it.
#[derive(Debug, Default)]
pub(crate) struct Session {
    jar: Jar,
    credentials: Option<Credentials>,
    /// Counts logins and logouts, so that concurrent callers that all saw `NOTLOGGEDIN`
    /// can tell that one of them has already logged in again.
    generation: u64,
}

impl Session {
    fn keep_cookies(&mut self, set_cookies: &[String]) {
        for set_cookie in set_cookies {
            self.jar.store(set_cookie);
        }
    }
}

#[derive(Clone, Debug)]
struct Credentials {
    email: Secret,
    password: Secret,
}

struct Inner {
    transport: Transport,
    renew_session: bool,
    session: Arc<Mutex<Session>>,
    /// Held while a session is renewed: one re-login for many callers.
    renewal: Mutex<()>,
}

/// A client of the Rescue API. Cheap to clone: clones share one connection pool and one
/// login session. `Send + Sync`: one client may serve many threads at once.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("renew_session", &self.inner.renew_session)
            .finish_non_exhaustive()
    }
}

impl Client {
    /// A builder with the defaults: the public service, POST, 30 s timeout.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// `login.aspx`: starts a login session, kept in the client's cookie jar. On success
    /// the credentials are remembered (zeroed on drop) to renew the session.
    pub fn login(&self, email: &str, password: &str) -> Result<(), Error> {
        reject_nul("email", email)?;
        reject_nul("password", password)?;
        self.log_in(&Credentials {
            email: Secret::new(email),
            password: Secret::new(password),
        })
    }

    /// `logout.aspx`: ends the login session and forgets the credentials. Answers
    /// [`Status::NotLoggedIn`] when there was no session.
    pub fn logout(&self) -> Result<(), Error> {
        let (result, _) = self.exchange(Call::Logout, &[]);
        let mut session = self.session();
        session.credentials = None;
        session.jar.clear();
        session.generation += 1;
        drop(session);
        response::parse(&result?, None).map(drop)
    }

    /// `requestAuthCode.aspx`: the account's secret authcode, which authenticates PIN
    /// requests without a login session. Keep it secret.
    pub fn request_auth_code(&self, email: &str, password: &str) -> Result<String, Error> {
        reject_nul("email", email)?;
        reject_nul("password", password)?;
        let (body, _) = self.exchange(
            Call::RequestAuthCode,
            &[("email", email), ("pwd", password)],
        );
        let body = body?;
        let body = zeroize::Zeroizing::new(body);
        let code = response::parse(&body, Some(Key::AuthCode))?.unwrap_or_default();
        Ok(code.to_owned())
    }

    /// `requestLensPINCode.aspx`: a PIN code for a Rescue Lens (camera) session.
    pub fn request_lens_pin(&self, request: &PinRequest) -> Result<Pin, Error> {
        self.request(Call::RequestLensPin, request)
    }

    /// `requestPINCode.aspx`: a PIN code for a desktop session.
    pub fn request_pin(&self, request: &PinRequest) -> Result<Pin, Error> {
        self.request(Call::RequestPin, request)
    }

    fn request(&self, call: Call, request: &PinRequest) -> Result<Pin, Error> {
        request.validate()?;
        let params = request.params();
        let (answer, generation) = self.exchange(call, &params);
        match answer.and_then(|body| parse_pin(&body)) {
            Err(Error::Service(Status::NotLoggedIn))
                if self.inner.renew_session
                    && !request.has_authcode()
                    && self.renew(generation)? =>
            {
                self.exchange(call, &params)
                    .0
                    .and_then(|body| parse_pin(&body))
            }
            answer => answer,
        }
    }

    /// Logs in again after `NOTLOGGEDIN`, unless another caller already did since
    /// `generation`. `Ok(false)` when there are no credentials to renew with.
    fn renew(&self, generation: u64) -> Result<bool, Error> {
        let _one_at_a_time = self.inner.renewal.lock().unwrap_or_else(|e| e.into_inner());
        let credentials = {
            let session = self.session();
            if session.generation != generation {
                return Ok(session.credentials.is_some());
            }
            session.credentials.clone()
        };
        match credentials {
            Some(credentials) => self.log_in(&credentials).map(|()| true),
            None => Ok(false),
        }
    }

    fn log_in(&self, credentials: &Credentials) -> Result<(), Error> {
        let params = [
            ("email", credentials.email.expose()),
            ("pwd", credentials.password.expose()),
        ];
        let (cookie, _) = self.cookie_header();
        let reply = self
            .inner
            .transport
            .send(Call::Login, &params, cookie.as_ref())?;
        let answer = response::parse(&reply.body, None);
        // The new session's cookie and its generation change together: a caller that
        // sent the old cookie sees the old generation, and a caller that sees the new
        // generation sends the new cookie.
        let mut session = self.session();
        session.keep_cookies(&reply.set_cookies);
        answer?;
        session.credentials = Some(credentials.clone());
        session.generation += 1;
        Ok(())
    }

    /// One exchange with the session's cookies; keeps the cookies the answer sets. Also
    /// returns the session generation that the cookies sent belong to.
    fn exchange(&self, call: Call, params: &[(&str, &str)]) -> (Result<String, Error>, u64) {
        let (cookie, generation) = self.cookie_header();
        let answer = self
            .inner
            .transport
            .send(call, params, cookie.as_ref())
            .map(|reply| {
                if !reply.set_cookies.is_empty() {
                    self.session().keep_cookies(&reply.set_cookies);
                }
                reply.body
            });
        (answer, generation)
    }

    /// The `Cookie` header to send and the generation it belongs to, read together.
    fn cookie_header(&self) -> (Option<Secret>, u64) {
        let session = self.session();
        (session.jar.header(), session.generation)
    }

    fn session(&self) -> MutexGuard<'_, Session> {
        // A panic elsewhere can't leave the session half-written, so a poisoned lock is
        // still good to use.
        self.inner.session.lock().unwrap_or_else(|e| e.into_inner())
    }
}

pub(crate) fn parse_pin(body: &str) -> Result<Pin, Error> {
    let digits = response::parse(body, Some(Key::PinCode))?.unwrap_or_default();
    Pin::parse(digits).ok_or_else(|| Error::unexpected("the PIN code is not 6 digits", body))
}
