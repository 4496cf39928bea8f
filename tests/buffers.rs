//! The transport's buffers are sized for this service (a few KiB, not ureq's 128 KiB per
//! direction): the longest request still goes out, the 64 KiB answer cap still holds, and
//! an oversized answer head is a clear `UNEXPECTED_RESPONSE`, over real HTTP.

mod common;

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use common::*;
use rescue::{Client, ErrorKind, PinRequest, Transport};
use rescue_sandbox::Config;

/// A PIN request with every field at its documented limit in 4-byte UTF-8 characters: the
/// longest request line there is over GET (each character is 12 bytes percent-encoded).
fn longest_request() -> (PinRequest, Vec<String>) {
    let values: Vec<String> = [64, 512, 512, 256, 64, 64, 64]
        .iter()
        .map(|&n| "😀".repeat(n))
        .collect();
    let request = PinRequest::new()
        .cfield0(values[0].clone())
        .cfield1(values[1].clone())
        .cfield2(values[2].clone())
        .cfield3(values[3].clone())
        .cfield4(values[4].clone())
        .cfield5(values[5].clone())
        .tracking0(values[6].clone())
        .authcode(&authcode(TECH));
    (request, values)
}

#[test]
fn the_longest_request_goes_out_over_every_transport() {
    let sandbox = sandbox();
    every_transport(|method| {
        let client = client(&sandbox.base_url(), method);
        let (request, values) = longest_request();
        let pin = client
            .request_lens_pin(&request)
            .unwrap_or_else(|e| panic!("{}: {e}", method.name()));
        let record = sandbox.sessions().pop().expect("one session");
        assert_eq!(record.pin, pin.as_str());
        let sent = [
            record.cfield0,
            record.cfield1,
            record.cfield2,
            record.cfield3,
            record.cfield4,
            record.cfield5,
            record.tracking0,
        ];
        for (got, want) in sent.iter().zip(&values) {
            assert_eq!(got.as_deref(), Some(want.as_str()), "{}", method.name());
        }
    });
}

