"""The exceptions of the ``rescue`` package and the numbering they share with C and PHP."""

from __future__ import annotations

import enum
from typing import ClassVar, Dict, Type


class Status(enum.IntEnum):
    """Every documented return value of the service, then the client-side conditions.

    The numbers are stable and equal in every language (``rescue_status`` in C).
    """

    OK = 0
    ERROR = 1
    INVALID = 2
    LIMITREACHED = 3
    NOTLOGGEDIN = 4
    NOTTECHNICIAN = 5
    NOTECHCONSOLERUNNING = 6
    OUTOFPINCODES = 7
    POLLRATEEXCEEDED = 8
    INVALID_SECRETAUTHCODE = 9
    USER_IS_DELETED = 10
    USER_DELETED_OR_DISABLED = 11
    NO_ACCESS_TO_LENS = 12
    GLOBAL_IP_RESTRICTED = 13
    INVALID_ARGUMENT = 100
    FIELD_TOO_LONG = 101
    NETWORK = 103
    TIMEOUT = 104
    TLS = 105
    HTTP_STATUS = 106
    UNEXPECTED_RESPONSE = 107
    SOAP_FAULT = 109


class RescueError(Exception):
    """The base of every exception this package raises.

    ``str(error)`` is a message that never contains a password, authcode or cookie;
    ``error.status`` says which documented word or client-side condition it is.
    """

    status: ClassVar[Status]

    def __init__(self, message: str) -> None:
        super().__init__(message)


# ----- the service's answers -------------------------------------------------------------


class ServiceError(RescueError):
    """``ERROR``: an unspecified error on the service, such as a timeout there."""

    status = Status.ERROR


class InvalidCredentials(RescueError):
    """``INVALID``: a wrong input value, e.g. the email or password."""

    status = Status.INVALID


class LimitReached(RescueError):
    """``LIMITREACHED``: more than ten logins in three minutes; use an authcode instead."""

    status = Status.LIMITREACHED


class NotLoggedIn(RescueError):
    """``NOTLOGGEDIN``: no login session, or it expired."""

    status = Status.NOTLOGGEDIN


class NotTechnician(RescueError):
    """``NOTTECHNICIAN``: the account is not a technician."""

    status = Status.NOTTECHNICIAN


class NoTechConsoleRunning(RescueError):
    """``NOTECHCONSOLERUNNING``: the technician is offline; retry with ``notechconsole=True``."""

    status = Status.NOTECHCONSOLERUNNING


class OutOfPinCodes(RescueError):
    """``OUTOFPINCODES``: no more PIN codes can be generated."""

    status = Status.OUTOFPINCODES


class PollRateExceeded(RescueError):
    """``POLLRATEEXCEEDED``: PIN codes requested too often (one per second is allowed)."""

    status = Status.POLLRATEEXCEEDED


class InvalidSecretAuthCode(RescueError):
    """``INVALID_SECRETAUTHCODE``: the authcode is incorrect."""

    status = Status.INVALID_SECRETAUTHCODE


class UserIsDeleted(RescueError):
    """``USER_IS_DELETED``: the user of the authcode is deleted."""

    status = Status.USER_IS_DELETED


class UserDeletedOrDisabled(RescueError):
    """``USER_DELETED_OR_DISABLED``: the user of the authcode is deleted or disabled."""

    status = Status.USER_DELETED_OR_DISABLED


class NoAccessToLens(RescueError):
    """``NO_ACCESS_TO_LENS``: the user may not use Rescue Lens."""

    status = Status.NO_ACCESS_TO_LENS


class GlobalIpRestricted(RescueError):
    """``GLOBAL_IP_RESTRICTED``: the account accepts logins only from listed IP addresses
    (answered by SOAP ``login`` only); an authcode still works."""

    status = Status.GLOBAL_IP_RESTRICTED


# ----- conditions on this side ------------------------------------------------------------


class InvalidArgument(RescueError, ValueError):
    """An argument can't be sent (a NUL byte, a lone surrogate, a bad URL, method or
    timeout, a malformed PIN). Nothing was sent."""

    status = Status.INVALID_ARGUMENT


class FieldTooLong(RescueError, ValueError):
    """A field is longer than the service allows. Nothing was sent."""

    status = Status.FIELD_TOO_LONG

    def __init__(self, message: str, *, field: str = "", length: int = 0, limit: int = 0) -> None:
        super().__init__(message)
        #: The field's name, e.g. ``"cfield0"``.
        self.field = field
        #: Its length in characters (code points).
        self.length = length
        #: The documented maximum.
        self.limit = limit


class NetworkError(RescueError, ConnectionError):
    """The service could not be reached: DNS, connect, proxy or I/O failure."""

    status = Status.NETWORK


class Timeout(RescueError, TimeoutError):
    """The call did not finish within the client's timeout."""

    status = Status.TIMEOUT


class TlsError(RescueError):
    """The TLS handshake failed, e.g. an untrusted certificate."""

    status = Status.TLS


class HttpStatusError(RescueError):
    """The service answered an HTTP status other than 200."""

    status = Status.HTTP_STATUS

    def __init__(self, message: str, *, http_status: int = 0) -> None:
        super().__init__(message)
        #: The HTTP status code, e.g. 503.
        self.http_status = http_status


class UnexpectedResponse(RescueError):
    """The answer is none the documentation describes; the message keeps an excerpt."""

    status = Status.UNEXPECTED_RESPONSE


class SoapFault(RescueError):
    """Over SOAP, the service answered a ``soap:Fault`` (HTTP 500), e.g. for an operation it
    does not know. Never holds the request."""

    status = Status.SOAP_FAULT

    def __init__(self, message: str, *, fault_code: str = "", fault_text: str = "") -> None:
        super().__init__(message)
        #: The fault code as sent, e.g. ``"soap:Client"`` (1.1) or ``"soap:Sender"`` (1.2).
        self.fault_code = fault_code
        #: The first 200 characters of the fault's text.
        self.fault_text = fault_text


def _all_subclasses(cls: Type[RescueError]) -> Dict[int, Type[RescueError]]:
    found: Dict[int, Type[RescueError]] = {}
    for sub in cls.__subclasses__():
        found[int(sub.status)] = sub
        found.update(_all_subclasses(sub))
    return found


#: The exception class of each stable number; the compiled module raises through it.
CLASS_BY_STATUS: Dict[int, Type[RescueError]] = _all_subclasses(RescueError)

# Shown and pickled under the package users import.
for _cls in [Status, RescueError, *CLASS_BY_STATUS.values()]:
    _cls.__module__ = "rescue"
del _cls
