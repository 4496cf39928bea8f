//! `API.asmx`: SOAP 1.1 and 1.2 over real HTTP, sharing accounts, sessions and limits with
//! the `.aspx` pages; the WSDL; faults; the fault variants over SOAP.

mod common;

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use common::*;
use quick_xml::events::Event;
use quick_xml::name::ResolveResult;
use quick_xml::{NsReader, XmlVersion};
use rescue_sandbox::{Config, Sandbox};

const NS: &str = "https://secure.logmeinrescue.com/API/API.asmx";
const ENV11: &str = "http://schemas.xmlsoap.org/soap/envelope/";
const ENV12: &str = "http://www.w3.org/2003/05/soap-envelope";
const XSD: &str = "http://www.w3.org/2001/XMLSchema";

#[derive(Clone, Copy, Debug, PartialEq)]
enum Soap {
    V11,
    V12,
}
use Soap::{V11, V12};

impl Soap {
    fn envelope_ns(self) -> &'static str {
        match self {
            V11 => ENV11,
            V12 => ENV12,
        }
    }
    fn content_type(self) -> &'static str {
        match self {
            V11 => "text/xml; charset=utf-8",
            V12 => "application/soap+xml; charset=utf-8",
        }
    }
    fn transport(self) -> &'static str {
        match self {
            V11 => "soap11",
            V12 => "soap12",
        }
    }
}

fn action(op: &str) -> String {
    format!("\"{NS}/{op}\"")
}

/// An envelope around `body`, with a prefix of our own so nothing relies on `soap:`.
fn envelope(v: Soap, body: &str) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?><env:Envelope xmlns:env=\"{}\" \
xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"><env:Body>{body}</env:Body></env:Envelope>",
        v.envelope_ns()
    )
}

/// Calls `op` with `children` (already XML) at `asmx`, as a generated client would.
fn call(client: &mut Client, asmx: &str, v: Soap, op: &str, children: &str) -> Reply {
    let body = envelope(v, &format!("<{op} xmlns=\"{NS}\">{children}</{op}>"));
    let soap_action = (v == V11).then(|| action(op));
    client.post_xml(asmx, v.content_type(), soap_action.as_deref(), &body)
}

fn asmx(sandbox: &Sandbox) -> String {
    format!("{}API.asmx", sandbox.base_url())
}

fn credentials(email: &str, password: &str) -> String {
    format!("<sEmail>{email}</sEmail><sPassword>{password}</sPassword>")
}

/// A SOAP answer read by namespace: the response element's name, the result word, and
/// the other children's text.
#[derive(Debug)]
struct Answer {
    response: String,
    result: String,
    outputs: BTreeMap<String, String>,
}

/// Reads an HTTP 200 answer of the right Content-Type.
fn answer(v: Soap, reply: &Reply) -> Answer {
    assert_eq!(reply.status, 200, "{}", reply.body);
    assert_eq!(reply.content_type.as_deref(), Some(v.content_type()));
    assert!(
        reply
            .body
            .starts_with("<?xml version=\"1.0\" encoding=\"utf-8\"?><soap:Envelope xmlns:soap="),
        "{}",
        reply.body
    );
    let elements = elements(&reply.body);
    let body = elements
        .iter()
        .position(|e| e.ns == v.envelope_ns() && e.local == "Body")
        .expect("a Body");
    let response = &elements[body + 1];
    assert_eq!(response.ns, NS);
    assert_eq!(response.depth, elements[body].depth + 1);
    let children: Vec<_> = elements[body + 2..]
        .iter()
        .take_while(|e| e.depth > response.depth)
        .collect();
    assert!(children.iter().all(|c| c.ns == NS));
    let result = children.first().expect("a result element");
    assert_eq!(
        result.local,
        response.local.replace("Response", "Result"),
        "the result comes first"
    );
    Answer {
        response: response.local.clone(),
        result: result.text.clone(),
        outputs: children[1..]
            .iter()
            .map(|c| (c.local.clone(), c.text.clone()))
            .collect(),
    }
}

struct Element {
    ns: String,
    local: String,
    depth: usize,
    text: String,
    attributes: BTreeMap<String, String>,
}

/// Every element of a document in order, resolved by namespace, with its direct text.
fn elements(xml: &str) -> Vec<Element> {
    let mut reader = NsReader::from_str(xml);
    let mut out: Vec<Element> = Vec::new();
    let mut open: Vec<usize> = Vec::new();
    loop {
        let (ns, event) = reader.read_resolved_event().unwrap();
        let ns = match ns {
            ResolveResult::Bound(ns) => String::from_utf8(ns.as_ref().to_vec()).unwrap(),
            _ => String::new(),
        };
        match event {
            Event::Start(ref e) | Event::Empty(ref e) => {
                let attributes = e
                    .attributes()
                    .map(|a| {
                        let a = a.unwrap();
                        let key = String::from_utf8(a.key.local_name().as_ref().to_vec());
                        (
                            key.unwrap(),
                            a.normalized_value(XmlVersion::Implicit1_0)
                                .unwrap()
                                .into_owned(),
                        )
                    })
                    .collect();
                out.push(Element {
                    ns,
                    local: String::from_utf8(e.local_name().as_ref().to_vec()).unwrap(),
                    depth: open.len(),
                    text: String::new(),
                    attributes,
                });
                if matches!(event, Event::Start(_)) {
                    open.push(out.len() - 1);
                }
            }
            Event::End(_) => {
                open.pop();
            }
            Event::Text(t) => {
                if let Some(&i) = open.last() {
                    out[i].text.push_str(&t.decode().unwrap());
                }
            }
            Event::GeneralRef(r) => {
                if let Some(&i) = open.last() {
                    let name = r.decode().unwrap();
                    let text = quick_xml::escape::resolve_predefined_entity(&name).unwrap();
                    out[i].text.push_str(text);
                }
            }
            Event::Eof => return out,
            _ => {}
        }
    }
}

