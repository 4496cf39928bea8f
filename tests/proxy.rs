//! Requests go through a configured proxy.

mod common;

use std::sync::atomic::Ordering;

use common::*;
use connect_proxy::{connect_proxy, dead_url};
use rescue::{Client, ErrorKind, PinRequest};

#[path = "common/connect_proxy.rs"]
mod connect_proxy;

#[test]
fn an_explicit_proxy_carries_every_request() {
    let sandbox = sandbox();
    let (proxy, tunnels) = connect_proxy(sandbox.addr());
    let client = Client::builder()
        .base_url(sandbox.base_url())
        .proxy(proxy)
        .build()
        .expect("client");
    client
        .login(TECH, PASSWORD)
        .expect("login through the proxy");
    assert!(client.request_lens_pin(&PinRequest::new()).is_ok());
    assert_eq!(sandbox.sessions().len(), 1);
    assert!(
        tunnels.load(Ordering::SeqCst) >= 1,
        "the requests went through the proxy"
    );
}

#[test]
fn an_unreachable_proxy_is_a_network_error() {
    let sandbox = sandbox();
    let proxy = dead_url();
    let client = Client::builder()
        .base_url(sandbox.base_url())
        .proxy(proxy.replace("http://", "http://proxyuser:s3cret@"))
        .build()
        .expect("client");
    let error = client.login(TECH, PASSWORD).expect_err("no proxy there");
    assert_eq!(error.kind(), ErrorKind::Network, "{error}");
    assert!(
        error.to_string().contains(&format!(
            "could not connect to the proxy {proxy} (from the proxy option)"
        )),
        "{error}"
    );
    assert!(
        !format!("{error} {error:?}").contains("s3cret"),
        "{error:?}"
    );
    assert!(
        !format!("{error} {error:?}").contains("proxyuser"),
        "{error:?}"
    );
    assert!(sandbox.sessions().is_empty());
}
