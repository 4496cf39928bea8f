"""Fixtures: a real `rescue-sandbox` subprocess per test session, reset before each test."""

from __future__ import annotations

import json
import os
import re
import select
import subprocess
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any, Dict, Iterable, Iterator, List, Optional

import pytest

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "sandbox"
#: The fixed authcodes of the built-in accounts (sandbox/README.md).
AUTHCODES = {
    "tech": "ytzw7h07nu9o4oxqbf49dpayuqvdnmzd",
    "offline": "hol3me96ecp5ojnz32wxmkwu8e74dpoh",
    "admin": "oc3ka44px5lvk72k2yrlrq6p87sldyyt",
    "nolens": "mj3lxvbbdkvry3fvex5tb5buy72o0zr7",
    "nopins": "ma51fmfe21sj39k99k4t0pst4zn91j3z",
    "deleted": "sabazl9xjms8m4aujkhyqvwarl9w2ijg",
    "disabled": "8tdidic9u8zhv6uv4il90jp97w1vn8b4",
    "error": "ehfx9wfix2hhtqjscgdvqklahfzy8hpo",
    "iprestricted": "g7qlp2xw9vdk4mzr1sbt8ycn0hfa6eju",
}
#: The NodeIds of the built-in accounts (sandbox/README.md).
NODE_IDS = {
    "tech": "1001",
    "offline": "1002",
    "admin": "1003",
    "nolens": "1004",
    "nopins": "1005",
    "deleted": "1006",
    "disabled": "1007",
    "error": "1008",
    "iprestricted": "1009",
}
#: Every transport, as `rescue.Client(transport=...)` names it.
TRANSPORTS = ["http-post", "http-get", "soap11", "soap12"]
SOAP = ["soap11", "soap12"]
#: How the sandbox's inspection JSON names each transport.
RECORDED = {"http-post": "post", "http-get": "get", "soap11": "soap11", "soap12": "soap12"}


def email(account: str) -> str:
    return f"{account}@sandbox.test"


def sandbox_binary() -> Path:
    return Path(os.environ.get("RESCUE_SANDBOX", ROOT / "target" / "debug" / "rescue-sandbox"))


class Sandbox:
    """One running `rescue-sandbox`: its URLs and its inspection endpoints."""

    def __init__(self, *args: str, log: Path) -> None:
        binary = sandbox_binary()
        if not binary.exists():
            raise RuntimeError(f"{binary} is missing: run `cargo build -p rescue-sandbox`")
        self._log = open(log, "wb")
        self.process = subprocess.Popen(
            [str(binary), *args], stdout=subprocess.PIPE, stderr=self._log
        )
        assert self.process.stdout is not None
        ready, _, _ = select.select([self.process.stdout], [], [], 30)
        line = self.process.stdout.readline().decode() if ready else ""
        if not line.endswith("/API/\n"):
            self.stop()
            raise RuntimeError(f"rescue-sandbox did not announce its URL (got {line!r})")
        self.base_url = line.strip()
        self.root = self.base_url[: -len("/API/")]

    def fault(self, kind: str) -> str:
        return f"{self.root}/fault/{kind}/API/"

    def _call(self, method: str, path: str) -> bytes:
        request = urllib.request.Request(self.root + path, method=method)
        # The sandbox's own endpoints are plain HTTP only when it runs without TLS.
        with urllib.request.urlopen(request, timeout=10) as answer:
            body: bytes = answer.read()
            return body

    def sessions(self) -> List[Dict[str, Any]]:
        records: List[Dict[str, Any]] = json.loads(self._call("GET", "/sandbox/sessions"))
        return records

    def reset(self) -> None:
        self._call("POST", "/sandbox/reset")

    def expire(self) -> None:
        self._call("POST", "/sandbox/expire")

    def logins(self, email: str) -> Dict[str, int]:
        """How many login calls of `email` got each answer since the last reset."""
        attempts: Dict[str, Dict[str, int]] = json.loads(self._call("GET", "/sandbox/logins"))
        return attempts.get(email, {})

    def set_password(self, email: str, password: str) -> None:
        query = urllib.parse.urlencode({"email": email, "password": password})
        self._call("POST", f"/sandbox/password?{query}")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self.process.stdout is not None:
            self.process.stdout.close()
        self._log.close()


def start(tmp_path_factory: pytest.TempPathFactory, *args: str) -> Sandbox:
    log = tmp_path_factory.mktemp("sandbox") / "stderr.log"
    return Sandbox(*args, log=log)


@pytest.fixture(scope="session")
def sandbox_process(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Sandbox]:
    """The shared sandbox, without the one-PIN-per-second limit."""
    sandbox = start(tmp_path_factory, "--pin-interval-ms", "0")
    yield sandbox
    sandbox.stop()


@pytest.fixture
def sandbox(sandbox_process: Sandbox) -> Sandbox:
    """The shared sandbox, with its sessions, logins and rate counters forgotten."""
    sandbox_process.reset()
    return sandbox_process


@pytest.fixture
def base_url(sandbox: Sandbox) -> str:
    return sandbox.base_url


def only_session(sandbox: Sandbox) -> Dict[str, Any]:
    sessions = sandbox.sessions()
    assert len(sessions) == 1, sessions
    return sessions[0]


def optional(value: Optional[str]) -> Optional[str]:
    return value


#: A sandbox session cookie: 24 characters of a-z and 0-5, as ASP.NET makes them.
COOKIE_LIKE = re.compile(r"[a-z0-5]{24}")


def assert_no_secret(texts: Iterable[str], secrets: Iterable[str] = ()) -> None:
    """No text holds a password, authcode, cookie or any of `secrets` (field values, phone
    numbers…). The sandbox's password `sandbox` is in every email, so tests that scan logs
    give the account a password of their own (`Sandbox.set_password`)."""
    secrets = [s for s in [*AUTHCODES.values(), *secrets] if s]
    for text in texts:
        for secret in secrets:
            assert secret not in text, f"{secret!r} in {text!r}"
        assert "SessionId" not in text and "cookie:" not in text.lower(), text
        assert not COOKIE_LIKE.search(text), f"a cookie-like value in {text!r}"