/// A fault: HTTP 500, the version's Content-Type, and (code, reason) read by namespace.
fn fault(v: Soap, reply: &Reply) -> (String, String) {
    assert_eq!(reply.status, 500, "{}", reply.body);
    assert_eq!(reply.content_type.as_deref(), Some(v.content_type()));
    let elements = elements(&reply.body);
    let find = |ns: &str, local: &str| {
        let e = elements.iter().find(|e| e.ns == ns && e.local == local);
        e.unwrap_or_else(|| panic!("no {local} in {}", reply.body))
            .text
            .clone()
    };
    assert!(elements
        .iter()
        .any(|e| e.ns == v.envelope_ns() && e.local == "Fault"));
    match v {
        V11 => (find("", "faultcode"), find("", "faultstring")),
        V12 => (find(ENV12, "Value"), find(ENV12, "Text")),
    }
}

#[test]
fn login_answers_exactly_like_asmx_in_both_versions() {
    let sandbox = sandbox();
    for v in [V11, V12] {
        let mut client = Client::new();
        let reply = call(
            &mut client,
            &asmx(&sandbox),
            v,
            "login",
            &credentials(TECH, PASSWORD),
        );
        assert_eq!(reply.status, 200);
        assert_eq!(
            reply.body,
            format!(
                "<?xml version=\"1.0\" encoding=\"utf-8\"?><soap:Envelope xmlns:soap=\"{}\" \
xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xmlns:xsd=\"http://www.w3.org/2001/XMLSchema\">\
<soap:Body><loginResponse xmlns=\"{NS}\"><loginResult>login_OK</loginResult></loginResponse>\
</soap:Body></soap:Envelope>",
                v.envelope_ns()
            )
        );
        let cookie = reply.set_cookie.expect("a session cookie");
        assert!(cookie.starts_with("ASP.NET_SessionId="), "{cookie}");
        assert!(cookie.ends_with("; path=/; HttpOnly"), "{cookie}");
    }
    assert_eq!(sandbox.login_count(), 2);
}

#[test]
fn one_cookie_session_for_soap_and_the_pages() {
    let sandbox = sandbox();
    let base = sandbox.base_url();
    for v in [V11, V12] {
        // Log in over SOAP, then ask for a PIN over POST and over SOAP.
        let mut client = Client::new();
        let login = answer(
            v,
            &call(
                &mut client,
                &asmx(&sandbox),
                v,
                "login",
                &credentials(TECH, PASSWORD),
            ),
        );
        assert_eq!(login.result, "login_OK");
        let page = client.post(&format!("{base}requestPINCode.aspx"), &[]);
        pin_of(&page.body);
        let soap = answer(
            v,
            &call(&mut client, &asmx(&sandbox), v, "requestLensPINCode", ""),
        );
        assert_eq!(soap.result, "requestPINCode_OK");
        // And the other way round: log in over POST, then a PIN over SOAP.
        let mut other = Client::new();
        let login = other.post(
            &format!("{base}login.aspx"),
            &[("email", TECH), ("pwd", PASSWORD)],
        );
        assert_eq!(login.body, "OK");
        let pin = answer(
            v,
            &call(&mut other, &asmx(&sandbox), v, "requestPINCode", ""),
        );
        assert_eq!(pin.result, "requestPINCode_OK");
        // Logging out over SOAP ends the session for the pages too.
        let logout = call(&mut other, &asmx(&sandbox), v, "logout", "");
        assert!(logout.set_cookie.as_deref().unwrap().contains("1990"));
        assert_eq!(answer(v, &logout).result, "logout_OK");
        let mut stale = Client::new();
        stale.cookie = client.cookie.clone();
        let again = call(&mut client, &asmx(&sandbox), v, "logout", "");
        assert_eq!(answer(v, &again).result, "logout_OK");
        let gone = stale.post(&format!("{base}requestPINCode.aspx"), &[]);
        assert_eq!(gone.body, "NOTLOGGEDIN");
        let none = call(&mut stale, &asmx(&sandbox), v, "logout", "");
        assert_eq!(answer(v, &none).result, "logout_NotLoggedIn");
    }
    let transports: Vec<_> = sandbox
        .sessions()
        .iter()
        .map(|s| (s.method.clone(), s.transport.clone()))
        .collect();
    let want = |t: &str| ("POST".to_string(), t.to_string());
    assert_eq!(
        transports,
        [
            want("post"),
            want("soap11"),
            want("soap11"),
            want("post"),
            want("soap12"),
            want("soap12")
        ]
    );
}

