//! Reading the service's answers: plain text from the `.aspx` pages, or a SOAP response,
//! into one shape the client reads (a status, then the value the call returns).
//!
//! The layout is not pinned down (API.md): the vendor page shows `OK PINCODE:123456`,
//! production traffic implies `OK\r\nPINCODE:123456`, and one page puts a space after the
//! colon. So: the first whitespace-separated token is the status, compared as a whole word;
//! after `OK` comes `KEY:` and the value, with any whitespace between; a BOM is skipped.

use std::borrow::Cow;

use zeroize::Zeroizing;

use crate::error::Error;
use crate::soap;
use crate::status::Status;

/// An answer of the service, in the encoding it came in. Zeroed when dropped: an authcode
/// answer holds a secret.
pub(crate) enum Answer {
    /// An `.aspx` page's text.
    Text(Zeroizing<String>),
    /// A SOAP response, and the XML it was read from (for the excerpt of an error).
    Soap(soap::Answer, Zeroizing<String>),
}

impl Answer {
    /// The call's outcome: `Ok(None)` for a bare `OK` when `key` is `None`, `Ok(Some(value))`
    /// for the value `key` names, the documented status as [`Error::Service`], anything else
    /// as [`Error::UnexpectedResponse`]. A SOAP PIN is padded back to six digits.
    pub(crate) fn read(&self, key: Option<Key>) -> Result<Option<Cow<'_, str>>, Error> {
        match self {
            Answer::Text(body) => Ok(parse(body, key)?.map(Cow::Borrowed)),
            Answer::Soap(answer, xml) => read_soap(answer, xml, key),
        }
    }

    /// The answer's status word for a log: a documented word (text) or the result enum
    /// (SOAP); anything else is not quoted, as it could hold anything.
    pub(crate) fn word(&self) -> &str {
        match self {
            Answer::Text(body) => {
                let text = body.strip_prefix('\u{feff}').unwrap_or(body);
                match text.split_whitespace().next() {
                    Some(word) if word.parse::<Status>().is_ok() => word,
                    _ => "(an unknown answer)",
                }
            }
            Answer::Soap(answer, _) => match answer.result.as_deref() {
                Some(word) if soap::status(word).is_some() => word,
                _ => "(an unknown answer)",
            },
        }
    }

    /// The answer's size in bytes.
    pub(crate) fn len(&self) -> usize {
        match self {
            Answer::Text(body) | Answer::Soap(_, body) => body.len(),
        }
    }

    /// The SMS invitation's result (`SMS_RESULT: …` in text, an `…SMSResult` element in
    /// SOAP), if the answer has one. Read only after [`read`](Self::read) said `OK`.
    pub(crate) fn sms_result(&self) -> Option<String> {
        match self {
            Answer::Text(body) => sms_result(body).map(str::to_owned),
            Answer::Soap(answer, _) => answer.sms_result.clone(),
        }
    }
}

/// The text after `SMS_RESULT:` to the end of its line, trimmed (v4 documents
/// `SMS_RESULT: sendInvitationForMobileSession_OK` on the line after the PIN).
fn sms_result(body: &str) -> Option<&str> {
    const KEY: &str = "SMS_RESULT:";
    let start = body.find(KEY)? + KEY.len();
    let rest = &body[start..];
    let end = rest.find(['\r', '\n']).unwrap_or(rest.len());
    Some(rest[..end].trim())
}

fn read_soap<'a>(
    answer: &'a soap::Answer,
    xml: &str,
    key: Option<Key>,
) -> Result<Option<Cow<'a, str>>, Error> {
    // An authcode answer's XML may hold the code: errors about it never quote it.
    let xml = match key {
        Some(Key::AuthCode) => "(not quoted: it may hold the authcode)",
        _ => xml,
    };
    let word = answer
        .result
        .as_deref()
        .ok_or_else(|| Error::unexpected("a SOAP response without its result", xml))?;
    let status =
        soap::status(word).ok_or_else(|| Error::unexpected("unknown return value", word))?;
    if status != Status::Ok {
        return Err(Error::Service(status));
    }
    match key {
        None => Ok(None),
        Some(Key::PinCode) => {
            let pin = answer
                .pin
                .as_deref()
                .ok_or_else(|| Error::unexpected("OK without a PIN code", xml))?;
            let digits = soap::pin_digits(pin)
                .ok_or_else(|| Error::unexpected("the PIN code is not 6 digits", pin))?;
            Ok(Some(Cow::Owned(digits)))
        }
        Some(Key::AuthCode) => match answer.auth_code.as_deref() {
            Some(code) if !code.is_empty() => Ok(Some(Cow::Borrowed(code))),
            // Never the XML: it would hold nothing useful and might hold the code.
            _ => Err(Error::UnexpectedResponse(
                "requestAuthCode_OK without an sAuthCode".to_owned(),
            )),
        },
    }
}

/// The key of the value an `OK` answer carries.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Key {
    PinCode,
    AuthCode,
}

impl Key {
    fn as_str(self) -> &'static str {
        match self {
            Key::PinCode => "PINCODE:",
            Key::AuthCode => "AUTHCODE:",
        }
    }
}

