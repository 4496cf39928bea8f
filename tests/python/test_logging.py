"""The library's events as records of the standard `logging` module (logger `rescue`):
what each call logs, that levels set anywhere in `logging` are honoured at once, that no
record holds a secret, and that records from many threads at once arrive whole."""

from __future__ import annotations

import logging
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any, Iterator, List, Optional

import pytest

import rescue
from conftest import AUTHCODES, ROOT, TRANSPORTS, Sandbox, assert_no_secret, email, start

SECRET_PASSWORD = "Log-Pw-7c41e"
FIELD = "Jane Doe, ticket 4711"
PHONE = "+44 7700 900123"


class Capture(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.NOTSET)
        self.records: List[logging.LogRecord] = []
        self._lock = threading.Lock()

    def emit(self, record: logging.LogRecord) -> None:
        with self._lock:
            self.records.append(record)

    def messages(self, levelno: Optional[int] = None) -> List[str]:
        return [r.getMessage() for r in self.records if levelno in (None, r.levelno)]

    def clear(self) -> None:
        with self._lock:
            self.records.clear()


@pytest.fixture
def rescue_logger() -> Iterator[logging.Logger]:
    logger = logging.getLogger("rescue")
    level, propagate = logger.level, logger.propagate
    logger.propagate = False  # pytest's own capture needn't format thousands of records
    yield logger
    logger.setLevel(level)
    logger.propagate = propagate


@pytest.fixture
def captured(rescue_logger: logging.Logger) -> Iterator[Capture]:
    handler = Capture()
    rescue_logger.addHandler(handler)
    rescue_logger.setLevel(rescue.TRACE)
    yield handler
    rescue_logger.removeHandler(handler)


@pytest.fixture
def tech(sandbox: Sandbox) -> str:
    # `sandbox`, the built-in password, is part of every email: use one the scan can find.
    sandbox.set_password(email("tech"), SECRET_PASSWORD)
    return email("tech")


def scan(captured: Capture, *secrets: str) -> None:
    assert captured.records
    records = captured.records
    texts = [f"{r.getMessage()} {r.pathname} {r.funcName} {r.args}" for r in records]
    assert_no_secret(texts, [SECRET_PASSWORD, FIELD, PHONE, PHONE[1:], "7700", *secrets])


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_a_successful_session(
    sandbox: Sandbox, tech: str, captured: Capture, transport: str
) -> None:
    client = rescue.Client(sandbox.base_url, transport=transport)
    client.login(tech, SECRET_PASSWORD)
    pin = client.request_lens_pin(cfield0=FIELD, cfield3="x")
    code = client.request_auth_code(tech, SECRET_PASSWORD)
    client.logout()

    soap = transport.startswith("soap")
    login = "API.asmx login" if soap else "login.aspx"
    lens = "API.asmx requestLensPINCode" if soap else "requestLensPINCode.aspx"
    debug = captured.messages(logging.DEBUG)
    assert f"{login} over {transport} to {sandbox.root}" in debug
    assert any(m.startswith(f"{lens} answered ") and m.endswith(" µs") for m in debug), debug
    assert any(m.startswith(f"{login} answered {'login_OK' if soap else 'OK'} (") for m in debug)
    trace = captured.messages(rescue.TRACE)
    assert f"{login} parameters: email={tech}, pwd=(secret)" in trace
    assert f"{lens} parameters: cfield0=({len(FIELD)} chars), cfield3=(1 chars)" in trace
    info = captured.messages(logging.INFO)
    assert info == [
        "logged in; a new login session started",
        "logged out; the stored credentials are forgotten",
    ]
    assert not captured.messages(logging.WARNING)
    record = captured.records[0]
    assert (record.name, record.levelname) == ("rescue", "DEBUG")
    assert logging.getLevelName(rescue.TRACE) == "TRACE"
    # Records carry the thread that made the call; no URL, no secret anywhere.
    assert {r.threadName for r in captured.records} == {"MainThread"}
    assert all(sandbox.base_url not in m and "?" not in m for m in captured.messages())
    assert len(pin) == 6
    scan(captured, code)


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_a_renewal(sandbox: Sandbox, tech: str, captured: Capture, transport: str) -> None:
    client = rescue.Client(sandbox.base_url, transport=transport)
    client.login(tech, SECRET_PASSWORD)
    sandbox.expire()
    captured.clear()
    client.request_pin(cfield0=FIELD)
    info = captured.messages(logging.INFO)
    assert info == [
        "the session ended (NOTLOGGEDIN); renewing it with the stored credentials",
        "session renewed",
    ]
    assert "retrying the request in the renewed session" in captured.messages(logging.DEBUG)
    scan(captured)


