//! The SOAP front of `API.asmx`: reads a SOAP 1.1 or 1.2 envelope into a [`Method`] and its
//! [`Params`], and writes answers and faults the way ASP.NET's ASMX does. It decides nothing:
//! the calls go to the same [`Service::call`](crate::api::Service::call) as the `.aspx` pages.

use quick_xml::escape::{escape, resolve_predefined_entity};
use quick_xml::events::Event;
use quick_xml::name::ResolveResult;
use quick_xml::NsReader;

use crate::api::{Answer, Method, Params, Transport, Word};

/// The service's target namespace, whatever the host (API.md).
pub(crate) const NS: &str = "https://secure.logmeinrescue.com/API/API.asmx";
const ENVELOPE_11: &str = "http://schemas.xmlsoap.org/soap/envelope/";
const ENVELOPE_12: &str = "http://www.w3.org/2003/05/soap-envelope";
/// Longest element name quoted back in a fault, so a fault stays short.
const MAX_QUOTED_NAME: usize = 80;

/// SOAP 1.1 (`text/xml` + SOAPAction) or SOAP 1.2 (`application/soap+xml`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Version {
    V11,
    V12,
}

impl Version {
    /// The version a request's Content-Type asks for; `None` when it is neither.
    pub(crate) fn from_content_type(content_type: Option<&str>) -> Option<Version> {
        let mime = content_type?.split(';').next()?.trim();
        if mime.eq_ignore_ascii_case("text/xml") {
            Some(Version::V11)
        } else if mime.eq_ignore_ascii_case("application/soap+xml") {
            Some(Version::V12)
        } else {
            None
        }
    }

    fn envelope_ns(self) -> &'static str {
        match self {
            Version::V11 => ENVELOPE_11,
            Version::V12 => ENVELOPE_12,
        }
    }

    /// The Content-Type of answers and faults.
    pub(crate) fn content_type(self) -> &'static str {
        match self {
            Version::V11 => "text/xml; charset=utf-8",
            Version::V12 => "application/soap+xml; charset=utf-8",
        }
    }

    pub(crate) fn transport(self) -> Transport {
        match self {
            Version::V11 => Transport::Soap11,
            Version::V12 => Transport::Soap12,
        }
    }
}

/// The XML Schema type of a request child.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    /// `s:string`, `minOccurs="0"`: absent or `xsi:nil` means null.
    String,
    /// `s:boolean`, `minOccurs="1"`: absent means false.
    Boolean,
}

/// One request child and the `.aspx` parameter it feeds.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Input {
    pub name: &'static str,
    pub kind: Kind,
    param: &'static str,
}

const fn string(name: &'static str, param: &'static str) -> Input {
    Input {
        name,
        kind: Kind::String,
        param,
    }
}

/// What an answer carries after its result word.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Output {
    None,
    /// `sAuthCode` (string), left out unless the call succeeded.
    AuthCode,
    /// `iPINCode` (int): a value type, so always written (`0` when there is no PIN).
    PinInt,
    /// `sPINCode` (string, zero-padded), left out unless the call succeeded.
    PinString,
    /// `sPINCode` as above, then `sSMSResult` (string: the SMS invitation's result word),
    /// left out when no SMS was asked for. The element's real name is undocumented; this
    /// one follows the service's `s<Name>` pattern.
    LensInvitation,
}

/// An operation of `API.asmx`.
#[derive(Debug)]
pub(crate) struct Operation {
    pub name: &'static str,
    /// The handler it fronts.
    pub method: Method,
    /// Request children, in WSDL order.
    pub inputs: &'static [Input],
    /// The enum its result words belong to: PIN operations share `requestPINCode`.
    pub enum_prefix: &'static str,
    /// Every word the handler can answer, in WSDL order.
    pub words: &'static [Word],
    pub output: Output,
}

impl Operation {
    /// The SOAP 1.1 SOAPAction that names it.
    pub(crate) fn soap_action(&self) -> String {
        format!("{NS}/{}", self.name)
    }
}

