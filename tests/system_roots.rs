//! The opt-in system certificate store (`ClientBuilder::system_roots`), on Linux: the
//! system bundle is a file in a temporary directory named by `SSL_CERT_FILE`, which the
//! platform verifier reads there. One test in its own binary, because it sets the process
//! environment (before any other thread runs). The Windows store and the macOS keychain are
//! not tested here.
#![cfg(target_os = "linux")]

mod common;

use std::time::Duration;

use common::*;
use rescue::{Client, ErrorKind, PinRequest};
use rescue_sandbox::{Config, Sandbox};

fn tls_sandbox() -> Sandbox {
    sandbox_with(Config {
        tls: true,
        pin_interval: Duration::ZERO,
        ..Config::default()
    })
}

fn client_to(sandbox: &Sandbox, system_roots: bool) -> Client {
    Client::builder()
        .base_url(sandbox.base_url())
        .timeout(Duration::from_secs(10))
        .system_roots(system_roots)
        .build()
        .expect("client")
}

#[test]
fn system_roots_trust_the_system_bundle_and_only_when_asked() {
    let dir = std::env::temp_dir().join(format!("rescue-system-roots-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let bundle = dir.join("ca-certificates.crt");
    // Set before the sandboxes start their threads; the file is written below.
    std::env::set_var("SSL_CERT_FILE", &bundle);
    std::env::remove_var("SSL_CERT_DIR");

    let sandbox = tls_sandbox();
    let other = tls_sandbox();
    let cert = sandbox.cert_pem().expect("a certificate");
    let other_cert = other.cert_pem().expect("a certificate");
    assert_ne!(cert, other_cert, "each sandbox has its own certificate");
    std::fs::write(&bundle, &cert).expect("write the bundle");

    // The system bundle holds the sandbox's certificate: trusted when asked for...
    let system = client_to(&sandbox, true);
    system
        .login(TECH, PASSWORD)
        .expect("login over TLS with the system roots");
    assert!(system.request_lens_pin(&PinRequest::new()).is_ok());
    // ...and only then: the built-in roots (the default) don't know it.
    let builtin = client_to(&sandbox, false);
    let error = builtin.login(TECH, PASSWORD).expect_err("built-in roots");
    assert_eq!(error.kind(), ErrorKind::Tls, "{error}");

    // The bundle is what is trusted: a certificate outside it is refused.
    let error = client_to(&other, true)
        .login(TECH, PASSWORD)
        .expect_err("not in the bundle");
    assert_eq!(error.kind(), ErrorKind::Tls, "{error}");

    // A CA file is trusted instead of the system store.
    let other_ca = dir.join("other.pem");
    std::fs::write(&other_ca, &other_cert).expect("write");
    let with_file = |sandbox: &Sandbox| {
        Client::builder()
            .base_url(sandbox.base_url())
            .system_roots(true)
            .ca_file(&other_ca)
            .build()
            .expect("client")
    };
    with_file(&other)
        .login(TECH, PASSWORD)
        .expect("the CA file's certificate");
    let error = with_file(&sandbox)
        .login(TECH, PASSWORD)
        .expect_err("CA file only");
    assert_eq!(error.kind(), ErrorKind::Tls, "{error}");

    std::fs::remove_dir_all(&dir).ok();
}
