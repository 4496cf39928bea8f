//! What the sandbox records about PIN sessions, field validation, and how it holds up.

mod common;

use std::collections::HashSet;

use common::*;
use rescue_sandbox::SessionRecord;

const TRICKY: &str = "a&b=c+d%20e f\u{e9}\u{1F600}\"'<>\\\r\n\t;,/?#";

#[test]
fn records_are_byte_exact_by_get_and_post() {
    let sandbox = sandbox();
    let base = sandbox.base_url();
    let mut client = Client::new();
    let params = [
        ("authcode", TECH_CODE),
        ("cfield0", TRICKY),
        ("cfield1", ""),
        ("cfield2", "  spaced  "),
        ("cfield3", "\u{65e5}\u{672c}\u{8a9e}"),
        ("cfield5", "5"),
        ("tracking0", "track+0"),
        ("notechconsole", "0"),
    ];
    let get_pin = pin_of(
        &client
            .get(&format!("{base}requestLensPINCode.aspx"), &params)
            .body,
    );
    let post_pin = pin_of(
        &client
            .post(&format!("{base}requestPINCode.aspx"), &params)
            .body,
    );
    let records = sandbox.sessions();
    assert_eq!(records.len(), 2);
    for (record, pin, kind, method) in [
        (&records[0], &get_pin, "lens", "GET"),
        (&records[1], &post_pin, "desktop", "POST"),
    ] {
        let expected = SessionRecord {
            pin: pin.clone(),
            kind: kind.into(),
            technician: TECH.into(),
            cfield0: Some(TRICKY.into()),
            cfield1: Some(String::new()),
            cfield2: Some("  spaced  ".into()),
            cfield3: Some("\u{65e5}\u{672c}\u{8a9e}".into()),
            cfield4: None,
            cfield5: Some("5".into()),
            tracking0: Some("track+0".into()),
            notechconsole: Some("0".into()),
            method: method.into(),
            transport: method.to_ascii_lowercase(),
            time: record.time.clone(),
            call: if kind == "lens" {
                "requestLensPINCode.aspx"
            } else {
                "requestPINCode.aspx"
            }
            .into(),
            requested_by: TECH.into(),
            invitation: None,
        };
        assert_eq!(record, &expected);
        check_time(&record.time);
    }
    // The HTTP view is the same data, in creation order.
    let mut raw = Client::new().get(&format!("{}sandbox/sessions", sandbox.root_url()), &[]);
    assert_eq!(raw.status, 200);
    assert_eq!(raw.content_type.as_deref(), Some("application/json"));
    let over_http: Vec<SessionRecord> =
        serde_json::from_str(&std::mem::take(&mut raw.body)).unwrap();
    assert_eq!(over_http, records);
}

fn check_time(time: &str) {
    // 2024-05-01T12:34:56.789Z
    let b = time.as_bytes();
    assert_eq!(b.len(), 24, "{time}");
    assert!(
        time.ends_with('Z')
            && b[4] == b'-'
            && b[7] == b'-'
            && b[10] == b'T'
            && b[13] == b':'
            && b[19] == b'.'
    );
    assert!(time.starts_with("20"), "{time}");
}

#[test]
fn reset_forgets_sessions_over_http_and_in_process() {
    let sandbox = sandbox();
    let mut client = Client::new();
    let url = format!("{}requestPINCode.aspx", sandbox.base_url());
    pin_of(&client.get(&url, &[("authcode", TECH_CODE)]).body);
    assert_eq!(
        client
            .post(&format!("{}sandbox/reset", sandbox.root_url()), &[])
            .body,
        "OK"
    );
    assert!(sandbox.sessions().is_empty());
    pin_of(&client.get(&url, &[("authcode", TECH_CODE)]).body);
    sandbox.reset();
    assert!(sandbox.sessions().is_empty());
    assert_eq!(
        client
            .get(&format!("{}sandbox/reset", sandbox.root_url()), &[])
            .status,
        405
    );
}

#[test]
fn pins_are_unique_and_leading_zeros_occur() {
    let sandbox = sandbox();
    let url = format!("{}requestLensPINCode.aspx", sandbox.base_url());
    let mut client = Client::new();
    let mut seen = HashSet::new();
    let mut zero = None;
    for _ in 0..2000 {
        let pin = pin_of(&client.get(&url, &[("authcode", TECH_CODE)]).body);
        assert!(seen.insert(pin.clone()), "PIN {pin} handed out twice");
        if pin.starts_with('0') {
            zero = Some(pin);
            break;
        }
    }
    let zero = zero.expect("no PIN with a leading zero in 2000 tries");
    assert_eq!(sandbox.sessions().last().unwrap().pin, zero);
}

