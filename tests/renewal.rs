//! Session renewal under failure, against the sandbox: one renewal login per session end
//! whatever the number of callers, no login after `INVALID`, a cool-down after
//! `LIMITREACHED`, a back-off after a failing login page; and one deadline per call,
//! renewal included.

mod common;

use std::sync::Barrier;
use std::thread;
use std::time::{Duration, Instant};

use common::{sandbox, sandbox_with, PASSWORD, TECH};
use rescue::{Client, Error, ErrorKind, PinRequest, Status};
use rescue_sandbox::{Config, Sandbox, LOGIN_LIMIT};

const THREADS: usize = 8;
const CALLS: usize = 25;

fn client_for(base_url: &str, timeout: Duration) -> rescue::ClientBuilder {
    Client::builder().base_url(base_url).timeout(timeout)
}

/// How many login calls of `TECH` got `answer`.
fn logins(sandbox: &Sandbox, answer: &str) -> u64 {
    sandbox
        .login_attempts()
        .get(TECH)
        .and_then(|answers| answers.get(answer))
        .copied()
        .unwrap_or(0)
}

fn total_logins(sandbox: &Sandbox) -> u64 {
    sandbox
        .login_attempts()
        .get(TECH)
        .map(|answers| answers.values().sum())
        .unwrap_or(0)
}

