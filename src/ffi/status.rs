//! `rescue_status`: one numbering for the service's words and the client's own failures.

use std::ffi::{c_char, CStr, CString};
use std::sync::OnceLock;

use crate::error::ErrorKind;
use crate::status::Status;

/// The result of every fallible function: `RESCUE_STATUS_OK` (0) or why it failed, one of
/// the `rescue_status_code` values. A plain `uint32_t` so that any value C holds is safe to
/// pass back (see `rescue_status_name`).
pub type rescue_status = u32;

/// The values of `rescue_status`. 0–12 are the service's documented words, 100 and up are
/// failures on this side. The numbers are stable and shared with Python and PHP; a retired
/// number is never reused.
// Never crosses the boundary itself (functions take and return `rescue_status`), so a
// garbage value from C can't become an invalid Rust enum; `repr(C)` keeps the header free
// of preprocessor conditionals.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum rescue_status_code {
    /// `OK`: success.
    RESCUE_STATUS_OK = 0,
    /// `ERROR`: an unspecified error on the service, such as a timeout.
    RESCUE_STATUS_ERROR = 1,
    /// `INVALID`: a wrong input value, e.g. bad credentials.
    RESCUE_STATUS_INVALID = 2,
    /// `LIMITREACHED`: more than ten logins in three minutes; use an authcode.
    RESCUE_STATUS_LIMITREACHED = 3,
    /// `NOTLOGGEDIN`: no (or an expired) login session.
    RESCUE_STATUS_NOTLOGGEDIN = 4,
    /// `NOTTECHNICIAN`: the account is not a technician.
    RESCUE_STATUS_NOTTECHNICIAN = 5,
    /// `NOTECHCONSOLERUNNING`: the technician is offline (set `notechconsole` to allow).
    RESCUE_STATUS_NOTECHCONSOLERUNNING = 6,
    /// `OUTOFPINCODES`: no more PIN codes can be generated.
    RESCUE_STATUS_OUTOFPINCODES = 7,
    /// `POLLRATEEXCEEDED`: PINs requested too often (one per second is allowed).
    RESCUE_STATUS_POLLRATEEXCEEDED = 8,
    /// `INVALID_SECRETAUTHCODE`: the authcode is incorrect.
    RESCUE_STATUS_INVALID_SECRETAUTHCODE = 9,
    /// `USER_IS_DELETED`: the authcode's user is deleted.
    RESCUE_STATUS_USER_IS_DELETED = 10,
    /// `USER_DELETED_OR_DISABLED`: the authcode's user is deleted or disabled.
    RESCUE_STATUS_USER_DELETED_OR_DISABLED = 11,
    /// `NO_ACCESS_TO_LENS`: the user may not use Rescue Lens.
    RESCUE_STATUS_NO_ACCESS_TO_LENS = 12,
    /// The account only accepts logins from listed IP addresses (SOAP login only).
    RESCUE_STATUS_GLOBAL_IP_RESTRICTED = 13,
    /// An argument is NULL where that is not allowed, not UTF-8, or malformed. Nothing sent.
    RESCUE_STATUS_INVALID_ARGUMENT = 100,
    /// A PIN request field is longer than the service allows. Nothing sent.
    RESCUE_STATUS_FIELD_TOO_LONG = 101,
    /// An output buffer is too small; it was not written.
    RESCUE_STATUS_BUFFER_TOO_SMALL = 102,
    /// The service could not be reached (DNS, connect, proxy, I/O).
    RESCUE_STATUS_NETWORK = 103,
    /// The call did not finish within the timeout.
    RESCUE_STATUS_TIMEOUT = 104,
    /// The TLS handshake failed, e.g. an untrusted certificate.
    RESCUE_STATUS_TLS = 105,
    /// The service answered an HTTP status other than 200.
    RESCUE_STATUS_HTTP_STATUS = 106,
    /// The answer is not one the documentation describes.
    RESCUE_STATUS_UNEXPECTED_RESPONSE = 107,
    /// A bug in librescue was caught (a Rust panic); the call did not complete.
    RESCUE_STATUS_PANIC = 108,
    /// Over SOAP, the service answered a `soap:Fault` (HTTP 500).
    RESCUE_STATUS_SOAP_FAULT = 109,
}

/// The C-only kinds, which have no core counterpart.
const C_ONLY: [(rescue_status_code, &str); 2] = [
    (
        rescue_status_code::RESCUE_STATUS_BUFFER_TOO_SMALL,
        "BUFFER_TOO_SMALL",
    ),
    (rescue_status_code::RESCUE_STATUS_PANIC, "PANIC"),
];

