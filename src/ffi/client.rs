//! `rescue_client`: creation, settings, login and logout.

use std::ffi::c_char;
use std::path::PathBuf;
use std::sync::{RwLock, RwLockReadGuard, RwLockWriteGuard};
use std::time::Duration;

use super::panic::guard;
use super::status::rescue_status;
use super::util::{opt_str_arg, str_arg};
use crate::client::{Client, ClientBuilder};
use crate::encoding::Transport;
use crate::error::Error;

// ===== impl rescue_client =====

/// A client of the Rescue API: its settings, connection pool and login session.
///
/// Created by `rescue_client_new`, owned by the caller, released with `rescue_client_free`.
/// Thread-safe: one client may be used by many threads at once, setters included; a setter
/// keeps the login session. Functions: `rescue_client_set_*`, `rescue_login`,
/// `rescue_logout`, `rescue_request_auth_code`, `rescue_request_lens_pin`,
/// `rescue_request_pin`.
pub struct rescue_client {
    state: RwLock<State>,
}

/// The settings the caller changed (`None`: the core's default) and the client they built.
struct State {
    settings: Settings,
    client: Client,
}

#[derive(Clone, Default)]
struct Settings {
    base_url: Option<String>,
    timeout: Option<Duration>,
    transport: Option<Transport>,
    ca_file: Option<PathBuf>,
    system_roots: Option<bool>,
    proxy: Option<String>,
    renew_session: Option<bool>,
    login_limit_cooldown: Option<Duration>,
    allow_plain_http: Option<bool>,
}

impl Settings {
    fn builder(&self) -> ClientBuilder {
        let mut builder = Client::builder();
        if let Some(base_url) = &self.base_url {
            builder = builder.base_url(base_url.as_str());
        }
        if let Some(timeout) = self.timeout {
            builder = builder.timeout(timeout);
        }
        if let Some(transport) = self.transport {
            builder = builder.transport(transport);
        }
        if let Some(ca_file) = &self.ca_file {
            builder = builder.ca_file(ca_file);
        }
        if let Some(system) = self.system_roots {
            builder = builder.system_roots(system);
        }
        if let Some(proxy) = &self.proxy {
            builder = builder.proxy(proxy.as_str());
        }
        if let Some(renew) = self.renew_session {
            builder = builder.renew_session(renew);
        }
        if let Some(cooldown) = self.login_limit_cooldown {
            builder = builder.login_limit_cooldown(cooldown);
        }
        if let Some(allow) = self.allow_plain_http {
            builder = builder.allow_plain_http(allow);
        }
        builder
    }
}

impl rescue_client {
    /// The current client; cloned so that no lock is held during a call, and a setter never
    /// waits for a slow request.
    pub(crate) fn current(&self) -> Client {
        self.read().client.clone()
    }

    /// Applies `change` and rebuilds with the same session; on failure nothing changes.
    fn reconfigure(&self, change: impl FnOnce(&mut Settings)) -> Result<(), Error> {
        let mut state = self.write();
        let mut settings = state.settings.clone();
        change(&mut settings);
        let client = settings.builder().session_of(&state.client).build()?;
        *state = State { settings, client };
        Ok(())
    }

    // A panic can't leave `State` half-written (it is replaced whole), so a poisoned lock
    // is still good to use.
    fn read(&self) -> RwLockReadGuard<'_, State> {
        self.state.read().unwrap_or_else(|e| e.into_inner())
    }

    fn write(&self) -> RwLockWriteGuard<'_, State> {
        self.state.write().unwrap_or_else(|e| e.into_inner())
    }
}

/// The client behind `ptr`, or an invalid argument when it is NULL.
///
/// # Safety
///
/// `ptr` is NULL or a live client from `rescue_client_new`.
pub(crate) unsafe fn client_arg<'a>(ptr: *const rescue_client) -> Result<&'a rescue_client, Error> {
    // SAFETY: forwarded to the caller.
    unsafe { ptr.as_ref() }.ok_or_else(|| Error::invalid("client", "is NULL"))
}