/// `THREADS` threads × `calls` Lens PIN requests on one client, started together; every
/// result.
fn storm(client: &Client, calls: usize) -> Vec<Result<rescue::Pin, Error>> {
    let barrier = Barrier::new(THREADS);
    thread::scope(|scope| {
        let workers: Vec<_> = (0..THREADS)
            .map(|_| {
                scope.spawn(|| {
                    barrier.wait();
                    (0..calls)
                        .map(|_| client.request_lens_pin(&PinRequest::new()))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|w| w.join().expect("no panic"))
            .collect()
    })
}

#[test]
fn a_refused_password_sends_one_login_and_drops_the_credentials() {
    let sandbox = sandbox();
    let client = client_for(&sandbox.base_url(), Duration::from_secs(10))
        .build()
        .unwrap();
    client.login(TECH, PASSWORD).unwrap();
    assert!(sandbox.set_password(TECH, "rotated"));
    sandbox.expire_sessions();

    let results = storm(&client, CALLS);
    assert_eq!(results.len(), THREADS * CALLS);
    assert_eq!(logins(&sandbox, "INVALID"), 1, "one renewal login, refused");
    assert_eq!(total_logins(&sandbox), 2, "the first login and one renewal");
    let mut invalid = 0;
    for result in &results {
        match result {
            Err(Error::RenewalRefused {
                status: Status::Invalid,
                reason,
            }) => {
                assert!(reason.contains("dropped"), "{reason}");
                invalid += 1;
            }
            Err(Error::Service(Status::NotLoggedIn)) => {}
            other => panic!("unexpected result {other:?}"),
        }
    }
    assert!(invalid >= 1, "the renewal's own caller sees INVALID");

    // Later calls answer NOTLOGGEDIN without a login; an explicit login starts afresh.
    let later = client.request_lens_pin(&PinRequest::new()).unwrap_err();
    assert_eq!(later.kind(), ErrorKind::Service(Status::NotLoggedIn));
    assert_eq!(total_logins(&sandbox), 2);
    client.login(TECH, "rotated").unwrap();
    client.request_lens_pin(&PinRequest::new()).unwrap();
    assert_eq!(logins(&sandbox, "OK"), 2);
}

#[test]
fn limitreached_sends_one_login_then_cools_down_and_renews_once() {
    let window = Duration::from_millis(1500);
    let sandbox = sandbox_with(Config {
        pin_interval: Duration::ZERO,
        login_window: window,
        ..Config::default()
    });
    let cooldown = Duration::from_millis(2000);
    let client = client_for(&sandbox.base_url(), Duration::from_secs(10))
        .login_limit_cooldown(cooldown)
        .build()
        .unwrap();
    client.login(TECH, PASSWORD).unwrap();
    // Use up the window's other logins, as other programs of the account would.
    let other = client_for(&sandbox.base_url(), Duration::from_secs(10))
        .build()
        .unwrap();
    for _ in 1..LOGIN_LIMIT {
        other.login(TECH, PASSWORD).unwrap();
    }
    sandbox.expire_sessions();

    let results = storm(&client, CALLS);
    assert_eq!(logins(&sandbox, "LIMITREACHED"), 1, "one renewal login");
    assert_eq!(total_logins(&sandbox), LOGIN_LIMIT as u64 + 1);
    for result in &results {
        let error = result.as_ref().unwrap_err();
        assert_eq!(
            error.kind(),
            ErrorKind::Service(Status::LimitReached),
            "{error}"
        );
    }
    // During the cool-down: LIMITREACHED at once, with no traffic at all.
    let sessions_before = sandbox.sessions().len();
    let started = Instant::now();
    let error = client.request_lens_pin(&PinRequest::new()).unwrap_err();
    assert_eq!(error.status(), Some(Status::LimitReached));
    assert!(error.to_string().contains("authcode"), "{error}");
    assert!(started.elapsed() < Duration::from_millis(500));
    assert_eq!(total_logins(&sandbox), LOGIN_LIMIT as u64 + 1);
    assert_eq!(sandbox.sessions().len(), sessions_before);

    // After it (and after the service's window), one renewal goes through for everyone.
    thread::sleep(cooldown + Duration::from_millis(100));
    let results = storm(&client, 3);
    assert!(results.iter().all(Result::is_ok), "{results:?}");
    assert_eq!(logins(&sandbox, "LIMITREACHED"), 1);
    assert_eq!(total_logins(&sandbox), LOGIN_LIMIT as u64 + 2);
}

#[test]
fn successful_renewals_cost_one_login_per_session_end() {
    let sandbox = sandbox();
    let client = client_for(&sandbox.base_url(), Duration::from_secs(10))
        .build()
        .unwrap();
    client.login(TECH, PASSWORD).unwrap();
    // Nine ends in well under three minutes: ten logins, the service's limit, never more.
    for expiry in 1..=9 {
        sandbox.expire_sessions();
        let results = storm(&client, 5);
        assert!(results.iter().all(Result::is_ok), "expiry {expiry}");
        assert_eq!(logins(&sandbox, "OK"), 1 + expiry);
    }
    assert_eq!(logins(&sandbox, "LIMITREACHED"), 0);
    assert_eq!(total_logins(&sandbox), 10);
}

#[test]
fn a_failing_login_page_is_retried_once_per_backoff_step() {
    let sandbox = sandbox();
    let healthy = client_for(&sandbox.base_url(), Duration::from_secs(10))
        .build()
        .unwrap();
    healthy.login(TECH, PASSWORD).unwrap();
    // The same session through a path whose login page answers HTTP 503.
    let client = client_for(&sandbox.fault_url("login-503"), Duration::from_secs(10))
        .session_of(&healthy)
        .build()
        .unwrap();
    client.request_lens_pin(&PinRequest::new()).unwrap();
    sandbox.expire_sessions();

    let results = storm(&client, 10);
    assert_eq!(
        logins(&sandbox, "HTTP 503"),
        1,
        "one renewal per back-off step"
    );
    for result in &results {
        assert_eq!(
            result.as_ref().unwrap_err().kind(),
            ErrorKind::HttpStatus,
            "{result:?}"
        );
    }
    // First step 1 s: one more try after it, then the step doubles to 2 s.
    thread::sleep(Duration::from_millis(1100));
    storm(&client, 3);
    assert_eq!(logins(&sandbox, "HTTP 503"), 2);
    thread::sleep(Duration::from_millis(1100));
    storm(&client, 3);
    assert_eq!(logins(&sandbox, "HTTP 503"), 2, "still inside the 2 s step");
    thread::sleep(Duration::from_millis(1000));
    storm(&client, 3);
    assert_eq!(logins(&sandbox, "HTTP 503"), 3);
    // An explicit login resets it all: the healthy path renews the shared session.
    healthy.login(TECH, PASSWORD).unwrap();
    sandbox.expire_sessions();
    healthy.request_lens_pin(&PinRequest::new()).unwrap();
}

// ===== one deadline per call =====

/// A client of the `fault` path with `timeout`, logged in, whose session has just ended.
fn after_session_end(sandbox: &Sandbox, fault: &str, timeout: Duration) -> Client {
    let client = client_for(&sandbox.fault_url(fault), timeout)
        .build()
        .unwrap();
    client.login(TECH, PASSWORD).unwrap();
    sandbox.expire_sessions();
    client
}

#[test]
fn a_renewal_that_does_not_fit_ends_in_timeout_within_the_deadline() {
    let sandbox = sandbox();
    let timeout = Duration::from_millis(1000);
    let client = after_session_end(&sandbox, "slow-700", timeout);
    let started = Instant::now();
    let error = client.request_lens_pin(&PinRequest::new()).unwrap_err();
    let took = started.elapsed();
    assert_eq!(error.kind(), ErrorKind::Timeout, "{error}");
    assert!(took < timeout + Duration::from_millis(250), "took {took:?}");

    // Cut short, the renewal counts as not tried: the next call (more time) renews.
    let patient = client_for(&sandbox.fault_url("slow-700"), Duration::from_secs(5))
        .session_of(&client)
        .build()
        .unwrap();
    patient.request_lens_pin(&PinRequest::new()).unwrap();
}

#[test]
fn a_renewal_that_fits_in_the_deadline_succeeds() {
    let sandbox = sandbox();
    let client = after_session_end(&sandbox, "slow-300", Duration::from_millis(2500));
    client.request_lens_pin(&PinRequest::new()).unwrap();
    assert_eq!(logins(&sandbox, "OK"), 2);
}

#[test]
fn callers_waiting_for_a_slow_renewal_return_by_their_own_deadline() {
    let sandbox = sandbox();
    let timeout = Duration::from_millis(1000);
    let client = after_session_end(&sandbox, "slow-700", timeout);
    let barrier = Barrier::new(THREADS);
    let outcomes: Vec<(Result<rescue::Pin, Error>, Duration)> = thread::scope(|scope| {
        let workers: Vec<_> = (0..THREADS)
            .map(|_| {
                scope.spawn(|| {
                    barrier.wait();
                    let started = Instant::now();
                    let result = client.request_lens_pin(&PinRequest::new());
                    (result, started.elapsed())
                })
            })
            .collect();
        workers.into_iter().map(|w| w.join().unwrap()).collect()
    });
    for (result, took) in outcomes {
        let error = result.unwrap_err();
        assert_eq!(error.kind(), ErrorKind::Timeout, "{error}");
        assert!(took < timeout + Duration::from_millis(300), "took {took:?}");
    }
    assert!(logins(&sandbox, "OK") <= 2, "one renewal at a time");
}

#[test]
fn every_call_has_one_deadline() {
    let sandbox = sandbox();
    let timeout = Duration::from_millis(500);
    let client = client_for(&sandbox.fault_url("hang"), timeout)
        .build()
        .unwrap();
    for call in 0..3 {
        let started = Instant::now();
        let error = match call {
            0 => client.login(TECH, PASSWORD).unwrap_err(),
            1 => client.request_auth_code(TECH, PASSWORD).unwrap_err(),
            _ => client.logout().unwrap_err(),
        };
        assert_eq!(error.kind(), ErrorKind::Timeout, "{error}");
        assert!(started.elapsed() < timeout + Duration::from_millis(250));
    }
}
