//! The `/fault/<kind>/API/` variants, seen from real clients.

mod common;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use common::*;

const METHODS: [&str; 5] = [
    "login.aspx",
    "logout.aspx",
    "requestAuthCode.aspx",
    "requestLensPINCode.aspx",
    "requestPINCode.aspx",
];

#[test]
fn status_faults_answer_their_status_to_every_method() {
    let sandbox = sandbox();
    let mut client = Client::new();
    for (kind, status) in [("status-500", 500), ("status-503", 503)] {
        for method in METHODS {
            let url = format!("{}{method}", sandbox.fault_url(kind));
            assert_eq!(client.get(&url, &[("authcode", TECH_CODE)]).status, status);
            assert_eq!(client.post(&url, &[("authcode", TECH_CODE)]).status, status);
        }
    }
    assert!(
        sandbox.sessions().is_empty(),
        "a broken answer must not create sessions"
    );
}

#[test]
fn html_empty_and_unknown_bodies() {
    let sandbox = sandbox();
    let mut client = Client::new();
    for method in METHODS {
        let html = client.post(&format!("{}{method}", sandbox.fault_url("html")), &[]);
        assert_eq!(html.status, 200);
        assert!(html.content_type.unwrap().starts_with("text/html"));
        assert!(html.body.contains("<html>"));
        let empty = client.get(&format!("{}{method}", sandbox.fault_url("empty")), &[]);
        assert_eq!((empty.status, empty.body.as_str()), (200, ""));
        let unknown = client.post(&format!("{}{method}", sandbox.fault_url("unknown")), &[]);
        assert_eq!(
            (unknown.status, unknown.body.as_str()),
            (200, "SOMETHING_NEW")
        );
    }
}

#[test]
fn oneline_layout_carries_real_values() {
    let sandbox = sandbox();
    let base = sandbox.fault_url("oneline");
    let mut client = Client::new();
    let auth = client.post(
        &format!("{base}requestAuthCode.aspx"),
        &[("email", TECH), ("pwd", PASSWORD)],
    );
    assert_eq!(auth.body, format!("OK AUTHCODE:{TECH_CODE}"));
    let body = client
        .get(
            &format!("{base}requestLensPINCode.aspx"),
            &[("authcode", TECH_CODE)],
        )
        .body;
    assert_eq!(sandbox.sessions()[0].pin, pin_after(&body, "OK PINCODE:"));
    let login = client.get(
        &format!("{base}login.aspx"),
        &[("email", TECH), ("pwd", PASSWORD)],
    );
    assert_eq!(login.body, "OK");
    let refused = client.get(&format!("{base}requestPINCode.aspx"), &[("authcode", "x")]);
    assert_eq!(refused.body, "INVALID_SECRETAUTHCODE");
    // The login session is shared with the normal API, which answers in its own layout.
    let pin = client.post(&format!("{}requestPINCode.aspx", sandbox.base_url()), &[]);
    assert_eq!(sandbox.sessions()[1].pin, pin_of(&pin.body));
}

#[test]
fn crlf_is_the_default_layout_and_an_alias_of_it() {
    let sandbox = sandbox();
    for base in [sandbox.base_url(), sandbox.fault_url("crlf")] {
        let mut client = Client::new();
        let auth = client.post(
            &format!("{base}requestAuthCode.aspx"),
            &[("email", TECH), ("pwd", PASSWORD)],
        );
        // No trailing newline: production code cuts the code at offset 13 to the end.
        assert_eq!(auth.body, format!("OK\r\nAUTHCODE:{TECH_CODE}"));
        assert_eq!(&auth.body[13..], TECH_CODE);
        let body = client
            .get(
                &format!("{base}requestLensPINCode.aspx"),
                &[("authcode", TECH_CODE)],
            )
            .body;
        let pin = pin_of(&body);
        assert_eq!(&body[12..], pin, "offset 12 is the PIN");
        assert_eq!(sandbox.sessions().last().unwrap().pin, pin);
        let login = client.get(
            &format!("{base}login.aspx"),
            &[("email", TECH), ("pwd", PASSWORD)],
        );
        assert_eq!(login.body, "OK");
        let refused = client.get(&format!("{base}requestPINCode.aspx"), &[("authcode", "x")]);
        assert_eq!(refused.body, "INVALID_SECRETAUTHCODE");
    }
}

#[test]
fn spaced_layout_carries_real_values() {
    let sandbox = sandbox();
    let base = sandbox.fault_url("spaced");
    let mut client = Client::new();
    let auth = client.get(
        &format!("{base}requestAuthCode.aspx"),
        &[("email", TECH), ("pwd", PASSWORD)],
    );
    assert_eq!(auth.body, format!("OK AUTHCODE: {TECH_CODE}"));
    let pin = client
        .post(
            &format!("{base}requestPINCode.aspx"),
            &[("authcode", TECH_CODE)],
        )
        .body;
    assert_eq!(pin, format!("OK PINCODE: {}", sandbox.sessions()[0].pin));
    assert_eq!(
        client.get(&format!("{base}logout.aspx"), &[]).body,
        "NOTLOGGEDIN"
    );
}

