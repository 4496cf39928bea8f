//! Login sessions, their expiry, logout and the two rate limits.

mod common;

use std::thread::sleep;
use std::time::Duration;

use common::*;
use rescue_sandbox::{Config, Sandbox};

fn login(client: &mut Client, base: &str, email: &str, pwd: &str) -> String {
    client
        .post(
            &format!("{base}login.aspx"),
            &[("email", email), ("pwd", pwd)],
        )
        .body
}

#[test]
fn the_eleventh_login_within_three_minutes_is_limitreached() {
    let sandbox = sandbox();
    let base = sandbox.base_url();
    let mut client = Client::new();
    // Failed and successful calls both count.
    for i in 0..10 {
        let pwd = if i % 2 == 0 { "wrong" } else { PASSWORD };
        let want = if i % 2 == 0 { "INVALID" } else { "OK" };
        assert_eq!(login(&mut client, &base, TECH, pwd), want, "call {}", i + 1);
    }
    assert_eq!(login(&mut client, &base, TECH, PASSWORD), "LIMITREACHED");
    assert_eq!(
        login(&mut client, &base, "TECH@sandbox.test", "wrong"),
        "LIMITREACHED"
    );
    // Other emails and requestAuthCode are unaffected.
    assert_eq!(
        login(&mut Client::new(), &base, "offline@sandbox.test", PASSWORD),
        "OK"
    );
    let auth = client.get(
        &format!("{base}requestAuthCode.aspx"),
        &[("email", TECH), ("pwd", PASSWORD)],
    );
    assert_eq!(auth.body, format!("OK\r\nAUTHCODE:{TECH_CODE}"));
    // The last successful login's session still works.
    pin_of(&client.get(&format!("{base}requestPINCode.aspx"), &[]).body);
    sandbox.reset();
    assert_eq!(login(&mut client, &base, TECH, PASSWORD), "OK");
}

#[test]
fn pins_are_limited_to_one_per_interval_per_technician() {
    let sandbox = Sandbox::start(Config {
        pin_interval: Duration::from_millis(1000),
        ..Config::default()
    })
    .unwrap();
    let base = sandbox.base_url();
    let mut client = Client::new();
    let lens = format!("{base}requestLensPINCode.aspx");
    let desktop = format!("{base}requestPINCode.aspx");
    pin_of(&client.get(&lens, &[("authcode", TECH_CODE)]).body);
    assert_eq!(
        client.get(&desktop, &[("authcode", TECH_CODE)]).body,
        "POLLRATEEXCEEDED"
    );
    // The limit is per technician, whichever way it authenticates.
    login(&mut client, &base, TECH, PASSWORD);
    assert_eq!(client.get(&lens, &[]).body, "POLLRATEEXCEEDED");
    pin_of(&client.get(&desktop, &[("authcode", NOLENS_CODE)]).body);
    // A refused request does not restart the interval.
    sleep(Duration::from_millis(1050));
    pin_of(&client.get(&lens, &[]).body);
    assert_eq!(sandbox.sessions().len(), 3);
}

#[test]
fn sessions_expire_after_the_idle_time_and_calls_refresh_them() {
    let config = Config {
        session_idle: Duration::from_secs(1),
        pin_interval: Duration::ZERO,
        ..Config::default()
    };
    let sandbox = Sandbox::start(config).unwrap();
    let base = sandbox.base_url();
    let pin = format!("{base}requestPINCode.aspx");
    let mut client = Client::new();
    assert_eq!(login(&mut client, &base, TECH, PASSWORD), "OK");
    for _ in 0..4 {
        sleep(Duration::from_millis(400));
        pin_of(&client.get(&pin, &[]).body);
    }
    sleep(Duration::from_millis(1200));
    assert_eq!(client.get(&pin, &[]).body, "NOTLOGGEDIN");
    assert_eq!(
        client.get(&format!("{base}logout.aspx"), &[]).body,
        "NOTLOGGEDIN"
    );
}

