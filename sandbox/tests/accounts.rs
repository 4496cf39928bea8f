//! Every built-in account's answers to every method, by GET and by POST.

mod common;

use common::*;

/// Expected (login, requestAuthCode, Lens PIN, desktop PIN, Lens PIN with notechconsole=1).
fn expected(email: &str) -> [&'static str; 5] {
    match email {
        "tech@sandbox.test" => ["OK", "AUTH", "PIN", "PIN", "PIN"],
        "offline@sandbox.test" => [
            "OK",
            "AUTH",
            "NOTECHCONSOLERUNNING",
            "NOTECHCONSOLERUNNING",
            "PIN",
        ],
        "admin@sandbox.test" => [
            "OK",
            "AUTH",
            "NOTTECHNICIAN",
            "NOTTECHNICIAN",
            "NOTTECHNICIAN",
        ],
        "nolens@sandbox.test" => [
            "OK",
            "AUTH",
            "NO_ACCESS_TO_LENS",
            "PIN",
            "NO_ACCESS_TO_LENS",
        ],
        "nopins@sandbox.test" => [
            "OK",
            "AUTH",
            "OUTOFPINCODES",
            "OUTOFPINCODES",
            "OUTOFPINCODES",
        ],
        "deleted@sandbox.test" => [
            "INVALID",
            "INVALID",
            "NOTLOGGEDIN",
            "NOTLOGGEDIN",
            "NOTLOGGEDIN",
        ],
        "disabled@sandbox.test" => [
            "INVALID",
            "INVALID",
            "NOTLOGGEDIN",
            "NOTLOGGEDIN",
            "NOTLOGGEDIN",
        ],
        "error@sandbox.test" => ["OK", "ERROR", "ERROR", "ERROR", "ERROR"],
        // login.aspx has no word for the IP restriction: ERROR, and no session.
        "iprestricted@sandbox.test" => {
            ["ERROR", "AUTH", "NOTLOGGEDIN", "NOTLOGGEDIN", "NOTLOGGEDIN"]
        }
        _ => unreachable!(),
    }
}

fn check(answer: &str, expected: &str, code: &str) {
    match expected {
        "PIN" => {
            pin_of(answer);
        }
        "AUTH" => assert_eq!(answer, format!("OK\r\nAUTHCODE:{code}")),
        word => assert_eq!(answer, word),
    }
}

fn every_account_with_a_login_session(post: bool) {
    let sandbox = sandbox();
    let base = sandbox.base_url();
    for (email, code) in ACCOUNTS {
        let want = expected(email);
        let mut client = Client::new();
        let login = client.call(
            post,
            &format!("{base}login.aspx"),
            &[("email", email), ("pwd", PASSWORD)],
        );
        assert_eq!(login.status, 200);
        assert_eq!(
            login.content_type.as_deref(),
            Some("text/plain; charset=utf-8")
        );
        assert_eq!(login.body, want[0], "{email} login");
        if login.body == "OK" {
            let cookie = login.set_cookie.unwrap();
            assert!(cookie.starts_with("ASP.NET_SessionId="), "{cookie}");
            assert!(cookie.ends_with("; path=/; HttpOnly"), "{cookie}");
            assert_eq!(
                cookie.split(';').next().unwrap().len(),
                "ASP.NET_SessionId=".len() + 24
            );
        } else {
            assert!(login.set_cookie.is_none());
        }
        let auth = client.call(
            post,
            &format!("{base}requestAuthCode.aspx"),
            &[("email", email), ("pwd", PASSWORD)],
        );
        check(&auth.body, want[1], code);
        let lens = client.call(post, &format!("{base}requestLensPINCode.aspx"), &[]);
        check(&lens.body, want[2], code);
        let desktop = client.call(
            post,
            &format!("{base}requestPINCode.aspx"),
            &[("notechconsole", "0")],
        );
        check(&desktop.body, want[3], code);
        let offline_ok = client.call(
            post,
            &format!("{base}requestLensPINCode.aspx"),
            &[("notechconsole", "1")],
        );
        check(&offline_ok.body, want[4], code);
    }
}

#[test]
fn every_account_with_a_login_session_by_get() {
    every_account_with_a_login_session(false);
}

