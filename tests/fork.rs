//! Fork safety: a process forked from one that holds a logged-in client with a pooled
//! connection uses connections of its own. Parent and child each request 200 PINs, each
//! with its own `cfield0`; every PIN a process got must be the one the sandbox recorded
//! for that process's request, and no call may fail or time out.
//!
//! A test binary of its own: it forks, and a fork copies only the forking thread.
#![cfg(unix)]

mod common;

use std::collections::HashMap;
use std::io::{Read, Write};
use std::os::fd::FromRawFd;
use std::time::Duration;

use common::*;
use rescue::{Client, ClientBuilder, PinRequest};
use rescue_sandbox::{Config, Sandbox};

const REQUESTS: usize = 200;

/// (cfield0, PIN) of each request a process made.
type Pins = Vec<(String, String)>;

/// `REQUESTS` Lens PINs with `cfield0` = `who-N`: (cfield0, PIN) pairs, or the first error.
fn request_pins(client: &Client, who: &str) -> Result<Pins, String> {
    (0..REQUESTS)
        .map(|i| {
            let cfield0 = format!("{who}-{i}");
            client
                .request_lens_pin(&PinRequest::new().cfield0(&cfield0))
                .map(|pin| (cfield0.clone(), pin.as_str().to_owned()))
                .map_err(|e| format!("{cfield0}: {e}"))
        })
        .collect()
}

/// Logs in, pools a connection with one PIN, forks, and has both processes request PINs.
/// Returns what the parent and the child got.
fn fork_and_request(client: &Client) -> (Pins, Pins) {
    client.login(TECH, PASSWORD).expect("login");
    client
        .request_lens_pin(&PinRequest::new().cfield0("before-fork"))
        .expect("a PIN before the fork, which leaves a pooled connection");

    let mut fds = [0; 2];
    // SAFETY: a pipe for the child's report.
    assert_eq!(unsafe { libc::pipe(fds.as_mut_ptr()) }, 0, "pipe");
    let (read_fd, write_fd) = (fds[0], fds[1]);
    std::io::stdout().flush().ok();
    std::io::stderr().flush().ok();
    // SAFETY: the child only uses the client, writes to the pipe and leaves with _exit.
    let pid = unsafe { libc::fork() };
    assert!(pid >= 0, "fork");
    if pid == 0 {
        // SAFETY: the child's end of the pipe, owned from here on.
        let mut report = unsafe {
            libc::close(read_fd);
            std::fs::File::from_raw_fd(write_fd)
        };
        let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            request_pins(client, "child")
        }));
        let (text, code) = match outcome {
            Ok(Ok(pins)) => (
                pins.iter()
                    .map(|(c, p)| format!("{c} {p}\n"))
                    .collect::<String>(),
                0,
            ),
            Ok(Err(error)) => (format!("ERROR {error}\n"), 1),
            Err(_) => ("ERROR the child panicked\n".to_owned(), 1),
        };
        let written = report.write_all(text.as_bytes()).is_ok();
        drop(report);
        // SAFETY: leaves the child without running the parent's test harness.
        unsafe { libc::_exit(if written { code } else { 2 }) };
    }
    // SAFETY: the parent's end of the pipe.
    let mut report = unsafe {
        libc::close(write_fd);
        std::fs::File::from_raw_fd(read_fd)
    };
    let parent = request_pins(client, "parent");
    let mut text = String::new();
    report
        .read_to_string(&mut text)
        .expect("the child's report");
    let mut status = 0;
    // SAFETY: waits for the child started above, by its PID.
    assert_eq!(unsafe { libc::waitpid(pid, &mut status, 0) }, pid);
    let parent = parent.unwrap_or_else(|e| panic!("parent: {e}"));
    assert!(
        libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0,
        "child (status {status}): {text}"
    );
    let child = text
        .lines()
        .map(|line| {
            let (cfield0, pin) = line.split_once(' ').expect("cfield0 PIN");
            (cfield0.to_owned(), pin.to_owned())
        })
        .collect();
    (parent, child)
}

/// Every PIN each process got is the one the sandbox recorded for its own request.
fn check_against_sandbox(
    sandbox: &Sandbox,
    parent: &[(String, String)],
    child: &[(String, String)],
) {
    let recorded: HashMap<String, String> = sandbox
        .sessions()
        .into_iter()
        .filter_map(|record| record.cfield0.map(|cfield0| (cfield0, record.pin)))
        .collect();
    assert_eq!(recorded.len(), 2 * REQUESTS + 1, "one session per request");
    for (who, got) in [("parent", parent), ("child", child)] {
        assert_eq!(got.len(), REQUESTS, "{who}");
        for (cfield0, pin) in got {
            assert!(cfield0.starts_with(who), "{who} got {cfield0}");
            assert_eq!(
                recorded.get(cfield0),
                Some(pin),
                "{who}: the PIN received for {cfield0} is not the one created for it"
            );
        }
    }
}

fn builder(base_url: &str) -> ClientBuilder {
    Client::builder()
        .base_url(base_url)
        // Generous: a call that hangs (an answer read by the other process) fails the test.
        .timeout(Duration::from_secs(10))
}

#[test]
fn a_forked_child_uses_connections_of_its_own() {
    let sandbox = sandbox();
    let client = builder(&sandbox.base_url()).build().expect("client");
    let (parent, child) = fork_and_request(&client);
    check_against_sandbox(&sandbox, &parent, &child);
}

#[test]
fn a_forked_child_uses_tls_connections_of_its_own() {
    let sandbox = sandbox_with(Config {
        tls: true,
        pin_interval: Duration::ZERO,
        ..Config::default()
    });
    let ca = std::env::temp_dir().join(format!("rescue-fork-ca-{}.pem", std::process::id()));
    std::fs::write(&ca, sandbox.cert_pem().expect("PEM")).expect("write CA");
    let client = builder(&sandbox.base_url())
        .ca_file(&ca)
        .build()
        .expect("client");
    std::fs::remove_file(&ca).ok();
    let (parent, child) = fork_and_request(&client);
    check_against_sandbox(&sandbox, &parent, &child);
}
