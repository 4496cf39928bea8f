//! The sandbox's mutable memory: login sessions, rate counters and the PIN sessions made.
//!
//! One `Mutex` guards it all; every critical section is a few map operations, so
//! contention stays negligible next to HTTP handling.

use std::collections::{BTreeMap, HashMap, HashSet, VecDeque};
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant, SystemTime};

use serde::{Deserialize, Serialize};

use crate::accounts::Directory;
use crate::api::Transport;
use crate::invitation::Lang;

/// How many PIN sessions are remembered; the oldest is forgotten (and its PIN freed) first.
pub const MAX_RECORDED_SESSIONS: usize = 100_000;
/// Login calls allowed per email inside [`LOGIN_WINDOW`]; the next one is `LIMITREACHED`.
pub const LOGIN_LIMIT: usize = 10;
/// The vendor's sliding window for [`LOGIN_LIMIT`].
pub const LOGIN_WINDOW: Duration = Duration::from_secs(3 * 60);
/// Emails whose login calls are counted at once; beyond it new emails go uncounted,
/// so a flood of made-up addresses cannot grow memory.
const MAX_COUNTED_EMAILS: usize = 10_000;
/// Live login sessions kept at once; beyond it the least recently used one is dropped.
const MAX_LOGIN_SESSIONS: usize = 100_000;

/// Login calls per account email (lower-case), then per answer (`OK`, `INVALID`,
/// `LIMITREACHED`, `HTTP 503`): what `GET /sandbox/logins` shows.
pub type LoginAttempts = BTreeMap<String, BTreeMap<String, u64>>;

/// One PIN session the sandbox created, as `GET /sandbox/sessions` shows it.
///
/// Text fields are `None` when the parameter was absent and `Some` of exactly what
/// arrived (after URL/form decoding) when present, even if empty.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct SessionRecord {
    /// The six-digit, zero-padded PIN handed out.
    pub pin: String,
    /// `"lens"` (requestLensPINCode) or `"desktop"` (requestPINCode).
    pub kind: String,
    /// Email of the technician (as configured) the session belongs to.
    pub technician: String,
    /// Custom field 0.
    pub cfield0: Option<String>,
    /// Custom field 1.
    pub cfield1: Option<String>,
    /// Custom field 2.
    pub cfield2: Option<String>,
    /// Custom field 3.
    pub cfield3: Option<String>,
    /// Custom field 4.
    pub cfield4: Option<String>,
    /// Custom field 5.
    pub cfield5: Option<String>,
    /// Tracking field 0.
    pub tracking0: Option<String>,
    /// The raw `notechconsole` parameter.
    pub notechconsole: Option<String>,
    /// The HTTP method: `"GET"` or `"POST"` (SOAP calls are POSTs).
    pub method: String,
    /// How the PIN was requested: `"get"`, `"post"` (the `.aspx` pages), `"soap11"` or
    /// `"soap12"` (`API.asmx`).
    pub transport: String,
    /// Creation time, RFC 3339 UTC with milliseconds.
    pub time: String,
    /// What was called: the `.aspx` page (`requestLensPINCode.aspx`,
    /// `requestLensPINCode_v3.aspx`, …) or the SOAP operation (`requestLensPINCodeV3`), as
    /// the vendor spells it, whatever case the request used.
    pub call: String,
    /// Email of the account that asked: `technician` itself, unless a `NodeId` named
    /// another technician.
    pub requested_by: String,
    /// The Lens invitation (`requestLensPINCode_v3`/`_v4`, SOAP `requestLensPINCodeV3`);
    /// `None` for every other call.
    pub invitation: Option<InvitationRecord>,
}

/// A Lens invitation as `GET /sandbox/sessions` shows it. Nothing is ever sent.
///
/// Text fields are `None` when the parameter was absent (or the call does not read it:
/// `NodeId` is read by `_v4` only) and exactly what arrived when present.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct InvitationRecord {
    /// `PhoneNumber`.
    pub phone_number: Option<String>,
    /// `LangCode`.
    pub lang_code: Option<String>,
    /// `NodeId`.
    pub node_id: Option<String>,
    /// The SMS the service would send (language, join link and PIN); `None` when no phone
    /// number was given (or it was empty).
    pub sms_text: Option<String>,
    /// The `SMS_RESULT` word answered; `None` without an SMS.
    pub sms_result: Option<String>,
}

