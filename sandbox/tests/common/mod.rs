//! Shared helpers: a small blocking HTTP client with manual cookie handling.
#![allow(dead_code)] // each test binary uses a different subset

use std::time::Duration;

use rescue_sandbox::{Config, Sandbox};

pub const TECH: &str = "tech@sandbox.test";
pub const PASSWORD: &str = "sandbox";
pub const TECH_CODE: &str = "ytzw7h07nu9o4oxqbf49dpayuqvdnmzd";
pub const OFFLINE_CODE: &str = "hol3me96ecp5ojnz32wxmkwu8e74dpoh";
pub const ADMIN_CODE: &str = "oc3ka44px5lvk72k2yrlrq6p87sldyyt";
pub const NOLENS_CODE: &str = "mj3lxvbbdkvry3fvex5tb5buy72o0zr7";
pub const NOPINS_CODE: &str = "ma51fmfe21sj39k99k4t0pst4zn91j3z";
pub const DELETED_CODE: &str = "sabazl9xjms8m4aujkhyqvwarl9w2ijg";
pub const DISABLED_CODE: &str = "8tdidic9u8zhv6uv4il90jp97w1vn8b4";
pub const ERROR_CODE: &str = "ehfx9wfix2hhtqjscgdvqklahfzy8hpo";
pub const IPRESTRICTED_CODE: &str = "g7qlp2xw9vdk4mzr1sbt8ycn0hfa6eju";

/// Every built-in account with its authcode, in the order of the built-in table.
pub const ACCOUNTS: [(&str, &str); 9] = [
    ("tech@sandbox.test", TECH_CODE),
    ("offline@sandbox.test", OFFLINE_CODE),
    ("admin@sandbox.test", ADMIN_CODE),
    ("nolens@sandbox.test", NOLENS_CODE),
    ("nopins@sandbox.test", NOPINS_CODE),
    ("deleted@sandbox.test", DELETED_CODE),
    ("disabled@sandbox.test", DISABLED_CODE),
    ("error@sandbox.test", ERROR_CODE),
    ("iprestricted@sandbox.test", IPRESTRICTED_CODE),
];

/// A sandbox without the poll-rate limit, so tests can request PINs back to back.
pub fn sandbox() -> Sandbox {
    Sandbox::start(Config {
        pin_interval: Duration::ZERO,
        ..Config::default()
    })
    .unwrap()
}

#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub body: String,
    pub content_type: Option<String>,
    pub set_cookie: Option<String>,
}

/// A client that keeps the `ASP.NET_SessionId` cookie like a browser would (one cookie only).
pub struct Client {
    agent: ureq::Agent,
    pub cookie: Option<String>,
}

impl Client {
    pub fn new() -> Client {
        Client::with_agent(agent(Duration::from_secs(10)))
    }

    pub fn with_agent(agent: ureq::Agent) -> Client {
        Client {
            agent,
            cookie: None,
        }
    }

    pub fn get(&mut self, url: &str, params: &[(&str, &str)]) -> Reply {
        let mut request = self.agent.get(url);
        for (k, v) in params {
            request = request.query(*k, *v);
        }
        if let Some(c) = &self.cookie {
            request = request.header("Cookie", c);
        }
        let response = request.call().unwrap();
        self.reply(response)
    }

    pub fn post(&mut self, url: &str, params: &[(&str, &str)]) -> Reply {
        let mut request = self.agent.post(url);
        if let Some(c) = &self.cookie {
            request = request.header("Cookie", c);
        }
        let response = request.send_form(params.iter().copied()).unwrap();
        self.reply(response)
    }

    /// POSTs `body` with a Content-Type and, when given, a SOAPAction header (sent as is).
    pub fn post_xml(
        &mut self,
        url: &str,
        content_type: &str,
        soap_action: Option<&str>,
        body: &str,
    ) -> Reply {
        let mut request = self.agent.post(url).header("Content-Type", content_type);
        if let Some(action) = soap_action {
            request = request.header("SOAPAction", action);
        }
        if let Some(c) = &self.cookie {
            request = request.header("Cookie", c);
        }
        let response = request.send(body).unwrap();
        self.reply(response)
    }

    /// GET or POST by flag, so one test body can cover both.
    pub fn call(&mut self, post: bool, url: &str, params: &[(&str, &str)]) -> Reply {
        if post {
            self.post(url, params)
        } else {
            self.get(url, params)
        }
    }

    fn reply(&mut self, mut response: ureq::http::Response<ureq::Body>) -> Reply {
        let header = |name: &str| {
            response
                .headers()
                .get(name)
                .map(|v| v.to_str().unwrap().to_owned())
        };
        let set_cookie = header("set-cookie");
        let content_type = header("content-type");
        if let Some(sc) = &set_cookie {
            let pair = sc.split(';').next().unwrap();
            // An empty value is the server clearing the cookie.
            self.cookie = pair
                .split_once('=')
                .filter(|(_, v)| !v.is_empty())
                .map(|_| pair.to_owned());
        }
        let status = response.status().as_u16();
        let body = response.body_mut().read_to_string().unwrap();
        Reply {
            status,
            body,
            content_type,
            set_cookie,
        }
    }
}

pub fn agent(timeout: Duration) -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(timeout))
        .build()
        .into()
}

/// Parses the default layout `OK\r\nPINCODE:dddddd` and returns the PIN.
pub fn pin_of(body: &str) -> String {
    pin_after(body, "OK\r\nPINCODE:")
}

/// Checks that `body` is `prefix` then six digits (nothing after), and returns the digits.
pub fn pin_after(body: &str, prefix: &str) -> String {
    let pin = body
        .strip_prefix(prefix)
        .unwrap_or_else(|| panic!("not a PIN answer: {body:?}"));
    assert_eq!(pin.len(), 6, "{body:?}");
    assert!(pin.bytes().all(|b| b.is_ascii_digit()), "{body:?}");
    pin.to_owned()
}
