//! The Rescue methods' business rules, free of HTTP: parameters in, an [`Answer`] out.

use std::time::Instant;

use crate::accounts::{Behaviour, Directory};
use crate::invitation::{self, Lang};
use crate::state::{Invitation, Origin, PinFields, PinRefusal, State};

/// The `.aspx` methods the sandbox serves.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Method {
    Login,
    Logout,
    RequestAuthCode,
    RequestLensPinCode,
    RequestPinCode,
    /// `requestLensPINCode_v3`: v1 plus an SMS invitation (`PhoneNumber`, `LangCode`).
    RequestLensPinCodeV3,
    /// `requestLensPINCode_v4`: v3 plus the technician the PIN is for (`NodeId`).
    RequestLensPinCodeV4,
}

/// Every page, as the vendor spells it.
const PAGES: [(&str, Method); 7] = [
    ("login.aspx", Method::Login),
    ("logout.aspx", Method::Logout),
    ("requestAuthCode.aspx", Method::RequestAuthCode),
    ("requestLensPINCode.aspx", Method::RequestLensPinCode),
    ("requestPINCode.aspx", Method::RequestPinCode),
    ("requestLensPINCode_v3.aspx", Method::RequestLensPinCodeV3),
    ("requestLensPINCode_v4.aspx", Method::RequestLensPinCodeV4),
];

impl Method {
    /// Looks up a method by its path segment, ignoring ASCII case as ASP.NET does.
    pub(crate) fn from_segment(segment: &str) -> Option<Method> {
        PAGES
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(segment))
            .map(|&(_, m)| m)
    }

    /// The `.aspx` page, as the vendor spells it.
    pub(crate) fn page(self) -> &'static str {
        PAGES
            .iter()
            .find(|&&(_, m)| m == self)
            .map_or("", |&(n, _)| n)
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
    /// `PhoneNumber` (v3, v4).
    pub phone_number: Option<String>,
    /// `LangCode` (v3, v4).
    pub lang_code: Option<String>,
    /// `NodeId` (v4).
    pub node_id: Option<String>,
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
        } else if name.eq_ignore_ascii_case("PhoneNumber") {
            &mut self.phone_number
        } else if name.eq_ignore_ascii_case("LangCode") {
            &mut self.lang_code
        } else if name.eq_ignore_ascii_case("NodeId") {
            &mut self.node_id
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

/// A result word: what a method decided, before a front spells it as plain text
/// (`NOTLOGGEDIN`) or as a SOAP enum member (`requestPINCode_NotLoggedIn`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Word {
    Ok,
    Error,
    Invalid,
    LimitReached,
    /// SOAP only (`login_GlobalIpRestricted`); the `.aspx` page says `ERROR`.
    GlobalIpRestricted,
    NotLoggedIn,
    NotTechnician,
    NoTechConsoleRunning,
    OutOfPinCodes,
    PollRateExceeded,
    InvalidSecretAuthCode,
    UserIsDeleted,
    UserDeletedOrDisabled,
    NoAccessToLens,
}

impl Word {
    /// The word the `.aspx` pages answer.
    pub(crate) fn text(self) -> &'static str {
        match self {
            Word::Ok => "OK",
            Word::Error | Word::GlobalIpRestricted => "ERROR",
            Word::Invalid => "INVALID",
            Word::LimitReached => "LIMITREACHED",
            Word::NotLoggedIn => "NOTLOGGEDIN",
            Word::NotTechnician => "NOTTECHNICIAN",
            Word::NoTechConsoleRunning => "NOTECHCONSOLERUNNING",
            Word::OutOfPinCodes => "OUTOFPINCODES",
            Word::PollRateExceeded => "POLLRATEEXCEEDED",
            Word::InvalidSecretAuthCode => "INVALID_SECRETAUTHCODE",
            Word::UserIsDeleted => "USER_IS_DELETED",
            Word::UserDeletedOrDisabled => "USER_DELETED_OR_DISABLED",
            Word::NoAccessToLens => "NO_ACCESS_TO_LENS",
        }
    }

    /// The SOAP enum member after `<enum>_` (API.md: `requestPINCode_OutOfPINCodes`).
    pub(crate) fn soap(self) -> &'static str {
        match self {
            Word::Ok => "OK",
            Word::Error => "Error",
            Word::Invalid => "Invalid",
            Word::LimitReached => "LimitReached",
            Word::GlobalIpRestricted => "GlobalIpRestricted",
            Word::NotLoggedIn => "NotLoggedIn",
            Word::NotTechnician => "NotTechnician",
            Word::NoTechConsoleRunning => "NoTechConsoleRunning",
            Word::OutOfPinCodes => "OutOfPINCodes",
            Word::PollRateExceeded => "PollRateExceeded",
            Word::InvalidSecretAuthCode => "Invalid_SecretAuthCode",
            Word::UserIsDeleted => "User_Is_Deleted",
            Word::UserDeletedOrDisabled => "User_Deleted_Or_Disabled",
            Word::NoAccessToLens => "NoAccessToLens",
        }
    }

    /// The name `/sandbox/logins` counts a login under: the plain word, except for the
    /// IP restriction, which has none.
    fn login_record(self) -> &'static str {
        match self {
            Word::GlobalIpRestricted => "GLOBALIPRESTRICTED",
            word => word.text(),
        }
    }
}

