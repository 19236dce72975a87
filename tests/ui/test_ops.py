"""Background work reaches the main thread; only the newest run of a repeated query reaches the widget."""

from __future__ import annotations

import threading

from PySide6.QtWidgets import QLabel
from shiboken6 import isValid

from ui.ops import Latest, run_in_background


def test_an_older_run_finishing_last_does_not_replace_the_newest_answer(qtbot) -> None:  # type: ignore[no-untyped-def]
    release_first = threading.Event()
    shown: list[str] = []
    latest = Latest()

    def first() -> str:
        release_first.wait(5)
        return "stale"

    latest.run(first, shown.append)
    latest.run(lambda: "newest", shown.append)
    qtbot.waitUntil(lambda: shown == ["newest"], timeout=3000)
    release_first.set()
    qtbot.wait(200)
    assert shown == ["newest"]


def test_failures_still_reach_the_caller(qtbot) -> None:  # type: ignore[no-untyped-def]
    failed: list[BaseException] = []

    def boom() -> str:
        raise OSError("disk gone")

    Latest().run(boom, lambda _v: None, failed.append)
    qtbot.waitUntil(lambda: len(failed) == 1, timeout=3000)
    assert isinstance(failed[0], OSError)


def test_an_answer_for_a_widget_deleted_meanwhile_is_dropped(qtbot) -> None:  # type: ignore[no-untyped-def]
    release = threading.Event()
    label = QLabel()
    kept = QLabel()
    qtbot.addWidget(kept)

    def slow() -> str:
        release.wait(5)
        return "late"

    run_in_background(slow, label.setText)  # would raise: the label's C++ object is gone by then
    run_in_background(slow, kept.setText)
    Latest().run(slow, label.setText)
    label.deleteLater()
    qtbot.waitUntil(lambda: not isValid(label), timeout=3000)
    release.set()
    qtbot.waitUntil(lambda: kept.text() == "late", timeout=3000)
    qtbot.wait(100)  # pytest-qt fails the test on an exception raised in the event loop
