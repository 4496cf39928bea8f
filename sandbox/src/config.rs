//! How a sandbox is set up: where it listens, who may log in, and its timings.

use std::net::{Ipv4Addr, SocketAddr};
use std::time::Duration;

use crate::accounts::{builtin_accounts, Account};

/// Everything [`Sandbox::start`](crate::Sandbox::start) needs.
///
/// ```
/// let config = rescue_sandbox::Config {
///     pin_interval: std::time::Duration::ZERO, // no POLLRATEEXCEEDED in a load test
///     ..Default::default()
/// };
/// assert_eq!(config.accounts.len(), rescue_sandbox::builtin_accounts().len());
/// ```
#[derive(Clone, Debug)]
pub struct Config {
    /// Address to bind; port 0 picks a free port.
    pub listen: SocketAddr,
    /// The accounts the sandbox knows; see [`builtin_accounts`].
    pub accounts: Vec<Account>,
    /// Minimum time between two successful PIN requests of one technician
    /// (the vendor allows one a second); zero turns the limit off.
    pub pin_interval: Duration,
    /// A login session that sees no call for this long is gone (the vendor's 20 minutes).
    pub session_idle: Duration,
    /// Serve HTTPS with a fresh self-signed certificate for `localhost` and `127.0.0.1`.
    pub tls: bool,
    /// The sliding window in which ten login calls of one email are allowed (the vendor's
    /// three minutes); shorter in tests of a client's `LIMITREACHED` cool-down.
    pub login_window: Duration,
}

impl Default for Config {
    /// `127.0.0.1:0`, the built-in accounts, 1000 ms PIN interval, 20 minutes idle, plain
    /// HTTP, ten logins per three minutes.
    fn default() -> Self {
        Config {
            listen: SocketAddr::from((Ipv4Addr::LOCALHOST, 0)),
            accounts: builtin_accounts(),
            pin_interval: Duration::from_millis(1000),
            session_idle: Duration::from_secs(20 * 60),
            tls: false,
            login_window: crate::state::LOGIN_WINDOW,
        }
    }
}