/// Every code with its NUL-terminated name, built once from the core's names.
fn names() -> &'static [(rescue_status, CString)] {
    static NAMES: OnceLock<Vec<(rescue_status, CString)>> = OnceLock::new();
    NAMES.get_or_init(|| {
        let service = Status::ALL.iter().map(|s| (s.code(), s.as_str()));
        let client = ErrorKind::CLIENT_SIDE.iter().map(|k| (k.code(), k.name()));
        let c_only = C_ONLY.iter().map(|&(code, name)| (code as u32, name));
        service
            .chain(client)
            .chain(c_only)
            .filter_map(|(code, name)| Some((code, CString::new(name).ok()?)))
            .collect()
    })
}

/// The name of `status`: the service's word (`"OK"`, `"NOTLOGGEDIN"`…) or the client-side
/// name (`"FIELD_TOO_LONG"`, `"PANIC"`…); `"UNKNOWN"` for any other value.
///
/// Static, never NULL, never freed. Thread-safe. Does not change the last error message.
#[no_mangle]
pub extern "C" fn rescue_status_name(status: rescue_status) -> *const c_char {
    const UNKNOWN: &CStr = c"UNKNOWN";
    std::panic::catch_unwind(|| {
        names()
            .iter()
            .find(|(code, _)| *code == status)
            .map_or(UNKNOWN.as_ptr(), |(_, name)| name.as_ptr())
    })
    .unwrap_or(UNKNOWN.as_ptr())
}

/// The library's version, e.g. `"0.1.0"`. Static, never NULL, never freed. Thread-safe.
#[no_mangle]
pub extern "C" fn rescue_version() -> *const c_char {
    concat!(env!("CARGO_PKG_VERSION"), "\0").as_ptr().cast()
}

#[cfg(test)]
mod tests {
    use super::rescue_status_code::*;
    use super::*;

    fn name(status: rescue_status) -> &'static str {
        // SAFETY: rescue_status_name returns a static NUL-terminated string.
        unsafe { CStr::from_ptr(rescue_status_name(status)) }
            .to_str()
            .unwrap_or("not UTF-8")
    }

    #[test]
    fn one_numbering_two_spellings() {
        use ErrorKind::*;
        let service = [
            RESCUE_STATUS_OK,
            RESCUE_STATUS_ERROR,
            RESCUE_STATUS_INVALID,
            RESCUE_STATUS_LIMITREACHED,
            RESCUE_STATUS_NOTLOGGEDIN,
            RESCUE_STATUS_NOTTECHNICIAN,
            RESCUE_STATUS_NOTECHCONSOLERUNNING,
            RESCUE_STATUS_OUTOFPINCODES,
            RESCUE_STATUS_POLLRATEEXCEEDED,
            RESCUE_STATUS_INVALID_SECRETAUTHCODE,
            RESCUE_STATUS_USER_IS_DELETED,
            RESCUE_STATUS_USER_DELETED_OR_DISABLED,
            RESCUE_STATUS_NO_ACCESS_TO_LENS,
            RESCUE_STATUS_GLOBAL_IP_RESTRICTED,
        ];
        for (code, status) in service.into_iter().zip(Status::ALL) {
            assert_eq!(code as u32, status.code());
            assert_eq!(code as u32, Service(status).code());
            assert_eq!(name(code as u32), status.as_str());
            assert_eq!(
                format!("{code:?}"),
                format!("RESCUE_STATUS_{}", status.as_str())
            );
        }
        let client = [
            (RESCUE_STATUS_INVALID_ARGUMENT, InvalidArgument),
            (RESCUE_STATUS_FIELD_TOO_LONG, FieldTooLong),
            (RESCUE_STATUS_NETWORK, Network),
            (RESCUE_STATUS_TIMEOUT, Timeout),
            (RESCUE_STATUS_TLS, Tls),
            (RESCUE_STATUS_HTTP_STATUS, HttpStatus),
            (RESCUE_STATUS_UNEXPECTED_RESPONSE, UnexpectedResponse),
            (RESCUE_STATUS_SOAP_FAULT, SoapFault),
        ];
        for (code, kind) in client {
            assert_eq!(code as u32, kind.code());
            assert_eq!(name(code as u32), kind.name());
            assert_eq!(
                format!("{code:?}"),
                format!("RESCUE_STATUS_{}", kind.name())
            );
        }
        assert_eq!(RESCUE_STATUS_BUFFER_TOO_SMALL as u32, 102);
        assert_eq!(name(102), "BUFFER_TOO_SMALL");
        assert_eq!(RESCUE_STATUS_PANIC as u32, 108);
        assert_eq!(name(108), "PANIC");
    }

    #[test]
    fn out_of_range_is_unknown() {
        for value in [14, 99, 110, 1000, u32::MAX] {
            assert_eq!(name(value), "UNKNOWN");
        }
    }

    #[test]
    fn version_is_the_crate_version() {
        // SAFETY: static NUL-terminated string.
        let version = unsafe { CStr::from_ptr(rescue_version()) };
        assert_eq!(version.to_str(), Ok(crate::VERSION));
    }
}