const CREDENTIALS: &[Input] = &[string("sEmail", "email"), string("sPassword", "pwd")];
const PIN_INPUTS: &[Input] = &[
    string("sCField0", "cfield0"),
    string("sCField1", "cfield1"),
    string("sCField2", "cfield2"),
    string("sCField3", "cfield3"),
    string("sCField4", "cfield4"),
    string("sCField5", "cfield5"),
    string("sTracking0", "tracking0"),
    Input {
        name: "bNoTechConsole",
        kind: Kind::Boolean,
        param: "notechconsole",
    },
    string("sAuthCode", "authcode"),
];
const INVITATION_INPUTS: &[Input] = &[
    PIN_INPUTS[0],
    PIN_INPUTS[1],
    PIN_INPUTS[2],
    PIN_INPUTS[3],
    PIN_INPUTS[4],
    PIN_INPUTS[5],
    PIN_INPUTS[6],
    PIN_INPUTS[7],
    PIN_INPUTS[8],
    string("sPhoneNumber", "PhoneNumber"),
    string("sLangCode", "LangCode"),
];
const PIN_WORDS: &[Word] = &[
    Word::Ok,
    Word::Error,
    Word::NotLoggedIn,
    Word::NotTechnician,
    Word::NoTechConsoleRunning,
    Word::OutOfPinCodes,
    Word::PollRateExceeded,
    Word::UserIsDeleted,
    Word::InvalidSecretAuthCode,
    Word::UserDeletedOrDisabled,
    Word::NoAccessToLens,
];

/// Every operation `API.asmx` answers and the WSDL describes.
pub(crate) const OPERATIONS: &[Operation] = &[
    Operation {
        name: "login",
        method: Method::Login,
        inputs: CREDENTIALS,
        enum_prefix: "login",
        words: &[
            Word::Ok,
            Word::Error,
            Word::Invalid,
            Word::LimitReached,
            Word::GlobalIpRestricted,
        ],
        output: Output::None,
    },
    Operation {
        name: "logout",
        method: Method::Logout,
        inputs: &[],
        enum_prefix: "logout",
        words: &[Word::Ok, Word::Error, Word::NotLoggedIn],
        output: Output::None,
    },
    Operation {
        name: "requestAuthCode",
        method: Method::RequestAuthCode,
        inputs: CREDENTIALS,
        enum_prefix: "requestAuthCode",
        words: &[Word::Ok, Word::Error, Word::Invalid],
        output: Output::AuthCode,
    },
    Operation {
        name: "requestPINCode",
        method: Method::RequestPinCode,
        inputs: PIN_INPUTS,
        enum_prefix: "requestPINCode",
        words: PIN_WORDS,
        output: Output::PinInt,
    },
    Operation {
        name: "requestLensPINCode",
        method: Method::RequestLensPinCode,
        inputs: PIN_INPUTS,
        enum_prefix: "requestPINCode",
        words: PIN_WORDS,
        output: Output::PinInt,
    },
    Operation {
        name: "requestLensPINCodeV2",
        method: Method::RequestLensPinCode,
        inputs: PIN_INPUTS,
        enum_prefix: "requestPINCode",
        words: PIN_WORDS,
        output: Output::PinString,
    },
    // The Lens SMS invitation: the same handler as requestLensPINCode_v3.aspx. No
    // operation takes a NodeId (API.md), so _v4 has no SOAP twin.
    Operation {
        name: "requestLensPINCodeV3",
        method: Method::RequestLensPinCodeV3,
        inputs: INVITATION_INPUTS,
        enum_prefix: "requestPINCode",
        words: PIN_WORDS,
        output: Output::LensInvitation,
    },
];

/// Why a request got a fault instead of an answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum FaultCode {
    /// The request is wrong (`soap:Client` in 1.1, `soap:Sender` in 1.2).
    Client,
    /// The envelope is of the other SOAP version, or not an envelope.
    VersionMismatch,
}

/// A SOAP fault: always HTTP 500.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Fault {
    pub code: FaultCode,
    pub reason: String,
}

impl Fault {
    fn client(reason: impl Into<String>) -> Fault {
        Fault {
            code: FaultCode::Client,
            reason: reason.into(),
        }
    }

    /// ASMX's "unable to read request" wrapper; `detail` never quotes field text.
    fn unreadable(detail: impl std::fmt::Display) -> Fault {
        Fault::client(format!(
            "Server was unable to read request. ---> There is an error in XML document. ---> {detail}"
        ))
    }

    fn unknown_action(action: &str) -> Fault {
        Fault::client(format!(
            "Server did not recognize the value of HTTP Header SOAPAction: {}.",
            quote(action)
        ))
    }
}

