//! Every documented return value surfaces as its own `Status`, over POST and over GET.

mod common;

use std::time::Duration;

use common::*;
use rescue::{Error, PinRequest, Status, Transport};
use rescue_sandbox::Config;

fn service(status: Status) -> Result<(), Error> {
    Err(Error::Service(status))
}

fn lens_pin_as(email: &str, method: Transport, request: &PinRequest) -> Result<(), Error> {
    let sandbox = sandbox();
    let client = client(&sandbox.base_url(), method);
    client.login(email, PASSWORD)?;
    client.request_lens_pin(request).map(drop)
}

#[test]
fn login_ok_and_invalid() {
    every_transport(|method| {
        let sandbox = sandbox();
        let client = client(&sandbox.base_url(), method);
        assert_eq!(client.login(TECH, "wrong"), service(Status::Invalid));
        assert_eq!(
            client.login("nobody@sandbox.test", PASSWORD),
            service(Status::Invalid)
        );
        assert_eq!(
            client.login("deleted@sandbox.test", PASSWORD),
            service(Status::Invalid)
        );
        assert_eq!(
            client.login("disabled@sandbox.test", PASSWORD),
            service(Status::Invalid)
        );
        assert_eq!(client.login(TECH, PASSWORD), Ok(()));
        let pin = client.request_lens_pin(&PinRequest::new()).expect("a PIN");
        assert_eq!(pin.as_str().len(), 6);
        assert_eq!(client.logout(), Ok(()));
        assert_eq!(client.logout(), service(Status::NotLoggedIn));
    });
}

#[test]
fn login_limit_reached_on_the_eleventh_call() {
    every_transport(|method| {
        let sandbox = sandbox();
        let client = client(&sandbox.base_url(), method);
        for _ in 0..10 {
            assert_eq!(client.login(TECH, PASSWORD), Ok(()));
        }
        assert_eq!(client.login(TECH, PASSWORD), service(Status::LimitReached));
    });
}

#[test]
fn not_logged_in_without_a_session() {
    every_transport(|method| {
        let sandbox = sandbox();
        let client = client(&sandbox.base_url(), method);
        assert_eq!(
            client.request_lens_pin(&PinRequest::new()).map(drop),
            service(Status::NotLoggedIn)
        );
        assert_eq!(
            client.request_pin(&PinRequest::new()).map(drop),
            service(Status::NotLoggedIn)
        );
    });
}

#[test]
fn account_behaviours() {
    every_transport(|method| {
        let empty = PinRequest::new();
        assert_eq!(
            lens_pin_as("error@sandbox.test", method, &empty),
            service(Status::Error)
        );
        assert_eq!(
            lens_pin_as("admin@sandbox.test", method, &empty),
            service(Status::NotTechnician)
        );
        assert_eq!(
            lens_pin_as("offline@sandbox.test", method, &empty),
            service(Status::NoTechConsoleRunning)
        );
        assert_eq!(
            lens_pin_as(
                "offline@sandbox.test",
                method,
                &PinRequest::new().notechconsole(true)
            ),
            Ok(())
        );
        assert_eq!(
            lens_pin_as("nopins@sandbox.test", method, &empty),
            service(Status::OutOfPinCodes)
        );
        assert_eq!(
            lens_pin_as("nolens@sandbox.test", method, &empty),
            service(Status::NoAccessToLens)
        );
    });
}

#[test]
fn no_lens_account_still_gets_desktop_pins() {
    every_transport(|method| {
        let sandbox = sandbox();
        let client = client(&sandbox.base_url(), method);
        client
            .login("nolens@sandbox.test", PASSWORD)
            .expect("login");
        assert!(client.request_pin(&PinRequest::new()).is_ok());
        let kinds: Vec<_> = sandbox.sessions().into_iter().map(|s| s.kind).collect();
        assert_eq!(kinds, ["desktop"]);
    });
}

#[test]
fn poll_rate_exceeded_within_a_second() {
    every_transport(|method| {
        let sandbox = sandbox_with(Config::default());
        let client = client(&sandbox.base_url(), method);
        client.login(TECH, PASSWORD).expect("login");
        assert!(client.request_lens_pin(&PinRequest::new()).is_ok());
        assert_eq!(
            client.request_lens_pin(&PinRequest::new()).map(drop),
            service(Status::PollRateExceeded)
        );
        std::thread::sleep(Duration::from_millis(1100));
        assert!(client.request_lens_pin(&PinRequest::new()).is_ok());
    });
}

#[test]
fn auth_codes() {
    every_transport(|method| {
        let sandbox = sandbox();
        let client = client(&sandbox.base_url(), method);
        let code = client
            .request_auth_code(TECH, PASSWORD)
            .expect("an authcode");
        assert_eq!(code, authcode(TECH));
        assert_eq!(
            client.request_auth_code(TECH, "wrong").map(drop),
            service(Status::Invalid)
        );
        assert_eq!(
            client
                .request_auth_code("error@sandbox.test", PASSWORD)
                .map(drop),
            service(Status::Error)
        );
        // No login: the authcode alone authenticates.
        let pin = client.request_lens_pin(&PinRequest::new().authcode(&code));
        assert!(pin.is_ok(), "{pin:?}");
        assert_eq!(sandbox.sessions()[0].technician, TECH);
    });
}

#[test]
fn authcode_statuses() {
    every_transport(|method| {
        let sandbox = sandbox();
        let client = client(&sandbox.base_url(), method);
        let with_code = |code: &str| {
            client
                .request_lens_pin(&PinRequest::new().authcode(code))
                .map(drop)
        };
        assert_eq!(
            with_code("not-a-code"),
            service(Status::InvalidSecretAuthCode)
        );
        assert_eq!(
            with_code(&authcode("deleted@sandbox.test")),
            service(Status::UserIsDeleted)
        );
        assert_eq!(
            with_code(&authcode("disabled@sandbox.test")),
            service(Status::UserDeletedOrDisabled)
        );
    });
}
