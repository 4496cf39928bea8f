"""Broken transports, odd layouts, TLS and threads."""

from __future__ import annotations

import socket
import threading
import time
from pathlib import Path
from typing import Iterator, List

import pytest

import rescue
from conftest import AUTHCODES, PASSWORD, SOAP, TRANSPORTS, Sandbox, email, start


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_hang_times_out(sandbox: Sandbox, transport: str) -> None:
    client = rescue.Client(sandbox.fault("hang"), timeout=1.0, transport=transport)
    began = time.monotonic()
    with pytest.raises(rescue.Timeout) as raised:
        client.request_lens_pin(authcode=AUTHCODES["tech"])
    assert time.monotonic() - began < 2.0
    assert isinstance(raised.value, TimeoutError)
    assert raised.value.status is rescue.Status.TIMEOUT


@pytest.mark.parametrize("transport", TRANSPORTS)
@pytest.mark.parametrize("code", [500, 503])
def test_http_status(sandbox: Sandbox, code: int, transport: str) -> None:
    # Over SOAP too: a 500 without a readable soap:Fault is an HTTP status, not SOAP_FAULT.
    client = rescue.Client(sandbox.fault(f"status-{code}"), transport=transport)
    with pytest.raises(rescue.HttpStatusError) as raised:
        client.login(email("tech"), PASSWORD)
    assert raised.value.http_status == code
    assert str(code) in str(raised.value)


@pytest.mark.parametrize("transport", TRANSPORTS)
@pytest.mark.parametrize("kind", ["html", "unknown", "huge", "empty"])
def test_unexpected_responses(sandbox: Sandbox, kind: str, transport: str) -> None:
    client = rescue.Client(sandbox.fault(kind), transport=transport)
    with pytest.raises(rescue.UnexpectedResponse) as raised:
        client.request_lens_pin(authcode=AUTHCODES["tech"])
    assert raised.value.status is rescue.Status.UNEXPECTED_RESPONSE
    if kind == "unknown":  # the answer's word is kept
        assert ("SomethingNew" if transport in SOAP else "SOMETHING_NEW") in str(raised.value)


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_reset_is_network_error(sandbox: Sandbox, transport: str) -> None:
    client = rescue.Client(sandbox.fault("reset"), transport=transport)
    with pytest.raises(rescue.NetworkError) as raised:
        client.request_lens_pin(authcode=AUTHCODES["tech"])
    assert isinstance(raised.value, ConnectionError)


def test_connection_refused_is_network_error() -> None:
    with socket.socket() as probe:  # a port that nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(rescue.NetworkError):
        rescue.Client(f"http://127.0.0.1:{port}/API/").login(email("tech"), PASSWORD)


@pytest.mark.parametrize("kind", ["crlf", "oneline", "spaced"])
@pytest.mark.parametrize("method", ["POST", "GET"])
def test_other_layouts_work(sandbox: Sandbox, kind: str, method: str) -> None:
    client = rescue.Client(sandbox.fault(kind), method=method)
    assert client.request_auth_code(email("tech"), PASSWORD) == AUTHCODES["tech"]
    client.login(email("tech"), PASSWORD)
    pin = client.request_lens_pin()
    assert pin == sandbox.sessions()[0]["pin"]
    with pytest.raises(rescue.NoAccessToLens):
        rescue.Client(sandbox.fault(kind)).request_lens_pin(authcode=AUTHCODES["nolens"])
    client.logout()


@pytest.fixture(scope="module")
def tls_sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Sandbox, Path]]:
    cert = tmp_path_factory.mktemp("tls") / "cert.pem"
    sandbox = start(tmp_path_factory, "--pin-interval-ms", "0", "--tls", "--cert-out", str(cert))
    yield sandbox, cert
    sandbox.stop()


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_untrusted_certificate_is_tls_error(
    tls_sandbox: tuple[Sandbox, Path], transport: str
) -> None:
    sandbox, _ = tls_sandbox
    assert sandbox.base_url.startswith("https://")
    client = rescue.Client(sandbox.base_url, transport=transport)
    with pytest.raises(rescue.TlsError) as raised:
        client.request_lens_pin(authcode=AUTHCODES["tech"])
    assert raised.value.status is rescue.Status.TLS


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_ca_file_is_trusted(tls_sandbox: tuple[Sandbox, Path], transport: str) -> None:
    sandbox, cert = tls_sandbox
    for ca_file in (cert, str(cert)):  # a path or a str
        client = rescue.Client(sandbox.base_url, ca_file=ca_file, transport=transport)
        client.login(email("tech"), PASSWORD)
        assert len(client.request_lens_pin()) == 6


