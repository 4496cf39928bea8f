//! HTTPS with the sandbox's self-signed certificate.

mod common;

use std::sync::Arc;
use std::time::Duration;

use common::*;
use rescue_sandbox::{Config, Sandbox};
use ureq::tls::{Certificate, RootCerts, TlsConfig};

pub fn trusting(pem: &str) -> ureq::Agent {
    let root = Certificate::from_pem(pem.as_bytes()).unwrap().to_owned();
    let tls = TlsConfig::builder()
        .root_certs(RootCerts::Specific(Arc::new(vec![root])))
        .build();
    ureq::Agent::config_builder()
        .tls_config(tls)
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(10)))
        .build()
        .into()
}

#[test]
fn https_with_the_certificate_as_root() {
    let config = Config {
        tls: true,
        pin_interval: Duration::ZERO,
        ..Config::default()
    };
    let sandbox = Sandbox::start(config).unwrap();
    let port = sandbox.addr().port();
    assert_eq!(sandbox.base_url(), format!("https://localhost:{port}/API/"));
    assert_eq!(
        sandbox.fault_url("crlf"),
        format!("https://localhost:{port}/fault/crlf/API/")
    );
    let pem = sandbox.cert_pem().unwrap();
    assert!(pem.starts_with("-----BEGIN CERTIFICATE-----"));
    let mut client = Client::with_agent(trusting(&pem));
    let login = client.post(
        &format!("{}login.aspx", sandbox.base_url()),
        &[("email", TECH), ("pwd", PASSWORD)],
    );
    assert_eq!(login.body, "OK");
    pin_of(
        &client
            .get(
                &format!("{}requestLensPINCode.aspx", sandbox.base_url()),
                &[],
            )
            .body,
    );
    // The certificate names 127.0.0.1 too.
    let by_ip = client.get(
        &format!("https://127.0.0.1:{port}/API/requestPINCode.aspx"),
        &[("authcode", TECH_CODE)],
    );
    pin_of(&by_ip.body);
    assert_eq!(sandbox.sessions().len(), 2);
}

#[test]
fn https_is_refused_without_trusting_the_certificate() {
    let sandbox = Sandbox::start(Config {
        tls: true,
        ..Config::default()
    })
    .unwrap();
    let result = agent(Duration::from_secs(5))
        .get(format!("{}logout.aspx", sandbox.base_url()))
        .call();
    assert!(result.is_err(), "{result:?}");
    // A handshake failure does not take the server down.
    let other = Sandbox::start(Config {
        tls: true,
        ..Config::default()
    })
    .unwrap();
    let wrong_root = trusting(&other.cert_pem().unwrap());
    assert!(wrong_root
        .get(format!("{}logout.aspx", sandbox.base_url()))
        .call()
        .is_err());
    let mut client = Client::with_agent(trusting(&sandbox.cert_pem().unwrap()));
    assert_eq!(
        client
            .get(&format!("{}logout.aspx", sandbox.base_url()), &[])
            .body,
        "NOTLOGGEDIN"
    );
}

#[test]
fn plain_sandboxes_have_no_certificate() {
    let sandbox = Sandbox::start(Config::default()).unwrap();
    assert!(sandbox.cert_pem().is_none());
    assert_eq!(
        sandbox.root_url(),
        format!("http://127.0.0.1:{}/", sandbox.addr().port())
    );
}
