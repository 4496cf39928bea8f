//! The Rescue methods' business rules, free of HTTP: parameters in, an [`Answer`] out.

use std::time::Instant;

use crate::accounts::{Behaviour, Directory};
use crate::state::{PinFields, PinRefusal, State};

/// The `.aspx` methods the sandbox serves.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Method {
    Login,
    Logout,
    RequestAuthCode,
    RequestLensPinCode,
    RequestPinCode,
}

impl Method {
    /// Looks up a method by its path segment, ignoring ASCII case as ASP.NET does.
    pub(crate) fn from_segment(segment: &str) -> Option<Method> {
        const NAMES: [(&str, Method); 5] = [
            ("login.aspx", Method::Login),
            ("logout.aspx", Method::Logout),
            ("requestauthcode.aspx", Method::RequestAuthCode),
            ("requestlenspincode.aspx", Method::RequestLensPinCode),
            ("requestpincode.aspx", Method::RequestPinCode),
        ];
        NAMES
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(segment))
            .map(|&(_, m)| m)
    }
}

/// The parameters the methods read. Names match ASCII-case-insensitively; the first
/// occurrence of a name wins.
#[derive(Default, Debug)]
pub(crate) struct Params {
    pub email: Option<String>,
    pub pwd: Option<String>,
    pub authcode: Option<String>,
    /// cfield0..cfield5, tracking0, notechconsole.
    pub pin_fields: PinFields,
}

/// Names of [`Params::pin_fields`] and their length limits in characters (`None`: no limit).
const PIN_FIELDS: [(&str, Option<usize>); 8] = [
    ("cfield0", Some(64)),
    ("cfield1", Some(512)),
    ("cfield2", Some(512)),
    ("cfield3", Some(256)),
    ("cfield4", Some(64)),
    ("cfield5", Some(64)),
    ("tracking0", Some(64)),
    ("notechconsole", None),
];
const NOTECHCONSOLE: usize = 7;

impl Params {
    /// Takes one decoded `name=value` pair.
    pub(crate) fn add(&mut self, name: &str, value: std::borrow::Cow<'_, str>) {
        let slot = if name.eq_ignore_ascii_case("email") {
            &mut self.email
        } else if name.eq_ignore_ascii_case("pwd") {
            &mut self.pwd
        } else if name.eq_ignore_ascii_case("authcode") {
            &mut self.authcode
        } else if let Some(i) = PIN_FIELDS
            .iter()
            .position(|(n, _)| n.eq_ignore_ascii_case(name))
        {
            &mut self.pin_fields[i]
        } else {
            return;
        };
        if slot.is_none() {
            *slot = Some(value.into_owned());
        }
    }
}

/// A method's result, before it is laid out as text.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Answer {
    /// A bare status word such as `OK` or `INVALID`.
    Word(&'static str),
    /// `OK` with an authcode.
    AuthCode(String),
    /// `OK` with a PIN, zero-padded when laid out.
    PinCode(u32),
}

/// What to do with the session cookie.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Cookie {
    Keep,
    Set(String),
    Clear,
}

/// The sandbox's accounts and state together: what every request needs.
pub(crate) struct Service {
    pub accounts: Directory,
    pub state: State,
}

impl Service {
    /// Runs one method. `session` is the `ASP.NET_SessionId` cookie, `post` whether it came by POST.
    pub(crate) fn call(
        &self,
        method: Method,
        params: Params,
        session: Option<&str>,
        post: bool,
    ) -> (Answer, Cookie) {
        let now = Instant::now();
        match method {
            Method::Login => self.login(params, session, now),
            Method::Logout => {
                let answer = self.logout(session, now);
                let cookie = if answer == Answer::Word("OK") {
                    Cookie::Clear
                } else {
                    Cookie::Keep
                };
                (answer, cookie)
            }
            Method::RequestAuthCode => (self.request_auth_code(params), Cookie::Keep),
            Method::RequestLensPinCode => (
                self.request_pin(params, session, true, post, now),
                Cookie::Keep,
            ),
            Method::RequestPinCode => (
                self.request_pin(params, session, false, post, now),
                Cookie::Keep,
            ),
        }
    }

    /// Active account whose email and password match, if any.
    fn check_password(&self, params: &Params) -> Option<usize> {
        let (email, pwd) = (params.email.as_deref()?, params.pwd.as_deref()?);
        let id = self.accounts.by_email(email)?;
        let account = self.accounts.get(id);
        let password = self.state.password(id);
        let expected = password.as_deref().unwrap_or(&account.password);
        (expected == pwd && account.behaviour.can_log_in()).then_some(id)
    }

    /// Changes the password of the account with `email`; false when there is none.
    pub(crate) fn set_password(&self, email: &str, password: &str) -> bool {
        match self.accounts.by_email(email) {
            Some(id) => {
                self.state.set_password(id, password);
                true
            }
            None => false,
        }
    }

    fn login(&self, params: Params, session: Option<&str>, now: Instant) -> (Answer, Cookie) {
        let email = params.email.as_deref().unwrap_or("");
        let (answer, cookie) = self.log_in(&params, session, now);
        if let Answer::Word(word) = answer {
            self.state.record_login_attempt(email, word);
        }
        (answer, cookie)
    }

