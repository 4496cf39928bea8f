//! Lens invitations (`request_lens_pin_invite`) against the sandbox over every transport:
//! the page or operation each invitation picks (the inspection JSON shows which), the SMS
//! result as the service gave it, NodeIds, and what is refused before any traffic.

mod common;

use std::time::Duration;

use common::*;
use rescue::{Error, ErrorKind, LensInvitation, PinRequest, Status, Transport, LANG_CODES};
use rescue_sandbox::{Config, SessionRecord, SMS_FAILED, SMS_SENT};

const PHONE: &str = "+1 555 0100";
/// `+999…` makes the sandbox's SMS fail (sandbox README, "Lens SMS invitations").
const FAILING: &str = "+999 555 0123";
const OFFLINE: &str = "offline@sandbox.test";
const ADMIN: &str = "admin@sandbox.test";

/// The page (HTTP) or operation (SOAP) a request for `page` reaches.
fn call_name(transport: Transport, page: &str) -> String {
    match transport {
        Transport::HttpPost | Transport::HttpGet => format!("{page}.aspx"),
        // The SOAP operations are …V3 (capital V, no underscore); v1 keeps its name.
        Transport::Soap11 | Transport::Soap12 => page.replace("_v3", "V3"),
    }
}

fn record_transport(transport: Transport) -> &'static str {
    transport.name().trim_start_matches("http-")
}

fn only_record(sandbox: &rescue_sandbox::Sandbox) -> SessionRecord {
    let mut records = sandbox.sessions();
    assert_eq!(records.len(), 1, "{records:?}");
    records.pop().unwrap()
}

fn by_authcode(email: &str) -> PinRequest {
    PinRequest::new().authcode(&authcode(email))
}

#[test]
fn the_sms_is_sent_over_every_transport() {
    every_transport(|transport| {
        let sandbox = sandbox();
        let client = client(&sandbox.base_url(), transport);
        client.login(TECH, PASSWORD).expect("login");
        let invitation = LensInvitation::new().phone_number(PHONE).lang_code("DE");
        let lens = client
            .request_lens_pin_invite(&PinRequest::new().cfield0("Jane"), &invitation)
            .expect("a PIN");
        assert_eq!(lens.sms_result(), Some(SMS_SENT), "{transport:?}");
        assert!(lens.sms_sent());
        let record = only_record(&sandbox);
        assert_eq!(record.pin, lens.pin().as_str());
        assert_eq!(
            record.call,
            call_name(transport, "requestLensPINCode_v3"),
            "{transport:?}"
        );
        assert_eq!(record.transport, record_transport(transport));
        assert_eq!(record.kind, "lens");
        assert_eq!(record.cfield0.as_deref(), Some("Jane"));
        let sent = record.invitation.expect("an invitation");
        assert_eq!(sent.phone_number.as_deref(), Some(PHONE));
        // Sent as the service spells it: the sandbox refuses `DE` sent raw.
        assert_eq!(sent.lang_code.as_deref(), Some("de"));
        assert_eq!(sent.node_id, None);
        let text = sent.sms_text.expect("the SMS text");
        assert!(
            text.contains(&format!(
                "https://secure.logmeinrescue.com/R?i=2&Code={}",
                lens.pin()
            )),
            "{text}"
        );
    });
}

#[test]
fn a_failed_sms_is_a_result_not_an_error() {
    every_transport(|transport| {
        let sandbox = sandbox();
        let client = client(&sandbox.base_url(), transport);
        let lens = client
            .request_lens_pin_invite(
                &by_authcode(TECH),
                &LensInvitation::new().phone_number(FAILING),
            )
            .expect("the PIN exists even when the SMS failed");
        assert_eq!(lens.sms_result(), Some(SMS_FAILED), "{transport:?}");
        assert!(!lens.sms_sent());
        let record = only_record(&sandbox);
        assert_eq!(record.pin, lens.pin().as_str());
        let sent = record.invitation.expect("an invitation");
        assert_eq!(sent.sms_result.as_deref(), Some(SMS_FAILED));
        assert_eq!(sent.lang_code, None, "no language set, none sent");
    });
}

