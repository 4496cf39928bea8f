//! The login session: cookies, expiry and renewal.

mod common;

use std::sync::Arc;
use std::time::Duration;

use common::*;
use rescue::{Client, Error, Method, PinRequest, Status};
use rescue_sandbox::Config;

#[test]
fn renews_an_expired_session_once() {
    every_transport(|method| {
        let sandbox = sandbox();
        let client = client(&sandbox.base_url(), method);
        client.login(TECH, PASSWORD).expect("login");
        sandbox.expire_sessions();
        let pin = client.request_lens_pin(&PinRequest::new());
        assert!(pin.is_ok(), "{pin:?}");
    });
}

#[test]
fn renewal_can_be_switched_off() {
    let sandbox = sandbox();
    let client = Client::builder()
        .base_url(sandbox.base_url())
        .renew_session(false)
        .build()
        .expect("client");
    client.login(TECH, PASSWORD).expect("login");
    sandbox.expire_sessions();
    assert_eq!(
        client.request_lens_pin(&PinRequest::new()).map(drop),
        Err(Error::Service(Status::NotLoggedIn))
    );
}

#[test]
fn idle_sessions_expire_and_are_renewed() {
    let sandbox = sandbox_with(Config {
        pin_interval: Duration::ZERO,
        session_idle: Duration::from_millis(500),
        ..Config::default()
    });
    let client = client(&sandbox.base_url(), Method::Post);
    client.login(TECH, PASSWORD).expect("login");
    std::thread::sleep(Duration::from_millis(800));
    assert!(client.request_pin(&PinRequest::new()).is_ok());
}

#[test]
fn no_renewal_after_logout() {
    let sandbox = sandbox();
    let client = client(&sandbox.base_url(), Method::Post);
    client.login(TECH, PASSWORD).expect("login");
    client.logout().expect("logout");
    assert_eq!(
        client.request_lens_pin(&PinRequest::new()).map(drop),
        Err(Error::Service(Status::NotLoggedIn))
    );
}

#[test]
fn concurrent_callers_trigger_one_relogin() {
    let sandbox = sandbox();
    let client = Arc::new(client(&sandbox.base_url(), Method::Post));
    // Nine logins leave room for exactly one more within the service's limit of ten in
    // three minutes: a second re-login would answer LIMITREACHED and fail a call.
    for _ in 0..9 {
        client.login(TECH, PASSWORD).expect("login");
    }
    sandbox.expire_sessions();
    let threads: Vec<_> = (0..8)
        .map(|_| {
            let client = client.clone();
            std::thread::spawn(move || client.request_lens_pin(&PinRequest::new()))
        })
        .collect();
    for thread in threads {
        let pin = thread.join().expect("no panic");
        assert!(pin.is_ok(), "{pin:?}");
    }
    assert_eq!(sandbox.sessions().len(), 8);
    assert_eq!(
        client.login(TECH, PASSWORD),
        Err(Error::Service(Status::LimitReached)),
        "exactly ten logins so far"
    );
}

#[test]
fn clones_share_the_session() {
    let sandbox = sandbox();
    let client = client(&sandbox.base_url(), Method::Post);
    let clone = client.clone();
    client.login(TECH, PASSWORD).expect("login");
    assert!(clone.request_lens_pin(&PinRequest::new()).is_ok());
    let rebuilt = Client::builder()
        .base_url(sandbox.base_url())
        .method(Method::Get)
        .session_of(&client)
        .build()
        .expect("client");
    assert!(rebuilt.request_lens_pin(&PinRequest::new()).is_ok());
    assert_eq!(sandbox.sessions()[1].method, "GET");
}

#[test]
fn client_is_send_and_sync() {
    fn check<T: Send + Sync + Clone>() {}
    check::<Client>();
}
