"""Fork safety: a process forked from one that holds a logged-in client (with a pooled
connection) uses connections of its own, as gunicorn/uWSGI workers, Celery's prefork pool
and multiprocessing with the fork start method do. Parent and child each request 200 Lens
PINs with their own cfield0; every PIN must be the one the sandbox recorded for that
request, and no call may fail (a shared socket made the child's first call time out)."""

from __future__ import annotations

import json
import multiprocessing
import os
import ssl
import sys
import urllib.request
from pathlib import Path
from typing import Any, Dict, Iterator, List, Optional, Tuple

import pytest

import rescue
from conftest import PASSWORD, Sandbox, email, start

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="no fork on this platform")

REQUESTS = 200
Pins = List[Tuple[str, str]]


@pytest.fixture(scope="module")
def tls_sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Tuple[Sandbox, Path]]:
    cert = tmp_path_factory.mktemp("fork-tls") / "cert.pem"
    sandbox = start(tmp_path_factory, "--pin-interval-ms", "0", "--tls", "--cert-out", str(cert))
    yield sandbox, cert
    sandbox.stop()


def request_pins(client: rescue.Client, who: str) -> Pins:
    """REQUESTS Lens PINs with cfield0 `who-N`; any error propagates."""
    return [
        (f"{who}-{i}", client.request_lens_pin(cfield0=f"{who}-{i}")) for i in range(REQUESTS)
    ]


def inspect(sandbox: Sandbox, ca_file: Optional[Path], method: str, action: str) -> bytes:
    """The sandbox's own endpoints, over TLS too (conftest's helpers speak plain HTTP)."""
    context = ssl.create_default_context(cafile=str(ca_file)) if ca_file else None
    request = urllib.request.Request(f"{sandbox.root}/sandbox/{action}", method=method)
    with urllib.request.urlopen(request, timeout=10, context=context) as answer:
        body: bytes = answer.read()
        return body


def recorded(sandbox: Sandbox, ca_file: Optional[Path]) -> Dict[str, str]:
    """cfield0 -> PIN of every session the sandbox created."""
    sessions: List[Dict[str, Any]] = json.loads(inspect(sandbox, ca_file, "GET", "sessions"))
    return {s["cfield0"]: s["pin"] for s in sessions if s["cfield0"] is not None}


def logged_in_client(sandbox: Sandbox, ca_file: Optional[Path]) -> rescue.Client:
    client = rescue.Client(
        sandbox.base_url, timeout=10.0, ca_file=str(ca_file) if ca_file else None
    )
    client.login(email("tech"), PASSWORD)
    # A PIN before the fork leaves a connection in the pool.
    client.request_lens_pin(cfield0="before-fork")
    return client


def check(sandbox: Sandbox, ca_file: Optional[Path], parent: Pins, child: Pins) -> None:
    pins = recorded(sandbox, ca_file)
    assert len(pins) == 2 * REQUESTS + 1
    for who, got in (("parent", parent), ("child", child)):
        assert len(got) == REQUESTS, who
        for cfield0, pin in got:
            assert cfield0.startswith(who)
            assert pins.get(cfield0) == pin, f"{who}: {cfield0} got a PIN made for another request"


def fork_and_request(client: rescue.Client) -> Tuple[Pins, Pins]:
    """os.fork(); both processes request PINs; the child reports through a pipe."""
    read_end, write_end = os.pipe()
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid == 0:
        code = 1
        try:
            os.close(read_end)
            try:
                report: Dict[str, Any] = {"pins": request_pins(client, "child")}
                code = 0
            except Exception as error:  # reported to the parent, which fails the test
                report = {"error": f"{type(error).__name__}: {error}"}
            with os.fdopen(write_end, "w") as out:
                json.dump(report, out)
        finally:
            os._exit(code)
    os.close(write_end)
    parent = request_pins(client, "parent")
    with os.fdopen(read_end) as answer:
        text = answer.read()
    _, status = os.waitpid(pid, 0)
    report = json.loads(text) if text else {"error": "no report"}
    assert os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0, report
    return parent, [(c, p) for c, p in report["pins"]]


@pytest.mark.filterwarnings("ignore:This process .* is multi-threaded:DeprecationWarning")
def test_os_fork(sandbox: Sandbox) -> None:
    client = logged_in_client(sandbox, None)
    parent, child = fork_and_request(client)
    check(sandbox, None, parent, child)


@pytest.mark.filterwarnings("ignore:This process .* is multi-threaded:DeprecationWarning")
def test_os_fork_over_tls(tls_sandbox: Tuple[Sandbox, Path]) -> None:
    sandbox, cert = tls_sandbox
    inspect(sandbox, cert, "POST", "reset")
    client = logged_in_client(sandbox, cert)
    parent, child = fork_and_request(client)
    check(sandbox, cert, parent, child)


def worker(client: rescue.Client, results: "multiprocessing.Queue[Any]") -> None:
    """A multiprocessing worker: the client came with the fork, not by pickling."""
    try:
        results.put({"pins": request_pins(client, "child")})
    except Exception as error:
        results.put({"error": f"{type(error).__name__}: {error}"})


@pytest.mark.filterwarnings("ignore:This process .* is multi-threaded:DeprecationWarning")
@pytest.mark.parametrize("tls", [False, True], ids=["http", "tls"])
def test_multiprocessing_fork_start_method(
    sandbox: Sandbox, tls_sandbox: Tuple[Sandbox, Path], tls: bool
) -> None:
    target, ca_file = (tls_sandbox[0], tls_sandbox[1]) if tls else (sandbox, None)
    inspect(target, ca_file, "POST", "reset")
    client = logged_in_client(target, ca_file)
    context = multiprocessing.get_context("fork")
    results: "multiprocessing.Queue[Any]" = context.Queue()
    process = context.Process(target=worker, args=(client, results))
    process.start()
    parent = request_pins(client, "parent")
    report = results.get(timeout=120)
    process.join(timeout=60)
    assert process.exitcode == 0, report
    assert "pins" in report, report
    check(target, ca_file, parent, [(c, p) for c, p in report["pins"]])