#[test]
fn every_language_code_in_any_case() {
    let openings = [
        ("de", "Ihr Techniker"),
        ("en", "Your technician"),
        ("es", "Su técnico"),
        ("fr", "Votre technicien"),
        ("nl", "Uw technicus"),
        ("pt-br", "Seu técnico"),
    ];
    assert_eq!(LANG_CODES.len(), openings.len());
    let sandbox = sandbox();
    for transport in [Transport::HttpPost, Transport::Soap12] {
        let client = client(&sandbox.base_url(), transport);
        for (code, opening) in openings {
            assert!(LANG_CODES.contains(&code));
            for written in [code.to_owned(), code.to_ascii_uppercase()] {
                sandbox.reset();
                let invitation = LensInvitation::new()
                    .phone_number(PHONE)
                    .lang_code(written.clone());
                let lens = client
                    .request_lens_pin_invite(&by_authcode(TECH), &invitation)
                    .unwrap_or_else(|e| panic!("{written}: {e}"));
                let sent = only_record(&sandbox).invitation.expect("an invitation");
                assert_eq!(sent.lang_code.as_deref(), Some(code), "{written}");
                let text = sent.sms_text.expect("the SMS text");
                assert!(text.starts_with(opening), "{written}: {text}");
                assert!(text.contains(lens.pin().as_str()));
            }
        }
    }
}

#[test]
fn a_language_alone_picks_v3_and_texts_nothing() {
    every_transport(|transport| {
        let sandbox = sandbox();
        let client = client(&sandbox.base_url(), transport);
        let lens = client
            .request_lens_pin_invite(&by_authcode(TECH), &LensInvitation::new().lang_code("fr"))
            .expect("a PIN");
        assert_eq!(lens.sms_result(), None);
        let record = only_record(&sandbox);
        assert_eq!(record.call, call_name(transport, "requestLensPINCode_v3"));
        let sent = record.invitation.expect("an invitation");
        assert_eq!(sent.lang_code.as_deref(), Some("fr"));
        assert_eq!((sent.phone_number, sent.sms_text), (None, None));
    });
}

#[test]
fn nothing_set_stays_v1() {
    every_transport(|transport| {
        let sandbox = sandbox();
        let client = client(&sandbox.base_url(), transport);
        let lens = client
            .request_lens_pin_invite(&by_authcode(TECH), &LensInvitation::new())
            .expect("a PIN");
        assert_eq!(lens.sms_result(), None);
        let plain = client.request_lens_pin(&by_authcode(TECH)).expect("a PIN");
        let records = sandbox.sessions();
        assert_eq!(records.len(), 2);
        for (record, pin) in records.iter().zip([lens.pin(), &plain]) {
            assert_eq!(record.pin, pin.as_str());
            assert_eq!(
                record.call,
                call_name(transport, "requestLensPINCode"),
                "{transport:?}"
            );
            assert_eq!(record.invitation, None);
        }
    });
}

#[test]
fn a_node_id_makes_the_pin_for_another_technician() {
    for transport in [Transport::HttpPost, Transport::HttpGet] {
        let sandbox = sandbox();
        let client = client(&sandbox.base_url(), transport);
        // A helpdesk system (an administrator) for a technician, with an SMS.
        let invitation = LensInvitation::new()
            .phone_number(PHONE)
            .lang_code("nl")
            .node_id("1001");
        let lens = client
            .request_lens_pin_invite(&by_authcode(ADMIN), &invitation)
            .expect("a PIN for tech@");
        assert_eq!(lens.sms_result(), Some(SMS_SENT));
        let record = only_record(&sandbox);
        assert_eq!(record.pin, lens.pin().as_str());
        assert_eq!(record.call, "requestLensPINCode_v4.aspx");
        assert_eq!(record.transport, record_transport(transport));
        assert_eq!(record.technician, TECH);
        assert_eq!(record.requested_by, ADMIN);
        let sent = record.invitation.expect("an invitation");
        assert_eq!(sent.node_id.as_deref(), Some("1001"));
        assert_eq!(sent.lang_code.as_deref(), Some("nl"));

        // A logged-in technician for a colleague whose console is offline; no SMS.
        sandbox.reset();
        client.login(TECH, PASSWORD).expect("login");
        let lens = client
            .request_lens_pin_invite(
                &PinRequest::new().notechconsole(true),
                &LensInvitation::new().node_id("1002"),
            )
            .expect("a PIN for offline@");
        assert_eq!(lens.sms_result(), None);
        let record = only_record(&sandbox);
        assert_eq!(record.technician, OFFLINE);
        assert_eq!(record.requested_by, TECH);
        assert_eq!(record.call, "requestLensPINCode_v4.aspx");
    }
}