/// The operation a SOAP 1.1 request names in its SOAPAction header (quoted or not), before
/// the body is read, as ASMX routes.
pub(crate) fn route_action(soap_action: Option<&str>) -> Result<&'static Operation, Fault> {
    let raw = soap_action.unwrap_or("").trim();
    let action = raw
        .strip_prefix('"')
        .and_then(|a| a.strip_suffix('"'))
        .unwrap_or(raw);
    OPERATIONS
        .iter()
        .find(|op| {
            action
                .strip_prefix(NS)
                .and_then(|rest| rest.strip_prefix('/'))
                == Some(op.name)
        })
        .ok_or_else(|| Fault::unknown_action(action))
}

/// Reads a request body. SOAP 1.1 passes the operation its SOAPAction named (the body must
/// hold that operation); SOAP 1.2 passes `None` and is routed on the first body element.
pub(crate) fn read_request(
    version: Version,
    routed: Option<&'static Operation>,
    body: &[u8],
) -> Result<(&'static Operation, Params), Fault> {
    let mut reader = Reader::new(body);
    let (ns, local) = match reader.next_element()? {
        Some(Element { ns, local, .. }) => (ns, local),
        None => return Err(Fault::unreadable("Root element is missing.")),
    };
    if local != "Envelope" || ns.as_deref() != Some(version.envelope_ns()) {
        return Err(Fault {
            code: FaultCode::VersionMismatch,
            reason: format!(
                "Possible SOAP version mismatch: Envelope namespace {} was unexpected. Expecting {}.",
                quote(ns.as_deref().unwrap_or("")),
                version.envelope_ns()
            ),
        });
    }
    let env = version.envelope_ns();
    // Envelope children: Header (ignored) and Body.
    let mut found = None;
    while let Some(child) = reader.child()? {
        if found.is_none() && child.local == "Body" && child.ns.as_deref() == Some(env) {
            found = Some(read_body(&mut reader, version, routed, child)?);
        } else {
            reader.skip(&child)?;
        }
    }
    reader.expect_end_of_document()?;
    found.ok_or_else(|| Fault::unreadable("The SOAP envelope has no Body."))
}

fn read_body(
    reader: &mut Reader<'_>,
    version: Version,
    routed: Option<&'static Operation>,
    body: Element,
) -> Result<(&'static Operation, Params), Fault> {
    let first = match body.empty {
        true => None,
        false => reader.child()?,
    };
    let Some(element) = first else {
        return Err(match version {
            Version::V11 => Fault::unreadable("The SOAP Body is empty."),
            Version::V12 => Fault::client(NO_ACTION),
        });
    };
    let named = OPERATIONS
        .iter()
        .find(|op| element.local == op.name && element.ns.as_deref() == Some(NS));
    let operation = match (routed, named) {
        (Some(routed), Some(named)) if std::ptr::eq(routed, named) => routed,
        (Some(_), _) => {
            return Err(Fault::unreadable(format!(
                "<{} xmlns='{}'> was not expected.",
                quote(&element.local),
                quote(element.ns.as_deref().unwrap_or(""))
            )))
        }
        (None, Some(named)) => named,
        (None, None) => return Err(Fault::client(NO_ACTION)),
    };
    let params = read_params(reader, operation, &element)?;
    // Anything after the operation element is ignored, but must be well-formed.
    while let Some(extra) = reader.child()? {
        reader.skip(&extra)?;
    }
    Ok((operation, params))
}

/// ASMX's answer to a SOAP 1.2 request whose body element names no operation.
const NO_ACTION: &str =
    "Unable to handle request without a valid action parameter. Please supply a valid soap action.";

/// The operation element's children, in any order; unknown ones are skipped, missing ones
/// keep their defaults (null strings, false booleans); the first occurrence wins.
fn read_params(
    reader: &mut Reader<'_>,
    operation: &Operation,
    element: &Element,
) -> Result<Params, Fault> {
    let mut params = Params::default();
    let mut no_tech_console = false;
    if !element.empty {
        while let Some(child) = reader.child()? {
            let input = operation
                .inputs
                .iter()
                .find(|i| child.local == i.name && child.ns.as_deref() == Some(NS));
            let Some(input) = input else {
                reader.skip(&child)?;
                continue;
            };
            let text = reader.text(&child)?;
            match (input.kind, child.nil) {
                (_, true) => {}
                (Kind::String, false) => params.add(input.param, text.into()),
                (Kind::Boolean, false) => no_tech_console = parse_boolean(&text)?,
            }
        }
    }
    if operation.inputs.iter().any(|i| i.kind == Kind::Boolean) {
        // A boolean always has a value: the handler sees `1` or `0` as from a form.
        params.add(
            "notechconsole",
            if no_tech_console { "1" } else { "0" }.into(),
        );
    }
    Ok(params)
}

