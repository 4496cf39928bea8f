"""A client for the LogMeIn Rescue API: log a technician in, get authcodes, and request
the 6-digit PIN codes that start Rescue Lens and desktop sessions.

>>> import rescue
>>> with rescue.Client() as client:                              # doctest: +SKIP
...     client.login("tech@example.com", "secret")
...     pin = client.request_lens_pin(cfield0="Ticket 4711")
...     print(pin, rescue.join_url(pin))

Every exception is a :class:`RescueError`; see :class:`Status` for the stable numbers.
"""

from ._errors import (
    FieldTooLong,
    HttpStatusError,
    InvalidArgument,
    InvalidCredentials,
    InvalidSecretAuthCode,
    LimitReached,
    NetworkError,
    NoAccessToLens,
    NoTechConsoleRunning,
    NotLoggedIn,
    NotTechnician,
    OutOfPinCodes,
    PollRateExceeded,
    RescueError,
    ServiceError,
    Status,
    Timeout,
    TlsError,
    UnexpectedResponse,
    UserDeletedOrDisabled,
    UserIsDeleted,
)
from ._rescue import DEFAULT_BASE_URL, JOIN_URL_PREFIX, VERSION, Client, join_url

__version__ = VERSION

__all__ = [
    "DEFAULT_BASE_URL",
    "JOIN_URL_PREFIX",
    "Client",
    "FieldTooLong",
    "HttpStatusError",
    "InvalidArgument",
    "InvalidCredentials",
    "InvalidSecretAuthCode",
    "LimitReached",
    "NetworkError",
    "NoAccessToLens",
    "NoTechConsoleRunning",
    "NotLoggedIn",
    "NotTechnician",
    "OutOfPinCodes",
    "PollRateExceeded",
    "RescueError",
    "ServiceError",
    "Status",
    "Timeout",
    "TlsError",
    "UnexpectedResponse",
    "UserDeletedOrDisabled",
    "UserIsDeleted",
    "join_url",
]
