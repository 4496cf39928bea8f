"""`rescue.AsyncClient`: the same client for asyncio. Each call runs on a thread of the
loop's default executor with the GIL released; a cancelled await returns at once while the
call underneath finishes within its timeout, its result dropped."""

from __future__ import annotations

import asyncio
import inspect
import threading
import time
from typing import Any, Awaitable, Callable, List, TypeVar

import pytest

import rescue
from conftest import AUTHCODES, PASSWORD, RECORDED, TRANSPORTS, Sandbox, email

T = TypeVar("T")
METHODS = [
    "login",
    "logout",
    "request_auth_code",
    "request_lens_pin",
    "request_lens_pin_invite",
    "request_pin",
]
#: How late after `cancel()` the await may end: at once, apart from a loaded machine.
PROMPT = 0.3


def run(main: Callable[[], Awaitable[T]]) -> T:
    return asyncio.run(main())  # type: ignore[arg-type]


def parameters(function: Any) -> List[Any]:
    return [
        (p.name, p.kind, p.default)
        for p in inspect.signature(function).parameters.values()
        if p.name != "self"
    ]


def test_the_same_constructor_and_methods_as_client() -> None:
    assert parameters(rescue.AsyncClient) == parameters(rescue.Client)
    for name in METHODS:
        method = getattr(rescue.AsyncClient, name)
        assert inspect.iscoroutinefunction(method), name
        assert parameters(method) == parameters(getattr(rescue.Client, name)), name
    public = {n for n in dir(rescue.Client) if not n.startswith("_")}
    assert public == set(METHODS)
    assert public <= set(dir(rescue.AsyncClient))
    with pytest.raises(rescue.InvalidArgument):
        rescue.AsyncClient(method="GET", transport="soap11")
    client = rescue.AsyncClient("http://127.0.0.1:1/API/", transport="soap11")
    assert repr(client) == "rescue.AsyncClient(base_url='http://127.0.0.1:1/API/', transport='soap11')"


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_every_call(sandbox: Sandbox, transport: str) -> None:
    async def main() -> None:
        async with rescue.AsyncClient(sandbox.base_url, transport=transport) as client:
            assert isinstance(client, rescue.AsyncClient)
            assert await client.login(email("tech"), PASSWORD) is None  # type: ignore[func-returns-value]
            lens = await client.request_lens_pin(cfield0="lens")
            desktop = await client.request_pin(cfield0="desktop")
            invite = await client.request_lens_pin_invite(phone_number="+1 555 0100", lang_code="ES")
            code = await client.request_auth_code(email("tech"), PASSWORD)
            assert code == AUTHCODES["tech"]
            assert invite.sms_sent
            sessions = sandbox.sessions()
            assert [s["pin"] for s in sessions] == [lens, desktop, invite.pin]
            assert {s["transport"] for s in sessions} == {RECORDED[transport]}
            with pytest.raises(rescue.InvalidArgument):
                await client.request_lens_pin_invite(lang_code="it")
        # Logged out on exit: the session is gone.
        with pytest.raises(rescue.NotLoggedIn):
            await client.request_lens_pin()
        with pytest.raises(rescue.NotLoggedIn):
            await client.logout()

    run(main)


def test_errors_are_the_clients(sandbox: Sandbox) -> None:
    async def main() -> None:
        client = rescue.AsyncClient(sandbox.base_url)
        with pytest.raises(rescue.InvalidCredentials):
            await client.login(email("tech"), "wrong")
        with pytest.raises(rescue.NoAccessToLens):
            await client.request_lens_pin(authcode=AUTHCODES["nolens"])
        with pytest.raises(rescue.FieldTooLong):
            await client.request_pin(cfield0="x" * 65, authcode=AUTHCODES["tech"])
        with pytest.raises(TypeError):
            await client.request_pin(cfield0=1)  # type: ignore[arg-type]
        # `async with` keeps the block's exception and logs out.
        with pytest.raises(KeyError):
            async with client:
                await client.login(email("tech"), PASSWORD)
                raise KeyError("inside")
        with pytest.raises(rescue.NotLoggedIn):
            await client.request_pin()

    run(main)


def test_the_loop_runs_while_a_call_waits(sandbox: Sandbox) -> None:
    async def main() -> int:
        client = rescue.AsyncClient(sandbox.fault("slow-500"))
        ticks = 0
        call = asyncio.ensure_future(client.request_lens_pin(authcode=AUTHCODES["tech"]))
        while not call.done():
            ticks += 1
            await asyncio.sleep(0.01)
        assert len(await call) == 6
        return ticks

    assert run(main) > 10


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_gather_of_100_calls(sandbox: Sandbox, transport: str) -> None:
    # The shared sandbox runs with the PIN interval off.
    async def main() -> List[str]:
        async with rescue.AsyncClient(sandbox.base_url, transport=transport) as client:
            await client.login(email("tech"), PASSWORD)
            return await asyncio.gather(
                *(client.request_lens_pin(cfield0=f"gather-{i}") for i in range(100))
            )

    pins = run(main)
    assert len(set(pins)) == 100
    recorded = {s["cfield0"]: s["pin"] for s in sandbox.sessions()}
    assert recorded == {f"gather-{i}": pin for i, pin in enumerate(pins)}


