//! `rescue.Client`: the core client, shared by every Python thread.

use std::borrow::Cow;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyInt, PyString, PyType};
use zeroize::Zeroizing;

use super::errors::to_py_err;
use super::interrupt::blocking;
use super::invitation::LensPin;
use crate::client::{Client as CoreClient, DEFAULT_BASE_URL};
use crate::encoding::Transport;
use crate::error::Error;
use crate::invitation::LensInvitation;
use crate::request::{Field, PinRequest};
use crate::status::Status;

/// A client of the LogMeIn Rescue API.
///
/// One client may be shared by many threads; every call releases the GIL while it waits
/// for the service. On the main thread, Ctrl-C stops a call at once with
/// `KeyboardInterrupt`, and so does a signal handler that raises: the call ends there,
/// as if its timeout had passed, and the client stays usable.
/// Used as a context manager, it logs out on exit when it is logged in.
#[pyclass(frozen, module = "rescue", name = "Client")]
pub(crate) struct Client {
    core: CoreClient,
    /// For `repr()` (the core refuses a base URL that holds credentials).
    base_url: String,
    transport: Transport,
    /// Whether the last `login()` succeeded and no `logout()` followed, so that leaving a
    /// `with` block knows whether there is a session to end.
    logged_in: AtomicBool,
}