/// `xs:boolean`: `true`, `false`, `1`, `0`, surrounded by XML whitespace.
fn parse_boolean(text: &str) -> Result<bool, Fault> {
    match text.trim_matches(|c| matches!(c, ' ' | '\t' | '\r' | '\n')) {
        "true" | "1" => Ok(true),
        "false" | "0" => Ok(false),
        _ => Err(Fault::unreadable(
            "The string given for bNoTechConsole is not a valid Boolean value.",
        )),
    }
}

/// An element start, resolved by namespace (never by prefix).
struct Element {
    ns: Option<String>,
    local: String,
    /// `<x/>`: no children, no end event.
    empty: bool,
    /// `xsi:nil="true"`.
    nil: bool,
}

/// A pull parser over quick-xml that refuses DTDs and undeclared entities.
struct Reader<'a> {
    xml: NsReader<&'a [u8]>,
}

enum Item {
    Start(Element),
    End,
    Text(String),
    Eof,
}

impl<'a> Reader<'a> {
    fn new(body: &'a [u8]) -> Self {
        Reader {
            xml: NsReader::from_reader(body),
        }
    }

    fn next(&mut self) -> Result<Item, Fault> {
        loop {
            let (ns, event) = self
                .xml
                .read_resolved_event()
                .map_err(|e| Fault::unreadable(xml_error(&e)))?;
            let ns = match ns {
                ResolveResult::Bound(ns) => Some(utf8(ns.as_ref())?.to_owned()),
                ResolveResult::Unbound => None,
                ResolveResult::Unknown(prefix) => {
                    return Err(Fault::unreadable(format!(
                        "'{}' is an undeclared prefix.",
                        quote(&String::from_utf8_lossy(&prefix))
                    )))
                }
            };
            return Ok(match event {
                Event::Start(e) => Item::Start(self.element(ns, &e, false)?),
                Event::Empty(e) => Item::Start(self.element(ns, &e, true)?),
                Event::End(_) => Item::End,
                Event::Text(t) => Item::Text(
                    t.xml10_content()
                        .map_err(|_| Fault::unreadable("Invalid character encoding."))?
                        .into_owned(),
                ),
                Event::CData(c) => Item::Text(
                    c.xml10_content()
                        .map_err(|_| Fault::unreadable("Invalid character encoding."))?
                        .into_owned(),
                ),
                Event::GeneralRef(r) => {
                    let name = utf8(&r)?;
                    if let Some(c) = r.resolve_char_ref().map_err(|_| bad_char())? {
                        if !is_xml_char(c) {
                            return Err(bad_char());
                        }
                        Item::Text(c.to_string())
                    } else if let Some(text) = resolve_predefined_entity(name) {
                        Item::Text(text.to_owned())
                    } else {
                        // No DTD is read, so no other entity exists: never expand one.
                        return Err(Fault::unreadable(format!(
                            "Reference to undeclared entity '{}'.",
                            quote(name)
                        )));
                    }
                }
                Event::DocType(_) => {
                    return Err(Fault::unreadable(
                        "For security reasons DTD is prohibited in this XML document.",
                    ))
                }
                Event::Eof => Item::Eof,
                Event::Decl(_) | Event::PI(_) | Event::Comment(_) => continue,
            });
        }
    }

    fn element(
        &self,
        ns: Option<String>,
        e: &quick_xml::events::BytesStart<'_>,
        empty: bool,
    ) -> Result<Element, Fault> {
        let local = utf8(e.local_name().as_ref())?.to_owned();
        let nil = e.attributes().has_nil(self.xml.resolver());
        Ok(Element {
            ns,
            local,
            empty,
            nil,
        })
    }

    /// The next element of the document (the root), skipping the prolog.
    fn next_element(&mut self) -> Result<Option<Element>, Fault> {
        loop {
            match self.next()? {
                Item::Start(e) => return Ok(Some(e)),
                Item::Text(_) => {}
                Item::End | Item::Eof => return Ok(None),
            }
        }
    }