#[test]
fn expire_sessions_drops_every_login() {
    let sandbox = sandbox();
    let base = sandbox.base_url();
    let mut a = Client::new();
    let mut b = Client::new();
    login(&mut a, &base, TECH, PASSWORD);
    login(&mut b, &base, "nolens@sandbox.test", PASSWORD);
    sandbox.expire_sessions();
    assert_eq!(
        a.get(&format!("{base}requestPINCode.aspx"), &[]).body,
        "NOTLOGGEDIN"
    );
    assert_eq!(
        b.get(&format!("{base}requestPINCode.aspx"), &[]).body,
        "NOTLOGGEDIN"
    );
    // Over HTTP too.
    login(&mut a, &base, TECH, PASSWORD);
    assert_eq!(
        a.post(&format!("{}sandbox/expire", sandbox.root_url()), &[])
            .body,
        "OK"
    );
    assert_eq!(
        a.get(&format!("{base}requestPINCode.aspx"), &[]).body,
        "NOTLOGGEDIN"
    );
    // Authcodes do not depend on sessions.
    pin_of(
        &a.get(
            &format!("{base}requestPINCode.aspx"),
            &[("authcode", TECH_CODE)],
        )
        .body,
    );
}

#[test]
fn logout_ends_the_session_and_clears_the_cookie() {
    let sandbox = sandbox();
    let base = sandbox.base_url();
    let mut client = Client::new();
    assert_eq!(
        client.get(&format!("{base}logout.aspx"), &[]).body,
        "NOTLOGGEDIN"
    );
    login(&mut client, &base, TECH, PASSWORD);
    let session = client.cookie.clone().unwrap();
    let logout = client.post(&format!("{base}logout.aspx"), &[]);
    assert_eq!(logout.body, "OK");
    assert!(logout
        .set_cookie
        .unwrap()
        .starts_with("ASP.NET_SessionId=;"));
    assert!(client.cookie.is_none());
    // The old cookie is dead even if a client keeps sending it.
    client.cookie = Some(session);
    assert_eq!(
        client.get(&format!("{base}logout.aspx"), &[]).body,
        "NOTLOGGEDIN"
    );
    assert_eq!(
        client.get(&format!("{base}requestPINCode.aspx"), &[]).body,
        "NOTLOGGEDIN"
    );
}

#[test]
fn the_error_account_logs_in_but_cannot_log_out() {
    let sandbox = sandbox();
    let base = sandbox.base_url();
    let mut client = Client::new();
    assert_eq!(
        login(&mut client, &base, "error@sandbox.test", PASSWORD),
        "OK"
    );
    assert_eq!(client.get(&format!("{base}logout.aspx"), &[]).body, "ERROR");
    assert_eq!(
        client.get(&format!("{base}requestPINCode.aspx"), &[]).body,
        "ERROR"
    );
}

#[test]
fn a_new_login_replaces_the_current_session() {
    let sandbox = sandbox();
    let base = sandbox.base_url();
    let mut client = Client::new();
    login(&mut client, &base, TECH, PASSWORD);
    let first = client.cookie.clone().unwrap();
    login(&mut client, &base, "nolens@sandbox.test", PASSWORD);
    let second = client.cookie.clone().unwrap();
    assert_ne!(first, second);
    pin_of(&client.get(&format!("{base}requestPINCode.aspx"), &[]).body);
    assert_eq!(sandbox.sessions()[0].technician, "nolens@sandbox.test");
    client.cookie = Some(first);
    assert_eq!(
        client.get(&format!("{base}requestPINCode.aspx"), &[]).body,
        "NOTLOGGEDIN"
    );
    // Separate clients keep separate sessions.
    let mut other = Client::new();
    login(&mut other, &base, TECH, PASSWORD);
    client.cookie = Some(second);
    pin_of(&client.get(&format!("{base}requestPINCode.aspx"), &[]).body);
    pin_of(&other.get(&format!("{base}requestPINCode.aspx"), &[]).body);
}
