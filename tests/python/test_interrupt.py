"""Ctrl-C (and any signal handler that raises) interrupts a blocking call at once.

A call on the main thread runs on a worker thread while the main thread waits in slices
and runs the signal handlers; an interrupted call finishes on the worker within its own
timeout and its result is dropped. Signals are sent from a timer thread, as a terminal
would send them: to the whole process.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
import time
from types import FrameType
from typing import Callable, Iterator, List, Optional

import pytest

import rescue
from conftest import AUTHCODES, PASSWORD, Sandbox, email

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")

#: How late after the signal the exception may come: the issue's bound (the design's is
#: one 50 ms slice plus getting the GIL back).
PROMPT = 0.6
#: A timeout the interrupted calls never reach before the signal's exception.
TIMEOUT = 5.0


class Sender:
    """Sends `signum` to this process `after` seconds from now, and notes when."""

    def __init__(self, signum: int, after: float) -> None:
        self.sent_at: Optional[float] = None
        self._signum = signum
        self._timer = threading.Timer(after, self._send)
        self._timer.start()

    def _send(self) -> None:
        self.sent_at = time.monotonic()
        os.kill(os.getpid(), self._signum)

    def join(self) -> float:
        self._timer.join()
        assert self.sent_at is not None
        return self.sent_at


def interrupted(call: Callable[[], object], after: float = 0.5) -> float:
    """Runs `call`, which must hang, with SIGINT sent `after` seconds in; returns how long
    after the signal the KeyboardInterrupt came."""
    sender = Sender(signal.SIGINT, after)
    try:
        with pytest.raises(KeyboardInterrupt):
            call()
    finally:
        sent_at = sender.join()
    return time.monotonic() - sent_at


def rescue_workers() -> int:
    """The worker threads alive in this process (Linux: /proc/self/task/*/comm)."""
    count = 0
    for task in os.listdir("/proc/self/task"):
        try:
            with open(f"/proc/self/task/{task}/comm") as comm:
                count += comm.read().strip() == "rescue-call"
        except FileNotFoundError:  # the thread just ended
            pass
    return count


def python_threads() -> List[str]:
    """Python's own threads, without the workers that `threading` knows from their log
    records (registered as "rescue-call" while they live)."""
    return sorted(t.name for t in threading.enumerate() if t.name != "rescue-call")


def wait_for(condition: Callable[[], bool], within: float) -> bool:
    deadline = time.monotonic() + within
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


@pytest.fixture
def hang(sandbox: Sandbox) -> Iterator[rescue.Client]:
    yield rescue.Client(sandbox.fault("hang"), timeout=TIMEOUT)


CALLS = {
    "login": lambda c: c.login(email("tech"), PASSWORD),
    "logout": lambda c: c.logout(),
    "request_auth_code": lambda c: c.request_auth_code(email("tech"), PASSWORD),
    "request_lens_pin": lambda c: c.request_lens_pin(authcode=AUTHCODES["tech"]),
    "request_pin": lambda c: c.request_pin(authcode=AUTHCODES["tech"]),
}


@pytest.mark.parametrize("method", sorted(CALLS))
def test_sigint_interrupts_a_hung_call(hang: rescue.Client, method: str) -> None:
    began = time.monotonic()
    late = interrupted(lambda: CALLS[method](hang))
    print(f"{method}: KeyboardInterrupt {late * 1000:.0f} ms after SIGINT")
    assert late < PROMPT
    assert time.monotonic() - began < TIMEOUT / 2


def test_interrupted_client_gets_a_pin(sandbox: Sandbox) -> None:
    # Each call waits 1.5 s in the sandbox: long enough to interrupt, short enough to end.
    client = rescue.Client(sandbox.fault("slow-1500"), timeout=TIMEOUT)
    client.login(email("tech"), PASSWORD)
    assert interrupted(client.request_lens_pin) < PROMPT
    pin = client.request_lens_pin(cfield0="after Ctrl-C")
    sessions = sandbox.sessions()
    # The abandoned call finished in the background; its PIN went nowhere.
    assert len(sessions) == 2, sessions
    assert [s["pin"] for s in sessions if s.get("cfield0") == "after Ctrl-C"] == [pin]


def test_interrupted_login_still_starts_the_session(sandbox: Sandbox) -> None:
    client = rescue.Client(sandbox.fault("slow-1000"), timeout=TIMEOUT)
    assert interrupted(lambda: client.login(email("tech"), PASSWORD), after=0.3) < PROMPT
    time.sleep(1.0)  # the login ends in the background, 1 s after it began
    # Its session is the client's: a PIN needs no second login().
    pin = client.request_lens_pin()
    assert pin == only_pin(sandbox)
    # And the client knows it is logged in: leaving a `with` block logs out, which
    # forgets the credentials, so nothing renews the session afterwards.
    with client:
        pass
    with pytest.raises(rescue.NotLoggedIn):
        client.request_lens_pin()


def only_pin(sandbox: Sandbox) -> str:
    sessions = sandbox.sessions()
    assert len(sessions) == 1, sessions
    pin: str = sessions[0]["pin"]
    return pin


def test_a_raising_sigalrm_handler_is_honoured(hang: rescue.Client) -> None:
    class Alarm(Exception):
        pass

    def handler(signum: int, frame: Optional[FrameType]) -> None:
        raise Alarm()

    previous = signal.signal(signal.SIGALRM, handler)
    try:
        began = time.monotonic()
        signal.setitimer(signal.ITIMER_REAL, 0.5)
        with pytest.raises(Alarm):
            hang.request_lens_pin(authcode=AUTHCODES["tech"])
        assert time.monotonic() - began < 0.5 + PROMPT
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def test_a_quiet_handler_runs_during_the_call_which_goes_on(sandbox: Sandbox) -> None:
    client = rescue.Client(sandbox.fault("slow-1000"), timeout=TIMEOUT)
    began = time.monotonic()
    ran_at: List[float] = []

    def handler(signum: int, frame: Optional[FrameType]) -> None:
        ran_at.append(time.monotonic() - began)

    previous = signal.signal(signal.SIGALRM, handler)
    try:
        signal.setitimer(signal.ITIMER_REAL, 0.3)
        pin = client.request_lens_pin(authcode=AUTHCODES["tech"])
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    assert pin == only_pin(sandbox)
    assert len(ran_at) == 1 and ran_at[0] < 0.3 + PROMPT  # not held until the call's end


def test_threads_call_on_while_the_main_thread_is_interrupted(
    sandbox: Sandbox, hang: rescue.Client
) -> None:
    shared = rescue.Client(sandbox.fault("slow-100"), timeout=TIMEOUT)
    stop = threading.Event()
    pins: List[str] = []
    errors: List[BaseException] = []

    def work() -> None:
        while not stop.is_set():
            try:
                pins.append(shared.request_lens_pin(authcode=AUTHCODES["tech"]))
            except BaseException as error:  # reported below
                errors.append(error)
                return

    threads = [threading.Thread(target=work) for _ in range(16)]
    for thread in threads:
        thread.start()
    try:
        assert interrupted(lambda: hang.request_pin(authcode=AUTHCODES["tech"])) < PROMPT
    finally:
        stop.set()
        for thread in threads:
            thread.join()
    assert errors == []
    assert len(pins) >= 16
    assert sorted(pins) == sorted(s["pin"] for s in sandbox.sessions())


@pytest.mark.skipif(not os.path.isdir("/proc/self/task"), reason="Linux /proc")
def test_no_thread_is_left_after_the_calls_timeout(sandbox: Sandbox) -> None:
    # Earlier tests' abandoned calls end within their own timeouts.
    assert wait_for(lambda: rescue_workers() <= 1, within=TIMEOUT + 2)
    rescue.Client(sandbox.base_url).request_lens_pin(authcode=AUTHCODES["tech"])
    assert rescue_workers() == 1  # the idle worker kept for the next call
    threads = python_threads()

    timeout = 1.5
    began = time.monotonic()
    client = rescue.Client(sandbox.fault("hang"), timeout=timeout)
    assert interrupted(lambda: client.request_lens_pin(authcode=AUTHCODES["tech"])) < PROMPT
    pin = rescue.Client(sandbox.base_url).request_lens_pin(authcode=AUTHCODES["tech"])
    assert len(pin) == 6
    assert rescue_workers() == 2  # the abandoned call's, still waiting, and the idle one

    assert wait_for(lambda: rescue_workers() == 1, within=timeout + 2)
    print(f"back to one worker {time.monotonic() - began:.2f} s after the call began")
    assert python_threads() == threads
    # A worker that logged is known to `threading` under its name until it exits.
    assert len(threading.enumerate()) - len(python_threads()) <= rescue_workers()
