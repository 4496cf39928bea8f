//! Exit codes: one per failure class, so scripts can tell them apart.

use rescue::ErrorKind;

/// Why the command failed.
#[derive(Debug)]
pub enum Failure {
    /// The library's error.
    Rescue(rescue::Error),
    /// No credentials in the environment.
    MissingCredentials(&'static str),
    /// Anything else: the sandbox could not start, stdout is closed…
    Other(String),
}

impl From<rescue::Error> for Failure {
    fn from(error: rescue::Error) -> Self {
        Failure::Rescue(error)
    }
}

impl Failure {
    /// The process exit code (documented in the README):
    /// 1 other, 2 usage (clap), 3 missing credentials, 4 invalid argument, 5 field too
    /// long, 6 network, 7 timeout, 8 TLS, 9 HTTP status, 10 unexpected response, 11 SOAP
    /// fault, and 20 + the status number for a service answer (21 ERROR … 33
    /// GLOBAL_IP_RESTRICTED).
    pub fn exit_code(&self) -> u8 {
        match self {
            Failure::Other(_) => 1,
            Failure::MissingCredentials(_) => 3,
            Failure::Rescue(error) => match error.kind() {
                ErrorKind::InvalidArgument => 4,
                ErrorKind::FieldTooLong => 5,
                ErrorKind::Network => 6,
                ErrorKind::Timeout => 7,
                ErrorKind::Tls => 8,
                ErrorKind::HttpStatus => 9,
                ErrorKind::UnexpectedResponse => 10,
                ErrorKind::SoapFault => 11,
                // Status numbers are 0..=13 and stay below 100 by design.
                ErrorKind::Service(status) => 20 + status.code() as u8,
            },
        }
    }

    /// One line for stderr, with the status word first where there is one.
    pub fn message(&self) -> String {
        match self {
            Failure::Rescue(error) => format!("{}: {error}", error.kind().name()),
            Failure::MissingCredentials(what) => format!("no credentials: {what}"),
            Failure::Other(message) => message.clone(),
        }
    }
}
