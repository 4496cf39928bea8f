"""Type-checked with `mypy --strict` against the package's stubs (test_typing.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import rescue


def open_session(base_url: Optional[str], ca_file: Optional[Path]) -> str:
    with rescue.Client(
        base_url,
        timeout=5.0,
        ca_file=ca_file,
        proxy=None,
        method="GET",
        renew_session=False,
        allow_plain_http=False,
    ) as client:
        client.login("tech@sandbox.test", "sandbox")
        code: str = client.request_auth_code("tech@sandbox.test", "sandbox")
        pin: str = client.request_lens_pin(cfield0="Jane", tracking0="T-1", notechconsole=True)
        other: str = rescue.Client().request_pin(authcode=code)
        client.logout()
        return rescue.join_url(pin) + other


def describe(error: rescue.RescueError) -> str:
    status: rescue.Status = error.status
    if isinstance(error, rescue.FieldTooLong):
        return f"{error.field}: {error.length}/{error.limit}"
    if isinstance(error, rescue.HttpStatusError):
        return str(error.http_status)
    return f"{status.name}={int(status)}: {error}"


codes: dict[str, int] = {status.name: status.value for status in rescue.Status}
prefix: str = rescue.JOIN_URL_PREFIX + rescue.DEFAULT_BASE_URL + rescue.__version__
