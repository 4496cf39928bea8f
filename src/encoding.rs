//! The documented ways a call travels: an HTTP form (POST), a query string (GET), or a SOAP
//! envelope (1.1 or 1.2). Each is an encoding of the same calls; the client above doesn't
//! know which one is in use.

use std::fmt;
use std::str::FromStr;

use crate::soap;

/// How requests carry their parameters and answers come back. All four are documented for
/// every call the client makes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Transport {
    /// The `.aspx` pages with a form body (`application/x-www-form-urlencoded`): keeps
    /// secrets out of URLs and proxy logs. The default.
    #[default]
    HttpPost,
    /// The `.aspx` pages with the parameters in the query string.
    HttpGet,
    /// `API.asmx`, SOAP 1.1 (`text/xml`, a `SOAPAction` header).
    Soap11,
    /// `API.asmx`, SOAP 1.2 (`application/soap+xml`).
    Soap12,
}

impl Transport {
    /// Every transport, in the order of their stable numbers (C `RESCUE_TRANSPORT_*`).
    pub const ALL: [Transport; 4] = [
        Transport::HttpPost,
        Transport::HttpGet,
        Transport::Soap11,
        Transport::Soap12,
    ];

    /// The name used by the CLI, Python and PHP: `http-post`, `http-get`, `soap11`,
    /// `soap12`.
    pub const fn name(self) -> &'static str {
        match self {
            Transport::HttpPost => "http-post",
            Transport::HttpGet => "http-get",
            Transport::Soap11 => "soap11",
            Transport::Soap12 => "soap12",
        }
    }

    /// The stable number of this transport (C `rescue_transport`).
    pub const fn code(self) -> u32 {
        self as u32
    }

    /// The SOAP version, for the SOAP transports.
    pub(crate) fn soap(self) -> Option<soap::Version> {
        match self {
            Transport::Soap11 => Some(soap::Version::V11),
            Transport::Soap12 => Some(soap::Version::V12),
            Transport::HttpPost | Transport::HttpGet => None,
        }
    }
}

impl From<crate::Method> for Transport {
    fn from(method: crate::Method) -> Self {
        match method {
            crate::Method::Post => Transport::HttpPost,
            crate::Method::Get => Transport::HttpGet,
        }
    }
}

impl fmt::Display for Transport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The text is not a transport's name.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("not a transport: expected http-post, http-get, soap11 or soap12")]
pub struct ParseTransportError;

impl FromStr for Transport {
    type Err = ParseTransportError;

    /// A name of [`Transport::name`], ignoring ASCII case.
    fn from_str(name: &str) -> Result<Self, Self::Err> {
        Transport::ALL
            .into_iter()
            .find(|t| t.name().eq_ignore_ascii_case(name))
            .ok_or(ParseTransportError)
    }
}
