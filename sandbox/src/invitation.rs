//! Lens SMS invitations (`requestLensPINCode_v3` / `_v4`, SOAP `requestLensPINCodeV3`):
//! the languages, the text the sandbox would send, and what becomes of the SMS. Nothing is
//! ever sent; the invitation is only recorded.

/// The join link the customer taps; the PIN follows `Code=` (API.md).
pub const JOIN_URL: &str = "https://secure.logmeinrescue.com/R?i=2&Code=";

/// The only `SMS_RESULT` word the vendor documents.
pub const SMS_SENT: &str = "sendInvitationForMobileSession_OK";

/// The sandbox's word for an SMS that could not be sent (the vendor documents none; this
/// one follows the `<enum>_Error` pattern of the SOAP result words).
pub const SMS_FAILED: &str = "sendInvitationForMobileSession_Error";

/// A phone number starting with this (after leading spaces) makes the SMS fail: `+999` is
/// not an assigned country calling code.
pub const FAILING_PREFIX: &str = "+999";

/// The invitation's languages, exactly as the service spells them (`LangCode`), and the
/// sandbox's own wording of the SMS in each (the vendor's text is not documented).
/// `{url}` is the join link, `{pin}` the PIN.
const LANGS: [(&str, &str); 6] = [
    (
        "de",
        "Ihr Techniker lädt Sie zu einer Rescue Lens-Sitzung ein. Tippen Sie auf {url} oder \
geben Sie die PIN {pin} ein.",
    ),
    (
        "en",
        "Your technician invites you to a Rescue Lens session. Tap {url} or enter PIN {pin}.",
    ),
    (
        "es",
        "Su técnico le invita a una sesión de Rescue Lens. Toque {url} o introduzca el PIN {pin}.",
    ),
    (
        "fr",
        "Votre technicien vous invite à une session Rescue Lens. Touchez {url} ou saisissez le \
code PIN {pin}.",
    ),
    (
        "nl",
        "Uw technicus nodigt u uit voor een Rescue Lens-sessie. Tik op {url} of voer pincode \
{pin} in.",
    ),
    (
        "pt-br",
        "Seu técnico convidou você para uma sessão do Rescue Lens. Toque em {url} ou digite o \
PIN {pin}.",
    ),
];

/// English: the service's default language.
const DEFAULT_LANG: Lang = Lang(1);

/// One of the invitation languages.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Lang(usize);

impl Lang {
    /// The language of a `LangCode` parameter: absent or empty → English; one of the six
    /// codes spelled exactly as the service writes them (lower case); anything else → `None`
    /// (the request is refused with `ERROR`).
    pub(crate) fn from_param(code: Option<&str>) -> Option<Lang> {
        match code {
            None | Some("") => Some(DEFAULT_LANG),
            Some(code) => LANGS.iter().position(|(c, _)| *c == code).map(Lang),
        }
    }

    /// The SMS text with the join link and the PIN.
    pub(crate) fn text(self, pin: u32) -> String {
        let pin = format!("{pin:06}");
        LANGS[self.0]
            .1
            .replace("{url}", &format!("{JOIN_URL}{pin}"))
            .replace("{pin}", &pin)
    }
}

/// What the service would answer about the SMS to `phone_number`: [`SMS_FAILED`] for a
/// number starting with [`FAILING_PREFIX`] or holding no digit at all, else [`SMS_SENT`].
pub(crate) fn sms_result(phone_number: &str) -> &'static str {
    let number = phone_number.trim_start();
    if number.starts_with(FAILING_PREFIX) || !number.chars().any(|c| c.is_ascii_digit()) {
        SMS_FAILED
    } else {
        SMS_SENT
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn languages_are_spelled_as_the_service_writes_them() {
        assert_eq!(Lang::from_param(None), Some(DEFAULT_LANG));
        assert_eq!(Lang::from_param(Some("")), Some(DEFAULT_LANG));
        assert_eq!(Lang::from_param(Some("pt-br")), Some(Lang(5)));
        for refused in ["DE", "pt", "pt_br", "it", " en"] {
            assert_eq!(Lang::from_param(Some(refused)), None, "{refused}");
        }
    }

    #[test]
    fn every_text_carries_the_link_and_the_pin() {
        for (i, _) in LANGS.iter().enumerate() {
            let text = Lang(i).text(4217);
            assert!(text.contains("https://secure.logmeinrescue.com/R?i=2&Code=004217 "));
            assert!(text.contains(" 004217"), "{text}");
            assert!(!text.contains('{'), "{text}");
        }
    }

    #[test]
    fn failing_numbers() {
        assert_eq!(sms_result("+1 555 0100"), SMS_SENT);
        assert_eq!(sms_result(" +999 123"), SMS_FAILED);
        assert_eq!(sms_result("call me"), SMS_FAILED);
    }
}
