"""Keyboard-wedge scanners: a USB/Bluetooth scanner that "types" what it reads, then Enter.

A scanner types a dozen characters in a few tens of milliseconds; a person needs at least 60 ms a key. The
filter holds back each printable key of the window for one gap interval: if the keys keep coming faster than
``max_gap_ms`` and at least ``min_length`` of them end with Enter, it was a scan — :attr:`WedgeScanner.scanned`
is emitted and nothing reaches the widget that had focus (or the window, when nothing has focus, so the
cashier does not need to click a field first). Otherwise the held keys are replayed, in order, to the widget
they were meant for: typing is delayed by one gap (30 ms), nothing more.

Key events go to the focused widget, not to the window, so the filter watches the application and keeps the
events whose receiver is a widget of its window::

    wedge = WedgeScanner(main_window)
    wedge.install()
    wedge.scanned.connect(on_scanned)     # raw text; pass it to core.giftcards.codes.normalize_code

What was scanned is read from the physical keys where the platform reports them, else mapped back from the
Arabic layout (``ui.scan.layouts``): a till with an Arabic or French keyboard layout still reads the code.

Timing comes from the key events' own timestamps (when the platform stamped them) so a busy GUI thread that
delivers a scanner's keys late does not make them look typed; tests inject ``clock``.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

import shiboken6
from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication, QKeyEvent
from PySide6.QtWidgets import QWidget

from ui.scan.layouts import SCAN_CODE_TABLES, from_arabic, is_key_text, physical_char, typed_through_arabic

_MODIFIER_KEYS = frozenset(
    {
        Qt.Key.Key_Shift,
        Qt.Key.Key_Control,
        Qt.Key.Key_Alt,
        Qt.Key.Key_AltGr,
        Qt.Key.Key_Meta,
        Qt.Key.Key_CapsLock,
        Qt.Key.Key_NumLock,
    }
)
_ENTER_KEYS = frozenset({Qt.Key.Key_Return, Qt.Key.Key_Enter})
_SHORTCUT_MODIFIERS = (
    Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier | Qt.KeyboardModifier.MetaModifier
)


@dataclass(frozen=True, slots=True)
class _HeldKey:
    target: QObject
    key: int
    modifiers: Qt.KeyboardModifier
    text: str
    us: str | None  # the US character of the physical key, when the platform says which key it was


class WedgeScanner(QObject):
    """Recognises scanner bursts typed into ``window``; see the module docstring."""

    scanned = Signal(str)

    def __init__(
        self,
        window: QWidget,
        *,
        max_gap_ms: float = 30.0,
        min_length: int = 8,
        require_enter: bool = True,
        clock: Callable[[], float] | None = None,
        scan_codes: dict[int, str] | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent or window)
        self._window = window
        self.max_gap = max_gap_ms / 1000.0
        self.min_length = min_length
        self.require_enter = require_enter
        self._clock = clock
        # Which physical key each native scan code is, for this platform (None: unknown, map the text back).
        platform = QGuiApplication.platformName()
        self._scan_codes = scan_codes if scan_codes is not None else SCAN_CODE_TABLES.get(platform)
        self._held: list[_HeldKey] = []
        self._swallowed_releases: dict[int, int] = {}
        self._last: float | None = None
        self._replaying = False
        self._installed = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        # A little longer than the gap, so a burst still arriving is never cut by the timer.
        self._timer.setInterval(max(1, round(max_gap_ms * 1.5)))
        self._timer.timeout.connect(self._on_quiet)

    # -- installation -----------------------------------------------------------------------------------------

    def install(self) -> None:
        app = QCoreApplication.instance()
        if app is not None and not self._installed:
            app.installEventFilter(self)
            self._installed = True

    def uninstall(self) -> None:
        app = QCoreApplication.instance()
        if app is not None and self._installed:
            app.removeEventFilter(self)
            self._installed = False
        self.flush()

    @property
    def pending(self) -> str:
        """The text held back right now (for tests and diagnostics)."""
        return "".join(k.text for k in self._held)

    # -- the filter -------------------------------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind not in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease) or self._replaying:
            return False
        if not isinstance(watched, QWidget) or watched.window() is not self._window:
            return False
        assert isinstance(event, QKeyEvent)
        if kind == QEvent.Type.KeyRelease:
            return self._release(event)
        return self._press(watched, event)

    def _now(self, event: QKeyEvent) -> float:
        if self._clock is not None:
            return self._clock()
        stamp = event.timestamp()
        return stamp / 1000.0 if stamp else time.monotonic()

    def _press(self, target: QObject, event: QKeyEvent) -> bool:
        key = event.key()
        if key in _MODIFIER_KEYS:
            return False  # Shift comes with every capital a scanner types; it changes nothing here
        now = self._now(event)
        fast = self._last is not None and now - self._last <= self.max_gap
        if key in _ENTER_KEYS:
            if self._held and fast and len(self._held) >= self.min_length:
                self._finish_scan(key)
                return True
            self.flush()
            return False
        text = event.text()
        printable = is_key_text(text)
        if not printable or event.isAutoRepeat() or event.modifiers() & _SHORTCUT_MODIFIERS:
            self.flush()  # navigation, editing keys, shortcuts, a held-down key: a person at the keyboard
            return False
        if self._held and not fast:
            self.flush()  # the previous keys were typed by hand
        shifted = bool(event.modifiers() & Qt.KeyboardModifier.ShiftModifier)
        us = physical_char(self._scan_codes, event.nativeScanCode(), shifted)
        self._held.append(_HeldKey(target, key, event.modifiers(), text, us))
        self._swallowed_releases[key] = self._swallowed_releases.get(key, 0) + 1
        self._last = now
        self._timer.start()
        return True

    def _release(self, event: QKeyEvent) -> bool:
        key = event.key()
        count = self._swallowed_releases.get(key, 0)
        if not count or event.isAutoRepeat():
            return False
        if count == 1:
            del self._swallowed_releases[key]
        else:
            self._swallowed_releases[key] = count - 1
        return True

    def _scanned_text(self) -> str:
        """What the scanner typed, as a US keyboard would have: physical keys first, else the Arabic layout
        mapped back when the burst went through it."""
        keys = [k.us or k.text for k in self._held]
        return from_arabic(keys) if typed_through_arabic(keys) else "".join(keys)

    def _finish_scan(self, enter_key: int) -> None:
        text = self._scanned_text()
        self._held.clear()
        self._last = None
        self._timer.stop()
        self._swallowed_releases[enter_key] = self._swallowed_releases.get(enter_key, 0) + 1
        self.scanned.emit(text)

    def _on_quiet(self) -> None:
        if not self.require_enter and len(self._held) >= self.min_length:
            text = self._scanned_text()
            self._held.clear()
            self._last = None
            self.scanned.emit(text)
            return
        self.flush()

    def flush(self) -> None:
        """Replay the held keys to the widgets they were meant for, as if they had never been held."""
        self._timer.stop()
        held, self._held = self._held, []
        self._last = None
        if not held:
            return
        self._replaying = True
        try:
            for item in held:
                target: QObject = item.target if shiboken6.isValid(item.target) else self._window
                for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
                    QCoreApplication.sendEvent(target, QKeyEvent(kind, item.key, item.modifiers, item.text))
        finally:
            self._replaying = False
