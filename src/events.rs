//! What the library tells a log hook (the `log` facade, target `rescue`): one event per
//! exchange and per notable step. Secrets never appear at any level: no URL (a GET query
//! holds the parameters), no value of a password, authcode or cookie, a phone number with
//! all but its last two digits masked, other field values only as lengths.
//!
//! Levels: `warn` a call failed on this side (network, timeout, TLS, HTTP, unexpected
//! answer) or a renewal was refused; `info` logins, logouts and renewals; `debug` each
//! exchange sent and answered, with its timing; `trace` the parameters' names and lengths.

use std::time::Duration;

use log::{debug, log_enabled, trace, warn, Level};

use crate::call::Call;
use crate::encoding::Transport;
use crate::error::Error;
use crate::response::Answer;
use crate::soap;

/// The log target of every event.
pub(crate) const TARGET: &str = "rescue";

/// One exchange, as the events name it.
pub(crate) struct Exchange<'a> {
    call: Call,
    transport: Transport,
    origin: &'a str,
}

impl<'a> Exchange<'a> {
    pub(crate) fn new(call: Call, transport: Transport, origin: &'a str) -> Self {
        Exchange {
            call,
            transport,
            origin,
        }
    }

    /// The page or operation, e.g. `requestLensPINCode.aspx` or `API.asmx requestPINCode`.
    fn name(&self) -> String {
        match (self.transport.soap(), soap::operation(self.call)) {
            (Some(_), Some(op)) => format!("API.asmx {op}"),
            _ => self.call.page().to_owned(),
        }
    }

    pub(crate) fn sent(&self, params: &[(&str, &str)], proxied: bool) {
        if !log_enabled!(target: TARGET, Level::Debug) {
            return;
        }
        let via = if proxied { " through a proxy" } else { "" };
        debug!(target: TARGET, "{} over {} to {}{via}", self.name(), self.transport, self.origin);
        if log_enabled!(target: TARGET, Level::Trace) {
            let shown: Vec<String> = params
                .iter()
                .map(|&(name, value)| shown(name, value))
                .collect();
            trace!(target: TARGET, "{} parameters: {}", self.name(), shown.join(", "));
        }
    }

    pub(crate) fn answered(&self, answer: &Answer, elapsed: Duration) {
        debug!(
            target: TARGET,
            "{} answered {} ({} bytes) in {} µs",
            self.name(),
            answer.word(),
            answer.len(),
            elapsed.as_micros()
        );
    }

    pub(crate) fn failed(&self, error: &Error, elapsed: Duration) {
        if crate::interrupt::fired() {
            // Not a failure of the service's: the caller stopped it (Python's Ctrl-C).
            debug!(
                target: TARGET,
                "{} interrupted by the caller after {} µs",
                self.name(),
                elapsed.as_micros()
            );
            return;
        }
        // The core's error texts never hold a secret (src/error.rs).
        warn!(
            target: TARGET,
            "{} failed after {} µs: {} {error}",
            self.name(),
            elapsed.as_micros(),
            error.kind().name()
        );
    }
}

/// A parameter as a log may show it: its name and what is safe to say of its value.
fn shown(name: &str, value: &str) -> String {
    match name {
        "pwd" | "authcode" => format!("{name}=(secret)"),
        "PhoneNumber" => format!("{name}={}", masked_phone(value)),
        // Not personal: the email says who logs in, the rest are the service's words.
        "email" | "LangCode" | "NodeId" | "notechconsole" => format!("{name}={value}"),
        _ => format!("{name}=({} chars)", value.chars().count()),
    }
}

/// All but the last two digits masked: `***23`.
pub(crate) fn masked_phone(number: &str) -> String {
    let digits: Vec<char> = number.chars().filter(char::is_ascii_digit).collect();
    let tail: String = digits[digits.len().saturating_sub(2)..].iter().collect();
    format!("***{tail}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parameters_are_shown_without_secrets() {
        assert_eq!(shown("pwd", "hunter2"), "pwd=(secret)");
        assert_eq!(shown("authcode", "abc"), "authcode=(secret)");
        assert_eq!(shown("PhoneNumber", "+44 7700 900123"), "PhoneNumber=***23");
        assert_eq!(shown("cfield0", "Jane Doe"), "cfield0=(8 chars)");
        assert_eq!(shown("LangCode", "de"), "LangCode=de");
        assert_eq!(masked_phone("1"), "***1");
    }
}
