//! Lens SMS invitations: `requestLensPINCode_v3.aspx` / `_v4.aspx` by GET and POST and
//! SOAP `requestLensPINCodeV3`, over real HTTP; what they answer and what they record.

mod common;

use std::time::Duration;

use common::*;
use rescue_sandbox::{Config, InvitationRecord, Sandbox, SessionRecord, SMS_FAILED, SMS_SENT};

const NS: &str = "https://secure.logmeinrescue.com/API/API.asmx";
const V3: &str = "requestLensPINCode_v3.aspx";
const V4: &str = "requestLensPINCode_v4.aspx";
const PHONE: &str = "+1 555 0100";
const FAILING: &str = "+999 555 0100";
const OFFLINE: &str = "offline@sandbox.test";
const ADMIN: &str = "admin@sandbox.test";

/// `OK\r\nPINCODE:dddddd\r\nSMS_RESULT: <word>`: the PIN and the word.
fn pin_and_sms(body: &str) -> (String, String) {
    let (head, sms) = body
        .split_once("\r\nSMS_RESULT: ")
        .unwrap_or_else(|| panic!("no SMS_RESULT line: {body:?}"));
    (pin_of(head), sms.to_owned())
}

fn only_record(sandbox: &Sandbox) -> SessionRecord {
    let mut records = sandbox.sessions();
    assert_eq!(records.len(), 1, "{records:?}");
    records.pop().unwrap()
}

fn invitation(record: &SessionRecord) -> &InvitationRecord {
    record.invitation.as_ref().expect("an invitation record")
}

#[test]
fn v3_texts_the_pin_by_get_and_post() {
    for post in [false, true] {
        let sandbox = sandbox();
        let mut client = Client::new();
        let reply = client.call(
            post,
            &format!("{}{V3}", sandbox.base_url()),
            &[
                ("authcode", TECH_CODE),
                ("cfield0", "Jane"),
                ("PhoneNumber", PHONE),
                ("LangCode", "de"),
            ],
        );
        assert_eq!(reply.status, 200);
        assert_eq!(
            reply.content_type.as_deref(),
            Some("text/plain; charset=utf-8")
        );
        let (pin, sms) = pin_and_sms(&reply.body);
        assert_eq!(sms, SMS_SENT);
        let record = only_record(&sandbox);
        assert_eq!(record.pin, pin);
        assert_eq!(record.kind, "lens");
        assert_eq!(record.call, V3);
        assert_eq!(record.transport, if post { "post" } else { "get" });
        assert_eq!(record.technician, TECH);
        assert_eq!(record.requested_by, TECH);
        assert_eq!(record.cfield0.as_deref(), Some("Jane"));
        let sent = invitation(&record);
        assert_eq!(sent.phone_number.as_deref(), Some(PHONE));
        assert_eq!(sent.lang_code.as_deref(), Some("de"));
        assert_eq!(sent.node_id, None);
        assert_eq!(sent.sms_result.as_deref(), Some(SMS_SENT));
        let text = sent.sms_text.as_deref().unwrap();
        assert!(text.starts_with("Ihr Techniker"), "{text}");
        assert!(
            text.contains(&format!(
                "https://secure.logmeinrescue.com/R?i=2&Code={pin} "
            )),
            "{text}"
        );
        assert!(text.contains(&format!("PIN {pin} ")), "{text}");
    }
}

#[test]
fn every_language_and_the_english_default() {
    let sandbox = sandbox();
    let mut client = Client::new();
    let url = format!("{}{V3}", sandbox.base_url());
    let cases = [
        (Some("de"), "Ihr Techniker"),
        (Some("en"), "Your technician"),
        (Some("es"), "Su técnico"),
        (Some("fr"), "Votre technicien"),
        (Some("nl"), "Uw technicus"),
        (Some("pt-br"), "Seu técnico"),
        (None, "Your technician"),
        (Some(""), "Your technician"),
    ];
    for (lang, opening) in cases {
        sandbox.reset();
        let mut params = vec![("authcode", TECH_CODE), ("PhoneNumber", PHONE)];
        params.extend(lang.map(|l| ("LangCode", l)));
        let (pin, _) = pin_and_sms(&client.post(&url, &params).body);
        let record = only_record(&sandbox);
        let sent = invitation(&record);
        assert_eq!(sent.lang_code.as_deref(), lang);
        let text = sent.sms_text.as_deref().unwrap();
        assert!(text.starts_with(opening), "{lang:?}: {text}");
        assert!(text.contains(&format!("Code={pin}")), "{text}");
    }
}

