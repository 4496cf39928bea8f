//! The `rescue-sandbox` executable: one stdout line, real requests, clean exit on signals.

mod common;

use std::io::{BufRead, BufReader, Read};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::*;

const BIN: &str = env!("CARGO_BIN_EXE_rescue-sandbox");

/// Starts the binary and returns it with its first stdout line.
fn spawn(args: &[&str]) -> (Child, String) {
    let mut child = Command::new(BIN)
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.as_mut().unwrap())
        .read_line(&mut line)
        .unwrap();
    (child, line)
}

fn signal(child: &Child, sig: libc::c_int) {
    let rc = unsafe { libc::kill(child.id() as libc::pid_t, sig) };
    assert_eq!(rc, 0);
}

/// Waits (bounded) for the child and returns its exit code, stdout rest and stderr.
fn finish(mut child: Child) -> (Option<i32>, String, String) {
    let deadline = Instant::now() + Duration::from_secs(10);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if Instant::now() > deadline {
            child.kill().unwrap();
            panic!("rescue-sandbox did not exit after the signal");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let mut out = String::new();
    child
        .stdout
        .take()
        .unwrap()
        .read_to_string(&mut out)
        .unwrap();
    let mut err = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut err)
        .unwrap();
    (status.code(), out, err)
}

#[test]
fn prints_one_url_line_serves_and_exits_cleanly_on_sigterm() {
    let (child, line) = spawn(&["--pin-interval-ms", "0", "--session-idle-secs", "60"]);
    let url = line.strip_suffix('\n').unwrap();
    assert!(
        url.starts_with("http://127.0.0.1:") && url.ends_with("/API/"),
        "{line:?}"
    );
    let mut client = Client::new();
    assert_eq!(
        client
            .post(
                &format!("{url}login.aspx"),
                &[("email", TECH), ("pwd", PASSWORD)]
            )
            .body,
        "OK"
    );
    pin_of(
        &client
            .get(&format!("{url}requestLensPINCode.aspx"), &[])
            .body,
    );
    pin_of(
        &client
            .get(&format!("{url}requestLensPINCode.aspx"), &[])
            .body,
    ); // interval 0
       // Leave a hanging request open: shutdown must not wait for it.
    let base = url.to_owned();
    std::thread::spawn(move || {
        agent(Duration::from_secs(30))
            .get(format!(
                "{}fault/hang/API/login.aspx",
                base.trim_end_matches("API/")
            ))
            .call()
    });
    std::thread::sleep(Duration::from_millis(100));
    signal(&child, libc::SIGTERM);
    let (code, rest, err) = finish(child);
    assert_eq!(code, Some(0), "stderr: {err}");
    assert_eq!(rest, "", "stdout must hold exactly one line");
    assert_eq!(err.lines().count(), 1, "stderr: {err}");
    assert!(!err.contains(TECH_CODE) && !err.contains("SessionId"));
}

#[test]
fn exits_cleanly_on_sigint() {
    let (child, line) = spawn(&[]);
    assert!(line.ends_with("/API/\n"));
    signal(&child, libc::SIGINT);
    assert_eq!(finish(child).0, Some(0));
}

#[test]
fn tls_writes_the_certificate_before_the_url() {
    let dir = std::env::temp_dir().join(format!("rescue-sandbox-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let cert = dir.join("cert.pem");
    let (child, line) = spawn(&["--tls", "--cert-out", cert.to_str().unwrap()]);
    let url = line.trim_end();
    assert!(
        url.starts_with("https://localhost:") && url.ends_with("/API/"),
        "{line:?}"
    );
    let pem = std::fs::read_to_string(&cert).unwrap();
    let agent = tls_agent(&pem);
    let mut client = Client::with_agent(agent);
    let reply = client.get(
        &format!("{url}requestAuthCode.aspx"),
        &[("email", TECH), ("pwd", PASSWORD)],
    );
    assert_eq!(reply.body, format!("OK\r\nAUTHCODE:{TECH_CODE}"));
    signal(&child, libc::SIGTERM);
    assert_eq!(finish(child).0, Some(0));
    std::fs::remove_dir_all(&dir).unwrap();
}

fn tls_agent(pem: &str) -> ureq::Agent {
    use ureq::tls::{Certificate, RootCerts, TlsConfig};
    let root = Certificate::from_pem(pem.as_bytes()).unwrap().to_owned();
    let tls = TlsConfig::builder()
        .root_certs(RootCerts::Specific(std::sync::Arc::new(vec![root])))
        .build();
    ureq::Agent::config_builder()
        .tls_config(tls)
        .http_status_as_error(false)
        .build()
        .into()
}

#[test]
fn accounts_file_and_bad_arguments() {
    let example = concat!(env!("CARGO_MANIFEST_DIR"), "/accounts.example.toml");
    let (child, line) = spawn(&["--accounts", example, "--listen", "127.0.0.1:0"]);
    let url = line.trim_end();
    let mut client = Client::new();
    let alice = [("email", "alice@example.test"), ("pwd", "correct horse")];
    assert_eq!(client.post(&format!("{url}login.aspx"), &alice).body, "OK");
    assert_eq!(
        client
            .post(
                &format!("{url}login.aspx"),
                &[("email", TECH), ("pwd", PASSWORD)]
            )
            .body,
        "INVALID"
    );
    signal(&child, libc::SIGTERM);
    assert_eq!(finish(child).0, Some(0));

    for args in [
        &["--tls"][..],
        &["--accounts", "/nonexistent/accounts.toml"],
        &["--listen", "not-an-address"],
    ] {
        let output = Command::new(BIN).args(args).output().unwrap();
        assert!(!output.status.success(), "{args:?}");
        assert!(output.stdout.is_empty(), "{args:?}");
    }
}
