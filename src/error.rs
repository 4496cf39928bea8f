//! Every way a call can fail, each distinct.

use crate::request::Field;
use crate::status::Status;

/// How many characters of an unexpected answer an error keeps.
pub(crate) const EXCERPT_CHARS: usize = 200;

/// A failed call: either the service answered a documented non-`OK` value, or something
/// went wrong on this side of it.
///
/// No variant ever holds a password, authcode or session cookie.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The service answered with a documented return value other than `OK`.
    #[error("the service answered {}: {}", .0.as_str(), .0.description())]
    Service(Status),

    /// The login that renews an ended session answered this status. Its kind is the
    /// status's own ([`ErrorKind::Service`]), so every language reports it as that status;
    /// `reason` says what the client did about it (dropped the credentials, cools down).
    #[error("the service answered {} to the session renewal login ({}): {reason}", .status.as_str(), .status.description())]
    RenewalRefused {
        /// The login's answer, e.g. [`Status::Invalid`] or [`Status::LimitReached`].
        status: Status,
        /// What follows from it for later calls.
        reason: String,
    },

    /// An argument can't be sent: it is malformed (a NUL byte, an invalid URL…).
    /// Nothing was sent.
    #[error("invalid argument `{name}`: {reason}")]
    InvalidArgument {
        /// The argument's name, e.g. `"base_url"` or `"cfield2"`.
        name: &'static str,
        /// What is wrong with it (never its value, which may be a secret).
        reason: String,
    },

    /// A field is longer than the service allows. Nothing was sent.
    #[error("{} is {length} characters long; the service allows at most {limit}", .field.name())]
    FieldTooLong {
        /// The field.
        field: Field,
        /// Its length in characters (Unicode scalar values).
        length: usize,
        /// The documented maximum.
        limit: usize,
    },

    /// The service could not be reached: DNS, connect, proxy or I/O failure.
    #[error("network error: {0}")]
    Network(String),

    /// The call did not finish within its timeout.
    #[error("timed out: {0}")]
    Timeout(String),

    /// The TLS handshake failed, e.g. an untrusted certificate.
    #[error("TLS error: {0}")]
    Tls(String),

    /// The service answered with an HTTP status other than 200.
    #[error("the service answered HTTP status {0}")]
    HttpStatus(u16),

    /// The answer is not one the documentation describes. Holds what was wrong and the
    /// first 200 characters of the answer.
    #[error("unexpected response: {0}")]
    UnexpectedResponse(String),

    /// Over SOAP, the service answered a `soap:Fault` (HTTP 500, e.g. an operation it does
    /// not know).
    #[error("the service answered a SOAP fault ({code}): {text}")]
    SoapFault {
        /// The fault code, e.g. `soap:Client`.
        code: String,
        /// The first 200 characters of the fault's text (never the request).
        text: String,
    },
}

/// The class of an [`Error`], without its details.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ErrorKind {
    /// [`Error::Service`] or [`Error::RenewalRefused`] with this status.
    Service(Status),
    /// [`Error::InvalidArgument`].
    InvalidArgument,
    /// [`Error::FieldTooLong`].
    FieldTooLong,
    /// [`Error::Network`].
    Network,
    /// [`Error::Timeout`].
    Timeout,
    /// [`Error::Tls`].
    Tls,
    /// [`Error::HttpStatus`].
    HttpStatus,
    /// [`Error::UnexpectedResponse`].
    UnexpectedResponse,
    /// [`Error::SoapFault`].
    SoapFault,
}

impl ErrorKind {
    /// The conditions on this side of the service, in numeric order.
    pub const CLIENT_SIDE: [ErrorKind; 8] = [
        ErrorKind::InvalidArgument,
        ErrorKind::FieldTooLong,
        ErrorKind::Network,
        ErrorKind::Timeout,
        ErrorKind::Tls,
        ErrorKind::HttpStatus,
        ErrorKind::UnexpectedResponse,
        ErrorKind::SoapFault,
    ];

