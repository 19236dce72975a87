"""Background work reaches the main thread; only the newest run of a repeated query reaches the widget."""

from __future__ import annotations

import threading

from ui.ops import Latest


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