def test_a_cancelled_call_returns_at_once_and_its_result_is_dropped(sandbox: Sandbox) -> None:
    # Each call waits 1 s in the sandbox: long enough to cancel, short enough to end.
    async def main() -> None:
        client = rescue.AsyncClient(sandbox.fault("slow-1000"), timeout=5.0)
        await client.login(email("tech"), PASSWORD)
        call = asyncio.ensure_future(client.request_lens_pin(cfield0="cancelled"))
        await asyncio.sleep(0.2)
        cancelled_at = time.monotonic()
        call.cancel()
        with pytest.raises(asyncio.CancelledError):
            await call
        assert time.monotonic() - cancelled_at < PROMPT
        # The client is usable at once; the cancelled call stopped on its thread, its
        # connection closed (whether the server went on to make its PIN is its business).
        pin = await client.request_lens_pin(cfield0="after")
        sessions = sandbox.sessions()
        assert len(sessions) <= 2, sessions
        assert [s["pin"] for s in sessions if s["cfield0"] == "after"] == [pin]
        # wait_for's timeout cancels the same way.
        began = time.monotonic()
        with pytest.raises(asyncio.TimeoutError):
            await asyncio.wait_for(client.request_pin(cfield0="timed out"), 0.2)
        assert time.monotonic() - began < 0.2 + PROMPT

    run(main)


def test_a_cancelled_login_is_as_if_never_called(sandbox: Sandbox) -> None:
    async def main() -> None:
        client = rescue.AsyncClient(sandbox.fault("slow-1000"), timeout=5.0)
        login = asyncio.ensure_future(client.login(email("tech"), PASSWORD))
        await asyncio.sleep(0.2)
        login.cancel()
        with pytest.raises(asyncio.CancelledError):
            await login
        await asyncio.sleep(1.2)  # past the moment the sandbox would have answered
        # No session, no credentials to renew with, nothing for `async with` to log out.
        with pytest.raises(rescue.NotLoggedIn):
            await client.request_lens_pin()
        async with client:
            pass
        await client.login(email("tech"), PASSWORD)
        pin = await client.request_lens_pin()
        assert [s["pin"] for s in sandbox.sessions()] == [pin]

    run(main)


def test_a_cancelled_call_stops_on_its_thread(sandbox: Sandbox) -> None:
    # asyncio.run waits for the default executor's threads at the end: the cancelled call
    # on `hang` gives its thread back within a slice (50 ms), not at the client's timeout.
    timeout = 5.0
    began = time.monotonic()

    async def main() -> None:
        client = rescue.AsyncClient(sandbox.fault("hang"), timeout=timeout)
        call = asyncio.ensure_future(client.request_pin(authcode=AUTHCODES["tech"]))
        await asyncio.sleep(0.1)
        call.cancel()
        with pytest.raises(asyncio.CancelledError):
            await call
        assert time.monotonic() - began < 0.1 + PROMPT

    threads = threading.active_count()
    run(main)
    elapsed = time.monotonic() - began
    print(f"asyncio.run ended {elapsed:.2f} s after the call began (timeout {timeout} s)")
    assert elapsed < 0.1 + 2 * PROMPT
    assert threading.active_count() == threads


def test_one_executor_thread_serves_the_next_call_after_a_cancel(sandbox: Sandbox) -> None:
    # With a one-thread executor, a call cancelled on `hang` would hold the only thread
    # until its timeout; stopped, it frees it for the next call at once.
    async def main() -> float:
        from concurrent.futures import ThreadPoolExecutor

        asyncio.get_running_loop().set_default_executor(ThreadPoolExecutor(max_workers=1))
        hung = rescue.AsyncClient(sandbox.fault("hang"), timeout=5.0)
        call = asyncio.ensure_future(hung.request_pin(authcode=AUTHCODES["tech"]))
        await asyncio.sleep(0.2)
        call.cancel()
        with pytest.raises(asyncio.CancelledError):
            await call
        began = time.monotonic()
        pin = await rescue.AsyncClient(sandbox.base_url).request_lens_pin(
            authcode=AUTHCODES["tech"]
        )
        assert [s["pin"] for s in sandbox.sessions()] == [pin]
        return time.monotonic() - began

    assert run(main) < PROMPT
