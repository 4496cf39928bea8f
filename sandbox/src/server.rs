//! The [`Sandbox`] handle: its own tokio runtime on a background thread, an accept loop,
//! and the transport faults (`hang`, `reset`) that must bypass normal HTTP answering.

use std::fmt;
use std::io;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::http::Request;
use axum::response::Response;
use axum::Router;
use hyper::body::Incoming;
use hyper_util::rt::TokioIo;
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio_rustls::TlsAcceptor;
use tower_service::Service as _;

use crate::accounts::Directory;
use crate::api::Service;
use crate::config::Config;
use crate::faults::{Variant, HANG_CAP};
use crate::http::{router, transport_fault, MAX_BODY};
use crate::state::{LoginAttempts, SessionRecord, State};
use crate::tls;

/// How often expired logins and stale counters are swept when nobody touches them.
const PRUNE_EVERY: Duration = Duration::from_secs(30);
/// A TLS handshake that takes longer than this is dropped.
const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(10);

/// A running sandbox. Dropping it stops the server and joins its thread.
///
/// ```
/// let sandbox = rescue_sandbox::Sandbox::start(Default::default()).unwrap();
/// assert!(sandbox.base_url().starts_with("http://127.0.0.1:"));
/// assert!(sandbox.base_url().ends_with("/API/"));
/// assert!(sandbox.sessions().is_empty());
/// ```
pub struct Sandbox {
    addr: SocketAddr,
    cert_pem: Option<String>,
    service: Arc<Service>,
    shutdown: Option<oneshot::Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl Sandbox {
    /// Binds, starts serving on a background runtime and returns once the socket listens,
    /// so requests may be sent right away.
    pub fn start(config: Config) -> io::Result<Sandbox> {
        let listener = std::net::TcpListener::bind(config.listen)?;
        listener.set_nonblocking(true)?;
        let addr = listener.local_addr()?;
        let (cert_pem, acceptor) = match config.tls {
            true => tls::self_signed().map(|(pem, acceptor)| (Some(pem), Some(acceptor)))?,
            false => (None, None),
        };
        let service = Arc::new(Service {
            accounts: Directory::new(config.accounts),
            state: State::new(
                config.pin_interval,
                config.session_idle,
                config.login_window,
            ),
        });
        let workers = std::thread::available_parallelism().map_or(2, |n| n.get().min(4));
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(workers)
            .thread_name("rescue-sandbox-worker")
            .enable_all()
            .build()?;
        let listener = {
            let _context = runtime.enter();
            TcpListener::from_std(listener)?
        };
        let (shutdown, stopped) = oneshot::channel();
        let serving = serve(listener, acceptor, service.clone(), stopped);
        let thread = std::thread::Builder::new()
            .name("rescue-sandbox".into())
            .spawn(move || {
                runtime.block_on(serving);
                // Cancels every connection task, hanging ones included.
                runtime.shutdown_timeout(Duration::from_secs(2));
            })?;
        Ok(Sandbox {
            addr,
            cert_pem,
            service,
            shutdown: Some(shutdown),
            thread: Some(thread),
        })
    }

    /// The API base URL, e.g. `http://127.0.0.1:PORT/API/` (`https://localhost:PORT/API/` with TLS).
    pub fn base_url(&self) -> String {
        format!("{}API/", self.root_url())
    }

    /// The server root, e.g. `http://127.0.0.1:PORT/`.
    pub fn root_url(&self) -> String {
        match self.cert_pem {
            Some(_) => format!("https://localhost:{}/", self.addr.port()),
            None => format!(
                "http://{}/",
                SocketAddr::new(reachable(self.addr.ip()), self.addr.port())
            ),
        }
    }

    /// Base URL of a fault or format variant: root + `fault/<kind>/API/`.
    pub fn fault_url(&self, kind: &str) -> String {
        format!("{}fault/{kind}/API/", self.root_url())
    }

    /// The address actually bound.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// PEM of the self-signed certificate when serving TLS.
    pub fn cert_pem(&self) -> Option<String> {
        self.cert_pem.clone()
    }

    /// Every recorded PIN session, oldest first (same as `GET /sandbox/sessions`).
    pub fn sessions(&self) -> Vec<SessionRecord> {
        self.service.state.sessions(&self.service.accounts)
    }

    /// How many logins succeeded (each started a session) since the start or the last
    /// [`reset`](Sandbox::reset). Failed and `LIMITREACHED` calls don't count. For tests
    /// that check how often a client logs in, e.g. once per expired session.
    ///
    /// ```
    /// use std::io::{Read, Write};
    ///
    /// let sandbox = rescue_sandbox::Sandbox::start(Default::default()).unwrap();
    /// assert_eq!(sandbox.login_count(), 0);
    /// for pwd in ["wrong", "sandbox"] {
    ///     let mut tcp = std::net::TcpStream::connect(sandbox.addr()).unwrap();
    ///     write!(tcp, "GET /API/login.aspx?email=tech@sandbox.test&pwd={pwd} HTTP/1.1\r\n\
    ///                  Host: x\r\nConnection: close\r\n\r\n").unwrap();
    ///     tcp.read_to_end(&mut Vec::new()).unwrap();
    /// }
    /// assert_eq!(sandbox.login_count(), 1);
    /// sandbox.reset();
    /// assert_eq!(sandbox.login_count(), 0);
    /// ```
    pub fn login_count(&self) -> u64 {
        self.service.state.login_count()
    }

    /// Every login call since the start or the last [`reset`](Sandbox::reset), per account
    /// email (lower-case) and answer (`OK`, `INVALID`, `LIMITREACHED`, or `HTTP 503` from the
    /// `login-503` fault): the same as `GET /sandbox/logins`. For tests that check how many
    /// logins a client sends.
    ///
    /// ```
    /// use std::io::{Read, Write};
    ///
    /// let sandbox = rescue_sandbox::Sandbox::start(Default::default()).unwrap();
    /// for pwd in ["wrong", "sandbox"] {
    ///     let mut tcp = std::net::TcpStream::connect(sandbox.addr()).unwrap();
    ///     write!(tcp, "GET /API/login.aspx?email=Tech@sandbox.test&pwd={pwd} HTTP/1.1\r\n\
    ///                  Host: x\r\nConnection: close\r\n\r\n").unwrap();
    ///     tcp.read_to_end(&mut Vec::new()).unwrap();
    /// }
    /// let logins = sandbox.login_attempts();
    /// assert_eq!(logins["tech@sandbox.test"]["OK"], 1);
    /// assert_eq!(logins["tech@sandbox.test"]["INVALID"], 1);
    /// ```
    pub fn login_attempts(&self) -> LoginAttempts {
        self.service.state.login_attempts()
    }

    /// Changes an account's password from now on, as when a technician's password is
    /// rotated (same as `POST /sandbox/password?email=…&password=…`). Sessions already
    /// logged in stay. False for an unknown email.
    pub fn set_password(&self, email: &str, password: &str) -> bool {
        self.service.set_password(email, password)
    }

    /// The `ASP.NET_SessionId` values of the login sessions the sandbox holds: for tests
    /// that check a client never shows its session cookie.
    pub fn session_cookies(&self) -> Vec<String> {
        self.service.state.session_cookies()
    }

    /// Forgets sessions, logins and rate counters (same as `POST /sandbox/reset`).
    pub fn reset(&self) {
        self.service.state.reset();
    }

    /// Ends every login session now, as 20 idle minutes would (same as `POST /sandbox/expire`).
    pub fn expire_sessions(&self) {
        self.service.state.expire_logins();
    }
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

impl fmt::Debug for Sandbox {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Sandbox")
            .field("base_url", &self.base_url())
            .finish_non_exhaustive()
    }
}

/// An address a client can connect to: a wildcard bind is reached over loopback.
fn reachable(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V4(v4) if v4.is_unspecified() => IpAddr::V4(Ipv4Addr::LOCALHOST),
        IpAddr::V6(v6) if v6.is_unspecified() => IpAddr::V6(Ipv6Addr::LOCALHOST),
        ip => ip,
    }
}

