# The compiled half of the `rescue` package (src/python/). Private: import `rescue`.
import os
from types import TracebackType
from typing import Callable, Dict, Optional, Tuple, Type, TypeVar, Union, final

from typing_extensions import Self

__all__ = [
    "Client",
    "LensPin",
    "join_url",
    "VERSION",
    "DEFAULT_BASE_URL",
    "STATUS_CODES",
    "JOIN_URL_PREFIX",
    "TRACE",
    "_refresh_log_level",
    "_set_interrupt_check",
    "_Cancel",
    "_call_cancellable",
]

_T = TypeVar("_T")

VERSION: str
DEFAULT_BASE_URL: str
JOIN_URL_PREFIX: str
STATUS_CODES: Dict[str, int]
TRACE: int

def join_url(pin: str) -> str: ...
def _refresh_log_level(watched: bool) -> None: ...
def _set_interrupt_check(enabled: bool) -> bool: ...
@final
class _Cancel:
    def __init__(self) -> None: ...
    def set(self) -> None: ...

def _call_cancellable(cancel: _Cancel, call: Callable[[], _T]) -> _T: ...
@final
class LensPin:
    @property
    def pin(self) -> str: ...
    @property
    def sms_result(self) -> Optional[str]: ...
    @property
    def sms_sent(self) -> bool: ...
    def __new__(cls, pin: str, sms_result: Optional[str] = None) -> Self: ...
    def __eq__(self, value: object, /) -> bool: ...
    def __hash__(self) -> int: ...
    def __reduce__(self) -> Tuple[Type[LensPin], Tuple[str, Optional[str]]]: ...

@final
class Client:
    def __new__(
        cls,
        base_url: Optional[str] = None,
        *,
        timeout: float = 30.0,
        ca_file: Union[str, "os.PathLike[str]", None] = None,
        proxy: Optional[str] = None,
        method: Optional[str] = None,
        transport: Optional[str] = None,
        renew_session: bool = True,
        login_limit_cooldown: float = 180.0,
        allow_plain_http: bool = False,
        system_roots: bool = False,
    ) -> Self: ...
    def login(self, email: str, password: str) -> None: ...
    def logout(self) -> None: ...
    def request_auth_code(self, email: str, password: str) -> str: ...
    def request_lens_pin(
        self,
        *,
        cfield0: Optional[str] = None,
        cfield1: Optional[str] = None,
        cfield2: Optional[str] = None,
        cfield3: Optional[str] = None,
        cfield4: Optional[str] = None,
        cfield5: Optional[str] = None,
        tracking0: Optional[str] = None,
        notechconsole: bool = False,
        authcode: Optional[str] = None,
    ) -> str: ...
    def request_lens_pin_invite(
        self,
        *,
        phone_number: Optional[str] = None,
        lang_code: Optional[str] = None,
        node_id: Union[str, int, None] = None,
        cfield0: Optional[str] = None,
        cfield1: Optional[str] = None,
        cfield2: Optional[str] = None,
        cfield3: Optional[str] = None,
        cfield4: Optional[str] = None,
        cfield5: Optional[str] = None,
        tracking0: Optional[str] = None,
        notechconsole: bool = False,
        authcode: Optional[str] = None,
    ) -> LensPin: ...
    def request_pin(
        self,
        *,
        cfield0: Optional[str] = None,
        cfield1: Optional[str] = None,
        cfield2: Optional[str] = None,
        cfield3: Optional[str] = None,
        cfield4: Optional[str] = None,
        cfield5: Optional[str] = None,
        tracking0: Optional[str] = None,
        notechconsole: bool = False,
        authcode: Optional[str] = None,
    ) -> str: ...
    def __enter__(self) -> Self: ...
    def __exit__(
        self,
        exc_type: Optional[Type[BaseException]],
        exc: Optional[BaseException],
        traceback: Optional[TracebackType],
    ) -> None: ...
