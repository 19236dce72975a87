"""The pinned Qt binding must not leak or over-release references on signal emission.

PySide6 6.12.0 released a reference to ``True`` on every Python-side ``emit()``; a till emitting camera frames
aborted within minutes ("bool_dealloc: deallocating True"). requirements.lock pins a release without it.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal


class _Emitter(QObject):
    ping = Signal(int)


def test_emit_keeps_reference_counts(qapp) -> None:  # type: ignore[no-untyped-def]
    emitter = _Emitter()
    received: list[int] = []
    emitter.ping.connect(received.append)
    before = sys.getrefcount(True), sys.getrefcount(False), sys.getrefcount(None)
    for i in range(20_000):
        emitter.ping.emit(i)
    after = sys.getrefcount(True), sys.getrefcount(False), sys.getrefcount(None)
    assert len(received) == 20_000
    assert max(abs(a - b) for a, b in zip(before, after, strict=True)) < 50
