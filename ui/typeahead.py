"""Search as you type: the answer for the text in the box as soon as the store gives it, never an older one.

A fixed delay after every key (it was 120 ms) is paid in full on the last key, which is the one the cashier
waits for. Here a key that follows a pause searches at once; only keys that come in a burst (a fast typist,
a paste, a wedge scanner) wait until the burst stops for ``BURST_MS``. One search runs at a time: keys typed
while it runs are searched, as the box then reads, as soon as it ends, so searches never queue up on the
thread pool behind ones nobody will see. An answer whose text is no longer in the box is dropped: a result for
an older query never overwrites a newer one.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QElapsedTimer, QObject, QTimer

from ui.ops import run_in_background

# Keys closer together than this are one burst: the search waits until it ends.
BURST_MS = 50


class TypeAhead(QObject):
    def __init__(
        self,
        parent: QObject,
        text: Callable[[], str],
        search: Callable[[str], Any],
        show: Callable[[Any], None],
        failed: Callable[[BaseException], None],
        *,
        burst_ms: int = BURST_MS,
    ) -> None:
        super().__init__(parent)
        self._text = text
        self._search = search
        self._show = show
        self._failed = failed
        self._burst_ms = burst_ms
        self._typed = 0  # bumped on every change of the text: an answer for an older text is stale
        self._running = False
        self._again = False  # the text changed while a search ran: search it when that one ends
        self._since_key = QElapsedTimer()
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(burst_ms)
        self.timer.timeout.connect(self.search_now)

    def typed(self) -> None:
        """The text changed (connect ``textChanged`` here)."""
        self._typed += 1
        after_pause = not self._since_key.isValid() or self._since_key.elapsed() >= self._burst_ms
        self._since_key.start()
        if after_pause and not self.timer.isActive():
            self.search_now()
        else:
            self.timer.start()

    def search_now(self) -> None:
        """Searches the text in the box now, or as soon as the search under way ends."""
        self.timer.stop()
        if self._running:
            self._again = True
            return
        self._running = True
        self._again = False
        text, typed = self._text(), self._typed
        run_in_background(
            lambda: self._search(text),
            lambda value: self._done(typed, value, None),
            lambda error: self._done(typed, None, error),
            owner=self,
        )

    def busy(self) -> bool:
        """A search is waiting for a burst to end, queued or under way."""
        return self.timer.isActive() or self._running or self._again

    def _done(self, typed: int, value: Any, error: BaseException | None) -> None:
        self._running = False
        if typed == self._typed:
            if error is None:
                self._show(value)
            else:
                self._failed(error)
        if self._again and not self.timer.isActive():
            self.search_now()
