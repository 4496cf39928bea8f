//! PIN and authcode requests: `rescue_pin_request` and the calls that return text.

use std::ffi::c_char;

use zeroize::Zeroizing;

use super::client::{client_arg, credential_args, rescue_client};
use super::error::Failure;
use super::panic::guard;
use super::status::rescue_status;
use super::util::{check_buffer, opt_str_arg, write_str};
use crate::client::Client;
use crate::error::Error;
use crate::pin::Pin;
use crate::request::{Field, PinRequest};

/// The size of a PIN output buffer: six digits and the NUL.
pub const RESCUE_PIN_BUFFER_LEN: usize = 7;

// ===== impl rescue_pin_request =====

/// The parameters of a PIN request. Every member is optional: a NULL string is not sent,
/// so a zero-initialised struct is the empty request. Strings are UTF-8, borrowed for the
/// duration of the call only. Limits (in characters): cfield0 64, cfield1 512, cfield2 512,
/// cfield3 256, cfield4 64, cfield5 64, tracking0 64.
#[repr(C)]
pub struct rescue_pin_request {
    /// Custom field 0, e.g. the customer's name.
    pub cfield0: *const c_char,
    /// Custom field 1.
    pub cfield1: *const c_char,
    /// Custom field 2.
    pub cfield2: *const c_char,
    /// Custom field 3.
    pub cfield3: *const c_char,
    /// Custom field 4.
    pub cfield4: *const c_char,
    /// Custom field 5.
    pub cfield5: *const c_char,
    /// The tracking field.
    pub tracking0: *const c_char,
    /// `true`: the PIN may be created while the technician's console is not running.
    pub notechconsole: bool,
    /// A secret authcode (from `rescue_request_auth_code`) that authenticates this request
    /// instead of the login session; NULL to use the session.
    pub authcode: *const c_char,
}

impl rescue_pin_request {
    /// The core request; `Field::ALL` order matches the members.
    ///
    /// # Safety
    ///
    /// Every string member is NULL or NUL-terminated.
    pub(crate) unsafe fn to_core(&self) -> Result<PinRequest, Error> {
        let members = [
            self.cfield0,
            self.cfield1,
            self.cfield2,
            self.cfield3,
            self.cfield4,
            self.cfield5,
            self.tracking0,
        ];
        let mut request = PinRequest::new().notechconsole(self.notechconsole);
        for (field, ptr) in Field::ALL.into_iter().zip(members) {
            // SAFETY: the caller's promise.
            let value = unsafe { opt_str_arg(ptr, field.name()) }?;
            request.set(field, value.map(str::to_owned));
        }
        // SAFETY: the caller's promise.
        if let Some(authcode) = unsafe { opt_str_arg(self.authcode, "authcode") }? {
            request = request.authcode(authcode);
        }
        Ok(request)
    }
}

/// Checks the arguments, sends the request with `call`, writes the PIN.
///
/// # Safety
///
/// As for `rescue_request_lens_pin`.
unsafe fn request_pin(
    client: *mut rescue_client,
    request: *const rescue_pin_request,
    pin_out: *mut c_char,
    pin_out_len: usize,
    call: fn(&Client, &PinRequest) -> Result<Pin, Error>,
) -> rescue_status {
    guard(|| {
        // SAFETY: the caller's promise.
        let client = unsafe { client_arg(client) }?;
        check_buffer(pin_out, pin_out_len, RESCUE_PIN_BUFFER_LEN, "pin_out")?;
        // SAFETY: the caller's promise.
        let request = match unsafe { request.as_ref() } {
            // SAFETY: the caller's promise.
            Some(request) => unsafe { request.to_core() }?,
            None => PinRequest::new(),
        };
        let pin = call(&client.current(), &request)?;
        // SAFETY: pin_out holds pin_out_len bytes by the caller's promise.
        unsafe { write_str(pin_out, pin_out_len, pin.as_str(), "pin_out") }
    })
}

/// `requestLensPINCode.aspx`: a PIN code for a Rescue Lens (camera) session, written with
/// its NUL into `pin_out` (at least `RESCUE_PIN_BUFFER_LEN` bytes). A PIN is text: keep its
/// leading zeros. `request` may be NULL (no fields: authenticate with the login session).
///
/// `pin_out` is written only on success. Nothing is sent when an argument is wrong.
/// Errors: every service word (`NOTLOGGEDIN`, `POLLRATEEXCEEDED`, `NO_ACCESS_TO_LENS`…),
/// transport failures, `RESCUE_STATUS_FIELD_TOO_LONG`, `RESCUE_STATUS_BUFFER_TOO_SMALL`,
/// `RESCUE_STATUS_INVALID_ARGUMENT`.
///
/// # Safety
///
/// `client` is NULL or a live client; `request` is NULL or a valid request whose strings
/// are NULL or NUL-terminated; `pin_out` is NULL or holds `pin_out_len` writable bytes.
#[no_mangle]
pub unsafe extern "C" fn rescue_request_lens_pin(
    client: *mut rescue_client,
    request: *const rescue_pin_request,
    pin_out: *mut c_char,
    pin_out_len: usize,
) -> rescue_status {
    // SAFETY: forwarded to the caller.
    unsafe {
        request_pin(
            client,
            request,
            pin_out,
            pin_out_len,
            Client::request_lens_pin,
        )
    }
}

/// `requestPINCode.aspx`: a PIN code for a desktop session; as `rescue_request_lens_pin`.
///
/// # Safety
///
/// As for `rescue_request_lens_pin`.
#[no_mangle]
pub unsafe extern "C" fn rescue_request_pin(
    client: *mut rescue_client,
    request: *const rescue_pin_request,
    pin_out: *mut c_char,
    pin_out_len: usize,
) -> rescue_status {
    // SAFETY: forwarded to the caller.
    unsafe { request_pin(client, request, pin_out, pin_out_len, Client::request_pin) }
}

/// `requestAuthCode.aspx`: the account's secret authcode, written with its NUL into
/// `code_out`. It authenticates PIN requests without a login session (set
/// `rescue_pin_request.authcode`) and stays valid until a new one is requested. Keep it
/// secret; librescue zeroes its own copy.
///
/// `code_out` is written only on success; `RESCUE_STATUS_BUFFER_TOO_SMALL` when the code
/// and its NUL don't fit (the message tells the size needed; 64 bytes are plenty).
/// Errors: the service's `INVALID`, `ERROR`; transport failures; `INVALID_ARGUMENT`.
///
/// # Safety
///
/// `client` is NULL or a live client; `email` and `password` are NULL or NUL-terminated;
/// `code_out` is NULL or holds `code_out_len` writable bytes.
#[no_mangle]
pub unsafe extern "C" fn rescue_request_auth_code(
    client: *mut rescue_client,
    email: *const c_char,
    password: *const c_char,
    code_out: *mut c_char,
    code_out_len: usize,
) -> rescue_status {
    guard(|| {
        // SAFETY: the caller's promise.
        let (client, email, password) = unsafe { credential_args(client, email, password) }?;
        if code_out.is_null() {
            return Err(Failure::from(Error::invalid("code_out", "is NULL")));
        }
        let code = Zeroizing::new(client.current().request_auth_code(email, password)?);
        // SAFETY: code_out holds code_out_len bytes by the caller's promise.
        unsafe { write_str(code_out, code_out_len, &code, "code_out") }
    })
}