/// The text parameters a PIN request records, in [`SessionRecord`] order.
pub(crate) type PinFields = [Option<String>; 8];

/// How a PIN was asked for, beyond its fields.
pub(crate) struct Origin {
    /// The page or SOAP operation, as the vendor spells it.
    pub call: &'static str,
    pub transport: Transport,
    /// The account that asked (the PIN's technician unless a `NodeId` named another).
    pub requested_by: usize,
    pub invitation: Option<Box<Invitation>>,
}

/// A Lens invitation as stored; its SMS text is written only on inspection.
pub(crate) struct Invitation {
    pub phone_number: Option<String>,
    pub lang_code: Option<String>,
    pub node_id: Option<String>,
    /// The language and the `SMS_RESULT` word, when an SMS was asked for.
    pub sms: Option<(Lang, &'static str)>,
}

/// A PIN session as stored: cheap to create, turned into a [`SessionRecord`] only on inspection.
struct PinSession {
    pin: u32,
    lens: bool,
    account: usize,
    fields: PinFields,
    origin: Origin,
    time: SystemTime,
}

struct LoginSession {
    account: usize,
    last_seen: Instant,
}

#[derive(Default)]
struct Inner {
    logins: HashMap<String, LoginSession>,
    login_calls: HashMap<String, VecDeque<Instant>>,
    last_pin: HashMap<usize, Instant>,
    pins: VecDeque<PinSession>,
    live_pins: HashSet<u32>,
    /// Successful logins (sessions started), for [`State::login_count`].
    logins_started: u64,
    /// Every login call's answer, bounded like `login_calls` by [`MAX_COUNTED_EMAILS`].
    login_attempts: LoginAttempts,
    /// Passwords changed at run time (`POST /sandbox/password`), by account index.
    passwords: HashMap<usize, String>,
}

/// Shared state of one sandbox.
pub(crate) struct State {
    inner: Mutex<Inner>,
    pin_interval: Duration,
    session_idle: Duration,
    login_window: Duration,
}

/// Why a PIN could not be handed out after authentication and validation passed.
pub(crate) enum PinRefusal {
    PollRate,
}

impl State {
    pub(crate) fn new(
        pin_interval: Duration,
        session_idle: Duration,
        login_window: Duration,
    ) -> Self {
        State {
            inner: Mutex::default(),
            pin_interval,
            session_idle,
            login_window,
        }
    }

    /// Records the answer a login call of `email` got.
    pub(crate) fn record_login_attempt(&self, email: &str, answer: &str) {
        let key = email.to_lowercase();
        let mut inner = self.lock();
        let attempts = &mut inner.login_attempts;
        if !attempts.contains_key(&key) && attempts.len() >= MAX_COUNTED_EMAILS {
            return;
        }
        *attempts
            .entry(key)
            .or_default()
            .entry(answer.to_owned())
            .or_default() += 1;
    }

    /// Every login call's answer since the start or the last reset.
    pub(crate) fn login_attempts(&self) -> LoginAttempts {
        self.lock().login_attempts.clone()
    }

    /// Replaces the password of `account` from now on.
    pub(crate) fn set_password(&self, account: usize, password: &str) {
        self.lock().passwords.insert(account, password.to_owned());
    }

    /// The password of `account` if it was changed at run time.
    pub(crate) fn password(&self, account: usize) -> Option<String> {
        self.lock().passwords.get(&account).cloned()
    }

