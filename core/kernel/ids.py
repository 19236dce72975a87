"""Identifiers made at the branch: UUIDv7, time-ordered so indexes stay compact.

Both kinds are formatted straight from their bits: through ``uuid.UUID`` objects an id cost about 5 µs, and a
campaign makes three for each recipient (its message, two change-log rows). The values are those of
``uuid6.uuid7`` and ``uuid.uuid5`` (a test compares them)."""

from __future__ import annotations

import hashlib
import os
import threading
import time
import uuid

_lock = threading.Lock()
_last_ms = 0
_pool = b""  # random bytes from the system's generator, read 4 KiB at a time (a system call per id was half)
_taken = 0
_RANDOM = (1 << 76) - 1
_VARIANT_CLEAR = ~(0xC000 << 48)
_VARIANT = 0x8000 << 48  # RFC 9562


def _forget_pool() -> None:
    # A forked process must not hand out its parent's random bytes again.
    global _pool, _taken
    _pool, _taken = b"", 0


os.register_at_fork(after_in_child=_forget_pool)


def _text(value: int) -> str:
    h = f"{value:032x}"
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def new_id() -> str:
    """A version 7 UUID: the Unix time in milliseconds, then random bits; a later id is always greater (two ids
    in the same millisecond take the next one, as ``uuid6.uuid7`` does)."""
    global _last_ms, _pool, _taken
    with _lock:
        ms = time.time_ns() // 1_000_000
        if ms <= _last_ms:
            ms = _last_ms + 1
        _last_ms = ms
        if _taken + 10 > len(_pool):
            _pool, _taken = os.urandom(4000), 0
        random = int.from_bytes(_pool[_taken : _taken + 10], "big")
        _taken += 10
    value = (ms & 0xFFFFFFFFFFFF) << 80 | 0x7 << 76 | (random & _RANDOM & _VARIANT_CLEAR) | _VARIANT
    return _text(value)


def new_ids(count: int) -> list[str]:
    """``count`` ids as ``count`` calls of ``new_id`` in one millisecond give them, under one lock (a batch of
    change-log rows)."""
    global _last_ms, _pool, _taken
    if count <= 0:
        return []
    with _lock:
        first = max(time.time_ns() // 1_000_000, _last_ms + 1)
        _last_ms = first + count - 1
        need = 10 * count
        if _taken + need > len(_pool):
            _pool, _taken = os.urandom(max(4000, need)), 0
        chunk = _pool[_taken : _taken + need]
        _taken += need
    out = []
    for i in range(count):
        random = int.from_bytes(chunk[10 * i : 10 * i + 10], "big")
        value = ((first + i) & 0xFFFFFFFFFFFF) << 80 | 0x7 << 76 | (random & _RANDOM & _VARIANT_CLEAR) | _VARIANT
        out.append(_text(value))
    return out


# Rows that every branch may create for the same thing (a customer's loyalty account, their preference rows,
# a message template) get the same id everywhere, so replicas merge them instead of colliding.
_NAMESPACE = uuid.UUID("6f1d5e0c-3b7a-4c52-9a57-0d1c2e3f4a5b")
_NAMESPACE_BYTES = _NAMESPACE.bytes
_V5_CLEAR = ~(0xF000 << 64) & ~(0xC000 << 48)
_V5_SET = 0x5000 << 64 | _VARIANT


def stable_id(*parts: str) -> str:
    """``uuid.uuid5`` of the parts joined by "/" in this app's namespace."""
    digest = hashlib.sha1(_NAMESPACE_BYTES + "/".join(parts).encode(), usedforsecurity=False).digest()
    return _text(int.from_bytes(digest[:16], "big") & _V5_CLEAR | _V5_SET)
