//! The service's documented return values.

use std::fmt;
use std::str::FromStr;

/// A return value of the Rescue API, as documented by the vendor.
///
/// The numbers are stable: they are the values of `rescue_status` in C, of `rescue.Status`
/// in Python and of `RescueException::getCode()` in PHP. A retired number is never reused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[repr(u32)]
pub enum Status {
    /// `OK`: the call succeeded.
    Ok = 0,
    /// `ERROR`: an unspecified error occurred on the service, such as a timeout.
    Error = 1,
    /// `INVALID`: a wrong input value, e.g. bad credentials.
    Invalid = 2,
    /// `LIMITREACHED`: login was called more than ten times in three minutes.
    LimitReached = 3,
    /// `NOTLOGGEDIN`: the caller is not (or no longer) logged in.
    NotLoggedIn = 4,
    /// `NOTTECHNICIAN`: the PIN code was not requested by a technician.
    NotTechnician = 5,
    /// `NOTECHCONSOLERUNNING`: the technician is offline and the console is not running.
    NoTechConsoleRunning = 6,
    /// `OUTOFPINCODES`: no more PIN codes can be generated.
    OutOfPinCodes = 7,
    /// `POLLRATEEXCEEDED`: PIN codes were requested too often (one per second is allowed).
    PollRateExceeded = 8,
    /// `INVALID_SECRETAUTHCODE`: the authcode is incorrect.
    InvalidSecretAuthCode = 9,
    /// `USER_IS_DELETED`: the user of the authcode is deleted.
    UserIsDeleted = 10,
    /// `USER_DELETED_OR_DISABLED`: the user of the authcode is deleted or disabled.
    UserDeletedOrDisabled = 11,
    /// `NO_ACCESS_TO_LENS`: the user has no permission to use Rescue Lens.
    NoAccessToLens = 12,
    /// `GLOBAL_IP_RESTRICTED`: the account only accepts logins from listed IP addresses.
    /// Answered by SOAP's `login` only (`login_GlobalIpRestricted`).
    GlobalIpRestricted = 13,
}

impl Status {
    /// Every status, in numeric order.
    pub const ALL: [Status; 14] = [
        Status::Ok,
        Status::Error,
        Status::Invalid,
        Status::LimitReached,
        Status::NotLoggedIn,
        Status::NotTechnician,
        Status::NoTechConsoleRunning,
        Status::OutOfPinCodes,
        Status::PollRateExceeded,
        Status::InvalidSecretAuthCode,
        Status::UserIsDeleted,
        Status::UserDeletedOrDisabled,
        Status::NoAccessToLens,
        Status::GlobalIpRestricted,
    ];

    /// The word the service answers with, e.g. `"POLLRATEEXCEEDED"`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Status::Ok => "OK",
            Status::Error => "ERROR",
            Status::Invalid => "INVALID",
            Status::LimitReached => "LIMITREACHED",
            Status::NotLoggedIn => "NOTLOGGEDIN",
            Status::NotTechnician => "NOTTECHNICIAN",
            Status::NoTechConsoleRunning => "NOTECHCONSOLERUNNING",
            Status::OutOfPinCodes => "OUTOFPINCODES",
            Status::PollRateExceeded => "POLLRATEEXCEEDED",
            Status::InvalidSecretAuthCode => "INVALID_SECRETAUTHCODE",
            Status::UserIsDeleted => "USER_IS_DELETED",
            Status::UserDeletedOrDisabled => "USER_DELETED_OR_DISABLED",
            Status::NoAccessToLens => "NO_ACCESS_TO_LENS",
            Status::GlobalIpRestricted => "GLOBAL_IP_RESTRICTED",
        }
    }

    /// What the status means, in the vendor's words.
    pub const fn description(self) -> &'static str {
        match self {
            Status::Ok => "the call succeeded",
            Status::Error => "an unspecified error occurred on the service, such as a timeout",
            Status::Invalid => "an input value was wrong, e.g. the email or password",
            Status::LimitReached => {
                "login was called more than ten times in three minutes; use an authcode instead"
            }
            Status::NotLoggedIn => "the user is not logged in, or the session expired",
            Status::NotTechnician => "the PIN code was not requested by a technician",
            Status::NoTechConsoleRunning => {
                "the technician is offline and the Technician Console is not running \
                 (request with notechconsole to allow it)"
            }
            Status::OutOfPinCodes => "there are no more PIN codes that can be generated",
            Status::PollRateExceeded => {
                "PIN codes were requested too often; the service allows one per second"
            }
            Status::InvalidSecretAuthCode => "the authentication code is incorrect",
            Status::UserIsDeleted => "the user whose authcode was given is deleted",
            Status::UserDeletedOrDisabled => {
                "the user whose authcode was given is deleted or disabled"
            }
            Status::NoAccessToLens => "the user does not have permission to access Rescue Lens",
            Status::GlobalIpRestricted => {
                "the account only accepts logins from its listed IP addresses"
            }
        }
    }

    /// The stable number of this status (see the type's documentation).
    pub const fn code(self) -> u32 {
        self as u32
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The text is not one of the documented return values.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("not a documented Rescue return value")]
pub struct ParseStatusError;

impl FromStr for Status {
    type Err = ParseStatusError;

    /// Exact, case-sensitive match of a whole word: `NOTOK` is not `OK`.
    fn from_str(word: &str) -> Result<Self, Self::Err> {
        Status::ALL
            .into_iter()
            .find(|status| status.as_str() == word)
            .ok_or(ParseStatusError)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_round_trip_and_numbers_are_positions() {
        for (number, status) in Status::ALL.into_iter().enumerate() {
            assert_eq!(status.as_str().parse::<Status>(), Ok(status));
            assert_eq!(status.code() as usize, number);
        }
    }

    #[test]
    fn only_whole_words_parse() {
        for word in ["NOTOK", "ok", "OK ", "", "INVALIDPINFORMAT"] {
            assert_eq!(word.parse::<Status>(), Err(ParseStatusError), "{word:?}");
        }
    }
}
