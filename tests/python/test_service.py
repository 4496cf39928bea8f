"""Every documented answer of the service, through the sandbox, over every transport
(HTTP POST, HTTP GET, SOAP 1.1 and SOAP 1.2)."""

from __future__ import annotations

from typing import Any, Callable, Type

import pytest

import rescue
from conftest import AUTHCODES, PASSWORD, RECORDED, SOAP, TRANSPORTS, Sandbox, email, start

pytestmark = pytest.mark.parametrize("transport", TRANSPORTS)


def Client(base_url: str, transport: str, **settings: Any) -> rescue.Client:
    return rescue.Client(base_url, transport=transport, **settings)


def test_login_and_lens_pin(base_url: str, sandbox: Sandbox, transport: str) -> None:
    client = Client(base_url, transport)
    assert client.login(email("tech"), PASSWORD) is None  # type: ignore[func-returns-value]
    pin = client.request_lens_pin()
    assert isinstance(pin, str) and len(pin) == 6 and pin.isdigit()
    (session,) = sandbox.sessions()
    assert (session["pin"], session["kind"], session["technician"]) == (
        pin,
        "lens",
        email("tech"),
    )
    assert session["transport"] == RECORDED[transport]
    assert session["call"] in ("requestLensPINCode.aspx", "requestLensPINCode")
    assert client.logout() is None  # type: ignore[func-returns-value]


def test_desktop_pin(base_url: str, sandbox: Sandbox, transport: str) -> None:
    client = Client(base_url, transport)
    client.login(email("tech"), PASSWORD)
    pin = client.request_pin()
    (session,) = sandbox.sessions()
    assert (session["pin"], session["kind"]) == (pin, "desktop")
    assert session["transport"] == RECORDED[transport]


def test_auth_code_authenticates_without_login(base_url: str, sandbox: Sandbox, transport: str) -> None:
    client = Client(base_url, transport)
    code = client.request_auth_code(email("tech"), PASSWORD)
    assert code == AUTHCODES["tech"]
    pin = Client(base_url, transport).request_lens_pin(authcode=code)
    assert sandbox.sessions()[0]["pin"] == pin
    assert sandbox.sessions()[0]["transport"] == RECORDED[transport]


def test_leading_zeros_are_kept(base_url: str, transport: str) -> None:
    client = Client(base_url, transport)
    pins = [client.request_pin(authcode=AUTHCODES["tech"]) for _ in range(200)]
    assert all(len(pin) == 6 and pin.isdigit() for pin in pins)
    # About one sandbox PIN in ten starts with 0: missing all 200 has odds below 1e-9.
    assert any(pin.startswith("0") for pin in pins)


def lens(client: rescue.Client) -> str:
    return client.request_lens_pin()


def desktop(client: rescue.Client) -> str:
    return client.request_pin()


@pytest.mark.parametrize(
    ("account", "call", "error"),
    [
        ("error", lens, rescue.ServiceError),
        ("admin", lens, rescue.NotTechnician),
        ("offline", lens, rescue.NoTechConsoleRunning),
        ("offline", desktop, rescue.NoTechConsoleRunning),
        ("nopins", lens, rescue.OutOfPinCodes),
        ("nolens", lens, rescue.NoAccessToLens),
    ],
)
def test_service_words_after_login(
    base_url: str,
    sandbox: Sandbox,
    account: str,
    call: Callable[[rescue.Client], str],
    error: Type[rescue.RescueError],
    transport: str,
) -> None:
    client = Client(base_url, transport)
    client.login(email(account), PASSWORD)
    with pytest.raises(error) as raised:
        call(client)
    assert raised.value.status is error.status
    assert raised.value.status.name in str(raised.value)
    assert sandbox.sessions() == []


def test_nolens_may_open_desktop_sessions(base_url: str, transport: str) -> None:
    client = Client(base_url, transport)
    client.login(email("nolens"), PASSWORD)
    assert len(client.request_pin()) == 6