/// The `.aspx` word and its SOAP enum member (after the prefix).
fn soap_word(word: &str) -> &'static str {
    match word {
        "OK" => "OK",
        "ERROR" => "Error",
        "INVALID" => "Invalid",
        "NOTLOGGEDIN" => "NotLoggedIn",
        "NOTTECHNICIAN" => "NotTechnician",
        "NOTECHCONSOLERUNNING" => "NoTechConsoleRunning",
        "OUTOFPINCODES" => "OutOfPINCodes",
        "POLLRATEEXCEEDED" => "PollRateExceeded",
        "INVALID_SECRETAUTHCODE" => "Invalid_SecretAuthCode",
        "USER_IS_DELETED" => "User_Is_Deleted",
        "USER_DELETED_OR_DISABLED" => "User_Deleted_Or_Disabled",
        "NO_ACCESS_TO_LENS" => "NoAccessToLens",
        other => panic!("unexpected word {other}"),
    }
}

/// Each account's PIN operations answer over SOAP what the pages answer, in the shared
/// `requestPINCode_` enum, and every word is one the WSDL declares for that operation.
#[test]
fn every_account_answers_the_pages_words_over_soap() {
    let sandbox = sandbox();
    let enums = wsdl_enums(&sandbox);
    let base = sandbox.base_url();
    let mut client = Client::new();
    let ops = [
        ("requestPINCode", "requestPINCode.aspx"),
        ("requestLensPINCode", "requestLensPINCode.aspx"),
        ("requestLensPINCodeV2", "requestLensPINCode.aspx"),
    ];
    for (email, code) in ACCOUNTS {
        for (op, page) in ops {
            for console in ["0", "1"] {
                let form = [("authcode", code), ("notechconsole", console)];
                let text = client.post(&format!("{base}{page}"), &form).body;
                let word = text.split("\r\n").next().unwrap();
                let flag = if console == "1" { "true" } else { "false" };
                for v in [V11, V12] {
                    let children = format!(
                        "<sAuthCode>{code}</sAuthCode><bNoTechConsole>{flag}</bNoTechConsole>"
                    );
                    let got = answer(v, &call(&mut client, &asmx(&sandbox), v, op, &children));
                    let want = format!("requestPINCode_{}", soap_word(word));
                    assert_eq!(got.result, want, "{email} {op} {v:?}");
                    assert_eq!(got.response, format!("{op}Response"));
                    assert!(enums[&format!("{op}Ret")].contains(&got.result), "{want}");
                    let pin_element = if op.ends_with("V2") {
                        "sPINCode"
                    } else {
                        "iPINCode"
                    };
                    match (word, pin_element) {
                        ("OK", _) => assert!(got.outputs.contains_key(pin_element)),
                        // An int is a value type: ASMX always writes it.
                        (_, "iPINCode") => assert_eq!(got.outputs["iPINCode"], "0"),
                        // A null string is left out.
                        _ => assert!(got.outputs.is_empty(), "{:?}", got.outputs),
                    }
                }
            }
        }
        for v in [V11, V12] {
            let creds = credentials(email, PASSWORD);
            let mut fresh = Client::new();
            let login = answer(v, &call(&mut fresh, &asmx(&sandbox), v, "login", &creds));
            assert!(
                enums["loginRet"].contains(&login.result),
                "{}",
                login.result
            );
            let auth = answer(
                v,
                &call(&mut fresh, &asmx(&sandbox), v, "requestAuthCode", &creds),
            );
            assert!(enums["requestAuthCodeRet"].contains(&auth.result));
            let page = fresh.post(
                &format!("{base}requestAuthCode.aspx"),
                &[("email", email), ("pwd", PASSWORD)],
            );
            match page.body.strip_prefix("OK\r\nAUTHCODE:") {
                Some(code) => {
                    assert_eq!(auth.result, "requestAuthCode_OK");
                    assert_eq!(auth.outputs["sAuthCode"], code);
                }
                None => {
                    let word = soap_word(&page.body);
                    assert_eq!(auth.result, format!("requestAuthCode_{word}"));
                    assert!(auth.outputs.is_empty(), "no sAuthCode on failure");
                }
            }
            let logout = answer(v, &call(&mut fresh, &asmx(&sandbox), v, "logout", ""));
            assert!(enums["logoutRet"].contains(&logout.result));
        }
    }
}

#[test]
fn the_ip_restricted_account_is_refused_at_login_only() {
    let sandbox = sandbox();
    let email = "iprestricted@sandbox.test";
    for v in [V11, V12] {
        let mut client = Client::new();
        let reply = call(
            &mut client,
            &asmx(&sandbox),
            v,
            "login",
            &credentials(email, PASSWORD),
        );
        assert!(reply.set_cookie.is_none());
        assert_eq!(answer(v, &reply).result, "login_GlobalIpRestricted");
        // A wrong password is still just invalid.
        let wrong = call(
            &mut client,
            &asmx(&sandbox),
            v,
            "login",
            &credentials(email, "nope"),
        );
        assert_eq!(answer(v, &wrong).result, "login_Invalid");
        // The authcode path works, as the vendor advises when login is denied.
        let children = format!("<sAuthCode>{IPRESTRICTED_CODE}</sAuthCode>");
        let pin = call(&mut client, &asmx(&sandbox), v, "requestPINCode", &children);
        assert_eq!(answer(v, &pin).result, "requestPINCode_OK");
    }
    let mut client = Client::new();
    let page = client.get(
        &format!("{}login.aspx", sandbox.base_url()),
        &[("email", email), ("pwd", PASSWORD)],
    );
    assert_eq!((page.body.as_str(), page.set_cookie), ("ERROR", None));
    assert_eq!(sandbox.login_attempts()[email]["GLOBALIPRESTRICTED"], 3);
    assert_eq!(sandbox.login_count(), 0);
}

