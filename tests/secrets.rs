//! Secrets never show in errors or Debug output, whatever fails.

mod common;

use std::time::Duration;

use common::*;
use rescue::{Client, PinRequest, Transport};

const SECRET_PASSWORD: &str = "pw-Zq81-never-shown";
const SECRET_CODE: &str = "code-Xk27-never-shown";

#[test]
fn the_session_cookie_never_shows() {
    let sandbox = sandbox();
    let client = Client::builder()
        .base_url(sandbox.base_url())
        .build()
        .expect("client");
    client.login(TECH, PASSWORD).expect("login");
    let cookies = sandbox.session_cookies();
    assert_eq!(cookies.len(), 1);
    let mut shown = vec![format!("{client:?}")];
    // Clients sharing the session send its cookie to every fault, and fail.
    for kind in ["status-500", "unknown", "html", "empty", "reset", "hang"] {
        let faulty = Client::builder()
            .base_url(sandbox.fault_url(kind))
            .timeout(Duration::from_millis(500))
            .session_of(&client)
            .build()
            .expect("client");
        shown.push(format!("{faulty:?}"));
        for error in [
            faulty.request_lens_pin(&PinRequest::new()).err(),
            faulty
                .request_pin(&PinRequest::new().cfield0("x".repeat(65)))
                .err(),
        ]
        .into_iter()
        .flatten()
        {
            shown.push(format!("{error} {error:?}"));
        }
    }
    // Last, a logout that fails (it forgets the session here, so it comes after the rest).
    let faulty = Client::builder()
        .base_url(sandbox.fault_url("status-503"))
        .session_of(&client)
        .build()
        .expect("client");
    shown.push(format!("{:?}", faulty.logout()));
    assert!(shown.len() > 15, "the failure paths ran");
    for text in shown {
        assert!(!text.contains(&cookies[0]), "{text}");
    }
}

#[test]
fn failures_never_show_secrets() {
    let sandbox = sandbox();
    let mut shown = Vec::new();
    for transport in Transport::ALL {
        for base in [
            sandbox.base_url(),
            sandbox.fault_url("status-500"),
            sandbox.fault_url("unknown"),
            sandbox.fault_url("reset"),
            sandbox.fault_url("hang"),
            "https://rescue.invalid/API/".to_owned(),
        ] {
            let client = Client::builder()
                .base_url(base)
                .transport(transport)
                .timeout(Duration::from_millis(500))
                .build()
                .expect("client");
            let request = PinRequest::new().authcode(SECRET_CODE);
            shown.push(format!("{request:?} {client:?}"));
            for error in [
                client.login(TECH, SECRET_PASSWORD).err(),
                client.request_auth_code(TECH, SECRET_PASSWORD).err(),
                client.request_lens_pin(&request).err(),
            ]
            .into_iter()
            .flatten()
            {
                shown.push(format!("{error} {error:?}"));
            }
        }
    }
    assert!(shown.len() > 60, "the failure paths ran");
    for text in shown {
        assert!(!text.contains(SECRET_PASSWORD), "{text}");
        assert!(!text.contains(SECRET_CODE), "{text}");
    }
}
