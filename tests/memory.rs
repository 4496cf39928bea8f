//! Memory and time caps against hostile answers. One test in its own binary, so that
//! nothing else runs in the process while the peak RSS is measured.
#![cfg(target_os = "linux")] // reads /proc/self/status

mod common;

use std::fs;
use std::time::{Duration, Instant};

use common::*;
use rescue::{Client, ErrorKind, Method, PinRequest};

/// The peak may grow by less than this across the `huge` calls (the body is 64 MiB).
const PEAK_GROWTH_CAP_KIB: u64 = 16 * 1024;

/// A field of /proc/self/status, in KiB.
fn status_kib(field: &str) -> u64 {
    let status = fs::read_to_string("/proc/self/status").expect("/proc/self/status");
    status
        .lines()
        .find_map(|line| line.strip_prefix(field)?.strip_prefix(':'))
        .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or_else(|| panic!("{field} in /proc/self/status"))
}

/// Starts a fresh peak-RSS measurement: writing 5 to clear_refs sets VmHWM to the current
/// RSS (Linux 4.0+). Returns the baseline to compare the next VmHWM with.
fn reset_peak() -> u64 {
    match fs::write("/proc/self/clear_refs", "5") {
        Ok(()) => status_kib("VmRSS"),
        // Without it, the peak so far is the baseline: still a valid (looser) bound.
        Err(_) => status_kib("VmHWM"),
    }
}

#[test]
fn hostile_answers_are_capped_in_memory_and_time() {
    let sandbox = sandbox();
    for method in [Method::Post, Method::Get] {
        let client = client(&sandbox.fault_url("huge"), method);
        // Warm up what a first call allocates once (connection pool, TLS roots, the
        // sandbox's runtime) so that only the answer itself is measured.
        let warm = client.request_lens_pin(&PinRequest::new());
        assert_eq!(
            warm.map(drop).map_err(|e| e.kind()),
            Err(ErrorKind::UnexpectedResponse)
        );

        let baseline = reset_peak();
        for _ in 0..3 {
            let error = client
                .request_lens_pin(&PinRequest::new())
                .expect_err("a 64 MiB answer is refused");
            assert_eq!(error.kind(), ErrorKind::UnexpectedResponse, "{error}");
            assert!(error.to_string().contains("longer than"), "{error}");
            let error = client.login(TECH, PASSWORD).expect_err("refused");
            assert_eq!(error.kind(), ErrorKind::UnexpectedResponse, "{error}");
        }
        let peak = status_kib("VmHWM");
        let growth = peak.saturating_sub(baseline);
        eprintln!("{method:?}: peak RSS {baseline} KiB -> {peak} KiB (+{growth} KiB)");
        assert!(
            growth < PEAK_GROWTH_CAP_KIB,
            "{method:?}: peak RSS grew by {growth} KiB"
        );
    }

    // The measurement itself: the same bound does catch a 32 MiB answer held in memory.
    let baseline = reset_peak();
    let held = vec![1u8; 32 * 1024 * 1024];
    let growth = status_kib("VmHWM").saturating_sub(baseline);
    assert!(
        growth >= PEAK_GROWTH_CAP_KIB,
        "only {growth} KiB for 32 MiB"
    );
    drop(std::hint::black_box(held));

    // A server that never answers: the call ends at its timeout, not later.
    for method in [Method::Post, Method::Get] {
        let timeout = Duration::from_millis(500);
        let client = Client::builder()
            .base_url(sandbox.fault_url("hang"))
            .method(method)
            .timeout(timeout)
            .build()
            .expect("client");
        let started = Instant::now();
        let error = client.login(TECH, PASSWORD).expect_err("no answer");
        let took = started.elapsed();
        assert_eq!(error.kind(), ErrorKind::Timeout, "{error}");
        assert!(
            took >= timeout && took < timeout + Duration::from_secs(2),
            "{method:?}: {took:?}"
        );
    }
}