/// Parses an answer: `Ok(None)` for a bare `OK` when `key` is `None`, `Ok(Some(value))`
/// for `OK KEY:value`, the documented status as [`Error::Service`], anything else as
/// [`Error::UnexpectedResponse`].
pub(crate) fn parse(body: &str, key: Option<Key>) -> Result<Option<&str>, Error> {
    let text = body.strip_prefix('\u{feff}').unwrap_or(body).trim();
    let (word, rest) = match text.split_once(char::is_whitespace) {
        Some((word, rest)) => (word, rest.trim_start()),
        None => (text, ""),
    };
    if word.is_empty() {
        return Err(Error::unexpected("empty answer", body));
    }
    let status: Status = word
        .parse()
        .map_err(|_| Error::unexpected("unknown return value", body))?;
    if status != Status::Ok {
        return Err(Error::Service(status));
    }
    let Some(key) = key else {
        return Ok(None);
    };
    let value = rest
        .strip_prefix(key.as_str())
        .and_then(|after| after.split_whitespace().next())
        .ok_or_else(|| Error::unexpected(&format!("OK without {}", key.as_str()), body))?;
    Ok(Some(value))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sms_results_of_every_layout() {
        for body in [
            "OK PINCODE:123456 SMS_RESULT: sendInvitationForMobileSession_OK",
            "OK\r\nPINCODE:123456\r\nSMS_RESULT: sendInvitationForMobileSession_OK\r\n",
            "OK\nPINCODE:123456\nSMS_RESULT:sendInvitationForMobileSession_OK",
        ] {
            assert_eq!(
                sms_result(body),
                Some("sendInvitationForMobileSession_OK"),
                "{body:?}"
            );
        }
        assert_eq!(sms_result("OK\r\nPINCODE:123456\r\n"), None);
        assert_eq!(
            sms_result("OK\r\nPINCODE:1\r\nSMS_RESULT: a failed word\r\n"),
            Some("a failed word")
        );
    }

    #[test]
    fn layouts_of_api_md() {
        for body in [
            "OK PINCODE:012345",
            "OK\r\nPINCODE:012345\r\n",
            "OK PINCODE: 012345",
            "\u{feff}OK\nPINCODE:012345  ",
            "OK\r\nPINCODE:012345\r\nSMS_RESULT: OK",
        ] {
            assert_eq!(
                parse(body, Some(Key::PinCode)),
                Ok(Some("012345")),
                "{body:?}"
            );
        }
        assert_eq!(
            parse("OK AUTHCODE: 4ahx80u0", Some(Key::AuthCode)),
            Ok(Some("4ahx80u0"))
        );
        assert_eq!(parse("OK", None), Ok(None));
        assert_eq!(parse(" OK\r\n", None), Ok(None));
    }

    #[test]
    fn statuses_are_whole_words() {
        assert_eq!(
            parse("POLLRATEEXCEEDED", Some(Key::PinCode)),
            Err(Error::Service(Status::PollRateExceeded))
        );
        for body in [
            "NOTOK",
            "OKAY",
            "INVALIDPINFORMAT",
            "",
            "  \r\n",
            "<html>OK</html>",
        ] {
            assert!(
                matches!(parse(body, None), Err(Error::UnexpectedResponse(_))),
                "{body:?}"
            );
        }
    }

    #[test]
    fn ok_without_its_value_is_unexpected() {
        for body in ["OK", "OK PINCODE:", "OK AUTHCODE:1", "OK PIN:123456"] {
            assert!(
                matches!(
                    parse(body, Some(Key::PinCode)),
                    Err(Error::UnexpectedResponse(_))
                ),
                "{body:?}"
            );
        }
    }

    #[test]
    fn excerpt_is_capped() {
        let body = format!("SOMETHING_NEW {}", "x".repeat(1000));
        let Err(Error::UnexpectedResponse(text)) = parse(&body, None) else {
            panic!("expected UnexpectedResponse");
        };
        assert!(text.contains("SOMETHING_NEW"));
        assert!(text.len() < 260, "{}", text.len());
    }

    mod properties {
        use super::super::*;
        use crate::error::EXCERPT_CHARS;

        const BOM: &str = "\u{feff}";
        use proptest::prelude::*;

        proptest! {
            /// Any answer at all: no panic, and only documented outcomes.
            #[test]
            fn never_panics(body in ".{0,300}", with_key in any::<bool>()) {
                let key = with_key.then_some(Key::PinCode);
                match parse(&body, key) {
                    Ok(value) => {
                        let text = body.trim_start_matches(BOM).trim_start();
                        prop_assert!(text.starts_with("OK") && value.is_some() == with_key);
                    }
                    Err(Error::Service(status)) => prop_assert_ne!(status, Status::Ok),
                    Err(Error::UnexpectedResponse(text)) => // Each kept character escapes to at most 10 (`\u{10ffff}`).
                        prop_assert!(text.len() <= 40 + 10 * EXCERPT_CHARS),
                    Err(other) => prop_assert!(false, "{:?}", other),
                }
            }

            /// Every layout API.md allows gives the PIN back unchanged.
            #[test]
            fn pins_survive_any_documented_layout(
                pin in "[0-9]{6}",
                bom in any::<bool>(),
                between in prop_oneof![Just(" "), Just("\r\n"), Just("\n"), Just("  \t")],
                after_colon in prop_oneof![Just(""), Just(" ")],
                tail in prop_oneof![Just(""), Just("\r\n"), Just("\r\nSMS_RESULT: OK")],
            ) {
                let body = format!("{}OK{between}PINCODE:{after_colon}{pin}{tail}", if bom { BOM } else { "" });
                prop_assert_eq!(parse(&body, Some(Key::PinCode)), Ok(Some(pin.as_str())));
            }

            /// A documented word followed by anything is that status, never OK.
            #[test]
            fn status_words_win(index in 1usize..Status::ALL.len(), tail in "(\\s.{0,40})?") {
                let status = Status::ALL[index];
                let body = format!("{}{tail}", status.as_str());
                prop_assert_eq!(parse(&body, Some(Key::PinCode)), Err(Error::Service(status)));
            }
        }
    }
}
