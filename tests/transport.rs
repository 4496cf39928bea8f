//! Transport failures and answer layouts, through the sandbox's fault variants.

mod common;

use std::time::{Duration, Instant};

use common::*;
use rescue::{Client, Error, ErrorKind, Method, PinRequest, Transport};
use rescue_sandbox::Config;

fn fault_client(sandbox: &rescue_sandbox::Sandbox, kind: &str, method: Transport) -> Client {
    Client::builder()
        .base_url(sandbox.fault_url(kind))
        .transport(method)
        .timeout(Duration::from_secs(5))
        .build()
        .expect("client")
}

fn lens_pin(client: &Client) -> Result<rescue::Pin, Error> {
    client.request_lens_pin(&PinRequest::new().authcode(&authcode(TECH)))
}

#[test]
fn answer_layouts_parse() {
    every_transport(|method| {
        let sandbox = sandbox();
        for kind in ["crlf", "oneline", "spaced", "slow-100"] {
            let client = fault_client(&sandbox, kind, method);
            let pin = lens_pin(&client).unwrap_or_else(|e| panic!("{kind}: {e}"));
            assert_eq!(pin.as_str().len(), 6);
            assert_eq!(
                client.request_auth_code(TECH, PASSWORD).as_deref(),
                Ok(authcode(TECH).as_str()),
                "{kind}"
            );
        }
    });
}

#[test]
fn login_works_through_the_crlf_layout() {
    let sandbox = sandbox();
    let client = fault_client(&sandbox, "crlf", Transport::HttpPost);
    client.login(TECH, PASSWORD).expect("login");
    assert!(client.request_pin(&PinRequest::new()).is_ok());
}

#[test]
fn faults_map_to_their_errors() {
    every_transport(|method| {
        let sandbox = sandbox();
        let cases = [
            ("status-500", ErrorKind::HttpStatus),
            ("status-503", ErrorKind::HttpStatus),
            ("html", ErrorKind::UnexpectedResponse),
            ("empty", ErrorKind::UnexpectedResponse),
            ("unknown", ErrorKind::UnexpectedResponse),
            ("huge", ErrorKind::UnexpectedResponse),
            ("reset", ErrorKind::Network),
        ];
        for (kind, expected) in cases {
            let error = lens_pin(&fault_client(&sandbox, kind, method)).expect_err(kind);
            assert_eq!(error.kind(), expected, "{kind}: {error}");
        }
        let status = lens_pin(&fault_client(&sandbox, "status-503", method)).expect_err("503");
        assert_eq!(status, Error::HttpStatus(503));
        let unknown = lens_pin(&fault_client(&sandbox, "unknown", method)).expect_err("unknown");
        // The unknown word, kept: `SOMETHING_NEW` as text, `requestPINCode_SomethingNew` in SOAP.
        let word = match method.name() {
            "soap11" | "soap12" => "SomethingNew",
            _ => "SOMETHING_NEW",
        };
        assert!(unknown.to_string().contains(word), "{unknown}");
        assert!(sandbox.sessions().is_empty() || method == Transport::HttpGet);
    });
}

#[test]
fn a_hanging_server_times_out() {
    let sandbox = sandbox();
    let client = Client::builder()
        .base_url(sandbox.fault_url("hang"))
        .timeout(Duration::from_secs(1))
        .build()
        .expect("client");
    let started = Instant::now();
    let error = lens_pin(&client).expect_err("a timeout");
    let took = started.elapsed();
    assert_eq!(error.kind(), ErrorKind::Timeout, "{error}");
    assert!(took < Duration::from_secs(2), "took {took:?}");
    assert!(took >= Duration::from_millis(900), "took {took:?}");
}

#[test]
fn a_slow_answer_within_the_timeout_succeeds() {
    let sandbox = sandbox();
    let client = Client::builder()
        .base_url(sandbox.fault_url("slow-300"))
        .timeout(Duration::from_secs(2))
        .build()
        .expect("client");
    assert!(lens_pin(&client).is_ok());
}

#[test]
fn unreachable_services_are_network_errors() {
    // A port nothing listens on: connect() is refused at once.
    let refused = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = refused.local_addr().expect("addr").port();
    drop(refused);
    let client = client(&format!("http://127.0.0.1:{port}/API/"), Method::Post);
    let error = client.login(TECH, PASSWORD).expect_err("refused");
    assert_eq!(error.kind(), ErrorKind::Network, "{error}");
    assert!(error.to_string().contains(&port.to_string()), "{error}");

    let client = client_for("https://rescue.invalid/API/");
    let error = client.login(TECH, PASSWORD).expect_err("unresolvable");
    assert_eq!(error.kind(), ErrorKind::Network, "{error}");
}

fn client_for(base_url: &str) -> Client {
    client(base_url, Method::Post)
}

#[test]
fn tls_needs_a_trusted_certificate() {
    let sandbox = sandbox_with(Config {
        tls: true,
        pin_interval: Duration::ZERO,
        ..Config::default()
    });
    assert!(sandbox.base_url().starts_with("https://"));
    let untrusted = client_for(&sandbox.base_url());
    let error = untrusted.login(TECH, PASSWORD).expect_err("untrusted");
    assert_eq!(error.kind(), ErrorKind::Tls, "{error}");

    let dir = std::env::temp_dir().join(format!("rescue-ca-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let ca = dir.join("sandbox.pem");
    std::fs::write(&ca, sandbox.cert_pem().expect("a certificate")).expect("write");
    let trusted = Client::builder()
        .base_url(sandbox.base_url())
        .ca_file(&ca)
        .build()
        .expect("client");
    trusted.login(TECH, PASSWORD).expect("login over TLS");
    assert!(trusted.request_lens_pin(&PinRequest::new()).is_ok());
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn bad_settings_are_invalid_arguments() {
    let invalid = |builder: rescue::ClientBuilder, name: &str| match builder.build() {
        Err(Error::InvalidArgument { name: n, .. }) => assert_eq!(n, name),
        other => panic!("{name}: {other:?}"),
    };
    invalid(Client::builder().base_url("not a url"), "base_url");
    invalid(Client::builder().base_url("ftp://host/API/"), "base_url");
    invalid(Client::builder().ca_file("/nonexistent/ca.pem"), "ca_file");
    invalid(Client::builder().proxy("http://bad proxy"), "proxy");
}

#[test]
fn plain_http_off_this_machine_is_refused_unless_allowed() {
    let remote = "http://rescue.invalid/API/";
    let refusing = client_for(remote);
    for error in [
        refusing.login(TECH, PASSWORD).expect_err("refused"),
        refusing
            .request_pin(&PinRequest::new())
            .expect_err("refused"),
    ] {
        assert!(
            matches!(&error, Error::InvalidArgument { name: "base_url", reason } if reason.contains("clear text")),
            "{error:?}"
        );
    }
    // Allowed, the request is really attempted: the .invalid name doesn't resolve.
    let allowing = Client::builder()
        .base_url(remote)
        .allow_plain_http(true)
        .build()
        .expect("client");
    let error = allowing.login(TECH, PASSWORD).expect_err("unresolvable");
    assert_eq!(error.kind(), ErrorKind::Network, "{error}");
}