/// The client, email and password of `rescue_login` and `rescue_request_auth_code`.
///
/// # Safety
///
/// `client` is NULL or a live client; `email` and `password` are NULL or NUL-terminated
/// strings that live for `'a`.
pub(crate) unsafe fn credential_args<'a>(
    client: *const rescue_client,
    email: *const c_char,
    password: *const c_char,
) -> Result<(&'a rescue_client, &'a str, &'a str), Error> {
    // SAFETY: forwarded to the caller, for all three.
    unsafe {
        Ok((
            client_arg(client)?,
            str_arg(email, "email")?,
            str_arg(password, "password")?,
        ))
    }
}

/// Creates a client for the service at `base_url` (e.g. `"http://127.0.0.1:8080/API/"`);
/// NULL means the public service, `https://secure.logmeinrescue.com/API/`. Defaults: POST,
/// 30 s timeout, the built-in (Mozilla) roots, session renewal on.
///
/// On success `*out_client` receives a client the caller owns and must release with
/// `rescue_client_free`; on failure it is not written. Sends nothing.
/// Errors: `RESCUE_STATUS_INVALID_ARGUMENT` (NULL `out_client`, bad URL, not UTF-8).
///
/// # Safety
///
/// `base_url` is NULL or a NUL-terminated string; `out_client` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn rescue_client_new(
    base_url: *const c_char,
    out_client: *mut *mut rescue_client,
) -> rescue_status {
    guard(|| {
        // SAFETY: the caller's promise.
        let base_url = unsafe { opt_str_arg(base_url, "base_url") }?;
        if out_client.is_null() {
            return Err(Error::invalid("out_client", "is NULL").into());
        }
        let settings = Settings {
            base_url: base_url.map(str::to_owned),
            ..Settings::default()
        };
        let client = settings.builder().build()?;
        let state = RwLock::new(State { settings, client });
        // SAFETY: out_client is not NULL and writable by the caller's promise.
        unsafe { *out_client = Box::into_raw(Box::new(rescue_client { state })) };
        Ok(())
    })
}

/// Releases `client`: its connections and session (the session is not logged out; call
/// `rescue_logout` first to end it on the service). NULL does nothing.
///
/// # Safety
///
/// `client` is NULL or a client from `rescue_client_new` not yet freed, which no other
/// thread uses any more.
#[no_mangle]
pub unsafe extern "C" fn rescue_client_free(client: *mut rescue_client) {
    if client.is_null() {
        return;
    }
    // SAFETY: the caller hands back ownership of a pointer from Box::into_raw.
    let boxed = unsafe { Box::from_raw(client) };
    let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(move || drop(boxed)));
}

/// Sets the longest one call may take, in milliseconds (default 30000): the whole call, a
/// session renewal and its retry included, connecting and reading too. Errors: `RESCUE_STATUS_INVALID_ARGUMENT` for 0 or a NULL client.
///
/// # Safety
///
/// `client` is NULL or a live client.
#[no_mangle]
pub unsafe extern "C" fn rescue_client_set_timeout_ms(
    client: *mut rescue_client,
    timeout_ms: u32,
) -> rescue_status {
    guard(|| {
        // SAFETY: the caller's promise.
        let client = unsafe { client_arg(client) }?;
        client.reconfigure(|s| s.timeout = Some(Duration::from_millis(timeout_ms.into())))?;
        Ok(())
    })
}

/// Trusts the certificates in the PEM file `pem_path` instead of the built-in roots (as
/// curl's `--cacert`); NULL goes back to the built-in roots. The file is read now.
/// Errors: `RESCUE_STATUS_INVALID_ARGUMENT` (unreadable file, no certificate, not UTF-8).
///
/// # Safety
///
/// `client` is NULL or a live client; `pem_path` is NULL or a NUL-terminated string.
#[no_mangle]
pub unsafe extern "C" fn rescue_client_set_ca_file(
    client: *mut rescue_client,
    pem_path: *const c_char,
) -> rescue_status {
    guard(|| {
        // SAFETY: the caller's promise.
        let client = unsafe { client_arg(client) }?;
        // SAFETY: the caller's promise.
        let path = unsafe { opt_str_arg(pem_path, "pem_path") }?;
        client.reconfigure(|s| s.ca_file = path.map(PathBuf::from))?;
        Ok(())
    })
}