#[test]
fn languages_must_be_spelled_as_the_service_writes_them() {
    let sandbox = sandbox();
    let mut client = Client::new();
    for page in [V3, V4] {
        for lang in ["DE", "Pt-BR", "pt", "it", " en"] {
            let reply = client.get(
                &format!("{}{page}", sandbox.base_url()),
                &[
                    ("authcode", TECH_CODE),
                    ("PhoneNumber", PHONE),
                    ("LangCode", lang),
                ],
            );
            assert_eq!(reply.body, "ERROR", "{page} {lang}");
        }
    }
    assert!(
        sandbox.sessions().is_empty(),
        "no PIN for a refused language"
    );
}

#[test]
fn a_failed_sms_still_gives_a_pin() {
    let sandbox = sandbox();
    let mut client = Client::new();
    for (number, expected) in [
        (FAILING, SMS_FAILED),
        ("  +9991234", SMS_FAILED),
        ("no digits", SMS_FAILED),
        ("0049 30 1234567", SMS_SENT),
    ] {
        sandbox.reset();
        let reply = client.post(
            &format!("{}{V4}", sandbox.base_url()),
            &[("authcode", TECH_CODE), ("PhoneNumber", number)],
        );
        let (pin, sms) = pin_and_sms(&reply.body);
        assert_eq!(sms, expected, "{number}");
        let record = only_record(&sandbox);
        assert_eq!(record.pin, pin);
        let sent = invitation(&record);
        assert_eq!(sent.sms_result.as_deref(), Some(expected));
        assert!(sent.sms_text.as_deref().unwrap().contains(&pin));
    }
}

#[test]
fn without_a_phone_number_there_is_no_sms_line() {
    let sandbox = sandbox();
    let mut client = Client::new();
    for (page, params) in [
        (V3, vec![("LangCode", "fr")]),
        (V3, vec![("PhoneNumber", "")]),
        (V4, vec![("NodeId", "1001")]),
        (V4, vec![]),
    ] {
        sandbox.reset();
        let mut all = vec![("authcode", TECH_CODE)];
        all.extend(params.iter().copied());
        let reply = client.get(&format!("{}{page}", sandbox.base_url()), &all);
        let pin = pin_of(&reply.body);
        let record = only_record(&sandbox);
        assert_eq!(record.pin, pin);
        assert_eq!(record.call, page);
        let sent = invitation(&record);
        assert_eq!(sent.sms_text, None, "{params:?}");
        assert_eq!(sent.sms_result, None);
    }
}

#[test]
fn v1_ignores_the_invitation_parameters() {
    let sandbox = sandbox();
    let mut client = Client::new();
    let reply = client.get(
        &format!("{}requestLensPINCode.aspx", sandbox.base_url()),
        &[
            ("authcode", TECH_CODE),
            ("PhoneNumber", PHONE),
            ("LangCode", "it"),
            ("NodeId", "1002"),
        ],
    );
    pin_of(&reply.body);
    let record = only_record(&sandbox);
    assert_eq!(record.call, "requestLensPINCode.aspx");
    assert_eq!(record.invitation, None);
    assert_eq!(record.technician, TECH);
}

#[test]
fn node_ids_create_pins_for_other_technicians() {
    let sandbox = sandbox();
    let mut client = Client::new();
    let url = format!("{}{V4}", sandbox.base_url());
    // A technician for a colleague whose console is offline, and an administrator (a
    // helpdesk system) for a technician: the PIN is recorded for the NodeId's technician.
    for (code, node_id, extra, technician, requested_by) in [
        (
            TECH_CODE,
            "1002",
            Some(("notechconsole", "1")),
            OFFLINE,
            TECH,
        ),
        (ADMIN_CODE, "1001", None, TECH, ADMIN),
        (ADMIN_CODE, "0001001", None, TECH, ADMIN),
        (TECH_CODE, "1001", None, TECH, TECH),
    ] {
        sandbox.reset();
        let mut params = vec![
            ("authcode", code),
            ("NodeId", node_id),
            ("PhoneNumber", PHONE),
        ];
        params.extend(extra);
        let (pin, sms) = pin_and_sms(&client.post(&url, &params).body);
        assert_eq!(sms, SMS_SENT);
        let record = only_record(&sandbox);
        assert_eq!(record.pin, pin);
        assert_eq!(record.technician, technician, "{node_id}");
        assert_eq!(record.requested_by, requested_by);
        assert_eq!(invitation(&record).node_id.as_deref(), Some(node_id));
    }
}