#[test]
fn pins_come_as_int_in_v1_and_zero_padded_string_in_v2() {
    let sandbox = sandbox();
    let mut client = Client::new();
    let children = format!("<sAuthCode>{TECH_CODE}</sAuthCode>");
    let (mut int_zero, mut string_zero) = (false, false);
    for i in 0..400 {
        let v = if i % 2 == 0 { V11 } else { V12 };
        let op = if i % 4 < 2 {
            "requestLensPINCode"
        } else {
            "requestLensPINCodeV2"
        };
        let got = answer(v, &call(&mut client, &asmx(&sandbox), v, op, &children));
        let recorded = sandbox.sessions().last().unwrap().pin.clone();
        if op == "requestLensPINCode" {
            let int = &got.outputs["iPINCode"];
            assert_eq!(
                int.parse::<u32>().unwrap(),
                recorded.parse::<u32>().unwrap()
            );
            assert!(
                !int.starts_with('0') || int == "0",
                "an int has no leading zero"
            );
            int_zero |= recorded.starts_with('0');
        } else {
            assert_eq!(got.outputs["sPINCode"], recorded);
            string_zero |= recorded.starts_with('0');
        }
        if int_zero && string_zero {
            return;
        }
    }
    panic!("no leading-zero PIN in 400 requests");
}

#[test]
fn children_in_any_order_any_prefix_with_escapes_are_recorded_exactly() {
    let sandbox = sandbox();
    let mut client = Client::new();
    for v in [V11, V12] {
        // Prefixed operation element, shuffled children, an unknown child, entities,
        // CDATA, an empty element, xsi:nil, and a character reference for CR LF.
        let body = format!(
            "<?xml version=\"1.0\"?><S:Envelope xmlns:S=\"{env}\"><S:Header/><S:Body>\
<r:requestPINCode xmlns:r=\"{NS}\" xmlns:i=\"http://www.w3.org/2001/XMLSchema-instance\">\
<r:sTracking0>line&#13;&#10;two</r:sTracking0><r:bNoTechConsole>1</r:bNoTechConsole>\
<r:unknown><deep>x</deep></r:unknown><r:sCField1/><r:sCField3 i:nil=\"true\"/>\
<r:sAuthCode>{OFFLINE_CODE}</r:sAuthCode>\
<r:sCField0>a&lt;b&amp;c &quot;q&quot; &apos;x&apos; <![CDATA[<&>]]> é</r:sCField0>\
<sCField5>not ours</sCField5></r:requestPINCode></S:Body></S:Envelope>",
            env = v.envelope_ns()
        );
        let action = action("requestPINCode");
        let reply = client.post_xml(
            &asmx(&sandbox),
            v.content_type(),
            (v == V11).then_some(action.as_str()),
            &body,
        );
        assert_eq!(answer(v, &reply).result, "requestPINCode_OK");
        let record = sandbox.sessions().pop().unwrap();
        assert_eq!(record.technician, "offline@sandbox.test");
        assert_eq!(record.cfield0.as_deref(), Some("a<b&c \"q\" 'x' <&> é"));
        assert_eq!(record.cfield1.as_deref(), Some(""));
        assert_eq!(record.cfield3, None);
        assert_eq!(
            record.cfield5, None,
            "an element of no namespace is not ours"
        );
        assert_eq!(record.tracking0.as_deref(), Some("line\r\ntwo"));
        assert_eq!(record.notechconsole.as_deref(), Some("1"));
        assert_eq!(
            (record.method.as_str(), record.transport.as_str()),
            ("POST", v.transport())
        );
    }
    // A missing boolean is false: the offline technician needs the console.
    let children = format!("<sAuthCode>{OFFLINE_CODE}</sAuthCode>");
    let missing = call(
        &mut client,
        &asmx(&sandbox),
        V12,
        "requestPINCode",
        &children,
    );
    assert_eq!(
        answer(V12, &missing).result,
        "requestPINCode_NoTechConsoleRunning"
    );
    // Field limits are the pages' limits.
    let long = format!(
        "<sAuthCode>{TECH_CODE}</sAuthCode><sCField0>{}</sCField0>",
        "c".repeat(65)
    );
    let refused = call(
        &mut client,
        &asmx(&sandbox),
        V11,
        "requestLensPINCode",
        &long,
    );
    assert_eq!(answer(V11, &refused).result, "requestPINCode_Error");
}

