//! The PIN code a customer types to join a session.

use std::fmt;

/// Where a customer joins a session with a PIN (seen in public integrations).
pub const JOIN_URL_PREFIX: &str = "https://secure.logmeinrescue.com/R?i=2&Code=";

/// A 6-digit PIN code. It is a string: leading zeros (`012345`) are part of it.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Pin(String);

impl Pin {
    /// Accepts exactly six ASCII digits.
    pub(crate) fn parse(text: &str) -> Option<Pin> {
        (text.len() == 6 && text.bytes().all(|b| b.is_ascii_digit())).then(|| Pin(text.into()))
    }

    /// The six digits.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The link the customer opens to join the session with this PIN.
    pub fn join_url(&self) -> String {
        format!("{JOIN_URL_PREFIX}{}", self.0)
    }
}

impl fmt::Display for Pin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for Pin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Pin({:?})", self.0)
    }
}

impl AsRef<str> for Pin {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl From<Pin> for String {
    fn from(pin: Pin) -> String {
        pin.0
    }
}

#[cfg(test)]
mod tests {
    use super::Pin;

    #[test]
    fn six_digits_only_and_zeros_kept() {
        let pin = Pin::parse("012345").expect("valid");
        assert_eq!(pin.as_str(), "012345");
        assert_eq!(
            pin.join_url(),
            "https://secure.logmeinrescue.com/R?i=2&Code=012345"
        );
        for bad in ["12345", "1234567", "12345a", "", "１２３４５６"] {
            assert!(Pin::parse(bad).is_none(), "{bad:?}");
        }
    }
}
