//! Requests go through a configured proxy.

mod common;

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use common::*;
use rescue::{Client, ErrorKind, PinRequest};

/// A minimal `CONNECT` proxy on loopback that counts the tunnels it opened to `target`.
/// (A test fixture: the library itself never speaks HTTP by hand.)
fn connect_proxy(target: std::net::SocketAddr) -> (String, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("addr"));
    let tunnels = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&tunnels);
    std::thread::spawn(move || {
        for client in listener.incoming().flatten() {
            let mut reader = BufReader::new(client.try_clone().expect("clone"));
            let mut head = String::new();
            while reader.read_line(&mut head).unwrap_or(0) > 2 && !head.ends_with("\r\n\r\n") {}
            if !head.starts_with(&format!("CONNECT {target} ")) {
                continue; // dropped: the client sees the connection close
            }
            counter.fetch_add(1, Ordering::SeqCst);
            let mut client = client;
            let upstream = TcpStream::connect(target).expect("upstream");
            client
                .write_all(b"HTTP/1.1 200 Connection established\r\n\r\n")
                .expect("reply");
            let (mut up_read, mut up_write) = (upstream.try_clone().expect("clone"), upstream);
            let mut client_write = client.try_clone().expect("clone");
            std::thread::spawn(move || std::io::copy(&mut reader, &mut up_write));
            std::thread::spawn(move || std::io::copy(&mut up_read, &mut client_write));
        }
    });
    (url, tunnels)
}

#[test]
fn an_explicit_proxy_carries_every_request() {
    let sandbox = sandbox();
    let (proxy, tunnels) = connect_proxy(sandbox.addr());
    let client = Client::builder()
        .base_url(sandbox.base_url())
        .proxy(proxy)
        .build()
        .expect("client");
    client
        .login(TECH, PASSWORD)
        .expect("login through the proxy");
    assert!(client.request_lens_pin(&PinRequest::new()).is_ok());
    assert_eq!(sandbox.sessions().len(), 1);
    assert!(
        tunnels.load(Ordering::SeqCst) >= 1,
        "the requests went through the proxy"
    );
}

#[test]
fn an_unreachable_proxy_is_a_network_error() {
    let nowhere = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = nowhere.local_addr().expect("addr").port();
    drop(nowhere);
    let sandbox = sandbox();
    let client = Client::builder()
        .base_url(sandbox.base_url())
        .proxy(format!("http://127.0.0.1:{port}"))
        .build()
        .expect("client");
    let error = client.login(TECH, PASSWORD).expect_err("no proxy there");
    assert_eq!(error.kind(), ErrorKind::Network, "{error}");
    assert!(sandbox.sessions().is_empty());
}
