//! Lens invitations (`requestLensPINCode_v3` / `_v4`): the PIN texted to the customer's
//! phone, in their language, optionally created for another technician.

use std::fmt;

use crate::call::Call;
use crate::error::Error;
use crate::pin::Pin;
use crate::secret::Secret;

/// The languages the service writes an invitation in (`LangCode`), as it spells them.
pub const LANG_CODES: [&str; 6] = ["de", "en", "es", "fr", "nl", "pt-br"];

/// The longest phone number accepted, in characters. The service decides what a valid
/// number is; this only keeps nonsense from being sent.
pub const PHONE_NUMBER_MAX: usize = 32;

/// What a Lens PIN request adds for an invitation: the customer's phone number (an SMS with
/// the PIN and the join link goes there), the invitation's language, and the technician the
/// PIN is created for. All optional; the empty invitation is the plain v1 request.
///
/// ```
/// use rescue::LensInvitation;
///
/// let invitation = LensInvitation::new().phone_number("+1 555 0100").lang_code("DE");
/// assert_eq!(invitation.lang(), Some("de"));
/// assert!(!format!("{invitation:?}").contains("555"));
/// ```
#[derive(Clone, Default, PartialEq, Eq)]
pub struct LensInvitation {
    phone_number: Option<Secret>,
    lang_code: Option<String>,
    node_id: Option<String>,
}

impl LensInvitation {
    /// The empty invitation: no SMS, the service's language, the calling technician.
    pub fn new() -> Self {
        Self::default()
    }

    /// Texts the invitation to this number (`PhoneNumber`). A customer's number is
    /// personal data: it never appears in errors or `Debug` output (only its last two
    /// digits).
    pub fn phone_number(mut self, number: &str) -> Self {
        self.phone_number = Some(Secret::new(number));
        self
    }

    /// The invitation's language (`LangCode`): one of [`LANG_CODES`], any case. Without it
    /// the service writes English.
    pub fn lang_code(mut self, lang: impl Into<String>) -> Self {
        self.lang_code = Some(lang.into());
        self
    }

    /// Creates the PIN for this technician (`NodeId`, decimal digits) instead of the
    /// caller: for helpdesk systems and administrators with a technician licence. Only the
    /// `.aspx` pages take it (`_v4`); over SOAP it is refused.
    pub fn node_id(mut self, node_id: impl Into<String>) -> Self {
        self.node_id = Some(node_id.into());
        self
    }

    /// The language as it is sent (lower case), if set.
    pub fn lang(&self) -> Option<&str> {
        self.lang_code
            .as_deref()
            .and_then(|lang| LANG_CODES.iter().find(|c| c.eq_ignore_ascii_case(lang)))
            .copied()
    }

    /// Whether nothing is set, so the request is the plain v1 one.
    pub fn is_empty(&self) -> bool {
        self.phone_number.is_none() && self.lang_code.is_none() && self.node_id.is_none()
    }

    /// The page that carries this invitation: v1 when empty, `_v4` with a NodeId, else `_v3`.
    pub(crate) fn call(&self) -> Call {
        if self.node_id.is_some() {
            Call::RequestLensPinV4
        } else if self.is_empty() {
            Call::RequestLensPin
        } else {
            Call::RequestLensPinV3
        }
    }

    /// Refuses, before any traffic, what can't be an invitation.
    pub(crate) fn validate(&self) -> Result<(), Error> {
        if let Some(number) = &self.phone_number {
            let number = number.expose();
            if number.trim().is_empty() {
                return Err(Error::invalid("phone_number", "is empty"));
            }
            if number.chars().any(char::is_control) {
                return Err(Error::invalid(
                    "phone_number",
                    "contains a control character or NUL byte",
                ));
            }
            let length = number.chars().count();
            if length > PHONE_NUMBER_MAX {
                return Err(Error::invalid(
                    "phone_number",
                    format!("is {length} characters long; at most {PHONE_NUMBER_MAX} are sent"),
                ));
            }
        }
        if self.lang_code.is_some() && self.lang().is_none() {
            return Err(Error::invalid(
                "lang_code",
                "must be one of de, en, es, fr, nl, pt-br",
            ));
        }
        if let Some(node_id) = &self.node_id {
            if node_id.is_empty()
                || node_id.len() > 20
                || !node_id.bytes().all(|b| b.is_ascii_digit())
            {
                return Err(Error::invalid(
                    "node_id",
                    "must be decimal digits (at most 20)",
                ));
            }
        }
        Ok(())
    }

