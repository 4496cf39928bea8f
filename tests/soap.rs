//! SOAP 1.1 and 1.2 against the sandbox's `API.asmx`: one login session whatever the
//! transport, renewal, XML escaping of the fields, what is refused before sending.
//! (Every call and status over every transport is in `statuses.rs`.)

mod common;

use common::*;
use rescue::{Client, ErrorKind, PinRequest, Transport};

const SOAP: [Transport; 2] = [Transport::Soap11, Transport::Soap12];

#[test]
fn one_session_across_transports() {
    for soap in SOAP {
        let sandbox = sandbox();
        // Logged in over SOAP, a PIN over the .aspx pages, and the other way round.
        let over_soap = client(&sandbox.base_url(), soap);
        over_soap.login(TECH, PASSWORD).unwrap();
        let over_post = Client::builder()
            .base_url(sandbox.base_url())
            .session_of(&over_soap)
            .build()
            .unwrap();
        over_post.request_lens_pin(&PinRequest::new()).unwrap();
        over_post.logout().unwrap();
        over_post.login(TECH, PASSWORD).unwrap();
        over_soap.request_pin(&PinRequest::new()).unwrap();
        let transports: Vec<_> = sandbox
            .sessions()
            .into_iter()
            .map(|record| record.transport)
            .collect();
        assert_eq!(transports, ["post", soap.name()]);
    }
}

#[test]
fn an_expired_session_is_renewed_over_soap() {
    for soap in SOAP {
        let sandbox = sandbox();
        let client = client(&sandbox.base_url(), soap);
        client.login(TECH, PASSWORD).unwrap();
        sandbox.expire_sessions();
        client.request_lens_pin(&PinRequest::new()).unwrap();
        assert_eq!(sandbox.login_count(), 2);
    }
}

#[test]
fn fields_arrive_exactly_as_given() {
    let text = "<Jane & \"Joe\" 'O'Brien'> ünïcödé ✓\r\n\ttab";
    for soap in SOAP {
        let sandbox = sandbox();
        let client = client(&sandbox.base_url(), soap);
        let request = PinRequest::new()
            .cfield0(text)
            .cfield5("")
            .tracking0("]]> &amp;")
            .notechconsole(true)
            .authcode(&authcode(TECH));
        let pin = client.request_lens_pin(&request).unwrap();
        let record = sandbox.sessions().pop().unwrap();
        assert_eq!(record.pin, pin.as_str());
        assert_eq!(record.cfield0.as_deref(), Some(text));
        assert_eq!(record.cfield5.as_deref(), Some(""));
        assert_eq!(record.tracking0.as_deref(), Some("]]> &amp;"));
        assert_eq!(record.notechconsole.as_deref(), Some("1"));
        assert_eq!(record.cfield1, None, "an unset field is not sent");
        assert_eq!(record.transport, soap.name());
    }
}

#[test]
fn text_xml_cannot_carry_is_refused_before_sending() {
    for soap in SOAP {
        let sandbox = sandbox();
        let client = client(&sandbox.base_url(), soap);
        for bad in ["bell\u{7}", "nul-free but \u{1b}escape", "\u{ffff}"] {
            let request = PinRequest::new().cfield2(bad).authcode(&authcode(TECH));
            let error = client.request_lens_pin(&request).unwrap_err();
            assert_eq!(error.kind(), ErrorKind::InvalidArgument, "{error}");
            assert!(error.to_string().contains("cfield2"), "{error}");
        }
        assert!(sandbox.sessions().is_empty());
    }
}

#[test]
fn transports_have_stable_names_and_numbers() {
    let names: Vec<_> = Transport::ALL
        .iter()
        .map(|t| (t.code(), t.name()))
        .collect();
    assert_eq!(
        names,
        [
            (0, "http-post"),
            (1, "http-get"),
            (2, "soap11"),
            (3, "soap12")
        ]
    );
    assert_eq!("SOAP12".parse::<Transport>(), Ok(Transport::Soap12));
    assert!("soap".parse::<Transport>().is_err());
}
