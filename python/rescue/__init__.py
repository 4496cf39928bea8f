"""A client for the LogMeIn Rescue API: log a technician in, get authcodes, and request
the 6-digit PIN codes that start Rescue Lens and desktop sessions.

>>> import rescue
>>> with rescue.Client() as client:                              # doctest: +SKIP
...     client.login("tech@example.com", "secret")
...     pin = client.request_lens_pin(cfield0="Ticket 4711")
...     print(pin, rescue.join_url(pin))

Every exception is a :class:`RescueError`; see :class:`Status` for the stable numbers.
:class:`AsyncClient` is the same client for asyncio. The library's events go to the
standard ``logging`` module, logger ``rescue`` (silent until the application enables it).
"""

from ._errors import (
    FieldTooLong,
    GlobalIpRestricted,
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
    SoapFault,
    Status,
    Timeout,
    TlsError,
    UnexpectedResponse,
    UserDeletedOrDisabled,
    UserIsDeleted,
)
from ._rescue import DEFAULT_BASE_URL, JOIN_URL_PREFIX, TRACE, VERSION, Client, LensPin, join_url
from ._async import AsyncClient
from ._logging import install as _install_logging

__version__ = VERSION

_install_logging()

__all__ = [
    "DEFAULT_BASE_URL",
    "JOIN_URL_PREFIX",
    "TRACE",
    "AsyncClient",
    "Client",
    "FieldTooLong",
    "GlobalIpRestricted",
    "HttpStatusError",
    "InvalidArgument",
    "InvalidCredentials",
    "InvalidSecretAuthCode",
    "LensPin",
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
    "SoapFault",
    "Status",
    "Timeout",
    "TlsError",
    "UnexpectedResponse",
    "UserDeletedOrDisabled",
    "UserIsDeleted",
    "join_url",
]