#[test]
fn node_id_answers_are_the_service_words() {
    let sandbox = sandbox();
    let client = client(&sandbox.base_url(), Transport::HttpPost);
    for (node_id, status) in [
        ("4242", Status::Error), // no such technician (the sandbox's assumption)
        ("1003", Status::NotTechnician),
        ("1002", Status::NoTechConsoleRunning),
        ("1006", Status::UserIsDeleted),
    ] {
        let result = client
            .request_lens_pin_invite(&by_authcode(TECH), &LensInvitation::new().node_id(node_id));
        assert_eq!(result, Err(Error::Service(status)), "{node_id}");
    }
    assert!(sandbox.sessions().is_empty());
}

#[test]
fn a_node_id_over_soap_is_refused_before_sending() {
    for transport in [Transport::Soap11, Transport::Soap12] {
        let sandbox = sandbox();
        let client = client(&sandbox.base_url(), transport);
        let err = client
            .request_lens_pin_invite(
                &by_authcode(TECH),
                &LensInvitation::new().phone_number(PHONE).node_id("1001"),
            )
            .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidArgument, "{err}");
        assert!(matches!(
            err,
            Error::InvalidArgument {
                name: "node_id",
                ..
            }
        ));
        assert!(err.to_string().contains("SOAP"), "{err}");
        assert!(sandbox.sessions().is_empty());
        assert_eq!(sandbox.login_count(), 0);
    }
}

/// Every invitation the client must refuse, and the argument it names.
fn bad_invitations() -> Vec<(LensInvitation, &'static str)> {
    vec![
        (LensInvitation::new().phone_number(""), "phone_number"),
        (LensInvitation::new().phone_number("   "), "phone_number"),
        (
            LensInvitation::new().phone_number("+1 555\n0100"),
            "phone_number",
        ),
        (
            LensInvitation::new().phone_number("+1 555\u{0}0100"),
            "phone_number",
        ),
        (
            LensInvitation::new().phone_number("+1 555\u{7f}0100"),
            "phone_number",
        ),
        (
            LensInvitation::new().phone_number(&"5".repeat(33)),
            "phone_number",
        ),
        (LensInvitation::new().lang_code("it"), "lang_code"),
        (LensInvitation::new().lang_code("pt"), "lang_code"),
        (LensInvitation::new().lang_code(""), "lang_code"),
        (LensInvitation::new().lang_code("en "), "lang_code"),
        (LensInvitation::new().node_id(""), "node_id"),
        (LensInvitation::new().node_id("12a"), "node_id"),
        (LensInvitation::new().node_id("-1"), "node_id"),
        (LensInvitation::new().node_id(" 1001"), "node_id"),
        (LensInvitation::new().node_id("1".repeat(21)), "node_id"),
    ]
}