    /// The parameters it adds, in documented order, with the service's names.
    pub(crate) fn params(&self) -> Vec<(&'static str, &str)> {
        let mut params = Vec::new();
        if let Some(number) = &self.phone_number {
            params.push(("PhoneNumber", number.expose()));
        }
        if let Some(lang) = self.lang() {
            params.push(("LangCode", lang));
        }
        if let Some(node_id) = &self.node_id {
            params.push(("NodeId", node_id.as_str()));
        }
        params
    }
}

impl fmt::Debug for LensInvitation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LensInvitation")
            .field(
                "phone_number",
                &self.phone_number.as_ref().map(|n| MaskedPhone(n.expose())),
            )
            .field("lang_code", &self.lang_code)
            .field("node_id", &self.node_id)
            .finish()
    }
}

/// A phone number with all but its last two digits masked: `***00`.
struct MaskedPhone<'a>(&'a str);

impl fmt::Debug for MaskedPhone<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "\"{}\"", crate::events::masked_phone(self.0))
    }
}

/// A Lens PIN and what became of its SMS invitation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LensPin {
    pin: Pin,
    sms_result: Option<String>,
}

impl LensPin {
    pub(crate) fn new(pin: Pin, sms_result: Option<String>) -> Self {
        LensPin { pin, sms_result }
    }

    /// The PIN. It exists whatever became of the SMS.
    pub fn pin(&self) -> &Pin {
        &self.pin
    }

    /// The service's `SMS_RESULT` word, e.g. `sendInvitationForMobileSession_OK` (the only
    /// value documented); `None` when the answer has none (no SMS was asked for). Any other
    /// word is returned as it came, not as an error: the PIN was still created.
    pub fn sms_result(&self) -> Option<&str> {
        self.sms_result.as_deref()
    }

    /// Whether the service reported the SMS as sent (`…_OK`).
    pub fn sms_sent(&self) -> bool {
        self.sms_result
            .as_deref()
            .is_some_and(|r| r.ends_with("_OK"))
    }

    /// The PIN and the SMS result.
    pub fn into_parts(self) -> (Pin, Option<String>) {
        (self.pin, self.sms_result)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn picks_the_page() {
        assert_eq!(LensInvitation::new().call(), Call::RequestLensPin);
        assert_eq!(
            LensInvitation::new().lang_code("en").call(),
            Call::RequestLensPinV3
        );
        assert_eq!(
            LensInvitation::new().phone_number("1").node_id("7").call(),
            Call::RequestLensPinV4
        );
    }

    #[test]
    fn checks_before_sending() {
        let bad = [
            LensInvitation::new().phone_number(""),
            LensInvitation::new().phone_number("  "),
            LensInvitation::new().phone_number("+1\n555"),
            LensInvitation::new().phone_number(&"1".repeat(33)),
            LensInvitation::new().lang_code("it"),
            LensInvitation::new().lang_code("pt"),
            LensInvitation::new().node_id(""),
            LensInvitation::new().node_id("12a"),
            LensInvitation::new().node_id("-1"),
        ];
        for invitation in bad {
            assert!(invitation.validate().is_err(), "{invitation:?}");
        }
        let good = LensInvitation::new()
            .phone_number(&"1".repeat(32))
            .lang_code("PT-BR")
            .node_id("0042");
        assert_eq!(good.validate(), Ok(()));
        assert_eq!(good.params()[1], ("LangCode", "pt-br"));
    }

    #[test]
    fn debug_masks_the_phone_number() {
        let shown = format!(
            "{:?}",
            LensInvitation::new().phone_number("+44 7700 900123")
        );
        assert!(shown.contains("***23"), "{shown}");
        assert!(
            !shown.contains("7700") && !shown.contains("9001"),
            "{shown}"
        );
    }
}
