"""Shared by the deployment tests: reaching the real services, and skipping clearly without them.

Tests that need a real PostgreSQL standby, Redis or two app servers skip with a message that
says how to run them. In CI, ``CLAIMTRACKER_REQUIRE_SERVICES=1`` turns those skips into
failures, so a broken service cannot pass as a skipped test.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Mapping
from pathlib import Path
from typing import NoReturn

import pytest

REPO = Path(__file__).resolve().parent.parent
TEST_SECRET_KEY = "test-only-" + "k3y-for-the-deployment-tests-" * 3


def unavailable(reason: str) -> NoReturn:
    if os.environ.get("CLAIMTRACKER_REQUIRE_SERVICES") == "1":
        pytest.fail(f"{reason} (CLAIMTRACKER_REQUIRE_SERVICES=1)", pytrace=False)
    pytest.skip(reason)


def redis_url_or_skip() -> str:
    url = os.environ.get("REDIS_URL", "").strip()
    if not url:
        unavailable("set REDIS_URL (e.g. redis://127.0.0.1:6379/0) to run the Redis tests")
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except redis.RedisError as error:
        unavailable(f"Redis at REDIS_URL is unreachable: {error}")
    return url


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def http_get(url: str, *, headers: Mapping[str, str] | None = None, timeout: float = 10) -> tuple[int, dict, bytes]:
    request = urllib.request.Request(url, headers=dict(headers or {}))  # noqa: S310 (tests reach 127.0.0.1 only)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


class Server:
    """``scripts/serve.sh`` in a subprocess on 127.0.0.1, stopped by :meth:`stop`."""

    def __init__(self, env: Mapping[str, str], log_path: Path) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = log_path
        self.log = log_path.open("wb")
        full_env = {**os.environ, **env, "HOST": "127.0.0.1", "PORT": str(self.port), "PYTHON_BIN": sys.executable}
        self.process = subprocess.Popen(  # noqa: S603 (our own script, fixed arguments)
            [str(REPO / "scripts" / "serve.sh")],
            cwd=REPO,
            env=full_env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def wait_until_up(self, timeout: float = 180) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                pytest.fail(f"server exited with {self.process.returncode}:\n{self.output()}", pytrace=False)
            try:
                if http_get(f"{self.url}/healthz", timeout=2)[0] == 200:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        pytest.fail(f"server did not answer /healthz within {timeout}s:\n{self.output()}", pytrace=False)

    def output(self) -> str:
        self.log.flush()
        return self.log_path.read_text(errors="replace")

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, 15)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, 9)
                self.process.wait(timeout=10)
        self.log.close()
