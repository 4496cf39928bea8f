"""The stubs match the compiled module and type-check real usage."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def run(cache: Path, *args: str) -> None:
    # Run in a temporary directory so that mypy's cache stays out of the work tree.
    env = {**os.environ, "MYPY_CACHE_DIR": str(cache / ".mypy_cache")}
    result = subprocess.run(
        [sys.executable, "-m", *args],
        cwd=cache,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_usage_passes_mypy_strict(tmp_path: Path) -> None:
    run(tmp_path, "mypy", "--strict", str(HERE / "typing_usage.py"))


def test_stubs_match_the_runtime(tmp_path: Path) -> None:
    run(tmp_path, "mypy.stubtest", "rescue")
