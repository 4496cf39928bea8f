//! Load: one shared, logged-in `Client` under many threads, and session expiry while it
//! is busy. Every call must succeed, land in the sandbox exactly once, and come back to
//! the thread that made it.

mod common;

use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use common::*;
use rescue::{Method, PinRequest};

const THREADS: usize = 16;
const CALLS: usize = 1_000;

/// The two tests share two cores; running them one at a time keeps their timing honest.
static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

/// Each call tags its session with its thread (`cfield0`) and number (`tracking0`).
fn tagged(thread: usize, call: usize) -> PinRequest {
    PinRequest::new()
        .cfield0(format!("t{thread}"))
        .tracking0(call.to_string())
}

#[test]
fn sixteen_threads_share_one_client() {
    let _serial = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let sandbox = sandbox();
    let client = client(&sandbox.base_url(), Method::Post);
    client.login(TECH, PASSWORD).expect("login");

    let started = Instant::now();
    let answers: Vec<Vec<String>> = thread::scope(|scope| {
        let workers: Vec<_> = (0..THREADS)
            .map(|t| {
                let client = &client;
                scope.spawn(move || {
                    (0..CALLS)
                        .map(|i| match client.request_lens_pin(&tagged(t, i)) {
                            Ok(pin) => pin.as_str().to_owned(),
                            Err(e) => panic!("thread {t}, call {i}: {e}"),
                        })
                        .collect()
                })
            })
            .collect();
        workers
            .into_iter()
            .map(|w| w.join().expect("no panic"))
            .collect()
    });
    let elapsed = started.elapsed();
    eprintln!(
        "{} calls in {elapsed:.2?} ({:.0}/s)",
        THREADS * CALLS,
        (THREADS * CALLS) as f64 / elapsed.as_secs_f64()
    );

    let sessions = sandbox.sessions();
    assert_eq!(sessions.len(), THREADS * CALLS);
    assert_eq!(sandbox.login_count(), 1, "nothing logged in again");
    // Every recorded session is one call, with the PIN that call got back.
    let recorded: HashMap<(String, String), String> = sessions
        .iter()
        .map(|s| {
            assert_eq!(s.technician, TECH);
            assert_eq!(s.kind, "lens");
            assert!(s.pin.len() == 6 && s.pin.bytes().all(|b| b.is_ascii_digit()));
            let tag = (s.cfield0.clone().unwrap(), s.tracking0.clone().unwrap());
            (tag, s.pin.clone())
        })
        .collect();
    assert_eq!(recorded.len(), THREADS * CALLS, "a call was recorded twice");
    for (t, pins) in answers.iter().enumerate() {
        for (i, pin) in pins.iter().enumerate() {
            assert_eq!(recorded.get(&(format!("t{t}"), i.to_string())), Some(pin));
        }
    }
    let distinct: HashSet<&String> = answers.iter().flatten().collect();
    assert_eq!(
        distinct.len(),
        THREADS * CALLS,
        "a PIN was handed out twice"
    );
}

#[test]
fn expiry_under_load_means_one_relogin_and_no_failed_call() {
    const WORKERS: usize = 8;
    // Five expiries and the first login stay within the service's ten logins in three
    // minutes: a second re-login for one expiry would show in the count, not as LIMITREACHED.
    const EXPIRIES: u64 = 5;
    let _serial = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let sandbox = sandbox();
    let client = Arc::new(client(&sandbox.base_url(), Method::Post));
    client.login(TECH, PASSWORD).expect("login");

    let stop = Arc::new(AtomicBool::new(false));
    let calls = Arc::new(AtomicUsize::new(0));
    let workers: Vec<_> = (0..WORKERS)
        .map(|t| {
            let (client, stop, calls) = (client.clone(), stop.clone(), calls.clone());
            thread::spawn(move || {
                let mut failures = Vec::new();
                let mut i = 0;
                while !stop.load(Ordering::Relaxed) {
                    if let Err(e) = client.request_pin(&tagged(t, i)) {
                        failures.push(format!("thread {t}, call {i}: {e}"));
                    }
                    calls.fetch_add(1, Ordering::Relaxed);
                    i += 1;
                }
                failures
            })
        })
        .collect();

    for expiry in 1..=EXPIRIES {
        // Let every worker get some calls in on the current session first.
        let before = calls.load(Ordering::Relaxed);
        wait_until(|| calls.load(Ordering::Relaxed) >= before + 200);
        sandbox.expire_sessions();
        // The re-login happens on the next call; then the session is busy again.
        wait_until(|| sandbox.login_count() > expiry);
        let relogged = calls.load(Ordering::Relaxed);
        wait_until(|| calls.load(Ordering::Relaxed) >= relogged + 200);
        assert_eq!(sandbox.login_count(), 1 + expiry, "after expiry {expiry}");
    }
    stop.store(true, Ordering::Relaxed);
    let failures: Vec<String> = workers
        .into_iter()
        .flat_map(|w| w.join().expect("no panic"))
        .collect();
    assert!(
        failures.is_empty(),
        "{} failed: {failures:#?}",
        failures.len()
    );
    assert_eq!(sandbox.login_count(), 1 + EXPIRIES);
    let made = calls.load(Ordering::Relaxed);
    assert_eq!(sandbox.sessions().len(), made, "every call made a session");
    eprintln!(
        "{made} calls, {EXPIRIES} expiries, {} logins",
        sandbox.login_count()
    );
}

/// Polls `done` for up to a minute (a loaded machine is slow, not broken).
fn wait_until(done: impl Fn() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(60);
    while !done() {
        assert!(Instant::now() < deadline, "timed out waiting");
        thread::sleep(Duration::from_millis(2));
    }
}