/// How a call reached the sandbox; recorded with each PIN (`transport` in the inspection JSON).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Transport {
    Get,
    Post,
    Soap11,
    Soap12,
}

impl Transport {
    /// `post`, `get`, `soap11` or `soap12`.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Transport::Get => "get",
            Transport::Post => "post",
            Transport::Soap11 => "soap11",
            Transport::Soap12 => "soap12",
        }
    }

    /// The HTTP method it used: SOAP always POSTs.
    pub(crate) fn http_method(self) -> &'static str {
        match self {
            Transport::Get => "GET",
            _ => "POST",
        }
    }
}

/// A method's result, before a front lays it out.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Answer {
    /// A bare result word such as `OK` or `INVALID`.
    Word(Word),
    /// `OK` with an authcode.
    AuthCode(String),
    /// `OK` with a PIN, zero-padded when laid out as text.
    PinCode(u32),
    /// `OK` with a Lens invitation's PIN and, when an SMS was asked for, its `SMS_RESULT`.
    LensPin {
        pin: u32,
        sms_result: Option<&'static str>,
    },
}

impl Answer {
    /// The result word: `OK` for the answers that carry a value.
    pub(crate) fn word(&self) -> Word {
        match self {
            Answer::Word(word) => *word,
            Answer::AuthCode(_) | Answer::PinCode(_) | Answer::LensPin { .. } => Word::Ok,
        }
    }
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
    /// Runs one method: the only place that decides, whichever front (`.aspx` or SOAP)
    /// parsed the call. `session` is the `ASP.NET_SessionId` cookie; `call` names the page
    /// or SOAP operation for the inspection record.
    pub(crate) fn call(
        &self,
        method: Method,
        params: Params,
        session: Option<&str>,
        transport: Transport,
        call: &'static str,
    ) -> (Answer, Cookie) {
        let now = Instant::now();
        match method {
            Method::Login => self.login(params, session, now),
            Method::Logout => {
                let answer = self.logout(session, now);
                let cookie = if answer == Answer::Word(Word::Ok) {
                    Cookie::Clear
                } else {
                    Cookie::Keep
                };
                (answer, cookie)
            }
            Method::RequestAuthCode => (self.request_auth_code(params), Cookie::Keep),
            Method::RequestLensPinCode
            | Method::RequestPinCode
            | Method::RequestLensPinCodeV3
            | Method::RequestLensPinCodeV4 => {
                let origin = Origin {
                    call,
                    transport,
                    requested_by: 0,
                    invitation: None,
                };
                (
                    self.request_pin(method, params, session, origin, now),
                    Cookie::Keep,
                )
            }
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
            self.state.record_login_attempt(email, word.login_record());
        }
        (answer, cookie)
    }

    fn log_in(&self, params: &Params, session: Option<&str>, now: Instant) -> (Answer, Cookie) {
        // Every call counts, right or wrong, as the vendor's "called more than ten times" says.
        if !self
            .state
            .count_login_call(params.email.as_deref().unwrap_or(""), now)
        {
            return (Answer::Word(Word::LimitReached), Cookie::Keep);
        }
        match self.check_password(params) {
            // The password is right but this client's address is not on the account's list.
            Some(id) if self.accounts.get(id).behaviour == Behaviour::IpRestricted => {
                (Answer::Word(Word::GlobalIpRestricted), Cookie::Keep)
            }
            Some(id) => {
                let sid = self.state.log_in(id, session, now);
                (Answer::Word(Word::Ok), Cookie::Set(sid))
            }
            None => (Answer::Word(Word::Invalid), Cookie::Keep),
        }
    }

    fn logout(&self, session: Option<&str>, now: Instant) -> Answer {
        let Some(sid) = session else {
            return Answer::Word(Word::NotLoggedIn);
        };
        match self.state.touch(sid, now) {
            None => Answer::Word(Word::NotLoggedIn),
            // The error account fails at everything but logging in; its session stays.
            Some(id) if self.accounts.get(id).behaviour == Behaviour::Error => {
                Answer::Word(Word::Error)
            }
            Some(_) => {
                self.state.log_out(sid, now);
                Answer::Word(Word::Ok)
            }
        }
    }

    fn request_auth_code(&self, params: Params) -> Answer {
        match self.check_password(&params) {
            None => Answer::Word(Word::Invalid),
            Some(id) => {
                let account = self.accounts.get(id);
                if account.behaviour == Behaviour::Error {
                    Answer::Word(Word::Error)
                } else {
                    Answer::AuthCode(account.authcode.clone())
                }
            }
        }
    }