    fn log_in(&self, params: &Params, session: Option<&str>, now: Instant) -> (Answer, Cookie) {
        // Every call counts, right or wrong, as the vendor's "called more than ten times" says.
        if !self
            .state
            .count_login_call(params.email.as_deref().unwrap_or(""), now)
        {
            return (Answer::Word("LIMITREACHED"), Cookie::Keep);
        }
        match self.check_password(params) {
            Some(id) => {
                let sid = self.state.log_in(id, session, now);
                (Answer::Word("OK"), Cookie::Set(sid))
            }
            None => (Answer::Word("INVALID"), Cookie::Keep),
        }
    }

    fn logout(&self, session: Option<&str>, now: Instant) -> Answer {
        let Some(sid) = session else {
            return Answer::Word("NOTLOGGEDIN");
        };
        match self.state.touch(sid, now) {
            None => Answer::Word("NOTLOGGEDIN"),
            // The error account fails at everything but logging in; its session stays.
            Some(id) if self.accounts.get(id).behaviour == Behaviour::Error => {
                Answer::Word("ERROR")
            }
            Some(_) => {
                self.state.log_out(sid, now);
                Answer::Word("OK")
            }
        }
    }

    fn request_auth_code(&self, params: Params) -> Answer {
        match self.check_password(&params) {
            None => Answer::Word("INVALID"),
            Some(id) => {
                let account = self.accounts.get(id);
                if account.behaviour == Behaviour::Error {
                    Answer::Word("ERROR")
                } else {
                    Answer::AuthCode(account.authcode.clone())
                }
            }
        }
    }

    /// Check order: authentication, account behaviour, field validation, poll rate.
    fn request_pin(
        &self,
        params: Params,
        session: Option<&str>,
        lens: bool,
        post: bool,
        now: Instant,
    ) -> Answer {
        // An empty authcode counts as absent, as an empty form field would in ASP.NET code.
        let id = match params.authcode.as_deref().filter(|c| !c.is_empty()) {
            Some(code) => match self.accounts.by_authcode(code) {
                None => return Answer::Word("INVALID_SECRETAUTHCODE"),
                Some(id) => match self.accounts.get(id).behaviour {
                    Behaviour::Deleted => return Answer::Word("USER_IS_DELETED"),
                    Behaviour::Disabled => return Answer::Word("USER_DELETED_OR_DISABLED"),
                    _ => id,
                },
            },
            None => match session.and_then(|sid| self.state.touch(sid, now)) {
                None => return Answer::Word("NOTLOGGEDIN"),
                Some(id) => id,
            },
        };
        let fields = params.pin_fields;
        let no_console_needed = fields[NOTECHCONSOLE].as_deref() == Some("1");
        match self.accounts.get(id).behaviour {
            Behaviour::NotTechnician => return Answer::Word("NOTTECHNICIAN"),
            Behaviour::Error => return Answer::Word("ERROR"),
            Behaviour::NoPins => return Answer::Word("OUTOFPINCODES"),
            Behaviour::NoLens if lens => return Answer::Word("NO_ACCESS_TO_LENS"),
            Behaviour::ConsoleOffline if !no_console_needed => {
                return Answer::Word("NOTECHCONSOLERUNNING")
            }
            _ => {}
        }
        if !fields_valid(&fields) {
            return Answer::Word("ERROR");
        }
        match self.state.create_pin(id, lens, fields, post, now) {
            Ok(pin) => Answer::PinCode(pin),
            Err(PinRefusal::PollRate) => Answer::Word("POLLRATEEXCEEDED"),
        }
    }
}

/// Length limits (in Unicode scalar values) and `notechconsole` ∈ {absent, "", "0", "1"}.
fn fields_valid(fields: &PinFields) -> bool {
    let lengths_ok =
        fields
            .iter()
            .zip(PIN_FIELDS)
            .all(|(value, (_, limit))| match (value, limit) {
                // Only a string longer in bytes than the limit can be longer in characters.
                (Some(v), Some(max)) => v.len() <= max || v.chars().count() <= max,
                _ => true,
            });
    let console_ok = matches!(
        fields[NOTECHCONSOLE].as_deref(),
        None | Some("" | "0" | "1")
    );
    lengths_ok && console_ok
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_parameter_wins_and_names_ignore_case() {
        let mut p = Params::default();
        p.add("EMAIL", "a".into());
        p.add("email", "b".into());
        p.add("CField5", "x".into());
        p.add("other", "y".into());
        assert_eq!(p.email.as_deref(), Some("a"));
        assert_eq!(p.pin_fields[5].as_deref(), Some("x"));
    }

    #[test]
    fn field_limits_count_characters() {
        let mut fields: PinFields = Default::default();
        fields[0] = Some("é".repeat(64));
        assert!(fields_valid(&fields));
        fields[0] = Some("é".repeat(65));
        assert!(!fields_valid(&fields));
        fields[0] = None;
        fields[NOTECHCONSOLE] = Some("true".into());
        assert!(!fields_valid(&fields));
    }

    #[test]
    fn method_names_ignore_case() {
        assert_eq!(
            Method::from_segment("REQUESTLENSPINCODE.ASPX"),
            Some(Method::RequestLensPinCode)
        );
        assert_eq!(Method::from_segment("requestLensPINCode"), None);
    }
}