#[test]
fn slow_answers_normally_after_the_delay() {
    let sandbox = sandbox();
    let mut client = Client::new();
    let started = Instant::now();
    let pin = client.get(
        &format!("{}requestLensPINCode.aspx", sandbox.fault_url("slow-300")),
        &[("authcode", TECH_CODE)],
    );
    assert!(started.elapsed() >= Duration::from_millis(300));
    assert_eq!(pin_of(&pin.body), sandbox.sessions()[0].pin);
    let login = client.post(
        &format!("{}login.aspx", sandbox.fault_url("slow-10")),
        &[("email", TECH), ("pwd", PASSWORD)],
    );
    assert_eq!(login.body, "OK");
    pin_of(
        &client
            .get(&format!("{}requestPINCode.aspx", sandbox.base_url()), &[])
            .body,
    );
}

#[test]
fn hang_never_answers_and_a_client_timeout_fires() {
    let sandbox = sandbox();
    let agent = agent(Duration::from_secs(1));
    for method in METHODS {
        let started = Instant::now();
        let result = agent
            .get(format!("{}{method}", sandbox.fault_url("hang")))
            .call();
        assert!(matches!(result, Err(ureq::Error::Timeout(_))), "{result:?}");
        assert!(started.elapsed() < Duration::from_secs(3));
    }
    let result = agent
        .post(format!("{}login.aspx", sandbox.fault_url("hang")))
        .send_form([("email", TECH)]);
    assert!(matches!(result, Err(ureq::Error::Timeout(_))), "{result:?}");
}

#[test]
fn dropping_the_sandbox_does_not_wait_for_hanging_requests() {
    let sandbox = sandbox();
    let addr = sandbox.addr();
    let mut waiting = Vec::new();
    for _ in 0..3 {
        let mut tcp = TcpStream::connect(addr).unwrap();
        tcp.write_all(b"GET /fault/hang/API/login.aspx HTTP/1.1\r\nHost: x\r\n\r\n")
            .unwrap();
        waiting.push(tcp);
    }
    std::thread::sleep(Duration::from_millis(200));
    let started = Instant::now();
    drop(sandbox);
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "drop took {:?}",
        started.elapsed()
    );
    for mut tcp in waiting {
        tcp.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
        let mut got = Vec::new();
        let _ = tcp.read_to_end(&mut got);
        assert!(got.is_empty(), "a hang must never answer");
    }
}

#[test]
fn reset_closes_without_any_response() {
    let sandbox = sandbox();
    for method in METHODS {
        for request in [
            format!("GET /fault/reset/API/{method}?authcode={TECH_CODE} HTTP/1.1\r\nHost: x\r\n\r\n"),
            format!("POST /fault/reset/API/{method} HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 7\r\n\r\nemail=x"),
        ] {
            let mut tcp = TcpStream::connect(sandbox.addr()).unwrap();
            tcp.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
            tcp.write_all(request.as_bytes()).unwrap();
            let mut got = Vec::new();
            match tcp.read_to_end(&mut got) {
                Ok(_) => assert!(got.is_empty(), "got {:?}", String::from_utf8_lossy(&got)),
                Err(e) => assert_ne!(e.kind(), std::io::ErrorKind::WouldBlock, "no close within 5 s"),
            }
        }
    }
    let result = agent(Duration::from_secs(5))
        .get(format!("{}login.aspx", sandbox.fault_url("reset")))
        .call();
    assert!(result.is_err(), "{result:?}");
    assert!(
        !matches!(result, Err(ureq::Error::Timeout(_))),
        "{result:?}"
    );
    assert!(sandbox.sessions().is_empty());
}

#[test]
fn huge_streams_64_mib() {
    let sandbox = sandbox();
    let agent = agent(Duration::from_secs(60));
    let mut response = agent
        .get(format!(
            "{}requestLensPINCode.aspx",
            sandbox.fault_url("huge")
        ))
        .call()
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.headers().get("content-length").unwrap(),
        "67108864"
    );
    let mut reader = response.body_mut().as_reader();
    let mut buf = vec![0u8; 1 << 16];
    let mut total: u64 = 0;
    loop {
        let n = reader.read(&mut buf).unwrap();
        if n == 0 {
            break;
        }
        total += n as u64;
    }
    assert_eq!(total, 64 * 1024 * 1024);
}

#[test]
fn unknown_fault_kinds_are_404() {
    let sandbox = sandbox();
    let mut client = Client::new();
    for kind in ["nope", "slow-", "slow-abc", "status-404"] {
        assert_eq!(
            client
                .get(&format!("{}login.aspx", sandbox.fault_url(kind)), &[])
                .status,
            404,
            "{kind}"
        );
    }
    assert_eq!(
        client
            .get(
                &format!("{}nope.aspx", sandbox.fault_url("status-500")),
                &[]
            )
            .status,
        404
    );
}