def test_a_refused_renewal_is_a_warning(sandbox: Sandbox, tech: str, captured: Capture) -> None:
    client = rescue.Client(sandbox.base_url)
    client.login(tech, SECRET_PASSWORD)
    sandbox.set_password(tech, "rotated-" + SECRET_PASSWORD[::-1])
    sandbox.expire()
    with pytest.raises(rescue.InvalidCredentials):
        client.request_pin()
    warnings = captured.messages(logging.WARNING)
    assert len(warnings) == 1 and warnings[0].startswith("session renewal failed:"), warnings
    scan(captured, "rotated-" + SECRET_PASSWORD[::-1])


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_a_timeout(sandbox: Sandbox, captured: Capture, transport: str) -> None:
    client = rescue.Client(sandbox.fault("hang"), timeout=0.5, transport=transport)
    with pytest.raises(rescue.Timeout):
        client.request_lens_pin(authcode=AUTHCODES["tech"], cfield0=FIELD)
    (warning,) = [r for r in captured.records if r.levelno == logging.WARNING]
    assert warning.levelname == "WARNING"
    assert " failed after " in warning.getMessage() and "TIMEOUT" in warning.getMessage()
    scan(captured)


@pytest.fixture(scope="module")
def tls_sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Sandbox]:
    cert = tmp_path_factory.mktemp("log-tls") / "cert.pem"
    sandbox = start(tmp_path_factory, "--pin-interval-ms", "0", "--tls", "--cert-out", str(cert))
    yield sandbox
    sandbox.stop()


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_a_tls_failure(tls_sandbox: Sandbox, captured: Capture, transport: str) -> None:
    client = rescue.Client(tls_sandbox.base_url, transport=transport)
    with pytest.raises(rescue.TlsError):
        client.login(email("tech"), SECRET_PASSWORD)
    warnings = captured.messages(logging.WARNING)
    assert len(warnings) == 1 and "failed after" in warnings[0] and "TLS" in warnings[0]
    scan(captured)


def test_an_invitation_masks_the_phone_number(sandbox: Sandbox, captured: Capture) -> None:
    client = rescue.Client(sandbox.base_url)
    lens = client.request_lens_pin_invite(phone_number=PHONE, authcode=AUTHCODES["tech"])
    assert lens.sms_sent
    assert any("PhoneNumber=***23" in m for m in captured.messages(rescue.TRACE))
    scan(captured)


def test_levels_set_anywhere_in_logging_apply_at_once(
    sandbox: Sandbox, captured: Capture, rescue_logger: logging.Logger
) -> None:
    client = rescue.Client(sandbox.base_url)

    def levels_of_one_call() -> set[int]:
        captured.clear()
        client.request_pin(authcode=AUTHCODES["tech"])
        return {r.levelno for r in captured.records}

    assert levels_of_one_call() == {rescue.TRACE, logging.DEBUG}
    rescue_logger.setLevel(logging.DEBUG)
    assert levels_of_one_call() == {logging.DEBUG}
    rescue_logger.setLevel(logging.INFO)
    assert levels_of_one_call() == set()
    # NOTSET: the root logger's level decides, and a change there is seen too.
    root = logging.getLogger()
    root_level = root.level
    rescue_logger.setLevel(logging.NOTSET)
    try:
        root.setLevel(logging.DEBUG)
        assert levels_of_one_call() == {logging.DEBUG}
        root.setLevel(logging.WARNING)
        assert levels_of_one_call() == set()
    finally:
        root.setLevel(root_level)
    rescue_logger.setLevel(rescue.TRACE)
    logging.disable(logging.CRITICAL)
    try:
        assert levels_of_one_call() == set()
    finally:
        logging.disable(logging.NOTSET)
    assert levels_of_one_call() == {rescue.TRACE, logging.DEBUG}
    # Set without logging knowing (no cache cleared): each record still asks the logger.
    rescue_logger.disabled = True
    try:
        assert levels_of_one_call() == set()
    finally:
        rescue_logger.disabled = False