#[test]
fn rate_limits_are_shared_with_the_pages() {
    // The default one-PIN-per-second interval.
    let sandbox = Sandbox::start(Config::default()).unwrap();
    let mut client = Client::new();
    let page = client.post(
        &format!("{}requestPINCode.aspx", sandbox.base_url()),
        &[("authcode", TECH_CODE)],
    );
    pin_of(&page.body);
    let children = format!("<sAuthCode>{TECH_CODE}</sAuthCode>");
    let soon = call(
        &mut client,
        &asmx(&sandbox),
        V11,
        "requestLensPINCode",
        &children,
    );
    assert_eq!(answer(V11, &soon).result, "requestPINCode_PollRateExceeded");
    // Ten login calls of one email in three minutes, SOAP and pages mixed; the 11th is refused.
    for i in 0..10 {
        let v = [V11, V12][i % 2];
        if i % 3 == 0 {
            let login = client.get(
                &format!("{}login.aspx", sandbox.base_url()),
                &[("email", TECH), ("pwd", PASSWORD)],
            );
            assert_eq!(login.body, "OK");
        } else {
            let creds = credentials(TECH, PASSWORD);
            let login = call(&mut client, &asmx(&sandbox), v, "login", &creds);
            assert_eq!(answer(v, &login).result, "login_OK");
        }
    }
    let creds = credentials(TECH, PASSWORD);
    let eleventh = call(&mut client, &asmx(&sandbox), V12, "login", &creds);
    assert_eq!(answer(V12, &eleventh).result, "login_LimitReached");
}

#[test]
fn unknown_actions_and_operations_are_client_faults() {
    let sandbox = sandbox();
    let mut client = Client::new();
    let login = envelope(
        V11,
        &format!(
            "<login xmlns=\"{NS}\">{}</login>",
            credentials(TECH, PASSWORD)
        ),
    );
    for (header, shown) in [
        (Some("\"urn:nope\""), "urn:nope"),
        (Some(&format!("{NS}/Login")[..]), &format!("{NS}/Login")[..]),
        // No SOAP operation takes a NodeId: _v4 has no twin.
        (
            Some(&format!("\"{NS}/requestLensPINCodeV4\"")[..]),
            &format!("{NS}/requestLensPINCodeV4")[..],
        ),
        (None, ""),
    ] {
        let reply = client.post_xml(&asmx(&sandbox), V11.content_type(), header, &login);
        let (code, reason) = fault(V11, &reply);
        assert_eq!(code, "soap:Client");
        assert_eq!(
            reason,
            format!("Server did not recognize the value of HTTP Header SOAPAction: {shown}.")
        );
    }
    // A SOAPAction without quotes is fine, as ASMX accepts it.
    let bare = client.post_xml(
        &asmx(&sandbox),
        V11.content_type(),
        Some(&format!("{NS}/login")),
        &login,
    );
    assert_eq!(answer(V11, &bare).result, "login_OK");
    // The body must hold the operation the SOAPAction names.
    let mismatch = client.post_xml(
        &asmx(&sandbox),
        V11.content_type(),
        Some(&action("logout")),
        &login,
    );
    let (code, reason) = fault(V11, &mismatch);
    assert_eq!(code, "soap:Client");
    assert!(
        reason.contains(
            "<login xmlns='https://secure.logmeinrescue.com/API/API.asmx'> was not expected"
        ),
        "{reason}"
    );
    // SOAP 1.2 routes on the body element: an unknown one, one in another namespace, none.
    for inner in [
        "<requestLensPINCodeV4 xmlns=\"https://secure.logmeinrescue.com/API/API.asmx\"/>"
            .to_owned(),
        "<login xmlns=\"urn:other\"/>".to_owned(),
        String::new(),
    ] {
        let reply = client.post_xml(
            &asmx(&sandbox),
            V12.content_type(),
            None,
            &envelope(V12, &inner),
        );
        let (code, reason) = fault(V12, &reply);
        assert_eq!(code, "soap:Sender");
        assert_eq!(
            reason,
            "Unable to handle request without a valid action parameter. Please supply a valid soap action."
        );
        assert!(reply
            .body
            .contains("<soap:Code><soap:Value>soap:Sender</soap:Value></soap:Code>"));
    }
    assert_eq!(
        sandbox.login_count(),
        1,
        "only the well-formed call logged in"
    );
}