    fn lock(&self) -> MutexGuard<'_, Inner> {
        // A panic elsewhere must not turn every later request into a panic too.
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Counts a login call for `email`; false when it is over the limit (then it is not counted,
    /// so the limit lifts three minutes after the first counted call).
    pub(crate) fn count_login_call(&self, email: &str, now: Instant) -> bool {
        let key = email.to_lowercase();
        let mut inner = self.lock();
        if !inner.login_calls.contains_key(&key) && inner.login_calls.len() >= MAX_COUNTED_EMAILS {
            prune_login_calls(&mut inner.login_calls, now, self.login_window);
            if inner.login_calls.len() >= MAX_COUNTED_EMAILS {
                return true;
            }
        }
        let calls = inner.login_calls.entry(key).or_default();
        while calls
            .front()
            .is_some_and(|&t| now.duration_since(t) >= self.login_window)
        {
            calls.pop_front();
        }
        if calls.len() >= LOGIN_LIMIT {
            return false;
        }
        calls.push_back(now);
        true
    }

    /// Starts a login session for `account`, ending `replaces` first; returns the new session id.
    pub(crate) fn log_in(&self, account: usize, replaces: Option<&str>, now: Instant) -> String {
        let id = new_session_id();
        let mut inner = self.lock();
        if let Some(old) = replaces {
            inner.logins.remove(old);
        }
        if inner.logins.len() >= MAX_LOGIN_SESSIONS {
            self.prune_logins(&mut inner, now);
            if inner.logins.len() >= MAX_LOGIN_SESSIONS {
                let oldest = inner
                    .logins
                    .iter()
                    .min_by_key(|(_, s)| s.last_seen)
                    .map(|(k, _)| k.clone());
                if let Some(k) = oldest {
                    inner.logins.remove(&k);
                }
            }
        }
        inner.logins_started += 1;
        inner.logins.insert(
            id.clone(),
            LoginSession {
                account,
                last_seen: now,
            },
        );
        id
    }

    /// The account of a live session, refreshing its idle timer; drops it if it has expired.
    pub(crate) fn touch(&self, id: &str, now: Instant) -> Option<usize> {
        let mut inner = self.lock();
        let session = inner.logins.get_mut(id)?;
        if now.duration_since(session.last_seen) >= self.session_idle {
            inner.logins.remove(id);
            return None;
        }
        session.last_seen = now;
        Some(session.account)
    }

    /// Ends a live session; false if there was none (or it had expired).
    pub(crate) fn log_out(&self, id: &str, now: Instant) -> bool {
        let mut inner = self.lock();
        match inner.logins.remove(id) {
            Some(s) => now.duration_since(s.last_seen) < self.session_idle,
            None => false,
        }
    }

    /// Applies the poll-rate limit and, if allowed, records a new PIN session.
    pub(crate) fn create_pin(
        &self,
        account: usize,
        lens: bool,
        fields: PinFields,
        origin: Origin,
        now: Instant,
    ) -> Result<u32, PinRefusal> {
        let time = SystemTime::now();
        let mut inner = self.lock();
        if !self.pin_interval.is_zero() {
            if let Some(&last) = inner.last_pin.get(&account) {
                if now.duration_since(last) < self.pin_interval {
                    return Err(PinRefusal::PollRate);
                }
            }
            inner.last_pin.insert(account, now);
        }
        if inner.pins.len() >= MAX_RECORDED_SESSIONS {
            if let Some(old) = inner.pins.pop_front() {
                inner.live_pins.remove(&old.pin);
            }
        }
        // At most 10% of the 10^6 PINs are live, so this rarely loops more than once.
        let pin = loop {
            let candidate = fastrand::u32(..1_000_000);
            if inner.live_pins.insert(candidate) {
                break candidate;
            }
        };
        inner.pins.push_back(PinSession {
            pin,
            lens,
            account,
            fields,
            origin,
            time,
        });
        Ok(pin)
    }

    /// Every recorded PIN session, oldest first.
    pub(crate) fn sessions(&self, accounts: &Directory) -> Vec<SessionRecord> {
        let inner = self.lock();
        inner
            .pins
            .iter()
            .map(|p| {
                let [c0, c1, c2, c3, c4, c5, t0, ntc] = p.fields.clone();
                let transport = p.origin.transport;
                let invitation = p.origin.invitation.as_deref().map(|i| InvitationRecord {
                    phone_number: i.phone_number.clone(),
                    lang_code: i.lang_code.clone(),
                    node_id: i.node_id.clone(),
                    sms_text: i.sms.map(|(lang, _)| lang.text(p.pin)),
                    sms_result: i.sms.map(|(_, result)| result.to_owned()),
                });
                SessionRecord {
                    pin: format!("{:06}", p.pin),
                    kind: if p.lens { "lens" } else { "desktop" }.to_owned(),
                    technician: accounts.get(p.account).email.clone(),
                    cfield0: c0,
                    cfield1: c1,
                    cfield2: c2,
                    cfield3: c3,
                    cfield4: c4,
                    cfield5: c5,
                    tracking0: t0,
                    notechconsole: ntc,
                    method: transport.http_method().to_owned(),
                    transport: transport.name().to_owned(),
                    time: rfc3339(p.time),
                    call: p.origin.call.to_owned(),
                    requested_by: accounts.get(p.origin.requested_by).email.clone(),
                    invitation,
                }
            })
            .collect()
    }

    /// Successful logins since the start or the last reset.
    pub(crate) fn login_count(&self) -> u64 {
        self.lock().logins_started
    }

    /// The ids (cookie values) of the login sessions held now, expired ones included until
    /// they are pruned.
    pub(crate) fn session_cookies(&self) -> Vec<String> {
        self.lock().logins.keys().cloned().collect()
    }

    /// Forgets everything: sessions, logins, rate counters, login attempts and changed
    /// passwords.
    pub(crate) fn reset(&self) {
        *self.lock() = Inner::default();
    }

    /// Ends every login session, as 20 idle minutes would.
    pub(crate) fn expire_logins(&self) {
        self.lock().logins.clear();
    }

    /// Drops expired logins and stale counters; run periodically so idle state shrinks.
    pub(crate) fn prune(&self, now: Instant) {
        let mut inner = self.lock();
        self.prune_logins(&mut inner, now);
        prune_login_calls(&mut inner.login_calls, now, self.login_window);
        let interval = self.pin_interval;
        inner
            .last_pin
            .retain(|_, t| now.duration_since(*t) < interval);
    }

    fn prune_logins(&self, inner: &mut Inner, now: Instant) {
        let idle = self.session_idle;
        inner
            .logins
            .retain(|_, s| now.duration_since(s.last_seen) < idle);
    }
}

fn prune_login_calls(
    calls: &mut HashMap<String, VecDeque<Instant>>,
    now: Instant,
    window: Duration,
) {
    calls.retain(|_, c| c.back().is_some_and(|&t| now.duration_since(t) < window));
}

/// 24 characters from ASP.NET's session-id alphabet (lowercase letters and 0–5).
fn new_session_id() -> String {
    const ALPHABET: &[u8; 32] = b"abcdefghijklmnopqrstuvwxyz012345";
    (0..24)
        .map(|_| ALPHABET[fastrand::usize(..32)] as char)
        .collect()
}

/// `YYYY-MM-DDTHH:MM:SS.mmmZ`; written out here to avoid a date crate for one format.
pub(crate) fn rfc3339(t: SystemTime) -> String {
    let since = t.duration_since(SystemTime::UNIX_EPOCH).unwrap_or_default();
    let secs = since.as_secs();
    let (days, rem) = (secs / 86_400, secs % 86_400);
    // Howard Hinnant's civil_from_days, for days since 1970-01-01 (never negative here).
    let z = days as i64 + 719_468;
    let era = z / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{:03}Z",
        rem / 3600,
        rem / 60 % 60,
        rem % 60,
        since.subsec_millis()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_rfc3339() {
        let t = SystemTime::UNIX_EPOCH + Duration::from_millis(951_825_600_123); // leap day 2000
        assert_eq!(rfc3339(t), "2000-02-29T12:00:00.123Z");
        assert_eq!(rfc3339(SystemTime::UNIX_EPOCH), "1970-01-01T00:00:00.000Z");
        let t = SystemTime::UNIX_EPOCH + Duration::from_secs(4_102_444_799);
        assert_eq!(rfc3339(t), "2099-12-31T23:59:59.000Z");
    }

    #[test]
    fn the_pin_record_is_bounded_and_frees_old_pins() {
        let state = State::new(Duration::ZERO, Duration::from_secs(60), LOGIN_WINDOW);
        let now = Instant::now();
        for _ in 0..MAX_RECORDED_SESSIONS + 10 {
            let origin = Origin {
                call: "requestLensPINCode.aspx",
                transport: Transport::Get,
                requested_by: 0,
                invitation: None,
            };
            assert!(state
                .create_pin(0, true, Default::default(), origin, now)
                .is_ok());
        }
        let inner = state.lock();
        assert_eq!(inner.pins.len(), MAX_RECORDED_SESSIONS);
        assert_eq!(inner.live_pins.len(), MAX_RECORDED_SESSIONS);
    }

    #[test]
    fn session_ids_look_like_asp_net() {
        let id = new_session_id();
        assert_eq!(id.len(), 24);
        assert!(id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || (b'0'..=b'5').contains(&b)));
    }
}
