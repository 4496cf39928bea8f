//! Entry points for the fuzz targets (`fuzz/`) and the corpus replay (`tests/corpus.rs`),
//! behind the cargo feature `fuzzing`. Not part of the API: no stability promise.
//!
//! Each function feeds untrusted bytes through exactly the code the client runs on what a
//! server sends, and panics when an outcome breaks a promise the client makes, so that a
//! fuzzer reports it like a crash.

use crate::client::parse_pin;
use crate::cookies::Jar;
use crate::error::{Error, EXCERPT_CHARS};
use zeroize::Zeroizing;

use crate::response::{self, Answer, Key};
use crate::soap;
use crate::status::Status;
use crate::transport::{decode_body, Call};

/// The longest message an unexpected answer may produce: a short reason and an excerpt of
/// [`EXCERPT_CHARS`] characters, each escaped to at most 10 bytes (`\u{10ffff}`).
const MESSAGE_CAP: usize = 100 + 10 * EXCERPT_CHARS;

/// A body as the transport receives it: the UTF-8 check, then every way the client reads
/// an answer (bare status for login/logout, `AUTHCODE:`, `PINCODE:` with the PIN check).
///
/// # Panics
///
/// When an outcome breaks the parser's contract: a value that isn't in the body, a PIN
/// that isn't six digits, `OK` reported as a failure, an unbounded error message.
pub fn parse_answer(bytes: &[u8]) {
    let body = match decode_body(bytes.to_vec()) {
        Ok(body) => body,
        Err(error) => return check_error(&error),
    };
    match response::parse(&body, None) {
        Ok(value) => {
            assert_eq!(value, None);
            assert_eq!(first_word(&body), "OK");
        }
        Err(error) => check_error(&error),
    }
    for key in [Key::AuthCode, Key::PinCode] {
        match response::parse(&body, Some(key)) {
            Ok(Some(value)) => {
                assert_eq!(first_word(&body), "OK");
                assert!(!value.is_empty() && !value.contains(char::is_whitespace));
                assert!(body.contains(value));
            }
            Ok(None) => panic!("a key was asked for, none came back: {body:?}"),
            Err(error) => check_error(&error),
        }
    }
    match parse_pin(&Answer::Text(Zeroizing::new(body.clone()))) {
        Ok(pin) => {
            assert!(pin.as_str().len() == 6 && pin.as_str().bytes().all(|b| b.is_ascii_digit()));
            assert!(body.contains(pin.as_str()));
        }
        Err(error) => check_error(&error),
    }
}

/// A SOAP answer of every call in both versions: never a panic, no DTD or entity followed,
/// a PIN always six digits, errors bounded.
pub fn parse_soap_answer(bytes: &[u8]) {
    let Ok(xml) = std::str::from_utf8(bytes) else {
        return;
    };
    for version in [soap::Version::V11, soap::Version::V12] {
        // Only the calls that have a SOAP operation (`_v4` has none: nothing is read).
        for call in Call::ALL
            .into_iter()
            .filter(|c| soap::operation(*c).is_some())
        {
            match soap::read(version, call, xml) {
                Ok(soap::Body::Response(answer)) => {
                    let answer = Answer::Soap(answer, Zeroizing::new(xml.to_owned()));
                    match parse_pin(&answer) {
                        Ok(pin) => assert!(pin.as_str().bytes().all(|b| b.is_ascii_digit())),
                        Err(error) => check_error(&error),
                    }
                    if let Err(error) = answer.read(Some(Key::AuthCode)) {
                        check_error(&error);
                    }
                }
                Ok(soap::Body::Fault(fault)) => {
                    assert!(fault.code.chars().count() <= EXCERPT_CHARS);
                    assert!(fault.text.chars().count() <= EXCERPT_CHARS);
                }
                Err(error) => check_error(&error),
            }
        }
    }
}

/// `Set-Cookie` headers, one per line, as the transport hands them to the session's jar
/// (only values that are valid, visible-ASCII header values get there), then the `Cookie`
/// header the next request would carry.
///
/// # Panics
///
/// When the `Cookie` header is longer than everything stored, or the jar's debug output
/// shows a cookie's value.
pub fn store_cookies(bytes: &[u8]) {
    let mut jar = Jar::default();
    let mut stored = 0;
    for line in bytes.split(|&b| b == b'\n') {
        let Ok(value) = ureq::http::HeaderValue::from_bytes(line) else {
            continue;
        };
        let Ok(set_cookie) = value.to_str() else {
            continue;
        };
        jar.store(set_cookie);
        stored += set_cookie.len() + 2;
    }
    if let Some(header) = jar.header() {
        let header = header.expose();
        assert!(header.len() <= stored, "{} > {stored}", header.len());
        // The debug output is exactly the names, with every value masked.
        let masked: Vec<(&str, Masked)> = header
            .split("; ")
            .map(|pair| (pair.split_once('=').map_or(pair, |(name, _)| name), Masked))
            .collect();
        assert_eq!(format!("{jar:?}"), format!("Jar {{ cookies: {masked:?} }}"));
    }
    jar.clear();
    assert!(jar.header().is_none());
}

/// What `Secret`'s `Debug` shows instead of a value.
struct Masked;

impl std::fmt::Debug for Masked {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("\"***\"")
    }
}

/// The status word the client must read: the first token after a BOM and whitespace.
fn first_word(body: &str) -> &str {
    let text = body.strip_prefix('\u{feff}').unwrap_or(body).trim();
    text.split(char::is_whitespace).next().unwrap_or("")
}

fn check_error(error: &Error) {
    match error {
        Error::Service(status) => assert_ne!(*status, Status::Ok),
        Error::UnexpectedResponse(_) => {
            let message = error.to_string();
            assert!(message.len() <= MESSAGE_CAP, "{} bytes", message.len());
        }
        other => panic!("a body can't cause {other:?}"),
    }
}