#[test]
fn malformed_xml_dtds_and_entities_are_refused() {
    let sandbox = sandbox();
    let mut client = Client::new();
    let laughs = format!(
        "<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\"><!ENTITY lol2 \"&lol;&lol;&lol;&lol;\">]>\
<soap:Envelope xmlns:soap=\"{ENV11}\"><soap:Body><requestPINCode xmlns=\"{NS}\">\
<sAuthCode>{TECH_CODE}</sAuthCode><sCField0>&lol2;</sCField0></requestPINCode></soap:Body></soap:Envelope>"
    );
    let external = format!(
        "<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>\
<soap:Envelope xmlns:soap=\"{ENV11}\"><soap:Body><requestPINCode xmlns=\"{NS}\">\
<sCField0>&xxe;</sCField0></requestPINCode></soap:Body></soap:Envelope>"
    );
    let undeclared = envelope(
        V11,
        &format!("<requestPINCode xmlns=\"{NS}\"><sCField0>&lol;</sCField0></requestPINCode>"),
    );
    let cases = [
        (laughs.as_str(), "DTD is prohibited"),
        (external.as_str(), "DTD is prohibited"),
        (undeclared.as_str(), "undeclared entity 'lol'"),
        ("not xml at all", "Root element is missing"),
        ("", "Root element is missing"),
        ("<soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\"><soap:Body>", "error in XML document"),
        ("<a:Envelope xmlns:a=\"http://schemas.xmlsoap.org/soap/envelope/\"><a:Body><x></y></a:Body></a:Envelope>", "error in XML document"),
        ("<soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\"><soap:Body><requestPINCode xmlns=\"https://secure.logmeinrescue.com/API/API.asmx\"><bNoTechConsole>yes</bNoTechConsole></requestPINCode></soap:Body></soap:Envelope>", "not a valid Boolean"),
        ("<soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\"><soap:Body><requestPINCode xmlns=\"https://secure.logmeinrescue.com/API/API.asmx\"><sCField0>&#0;</sCField0></requestPINCode></soap:Body></soap:Envelope>", "character"),
    ];
    for (body, expected) in cases {
        let reply = client.post_xml(
            &asmx(&sandbox),
            V11.content_type(),
            Some(&action("requestPINCode")),
            body,
        );
        let (code, reason) = fault(V11, &reply);
        assert!(
            code == "soap:Client" || code == "soap:VersionMismatch",
            "{code}"
        );
        assert!(reason.contains(expected), "{body:?}: {reason}");
        assert!(!reason.contains("lol2") && !reason.contains("passwd"));
    }
    assert!(
        sandbox.sessions().is_empty(),
        "no refused request made a PIN"
    );
    // The server still answers.
    let ok = call(
        &mut client,
        &asmx(&sandbox),
        V11,
        "requestPINCode",
        &format!("<sAuthCode>{TECH_CODE}</sAuthCode>"),
    );
    assert_eq!(answer(V11, &ok).result, "requestPINCode_OK");
}

#[test]
fn envelope_versions_content_types_methods_and_size() {
    let sandbox = sandbox();
    let mut client = Client::new();
    // A 1.2 envelope sent as 1.1 and the other way round.
    let as11 = client.post_xml(
        &asmx(&sandbox),
        V11.content_type(),
        Some(&action("logout")),
        &envelope(V12, &format!("<logout xmlns=\"{NS}\"/>")),
    );
    let (code, reason) = fault(V11, &as11);
    assert_eq!(code, "soap:VersionMismatch");
    assert!(reason.contains(ENV12), "{reason}");
    let as12 = client.post_xml(
        &asmx(&sandbox),
        V12.content_type(),
        None,
        &envelope(V11, &format!("<logout xmlns=\"{NS}\"/>")),
    );
    assert_eq!(fault(V12, &as12).0, "soap:VersionMismatch");
    // Neither SOAP content type.
    let form = client.post(&asmx(&sandbox), &[("sEmail", TECH)]);
    assert_eq!(form.status, 415);
    // Only GET (description) and POST (calls).
    let put = ureq_status(&sandbox, "PUT");
    assert_eq!(put, 405);
    // The body cap is the pages' 64 KiB.
    let big = envelope(
        V12,
        &format!(
            "<logout xmlns=\"{NS}\"><x>{}</x></logout>",
            "a".repeat(64 * 1024)
        ),
    );
    let reply = client.post_xml(&asmx(&sandbox), V12.content_type(), None, &big);
    assert_eq!(reply.status, 413);
    // Case-insensitive path, a UTF-8 BOM, and a `charset`-less Content-Type.
    let mut bom = String::from("\u{feff}");
    bom.push_str(&envelope(V12, &format!("<logout xmlns=\"{NS}\"/>")));
    let url = format!("{}api/api.ASMX", sandbox.root_url());
    let reply = client.post_xml(&url, "application/soap+xml", None, &bom);
    assert_eq!(reply.status, 200, "{}", reply.body);
    assert!(reply
        .body
        .contains("<logoutResult>logout_NotLoggedIn</logoutResult>"));
}

fn ureq_status(sandbox: &Sandbox, method: &str) -> u16 {
    let mut tcp = TcpStream::connect(sandbox.addr()).unwrap();
    tcp.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    write!(tcp, "{method} /API/API.asmx HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nConnection: close\r\n\r\n").unwrap();
    let mut reply = String::new();
    tcp.read_to_string(&mut reply).unwrap();
    reply[9..12].parse().unwrap()
}

/// `<name>Ret` → its enumeration values, from the served WSDL.
fn wsdl_enums(sandbox: &Sandbox) -> BTreeMap<String, Vec<String>> {
    let wsdl = Client::new()
        .get(&format!("{}?wsdl", asmx(sandbox)), &[])
        .body;
    let mut enums: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut current = String::new();
    for e in elements(&wsdl) {
        if e.ns == XSD && e.local == "simpleType" {
            current = e.attributes["name"].clone();
        } else if e.ns == XSD && e.local == "enumeration" {
            enums
                .entry(current.clone())
                .or_default()
                .push(e.attributes["value"].clone());
        }
    }
    enums
}

