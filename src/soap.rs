//! The SOAP encoding of the service's calls (`API.asmx`, SOAP 1.1 and 1.2, document/literal).
//!
//! Writes an envelope from the same `(call, parameters)` the `.aspx` pages take, and reads
//! the answer by namespace and local name, never by prefix (`soap:` and `soap12:` both
//! occur), with its children in any order. A DTD, an entity other than XML's five or a
//! character reference XML forbids is refused: nothing in an answer is expanded or fetched.

use std::borrow::Cow;

use quick_xml::events::Event;
use quick_xml::name::ResolveResult;
use quick_xml::NsReader;
use zeroize::Zeroizing;

use crate::error::{Error, EXCERPT_CHARS};
use crate::status::Status;
use crate::transport::Call;

/// The service's target namespace, whatever host answers.
pub(crate) const API_NS: &str = "https://secure.logmeinrescue.com/API/API.asmx";
const SOAP11_NS: &str = "http://schemas.xmlsoap.org/soap/envelope/";
const SOAP12_NS: &str = "http://www.w3.org/2003/05/soap-envelope";
/// How much of a reason an error about an unreadable answer keeps.
const WHAT_CHARS: usize = 100;
/// `API.asmx`, relative to the base URL `…/API/`.
pub(crate) const ENDPOINT: &str = "API.asmx";

/// SOAP 1.1 or 1.2.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Version {
    V11,
    V12,
}

impl Version {
    fn envelope_ns(self) -> &'static str {
        match self {
            Version::V11 => SOAP11_NS,
            Version::V12 => SOAP12_NS,
        }
    }

    /// The request's `Content-Type`.
    pub(crate) fn content_type(self) -> &'static str {
        match self {
            Version::V11 => "text/xml; charset=utf-8",
            Version::V12 => "application/soap+xml; charset=utf-8",
        }
    }
}

/// The operation of each call; `requestLensPINCode_v4` has none (no documented SOAP
/// operation takes a `NodeId`).
pub(crate) fn operation(call: Call) -> Option<&'static str> {
    Some(match call {
        Call::Login => "login",
        Call::Logout => "logout",
        Call::RequestAuthCode => "requestAuthCode",
        Call::RequestLensPin => "requestLensPINCode",
        Call::RequestPin => "requestPINCode",
        Call::RequestLensPinV3 => "requestLensPINCodeV3",
        Call::RequestLensPinV4 => return None,
    })
}

/// The operation of `call`, or why it can't go over SOAP.
fn operation_or_refusal(call: Call) -> Result<&'static str, Error> {
    operation(call).ok_or_else(|| {
        Error::invalid(
            "node_id",
            "no documented SOAP operation takes a NodeId (requestLensPINCode_v4 is an .aspx \
             page only); use the HTTP POST or GET transport",
        )
    })
}

/// SOAP 1.1's quoted `SOAPAction` header for `call`.
pub(crate) fn soap_action(call: Call) -> Result<String, Error> {
    Ok(format!("\"{API_NS}/{}\"", operation_or_refusal(call)?))
}

/// The request elements of `call` in the WSDL's order, each with the `.aspx` parameter it
/// carries. `bNoTechConsole` is a boolean the WSDL requires (`minOccurs="1"`): it is always
/// sent; unset strings are left out.
fn elements(call: Call) -> &'static [(&'static str, &'static str)] {
    const CREDENTIALS: &[(&str, &str)] = &[("sEmail", "email"), ("sPassword", "pwd")];
    const PIN: &[(&str, &str)] = &[
        ("sCField0", "cfield0"),
        ("sCField1", "cfield1"),
        ("sCField2", "cfield2"),
        ("sCField3", "cfield3"),
        ("sCField4", "cfield4"),
        ("sCField5", "cfield5"),
        ("sTracking0", "tracking0"),
        ("bNoTechConsole", "notechconsole"),
        ("sAuthCode", "authcode"),
    ];
    const INVITATION: &[(&str, &str)] = &[
        ("sCField0", "cfield0"),
        ("sCField1", "cfield1"),
        ("sCField2", "cfield2"),
        ("sCField3", "cfield3"),
        ("sCField4", "cfield4"),
        ("sCField5", "cfield5"),
        ("sTracking0", "tracking0"),
        ("bNoTechConsole", "notechconsole"),
        ("sAuthCode", "authcode"),
        ("sPhoneNumber", "PhoneNumber"),
        ("sLangCode", "LangCode"),
    ];
    match call {
        Call::Login | Call::RequestAuthCode => CREDENTIALS,
        Call::Logout => &[],
        Call::RequestLensPin | Call::RequestPin => PIN,
        Call::RequestLensPinV3 | Call::RequestLensPinV4 => INVITATION,
    }
}

