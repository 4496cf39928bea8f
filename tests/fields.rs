//! Fields arrive byte-exact; what the service would refuse is refused before any traffic.

mod common;

use common::*;
use rescue::{Error, Field, PinRequest};

const AWKWARD: &str = "a&b=c+d%20e f\"g'h\r\nline2\t😀 ü ∑ <x>?#/;";

#[test]
fn awkward_fields_arrive_byte_exact() {
    every_transport(|method| {
        let sandbox = sandbox();
        let client = client(&sandbox.base_url(), method);
        client.login(TECH, PASSWORD).expect("login");
        let long = "ü".repeat(512);
        let request = PinRequest::new()
            .cfield0(AWKWARD)
            .cfield1(long.clone())
            .cfield2("+")
            .cfield3("%")
            .cfield4("")
            .cfield5("=&")
            .tracking0("track 0");
        let pin = client.request_lens_pin(&request).expect("a PIN");
        let record = sandbox.sessions().pop().expect("one session");
        assert_eq!(record.pin, pin.as_str());
        assert_eq!(record.kind, "lens");
        assert_eq!(record.transport, method.name().trim_start_matches("http-"));
        assert_eq!(record.cfield0.as_deref(), Some(AWKWARD));
        assert_eq!(record.cfield1.as_deref(), Some(long.as_str()));
        assert_eq!(record.cfield2.as_deref(), Some("+"));
        assert_eq!(record.cfield3.as_deref(), Some("%"));
        assert_eq!(record.cfield4.as_deref(), Some(""));
        assert_eq!(record.cfield5.as_deref(), Some("=&"));
        assert_eq!(record.tracking0.as_deref(), Some("track 0"));
        // SOAP always carries bNoTechConsole (the WSDL requires it): false when unset.
        let unset = method.name().starts_with("soap").then(|| "0".to_owned());
        assert_eq!(record.notechconsole, unset);
    });
}

#[test]
fn notechconsole_is_sent_as_one() {
    let sandbox = sandbox();
    let client = client(&sandbox.base_url(), rescue::Method::Post);
    client.login(TECH, PASSWORD).expect("login");
    client
        .request_pin(&PinRequest::new().notechconsole(true))
        .expect("a PIN");
    let record = sandbox.sessions().pop().expect("one session");
    assert_eq!(record.notechconsole.as_deref(), Some("1"));
    assert_eq!(record.cfield0, None);
}

#[test]
fn over_long_fields_are_refused_before_any_traffic() {
    // The base URL points at a closed port: a request sent would be a network error.
    let nowhere = client("http://127.0.0.1:9/API/", rescue::Method::Post);
    for field in Field::ALL {
        let request = PinRequest::new().field(field, "x".repeat(field.limit() + 1));
        assert_eq!(
            nowhere.request_lens_pin(&request).map(drop),
            Err(Error::FieldTooLong {
                field,
                length: field.limit() + 1,
                limit: field.limit()
            })
        );
    }
    // And against a live sandbox nothing is recorded.
    let sandbox = sandbox();
    let live = client(&sandbox.base_url(), rescue::Method::Post);
    live.login(TECH, PASSWORD).expect("login");
    let error = live
        .request_lens_pin(&PinRequest::new().cfield0("x".repeat(65)))
        .expect_err("too long");
    assert_eq!(
        error.to_string(),
        "cfield0 is 65 characters long; the service allows at most 64"
    );
    assert!(sandbox.sessions().is_empty());
}

#[test]
fn nul_bytes_are_refused() {
    let nowhere = client("http://127.0.0.1:9/API/", rescue::Method::Post);
    let is_invalid = |result: Result<(), Error>, name: &str| {
        assert!(
            matches!(&result, Err(Error::InvalidArgument { name: n, .. }) if *n == name),
            "{result:?}"
        );
    };
    is_invalid(
        nowhere
            .request_pin(&PinRequest::new().tracking0("a\0b"))
            .map(drop),
        "tracking0",
    );
    is_invalid(
        nowhere
            .request_pin(&PinRequest::new().authcode("a\0b"))
            .map(drop),
        "authcode",
    );
    is_invalid(nowhere.login("a\0b", "pw"), "email");
    is_invalid(nowhere.login("a", "p\0w"), "password");
}

#[test]
fn leading_zero_pins_survive() {
    let sandbox = sandbox();
    let client = client(&sandbox.base_url(), rescue::Method::Post);
    let request = PinRequest::new().authcode(&authcode(TECH));
    // About one PIN in ten starts with 0; 400 tries miss one with odds of 1e-18.
    let pin = (0..400)
        .map(|_| client.request_lens_pin(&request).expect("a PIN"))
        .find(|pin| pin.as_str().starts_with('0'))
        .expect("a PIN with a leading zero");
    assert_eq!(pin.as_str().len(), 6);
    assert!(sandbox.sessions().iter().any(|s| s.pin == pin.as_str()));
}
