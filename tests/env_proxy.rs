//! Proxies from the environment: never used for this machine, `NO_PROXY` honoured, and
//! errors that name the proxy and its variable, never its credentials.
//!
//! This binary holds ONE test: it changes the process's environment, which would race with
//! any other test running beside it in the same process.

mod common;

use std::sync::atomic::Ordering;
use std::time::Duration;

use common::*;
use connect_proxy::{connect_proxy, connect_proxy_to, dead_url};
use rescue::{Client, ClientBuilder, Error, ErrorKind, PinRequest};
use rescue_sandbox::Config;

#[path = "common/connect_proxy.rs"]
mod connect_proxy;

const PROXY_VARS: [&str; 6] = [
    "ALL_PROXY",
    "all_proxy",
    "HTTPS_PROXY",
    "https_proxy",
    "HTTP_PROXY",
    "http_proxy",
];

/// Runs `body` with exactly `vars` set among the proxy variables (and `NO_PROXY`).
fn with_env(vars: &[(&str, &str)], body: impl FnOnce()) {
    let all = PROXY_VARS.iter().chain(&["NO_PROXY", "no_proxy"]);
    for name in all.clone() {
        std::env::remove_var(name);
    }
    for (name, value) in vars {
        std::env::set_var(name, value);
    }
    body();
    for name in all {
        std::env::remove_var(name);
    }
}

fn builder(base_url: &str) -> ClientBuilder {
    Client::builder()
        .base_url(base_url)
        .timeout(Duration::from_secs(10))
}

/// Requests a Lens PIN with the technician's authcode (logins are rate-limited).
fn lens_pin(client: &Client) -> Result<rescue::Pin, Error> {
    client.request_lens_pin(&PinRequest::new().authcode(&authcode(TECH)))
}

/// The proxy's URL without credentials, and the same with `user:password@`.
fn dead_proxy_with_credentials() -> (String, String) {
    let shown = dead_url();
    let with = shown.replace("http://", "http://proxyuser:s3cret@");
    (shown, with)
}

fn assert_no_credentials(error: &Error) {
    let text = format!("{error} {error:?}");
    assert!(
        !text.contains("s3cret") && !text.contains("proxyuser"),
        "{text}"
    );
}