/// `true`: trust the system's certificate store instead of the built-in (Mozilla) roots —
/// the Windows store, the macOS keychain, or the Linux system bundle (`SSL_CERT_FILE` and
/// `SSL_CERT_DIR` apply) — for networks that re-sign TLS with their own root. `false`
/// (default): the built-in roots. A CA file (`rescue_client_set_ca_file`), when set, is
/// trusted instead of either.
///
/// # Safety
///
/// `client` is NULL or a live client.
#[no_mangle]
pub unsafe extern "C" fn rescue_client_set_system_roots(
    client: *mut rescue_client,
    use_system: bool,
) -> rescue_status {
    guard(|| {
        // SAFETY: the caller's promise.
        let client = unsafe { client_arg(client) }?;
        client.reconfigure(|s| s.system_roots = Some(use_system))?;
        Ok(())
    })
}

/// Sends every request, to any host, through the proxy `proxy_url` (`http://host:port` or
/// `https://…`; SOCKS is not built in); NULL removes it, so that `HTTPS_PROXY`, `HTTP_PROXY`,
/// `ALL_PROXY` and `NO_PROXY` apply (never to loopback).
/// Errors: `RESCUE_STATUS_INVALID_ARGUMENT` (not a proxy URL, not UTF-8).
///
/// # Safety
///
/// `client` is NULL or a live client; `proxy_url` is NULL or a NUL-terminated string.
#[no_mangle]
pub unsafe extern "C" fn rescue_client_set_proxy(
    client: *mut rescue_client,
    proxy_url: *const c_char,
) -> rescue_status {
    guard(|| {
        // SAFETY: the caller's promise.
        let client = unsafe { client_arg(client) }?;
        // SAFETY: the caller's promise.
        let proxy = unsafe { opt_str_arg(proxy_url, "proxy_url") }?;
        client.reconfigure(|s| s.proxy = proxy.map(str::to_owned))?;
        Ok(())
    })
}

/// `true`: send parameters in the query string (GET); `false` (default): as a form (POST),
/// which keeps secrets out of URLs and proxy logs. The same as `rescue_client_set_transport`
/// with `RESCUE_TRANSPORT_HTTP_GET` or `RESCUE_TRANSPORT_HTTP_POST`.
///
/// # Safety
///
/// `client` is NULL or a live client.
#[no_mangle]
pub unsafe extern "C" fn rescue_client_set_use_get(
    client: *mut rescue_client,
    use_get: bool,
) -> rescue_status {
    guard(|| {
        // SAFETY: the caller's promise.
        let client = unsafe { client_arg(client) }?;
        let transport = if use_get {
            Transport::HttpGet
        } else {
            Transport::HttpPost
        };
        client.reconfigure(|s| s.transport = Some(transport))?;
        Ok(())
    })
}

/// How calls travel, one of the `rescue_transport_code` values: `RESCUE_TRANSPORT_HTTP_POST`
/// (0, default), `RESCUE_TRANSPORT_HTTP_GET` (1), `RESCUE_TRANSPORT_SOAP_1_1` (2) or
/// `RESCUE_TRANSPORT_SOAP_1_2` (3): the `.aspx` pages or `API.asmx` under the same base URL.
/// Keeps the login session, so a session started over one transport is used over another.
/// Errors: `RESCUE_STATUS_INVALID_ARGUMENT` for any other number or a NULL client.
///
/// # Safety
///
/// `client` is NULL or a live client.
#[no_mangle]
pub unsafe extern "C" fn rescue_client_set_transport(
    client: *mut rescue_client,
    transport: rescue_transport,
) -> rescue_status {
    guard(|| {
        // SAFETY: the caller's promise.
        let client = unsafe { client_arg(client) }?;
        let transport = usize::try_from(transport)
            .ok()
            .and_then(|index| Transport::ALL.get(index).copied())
            .ok_or_else(|| Error::invalid("transport", "is not a RESCUE_TRANSPORT_* value"))?;
        client.reconfigure(|s| s.transport = Some(transport))?;
        Ok(())
    })
}

/// How calls travel: one of the `rescue_transport_code` values. A plain `uint32_t`, so any
/// number C passes is checked rather than trusted.
pub type rescue_transport = u32;

/// The values of `rescue_transport`; the numbers are stable.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum rescue_transport_code {
    /// The `.aspx` pages with a form body (default).
    RESCUE_TRANSPORT_HTTP_POST = 0,
    /// The `.aspx` pages with a query string.
    RESCUE_TRANSPORT_HTTP_GET = 1,
    /// `API.asmx`, SOAP 1.1.
    RESCUE_TRANSPORT_SOAP_1_1 = 2,
    /// `API.asmx`, SOAP 1.2.
    RESCUE_TRANSPORT_SOAP_1_2 = 3,
}

