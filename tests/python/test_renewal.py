"""Session renewal under failure: many threads, one renewal login, no storm."""

from __future__ import annotations

import threading
import time
from typing import List

import pytest

import rescue
from conftest import PASSWORD, TRANSPORTS, Sandbox, email

THREADS = 8
CALLS = 25


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_a_refused_renewal_sends_one_login(sandbox: Sandbox, transport: str) -> None:
    tech = email("tech")
    client = rescue.Client(sandbox.base_url, timeout=10.0, transport=transport)
    client.login(tech, PASSWORD)
    sandbox.set_password(tech, "rotated")
    sandbox.expire()
    errors: List[BaseException] = []
    lock = threading.Lock()
    start = threading.Barrier(THREADS)

    def work() -> None:
        start.wait()
        for _ in range(CALLS):
            try:
                client.request_lens_pin()
            except rescue.RescueError as error:
                with lock:
                    errors.append(error)

    threads = [threading.Thread(target=work) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert len(errors) == THREADS * CALLS
    assert all(isinstance(e, (rescue.InvalidCredentials, rescue.NotLoggedIn)) for e in errors)
    refused = [e for e in errors if isinstance(e, rescue.InvalidCredentials)]
    assert refused and "dropped" in str(refused[0])
    assert sandbox.logins(tech) == {"OK": 1, "INVALID": 1}
    # An explicit login with the new password starts afresh.
    client.login(tech, "rotated")
    assert len(client.request_lens_pin()) == 6


@pytest.mark.parametrize("transport", TRANSPORTS)
@pytest.mark.parametrize(("cooldown", "renewals"), [(180.0, 1), (0.001, 2)])
def test_login_limit_cooldown(
    sandbox: Sandbox, transport: str, cooldown: float, renewals: int
) -> None:
    # A renewal answered LIMITREACHED: no renewal login again before the cool-down; the
    # calls meanwhile fail at once with LIMITREACHED (a RenewalRefused in the core).
    tech = email("tech")
    client = rescue.Client(sandbox.base_url, transport=transport, login_limit_cooldown=cooldown)
    for _ in range(10):
        client.login(tech, PASSWORD)
    sandbox.expire()
    for _ in range(2):
        with pytest.raises(rescue.LimitReached) as raised:
            client.request_lens_pin()
        assert raised.value.status is rescue.Status.LIMITREACHED
        assert "renewal" in str(raised.value)
        time.sleep(0.01)
    assert sandbox.logins(tech) == {"OK": 10, "LIMITREACHED": renewals}