#[test]
fn answers_over_64_kib_are_unexpected_responses_plain_and_tls() {
    let sandbox = sandbox();
    every_transport(|method| {
        let client = client(&sandbox.fault_url("huge"), method);
        let error = client
            .request_lens_pin(&PinRequest::new().authcode(&authcode(TECH)))
            .expect_err("a 64 MiB answer");
        assert_eq!(error.kind(), ErrorKind::UnexpectedResponse, "{error}");
        assert!(
            error.to_string().contains("longer than 65536 bytes"),
            "{error}"
        );
    });

    let tls = sandbox_with(Config {
        tls: true,
        pin_interval: Duration::ZERO,
        ..Config::default()
    });
    let dir = std::env::temp_dir().join(format!("rescue-buffers-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let ca = dir.join("sandbox.pem");
    std::fs::write(&ca, tls.cert_pem().expect("a certificate")).expect("write");
    let client = Client::builder()
        .base_url(tls.fault_url("huge"))
        .ca_file(&ca)
        .timeout(Duration::from_secs(10))
        .build()
        .expect("client");
    let error = client
        .request_lens_pin(&PinRequest::new().authcode(&authcode(TECH)))
        .expect_err("a 64 MiB answer over TLS");
    assert_eq!(error.kind(), ErrorKind::UnexpectedResponse, "{error}");
    assert!(
        error.to_string().contains("longer than 65536 bytes"),
        "{error}"
    );
    std::fs::remove_dir_all(&dir).ok();
}

/// A server on loopback that answers each of `answers` to one connection, in turn, then
/// stops. It gives up after 20 s without a client, so a failing test cannot hang.
fn raw_server(answers: Vec<Vec<u8>>) -> (String, JoinHandle<()>) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind loopback");
    let base = format!("http://{}/API/", listener.local_addr().expect("address"));
    listener.set_nonblocking(true).expect("non-blocking");
    let thread = std::thread::spawn(move || {
        let give_up = Instant::now() + Duration::from_secs(20);
        for answer in answers {
            let mut stream = loop {
                match listener.accept() {
                    Ok((stream, _)) => break stream,
                    Err(_) if Instant::now() < give_up => {
                        std::thread::sleep(Duration::from_millis(5))
                    }
                    Err(_) => return,
                }
            };
            stream.set_nonblocking(false).expect("blocking");
            stream
                .set_read_timeout(Some(Duration::from_secs(10)))
                .expect("timeout");
            read_request(&mut stream);
            // The client may stop reading (and close) before the whole answer is written.
            let _ = stream.write_all(&answer);
        }
    });
    (base, thread)
}

/// Reads one request: its head, then its body by Content-Length.
fn read_request(stream: &mut TcpStream) {
    let mut seen = Vec::new();
    let mut byte = [0u8; 1024];
    let head_end = loop {
        if let Some(at) = seen.windows(4).position(|w| w == b"\r\n\r\n") {
            break at + 4;
        }
        match stream.read(&mut byte) {
            Ok(0) | Err(_) => return,
            Ok(n) => seen.extend_from_slice(&byte[..n]),
        }
    };
    let head = String::from_utf8_lossy(&seen[..head_end]).to_ascii_lowercase();
    let length: usize = head
        .lines()
        .find_map(|line| line.strip_prefix("content-length:"))
        .and_then(|value| value.trim().parse().ok())
        .unwrap_or(0);
    while seen.len() < head_end + length {
        match stream.read(&mut byte) {
            Ok(0) | Err(_) => return,
            Ok(n) => seen.extend_from_slice(&byte[..n]),
        }
    }
}

/// An HTTP 200 with `headers` extra header bytes (in 100-byte lines) and `body`.
fn answer(headers: usize, body: &[u8]) -> Vec<u8> {
    let mut out = b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n".to_vec();
    let line = format!("X-Filler: {}\r\n", "f".repeat(88));
    assert_eq!(line.len(), 100);
    for _ in 0..headers / 100 {
        out.extend_from_slice(line.as_bytes());
    }
    out.extend_from_slice(format!("Content-Length: {}\r\n\r\n", body.len()).as_bytes());
    out.extend_from_slice(body);
    out
}

fn pin_from(base: &str) -> Result<rescue::Pin, rescue::Error> {
    client(base, Transport::HttpPost).request_lens_pin(&PinRequest::new().authcode("a"))
}

#[test]
fn oversized_answer_heads_are_unexpected_responses() {
    let pin = b"OK\r\nPINCODE:012345";
    let (base, server) = raw_server(vec![
        // 7 KiB of headers: under the 8 KiB cap, read as usual.
        answer(7 * 1024, pin),
        // 9 KiB: over the cap, though it fits the read buffer.
        answer(9 * 1024, pin),
        // 1 MiB: far over both the cap and the read buffer.
        answer(1024 * 1024, pin),
        // One 100 KiB header line.
        [
            b"HTTP/1.1 200 OK\r\nX-Long: ".as_slice(),
            &[b'x'; 100 * 1024],
            b"\r\nContent-Length: 18\r\n\r\n",
            pin,
        ]
        .concat(),
    ]);
    let under = pin_from(&base).expect("7 KiB of headers are fine");
    assert_eq!(under.as_str(), "012345");
    for what in ["9 KiB", "1 MiB", "one 100 KiB line"] {
        let error = pin_from(&base).expect_err(what);
        assert_eq!(
            error.kind(),
            ErrorKind::UnexpectedResponse,
            "{what}: {error}"
        );
        // ureq's parser also refuses more than 128 headers, which 1 MiB of lines are first.
        let why = match what {
            "1 MiB" => "too many headers",
            _ => "headers longer than 8192 bytes",
        };
        assert!(error.to_string().contains(why), "{what}: {error}");
    }
    server.join().expect("the server thread");
}

#[test]
fn the_body_cap_is_exactly_64_kib() {
    // 65,536 bytes are read (and refused for what they say); one more is over the cap.
    let at_cap = [b"OK\r\nPINCODE:012345".as_slice(), &[b' '; 65536 - 18]].concat();
    let over_cap = [at_cap.as_slice(), b" "].concat();
    let (base, server) = raw_server(vec![answer(0, &at_cap), answer(0, &over_cap)]);
    let at = pin_from(&base).map(|pin| pin.as_str().to_owned());
    if let Err(error) = &at {
        assert!(!error.to_string().contains("longer than"), "{error}");
    }
    let over = pin_from(&base).expect_err("one byte over the cap");
    assert_eq!(over.kind(), ErrorKind::UnexpectedResponse, "{over}");
    assert!(
        over.to_string().contains("longer than 65536 bytes"),
        "{over}"
    );
    server.join().expect("the server thread");
}