#[test]
fn the_wsdl_describes_every_operation_with_asp_net_types() {
    let sandbox = sandbox();
    let mut client = Client::new();
    for query in ["wsdl", "WSDL", "Wsdl"] {
        let url = format!("{}api/Api.asmx?{query}", sandbox.root_url());
        let reply = client.get(&url, &[]);
        assert_eq!(reply.status, 200);
        assert_eq!(
            reply.content_type.as_deref(),
            Some("text/xml; charset=utf-8")
        );
        let elements = elements(&reply.body);
        let root = &elements[0];
        assert_eq!(
            (root.ns.as_str(), root.local.as_str()),
            ("http://schemas.xmlsoap.org/wsdl/", "definitions")
        );
        assert_eq!(root.attributes["targetNamespace"], NS);
        // Both ports point where the WSDL came from.
        let addresses: Vec<_> = elements.iter().filter(|e| e.local == "address").collect();
        assert_eq!(addresses.len(), 2);
        assert_eq!(addresses[0].ns, "http://schemas.xmlsoap.org/wsdl/soap/");
        assert_eq!(addresses[1].ns, "http://schemas.xmlsoap.org/wsdl/soap12/");
        for a in addresses {
            assert_eq!(a.attributes["location"], url.split('?').next().unwrap());
        }
        // Schema elements: (operation element, child, type, minOccurs).
        let mut fields = Vec::new();
        let mut top = String::new();
        for e in elements
            .iter()
            .filter(|e| e.ns == XSD && e.local == "element")
        {
            if e.attributes.contains_key("type") {
                fields.push((
                    top.clone(),
                    e.attributes["name"].clone(),
                    e.attributes["type"].clone(),
                    e.attributes["minOccurs"].clone(),
                ));
            } else {
                top = e.attributes["name"].clone();
            }
        }
        let field = |op: &str, name: &str| {
            fields
                .iter()
                .find(|f| f.0 == op && f.1 == name)
                .map(|f| (f.2.as_str(), f.3.as_str()))
                .unwrap_or_else(|| panic!("{op}/{name}"))
        };
        const PIN_CHILDREN: [&str; 9] = [
            "sCField0",
            "sCField1",
            "sCField2",
            "sCField3",
            "sCField4",
            "sCField5",
            "sTracking0",
            "bNoTechConsole",
            "sAuthCode",
        ];
        for op in [
            "requestPINCode",
            "requestLensPINCode",
            "requestLensPINCodeV2",
            "requestLensPINCodeV3",
        ] {
            let names: Vec<_> = fields
                .iter()
                .filter(|f| f.0 == op)
                .map(|f| f.1.as_str())
                .collect();
            let mut expected = PIN_CHILDREN.to_vec();
            if op == "requestLensPINCodeV3" {
                expected.extend(["sPhoneNumber", "sLangCode"]);
            }
            assert_eq!(names, expected);
            assert_eq!(field(op, "sCField0"), ("s:string", "0"));
            assert_eq!(field(op, "bNoTechConsole"), ("s:boolean", "1"));
            let result = format!("tns:{op}Ret");
            assert_eq!(
                field(&format!("{op}Response"), &format!("{op}Result")),
                (result.as_str(), "1")
            );
        }
        assert_eq!(
            field("requestLensPINCodeResponse", "iPINCode"),
            ("s:int", "1")
        );
        assert_eq!(field("requestPINCodeResponse", "iPINCode"), ("s:int", "1"));
        assert_eq!(
            field("requestLensPINCodeV2Response", "sPINCode"),
            ("s:string", "0")
        );
        assert_eq!(
            field("requestLensPINCodeV3", "sPhoneNumber"),
            ("s:string", "0")
        );
        assert_eq!(
            field("requestLensPINCodeV3", "sLangCode"),
            ("s:string", "0")
        );
        let v3_outputs: Vec<_> = fields
            .iter()
            .filter(|f| f.0 == "requestLensPINCodeV3Response")
            .map(|f| (f.1.as_str(), f.2.as_str(), f.3.as_str()))
            .collect();
        assert_eq!(
            v3_outputs,
            [
                (
                    "requestLensPINCodeV3Result",
                    "tns:requestLensPINCodeV3Ret",
                    "1"
                ),
                ("sPINCode", "s:string", "0"),
                ("sSMSResult", "s:string", "0"),
            ]
        );
        assert_eq!(
            field("requestAuthCodeResponse", "sAuthCode"),
            ("s:string", "0")
        );
        assert_eq!(field("login", "sEmail"), ("s:string", "0"));
        assert_eq!(field("login", "sPassword"), ("s:string", "0"));
        assert_eq!(field("loginResponse", "loginResult"), ("tns:loginRet", "1"));
        assert!(
            !fields.iter().any(|f| f.0 == "logout"),
            "logout takes nothing"
        );
        // SOAPActions of both bindings.
        let actions: Vec<_> = elements
            .iter()
            .filter(|e| e.local == "operation" && e.attributes.contains_key("soapAction"))
            .collect();
        assert_eq!(actions.len(), 14);
        for a in &actions {
            assert_eq!(a.attributes["style"], "document");
            assert!(a.attributes["soapAction"].starts_with(&format!("{NS}/")));
        }
    }
    let enums = wsdl_enums(&sandbox);
    assert_eq!(
        enums["loginRet"],
        [
            "login_OK",
            "login_Error",
            "login_Invalid",
            "login_LimitReached",
            "login_GlobalIpRestricted"
        ]
    );
    assert_eq!(
        enums["logoutRet"],
        ["logout_OK", "logout_Error", "logout_NotLoggedIn"]
    );
    assert_eq!(
        enums["requestAuthCodeRet"],
        [
            "requestAuthCode_OK",
            "requestAuthCode_Error",
            "requestAuthCode_Invalid"
        ]
    );
    for op in [
        "requestPINCodeRet",
        "requestLensPINCodeRet",
        "requestLensPINCodeV2Ret",
        "requestLensPINCodeV3Ret",
    ] {
        assert_eq!(enums[op].len(), 11);
        assert!(enums[op].iter().all(|w| w.starts_with("requestPINCode_")));
        assert!(enums[op].contains(&"requestPINCode_OutOfPINCodes".to_string()));
        assert!(enums[op].contains(&"requestPINCode_NoAccessToLens".to_string()));
    }
    // A fault variant's WSDL sends calls through that variant; the help page has no WSDL query.
    let fault_wsdl = client.get(
        &format!("{}API.asmx?wsdl", sandbox.fault_url("status-503")),
        &[],
    );
    assert_eq!(fault_wsdl.status, 200);
    assert!(fault_wsdl.body.contains(&format!(
        "location=\"{}API.asmx\"",
        sandbox.fault_url("status-503")
    )));
    let help = client.get(&asmx(&sandbox), &[]);
    assert_eq!(help.status, 200);
    assert!(help.content_type.unwrap().starts_with("text/html"));
    assert!(help.body.contains("requestLensPINCodeV2"));
}

