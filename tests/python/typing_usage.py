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


def invite(client: rescue.Client) -> Optional[str]:
    lens: rescue.LensPin = client.request_lens_pin_invite(
        phone_number="+1 555 0100", lang_code="de", node_id=1001, cfield0="Jane"
    )
    sent: bool = lens.sms_sent
    return lens.sms_result if sent else lens.pin


def describe_fault(error: rescue.RescueError) -> str:
    if isinstance(error, rescue.SoapFault):
        return f"{error.fault_code}: {error.fault_text}"
    if isinstance(error, rescue.GlobalIpRestricted):
        return "use an authcode"
    return str(error)


async def pin_async(base_url: str) -> str:
    async with rescue.AsyncClient(base_url, transport="soap12", login_limit_cooldown=5.0) as client:
        await client.login("tech@sandbox.test", "sandbox")
        lens: rescue.LensPin = await client.request_lens_pin_invite(phone_number="+1 555 0100")
        code: str = await client.request_auth_code("tech@sandbox.test", "sandbox")
        other: str = await client.request_pin(authcode=code, notechconsole=True)
        await client.logout()
        return lens.pin + other + await client.request_lens_pin(cfield0="x")


soap_client = rescue.Client(transport="soap11", login_limit_cooldown=1.5)
trace_level: int = rescue.TRACE