/// `true` (default): a PIN request answered `NOTLOGGEDIN` logs in again with the last
/// successful `rescue_login`'s credentials and is retried once. `false`: it fails.
///
/// # Safety
///
/// `client` is NULL or a live client.
#[no_mangle]
pub unsafe extern "C" fn rescue_client_set_renew_session(
    client: *mut rescue_client,
    renew: bool,
) -> rescue_status {
    guard(|| {
        // SAFETY: the caller's promise.
        let client = unsafe { client_arg(client) }?;
        client.reconfigure(|s| s.renew_session = Some(renew))?;
        Ok(())
    })
}

/// How long no renewal login is sent after one answered `LIMITREACHED`; calls that need
/// one fail at once with `RESCUE_STATUS_LIMITREACHED` meanwhile, without any traffic.
/// Default: 180,000 ms, the service's window for ten logins; set it shorter only in tests
/// against the sandbox. The setting shares the session (and its cool-down) of the client.
///
/// # Safety
///
/// `client` is NULL or a live client.
#[no_mangle]
pub unsafe extern "C" fn rescue_client_set_login_limit_cooldown_ms(
    client: *mut rescue_client,
    cooldown_ms: u32,
) -> rescue_status {
    guard(|| {
        // SAFETY: the caller's promise.
        let client = unsafe { client_arg(client) }?;
        let cooldown = Duration::from_millis(cooldown_ms.into());
        client.reconfigure(|s| s.login_limit_cooldown = Some(cooldown))?;
        Ok(())
    })
}

/// `true`: allow a plain `http://` base URL to a host other than this machine. `false`
/// (default): calls through such a client fail with `RESCUE_STATUS_INVALID_ARGUMENT`
/// before sending anything, so that credentials never travel in clear text by accident.
/// Loopback (`localhost`, `127.0.0.0/8`, `::1`) is always allowed, for the sandbox.
///
/// # Safety
///
/// `client` is NULL or a live client.
#[no_mangle]
pub unsafe extern "C" fn rescue_client_set_allow_plain_http(
    client: *mut rescue_client,
    allow: bool,
) -> rescue_status {
    guard(|| {
        // SAFETY: the caller's promise.
        let client = unsafe { client_arg(client) }?;
        client.reconfigure(|s| s.allow_plain_http = Some(allow))?;
        Ok(())
    })
}

/// `login.aspx`: starts a login session for `email` / `password`, kept by the client. The
/// credentials are kept (zeroed when released) to renew the session; never in messages.
/// Errors: the service's `INVALID`, `LIMITREACHED`, `ERROR`; transport failures;
/// `RESCUE_STATUS_INVALID_ARGUMENT` (NULL, not UTF-8).
///
/// # Safety
///
/// `client` is NULL or a live client; `email` and `password` are NULL or NUL-terminated.
#[no_mangle]
pub unsafe extern "C" fn rescue_login(
    client: *mut rescue_client,
    email: *const c_char,
    password: *const c_char,
) -> rescue_status {
    guard(|| {
        // SAFETY: the caller's promise.
        let (client, email, password) = unsafe { credential_args(client, email, password) }?;
        client.current().login(email, password)?;
        Ok(())
    })
}

/// `logout.aspx`: ends the login session and forgets the credentials.
/// Errors: `RESCUE_STATUS_NOTLOGGEDIN` when there was no session; transport failures.
///
/// # Safety
///
/// `client` is NULL or a live client.
#[no_mangle]
pub unsafe extern "C" fn rescue_logout(client: *mut rescue_client) -> rescue_status {
    guard(|| {
        // SAFETY: the caller's promise.
        let client = unsafe { client_arg(client) }?;
        client.current().logout()?;
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::rescue_transport_code::*;
    use crate::Transport;

    #[test]
    fn transport_numbers_are_the_cores() {
        let c = [
            RESCUE_TRANSPORT_HTTP_POST,
            RESCUE_TRANSPORT_HTTP_GET,
            RESCUE_TRANSPORT_SOAP_1_1,
            RESCUE_TRANSPORT_SOAP_1_2,
        ];
        for (code, transport) in c.into_iter().zip(Transport::ALL) {
            assert_eq!(code as u32, transport.code());
        }
    }
}
