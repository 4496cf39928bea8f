"""The client object: construction, repr, the context manager, secrets."""

from __future__ import annotations

import pytest

import rescue
from conftest import AUTHCODES, PASSWORD, Sandbox, email


def test_defaults() -> None:
    client = rescue.Client()
    assert repr(client) == f"rescue.Client(base_url={rescue.DEFAULT_BASE_URL!r}, transport='http-post')"
    assert rescue.DEFAULT_BASE_URL == "https://secure.logmeinrescue.com/API/"


def test_repr_shows_base_url_and_transport_only(base_url: str) -> None:
    client = rescue.Client(base_url, method="get", timeout=5, proxy="http://127.0.0.1:9")
    assert repr(client) == f"rescue.Client(base_url={base_url!r}, transport='http-get')"
    for name in ["http-post", "http-get", "soap11", "SOAP12"]:
        shown = repr(rescue.Client(base_url, transport=name))
        assert shown == f"rescue.Client(base_url={base_url!r}, transport={name.lower()!r})"


def test_secrets_never_shown(base_url: str) -> None:
    client = rescue.Client(base_url, renew_session=False)
    secret_password = "Sup3r-Secret-Pw"
    with pytest.raises(rescue.InvalidCredentials) as raised:
        client.login(email("tech"), secret_password)
    shown = [str(raised.value), repr(raised.value), repr(client)]
    client.login(email("tech"), PASSWORD)
    code = client.request_auth_code(email("tech"), PASSWORD)
    with pytest.raises(rescue.NoAccessToLens) as lens:
        client.request_lens_pin(authcode=AUTHCODES["nolens"])
    shown += [str(lens.value), repr(lens.value), repr(client)]
    for text in shown:
        for secret in (secret_password, PASSWORD, code, AUTHCODES["nolens"]):
            assert secret not in text, text


@pytest.mark.parametrize(
    "kwargs",
    [
        {"method": "PUT"},
        {"transport": "soap"},
        {"transport": "http_post"},
        {"transport": "POST"},
        {"transport": ""},
        {"method": "POST", "transport": "http-post"},
        {"method": "GET", "transport": "soap11"},
        {"login_limit_cooldown": -1.0},
        {"login_limit_cooldown": float("nan")},
        {"login_limit_cooldown": float("inf")},
        {"timeout": 0},
        {"timeout": -1.0},
        {"timeout": float("nan")},
        {"timeout": float("inf")},
        {"proxy": "not a proxy url"},
    ],
)
def test_bad_settings_are_invalid_arguments(base_url: str, kwargs: dict) -> None:  # type: ignore[type-arg]
    with pytest.raises(rescue.InvalidArgument) as raised:
        rescue.Client(base_url, **kwargs)
    assert isinstance(raised.value, ValueError)


@pytest.mark.parametrize("url", ["", "not a url", "ftp://example.com/API/", "http://a\0b/"])
def test_bad_base_urls_are_invalid_arguments(url: str) -> None:
    with pytest.raises(rescue.InvalidArgument, match="base_url"):
        rescue.Client(url)


def test_base_url_with_credentials_is_refused() -> None:
    with pytest.raises(rescue.InvalidArgument) as raised:
        rescue.Client("http://user:hunter2@127.0.0.1/API/")
    assert "hunter2" not in str(raised.value)


def test_context_manager_logs_out(base_url: str, sandbox: Sandbox) -> None:
    with rescue.Client(base_url, renew_session=False) as client:
        assert isinstance(client, rescue.Client)
        client.login(email("tech"), PASSWORD)
        client.request_lens_pin()
    # The session is gone on the service's side: the same cookie jar is refused.
    with pytest.raises(rescue.NotLoggedIn):
        client.request_lens_pin()
    assert len(sandbox.sessions()) == 1


def test_context_manager_logs_out_after_an_exception(base_url: str) -> None:
    with pytest.raises(KeyError):
        with rescue.Client(base_url, renew_session=False) as client:
            client.login(email("tech"), PASSWORD)
            raise KeyError("inside")
    with pytest.raises(rescue.NotLoggedIn):
        client.request_lens_pin()


def test_context_manager_without_login_sends_nothing(base_url: str) -> None:
    # No session: leaving the block must not call logout (which would answer NOTLOGGEDIN).
    with rescue.Client(base_url) as client:
        client.request_pin(authcode=AUTHCODES["tech"])


def test_context_manager_tolerates_an_expired_session(base_url: str, sandbox: Sandbox) -> None:
    with rescue.Client(base_url) as client:
        client.login(email("tech"), PASSWORD)
        sandbox.expire()


def test_context_manager_reports_a_failed_logout(base_url: str) -> None:
    # The error account answers ERROR to logout.
    with pytest.raises(rescue.ServiceError):
        with rescue.Client(base_url) as client:
            client.login(email("error"), PASSWORD)


def test_context_manager_keeps_the_blocks_exception(base_url: str) -> None:
    with pytest.raises(KeyError):
        with rescue.Client(base_url) as client:
            client.login(email("error"), PASSWORD)
            raise KeyError("inside")


def test_logout_then_pin_is_not_logged_in_even_with_renewal(base_url: str) -> None:
    client = rescue.Client(base_url)
    client.login(email("tech"), PASSWORD)
    client.logout()  # forgets the credentials, so there is nothing to renew with
    with pytest.raises(rescue.NotLoggedIn):
        client.request_lens_pin()