def test_silent_without_configuration(sandbox: Sandbox) -> None:
    # A failed call logs a WARNING; with no logging configured nothing may be printed
    # (logging's last-resort handler would print warnings to stderr).
    program = (
        "import rescue\n"
        "try:\n"
        f"    rescue.Client({sandbox.fault('hang')!r}, timeout=0.3).request_pin("
        f"authcode={AUTHCODES['tech']!r})\n"
        "except rescue.Timeout:\n"
        "    print('timed out')\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", program], capture_output=True, text=True, timeout=60, cwd=ROOT
    )
    assert (result.returncode, result.stdout, result.stderr) == (0, "timed out\n", "")


THREADS = 16
CALLS = 25


def test_sixteen_threads_logging_at_trace(
    sandbox: Sandbox, tech: str, captured: Capture
) -> None:
    client = rescue.Client(sandbox.base_url)
    client.login(tech, SECRET_PASSWORD)
    captured.clear()
    barrier = threading.Barrier(THREADS)
    errors: List[BaseException] = []
    pins: List[str] = []

    def work(n: int) -> None:
        barrier.wait()
        try:
            for i in range(CALLS):
                pins.append(client.request_lens_pin(cfield0=f"{FIELD} {n}-{i}"))
        except BaseException as error:  # reported below
            errors.append(error)

    threads = [
        threading.Thread(target=work, args=(n,), name=f"caller-{n}") for n in range(THREADS)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    answered = [m for m in captured.messages(logging.DEBUG) if " answered " in m]
    assert len(answered) == THREADS * CALLS
    assert all(m.startswith("requestLensPINCode.aspx answered OK (18 bytes) in ") for m in answered)
    traced = [m for m in captured.messages(rescue.TRACE) if "parameters" in m]
    assert len(traced) == THREADS * CALLS
    # Every record whole, on the thread that made its call.
    assert {r.threadName for r in captured.records} == {f"caller-{n}" for n in range(THREADS)}
    assert len(set(pins)) == THREADS * CALLS
    scan(captured)


def test_a_slow_handler_slows_calls_down_and_corrupts_nothing(
    sandbox: Sandbox, captured: Capture, rescue_logger: logging.Logger
) -> None:
    class Slow(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            time.sleep(0.005)

    slow = Slow()
    rescue_logger.addHandler(slow)
    try:
        client = rescue.Client(sandbox.base_url)
        pins: List[str] = []
        threads = [
            threading.Thread(
                target=lambda: pins.extend(
                    client.request_pin(authcode=AUTHCODES["tech"]) for _ in range(5)
                )
            )
            for _ in range(4)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        rescue_logger.removeHandler(slow)
    assert sorted(pins) == sorted(s["pin"] for s in sandbox.sessions())
    assert len([m for m in captured.messages(logging.DEBUG) if " answered OK " in m]) == 20


def test_a_handler_that_calls_the_library_does_not_recurse(
    sandbox: Sandbox, captured: Capture, rescue_logger: logging.Logger
) -> None:
    other = rescue.Client(sandbox.base_url)
    made: List[str] = []

    class Calling(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            if " answered " in record.getMessage() and not made:
                made.append(other.request_pin(authcode=AUTHCODES["tech"]))

    calling = Calling()
    rescue_logger.addHandler(calling)
    try:
        pin = rescue.Client(sandbox.base_url).request_lens_pin(authcode=AUTHCODES["tech"])
    finally:
        rescue_logger.removeHandler(calling)
    assert sorted([pin, *made]) == sorted(s["pin"] for s in sandbox.sessions())
    # The handler's own call logged nothing: one exchange's records only.
    assert len([m for m in captured.messages() if " answered " in m]) == 1


def test_a_raising_handler_is_reported_not_raised(
    sandbox: Sandbox, rescue_logger: logging.Logger, monkeypatch: pytest.MonkeyPatch
) -> None:
    class Broken(logging.Filter):
        def filter(self, record: logging.LogRecord) -> bool:
            raise RuntimeError("a broken filter")

    unraisable: List[Any] = []
    monkeypatch.setattr(sys, "unraisablehook", unraisable.append)
    broken = Broken()
    rescue_logger.addFilter(broken)
    rescue_logger.setLevel(logging.DEBUG)
    try:
        pin = rescue.Client(sandbox.base_url).request_pin(authcode=AUTHCODES["tech"])
    finally:
        rescue_logger.removeFilter(broken)
    assert len(pin) == 6
    assert unraisable and all(isinstance(u.exc_value, RuntimeError) for u in unraisable)
