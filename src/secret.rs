//! Secrets: passwords, authcodes and cookies that must never be printed and are zeroed
//! when dropped.

use std::fmt;
use zeroize::Zeroizing;

/// A secret string. `Debug` shows `"***"`; the memory is zeroed on drop.
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct Secret(Zeroizing<String>);

impl Secret {
    pub(crate) fn new(value: &str) -> Self {
        Secret(Zeroizing::new(value.to_owned()))
    }

    pub(crate) fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("\"***\"")
    }
}
