//! Shared set-up: a sandbox on loopback and clients pointed at it.
#![allow(dead_code)] // each test file uses its own part of this

use std::time::Duration;

use rescue::{Client, Transport};
use rescue_sandbox::{builtin_accounts, Config, Sandbox};

pub const PASSWORD: &str = "sandbox";
pub const TECH: &str = "tech@sandbox.test";

/// A sandbox with the PIN interval off, so tests may request PINs back to back.
pub fn sandbox() -> Sandbox {
    sandbox_with(Config {
        pin_interval: Duration::ZERO,
        ..Config::default()
    })
}

pub fn sandbox_with(config: Config) -> Sandbox {
    Sandbox::start(config).expect("the sandbox starts")
}

pub fn client(base_url: &str, transport: impl Into<Transport>) -> Client {
    Client::builder()
        .base_url(base_url)
        .transport(transport.into())
        .timeout(Duration::from_secs(10))
        .build()
        .expect("a valid client")
}

/// The fixed authcode of a built-in account.
pub fn authcode(email: &str) -> String {
    builtin_accounts()
        .into_iter()
        .find(|account| account.email == email)
        .map(|account| account.authcode)
        .expect("a built-in account")
}

/// Runs `test` once over each transport: HTTP POST, HTTP GET, SOAP 1.1 and SOAP 1.2.
pub fn every_transport(mut test: impl FnMut(Transport)) {
    for transport in Transport::ALL {
        test(transport);
    }
}
