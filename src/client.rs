//! The client: the service's calls, the login session and its renewal.

use std::path::PathBuf;
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use crate::cookies::Jar;
use crate::encoding::Transport;
use crate::error::Error;
use crate::events::TARGET;
use crate::interrupt;
use crate::invitation::{LensInvitation, LensPin};
use crate::pin::Pin;
use crate::renewal::{Renewal, Verdict, DEFAULT_LIMIT_COOLDOWN};
use crate::request::{reject_nul, PinRequest};
use crate::response::{Answer, Key};
use crate::secret::Secret;
use crate::status::Status;
use crate::transport::{self as wire, Call, Settings};

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
    transport: Transport,
    ca_file: Option<PathBuf>,
    system_roots: bool,
    proxy: Option<String>,
    renew_session: bool,
    login_limit_cooldown: Duration,
    allow_plain_http: bool,
    session: Option<Arc<SharedSession>>,
}

impl Default for ClientBuilder {
    fn default() -> Self {
        ClientBuilder {
            base_url: DEFAULT_BASE_URL.to_owned(),
            timeout: Duration::from_secs(30),
            connect_timeout: Duration::from_secs(10),
            transport: Transport::HttpPost,
            ca_file: None,
            system_roots: false,
            proxy: None,
            renew_session: true,
            login_limit_cooldown: DEFAULT_LIMIT_COOLDOWN,
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

    /// The longest one call may take: the whole call, a session renewal and its retry
    /// included, connecting and reading too. Default: 30 s.
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

    /// POST (default) or GET: the `.aspx` pages with a form or a query string. The same as
    /// [`transport`](Self::transport) with [`Transport::HttpPost`] or [`Transport::HttpGet`].
    pub fn method(mut self, method: Method) -> Self {
        self.transport = method.into();
        self
    }

    /// How calls travel: HTTP POST (default), HTTP GET, SOAP 1.1 or SOAP 1.2 (`API.asmx`
    /// under the same base URL). Every call, session renewal and the clear-text refusal
    /// work the same over each.
    pub fn transport(mut self, transport: Transport) -> Self {
        self.transport = transport;
        self
    }

    /// Trust the certificates in this PEM file instead of the built-in (Mozilla) roots,
    /// as curl's `--cacert` does.
    pub fn ca_file(mut self, path: impl Into<PathBuf>) -> Self {
        self.ca_file = Some(path.into());
        self
    }

    /// Trust the system's certificate store instead of the built-in (Mozilla) roots: the
    /// Windows store, the macOS keychain, or the Linux system bundle (`SSL_CERT_FILE` and
    /// `SSL_CERT_DIR` apply), for networks that re-sign TLS with their own root. Off by
    /// default; a [`ca_file`](Self::ca_file), when set, is trusted instead of either.
    pub fn system_roots(mut self, use_system: bool) -> Self {
        self.system_roots = use_system;
        self
    }

    /// Send every request, to any host, through this proxy (`http://host:port` or
    /// `https://…`; SOCKS is not built in). Without it, `HTTPS_PROXY`, `HTTP_PROXY`,
    /// `ALL_PROXY` and `NO_PROXY` apply, never to loopback.
    pub fn proxy(mut self, url: impl Into<String>) -> Self {
        self.proxy = Some(url.into());
        self
    }

    /// Whether a call answered `NOTLOGGEDIN` logs in again with the credentials of the
    /// last successful [`Client::login`] and is retried once. Default: on. Concurrent
    /// callers share one renewal; see [`login_limit_cooldown`](Self::login_limit_cooldown)
    /// for what follows a failed one.
    pub fn renew_session(mut self, renew: bool) -> Self {
        self.renew_session = renew;
        self
    }

    /// How long no renewal login is sent after one answered `LIMITREACHED` (calls that
    /// need one fail at once with `LIMITREACHED` meanwhile). Default: three minutes, the
    /// service's window for ten logins; shorter only for tests against a sandbox.
    pub fn login_limit_cooldown(mut self, cooldown: Duration) -> Self {
        self.login_limit_cooldown = cooldown;
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
        // Shares the renewal state too: one renewal for all the clients of a session.
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
        let transport = wire::Transport::new(&Settings {
            base_url: &self.base_url,
            timeout: self.timeout,
            connect_timeout: self.connect_timeout,
            transport: self.transport,
            ca_file: self.ca_file.as_deref(),
            system_roots: self.system_roots,
            proxy: self.proxy.as_deref(),
            user_agent: concat!("librescue/", env!("CARGO_PKG_VERSION")),
            allow_plain_http: self.allow_plain_http,
        })?;
        Ok(Client {
            inner: Arc::new(Inner {
                transport,
                renew_session: self.renew_session,
                timeout: self.timeout,
                login_limit_cooldown: self.login_limit_cooldown,
                session: self.session.unwrap_or_default(),
            }),
        })
    }
}

/// A login session and the signal that its renewal ended, shared by the clients of
/// [`ClientBuilder::session_of`].
#[derive(Debug, Default)]
pub(crate) struct SharedSession {
    state: Mutex<Session>,
    /// Notified when a renewal ends, whatever its outcome.
    renewal_ended: Condvar,
}

/// The login session: its cookies, and the credentials that renew it.
#[derive(Debug, Default)]
pub(crate) struct Session {
    jar: Jar,
    credentials: Option<Credentials>,
    /// Counts logins and logouts, so that concurrent callers that all saw `NOTLOGGEDIN`
    /// can tell that one of them has already logged in again.
    generation: u64,
    renewal: Renewal,
}

impl Session {
    fn keep_cookies(&mut self, set_cookies: &[String]) {
        for set_cookie in set_cookies {
            self.jar.store(set_cookie);
        }
    }

    /// A login succeeded: a new session with these credentials, nothing failed.
    fn logged_in(&mut self, credentials: Credentials) {
        // The new session's cookie and its generation change together: a caller that
        // sent the old cookie sees the old generation, and a caller that sees the new
        // generation sends the new cookie.
        self.credentials = Some(credentials);
        self.generation += 1;
        self.renewal.reset();
    }
}

#[derive(Clone, Debug)]
struct Credentials {
    email: Secret,
    password: Secret,
}

struct Inner {
    transport: wire::Transport,
    renew_session: bool,
    /// Each public call's deadline is this far from its start.
    timeout: Duration,
    login_limit_cooldown: Duration,
    session: Arc<SharedSession>,
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
    ///
    /// An explicit login is always sent, and forgets what failed renewals left behind
    /// (dropped credentials, a `LIMITREACHED` cool-down, a back-off).
    pub fn login(&self, email: &str, password: &str) -> Result<(), Error> {
        let deadline = self.deadline();
        reject_nul("email", email)?;
        reject_nul("password", password)?;
        self.session().renewal.reset();
        let credentials = Credentials {
            email: Secret::new(email),
            password: Secret::new(password),
        };
        let reply = self.send_login(&credentials, deadline)?;
        let mut session = self.session();
        session.keep_cookies(&reply.set_cookies);
        reply.answer.read(None)?;
        session.logged_in(credentials);
        // Never log under the session's lock: a log handler may call this client.
        drop(session);
        log::info!(target: TARGET, "logged in; a new login session started");
        Ok(())
    }

    /// `logout.aspx`: ends the login session and forgets the credentials. Answers
    /// [`Status::NotLoggedIn`] when there was no session.
    pub fn logout(&self) -> Result<(), Error> {
        let deadline = self.deadline();
        let (result, _) = self.exchange(Call::Logout, &[], deadline);
        let mut session = self.session();
        session.credentials = None;
        session.jar.clear();
        session.generation += 1;
        session.renewal.reset();
        drop(session);
        self.inner.session.renewal_ended.notify_all();
        log::info!(target: TARGET, "logged out; the stored credentials are forgotten");
        result?.read(None).map(drop)
    }

    /// `requestAuthCode.aspx`: the account's secret authcode, which authenticates PIN
    /// requests without a login session. Keep it secret.
    pub fn request_auth_code(&self, email: &str, password: &str) -> Result<String, Error> {
        let deadline = self.deadline();
        reject_nul("email", email)?;
        reject_nul("password", password)?;
        let (body, _) = self.exchange(
            Call::RequestAuthCode,
            &[("email", email), ("pwd", password)],
            deadline,
        );
        let answer = body?;
        let code = answer.read(Some(Key::AuthCode))?.unwrap_or_default();
        Ok(code.into_owned())
    }

    /// `requestLensPINCode.aspx`: a PIN code for a Rescue Lens (camera) session.
    pub fn request_lens_pin(&self, request: &PinRequest) -> Result<Pin, Error> {
        self.request(Call::RequestLensPin, request)
    }

    /// `requestPINCode.aspx`: a PIN code for a desktop session.
    pub fn request_pin(&self, request: &PinRequest) -> Result<Pin, Error> {
        self.request(Call::RequestPin, request)
    }

    /// `requestLensPINCode` with an invitation: `_v3` when it has a phone number or a
    /// language (the service texts the PIN and its join link to the customer), `_v4` when it
    /// names a technician (`NodeId`), the plain v1 page when it is empty. Over SOAP,
    /// `requestLensPINCodeV3`; a NodeId is refused there ([`Error::InvalidArgument`]): no
    /// documented operation takes one. The answer's SMS result is returned as it came; an
    /// SMS that failed is not an error (the PIN exists).
    ///
    /// ```no_run
    /// use rescue::{Client, LensInvitation, PinRequest};
    ///
    /// let client = Client::builder().build()?;
    /// client.login("tech@example.com", "secret")?;
    /// let invitation = LensInvitation::new().phone_number("+1 555 0100").lang_code("en");
    /// let lens = client.request_lens_pin_invite(&PinRequest::new(), &invitation)?;
    /// println!("PIN {} (SMS: {:?})", lens.pin(), lens.sms_result());
    /// # Ok::<(), rescue::Error>(())
    /// ```
    pub fn request_lens_pin_invite(
        &self,
        request: &PinRequest,
        invitation: &LensInvitation,
    ) -> Result<LensPin, Error> {
        let deadline = self.deadline();
        invitation.validate()?;
        let mut params = request.params();
        params.extend(invitation.params());
        self.request_with(invitation.call(), request, &params, deadline, |answer| {
            Ok(LensPin::new(parse_pin(answer)?, answer.sms_result()))
        })
    }

    fn request(&self, call: Call, request: &PinRequest) -> Result<Pin, Error> {
        let deadline = self.deadline();
        self.request_with(call, request, &request.params(), deadline, parse_pin)
    }

    /// A PIN request: `params` (those of `request` and more) to `call`, its answer read by
    /// `read`; renews the session once after `NOTLOGGEDIN`.
    fn request_with<T>(
        &self,
        call: Call,
        request: &PinRequest,
        params: &[(&str, &str)],
        deadline: Instant,
        read: impl Fn(&Answer) -> Result<T, Error>,
    ) -> Result<T, Error> {
        request.validate()?;
        let renews = self.inner.renew_session && !request.has_authcode();
        if renews {
            // While a cool-down or back-off runs, the ended session is known: no traffic.
            let session = self.session();
            if let Some(error) = session
                .renewal
                .cooling_down(session.generation, Instant::now())
            {
                return Err(error);
            }
        }
        let (answer, generation) = self.exchange(call, params, deadline);
        match answer.and_then(|answer| read(&answer)) {
            Err(Error::Service(Status::NotLoggedIn))
                if renews && self.renew(generation, deadline)? =>
            {
                log::debug!(target: TARGET, "retrying the request in the renewed session");
                self.exchange(call, params, deadline)
                    .0
                    .and_then(|answer| read(&answer))
            }
            answer => answer,
        }
    }

    /// Renews session `generation`, which answered `NOTLOGGEDIN`: logs in again, or waits
    /// for the caller that does and takes its outcome. `Ok(true)`: retry the call;
    /// `Ok(false)`: there are no credentials to renew with.
    fn renew(&self, generation: u64, deadline: Instant) -> Result<bool, Error> {
        let shared = &self.inner.session;
        let mut session = self.session();
        let mut waited = false;
        loop {
            if session.generation != generation {
                // Another caller (or the application) logged in or out meanwhile.
                return Ok(session.credentials.is_some());
            }
            // After INVALID the credentials are gone: the renewal's waiters share its
            // error, later callers just see that there is no session.
            if session.credentials.is_none() && !waited {
                return Ok(false);
            }
            if let Some(error) = session.renewal.refusal(generation, Instant::now()) {
                return Err(error);
            }
            if session.credentials.is_none() {
                return Ok(false);
            }
            if !session.renewal.in_flight() {
                break;
            }
            if !waited {
                waited = true;
                drop(session);
                log::debug!(target: TARGET, "waiting for another caller's session renewal");
                session = self.session();
                continue;
            }
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return Err(self.inner.transport.out_of_time());
            }
            // An armed call (interrupt.rs) wakes every slice to run its check.
            let slice = interrupt::slice(Some(left)).unwrap_or(left);
            let (guard, waited_out) = shared
                .renewal_ended
                .wait_timeout(session, slice)
                .unwrap_or_else(|e| e.into_inner());
            session = guard;
            if waited_out.timed_out() {
                drop(session);
                interrupt::check()?;
                session = self.session();
            }
        }
        let Some(credentials) = session.credentials.clone() else {
            return Ok(false);
        };
        session.renewal.set_in_flight(true);
        drop(session);
        log::info!(target: TARGET, "the session ended (NOTLOGGEDIN); renewing it with the stored credentials");
        let in_flight = InFlight(shared);
        let reply = self.send_login(&credentials, deadline);
        let mut session = self.session();
        let outcome = reply.and_then(|reply| {
            session.keep_cookies(&reply.set_cookies);
            reply.answer.read(None).map(drop)
        });
        let result = match outcome {
            Ok(()) => {
                session.logged_in(credentials);
                Ok(true)
            }
            // Cut short by this call's deadline (or its caller's interrupt check, which
            // ends it as a timeout): as if not tried, so the next call renews.
            Err(error @ Error::Timeout(_)) => Err(error),
            // The application logged in or out meanwhile; this outcome is stale.
            Err(error) if session.generation != generation => Err(error),
            Err(error) => {
                let cooldown = self.inner.login_limit_cooldown;
                let (error, verdict) =
                    session
                        .renewal
                        .failed(generation, error, cooldown, Instant::now());
                if let Verdict::DropCredentials = verdict {
                    session.credentials = None;
                }
                Err(error)
            }
        };
        drop(session);
        drop(in_flight);
        match &result {
            Ok(_) => log::info!(target: TARGET, "session renewed"),
            Err(_) if interrupt::fired() => {
                log::debug!(target: TARGET, "session renewal interrupted by the caller; forgotten")
            }
            Err(error) => log::warn!(target: TARGET, "session renewal failed: {error}"),
        }
        result
    }

    /// Sends `login.aspx` with `credentials` and the session's cookies.
    fn send_login(
        &self,
        credentials: &Credentials,
        deadline: Instant,
    ) -> Result<wire::Reply, Error> {
        let params = [
            ("email", credentials.email.expose()),
            ("pwd", credentials.password.expose()),
        ];
        let (cookie, _) = self.cookie_header();
        self.inner
            .transport
            .send(Call::Login, &params, cookie.as_ref(), deadline)
    }

    /// One exchange with the session's cookies; keeps the cookies the answer sets. Also
    /// returns the session generation that the cookies sent belong to.
    fn exchange(
        &self,
        call: Call,
        params: &[(&str, &str)],
        deadline: Instant,
    ) -> (Result<Answer, Error>, u64) {
        let (cookie, generation) = self.cookie_header();
        let answer = self
            .inner
            .transport
            .send(call, params, cookie.as_ref(), deadline)
            .map(|reply| {
                if !reply.set_cookies.is_empty() {
                    self.session().keep_cookies(&reply.set_cookies);
                }
                reply.answer
            });
        (answer, generation)
    }

    /// When a public call starting now must be over.
    fn deadline(&self) -> Instant {
        let now = Instant::now();
        // A timeout too large for the clock means no practical limit.
        now.checked_add(self.inner.timeout)
            .unwrap_or_else(|| now + Duration::from_secs(365 * 24 * 3600))
    }

    /// The `Cookie` header to send and the generation it belongs to, read together.
    fn cookie_header(&self) -> (Option<Secret>, u64) {
        let session = self.session();
        (session.jar.header(), session.generation)
    }

    fn session(&self) -> MutexGuard<'_, Session> {
        self.inner.session.lock()
    }
}

impl SharedSession {
    fn lock(&self) -> MutexGuard<'_, Session> {
        // A panic elsewhere can't leave the session half-written, so a poisoned lock is
        // still good to use.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// Marks the end of a renewal even if the login panicked, so waiters never wait forever.
struct InFlight<'a>(&'a SharedSession);

impl Drop for InFlight<'_> {
    fn drop(&mut self) {
        self.0.lock().renewal.set_in_flight(false);
        self.0.renewal_ended.notify_all();
    }
}

pub(crate) fn parse_pin(answer: &Answer) -> Result<Pin, Error> {
    let digits = answer.read(Some(Key::PinCode))?.unwrap_or_default();
    Pin::parse(&digits).ok_or_else(|| Error::unexpected("the PIN code is not 6 digits", &digits))
}