#[test]
fn node_id_words() {
    let sandbox = sandbox();
    let mut client = Client::new();
    let url = format!("{}{V4}", sandbox.base_url());
    for (code, node_id, word) in [
        (TECH_CODE, "4242", "ERROR"),         // no such technician
        (TECH_CODE, "10o1", "ERROR"),         // not a number
        (TECH_CODE, "-1001", "ERROR"),        // not digits
        (TECH_CODE, "1003", "NOTTECHNICIAN"), // the administrator has no technician licence
        (TECH_CODE, "1002", "NOTECHCONSOLERUNNING"),
        (TECH_CODE, "1004", "NO_ACCESS_TO_LENS"),
        (TECH_CODE, "1005", "OUTOFPINCODES"),
        (TECH_CODE, "1006", "USER_IS_DELETED"),
        (TECH_CODE, "1007", "USER_DELETED_OR_DISABLED"),
        (TECH_CODE, "1008", "ERROR"),
        (ERROR_CODE, "1001", "ERROR"), // the error account fails at everything
        ("wrong", "1001", "INVALID_SECRETAUTHCODE"),
        (ADMIN_CODE, "", "NOTTECHNICIAN"), // empty: the caller, an administrator
    ] {
        let reply = client.get(
            &url,
            &[
                ("authcode", code),
                ("NodeId", node_id),
                ("PhoneNumber", PHONE),
            ],
        );
        assert_eq!(reply.body, word, "{node_id}");
    }
    // Without authentication the NodeId does not matter.
    let reply = Client::new().post(&url, &[("NodeId", "1001")]);
    assert_eq!(reply.body, "NOTLOGGEDIN");
    assert!(sandbox.sessions().is_empty());
}

#[test]
fn v3_ignores_node_ids() {
    let sandbox = sandbox();
    let reply = Client::new().get(
        &format!("{}{V3}", sandbox.base_url()),
        &[("authcode", TECH_CODE), ("NodeId", "1002")],
    );
    pin_of(&reply.body);
    let record = only_record(&sandbox);
    assert_eq!(record.technician, TECH);
    assert_eq!(invitation(&record).node_id, None);
}

#[test]
fn pages_and_parameters_ignore_case_and_sessions_work() {
    let sandbox = sandbox();
    let mut client = Client::new();
    let login = client.post(
        &format!("{}login.aspx", sandbox.base_url()),
        &[("email", TECH), ("pwd", PASSWORD)],
    );
    assert_eq!(login.body, "OK");
    let reply = client.get(
        &format!("{}REQUESTLENSPINCODE_V4.ASPX", sandbox.base_url()),
        &[
            ("phonenumber", PHONE),
            ("LANGCODE", "nl"),
            ("nodeid", "1001"),
        ],
    );
    pin_and_sms(&reply.body);
    let record = only_record(&sandbox);
    assert_eq!(
        record.call, V4,
        "the vendor's spelling, whatever the request's"
    );
    let sent = invitation(&record);
    assert_eq!(sent.lang_code.as_deref(), Some("nl"));
    assert_eq!(sent.node_id.as_deref(), Some("1001"));
}

#[test]
fn the_v1_checks_and_field_limits_apply() {
    let sandbox = sandbox();
    let mut client = Client::new();
    for page in [V3, V4] {
        let url = format!("{}{page}", sandbox.base_url());
        let long = "x".repeat(65);
        for (params, word) in [
            (vec![("PhoneNumber", PHONE)], "NOTLOGGEDIN"),
            (
                vec![("authcode", TECH_CODE), ("cfield0", long.as_str())],
                "ERROR",
            ),
            (
                vec![("authcode", TECH_CODE), ("notechconsole", "yes")],
                "ERROR",
            ),
            (vec![("authcode", NOLENS_CODE)], "NO_ACCESS_TO_LENS"),
            (vec![("authcode", OFFLINE_CODE)], "NOTECHCONSOLERUNNING"),
            (vec![("authcode", ADMIN_CODE)], "NOTTECHNICIAN"),
            (vec![("authcode", DELETED_CODE)], "USER_IS_DELETED"),
        ] {
            assert_eq!(client.post(&url, &params).body, word, "{page} {params:?}");
        }
    }
    assert!(sandbox.sessions().is_empty());
}

