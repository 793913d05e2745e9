"""The antivirus hook: ClamAV's daemon (clamd), through its INSTREAM command.

Off by default; the commune turns it on with ``PORTAL_CLAMAV_ENABLED=true`` and points
``PORTAL_CLAMAV_ADDRESS`` at clamd (``unix:///run/clamav/clamd.ctl`` or
``tcp://127.0.0.1:3310``). Every file of an upload is scanned before anything is stored.

The protocol: send ``zINSTREAM\\0``, then the file in chunks, each preceded by its length
on four bytes (network order), then a zero length; clamd answers ``stream: OK`` or
``stream: <signature> FOUND`` (or ``... ERROR``), terminated by a NUL byte.

When the scan is on and clamd cannot be reached, times out or answers an error, the
upload is refused with a message asking the family to try again later (nothing is
stored without a scan), and the failure is logged for the IT team.
"""

import logging
import socket
import struct
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings

logger = logging.getLogger("portal.documents.antivirus")

CHUNK_SIZE = 64 * 1024


class AntivirusUnavailable(Exception):
    """clamd could not give a verdict (down, timeout, error answer)."""


@dataclass(frozen=True)
class ScanResult:
    infected: bool
    signature: str = ""


def enabled():
    return bool(getattr(settings, "PORTAL_CLAMAV_ENABLED", False))


def _connect(address, timeout):
    parts = urlsplit(address)
    if parts.scheme == "unix":
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.settimeout(timeout)
        sock.connect(parts.path)
        return sock
    if parts.scheme == "tcp" and parts.hostname:
        return socket.create_connection((parts.hostname, parts.port or 3310), timeout=timeout)
    raise AntivirusUnavailable(f"unsupported clamd address {address!r} (unix:///path or tcp://host:port)")


def scan_bytes(data, *, address=None, timeout=None):
    """Scan ``data`` with clamd; returns a ``ScanResult`` or raises ``AntivirusUnavailable``."""
    address = address or settings.PORTAL_CLAMAV_ADDRESS
    timeout = timeout if timeout is not None else settings.PORTAL_CLAMAV_TIMEOUT
    try:
        with _connect(address, timeout) as sock:
            sock.sendall(b"zINSTREAM\0")
            view = memoryview(data)
            for start in range(0, len(data), CHUNK_SIZE):
                chunk = view[start : start + CHUNK_SIZE]
                sock.sendall(struct.pack("!L", len(chunk)) + chunk)
            sock.sendall(struct.pack("!L", 0))
            answer = _read_answer(sock)
    except AntivirusUnavailable:
        raise
    except OSError as exc:  # refused, missing socket, timeout, reset
        raise AntivirusUnavailable(f"clamd unreachable at {address}: {exc}") from exc
    return parse_answer(answer)


def _read_answer(sock):
    received = b""
    while not received.endswith(b"\0") and len(received) < 4096:
        chunk = sock.recv(1024)
        if not chunk:
            break
        received += chunk
    return received.rstrip(b"\0\n").decode("utf-8", "replace")


def parse_answer(answer):
    """``stream: OK`` → clean; ``stream: Eicar-Test-Signature FOUND`` → infected; anything
    else (``... ERROR``, empty) → ``AntivirusUnavailable``."""
    text = answer.strip()
    if text.startswith("stream:"):
        text = text[len("stream:") :].strip()
    if text == "OK":
        return ScanResult(infected=False)
    if text.endswith(" FOUND"):
        return ScanResult(infected=True, signature=text[: -len(" FOUND")].strip())
    raise AntivirusUnavailable(f"unexpected clamd answer: {answer!r}")