async fn serve(
    listener: TcpListener,
    acceptor: Option<TlsAcceptor>,
    service: Arc<Service>,
    mut stopped: oneshot::Receiver<()>,
) {
    let pruning = service.clone();
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(PRUNE_EVERY);
        loop {
            tick.tick().await;
            pruning.state.prune(Instant::now());
        }
    });
    let router = router(service, acceptor.is_some());
    loop {
        let stream = tokio::select! {
            _ = &mut stopped => return,
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                // Out of file descriptors and the like: back off instead of spinning.
                Err(_) => {
                    tokio::time::sleep(Duration::from_millis(10)).await;
                    continue;
                }
            },
        };
        // Answers are tiny; don't let Nagle hold them back.
        let _ = stream.set_nodelay(true);
        let router = router.clone();
        let acceptor = acceptor.clone();
        tokio::spawn(async move {
            match acceptor {
                None => serve_connection(stream, router).await,
                Some(acceptor) => {
                    if let Ok(Ok(tls)) =
                        tokio::time::timeout(HANDSHAKE_TIMEOUT, acceptor.accept(stream)).await
                    {
                        serve_connection(tls, router).await;
                    }
                }
            }
        });
    }
}

async fn serve_connection<I>(io: I, router: Router)
where
    I: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    let service = hyper::service::service_fn(move |request| answer(router.clone(), request));
    let _ = hyper::server::conn::http1::Builder::new()
        .serve_connection(TokioIo::new(io), service)
        .await;
}

/// Returned to hyper to make it drop the connection without writing any response.
#[derive(Debug)]
struct NoAnswer;

impl fmt::Display for NoAnswer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("connection dropped on purpose")
    }
}

impl std::error::Error for NoAnswer {}

async fn answer(mut router: Router, request: Request<Incoming>) -> Result<Response, NoAnswer> {
    let Some(fault) = transport_fault(request.method(), request.uri().path()) else {
        let response = router.call(request.map(Body::new)).await;
        return Ok(response.unwrap_or_else(|never| match never {}));
    };
    // Read the whole request first, as a server that is busy (not broken) would.
    let _ = axum::body::to_bytes(Body::new(request.into_body()), MAX_BODY).await;
    if fault == Variant::Hang {
        // hyper drops this future when the client goes away or the sandbox stops.
        tokio::time::sleep(HANG_CAP).await;
    }
    Err(NoAnswer)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sandbox_can_be_shared_between_test_threads() {
        fn shareable<T: Send + Sync>() {}
        shareable::<Sandbox>();
    }

    #[test]
    fn wildcard_binds_are_reached_over_loopback() {
        assert_eq!(
            reachable(IpAddr::V4(Ipv4Addr::UNSPECIFIED)),
            IpAddr::V4(Ipv4Addr::LOCALHOST)
        );
        assert_eq!(
            reachable(IpAddr::V6(Ipv6Addr::UNSPECIFIED)),
            IpAddr::V6(Ipv6Addr::LOCALHOST)
        );
    }
}