#[test]
fn fields_over_their_limits_are_error() {
    let sandbox = sandbox();
    let url = format!("{}requestLensPINCode.aspx", sandbox.base_url());
    let mut client = Client::new();
    for (name, limit) in [
        ("cfield0", 64),
        ("cfield1", 512),
        ("cfield2", 512),
        ("cfield3", 256),
        ("cfield4", 64),
        ("cfield5", 64),
        ("tracking0", 64),
    ] {
        // Limits count characters: a multi-byte string exactly at the limit is fine.
        let at = "\u{e9}".repeat(limit);
        pin_of(
            &client
                .post(&url, &[("authcode", TECH_CODE), (name, &at)])
                .body,
        );
        let over = "x".repeat(limit + 1);
        assert_eq!(
            client
                .post(&url, &[("authcode", TECH_CODE), (name, &over)])
                .body,
            "ERROR",
            "{name}"
        );
    }
    assert_eq!(sandbox.sessions().len(), 7);
}

#[test]
fn notechconsole_accepts_only_0_1_or_empty() {
    let sandbox = sandbox();
    let url = format!("{}requestPINCode.aspx", sandbox.base_url());
    let mut client = Client::new();
    for value in ["0", "1", ""] {
        pin_of(
            &client
                .get(&url, &[("authcode", TECH_CODE), ("notechconsole", value)])
                .body,
        );
    }
    for value in ["2", "true", " 1", "01"] {
        assert_eq!(
            client
                .get(&url, &[("authcode", TECH_CODE), ("notechconsole", value)])
                .body,
            "ERROR"
        );
    }
    // For an offline technician only exactly "1" helps.
    let offline = |v: &str| {
        Client::new()
            .get(&url, &[("authcode", OFFLINE_CODE), ("notechconsole", v)])
            .body
    };
    assert_eq!(offline(""), "NOTECHCONSOLERUNNING");
    assert_eq!(offline("true"), "NOTECHCONSOLERUNNING");
    pin_of(&offline("1"));
}

#[test]
fn large_bodies_are_refused_and_the_server_survives_garbage() {
    use std::io::{Read, Write};
    let sandbox = sandbox();
    let agent = agent(std::time::Duration::from_secs(5));
    let big = "cfield0=".to_string() + &"x".repeat(70 * 1024);
    let reply = agent
        .post(format!("{}requestPINCode.aspx", sandbox.base_url()))
        .content_type("application/x-www-form-urlencoded")
        .send(&big);
    // The server may close the connection while the client is still sending.
    if let Ok(response) = reply {
        assert_eq!(response.status(), 413);
    }
    for garbage in [
        &b"\x00\x01\x02 garbage\r\n\r\n"[..],
        b"GET / HTTP/9.9\r\n\r\n",
        b"GET /API/login.aspx?%zz=%ff HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
    ] {
        let mut tcp = std::net::TcpStream::connect(sandbox.addr()).unwrap();
        tcp.write_all(garbage).unwrap();
        let mut sink = Vec::new();
        let _ = tcp.read_to_end(&mut sink);
    }
    // A body that is not a form is ignored rather than parsed.
    let json = agent
        .post(format!("{}requestPINCode.aspx", sandbox.base_url()))
        .content_type("application/json")
        .send("authcode=ytzw7h07nu9o4oxqbf49dpayuqvdnmzd")
        .unwrap()
        .body_mut()
        .read_to_string()
        .unwrap();
    assert_eq!(json, "NOTLOGGEDIN");
    let mut client = Client::new();
    pin_of(
        &client
            .get(
                &format!("{}requestPINCode.aspx", sandbox.base_url()),
                &[("authcode", TECH_CODE)],
            )
            .body,
    );
}

#[test]
fn many_concurrent_clients() {
    let sandbox = sandbox();
    let base = sandbox.base_url();
    let threads: Vec<_> = (0..8)
        .map(|i| {
            let base = base.clone();
            std::thread::spawn(move || {
                let mut client = Client::new();
                if i % 2 == 0 {
                    assert_eq!(
                        client
                            .post(
                                &format!("{base}login.aspx"),
                                &[("email", TECH), ("pwd", PASSWORD)]
                            )
                            .body,
                        "OK"
                    );
                }
                let auth: &[(&str, &str)] = if i % 2 == 0 {
                    &[]
                } else {
                    &[("authcode", TECH_CODE)]
                };
                (0..100)
                    .map(|_| {
                        pin_of(
                            &client
                                .get(&format!("{base}requestLensPINCode.aspx"), auth)
                                .body,
                        )
                    })
                    .collect::<Vec<_>>()
            })
        })
        .collect();
    let pins: Vec<String> = threads
        .into_iter()
        .flat_map(|t| t.join().unwrap())
        .collect();
    assert_eq!(pins.len(), 800);
    assert_eq!(pins.iter().collect::<HashSet<_>>().len(), 800);
    assert_eq!(sandbox.sessions().len(), 800);
}
