"""Keyboard-wedge detection with controlled timing: scans are caught whole, typing passes through intact."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialog, QLineEdit, QPushButton, QVBoxLayout, QWidget

from ui.scan.wedge import WedgeScanner

pytestmark = pytest.mark.ui

SCAN = "HTTPS://PERFUMEOUD.AE/GC/PO-7KQ2-MXW9-HB4T"


class Clock:
    def __init__(self) -> None:
        self.t = 1000.0

    def __call__(self) -> float:
        return self.t


class RecordingEdit(QLineEdit):
    """A line edit that remembers every key event it was given, to prove nothing leaks or goes missing."""

    def __init__(self) -> None:
        super().__init__()
        self.events: list[tuple[str, str]] = []

    def keyPressEvent(self, event: QKeyEvent) -> None:
        self.events.append(("press", event.text()))
        super().keyPressEvent(event)

    def keyReleaseEvent(self, event: QKeyEvent) -> None:
        self.events.append(("release", event.text()))
        super().keyReleaseEvent(event)


class Till(QWidget):
    def __init__(self) -> None:
        super().__init__()
        self.edit = RecordingEdit()
        self.other = QLineEdit()
        self.button = QPushButton("Pay")
        layout = QVBoxLayout(self)
        for w in (self.edit, self.other, self.button):
            layout.addWidget(w)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def till(qtbot) -> Till:  # type: ignore[no-untyped-def]
    window = Till()
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


@pytest.fixture
def wedge(till: Till, clock: Clock) -> Iterator[WedgeScanner]:
    scanner = WedgeScanner(till, clock=clock)
    scanner.install()
    yield scanner
    scanner.uninstall()


def type_text(widget: QWidget, text: str, clock: Clock, gap_s: float) -> None:
    for ch in text:
        clock.t += gap_s
        QTest.keyClick(widget, ch)


def enter(widget: QWidget, clock: Clock, gap_s: float) -> None:
    clock.t += gap_s
    QTest.keyClick(widget, Qt.Key.Key_Return)


def test_a_fast_burst_ending_in_enter_is_a_scan_and_types_nothing(qtbot, till: Till, wedge, clock) -> None:  # type: ignore[no-untyped-def]
    till.edit.setFocus()
    returns: list[bool] = []
    till.edit.returnPressed.connect(lambda: returns.append(True))
    with qtbot.waitSignal(wedge.scanned, timeout=1000) as blocker:
        type_text(till.edit, SCAN, clock, 0.004)
        enter(till.edit, clock, 0.004)
    assert blocker.args == [SCAN]
    assert till.edit.text() == ""
    assert till.edit.events == []  # not even the releases reached it
    assert returns == []
    qtbot.wait(80)  # the quiet timer fires: nothing held is replayed later
    assert till.edit.text() == "" and wedge.pending == ""


def test_a_scan_is_caught_without_any_focused_field(qtbot, till: Till, wedge, clock) -> None:  # type: ignore[no-untyped-def]
    till.setFocus()
    with qtbot.waitSignal(wedge.scanned, timeout=1000) as blocker:
        type_text(till, "PO-7KQ2-MXW9-HB4T", clock, 0.01)
        enter(till, clock, 0.01)
    assert blocker.args == ["PO-7KQ2-MXW9-HB4T"]


def test_a_scan_while_a_button_has_focus(qtbot, till: Till, wedge, clock) -> None:  # type: ignore[no-untyped-def]
    clicked: list[bool] = []
    till.button.clicked.connect(lambda: clicked.append(True))
    with qtbot.waitSignal(wedge.scanned, timeout=1000):
        type_text(till.button, "PO7KQ2MXW9HB4T", clock, 0.002)
        enter(till.button, clock, 0.002)
    assert clicked == []


def test_human_typing_passes_through_in_order(qtbot, till: Till, wedge, clock) -> None:  # type: ignore[no-untyped-def]
    till.edit.setFocus()
    returns: list[bool] = []
    till.edit.returnPressed.connect(lambda: returns.append(True))
    with qtbot.assertNotEmitted(wedge.scanned):
        type_text(till.edit, "Fatima Al Mansoori", clock, 0.12)
        wedge.flush()  # what the quiet timer does 45 ms after the last key
        enter(till.edit, clock, 0.3)
    assert till.edit.text() == "Fatima Al Mansoori"
    assert returns == [True]
    presses = [t for kind, t in till.edit.events if kind == "press"]
    assert "".join(presses[:-1]) == "Fatima Al Mansoori"
    # Every press reached the widget with its release, none twice.
    assert [kind for kind, _ in till.edit.events].count("release") == len(presses)


def test_held_keys_are_replayed_by_the_quiet_timer(qtbot, till: Till, clock: Clock) -> None:  # type: ignore[no-untyped-def]
    wedge = WedgeScanner(till, clock=clock, max_gap_ms=20)
    wedge.install()
    try:
        till.edit.setFocus()
        type_text(till.edit, "a", clock, 0.2)
        assert till.edit.text() == ""  # held for one gap, in case a scan is starting
        qtbot.waitUntil(lambda: till.edit.text() == "a", timeout=1000)
        type_text(till.edit, "b", clock, 0.2)
        qtbot.waitUntil(lambda: till.edit.text() == "ab", timeout=1000)
    finally:
        wedge.uninstall()


def test_a_short_fast_burst_is_not_a_scan(qtbot, till: Till, wedge, clock) -> None:  # type: ignore[no-untyped-def]
    till.edit.setFocus()
    returns: list[bool] = []
    till.edit.returnPressed.connect(lambda: returns.append(True))
    with qtbot.assertNotEmitted(wedge.scanned):
        type_text(till.edit, "12345", clock, 0.005)  # below the 8-character minimum
        enter(till.edit, clock, 0.005)
    assert till.edit.text() == "12345"
    assert returns == [True]


def test_a_slow_enter_after_a_burst_is_not_a_scan(qtbot, till: Till, wedge, clock) -> None:  # type: ignore[no-untyped-def]
    till.edit.setFocus()
    with qtbot.assertNotEmitted(wedge.scanned):
        type_text(till.edit, "PO7KQ2MXW9HB4T", clock, 0.005)
        enter(till.edit, clock, 0.5)
    assert till.edit.text() == "PO7KQ2MXW9HB4T"


def test_typing_then_a_scan_then_typing(qtbot, till: Till, wedge, clock) -> None:  # type: ignore[no-untyped-def]
    till.edit.setFocus()
    type_text(till.edit, "ab", clock, 0.15)
    with qtbot.waitSignal(wedge.scanned, timeout=1000) as blocker:
        clock.t += 0.15  # the scanner's first key comes a human-sized pause after "b"
        QTest.keyClick(till.edit, "P")
        type_text(till.edit, "O-7KQ2-MXW9-HB4T", clock, 0.004)
        enter(till.edit, clock, 0.004)
    assert blocker.args == ["PO-7KQ2-MXW9-HB4T"]
    assert till.edit.text() == "ab"
    type_text(till.edit, "c", clock, 0.3)
    wedge.flush()
    assert till.edit.text() == "abc"


def test_a_burst_without_enter_is_typed_unless_enter_is_optional(qtbot, till: Till, clock: Clock) -> None:  # type: ignore[no-untyped-def]
    strict = WedgeScanner(till, clock=clock)
    strict.install()
    try:
        till.edit.setFocus()
        with qtbot.assertNotEmitted(strict.scanned, wait=100):
            type_text(till.edit, "PO7KQ2MXW9HB4T", clock, 0.003)
        qtbot.waitUntil(lambda: till.edit.text() == "PO7KQ2MXW9HB4T", timeout=1000)
    finally:
        strict.uninstall()
    till.edit.clear()
    lenient = WedgeScanner(till, clock=clock, require_enter=False)
    lenient.install()
    try:
        with qtbot.waitSignal(lenient.scanned, timeout=1000) as blocker:
            type_text(till.edit, "PO7KQ2MXW9HB4T", clock, 0.003)
        assert blocker.args == ["PO7KQ2MXW9HB4T"]
        assert till.edit.text() == ""
    finally:
        lenient.uninstall()


def test_shortcuts_navigation_and_auto_repeat_pass_through(qtbot, till: Till, wedge, clock) -> None:  # type: ignore[no-untyped-def]
    till.edit.setFocus()
    type_text(till.edit, "abc", clock, 0.2)
    wedge.flush()
    clock.t += 0.2
    QTest.keyClick(till.edit, Qt.Key.Key_Backspace)
    assert till.edit.text() == "ab"
    clock.t += 0.2
    QTest.keyClick(till.edit, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    assert till.edit.selectedText() == "ab"
    till.edit.clear()
    # A key held down repeats every ~30 ms: a person, not a scanner.
    with qtbot.assertNotEmitted(wedge.scanned):
        for repeat in range(12):
            clock.t += 0.01
            press = QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_X, Qt.KeyboardModifier.NoModifier, "x", repeat > 0, 1)
            QApplication.sendEvent(till.edit, press)
        enter(till.edit, clock, 0.01)
    assert till.edit.text() == "x" * 12


def test_keys_of_another_window_are_not_touched(qtbot, till: Till, wedge, clock) -> None:  # type: ignore[no-untyped-def]
    dialog = QDialog()
    qtbot.addWidget(dialog)
    edit = QLineEdit(dialog)
    dialog.show()
    with qtbot.assertNotEmitted(wedge.scanned):
        type_text(edit, "PO7KQ2MXW9HB4T", clock, 0.002)
        enter(edit, clock, 0.002)
    assert edit.text() == "PO7KQ2MXW9HB4T"  # typed at once, not held


def test_real_clock_fast_burst_and_slow_typing(qtbot, till: Till) -> None:  # type: ignore[no-untyped-def]
    # The platform's key timestamps when it sets them, else the monotonic clock (QTest leaves them at 0).
    wedge = WedgeScanner(till, max_gap_ms=100)  # generous: a loaded test machine must not split the burst
    wedge.install()
    try:
        till.edit.setFocus()
        with qtbot.waitSignal(wedge.scanned, timeout=2000) as blocker:
            QTest.keyClicks(till.edit, "PO7KQ2MXW9HB4T")
            QTest.keyClick(till.edit, Qt.Key.Key_Return)
        assert blocker.args == ["PO7KQ2MXW9HB4T"]
        assert till.edit.text() == ""
        with qtbot.assertNotEmitted(wedge.scanned):
            for ch in "Oud Royal":
                QTest.keyClick(till.edit, ch, Qt.KeyboardModifier.NoModifier, 150)
            QTest.keyClick(till.edit, Qt.Key.Key_Return, Qt.KeyboardModifier.NoModifier, 150)
        assert till.edit.text() == "Oud Royal"
    finally:
        wedge.uninstall()


def test_uninstall_stops_filtering(qtbot, till: Till, clock: Clock) -> None:  # type: ignore[no-untyped-def]
    wedge = WedgeScanner(till, clock=clock)
    wedge.install()
    wedge.uninstall()
    till.edit.setFocus()
    with qtbot.assertNotEmitted(wedge.scanned):
        type_text(till.edit, "PO7KQ2MXW9HB4T", clock, 0.002)
        enter(till.edit, clock, 0.002)
    assert till.edit.text() == "PO7KQ2MXW9HB4T"