#[test]
fn proxies_from_the_environment() {
    let sandbox = sandbox();
    let (dead_shown, dead) = dead_proxy_with_credentials();

    // Each variable set to a dead proxy: the sandbox on loopback still answers, by
    // 127.0.0.1 and by `localhost`.
    let localhost_url = sandbox.base_url().replace("127.0.0.1", "localhost");
    for var in PROXY_VARS {
        with_env(&[(var, &dead)], || {
            for url in [sandbox.base_url(), localhost_url.clone()] {
                let client = builder(&url).build().expect("client");
                let pin = lens_pin(&client).unwrap_or_else(|e| panic!("{var}, {url}: {e}"));
                assert_eq!(pin.as_str().len(), 6);
            }
        });
    }
    assert_eq!(sandbox.sessions().len(), 2 * PROXY_VARS.len());

    // ::1 too, where this machine has IPv6.
    if let Ok(v6) = rescue_sandbox::Sandbox::start(Config {
        listen: "[::1]:0".parse().expect("address"),
        pin_interval: Duration::ZERO,
        ..Config::default()
    }) {
        assert!(
            v6.base_url().starts_with("http://[::1]:"),
            "{}",
            v6.base_url()
        );
        with_env(&[("ALL_PROXY", &dead), ("HTTP_PROXY", &dead)], || {
            let client = builder(&v6.base_url()).build().expect("client");
            lens_pin(&client).unwrap_or_else(|e| panic!("[::1]: {e}"));
        });
        assert_eq!(v6.sessions().len(), 1);
    }

    // Over TLS (https://localhost) with HTTPS_PROXY set.
    let tls = sandbox_with(Config {
        tls: true,
        pin_interval: Duration::ZERO,
        ..Config::default()
    });
    let ca = std::env::temp_dir().join(format!("rescue-env-proxy-{}.pem", std::process::id()));
    std::fs::write(&ca, tls.cert_pem().expect("PEM")).expect("write CA");
    with_env(&[("HTTPS_PROXY", &dead)], || {
        let client = builder(&tls.base_url())
            .ca_file(&ca)
            .build()
            .expect("client");
        lens_pin(&client).unwrap_or_else(|e| panic!("TLS: {e}"));
    });
    std::fs::remove_file(&ca).ok();
    assert_eq!(tls.sessions().len(), 1);

    // An explicit proxy is the caller's choice: it carries loopback traffic whatever the
    // environment says.
    let (proxy, tunnels) = connect_proxy(sandbox.addr());
    with_env(&[("HTTP_PROXY", &dead), ("NO_PROXY", "*")], || {
        let client = builder(&sandbox.base_url())
            .proxy(&proxy)
            .build()
            .expect("client");
        lens_pin(&client).expect("through the explicit proxy");
    });
    assert!(
        tunnels.load(Ordering::SeqCst) >= 1,
        "went through the proxy"
    );

    // A dead proxy from the environment, for a host off this machine: the error names the
    // proxy and its variable, never its credentials.
    for var in PROXY_VARS {
        with_env(&[(var, &dead)], || {
            let client = builder("https://rescue.invalid/API/")
                .build()
                .expect("client");
            let error = lens_pin(&client).expect_err("no proxy there");
            assert_eq!(error.kind(), ErrorKind::Network, "{error}");
            let expected = format!("could not connect to the proxy {dead_shown} (from {var})");
            assert!(error.to_string().contains(&expected), "{var}: {error}");
            assert_no_credentials(&error);
        });
    }

    // ureq's order: ALL_PROXY, then HTTPS_PROXY, then HTTP_PROXY; the error names the one used.
    let other_dead = dead_url();
    with_env(
        &[("HTTPS_PROXY", &other_dead), ("HTTP_PROXY", &dead)],
        || {
            let client = builder("https://rescue.invalid/API/")
                .build()
                .expect("client");
            let error = lens_pin(&client).expect_err("no proxy there");
            let expected = format!("{other_dead} (from HTTPS_PROXY)");
            assert!(error.to_string().contains(&expected), "{error}");
        },
    );

    // NO_PROXY keeps working: a listed host is reached directly (and is not found).
    for no_proxy in [
        "rescue.invalid",
        ".invalid",
        "*.invalid",
        "*",
        "other.test,rescue.invalid",
    ] {
        with_env(&[("HTTPS_PROXY", &dead), ("NO_PROXY", no_proxy)], || {
            let client = builder("https://rescue.invalid/API/")
                .build()
                .expect("client");
            let error = lens_pin(&client).expect_err("no such host");
            assert_eq!(error.kind(), ErrorKind::Network, "{error}");
            assert!(!error.to_string().contains("proxy"), "{no_proxy}: {error}");
            assert!(
                error.to_string().contains("https://rescue.invalid"),
                "{error}"
            );
        });
    }
    // ...and a host it doesn't list still goes through the proxy.
    with_env(
        &[("HTTPS_PROXY", &dead), ("no_proxy", "other.invalid")],
        || {
            let client = builder("https://rescue.invalid/API/")
                .build()
                .expect("client");
            let error = lens_pin(&client).expect_err("no proxy there");
            assert!(error.to_string().contains("(from HTTPS_PROXY)"), "{error}");
        },
    );

    // A live proxy from the environment carries a host off this machine: here a CONNECT to
    // rescue.invalid:80 that the fixture tunnels to the sandbox.
    let (live, tunnels) = connect_proxy_to("rescue.invalid:80 ".into(), sandbox.addr());
    with_env(&[("http_proxy", &live)], || {
        let client = builder("http://rescue.invalid/API/")
            .allow_plain_http(true)
            .build()
            .expect("client");
        lens_pin(&client).expect("through the environment's proxy");
    });
    assert!(
        tunnels.load(Ordering::SeqCst) >= 1,
        "went through the proxy"
    );
}
