//! When a session that ended may be renewed, and what a failed renewal leaves behind.
//!
//! A renewal is one login with the remembered credentials. Many callers see the same
//! session end at once; one of them logs in and the others take its outcome. A renewal
//! that fails is remembered for the session that ended, so that callers don't repeat a
//! login that can't work: after `INVALID` never (the credentials are dropped), after
//! `LIMITREACHED` not before the service's window has passed, after anything else not
//! before a back-off step (1 s doubling up to 60 s).

use std::time::{Duration, Instant};

use crate::error::Error;
use crate::status::Status;

/// How long no renewal is tried after the service answered `LIMITREACHED`: its window for
/// ten logins.
pub(crate) const DEFAULT_LIMIT_COOLDOWN: Duration = Duration::from_secs(3 * 60);
/// The first wait after a renewal failed on the network or with `ERROR`; it doubles.
const FIRST_BACKOFF: Duration = Duration::from_secs(1);
/// The longest wait between two renewals that fail on the network or with `ERROR`.
const MAX_BACKOFF: Duration = Duration::from_secs(60);

/// The renewal state of one login session.
#[derive(Debug, Default)]
pub(crate) struct Renewal {
    /// The process whose caller is logging in again now; the others wait for its outcome.
    /// A process id, so that a child forked during a renewal (whose renewing thread does
    /// not exist there) doesn't wait for it.
    in_flight: Option<u32>,
    /// The last renewal that failed, for the session generation it tried to renew.
    failed: Option<Failed>,
}

#[derive(Debug)]
struct Failed {
    generation: u64,
    error: Error,
    /// No renewal before this; `None`: none until the application logs in.
    retry_at: Option<Instant>,
    /// The back-off step that led to `retry_at`, doubled by the next failure.
    backoff: Duration,
}

/// What a failed renewal login means for the next ones.
pub(crate) enum Verdict {
    /// `INVALID`: the credentials were refused; drop them.
    DropCredentials,
    /// Don't try again for a while.
    Wait,
}

impl Renewal {
    /// Whether a caller of this process is renewing the session now.
    pub(crate) fn in_flight(&self) -> bool {
        self.in_flight == Some(std::process::id())
    }

    /// Marks the start (`true`) or end of this process's renewal.
    pub(crate) fn set_in_flight(&mut self, renewing: bool) {
        self.in_flight = renewing.then(std::process::id);
    }

    /// The error to answer at once, without any traffic, for a call on session
    /// `generation` that needs a renewal: the last failure's, while it forbids another try.
    pub(crate) fn refusal(&self, generation: u64, now: Instant) -> Option<Error> {
        let failed = self.failed.as_ref()?;
        let waiting = failed.retry_at.is_none_or(|at| now < at);
        (failed.generation == generation && waiting).then(|| failed.error.clone())
    }

    /// Like [`refusal`](Self::refusal), but only while a cool-down or back-off runs: a
    /// session whose credentials were dropped still sends its calls (they answer
    /// `NOTLOGGEDIN`, as the service would say).
    pub(crate) fn cooling_down(&self, generation: u64, now: Instant) -> Option<Error> {
        let failed = self.failed.as_ref()?;
        let cooling = failed.retry_at.is_some_and(|at| now < at);
        (failed.generation == generation && cooling).then(|| failed.error.clone())
    }

    /// Records that the renewal of session `generation` failed with `error`; returns the
    /// error every waiting caller gets, and what to do with the credentials.
    pub(crate) fn failed(
        &mut self,
        generation: u64,
        error: Error,
        limit_cooldown: Duration,
        now: Instant,
    ) -> (Error, Verdict) {
        let (error, retry_at, backoff, verdict) = match error {
            Error::Service(Status::Invalid) => (
                Error::RenewalRefused {
                    status: Status::Invalid,
                    reason: "the stored credentials were refused and dropped; \
                             no login is sent until the application logs in again"
                        .to_owned(),
                },
                None,
                Duration::ZERO,
                Verdict::DropCredentials,
            ),
            Error::Service(Status::LimitReached) => (
                Error::RenewalRefused {
                    status: Status::LimitReached,
                    reason: format!(
                        "no renewal is tried for {} s (the service's window); \
                         an authcode avoids login limits",
                        limit_cooldown.as_secs_f64()
                    ),
                },
                Some(now + limit_cooldown),
                Duration::ZERO,
                Verdict::Wait,
            ),
            other => {
                let backoff = match &self.failed {
                    Some(last) if last.generation == generation && !last.backoff.is_zero() => {
                        (last.backoff * 2).min(MAX_BACKOFF)
                    }
                    _ => FIRST_BACKOFF,
                };
                let error = other.with_note(&format!(
                    "while renewing the session; the next renewal is tried in {} s",
                    backoff.as_secs()
                ));
                (error, Some(now + backoff), backoff, Verdict::Wait)
            }
        };
        self.failed = Some(Failed {
            generation,
            error: error.clone(),
            retry_at,
            backoff,
        });
        (error, verdict)
    }

    /// A login succeeded: every failure is forgotten.
    pub(crate) fn reset(&mut self) {
        self.failed = None;
    }
}