#[test]
fn every_account_with_a_login_session_by_post() {
    every_account_with_a_login_session(true);
}

fn every_account_with_its_authcode(post: bool) {
    let sandbox = sandbox();
    let base = sandbox.base_url();
    for (email, code) in ACCOUNTS {
        let mut want = expected(email);
        match email {
            "deleted@sandbox.test" => want[2..].fill("USER_IS_DELETED"),
            "disabled@sandbox.test" => want[2..].fill("USER_DELETED_OR_DISABLED"),
            "iprestricted@sandbox.test" => want[2..].fill("PIN"),
            _ => {}
        }
        let mut client = Client::new();
        let lens = client.call(
            post,
            &format!("{base}requestLensPINCode.aspx"),
            &[("authcode", code)],
        );
        check(&lens.body, want[2], code);
        let desktop = client.call(
            post,
            &format!("{base}requestPINCode.aspx"),
            &[("authcode", code)],
        );
        check(&desktop.body, want[3], code);
        let params = [("authcode", code), ("notechconsole", "1")];
        let offline_ok = client.call(post, &format!("{base}requestLensPINCode.aspx"), &params);
        check(&offline_ok.body, want[4], code);
    }
    let mut client = Client::new();
    let wrong = client.call(
        post,
        &format!("{base}requestPINCode.aspx"),
        &[("authcode", "nope")],
    );
    assert_eq!(wrong.body, "INVALID_SECRETAUTHCODE");
    let none = client.call(post, &format!("{base}requestPINCode.aspx"), &[]);
    assert_eq!(none.body, "NOTLOGGEDIN");
}

#[test]
fn every_account_with_its_authcode_by_get() {
    every_account_with_its_authcode(false);
}

#[test]
fn every_account_with_its_authcode_by_post() {
    every_account_with_its_authcode(true);
}

#[test]
fn wrong_credentials_are_invalid() {
    let sandbox = sandbox();
    let base = sandbox.base_url();
    let mut client = Client::new();
    for params in [
        &[("email", TECH), ("pwd", "wrong")][..],
        &[("email", "nobody@sandbox.test"), ("pwd", PASSWORD)][..],
        &[("email", TECH)][..],
        &[][..],
    ] {
        assert_eq!(
            client.get(&format!("{base}login.aspx"), params).body,
            "INVALID"
        );
        assert_eq!(
            client
                .post(&format!("{base}requestAuthCode.aspx"), params)
                .body,
            "INVALID"
        );
    }
    assert!(client.cookie.is_none());
}

#[test]
fn names_paths_and_emails_ignore_case() {
    let sandbox = sandbox();
    let root = sandbox.root_url();
    let mut client = Client::new();
    let login = client.post(
        &format!("{root}api/LOGIN.ASPX"),
        &[("EMAIL", "Tech@Sandbox.TEST"), ("Pwd", PASSWORD)],
    );
    assert_eq!(login.body, "OK");
    let pin = client.get(
        &format!("{root}API/requestlenspincode.aspx"),
        &[("CFIELD0", "upper")],
    );
    pin_of(&pin.body);
    let by_code = client.get(
        &format!("{root}Api/RequestPinCode.aspx"),
        &[("AuthCode", TECH_CODE)],
    );
    pin_of(&by_code.body);
    assert_eq!(sandbox.sessions()[0].cfield0.as_deref(), Some("upper"));
    // The password and the authcode themselves are secrets and match exactly.
    let upper = client.get(
        &format!("{root}API/requestAuthCode.aspx"),
        &[("email", TECH), ("pwd", "SANDBOX")],
    );
    assert_eq!(upper.body, "INVALID");
    let upper = client.get(
        &format!("{root}API/requestPINCode.aspx"),
        &[("authcode", &TECH_CODE.to_uppercase())],
    );
    assert_eq!(upper.body, "INVALID_SECRETAUTHCODE");
}

