"""Session renewal under failure: many threads, one renewal login, no storm."""

from __future__ import annotations

import threading
from typing import List

import rescue

from conftest import PASSWORD, Sandbox, email

THREADS = 8
CALLS = 25


def test_a_refused_renewal_sends_one_login(sandbox: Sandbox) -> None:
    tech = email("tech")
    client = rescue.Client(sandbox.base_url, timeout=10.0)
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
