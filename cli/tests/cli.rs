//! The `rescue` binary against a sandbox: output, fields and one exit code per failure.

use std::process::{Command, Output};
use std::time::Duration;

use rescue_sandbox::{builtin_accounts, Config, Sandbox};

const PASSWORD: &str = "sandbox";

fn sandbox() -> Sandbox {
    Sandbox::start(Config {
        pin_interval: Duration::ZERO,
        ..Config::default()
    })
    .expect("sandbox")
}

/// Runs `rescue` with only the given RESCUE_* variables set.
fn rescue(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_rescue"));
    command.args(args);
    for name in ["RESCUE_EMAIL", "RESCUE_PASSWORD", "RESCUE_AUTHCODE"] {
        command.env_remove(name);
    }
    command.envs(env.iter().copied());
    command.output().expect("rescue runs")
}

fn login_env(email: &str) -> [(&str, &str); 2] {
    [("RESCUE_EMAIL", email), ("RESCUE_PASSWORD", PASSWORD)]
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).expect("UTF-8")
}

fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).expect("UTF-8")
}

fn code(output: &Output) -> i32 {
    output.status.code().expect("exited")
}

#[test]
fn lens_pin_against_the_in_process_sandbox() {
    let output = rescue(&["lens-pin", "--sandbox"], &[]);
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    let text = stdout(&output);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 2, "{text}");
    assert!(
        lines[0].len() == 6 && lines[0].bytes().all(|b| b.is_ascii_digit()),
        "{text}"
    );
    assert_eq!(
        lines[1],
        format!("https://secure.logmeinrescue.com/R?i=2&Code={}", lines[0])
    );
}

#[test]
fn json_output_and_fields_reach_the_service() {
    let sandbox = sandbox();
    let base = sandbox.base_url();
    let output = rescue(
        &[
            "pin",
            "--endpoint",
            &base,
            "--json",
            "--cfield0",
            "Jane & Co",
            "--tracking0",
            "t-1",
            "--notechconsole",
            "--get",
        ],
        &login_env("tech@sandbox.test"),
    );
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    let json: serde_json::Value = serde_json::from_str(&stdout(&output)).expect("JSON");
    let record = sandbox.sessions().pop().expect("a session");
    assert_eq!(json["pin"], record.pin.as_str());
    assert_eq!(
        json["join_url"],
        format!("https://secure.logmeinrescue.com/R?i=2&Code={}", record.pin)
    );
    assert_eq!(record.kind, "desktop");
    assert_eq!(record.method, "GET");
    assert_eq!(record.cfield0.as_deref(), Some("Jane & Co"));
    assert_eq!(record.tracking0.as_deref(), Some("t-1"));
    assert_eq!(record.notechconsole.as_deref(), Some("1"));
}

#[test]
fn auth_code_and_authcode_login() {
    let sandbox = sandbox();
    let base = sandbox.base_url();
    let output = rescue(
        &["auth-code", "--endpoint", &base],
        &login_env("tech@sandbox.test"),
    );
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    let code_text = stdout(&output).trim().to_owned();
    let expected = &builtin_accounts()[0];
    assert_eq!(expected.email, "tech@sandbox.test");
    assert_eq!(code_text, expected.authcode);
    let output = rescue(
        &["lens-pin", "--endpoint", &base],
        &[("RESCUE_AUTHCODE", &code_text)],
    );
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    assert_eq!(sandbox.sessions().len(), 1);
}

#[test]
fn one_exit_code_per_failure_class() {
    let sandbox = sandbox();
    let base = sandbox.base_url();
    let refused = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        let port = listener.local_addr().expect("addr").port();
        format!("http://127.0.0.1:{port}/API/")
    };
    // (arguments, environment, exit code, word on stderr)
    type Case<'a> = (Vec<String>, Vec<(&'a str, &'a str)>, i32, &'a str);
    let cases: Vec<Case> = vec![
        (
            vec!["lens-pin".into(), "--endpoint".into(), base.clone()],
            vec![],
            3,
            "no credentials",
        ),
        (
            vec!["lens-pin".into(), "--endpoint".into(), "ftp://x/".into()],
            login_env("tech@sandbox.test").to_vec(),
            4,
            "INVALID_ARGUMENT",
        ),
        (
            vec![
                "lens-pin".into(),
                "--endpoint".into(),
                base.clone(),
                "--cfield0".into(),
                "x".repeat(65),
            ],
            login_env("tech@sandbox.test").to_vec(),
            5,
            "FIELD_TOO_LONG",
        ),
        (
            vec!["lens-pin".into(), "--endpoint".into(), refused],
            login_env("tech@sandbox.test").to_vec(),
            6,
            "NETWORK",
        ),
        (
            vec![
                "lens-pin".into(),
                "--endpoint".into(),
                sandbox.fault_url("hang"),
                "--timeout".into(),
                "0.5".into(),
            ],
            vec![("RESCUE_AUTHCODE", "x")],
            7,
            "TIMEOUT",
        ),
        (
            vec![
                "lens-pin".into(),
                "--endpoint".into(),
                sandbox.fault_url("status-500"),
            ],
            vec![("RESCUE_AUTHCODE", "x")],
            9,
            "HTTP_STATUS",
        ),
        (
            vec![
                "lens-pin".into(),
                "--endpoint".into(),
                sandbox.fault_url("unknown"),
            ],
            vec![("RESCUE_AUTHCODE", "x")],
            10,
            "UNEXPECTED_RESPONSE",
        ),
        (
            vec!["lens-pin".into(), "--endpoint".into(), base.clone()],
            vec![
                ("RESCUE_EMAIL", "tech@sandbox.test"),
                ("RESCUE_PASSWORD", "wrong-pw-4711"),
            ],
            22,
            "INVALID",
        ),
        (
            vec!["lens-pin".into(), "--endpoint".into(), base.clone()],
            login_env("admin@sandbox.test").to_vec(),
            25,
            "NOTTECHNICIAN",
        ),
        (
            vec!["lens-pin".into(), "--endpoint".into(), base.clone()],
            login_env("offline@sandbox.test").to_vec(),
            26,
            "NOTECHCONSOLERUNNING",
        ),
        (
            vec!["lens-pin".into(), "--endpoint".into(), base.clone()],
            vec![("RESCUE_AUTHCODE", "unknown-code-4711")],
            29,
            "INVALID_SECRETAUTHCODE",
        ),
        (
            vec!["lens-pin".into(), "--endpoint".into(), base.clone()],
            login_env("nolens@sandbox.test").to_vec(),
            32,
            "NO_ACCESS_TO_LENS",
        ),
        (
            vec!["lens-pin".into(), "--bogus-flag".into()],
            vec![],
            2,
            "--bogus-flag",
        ),
    ];
    for (args, env, expected, word) in cases {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let output = rescue(&args, &env);
        let err = stderr(&output);
        assert_eq!(code(&output), expected, "{args:?}: {err}");
        assert!(err.contains(word), "{args:?}: {err}");
        assert!(stdout(&output).is_empty(), "{args:?}");
        if expected != 2 {
            assert_eq!(err.lines().count(), 1, "one line: {err}");
        }
        assert!(
            !err.contains("wrong-pw-4711") && !err.contains("unknown-code-4711"),
            "{err}"
        );
    }
}