    /// The next child element of the current one, or `None` at its end tag.
    fn child(&mut self) -> Result<Option<Element>, Fault> {
        loop {
            match self.next()? {
                Item::Start(e) => return Ok(Some(e)),
                Item::Text(_) => {}
                Item::End => return Ok(None),
                Item::Eof => return Err(Fault::unreadable("Unexpected end of file.")),
            }
        }
    }

    /// Skips the rest of `element`, children included.
    fn skip(&mut self, element: &Element) -> Result<(), Fault> {
        if element.empty {
            return Ok(());
        }
        let mut depth = 1usize;
        while depth > 0 {
            match self.next()? {
                Item::Start(e) if !e.empty => depth += 1,
                Item::End => depth -= 1,
                Item::Eof => return Err(Fault::unreadable("Unexpected end of file.")),
                _ => {}
            }
        }
        Ok(())
    }

    /// The text of a simple element; a child element in it is an error.
    fn text(&mut self, element: &Element) -> Result<String, Fault> {
        let mut text = String::new();
        if element.empty {
            return Ok(text);
        }
        loop {
            match self.next()? {
                Item::Text(t) => text.push_str(&t),
                Item::End => return Ok(text),
                Item::Start(_) => {
                    return Err(Fault::unreadable(format!(
                        "Element {} holds an element instead of text.",
                        element.local
                    )))
                }
                Item::Eof => return Err(Fault::unreadable("Unexpected end of file.")),
            }
        }
    }

    /// Everything after the root must be comments, processing instructions or whitespace.
    fn expect_end_of_document(&mut self) -> Result<(), Fault> {
        loop {
            match self.next()? {
                Item::Eof => return Ok(()),
                Item::Text(t) if t.trim().is_empty() => {}
                _ => return Err(Fault::unreadable("There are multiple root elements.")),
            }
        }
    }
}

fn utf8(bytes: &[u8]) -> Result<&str, Fault> {
    std::str::from_utf8(bytes).map_err(|_| Fault::unreadable("Invalid character encoding."))
}

fn bad_char() -> Fault {
    Fault::unreadable("A character reference names a character XML does not allow.")
}

/// XML 1.0's `Char` production.
fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

/// quick-xml's message for a syntax error: positions and names, never element text.
fn xml_error(error: &quick_xml::Error) -> String {
    let text = error.to_string();
    quote(&text).into_owned()
}

/// A name from the request, cut short so a fault stays small.
fn quote(name: &str) -> std::borrow::Cow<'_, str> {
    match name.char_indices().nth(MAX_QUOTED_NAME) {
        Some((end, _)) => format!("{}…", &name[..end]).into(),
        None => name.into(),
    }
}

fn envelope_open(version: Version) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\
<soap:Envelope xmlns:soap=\"{}\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" \
xmlns:xsd=\"http://www.w3.org/2001/XMLSchema\"><soap:Body>",
        version.envelope_ns()
    )
}

const ENVELOPE_CLOSE: &str = "</soap:Body></soap:Envelope>";

/// The answer envelope: `<opResponse xmlns=NS><opResult>prefix_Word</opResult>…`, with a
/// null output left out. `result` is the word after the enum prefix.
pub(crate) fn answer_xml(version: Version, operation: &Operation, answer: &Answer) -> String {
    let outputs = match (operation.output, answer) {
        (Output::AuthCode, Answer::AuthCode(code)) => {
            format!("<sAuthCode>{}</sAuthCode>", escape(code.as_str()))
        }
        (Output::PinInt, Answer::PinCode(pin)) => format!("<iPINCode>{pin}</iPINCode>"),
        (Output::PinInt, _) => "<iPINCode>0</iPINCode>".to_owned(),
        (Output::PinString, Answer::PinCode(pin)) => format!("<sPINCode>{pin:06}</sPINCode>"),
        (Output::LensInvitation, Answer::LensPin { pin, sms_result }) => {
            let sms = sms_result
                .map(|word| format!("<sSMSResult>{word}</sSMSResult>"))
                .unwrap_or_default();
            format!("<sPINCode>{pin:06}</sPINCode>{sms}")
        }
        _ => String::new(),
    };
    response_xml(version, operation, answer.word().soap(), &outputs)
}

/// An answer whose result word is not in the enum (the `unknown` fault variant).
pub(crate) fn unknown_word_xml(version: Version, operation: &Operation) -> String {
    let outputs = match operation.output {
        Output::PinInt => "<iPINCode>0</iPINCode>",
        _ => "",
    };
    response_xml(version, operation, "SomethingNew", outputs)
}

