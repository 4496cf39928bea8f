//! A minimal `CONNECT` proxy on loopback for tests (a fixture: the library itself never
//! speaks HTTP by hand). Included with `#[path]` by the test files that need it.

use std::io::{BufRead, BufReader, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

/// A proxy that tunnels every `CONNECT` whose target starts with `accept` to `upstream`
/// and counts those tunnels; it drops any other request. Returns its URL and the count.
pub fn connect_proxy_to(accept: String, upstream: SocketAddr) -> (String, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("addr"));
    let tunnels = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&tunnels);
    std::thread::spawn(move || {
        for client in listener.incoming().flatten() {
            let mut reader = BufReader::new(client.try_clone().expect("clone"));
            let mut head = String::new();
            while reader.read_line(&mut head).unwrap_or(0) > 2 && !head.ends_with("\r\n\r\n") {}
            if !head.starts_with(&format!("CONNECT {accept}")) {
                continue; // dropped: the client sees the connection close
            }
            counter.fetch_add(1, Ordering::SeqCst);
            let mut client = client;
            let upstream = TcpStream::connect(upstream).expect("upstream");
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

/// A proxy that tunnels `CONNECT` requests for `target` itself.
pub fn connect_proxy(target: SocketAddr) -> (String, Arc<AtomicUsize>) {
    connect_proxy_to(format!("{target} "), target)
}

/// A loopback URL on which nothing listens.
pub fn dead_url() -> String {
    let nowhere = TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = nowhere.local_addr().expect("addr").port();
    drop(nowhere);
    format!("http://127.0.0.1:{port}")
}