#[test]
fn one_pin_per_second_across_every_lens_page() {
    let sandbox = Sandbox::start(Config {
        pin_interval: Duration::from_secs(60),
        ..Config::default()
    })
    .unwrap();
    let mut client = Client::new();
    let base = sandbox.base_url();
    pin_of(
        &client
            .get(
                &format!("{base}requestLensPINCode.aspx"),
                &[("authcode", TECH_CODE)],
            )
            .body,
    );
    for page in [V3, V4] {
        let reply = client.get(
            &format!("{base}{page}"),
            &[("authcode", TECH_CODE), ("PhoneNumber", PHONE)],
        );
        assert_eq!(reply.body, "POLLRATEEXCEEDED", "{page}");
    }
    // The interval is the technician's: an administrator asking for them is refused too,
    // while a PIN for another technician is fine.
    let admin_for_tech = client.get(
        &format!("{base}{V4}"),
        &[("authcode", ADMIN_CODE), ("NodeId", "1001")],
    );
    assert_eq!(admin_for_tech.body, "POLLRATEEXCEEDED");
    let for_offline = client.get(
        &format!("{base}{V4}"),
        &[
            ("authcode", TECH_CODE),
            ("NodeId", "1002"),
            ("notechconsole", "1"),
        ],
    );
    pin_of(&for_offline.body);
    assert_eq!(sandbox.sessions().len(), 2);
}

#[test]
fn the_sms_line_follows_every_layout() {
    let sandbox = sandbox();
    let mut client = Client::new();
    for (kind, prefix) in [
        ("oneline", "OK PINCODE:"),
        ("spaced", "OK PINCODE: "),
        ("crlf", "OK\r\nPINCODE:"),
    ] {
        let reply = client.get(
            &format!("{}{V3}", sandbox.fault_url(kind)),
            &[("authcode", TECH_CODE), ("PhoneNumber", FAILING)],
        );
        let (head, sms) = reply.body.split_once("\r\nSMS_RESULT: ").unwrap();
        pin_after(head, prefix);
        assert_eq!(sms, SMS_FAILED, "{kind}");
    }
    let unknown = client.get(
        &format!("{}{V4}", sandbox.fault_url("unknown")),
        &[("authcode", TECH_CODE)],
    );
    assert_eq!(unknown.body, "SOMETHING_NEW");
}

/// A SOAP `requestLensPINCodeV3` call with `children`; the answer envelope's text.
fn soap_v3(sandbox: &Sandbox, soap12: bool, children: &str) -> String {
    let (env, content_type) = if soap12 {
        (
            "http://www.w3.org/2003/05/soap-envelope",
            "application/soap+xml; charset=utf-8",
        )
    } else {
        (
            "http://schemas.xmlsoap.org/soap/envelope/",
            "text/xml; charset=utf-8",
        )
    };
    let body = format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?><s:Envelope xmlns:s=\"{env}\"><s:Body>\
<requestLensPINCodeV3 xmlns=\"{NS}\">{children}</requestLensPINCodeV3></s:Body></s:Envelope>"
    );
    let action = format!("\"{NS}/requestLensPINCodeV3\"");
    let reply = Client::new().post_xml(
        &format!("{}API.asmx", sandbox.base_url()),
        content_type,
        (!soap12).then_some(action.as_str()),
        &body,
    );
    assert_eq!(reply.status, 200, "{}", reply.body);
    reply.body
}

/// The text of `<name>` in `xml`, if the element is there.
fn element<'a>(xml: &'a str, name: &str) -> Option<&'a str> {
    let open = format!("<{name}>");
    let start = xml.find(&open)? + open.len();
    let end = xml[start..].find(&format!("</{name}>"))?;
    Some(&xml[start..start + end])
}