def test_notechconsole_allows_an_offline_technician(base_url: str, sandbox: Sandbox, transport: str) -> None:
    client = Client(base_url, transport)
    client.login(email("offline"), PASSWORD)
    pin = client.request_lens_pin(notechconsole=True)
    (session,) = sandbox.sessions()
    assert (session["pin"], session["notechconsole"]) == (pin, "1")


@pytest.mark.parametrize(
    ("authcode", "error"),
    [
        ("not-a-known-code", rescue.InvalidSecretAuthCode),
        (AUTHCODES["deleted"], rescue.UserIsDeleted),
        (AUTHCODES["disabled"], rescue.UserDeletedOrDisabled),
    ],
)
def test_authcode_words(base_url: str, authcode: str, error: Type[rescue.RescueError], transport: str) -> None:
    with pytest.raises(error) as raised:
        Client(base_url, transport).request_lens_pin(authcode=authcode)
    assert authcode not in str(raised.value)
    assert authcode not in repr(raised.value)


@pytest.mark.parametrize("account", ["tech", "deleted", "disabled"])
def test_wrong_or_unusable_credentials_are_invalid(base_url: str, account: str, transport: str) -> None:
    client = Client(base_url, transport)
    password = "wrong-password" if account == "tech" else PASSWORD
    with pytest.raises(rescue.InvalidCredentials) as raised:
        client.login(email(account), password)
    assert raised.value.status is rescue.Status.INVALID
    assert password not in str(raised.value)
    with pytest.raises(rescue.InvalidCredentials):
        client.request_auth_code(email(account), password)


def test_error_account_answers_error_to_auth_code(base_url: str, transport: str) -> None:
    with pytest.raises(rescue.ServiceError):
        Client(base_url, transport).request_auth_code(email("error"), PASSWORD)


def test_eleventh_login_in_three_minutes_is_limit_reached(base_url: str, transport: str) -> None:
    client = Client(base_url, transport)
    for _ in range(10):
        client.login(email("tech"), PASSWORD)
    with pytest.raises(rescue.LimitReached) as raised:
        client.login(email("tech"), PASSWORD)
    assert raised.value.status == 3


def test_pin_without_session_is_not_logged_in(base_url: str, transport: str) -> None:
    with pytest.raises(rescue.NotLoggedIn):
        Client(base_url, transport).request_lens_pin()


def test_logout_without_session_is_not_logged_in(base_url: str, transport: str) -> None:
    with pytest.raises(rescue.NotLoggedIn):
        Client(base_url, transport).logout()


def test_expired_session_without_renewal_is_not_logged_in(
    base_url: str, sandbox: Sandbox, transport: str
) -> None:
    client = Client(base_url, transport, renew_session=False)
    client.login(email("tech"), PASSWORD)
    client.request_lens_pin()
    sandbox.expire()
    with pytest.raises(rescue.NotLoggedIn):
        client.request_lens_pin()


def test_expired_session_is_renewed(base_url: str, sandbox: Sandbox, transport: str) -> None:
    client = Client(base_url, transport)  # renew_session=True is the default
    client.login(email("tech"), PASSWORD)
    sandbox.expire()
    pin = client.request_lens_pin()
    assert [s["pin"] for s in sandbox.sessions()] == [pin]


def test_poll_rate_exceeded(tmp_path_factory: pytest.TempPathFactory, transport: str) -> None:
    strict = start(tmp_path_factory)  # the default one-PIN-per-second limit
    try:
        client = Client(strict.base_url, transport)
        client.request_lens_pin(authcode=AUTHCODES["tech"])
        with pytest.raises(rescue.PollRateExceeded) as raised:
            client.request_lens_pin(authcode=AUTHCODES["tech"])
        assert raised.value.status is rescue.Status.POLLRATEEXCEEDED
    finally:
        strict.stop()
