//! The `log` events (target `rescue`) over a success, a renewal, a timeout, a TLS failure
//! and an invitation, with no secret at any level. One test: the logger is process-wide.

mod common;

use std::sync::Mutex;
use std::time::Duration;

use common::*;
use rescue::{Client, LensInvitation, PinRequest, Transport};
use rescue_sandbox::Config;

static RECORDS: Mutex<Vec<String>> = Mutex::new(Vec::new());

struct Capture;

impl log::Log for Capture {
    // The library's events only: ureq's own debug records show request lines, GET
    // queries included (the README says so).
    fn enabled(&self, metadata: &log::Metadata<'_>) -> bool {
        metadata.target().starts_with("rescue")
    }
    fn log(&self, record: &log::Record<'_>) {
        if !self.enabled(record.metadata()) {
            return;
        }
        let line = format!("{} {} {}", record.level(), record.target(), record.args());
        RECORDS.lock().unwrap().push(line);
    }
    fn flush(&self) {}
}

fn take() -> String {
    std::mem::take(&mut *RECORDS.lock().unwrap()).join("\n")
}

const WRONG: &str = "Wr0ng-Pass-Never-Logged";
const FIELD: &str = "Field-Value-Never-Logged";
const PHONE: &str = "+44 7700 900123";

fn assert_no_secrets(text: &str, sandbox: &rescue_sandbox::Sandbox) {
    for secret in [
        WRONG,
        FIELD,
        "7700",
        "900123",
        &authcode(TECH),
        "pwd=sandbox",
    ] {
        assert!(!text.contains(secret), "{secret:?} in:\n{text}");
    }
    for cookie in sandbox.session_cookies() {
        assert!(!text.contains(&cookie), "a cookie in:\n{text}");
    }
}

#[test]
fn events_tell_what_happened_and_nothing_secret() {
    log::set_logger(&Capture).unwrap();
    log::set_max_level(log::LevelFilter::Trace);
    let sandbox = sandbox();
    for transport in Transport::ALL {
        sandbox.reset(); // ten logins per three minutes
        let client = client(&sandbox.base_url(), transport);
        assert!(client.login(TECH, WRONG).is_err());
        client.login(TECH, PASSWORD).unwrap();
        client
            .request_lens_pin(&PinRequest::new().cfield0(FIELD))
            .unwrap();
        sandbox.expire_sessions();
        client
            .request_pin(&PinRequest::new().authcode(&authcode(TECH)))
            .unwrap();
        client.request_lens_pin(&PinRequest::new()).unwrap();
        let text = take();
        for event in [
            "DEBUG rescue ",
            " over ",
            " answered ",
            " µs",
            "INFO rescue logged in",
            "cfield0=(24 chars)",
            "pwd=(secret)",
            "authcode=(secret)",
            "renewing it with the stored credentials",
            "INFO rescue session renewed",
            "retrying",
        ] {
            assert!(
                text.contains(event),
                "{event:?} missing over {transport}:\n{text}"
            );
        }
        assert!(text.contains(transport.name()), "{text}");
        // The connection events come from the Unix transport (src/transport/connector.rs).
        if cfg!(unix) {
            assert!(text.contains("connection opened to 127.0.0.1:"), "{text}");
            assert!(text.contains("reusing a pooled connection"), "{text}");
        }
        let ok = if transport.name().starts_with("soap") {
            "_OK ("
        } else {
            " answered OK ("
        };
        assert!(text.contains(ok), "{text}");
        assert_no_secrets(&text, &sandbox);
    }

    // A timeout and a TLS failure are warnings naming their kind.
    let hang = Client::builder()
        .base_url(sandbox.fault_url("hang"))
        .timeout(Duration::from_millis(300))
        .build()
        .unwrap();
    assert!(hang.login(TECH, PASSWORD).is_err());
    let tls = sandbox_with(Config {
        tls: true,
        ..Config::default()
    });
    let untrusted = Client::builder().base_url(tls.base_url()).build().unwrap();
    assert!(untrusted.login(TECH, PASSWORD).is_err());
    let text = take();
    assert!(
        text.contains("WARN rescue login.aspx failed") && text.contains("TIMEOUT"),
        "{text}"
    );
    assert!(text.contains(" TLS "), "{text}");

    // An invitation's phone number shows its last two digits only.
    let client = client(&sandbox.base_url(), Transport::HttpPost);
    let invitation = LensInvitation::new().phone_number(PHONE).lang_code("de");
    let _ =
        client.request_lens_pin_invite(&PinRequest::new().authcode(&authcode(TECH)), &invitation);
    let text = take();
    assert!(text.contains("PhoneNumber=***23"), "{text}");
    assert_no_secrets(&text, &sandbox);
}
