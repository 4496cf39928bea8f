"""``rescue.AsyncClient``: the client for asyncio programs."""

from __future__ import annotations

import asyncio
import functools
import os
from types import TracebackType
from typing import Callable, Optional, Type, TypeVar, Union

from ._rescue import Client, LensPin, _call_cancellable, _Cancel

T = TypeVar("T")


async def _in_thread(call: Callable[[], T]) -> T:
    # The loop's default executor, as asyncio.to_thread uses: the application sizes it
    # (loop.set_default_executor). The call releases the GIL while it waits.
    cancel = _Cancel()
    running = asyncio.get_running_loop().run_in_executor(
        None, functools.partial(_call_cancellable, cancel, call)
    )
    try:
        return await running
    except asyncio.CancelledError:
        # Not waiting for a thread any more (that is cancelled with the await): the call
        # underneath stops at its next wait, within 50 ms, as Ctrl-C stops a call.
        cancel.set()
        raise


class AsyncClient:
    """A client of the LogMeIn Rescue API for asyncio: the same arguments and methods as
    :class:`Client`, each a coroutine that runs the blocking call on a thread of the event
    loop's default executor (with the GIL released while it waits), so the loop goes on.

    Cancelling an awaited call returns at once (``CancelledError``), and the call
    underneath stops on its thread within 50 ms, as if its timeout had passed: its
    connection is closed, a ``login`` is as if never called, a session renewal is
    forgotten; a call still waiting for a thread is never sent. The client and its login
    session stay consistent and usable at once.

    ``async with`` logs out on exit when logged in, as :class:`Client`'s ``with`` does.
    """

    __slots__ = ("_client",)

    def __init__(
        self,
        base_url: Optional[str] = None,
        *,
        timeout: float = 30.0,
        ca_file: Union[str, "os.PathLike[str]", None] = None,
        proxy: Optional[str] = None,
        method: Optional[str] = None,
        transport: Optional[str] = None,
        renew_session: bool = True,
        login_limit_cooldown: float = 180.0,
        allow_plain_http: bool = False,
        system_roots: bool = False,
    ) -> None:
        self._client = Client(
            base_url,
            timeout=timeout,
            ca_file=ca_file,
            proxy=proxy,
            method=method,
            transport=transport,
            renew_session=renew_session,
            login_limit_cooldown=login_limit_cooldown,
            allow_plain_http=allow_plain_http,
            system_roots=system_roots,
        )

    async def login(self, email: str, password: str) -> None:
        """``login``: starts a login session (see :meth:`Client.login`)."""
        await _in_thread(functools.partial(self._client.login, email, password))

    async def logout(self) -> None:
        """``logout``: ends the login session and forgets the credentials."""
        await _in_thread(self._client.logout)

    async def request_auth_code(self, email: str, password: str) -> str:
        """``requestAuthCode``: the account's secret authcode. Keep it secret."""
        return await _in_thread(
            functools.partial(self._client.request_auth_code, email, password)
        )

    async def request_lens_pin(
        self,
        *,
        cfield0: Optional[str] = None,
        cfield1: Optional[str] = None,
        cfield2: Optional[str] = None,
        cfield3: Optional[str] = None,
        cfield4: Optional[str] = None,
        cfield5: Optional[str] = None,
        tracking0: Optional[str] = None,
        notechconsole: bool = False,
        authcode: Optional[str] = None,
    ) -> str:
        """``requestLensPINCode``: the 6-digit PIN code of a Rescue Lens session."""
        return await _in_thread(
            functools.partial(
                self._client.request_lens_pin,
                cfield0=cfield0,
                cfield1=cfield1,
                cfield2=cfield2,
                cfield3=cfield3,
                cfield4=cfield4,
                cfield5=cfield5,
                tracking0=tracking0,
                notechconsole=notechconsole,
                authcode=authcode,
            )
        )

    async def request_lens_pin_invite(
        self,
        *,
        phone_number: Optional[str] = None,
        lang_code: Optional[str] = None,
        node_id: Union[str, int, None] = None,
        cfield0: Optional[str] = None,
        cfield1: Optional[str] = None,
        cfield2: Optional[str] = None,
        cfield3: Optional[str] = None,
        cfield4: Optional[str] = None,
        cfield5: Optional[str] = None,
        tracking0: Optional[str] = None,
        notechconsole: bool = False,
        authcode: Optional[str] = None,
    ) -> LensPin:
        """A Lens PIN sent by SMS and/or for another technician (see
        :meth:`Client.request_lens_pin_invite`)."""
        return await _in_thread(
            functools.partial(
                self._client.request_lens_pin_invite,
                phone_number=phone_number,
                lang_code=lang_code,
                node_id=node_id,
                cfield0=cfield0,
                cfield1=cfield1,
                cfield2=cfield2,
                cfield3=cfield3,
                cfield4=cfield4,
                cfield5=cfield5,
                tracking0=tracking0,
                notechconsole=notechconsole,
                authcode=authcode,
            )
        )

    async def request_pin(
        self,
        *,
        cfield0: Optional[str] = None,
        cfield1: Optional[str] = None,
        cfield2: Optional[str] = None,
        cfield3: Optional[str] = None,
        cfield4: Optional[str] = None,
        cfield5: Optional[str] = None,
        tracking0: Optional[str] = None,
        notechconsole: bool = False,
        authcode: Optional[str] = None,
    ) -> str:
        """``requestPINCode``: the 6-digit PIN code of a desktop session."""
        return await _in_thread(
            functools.partial(
                self._client.request_pin,
                cfield0=cfield0,
                cfield1=cfield1,
                cfield2=cfield2,
                cfield3=cfield3,
                cfield4=cfield4,
                cfield5=cfield5,
                tracking0=tracking0,
                notechconsole=notechconsole,
                authcode=authcode,
            )
        )

    async def __aenter__(self) -> "AsyncClient":
        return self

    async def __aexit__(
        self,
        exc_type: Optional[Type[BaseException]],
        exc: Optional[BaseException],
        traceback: Optional[TracebackType],
    ) -> None:
        """Logs out when logged in, as :meth:`Client.__exit__` does."""
        await _in_thread(functools.partial(self._client.__exit__, exc_type, exc, traceback))

    def __repr__(self) -> str:
        return "rescue.Async" + repr(self._client)[len("rescue.") :]