def test_system_roots_trust_the_system_bundle(
    tls_sandbox: tuple[Sandbox, Path],
    tmp_path_factory: pytest.TempPathFactory,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # On Linux the system store is the bundle SSL_CERT_FILE names: here, the sandbox's own.
    sandbox, cert = tls_sandbox
    monkeypatch.setenv("SSL_CERT_FILE", str(cert))
    monkeypatch.delenv("SSL_CERT_DIR", raising=False)
    client = rescue.Client(sandbox.base_url, system_roots=True)
    client.login(email("tech"), PASSWORD)
    assert len(client.request_lens_pin()) == 6
    with pytest.raises(rescue.TlsError):  # off by default: the built-in roots
        rescue.Client(sandbox.base_url).login(email("tech"), PASSWORD)
    # A bundle holding another sandbox's certificate only: the first one is refused.
    other = tmp_path_factory.mktemp("tls-other") / "cert.pem"
    start(tmp_path_factory, "--tls", "--cert-out", str(other)).stop()
    assert other.read_bytes() != cert.read_bytes()
    monkeypatch.setenv("SSL_CERT_FILE", str(other))
    with pytest.raises(rescue.TlsError):
        rescue.Client(sandbox.base_url, system_roots=True).login(email("tech"), PASSWORD)


def test_missing_ca_file_is_invalid_argument(tmp_path: Path) -> None:
    with pytest.raises(rescue.InvalidArgument, match="ca_file"):
        rescue.Client("https://localhost:1/API/", ca_file=tmp_path / "missing.pem")


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_plain_http_off_this_machine_is_refused_unless_allowed(transport: str) -> None:
    client = rescue.Client("http://rescue.invalid/API/", transport=transport)
    with pytest.raises(rescue.InvalidArgument, match="clear text") as refused:
        client.login("tech@sandbox.test", PASSWORD)
    assert isinstance(refused.value, ValueError)
    assert refused.value.status == rescue.Status.INVALID_ARGUMENT
    # Allowed, the request really goes out: the .invalid name does not resolve.
    allowing = rescue.Client(
        "http://rescue.invalid/API/", allow_plain_http=True, transport=transport
    )
    with pytest.raises(rescue.NetworkError):
        allowing.login("tech@sandbox.test", PASSWORD)


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_threads_run_in_parallel_without_the_gil(sandbox: Sandbox, transport: str) -> None:
    # One shared client; each call waits 200 ms in the sandbox. Holding the GIL would
    # serialise them to 16 x 200 ms.
    client = rescue.Client(sandbox.fault("slow-200"), transport=transport)
    pins: List[str] = []
    errors: List[BaseException] = []

    def work() -> None:
        try:
            pins.append(client.request_lens_pin(authcode=AUTHCODES["tech"]))
        except BaseException as error:  # reported below
            errors.append(error)

    threads = [threading.Thread(target=work) for _ in range(16)]
    began = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - began
    print(f"{transport}: 16 threads x 200 ms took {elapsed * 1000:.0f} ms")
    assert errors == []
    assert len(set(pins)) == 16
    assert elapsed < 16 * 0.200 / 2


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_python_runs_while_a_call_waits(sandbox: Sandbox, transport: str) -> None:
    client = rescue.Client(sandbox.fault("slow-500"), transport=transport)
    thread = threading.Thread(target=client.request_lens_pin, kwargs={"authcode": AUTHCODES["tech"]})
    thread.start()
    ticks = 0
    while thread.is_alive():
        ticks += 1
        time.sleep(0.01)
    thread.join()
    assert ticks > 10


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_threads_share_one_session_renewal(sandbox: Sandbox, transport: str) -> None:
    client = rescue.Client(sandbox.base_url, transport=transport)
    client.login(email("tech"), PASSWORD)
    sandbox.expire()
    pins: List[str] = []
    errors: List[BaseException] = []

    def work() -> None:
        try:
            pins.append(client.request_lens_pin())
        except BaseException as error:  # reported below
            errors.append(error)

    threads = [threading.Thread(target=work) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(pins) == sorted(s["pin"] for s in sandbox.sessions())
    assert sandbox.logins(email("tech")) == {"OK": 2}  # the login and one renewal