/// The envelope of `call` with `params` (the `.aspx` names and values). Zeroed when dropped:
/// it may hold a password or an authcode. Fails with [`Error::InvalidArgument`] for text XML
/// can't carry (control characters other than tab and line breaks, U+FFFE, U+FFFF).
pub(crate) fn envelope(
    version: Version,
    call: Call,
    params: &[(&str, &str)],
) -> Result<Zeroizing<String>, Error> {
    let op = operation_or_refusal(call)?;
    let mut xml = Zeroizing::new(String::with_capacity(512));
    xml.push_str(r#"<?xml version="1.0" encoding="utf-8"?>"#);
    xml.push_str(r#"<soap:Envelope xmlns:soap=""#);
    xml.push_str(version.envelope_ns());
    xml.push_str(r#""><soap:Body><"#);
    xml.push_str(op);
    xml.push_str(r#" xmlns=""#);
    xml.push_str(API_NS);
    xml.push_str(r#"">"#);
    for &(element, param) in elements(call) {
        let value = params.iter().find(|(name, _)| *name == param).map(|p| p.1);
        let text = match (element, value) {
            ("bNoTechConsole", value) => Cow::Borrowed(bool_text(value)),
            (_, None) => continue,
            // Named as the .aspx pages' checks name them (`password`, not `pwd`).
            (_, Some(value)) => escape(if param == "pwd" { "password" } else { param }, value)?,
        };
        xml.push('<');
        xml.push_str(element);
        xml.push('>');
        xml.push_str(&text);
        xml.push_str("</");
        xml.push_str(element);
        xml.push('>');
        if let Cow::Owned(copy) = text {
            // The escaped copy of a password or authcode is zeroed too.
            drop(Zeroizing::new(copy));
        }
    }
    xml.push_str("</");
    xml.push_str(op);
    xml.push_str("></soap:Body></soap:Envelope>");
    Ok(xml)
}

/// `notechconsole=1` is `true`; absent is the service's default, `false`.
fn bool_text(value: Option<&str>) -> &'static str {
    if value == Some("1") {
        "true"
    } else {
        "false"
    }
}

/// XML-escapes `value`, refusing characters XML 1.0 can't carry. A carriage return is
/// written as a reference so that it arrives as sent (a parser turns a raw one into `\n`).
fn escape<'a>(name: &'static str, value: &'a str) -> Result<Cow<'a, str>, Error> {
    if let Some(bad) = value.chars().find(|&c| {
        (c < ' ' && !matches!(c, '\t' | '\n' | '\r')) || matches!(c, '\u{fffe}' | '\u{ffff}')
    }) {
        return Err(Error::invalid(
            name,
            format!(
                "contains U+{:04X}, which SOAP (XML) can't carry",
                bad as u32
            ),
        ));
    }
    let escaped = quick_xml::escape::escape(value);
    Ok(if escaped.contains('\r') {
        Cow::Owned(escaped.replace('\r', "&#13;"))
    } else {
        escaped
    })
}

/// What an `…Response` element holds.
#[derive(Debug, Default)]
pub(crate) struct Answer {
    /// The `…Result` enum word, e.g. `requestPINCode_NotLoggedIn`.
    pub result: Option<String>,
    /// `iPINCode` (an int) or `sPINCode` (a zero-padded string).
    pub pin: Option<String>,
    /// `sAuthCode`, zeroed when dropped.
    pub auth_code: Option<Zeroizing<String>>,
    /// The SMS invitation's result (`requestLensPINCodeV3`): the element's name is not
    /// documented, so any output element whose name ends in `SMSResult` (any case).
    pub sms_result: Option<String>,
}

/// A `soap:Fault`'s code and text.
#[derive(Debug, Default)]
pub(crate) struct Fault {
    pub code: String,
    pub text: String,
}

/// An answer body: the response of `call`, or a fault.
#[derive(Debug)]
pub(crate) enum Body {
    Response(Answer),
    Fault(Fault),
}

/// Reads an answer of `call` in `version`. [`Error::UnexpectedResponse`] for anything but a
/// well-formed envelope of that version holding the call's response or a fault.
pub(crate) fn read(version: Version, call: Call, xml: &str) -> Result<Body, Error> {
    // `what` may quote the answer (quick-xml's errors name the tags): keep it short, as the
    // excerpt that follows is.
    let bad = |what: &str| {
        let what: String = what.chars().take(WHAT_CHARS).collect();
        Error::unexpected(&format!("not a SOAP answer: {what}"), xml)
    };
    let op = operation_or_refusal(call)?;
    let response = format!("{op}Response");
    let result = format!("{op}Result");
    let envelope_ns = version.envelope_ns().as_bytes();

    let mut reader = NsReader::from_str(xml);
    reader.config_mut().expand_empty_elements = true;
    // Where the reader is: the element names from the root down, each with its namespace.
    let mut path: Vec<(Vec<u8>, Vec<u8>)> = Vec::new();
    let mut text = Zeroizing::new(String::new());
    let mut answer = Answer::default();
    let mut fault: Option<Fault> = None;
    let mut seen_response = false;
    loop {
        let (ns, event) = reader
            .read_resolved_event()
            .map_err(|e| bad(&format!("malformed XML ({e})")))?;
        let ns: Vec<u8> = match ns {
            ResolveResult::Bound(ns) => ns.as_ref().to_vec(),
            ResolveResult::Unbound => Vec::new(),
            ResolveResult::Unknown(prefix) => {
                return Err(bad(&format!(
                    "unbound prefix {:?}",
                    String::from_utf8_lossy(&prefix)
                )))
            }
        };
        match event {
            Event::DocType(_) => return Err(bad("a DTD (refused: no entity is expanded)")),
            Event::Start(start) => {
                let local = start.local_name().as_ref().to_vec();
                let depth = path.len();
                let expected = match depth {
                    0 => Some((envelope_ns, &b"Envelope"[..])),
                    1 => Some((envelope_ns, &b"Body"[..])),
                    _ => None,
                };
                if let Some((want_ns, want_local)) = expected {
                    if ns != want_ns || local != want_local {
                        return Err(bad("no SOAP envelope of the expected version"));
                    }
                }
                if depth == 2 {
                    if ns == envelope_ns && local == b"Fault" {
                        fault = Some(Fault::default());
                    } else if ns == API_NS.as_bytes() && local == response.as_bytes() {
                        seen_response = true;
                    } else {
                        return Err(bad("an unknown element in the body"));
                    }
                }
                path.push((ns, local));
                text.clear();
            }
            Event::Text(t) => {
                let t = t
                    .xml10_content()
                    .map_err(|_| bad("text that is not UTF-8"))?;
                text.push_str(&t);
            }
            Event::CData(t) => {
                let t = t.decode().map_err(|_| bad("text that is not UTF-8"))?;
                text.push_str(&t);
            }
            Event::GeneralRef(r) => {
                if let Some(c) = r
                    .resolve_char_ref()
                    .map_err(|_| bad("an invalid character reference"))?
                {
                    text.push(c);
                } else {
                    let name = r
                        .decode()
                        .map_err(|_| bad("a reference that is not UTF-8"))?;
                    match quick_xml::escape::resolve_xml_entity(&name) {
                        Some(value) => text.push_str(value),
                        None => return Err(bad("an undeclared entity (refused, not expanded)")),
                    }
                }
            }
            Event::End(_) => {
                let Some((_, local)) = path.pop() else {
                    return Err(bad("malformed XML"));
                };
                let value = std::mem::take(&mut *text);
                if path.len() == 3 && seen_response && fault.is_none() {
                    take_output(&mut answer, &result, &local, value);
                } else if let Some(fault) = fault.as_mut() {
                    read_fault_part(fault, &local, path.len(), value);
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    match (fault, seen_response) {
        (Some(fault), _) => Ok(Body::Fault(fault)),
        (None, true) => Ok(Body::Response(answer)),
        (None, false) => Err(bad(&format!("no {response} element"))),
    }
}

/// Keeps one output element of the response (unknown ones are ignored, as ASMX clients do).
fn take_output(answer: &mut Answer, result: &str, local: &[u8], value: String) {
    let value = Zeroizing::new(value);
    match local {
        l if l == result.as_bytes() => answer.result = Some(value.trim().to_owned()),
        b"iPINCode" | b"sPINCode" => answer.pin = Some(value.trim().to_owned()),
        b"sAuthCode" => answer.auth_code = Some(Zeroizing::new(value.trim().to_owned())),
        l if l.to_ascii_lowercase().ends_with(b"smsresult") => {
            answer.sms_result = Some(value.trim().to_owned())
        }
        _ => {}
    }
}

/// SOAP 1.1: `faultcode`, `faultstring` (depth 4); 1.2: `Code/Value`, `Reason/Text`.
fn read_fault_part(fault: &mut Fault, local: &[u8], depth: usize, value: String) {
    let value: String = value.trim().chars().take(EXCERPT_CHARS).collect();
    match (local, depth) {
        (b"faultcode", 3) => fault.code = value,
        (b"faultstring", 3) => fault.text = value,
        (b"Value", 4) if fault.code.is_empty() => fault.code = value,
        (b"Text", 4) if fault.text.is_empty() => fault.text = value,
        _ => {}
    }
}

/// The status of a result enum word: everything up to the first `_` is the enum's name
/// (`requestPINCode_NoAccessToLens`), the rest the value, matched ignoring ASCII case.
pub(crate) fn status(word: &str) -> Option<Status> {
    const VALUES: [(&str, Status); 14] = [
        ("OK", Status::Ok),
        ("Error", Status::Error),
        ("Invalid", Status::Invalid),
        ("LimitReached", Status::LimitReached),
        ("GlobalIpRestricted", Status::GlobalIpRestricted),
        ("NotLoggedIn", Status::NotLoggedIn),
        ("NotTechnician", Status::NotTechnician),
        ("NoTechConsoleRunning", Status::NoTechConsoleRunning),
        ("OutOfPINCodes", Status::OutOfPinCodes),
        ("PollRateExceeded", Status::PollRateExceeded),
        ("Invalid_SecretAuthCode", Status::InvalidSecretAuthCode),
        ("User_Is_Deleted", Status::UserIsDeleted),
        ("User_Deleted_Or_Disabled", Status::UserDeletedOrDisabled),
        ("NoAccessToLens", Status::NoAccessToLens),
    ];
    let (_, value) = word.split_once('_')?;
    VALUES
        .iter()
        .find(|(name, _)| name.eq_ignore_ascii_case(value))
        .map(|&(_, status)| status)
}

/// A PIN as the service answers it over SOAP: `iPINCode` is an int and loses its leading
/// zeros (`12345` for `012345`), so it is padded back to six digits; out of range is `None`.
pub(crate) fn pin_digits(text: &str) -> Option<String> {
    let text = text.trim();
    if text.is_empty() || text.len() > 6 || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some(format!("{text:0>6}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    const PIN_ANSWER: &str = r#"<?xml version="1.0" encoding="utf-8"?>
<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
  <soap:Body>
    <requestLensPINCodeResponse xmlns="https://secure.logmeinrescue.com/API/API.asmx">
      <iPINCode>12345</iPINCode>
      <requestLensPINCodeResult>requestPINCode_OK</requestLensPINCodeResult>
    </requestLensPINCodeResponse>
  </soap:Body>
</soap:Envelope>"#;

    #[test]
    fn reads_a_response_in_any_order_and_pads_the_pin() {
        let Body::Response(answer) = read(Version::V11, Call::RequestLensPin, PIN_ANSWER).unwrap()
        else {
            panic!("a response")
        };
        assert_eq!(answer.result.as_deref(), Some("requestPINCode_OK"));
        assert_eq!(
            pin_digits(answer.pin.as_deref().unwrap()).unwrap(),
            "012345"
        );
    }

    #[test]
    fn reads_by_namespace_not_prefix() {
        let xml = r#"<e:Envelope xmlns:e="http://www.w3.org/2003/05/soap-envelope"><e:Body><r:loginResponse xmlns:r="https://secure.logmeinrescue.com/API/API.asmx"><r:loginResult>login_GlobalIpRestricted</r:loginResult></r:loginResponse></e:Body></e:Envelope>"#;
        let Body::Response(answer) = read(Version::V12, Call::Login, xml).unwrap() else {
            panic!("a response")
        };
        assert_eq!(
            status(answer.result.as_deref().unwrap()),
            Some(Status::GlobalIpRestricted)
        );
        // The same answer under the other version's envelope namespace is not accepted.
        assert!(read(Version::V11, Call::Login, xml).is_err());
    }

    #[test]
    fn refuses_dtds_and_unknown_entities() {
        let laughs = r#"<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;">]><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><loginResponse xmlns="https://secure.logmeinrescue.com/API/API.asmx"><loginResult>&lol2;</loginResult></loginResponse></soap:Body></soap:Envelope>"#;
        let error = read(Version::V11, Call::Login, laughs).unwrap_err();
        assert!(error.to_string().contains("DTD"), "{error}");
        let undeclared = PIN_ANSWER.replace("requestPINCode_OK", "&xxe;");
        assert!(read(Version::V11, Call::RequestLensPin, &undeclared).is_err());
    }

    #[test]
    fn reads_faults_of_both_versions() {
        let v11 = r#"<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><soap:Fault><faultcode>soap:Client</faultcode><faultstring>Server did not recognize the value of HTTP Header SOAPAction: x.</faultstring><detail /></soap:Fault></soap:Body></soap:Envelope>"#;
        let Body::Fault(fault) = read(Version::V11, Call::Login, v11).unwrap() else {
            panic!("a fault")
        };
        assert_eq!(fault.code, "soap:Client");
        assert!(fault.text.starts_with("Server did not recognize"));
        let v12 = r#"<soap:Envelope xmlns:soap="http://www.w3.org/2003/05/soap-envelope"><soap:Body><soap:Fault><soap:Code><soap:Value>soap:Sender</soap:Value></soap:Code><soap:Reason><soap:Text xml:lang="en">Unable to handle request.</soap:Text></soap:Reason></soap:Fault></soap:Body></soap:Envelope>"#;
        let Body::Fault(fault) = read(Version::V12, Call::Logout, v12).unwrap() else {
            panic!("a fault")
        };
        assert_eq!(
            (fault.code.as_str(), fault.text.as_str()),
            ("soap:Sender", "Unable to handle request.")
        );
    }

    #[test]
    fn envelopes_escape_text_and_refuse_control_characters() {
        let xml = envelope(
            Version::V12,
            Call::RequestPin,
            &[("cfield0", "a<b&\"c'\r"), ("authcode", "code")],
        )
        .unwrap();
        assert!(
            xml.contains("<sCField0>a&lt;b&amp;&quot;c&apos;&#13;</sCField0>"),
            "{}",
            *xml
        );
        assert!(xml.contains("<bNoTechConsole>false</bNoTechConsole><sAuthCode>code</sAuthCode>"));
        assert!(xml
            .contains(r#"<requestPINCode xmlns="https://secure.logmeinrescue.com/API/API.asmx">"#));
        assert!(xml.contains("http://www.w3.org/2003/05/soap-envelope"));
        let error =
            envelope(Version::V11, Call::RequestPin, &[("cfield1", "bell\u{7}")]).unwrap_err();
        assert_eq!(error.kind(), crate::ErrorKind::InvalidArgument);
        assert!(error.to_string().contains("cfield1"));
    }

    #[test]
    fn result_words_map_onto_statuses() {
        assert_eq!(
            status("requestPINCode_NoAccessToLens"),
            Some(Status::NoAccessToLens)
        );
        assert_eq!(
            status("requestPINCode_User_Deleted_Or_Disabled"),
            Some(Status::UserDeletedOrDisabled)
        );
        assert_eq!(
            status("requestPINCode_Invalid_SecretAuthCode"),
            Some(Status::InvalidSecretAuthCode)
        );
        assert_eq!(status("logout_NotLoggedIn"), Some(Status::NotLoggedIn));
        assert_eq!(status("OK"), None);
        assert_eq!(status("login_Whatever"), None);
        assert_eq!(pin_digits("1234567"), None);
        assert_eq!(pin_digits("-1"), None);
        assert_eq!(pin_digits("0"), Some("000000".into()));
    }
}