    /// Check order: authentication, the `NodeId`'s technician (v4), account behaviour,
    /// field validation, poll rate.
    fn request_pin(
        &self,
        method: Method,
        params: Params,
        session: Option<&str>,
        mut origin: Origin,
        now: Instant,
    ) -> Answer {
        let lens = method != Method::RequestPinCode;
        let invites = matches!(
            method,
            Method::RequestLensPinCodeV3 | Method::RequestLensPinCodeV4
        );
        // An empty authcode counts as absent, as an empty form field would in ASP.NET code.
        let caller = match params.authcode.as_deref().filter(|c| !c.is_empty()) {
            Some(code) => match self.accounts.by_authcode(code) {
                None => return Answer::Word(Word::InvalidSecretAuthCode),
                Some(id) => match self.accounts.get(id).behaviour {
                    Behaviour::Deleted => return Answer::Word(Word::UserIsDeleted),
                    Behaviour::Disabled => return Answer::Word(Word::UserDeletedOrDisabled),
                    _ => id,
                },
            },
            None => match session.and_then(|sid| self.state.touch(sid, now)) {
                None => return Answer::Word(Word::NotLoggedIn),
                Some(id) => id,
            },
        };
        origin.requested_by = caller;
        // Only v4 reads NodeId; an empty one counts as absent, like an empty authcode.
        let node_id = match method {
            Method::RequestLensPinCodeV4 => params.node_id.as_deref().filter(|n| !n.is_empty()),
            _ => None,
        };
        let id = match node_id {
            None => caller,
            Some(node_id) => match self.technician(caller, node_id) {
                Ok(id) => id,
                Err(word) => return Answer::Word(word),
            },
        };
        let fields = params.pin_fields;
        let no_console_needed = fields[NOTECHCONSOLE].as_deref() == Some("1");
        match self.accounts.get(id).behaviour {
            Behaviour::NotTechnician => return Answer::Word(Word::NotTechnician),
            Behaviour::Error => return Answer::Word(Word::Error),
            Behaviour::NoPins => return Answer::Word(Word::OutOfPinCodes),
            Behaviour::NoLens if lens => return Answer::Word(Word::NoAccessToLens),
            Behaviour::ConsoleOffline if !no_console_needed => {
                return Answer::Word(Word::NoTechConsoleRunning)
            }
            _ => {}
        }
        if !fields_valid(&fields) {
            return Answer::Word(Word::Error);
        }
        let mut sms_result = None;
        if invites {
            let Some(lang) = Lang::from_param(params.lang_code.as_deref()) else {
                return Answer::Word(Word::Error);
            };
            // An empty PhoneNumber asks for no SMS, as an absent one.
            let sms = params
                .phone_number
                .as_deref()
                .filter(|n| !n.is_empty())
                .map(|number| (lang, invitation::sms_result(number)));
            sms_result = sms.map(|(_, result)| result);
            origin.invitation = Some(Box::new(Invitation {
                phone_number: params.phone_number,
                lang_code: params.lang_code,
                node_id: (method == Method::RequestLensPinCodeV4)
                    .then_some(params.node_id)
                    .flatten(),
                sms,
            }));
        }
        match self.state.create_pin(id, lens, fields, origin, now) {
            Ok(pin) if invites => Answer::LensPin { pin, sms_result },
            Ok(pin) => Answer::PinCode(pin),
            Err(PinRefusal::PollRate) => Answer::Word(Word::PollRateExceeded),
        }
    }

    /// The technician a v4 `NodeId` names, on behalf of `caller`. The caller only has to be
    /// authenticated (an administrator may ask, as a helpdesk system would) and not the
    /// `error` account; an id that is not a number or names no account → `ERROR`; a deleted
    /// or disabled technician → their authcode's words.
    fn technician(&self, caller: usize, node_id: &str) -> Result<usize, Word> {
        if self.accounts.get(caller).behaviour == Behaviour::Error {
            return Err(Word::Error);
        }
        let id = node_id
            .parse::<u64>()
            .ok()
            .filter(|_| node_id.bytes().all(|b| b.is_ascii_digit()))
            .and_then(|n| self.accounts.by_node_id(n))
            .ok_or(Word::Error)?;
        match self.accounts.get(id).behaviour {
            Behaviour::Deleted => Err(Word::UserIsDeleted),
            Behaviour::Disabled => Err(Word::UserDeletedOrDisabled),
            _ => Ok(id),
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
        assert_eq!(
            Method::from_segment("RequestLensPinCode_V4.aspx"),
            Some(Method::RequestLensPinCodeV4)
        );
        assert_eq!(
            Method::RequestLensPinCodeV3.page(),
            "requestLensPINCode_v3.aspx"
        );
    }
}