#[pymethods]
impl Client {
    #[new]
    // The arguments are the Python API's keyword arguments.
    #[allow(clippy::too_many_arguments)]
    #[pyo3(
        signature = (base_url=None, *, timeout=30.0, ca_file=None, proxy=None, method=None, transport=None, renew_session=true, login_limit_cooldown=180.0, allow_plain_http=false, system_roots=false),
        text_signature = "(base_url=None, *, timeout=30.0, ca_file=None, proxy=None, method=None, transport=None, renew_session=True, login_limit_cooldown=180.0, allow_plain_http=False, system_roots=False)"
    )]
    fn new(
        py: Python<'_>,
        base_url: Option<&Bound<'_, PyString>>,
        timeout: f64,
        ca_file: Option<PathBuf>,
        proxy: Option<&Bound<'_, PyString>>,
        method: Option<&Bound<'_, PyString>>,
        transport: Option<&Bound<'_, PyString>>,
        renew_session: bool,
        login_limit_cooldown: f64,
        allow_plain_http: bool,
        system_roots: bool,
    ) -> PyResult<Self> {
        let fail = |error: Error| to_py_err(py, &error);
        let base_url = match base_url {
            Some(url) => text(py, "base_url", url)?.into_owned(),
            None => DEFAULT_BASE_URL.to_owned(),
        };
        let transport = match (method, transport) {
            (None, None) => Transport::HttpPost,
            (Some(_), Some(_)) => {
                return Err(fail(Error::invalid(
                    "transport",
                    "can't be given together with `method` (\"GET\" is transport=\"http-get\")",
                )))
            }
            (Some(method), None) => match &*text(py, "method", method)? {
                m if m.eq_ignore_ascii_case("POST") => Transport::HttpPost,
                m if m.eq_ignore_ascii_case("GET") => Transport::HttpGet,
                _ => {
                    return Err(fail(Error::invalid(
                        "method",
                        "must be \"POST\" or \"GET\"",
                    )))
                }
            },
            (None, Some(name)) => text(py, "transport", name)?.parse().map_err(|_| {
                fail(Error::invalid(
                    "transport",
                    "must be \"http-post\", \"http-get\", \"soap11\" or \"soap12\"",
                ))
            })?,
        };
        let timeout = Duration::try_from_secs_f64(timeout)
            .ok()
            .filter(|t| !t.is_zero())
            .ok_or_else(|| {
                fail(Error::invalid(
                    "timeout",
                    "must be a positive number of seconds",
                ))
            })?;
        let login_limit_cooldown =
            Duration::try_from_secs_f64(login_limit_cooldown).map_err(|_| {
                fail(Error::invalid(
                    "login_limit_cooldown",
                    "must be a finite number of seconds, 0 or more",
                ))
            })?;
        let mut builder = CoreClient::builder()
            .base_url(base_url.as_str())
            .timeout(timeout)
            .transport(transport)
            .renew_session(renew_session)
            .login_limit_cooldown(login_limit_cooldown)
            .allow_plain_http(allow_plain_http)
            .system_roots(system_roots);
        if let Some(path) = ca_file {
            builder = builder.ca_file(path);
        }
        if let Some(proxy) = proxy {
            builder = builder.proxy(text(py, "proxy", proxy)?.into_owned());
        }
        // Building reads the CA file: no GIL needed for that.
        let core = py.detach(|| builder.build()).map_err(fail)?;
        Ok(Client {
            core,
            base_url,
            transport,
            logged_in: AtomicBool::new(false),
        })
    }

    /// `login.aspx`: starts a login session, renewed automatically on `NOTLOGGEDIN`
    /// unless `renew_session=False`.
    fn login(
        &self,
        py: Python<'_>,
        email: &Bound<'_, PyString>,
        password: &Bound<'_, PyString>,
    ) -> PyResult<()> {
        let email = secret(py, "email", email)?;
        let password = secret(py, "password", password)?;
        blocking(py, || self.core.login(&email, &password))?.map_err(|e| to_py_err(py, &e))?;
        self.logged_in.store(true, Ordering::SeqCst);
        Ok(())
    }

    /// `logout.aspx`: ends the login session and forgets the credentials that renew it.
    fn logout(&self, py: Python<'_>) -> PyResult<()> {
        self.logged_in.store(false, Ordering::SeqCst);
        blocking(py, || self.core.logout())?.map_err(|e| to_py_err(py, &e))
    }

    /// `requestAuthCode.aspx`: the account's secret authcode. Keep it secret.
    fn request_auth_code(
        &self,
        py: Python<'_>,
        email: &Bound<'_, PyString>,
        password: &Bound<'_, PyString>,
    ) -> PyResult<String> {
        let email = secret(py, "email", email)?;
        let password = secret(py, "password", password)?;
        // Zeroed if it is dropped rather than handed to Python (an exception instead).
        blocking(py, || {
            self.core
                .request_auth_code(&email, &password)
                .map(Zeroizing::new)
        })?
        .map(|mut code| std::mem::take(&mut *code))
        .map_err(|e| to_py_err(py, &e))
    }

    /// `requestLensPINCode.aspx`: the 6-digit PIN code of a Rescue Lens session.
    #[pyo3(signature = (*, cfield0=None, cfield1=None, cfield2=None, cfield3=None, cfield4=None, cfield5=None, tracking0=None, notechconsole=false, authcode=None))]
    #[allow(clippy::too_many_arguments)]
    fn request_lens_pin(
        &self,
        py: Python<'_>,
        cfield0: Option<&Bound<'_, PyString>>,
        cfield1: Option<&Bound<'_, PyString>>,
        cfield2: Option<&Bound<'_, PyString>>,
        cfield3: Option<&Bound<'_, PyString>>,
        cfield4: Option<&Bound<'_, PyString>>,
        cfield5: Option<&Bound<'_, PyString>>,
        tracking0: Option<&Bound<'_, PyString>>,
        notechconsole: bool,
        authcode: Option<&Bound<'_, PyString>>,
    ) -> PyResult<String> {
        let fields = [
            cfield0, cfield1, cfield2, cfield3, cfield4, cfield5, tracking0,
        ];
        let request = pin_request(py, fields, notechconsole, authcode)?;
        blocking(py, || self.core.request_lens_pin(&request))?
            .map(String::from)
            .map_err(|e| to_py_err(py, &e))
    }

    /// `requestLensPINCode_v3`/`_v4` (SOAP `requestLensPINCodeV3`): a Lens PIN sent to
    /// the customer by SMS (`phone_number`, `lang_code`: de, en, es, fr, nl or pt-br) and/or
    /// created for another technician (`node_id`, not over SOAP). Without any of the three,
    /// the plain `requestLensPINCode` is sent. Returns a `LensPin`; an SMS that failed is
    /// its `sms_result`, not an exception.
    #[pyo3(signature = (*, phone_number=None, lang_code=None, node_id=None, cfield0=None, cfield1=None, cfield2=None, cfield3=None, cfield4=None, cfield5=None, tracking0=None, notechconsole=false, authcode=None))]
    #[allow(clippy::too_many_arguments)]
    fn request_lens_pin_invite(
        &self,
        py: Python<'_>,
        phone_number: Option<&Bound<'_, PyString>>,
        lang_code: Option<&Bound<'_, PyString>>,
        node_id: Option<&Bound<'_, PyAny>>,
        cfield0: Option<&Bound<'_, PyString>>,
        cfield1: Option<&Bound<'_, PyString>>,
        cfield2: Option<&Bound<'_, PyString>>,
        cfield3: Option<&Bound<'_, PyString>>,
        cfield4: Option<&Bound<'_, PyString>>,
        cfield5: Option<&Bound<'_, PyString>>,
        tracking0: Option<&Bound<'_, PyString>>,
        notechconsole: bool,
        authcode: Option<&Bound<'_, PyString>>,
    ) -> PyResult<LensPin> {
        let fields = [
            cfield0, cfield1, cfield2, cfield3, cfield4, cfield5, tracking0,
        ];
        let request = pin_request(py, fields, notechconsole, authcode)?;
        let mut invitation = LensInvitation::new();
        if let Some(number) = phone_number {
            invitation = invitation.phone_number(&secret(py, "phone_number", number)?);
        }
        if let Some(lang) = lang_code {
            invitation = invitation.lang_code(text(py, "lang_code", lang)?.into_owned());
        }
        if let Some(node_id) = node_id {
            invitation = invitation.node_id(node_id_text(py, node_id)?);
        }
        blocking(py, || {
            self.core.request_lens_pin_invite(&request, &invitation)
        })?
        .map(LensPin::from)
        .map_err(|e| to_py_err(py, &e))
    }

    /// `requestPINCode.aspx`: the 6-digit PIN code of a desktop session.
    #[pyo3(signature = (*, cfield0=None, cfield1=None, cfield2=None, cfield3=None, cfield4=None, cfield5=None, tracking0=None, notechconsole=false, authcode=None))]
    #[allow(clippy::too_many_arguments)]
    fn request_pin(
        &self,
        py: Python<'_>,
        cfield0: Option<&Bound<'_, PyString>>,
        cfield1: Option<&Bound<'_, PyString>>,
        cfield2: Option<&Bound<'_, PyString>>,
        cfield3: Option<&Bound<'_, PyString>>,
        cfield4: Option<&Bound<'_, PyString>>,
        cfield5: Option<&Bound<'_, PyString>>,
        tracking0: Option<&Bound<'_, PyString>>,
        notechconsole: bool,
        authcode: Option<&Bound<'_, PyString>>,
    ) -> PyResult<String> {
        let fields = [
            cfield0, cfield1, cfield2, cfield3, cfield4, cfield5, tracking0,
        ];
        let request = pin_request(py, fields, notechconsole, authcode)?;
        blocking(py, || self.core.request_pin(&request))?
            .map(String::from)
            .map_err(|e| to_py_err(py, &e))
    }

    fn __enter__(slf: Py<Self>) -> Py<Self> {
        slf
    }

    /// Logs out when logged in. A session the service already ended is fine; any other
    /// failure to log out is raised only when the block itself raised nothing.
    fn __exit__(
        &self,
        py: Python<'_>,
        exc_type: Option<&Bound<'_, PyType>>,
        _exc: Option<&Bound<'_, PyAny>>,
        _traceback: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<()> {
        if !self.logged_in.swap(false, Ordering::SeqCst) {
            return Ok(());
        }
        match blocking(py, || self.core.logout())? {
            Ok(()) | Err(Error::Service(Status::NotLoggedIn)) => Ok(()),
            Err(_) if exc_type.is_some() => Ok(()),
            Err(error) => Err(to_py_err(py, &error)),
        }
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        let base_url = PyString::new(py, &self.base_url).repr()?;
        Ok(format!(
            "rescue.Client(base_url={base_url}, transport='{}')",
            self.transport
        ))
    }
}