#[test]
fn soap_v3_is_the_same_invitation() {
    for soap12 in [false, true] {
        let sandbox = sandbox();
        let xml = soap_v3(
            &sandbox,
            soap12,
            &format!(
                "<sCField0>Jane</sCField0><bNoTechConsole>false</bNoTechConsole>\
<sAuthCode>{TECH_CODE}</sAuthCode><sPhoneNumber>{FAILING}</sPhoneNumber><sLangCode>es</sLangCode>"
            ),
        );
        assert!(xml.contains(&format!(
            "<requestLensPINCodeV3Response xmlns=\"{NS}\"><requestLensPINCodeV3Result>requestPINCode_OK</requestLensPINCodeV3Result><sPINCode>"
        )), "{xml}");
        let pin = element(&xml, "sPINCode").unwrap();
        assert_eq!(pin.len(), 6, "zero-padded: {xml}");
        assert_eq!(element(&xml, "sSMSResult"), Some(SMS_FAILED));
        let record = only_record(&sandbox);
        assert_eq!(record.pin, pin);
        assert_eq!(record.call, "requestLensPINCodeV3");
        assert_eq!(record.transport, if soap12 { "soap12" } else { "soap11" });
        let sent = invitation(&record);
        assert_eq!(sent.phone_number.as_deref(), Some(FAILING));
        assert_eq!(sent.lang_code.as_deref(), Some("es"));
        assert!(sent.sms_text.as_deref().unwrap().starts_with("Su técnico"));
    }
}

#[test]
fn soap_v3_words_and_no_node_id() {
    let sandbox = sandbox();
    // Without a phone number: no sSMSResult at all (a null string is left out).
    let xml = soap_v3(
        &sandbox,
        false,
        &format!("<sAuthCode>{TECH_CODE}</sAuthCode><sLangCode>nl</sLangCode>"),
    );
    assert!(element(&xml, "sPINCode").is_some(), "{xml}");
    assert!(!xml.contains("SMSResult"), "{xml}");
    // A NodeId child is not part of the operation: skipped, the PIN is the caller's.
    sandbox.reset();
    let xml = soap_v3(
        &sandbox,
        true,
        &format!("<sAuthCode>{TECH_CODE}</sAuthCode><NodeId>1002</NodeId><sNodeId>1002</sNodeId>"),
    );
    assert!(element(&xml, "sPINCode").is_some(), "{xml}");
    assert_eq!(only_record(&sandbox).technician, TECH);
    // A refused language is the shared enum's Error, with neither output.
    let xml = soap_v3(
        &sandbox,
        false,
        &format!("<sAuthCode>{TECH_CODE}</sAuthCode><sLangCode>DE</sLangCode>"),
    );
    assert!(
        xml.contains("<requestLensPINCodeV3Result>requestPINCode_Error</requestLensPINCodeV3Result></requestLensPINCodeV3Response>"),
        "{xml}"
    );
    let xml = soap_v3(&sandbox, true, "<sPhoneNumber>1</sPhoneNumber>");
    assert!(xml.contains("requestPINCode_NotLoggedIn"), "{xml}");
    assert_eq!(sandbox.sessions().len(), 1);
}

#[test]
fn accounts_files_may_set_node_ids() {
    let accounts = rescue_sandbox::parse_accounts(
        r#"
[[account]]
email = "a@example.test"
password = "p"
authcode = "code-a"
behaviour = "ok"

[[account]]
email = "b@example.test"
password = "p"
authcode = "code-b"
behaviour = "ok"
node_id = 77
"#,
    )
    .unwrap();
    assert_eq!(accounts[0].node_id_at(0), rescue_sandbox::FIRST_NODE_ID);
    assert_eq!(accounts[1].node_id_at(1), 77);
    let sandbox = Sandbox::start(Config {
        accounts,
        pin_interval: Duration::ZERO,
        ..Config::default()
    })
    .unwrap();
    let reply = Client::new().get(
        &format!("{}{V4}", sandbox.base_url()),
        &[("authcode", "code-a"), ("NodeId", "77")],
    );
    pin_of(&reply.body);
    assert_eq!(only_record(&sandbox).technician, "b@example.test");
    let clash = rescue_sandbox::parse_accounts(
        r#"
[[account]]
email = "a@example.test"
password = "p"
authcode = "code-a"
behaviour = "ok"
node_id = 1002

[[account]]
email = "b@example.test"
password = "p"
authcode = "code-b"
behaviour = "ok"
"#,
    );
    assert!(clash.unwrap_err().contains("node_id 1002"));
}
