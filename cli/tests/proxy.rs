//! `rescue` with proxies in its environment: `--sandbox` (on loopback) never goes through
//! them; `--proxy` always does; a dead proxy is named in the error, without credentials.
//! Each case runs the binary with its own environment, so nothing here races.

use std::net::TcpListener;
use std::process::{Command, Output};

const PROXY_VARS: [&str; 6] = [
    "ALL_PROXY",
    "all_proxy",
    "HTTPS_PROXY",
    "https_proxy",
    "HTTP_PROXY",
    "http_proxy",
];

/// Runs `rescue` with the proxy variables cleared, then `env` set.
fn rescue(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_rescue"));
    command.args(args);
    for name in PROXY_VARS.iter().chain(&["NO_PROXY", "no_proxy"]) {
        command.env_remove(name);
    }
    command.envs(env.iter().copied());
    command.output().expect("rescue runs")
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// A loopback proxy URL on which nothing listens.
fn dead_proxy() -> String {
    let nowhere = TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = nowhere.local_addr().expect("addr").port();
    format!("http://127.0.0.1:{port}")
}

#[test]
fn sandbox_works_with_each_proxy_variable_set() {
    let dead = dead_proxy();
    for var in PROXY_VARS {
        let output = rescue(&["lens-pin", "--sandbox", "--json"], &[(var, &dead)]);
        assert_eq!(output.status.code(), Some(0), "{var}: {}", stderr(&output));
        assert!(String::from_utf8_lossy(&output.stdout).contains("\"pin\""));
    }
    // The README's own example of a dead proxy.
    let output = rescue(
        &["lens-pin", "--sandbox"],
        &[("HTTP_PROXY", "http://127.0.0.1:1")],
    );
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
}

#[test]
fn a_dead_explicit_proxy_is_named() {
    let dead = dead_proxy();
    let with_credentials = dead.replace("http://", "http://proxyuser:s3cret@");
    let output = rescue(
        &["lens-pin", "--sandbox", "--proxy", &with_credentials],
        &[],
    );
    let text = stderr(&output);
    assert_eq!(output.status.code(), Some(6), "{text}");
    assert!(
        text.contains(&format!(
            "could not connect to the proxy {dead} (from the proxy option)"
        )),
        "{text}"
    );
    assert!(
        !text.contains("s3cret") && !text.contains("proxyuser"),
        "{text}"
    );
}

#[test]
fn a_dead_environment_proxy_off_this_machine_is_named_with_its_variable() {
    let dead = dead_proxy();
    let with_credentials = dead.replace("http://", "http://proxyuser:s3cret@");
    for var in PROXY_VARS {
        let output = rescue(
            &["lens-pin", "--endpoint", "https://rescue.invalid/API/"],
            &[
                (var, &with_credentials),
                ("RESCUE_EMAIL", "tech@sandbox.test"),
                ("RESCUE_PASSWORD", "sandbox"),
            ],
        );
        let text = stderr(&output);
        assert_eq!(output.status.code(), Some(6), "{var}: {text}");
        assert!(
            text.contains(&format!(
                "could not connect to the proxy {dead} (from {var})"
            )),
            "{text}"
        );
        assert!(
            !text.contains("s3cret") && !text.contains("proxyuser"),
            "{text}"
        );
    }
}