/// The text of a `str` argument. A lone surrogate can't be sent in UTF-8: it is an
/// `InvalidArgument`, like every other argument the service can't receive.
pub(crate) fn text<'a>(
    py: Python<'_>,
    name: &'static str,
    value: &'a Bound<'_, PyString>,
) -> PyResult<Cow<'a, str>> {
    value.to_cow().map_err(|_| {
        to_py_err(
            py,
            &Error::invalid(name, "is not valid Unicode (it contains a lone surrogate)"),
        )
    })
}

/// A secret argument, zeroed when dropped.
fn secret(
    py: Python<'_>,
    name: &'static str,
    value: &Bound<'_, PyString>,
) -> PyResult<Zeroizing<String>> {
    Ok(Zeroizing::new(text(py, name, value)?.into_owned()))
}

/// Builds the core's request; the core checks lengths and NUL bytes before sending.
fn pin_request(
    py: Python<'_>,
    fields: [Option<&Bound<'_, PyString>>; 7],
    notechconsole: bool,
    authcode: Option<&Bound<'_, PyString>>,
) -> PyResult<PinRequest> {
    let mut request = PinRequest::new().notechconsole(notechconsole);
    for (field, value) in Field::ALL.into_iter().zip(fields) {
        if let Some(value) = value {
            request.set(field, Some(text(py, field.name(), value)?.into_owned()));
        }
    }
    if let Some(authcode) = authcode {
        request = request.authcode(&secret(py, "authcode", authcode)?);
    }
    Ok(request)
}

/// A NodeId given as a `str` of digits or an `int`; the core checks the digits.
fn node_id_text(py: Python<'_>, value: &Bound<'_, PyAny>) -> PyResult<String> {
    if let Ok(text_value) = value.cast::<PyString>() {
        return Ok(text(py, "node_id", text_value)?.into_owned());
    }
    if value.is_instance_of::<PyInt>() && !value.is_instance_of::<PyBool>() {
        return Ok(value.str()?.to_cow()?.into_owned());
    }
    Err(PyTypeError::new_err(format!(
        "node_id must be a str or an int, not {}",
        value.get_type().name()?
    )))
}