#[test]
fn bad_invitations_are_refused_before_any_traffic() {
    // A closed port: a request sent would be a network error, not InvalidArgument.
    let nowhere = client("http://127.0.0.1:9/API/", Transport::HttpPost);
    let sandbox = sandbox();
    for transport in Transport::ALL {
        let client = client(&sandbox.base_url(), transport);
        for (invitation, name) in bad_invitations() {
            for client in [&nowhere, &client] {
                let err = client
                    .request_lens_pin_invite(&by_authcode(TECH), &invitation)
                    .unwrap_err();
                match &err {
                    Error::InvalidArgument { name: got, .. } => assert_eq!(*got, name),
                    other => panic!("{invitation:?}: {other:?}"),
                }
            }
        }
    }
    assert!(sandbox.sessions().is_empty(), "nothing reached the sandbox");
    // The longest number and every language are accepted.
    let client = client(&sandbox.base_url(), Transport::HttpPost);
    let longest = "5".repeat(32);
    let lens = client
        .request_lens_pin_invite(
            &by_authcode(TECH),
            &LensInvitation::new()
                .phone_number(&longest)
                .lang_code("Pt-Br"),
        )
        .expect("32 characters are sent");
    let sent = only_record(&sandbox).invitation.expect("an invitation");
    assert_eq!(sent.phone_number.as_deref(), Some(longest.as_str()));
    assert_eq!(sent.lang_code.as_deref(), Some("pt-br"));
    assert!(lens.sms_sent());
}

#[test]
fn field_limits_and_the_poll_rate_are_v1_s() {
    let sandbox = sandbox_with(Config {
        pin_interval: Duration::from_secs(60),
        ..Config::default()
    });
    let client = client(&sandbox.base_url(), Transport::HttpPost);
    let invitation = LensInvitation::new().phone_number(PHONE);
    let too_long = PinRequest::new()
        .authcode(&authcode(TECH))
        .cfield0("x".repeat(65));
    let err = client
        .request_lens_pin_invite(&too_long, &invitation)
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::FieldTooLong);
    client
        .request_lens_pin(&by_authcode(TECH))
        .expect("a v1 PIN");
    for transport in Transport::ALL {
        let client = client_for(&sandbox, transport);
        assert_eq!(
            client.request_lens_pin_invite(&by_authcode(TECH), &invitation),
            Err(Error::Service(Status::PollRateExceeded)),
            "{transport:?}"
        );
    }
    assert_eq!(sandbox.sessions().len(), 1);
}

fn client_for(sandbox: &rescue_sandbox::Sandbox, transport: Transport) -> rescue::Client {
    client(&sandbox.base_url(), transport)
}

#[test]
fn the_phone_number_never_shows() {
    const NUMBER: &str = "+44 7700 900123";
    let secret_parts = ["7700", "900123", "44 77"];
    let shows = |text: &str| secret_parts.iter().any(|p| text.contains(p));
    let invitation = LensInvitation::new().phone_number(NUMBER).lang_code("en");
    assert!(!shows(&format!("{invitation:?}")), "{invitation:?}");

    let sandbox = sandbox();
    let mut texts = Vec::new();
    // Service errors, the SOAP NodeId refusal, a too-long and a broken number.
    let http = client(&sandbox.base_url(), Transport::HttpGet);
    let soap = client(&sandbox.base_url(), Transport::Soap11);
    let errors = [
        http.request_lens_pin_invite(&PinRequest::new(), &invitation),
        soap.request_lens_pin_invite(&PinRequest::new(), &invitation),
        soap.request_lens_pin_invite(&by_authcode(TECH), &invitation.clone().node_id("1001")),
        http.request_lens_pin_invite(
            &by_authcode(TECH),
            &LensInvitation::new().phone_number(&format!("{NUMBER}{NUMBER}{NUMBER}")),
        ),
        http.request_lens_pin_invite(
            &by_authcode(TECH),
            &LensInvitation::new().phone_number(&format!("{NUMBER}\r\n")),
        ),
        http.request_lens_pin_invite(&by_authcode(TECH), &invitation.clone().node_id("4242")),
    ];
    for result in errors {
        let err = result.unwrap_err();
        texts.push(format!("{err}"));
        texts.push(format!("{err:?}"));
    }
    let lens = http
        .request_lens_pin_invite(&by_authcode(TECH), &invitation)
        .expect("a PIN");
    texts.push(format!("{lens:?}"));
    for text in &texts {
        assert!(!shows(text), "{text}");
    }
    // It did reach the service where it should.
    let sent = only_record(&sandbox).invitation.expect("an invitation");
    assert_eq!(sent.phone_number.as_deref(), Some(NUMBER));
}
