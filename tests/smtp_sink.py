"""A real SMTP server on 127.0.0.1 for tests: it keeps every message it accepts, in memory.

The sink runs in the test process (aiosmtpd's ``Controller``, in a thread); whatever sends to it,
the test process itself through Django's SMTP backend or a worker started as a subprocess, talks
SMTP over TCP to ``sink.host:sink.port``, so the test reads what arrived from ``sink.received``.

Like a real mail server, a message counts as accepted only once the server has answered ``250``
to its DATA: the optional ``delay`` (and the ``hold``) happen *before* the message is stored. A
client that goes away during that time leaves nothing behind: aiosmtpd (1.4.6, smtp.py) cancels
the task running the session, with the ``handle_DATA`` it is awaiting, from both
``SMTP.eof_received`` and ``SMTP.connection_lost``; the cancellation reaches the handler's
``await asyncio.sleep`` as ``CancelledError``, which the sink records in ``cancelled`` (and never
stores the message).
"""

from __future__ import annotations

import asyncio
import contextlib
import email
import importlib.machinery
import importlib.util
import socket
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage
from pathlib import Path
from types import ModuleType

REPO = Path(__file__).resolve().parent.parent


def _import_aiosmtpd_controller() -> ModuleType:
    """aiosmtpd, imported past a name clash: it does ``from public import public`` (the ``atpublic``
    package, a top-level module named ``public``), but this project's ``public`` app, first on the
    path and already imported by Django, answers to that name. While aiosmtpd is imported, ``public``
    is atpublic's module; afterwards it is the app again (aiosmtpd only uses it at import time)."""
    if "aiosmtpd.controller" in sys.modules:
        return sys.modules["aiosmtpd.controller"]
    elsewhere = [entry for entry in sys.path if Path(entry or ".").resolve() != REPO]
    spec = importlib.machinery.PathFinder.find_spec("public", elsewhere)
    if spec is None or spec.loader is None:
        raise ImportError("aiosmtpd needs the atpublic package (pip install -r requirements-dev.txt)")
    ours = sys.modules.get("public")
    theirs = importlib.util.module_from_spec(spec)
    sys.modules["public"] = theirs
    try:
        spec.loader.exec_module(theirs)
        return importlib.import_module("aiosmtpd.controller")
    finally:
        for name in [name for name in sys.modules if name.startswith("public.")]:
            if (getattr(sys.modules[name], "__file__", None) or "").startswith(str(Path(theirs.__file__).parent)):
                del sys.modules[name]
        if ours is not None:
            sys.modules["public"] = ours
        else:
            del sys.modules["public"]


Controller = _import_aiosmtpd_controller().Controller

HOST = "127.0.0.1"
# Longest a held message waits for ``release`` before it is accepted anyway: a forgotten hold never
# hangs a test run.
HOLD_LIMIT_SECONDS = 30.0


@dataclass(frozen=True)
class Received:
    """One message the sink accepted (answered 250 to)."""

    peer: tuple[str, int]
    mail_from: str
    rcpt_tos: list[str]
    message: EmailMessage
    raw: bytes
    at: float  # time.monotonic() when the server answered 250

    @property
    def message_id(self) -> str:
        # A long Message-ID is folded onto its own line (RFC 5322); the parser keeps the leading space.
        return str(self.message["Message-ID"]).strip()


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on (for a while: the kernel hands out others first)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


@dataclass
class SmtpSink:
    """What the server accepted, and how it behaves. Change the knobs at any time from the test.

    - ``delay``: seconds each message waits before the 250 (a slow, real mail server);
    - ``refuse``: recipient address -> the reply to its RCPT TO (e.g. "550 5.1.1 No such user");
    - ``hold_after``: once this many messages were accepted, the next ones wait (before the 250)
      until ``release()``: a crash can be timed to land in the middle of a message.
    """

    host: str = HOST
    port: int = 0
    delay: float = 0.0
    refuse: dict[str, str] = field(default_factory=dict)
    hold_after: int | None = None
    received: list[Received] = field(default_factory=list)
    # Message-IDs whose DATA is being handled right now, and those whose client left before the 250.
    in_progress: list[str] = field(default_factory=list)
    cancelled: list[str] = field(default_factory=list)
    most_at_once: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _released: threading.Event = field(default_factory=threading.Event)

    # aiosmtpd handler hooks ---------------------------------------------------------------------

    async def handle_RCPT(self, server, session, envelope, address: str, rcpt_options: list[str]) -> str:
        answer = self.refuse.get(address.lower())
        if answer:
            return answer
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope) -> str:
        raw = bytes(envelope.original_content)
        message = email.message_from_bytes(raw, policy=policy.default)
        message_id = str(message["Message-ID"]).strip()
        with self._lock:
            self.in_progress.append(message_id)
            self.most_at_once = max(self.most_at_once, len(self.in_progress))
        try:
            if self.delay:
                await asyncio.sleep(self.delay)
            held_since = time.monotonic()
            while (
                self.hold_after is not None
                and len(self.received) >= self.hold_after
                and not self._released.is_set()
                and time.monotonic() - held_since < HOLD_LIMIT_SECONDS
            ):
                await asyncio.sleep(0.01)
        except asyncio.CancelledError:
            # The client disconnected before the 250 (see the module docstring): not accepted.
            with self._lock:
                self.cancelled.append(message_id)
            raise
        finally:
            with self._lock:
                self.in_progress.remove(message_id)
        with self._lock:
            self.received.append(
                Received(
                    peer=tuple(session.peer[:2]),
                    mail_from=envelope.mail_from,
                    rcpt_tos=list(envelope.rcpt_tos),
                    message=message,
                    raw=raw,
                    at=time.monotonic(),
                )
            )
        return "250 OK"

    # For the test ---------------------------------------------------------------------------------

    def release(self) -> None:
        """Let held messages (and every later one) through."""
        self._released.set()

    def message_ids(self) -> list[str]:
        with self._lock:
            return [item.message_id for item in self.received]

    def wait_until(self, condition: Callable[[SmtpSink], bool], *, timeout: float, what: str) -> None:
        """Poll ``condition(sink)`` every 10 ms; fail the test with ``what`` after ``timeout`` seconds."""
        deadline = time.monotonic() + timeout
        while not condition(self):
            if time.monotonic() > deadline:
                raise AssertionError(
                    f"Timed out after {timeout:.0f} s waiting for {what}: {len(self.received)} received, "
                    f"{len(self.in_progress)} in progress, {len(self.cancelled)} cancelled."
                )
            time.sleep(0.01)


@contextlib.contextmanager
def running_sink(**knobs) -> Iterator[SmtpSink]:
    """An ``SmtpSink`` listening on a free port of 127.0.0.1 for the duration of the block."""
    last_error: Exception | None = None
    for _attempt in range(3):  # another process may take the free port between the probe and the bind
        sink = SmtpSink(port=free_port(), **knobs)
        controller = Controller(sink, hostname=sink.host, port=sink.port, ready_timeout=10)
        try:
            controller.start()
        except Exception as error:
            last_error = error
            continue
        try:
            yield sink
        finally:
            sink.release()
            controller.stop()
        return
    raise RuntimeError(f"Could not start the SMTP sink: {last_error}")