#[test]
fn unknown_methods_and_paths_are_404_and_other_verbs_405() {
    let sandbox = sandbox();
    let mut client = Client::new();
    assert_eq!(
        client
            .get(&format!("{}getSession_v3.aspx", sandbox.base_url()), &[])
            .status,
        404
    );
    assert_eq!(
        client
            .get(&format!("{}login", sandbox.base_url()), &[])
            .status,
        404
    );
    assert_eq!(client.get(&sandbox.root_url(), &[]).status, 404);
    let agent = agent(std::time::Duration::from_secs(5));
    let put = agent
        .put(format!("{}login.aspx", sandbox.base_url()))
        .send("")
        .unwrap();
    assert_eq!(put.status(), 405);
}

#[test]
fn the_first_of_repeated_parameters_wins_and_query_beats_form() {
    let sandbox = sandbox();
    let mut client = Client::new();
    let url = format!(
        "{}requestLensPINCode.aspx?cfield0=query",
        sandbox.base_url()
    );
    let params = [
        ("authcode", TECH_CODE),
        ("cfield0", "form"),
        ("cfield1", "one"),
        ("CFIELD1", "two"),
    ];
    pin_of(&client.post(&url, &params).body);
    let record = &sandbox.sessions()[0];
    assert_eq!(record.cfield0.as_deref(), Some("query"));
    assert_eq!(record.cfield1.as_deref(), Some("one"));
    assert_eq!(record.method, "POST");
}

#[test]
fn an_empty_authcode_falls_back_to_the_session() {
    let sandbox = sandbox();
    let base = sandbox.base_url();
    let mut client = Client::new();
    assert_eq!(
        client
            .get(&format!("{base}requestPINCode.aspx"), &[("authcode", "")])
            .body,
        "NOTLOGGEDIN"
    );
    client.get(
        &format!("{base}login.aspx"),
        &[("email", TECH), ("pwd", PASSWORD)],
    );
    pin_of(
        &client
            .get(&format!("{base}requestPINCode.aspx"), &[("authcode", "")])
            .body,
    );
}

#[test]
fn accounts_file_replaces_the_builtin_set() {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/accounts.example.toml"
    ))
    .unwrap();
    let accounts = rescue_sandbox::parse_accounts(&text).unwrap();
    assert!(!accounts.is_empty());
    let first = accounts[0].clone();
    let sandbox = rescue_sandbox::Sandbox::start(rescue_sandbox::Config {
        accounts,
        ..Default::default()
    })
    .unwrap();
    let mut client = Client::new();
    let base = sandbox.base_url();
    let reply = client.get(
        &format!("{base}requestAuthCode.aspx"),
        &[("email", &first.email), ("pwd", &first.password)],
    );
    assert_eq!(reply.body, format!("OK\r\nAUTHCODE:{}", first.authcode));
    let builtin = client.get(
        &format!("{base}login.aspx"),
        &[("email", TECH), ("pwd", PASSWORD)],
    );
    assert_eq!(builtin.body, "INVALID");
}

#[test]
fn accounts_file_errors_are_reported() {
    let bad = [
        "",
        "[[account]]\nemail = \"a@x\"\npassword = \"p\"\nauthcode = \"c\"\nbehaviour = \"sleepy\"\n",
        "[[account]]\nemail = \"a@x\"\npassword = \"p\"\nauthcode = \"c\"\nbehaviour = \"ok\"\ncolour = 1\n",
        "[[account]]\nemail = \"a@x\"\npassword = \"p\"\nauthcode = \"c\"\nbehaviour = \"ok\"\n\
         [[account]]\nemail = \"A@X\"\npassword = \"p\"\nauthcode = \"d\"\nbehaviour = \"ok\"\n",
    ];
    for text in bad {
        assert!(rescue_sandbox::parse_accounts(text).is_err(), "{text}");
    }
    let snake = "[[account]]\nemail = \"a@x\"\npassword = \"p\"\nauthcode = \"c\"\nbehaviour = \"console_offline\"\n";
    assert_eq!(
        rescue_sandbox::parse_accounts(snake).unwrap()[0].behaviour,
        rescue_sandbox::Behaviour::ConsoleOffline
    );
}

#[test]
fn debug_output_hides_passwords_and_authcodes() {
    for account in rescue_sandbox::builtin_accounts() {
        let shown = format!("{account:?}");
        assert!(shown.contains(&account.email), "{shown}");
        assert!(!shown.contains(&account.authcode), "{shown}");
        assert!(!shown.contains("\"sandbox\""), "{shown}");
    }
}