fn response_xml(version: Version, operation: &Operation, word: &str, outputs: &str) -> String {
    let name = operation.name;
    format!(
        "{open}<{name}Response xmlns=\"{NS}\"><{name}Result>{prefix}_{word}</{name}Result>\
{outputs}</{name}Response>{ENVELOPE_CLOSE}",
        open = envelope_open(version),
        prefix = operation.enum_prefix,
    )
}

/// A fault envelope in the version's own shape.
pub(crate) fn fault_xml(version: Version, fault: &Fault) -> String {
    let reason = escape(fault.reason.as_str());
    let body = match version {
        Version::V11 => {
            let code = match fault.code {
                FaultCode::Client => "soap:Client",
                FaultCode::VersionMismatch => "soap:VersionMismatch",
            };
            format!(
                "<soap:Fault><faultcode>{code}</faultcode><faultstring>{reason}</faultstring>\
<detail /></soap:Fault>"
            )
        }
        Version::V12 => {
            let code = match fault.code {
                FaultCode::Client => "soap:Sender",
                FaultCode::VersionMismatch => "soap:VersionMismatch",
            };
            format!(
                "<soap:Fault><soap:Code><soap:Value>{code}</soap:Value></soap:Code>\
<soap:Reason><soap:Text xml:lang=\"en\">{reason}</soap:Text></soap:Reason>\
<soap:Detail /></soap:Fault>"
            )
        }
    };
    format!("{}{body}{ENVELOPE_CLOSE}", envelope_open(version))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn envelope(version: Version, body: &str) -> Vec<u8> {
        format!(
            "<?xml version=\"1.0\"?><e:Envelope xmlns:e=\"{}\"><e:Header><x/></e:Header>\
<e:Body>{body}</e:Body></e:Envelope>",
            version.envelope_ns()
        )
        .into_bytes()
    }

    #[test]
    fn reads_children_by_namespace_in_any_order() {
        let body = envelope(
            Version::V12,
            &format!(
                "<r:requestLensPINCode xmlns:r=\"{NS}\"><r:sAuthCode>a&amp;b</r:sAuthCode>\
<other>x</other><r:bNoTechConsole> true </r:bNoTechConsole><r:sCField0/>\
<r:sCField1 xsi:nil=\"true\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"/>\
<r:sTracking0>a\r\nb&#13;</r:sTracking0>\
<sCField2 xmlns=\"{NS}\">&#x3C;é<![CDATA[&]]></sCField2></r:requestLensPINCode>"
            ),
        );
        let (op, params) = read_request(Version::V12, None, &body).unwrap();
        assert_eq!(op.name, "requestLensPINCode");
        assert_eq!(params.authcode.as_deref(), Some("a&b"));
        assert_eq!(params.pin_fields[0].as_deref(), Some(""));
        assert_eq!(params.pin_fields[1], None);
        assert_eq!(params.pin_fields[2].as_deref(), Some("<é&"));
        assert_eq!(params.pin_fields[7].as_deref(), Some("1"));
        // XML 1.0 line-end normalisation; a character reference keeps its CR.
        assert_eq!(params.pin_fields[6].as_deref(), Some("a\nb\r"));
    }

    #[test]
    fn refuses_dtds_and_unknown_entities() {
        let dtd = b"<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY a \"b\">]><x>&a;</x>";
        let fault = read_request(Version::V11, None, dtd).unwrap_err();
        assert!(fault.reason.contains("DTD is prohibited"), "{fault:?}");
        let entity = envelope(
            Version::V11,
            &format!("<login xmlns=\"{NS}\"><sEmail>&lol;</sEmail></login>"),
        );
        let op = route_action(Some(&format!("\"{NS}/login\""))).unwrap();
        let fault = read_request(Version::V11, Some(op), &entity).unwrap_err();
        assert!(
            fault.reason.contains("undeclared entity 'lol'"),
            "{fault:?}"
        );
    }

    #[test]
    fn routes_soap_1_1_on_the_action() {
        assert_eq!(
            route_action(Some(&format!("{NS}/logout"))).unwrap().name,
            "logout"
        );
        let fault = route_action(Some("\"urn:nope\"")).unwrap_err();
        assert_eq!(
            fault.reason,
            "Server did not recognize the value of HTTP Header SOAPAction: urn:nope."
        );
        assert!(route_action(None).is_err());
    }
}
