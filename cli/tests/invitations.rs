//! `rescue lens-pin --phone/--lang/--node-id` against a sandbox: the SMS result as a third
//! line or the JSON member `sms_result`, the page each invitation reaches (the sandbox's
//! inspection JSON), and what is refused before any traffic.

use std::process::{Command, Output};
use std::time::Duration;

use rescue_sandbox::{builtin_accounts, Config, Sandbox, SessionRecord, SMS_FAILED, SMS_SENT};

const PHONE: &str = "+1 555 0100";
const FAILING: &str = "+999 555 0100";

fn sandbox() -> Sandbox {
    Sandbox::start(Config {
        pin_interval: Duration::ZERO,
        ..Config::default()
    })
    .expect("sandbox")
}

fn authcode(email: &str) -> String {
    builtin_accounts()
        .into_iter()
        .find(|a| a.email == email)
        .expect("a built-in account")
        .authcode
}

/// Runs `rescue lens-pin --endpoint <sandbox> ARGS` as `email` (by authcode).
fn lens_pin(sandbox: &Sandbox, email: &str, args: &[&str]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_rescue"));
    command.args(["lens-pin", "--endpoint", &sandbox.base_url()]);
    command.args(args);
    for name in ["RESCUE_EMAIL", "RESCUE_PASSWORD"] {
        command.env_remove(name);
    }
    command.env("RESCUE_AUTHCODE", authcode(email));
    command.output().expect("rescue runs")
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

fn only_record(sandbox: &Sandbox) -> SessionRecord {
    let mut records = sandbox.sessions();
    assert_eq!(records.len(), 1, "{records:?}");
    records.pop().unwrap()
}

#[test]
fn the_sms_result_is_the_third_line() {
    for get in [false, true] {
        let sandbox = sandbox();
        let mut args = vec!["--phone", PHONE, "--lang", "DE"];
        if get {
            args.push("--get");
        }
        let output = lens_pin(&sandbox, "tech@sandbox.test", &args);
        assert_eq!(code(&output), 0, "{}", stderr(&output));
        let text = stdout(&output);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 3, "{text}");
        assert_eq!(
            lines[1],
            format!("https://secure.logmeinrescue.com/R?i=2&Code={}", lines[0])
        );
        assert_eq!(lines[2], SMS_SENT);
        let record = only_record(&sandbox);
        assert_eq!(record.pin, lines[0]);
        assert_eq!(record.call, "requestLensPINCode_v3.aspx");
        assert_eq!(record.transport, if get { "get" } else { "post" });
        let sent = record.invitation.expect("an invitation");
        assert_eq!(sent.phone_number.as_deref(), Some(PHONE));
        assert_eq!(sent.lang_code.as_deref(), Some("de"));
    }
}

#[test]
fn json_carries_sms_result_and_a_failed_sms_exits_zero() {
    let sandbox = sandbox();
    let output = lens_pin(
        &sandbox,
        "tech@sandbox.test",
        &["--json", "--phone", FAILING, "--lang", "fr"],
    );
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    let json: serde_json::Value = serde_json::from_str(&stdout(&output)).expect("JSON");
    assert_eq!(json["sms_result"], SMS_FAILED);
    let pin = json["pin"].as_str().expect("a PIN");
    assert_eq!(only_record(&sandbox).pin, pin);

    // Over SOAP: the same, through requestLensPINCodeV3.
    sandbox.reset();
    let output = lens_pin(
        &sandbox,
        "tech@sandbox.test",
        &["--json", "--transport", "soap12", "--phone", PHONE],
    );
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    let json: serde_json::Value = serde_json::from_str(&stdout(&output)).expect("JSON");
    assert_eq!(json["sms_result"], SMS_SENT);
    let record = only_record(&sandbox);
    assert_eq!(record.call, "requestLensPINCodeV3");
    assert_eq!(record.transport, "soap12");
}

#[test]
fn without_invitation_options_the_output_and_page_are_v1() {
    let sandbox = sandbox();
    let output = lens_pin(&sandbox, "tech@sandbox.test", &["--json"]);
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    let json: serde_json::Value = serde_json::from_str(&stdout(&output)).expect("JSON");
    assert!(json.get("sms_result").is_none(), "{json}");
    let record = only_record(&sandbox);
    assert_eq!(record.call, "requestLensPINCode.aspx");
    assert_eq!(record.invitation, None);
}

#[test]
fn node_id_makes_the_pin_for_another_technician() {
    let sandbox = sandbox();
    let output = lens_pin(
        &sandbox,
        "admin@sandbox.test",
        &["--node-id", "1001", "--lang", "nl"],
    );
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    let text = stdout(&output);
    let lines: Vec<&str> = text.lines().collect();
    // An invitation without a phone number: the third line is there, and empty.
    assert_eq!(lines.len(), 3, "{text:?}");
    assert_eq!(lines[2], "");
    let record = only_record(&sandbox);
    assert_eq!(record.pin, lines[0]);
    assert_eq!(record.call, "requestLensPINCode_v4.aspx");
    assert_eq!(record.technician, "tech@sandbox.test");
    assert_eq!(record.requested_by, "admin@sandbox.test");

    // No such technician: the service's ERROR, exit code 20 + 1.
    let output = lens_pin(&sandbox, "tech@sandbox.test", &["--node-id", "4242"]);
    assert_eq!(code(&output), 21, "{}", stderr(&output));
    assert!(
        stderr(&output).starts_with("rescue: ERROR"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn bad_invitations_exit_4_before_any_traffic() {
    let sandbox = sandbox();
    let long = "7".repeat(33);
    for (args, shown) in [
        (vec!["--lang", "it"], "lang_code"),
        (vec!["--phone", long.as_str()], "phone_number"),
        (vec!["--phone", "+44 7700\t900123"], "phone_number"),
        (vec!["--node-id", "12a"], "node_id"),
        (
            vec![
                "--transport",
                "soap11",
                "--phone",
                PHONE,
                "--node-id",
                "1001",
            ],
            "SOAP",
        ),
    ] {
        let output = lens_pin(&sandbox, "tech@sandbox.test", &args);
        assert_eq!(code(&output), 4, "{args:?}: {}", stderr(&output));
        let message = stderr(&output);
        assert!(message.starts_with("rescue: INVALID_ARGUMENT"), "{message}");
        assert!(message.contains(shown), "{message}");
        assert!(
            !message.contains("7700") && !message.contains("777"),
            "{message}"
        );
        assert!(stdout(&output).is_empty());
    }
    assert!(sandbox.sessions().is_empty(), "nothing reached the sandbox");
}