#[test]
fn tls_exit_code_and_ca_file() {
    let sandbox = Sandbox::start(Config {
        tls: true,
        ..Config::default()
    })
    .expect("sandbox");
    let base = sandbox.base_url();
    let output = rescue(
        &["lens-pin", "--endpoint", &base],
        &login_env("tech@sandbox.test"),
    );
    assert_eq!(code(&output), 8, "{}", stderr(&output));
    let ca = std::env::temp_dir().join(format!("rescue-cli-ca-{}.pem", std::process::id()));
    std::fs::write(&ca, sandbox.cert_pem().expect("pem")).expect("write");
    let ca_arg = ca.to_str().expect("path");
    let output = rescue(
        &["lens-pin", "--endpoint", &base, "--ca-file", ca_arg],
        &login_env("tech@sandbox.test"),
    );
    std::fs::remove_file(&ca).ok();
    assert_eq!(code(&output), 0, "{}", stderr(&output));
}

#[test]
fn rescue_sandbox_serves_until_terminated() {
    use std::io::{BufRead, BufReader};
    use std::process::Stdio;

    let mut server = Command::new(env!("CARGO_BIN_EXE_rescue"))
        .args(["sandbox", "--pin-interval-ms", "0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("rescue sandbox starts");
    let mut url = String::new();
    BufReader::new(server.stdout.take().expect("stdout"))
        .read_line(&mut url)
        .expect("the URL line");
    let url = url.trim().to_owned();
    let output = rescue(
        &["lens-pin", "--endpoint", &url],
        &login_env("tech@sandbox.test"),
    );
    let status = Command::new("kill")
        .arg(server.id().to_string())
        .status()
        .expect("kill runs");
    assert!(status.success());
    let exit = server.wait().expect("the sandbox exits");
    assert!(
        url.starts_with("http://127.0.0.1:") && url.ends_with("/API/"),
        "{url}"
    );
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    assert_eq!(exit.code(), Some(0), "a clean exit on SIGTERM");
}

#[test]
fn verbose_flags_log_to_stderr_without_secrets() {
    let sandbox = sandbox();
    let endpoint = sandbox.base_url();
    let quiet = rescue(
        &["lens-pin", "--endpoint", &endpoint],
        &login_env("tech@sandbox.test"),
    );
    assert_eq!(code(&quiet), 0, "{}", stderr(&quiet));
    assert_eq!(stderr(&quiet), "", "silent without -v");
    let args = [
        "lens-pin",
        "--endpoint",
        &endpoint,
        "--cfield0",
        "Field-Never-Logged",
    ];
    let info = rescue(
        &[&args[..], &["-v"]].concat(),
        &login_env("tech@sandbox.test"),
    );
    assert!(
        stderr(&info).contains("rescue: INFO: logged in"),
        "{}",
        stderr(&info)
    );
    assert!(!stderr(&info).contains("DEBUG"), "{}", stderr(&info));
    let trace = rescue(
        &[&args[..], &["-vvv"]].concat(),
        &login_env("tech@sandbox.test"),
    );
    let log = stderr(&trace);
    for event in [
        "INFO: logged in",
        "DEBUG: requestLensPINCode.aspx answered OK",
        "TRACE",
        "pwd=(secret)",
        "cfield0=(18 chars)",
    ] {
        assert!(log.contains(event), "{event:?} missing:\n{log}");
    }
    assert!(
        !log.contains("pwd=sandbox") && !log.contains("Field-Never-Logged"),
        "{log}"
    );
    // The PIN on stdout is unchanged by logging.
    assert_eq!(stdout(&trace).lines().count(), 2);
}