    /// The stable number of this class, shared by every language: a service status's own
    /// number (0–99, see [`Status`]), or 100 and up for conditions on this side. 102
    /// (`BUFFER_TOO_SMALL`) and 108 (`PANIC`) exist only at the C boundary; 109 is
    /// `SOAP_FAULT`.
    pub const fn code(self) -> u32 {
        match self {
            ErrorKind::Service(status) => status.code(),
            ErrorKind::InvalidArgument => 100,
            ErrorKind::FieldTooLong => 101,
            ErrorKind::Network => 103,
            ErrorKind::Timeout => 104,
            ErrorKind::Tls => 105,
            ErrorKind::HttpStatus => 106,
            ErrorKind::UnexpectedResponse => 107,
            ErrorKind::SoapFault => 109,
        }
    }

    /// The name of this class in every language: the service's word (`"NOTLOGGEDIN"`) or
    /// the client-side name (`"FIELD_TOO_LONG"`).
    pub const fn name(self) -> &'static str {
        match self {
            ErrorKind::Service(status) => status.as_str(),
            ErrorKind::InvalidArgument => "INVALID_ARGUMENT",
            ErrorKind::FieldTooLong => "FIELD_TOO_LONG",
            ErrorKind::Network => "NETWORK",
            ErrorKind::Timeout => "TIMEOUT",
            ErrorKind::Tls => "TLS",
            ErrorKind::HttpStatus => "HTTP_STATUS",
            ErrorKind::UnexpectedResponse => "UNEXPECTED_RESPONSE",
            ErrorKind::SoapFault => "SOAP_FAULT",
        }
    }
}

impl Error {
    /// The class of this error.
    pub fn kind(&self) -> ErrorKind {
        match self {
            Error::Service(status) | Error::RenewalRefused { status, .. } => {
                ErrorKind::Service(*status)
            }
            Error::InvalidArgument { .. } => ErrorKind::InvalidArgument,
            Error::FieldTooLong { .. } => ErrorKind::FieldTooLong,
            Error::Network(_) => ErrorKind::Network,
            Error::Timeout(_) => ErrorKind::Timeout,
            Error::Tls(_) => ErrorKind::Tls,
            Error::HttpStatus(_) => ErrorKind::HttpStatus,
            Error::UnexpectedResponse(_) => ErrorKind::UnexpectedResponse,
            Error::SoapFault { .. } => ErrorKind::SoapFault,
        }
    }

    /// The service's status, when the service answered one.
    pub fn status(&self) -> Option<Status> {
        match self {
            Error::Service(status) | Error::RenewalRefused { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// The same error with `note` added to its text (a service status becomes
    /// [`Error::RenewalRefused`] with `note` as its reason).
    pub(crate) fn with_note(self, note: &str) -> Self {
        match self {
            Error::Network(text) => Error::Network(format!("{text} ({note})")),
            Error::Timeout(text) => Error::Timeout(format!("{text} ({note})")),
            Error::Tls(text) => Error::Tls(format!("{text} ({note})")),
            Error::UnexpectedResponse(text) => {
                Error::UnexpectedResponse(format!("{text} ({note})"))
            }
            Error::Service(status) => Error::RenewalRefused {
                status,
                reason: note.to_owned(),
            },
            other => other,
        }
    }

    pub(crate) fn invalid(name: &'static str, reason: impl Into<String>) -> Self {
        Error::InvalidArgument {
            name,
            reason: reason.into(),
        }
    }

    /// An unexpected answer: `what` was wrong with it; keeps an excerpt of `body`.
    pub(crate) fn unexpected(what: &str, body: &str) -> Self {
        let excerpt: String = body.chars().take(EXCERPT_CHARS).collect();
        Error::UnexpectedResponse(format!("{what}: {excerpt:?}"))
    }
}