#[test]
fn fault_variants_work_over_soap() {
    let sandbox = sandbox();
    let mut client = Client::new();
    let children = format!("<sAuthCode>{TECH_CODE}</sAuthCode>");
    let url = |kind: &str| format!("{}API.asmx", sandbox.fault_url(kind));
    for v in [V11, V12] {
        sandbox.reset();
        for (kind, status) in [("status-500", 500), ("status-503", 503)] {
            let reply = call(&mut client, &url(kind), v, "requestLensPINCode", &children);
            assert_eq!(reply.status, status);
            assert!(
                !reply.body.contains("Fault"),
                "a transport error, not a SOAP fault"
            );
        }
        let html = call(&mut client, &url("html"), v, "login", "");
        assert!(html.content_type.unwrap().starts_with("text/html"));
        let empty = call(&mut client, &url("empty"), v, "login", "");
        assert_eq!((empty.status, empty.body.as_str()), (200, ""));
        assert!(sandbox.sessions().is_empty());
        let unknown = answer(
            v,
            &call(
                &mut client,
                &url("unknown"),
                v,
                "requestLensPINCode",
                &children,
            ),
        );
        assert_eq!(unknown.result, "requestPINCode_SomethingNew");
        let unknown = answer(v, &call(&mut client, &url("unknown"), v, "login", ""));
        assert_eq!(unknown.result, "login_SomethingNew");
        assert!(
            sandbox.sessions().is_empty(),
            "unknown does not run the method"
        );
        // Layout variants don't touch SOAP answers.
        for kind in ["oneline", "crlf", "spaced"] {
            let got = answer(
                v,
                &call(
                    &mut client,
                    &url(kind),
                    v,
                    "requestLensPINCodeV2",
                    &children,
                ),
            );
            assert_eq!(
                got.outputs["sPINCode"],
                sandbox.sessions().last().unwrap().pin
            );
        }
        let started = Instant::now();
        let slow = answer(
            v,
            &call(
                &mut client,
                &url("slow-300"),
                v,
                "requestPINCode",
                &children,
            ),
        );
        assert_eq!(slow.result, "requestPINCode_OK");
        assert!(started.elapsed() >= Duration::from_millis(300));
        let creds = credentials(TECH, PASSWORD);
        let down = call(&mut client, &url("login-503"), v, "login", &creds);
        assert_eq!(down.status, 503);
    }
    assert_eq!(
        sandbox.login_attempts()[TECH]["HTTP 503"],
        1,
        "since the reset"
    );
    // hang and reset, over raw TCP.
    let body = envelope(V12, &format!("<logout xmlns=\"{NS}\"/>"));
    for kind in ["hang", "reset"] {
        let mut tcp = TcpStream::connect(sandbox.addr()).unwrap();
        tcp.set_read_timeout(Some(Duration::from_millis(800)))
            .unwrap();
        write!(
            tcp,
            "POST /fault/{kind}/API/API.asmx HTTP/1.1\r\nHost: x\r\nContent-Type: application/soap+xml\r\nContent-Length: {}\r\n\r\n{body}",
            body.len()
        )
        .unwrap();
        let mut got = Vec::new();
        let read = tcp.read_to_end(&mut got);
        assert!(
            got.is_empty(),
            "{kind}: {:?}",
            String::from_utf8_lossy(&got)
        );
        match kind {
            "hang" => assert!(read.is_err(), "hang: still open after the timeout"),
            _ => assert!(read.is_ok(), "reset: closed, no answer"),
        }
    }
    // The WSDL of a hanging variant is still served.
    let wsdl = client.get(&format!("{}?WSDL", url("hang")), &[]);
    assert_eq!(wsdl.status, 200);
}
