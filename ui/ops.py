"""The one way slow work leaves the Qt main thread: run a callable on the pool, get the result back on the
main thread (Anki's QueryOp, Picard's run_task). Widgets never start threads of their own."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot
from PySide6.QtWidgets import QWidget
from shiboken6 import isValid


class _Relay(QObject):
    """Lives on the main thread; the worker emits into it, so callbacks run on the main thread."""

    succeeded = Signal(object)
    failed = Signal(object)

    def __init__(self, on_success: Callable[[Any], None], on_failure: Callable[[BaseException], None] | None) -> None:
        super().__init__()
        self._on_success = on_success
        self._on_failure = on_failure
        self.succeeded.connect(self._success)
        self.failed.connect(self._failure)

    @Slot(object)
    def _success(self, value: Any) -> None:
        _live.discard(self)
        self._on_success(value)

    @Slot(object)
    def _failure(self, error: BaseException) -> None:
        _live.discard(self)
        if self._on_failure is None:
            raise error
        self._on_failure(error)


_live: set[_Relay] = set()


class _Task(QRunnable):
    def __init__(self, fn: Callable[[], Any], relay: _Relay) -> None:
        super().__init__()
        self._fn = fn
        self._relay = relay

    def run(self) -> None:
        try:
            result = self._fn()
        except Exception as exc:  # delivered to the caller's failure callback on the main thread
            self._relay.failed.emit(exc)
        else:
            self._relay.succeeded.emit(result)


def run_in_background(
    fn: Callable[[], Any],
    on_success: Callable[[Any], None],
    on_failure: Callable[[BaseException], None] | None = None,
    *,
    busy: list[QWidget] | None = None,
    owner: object = None,
) -> None:
    """Runs ``fn`` on the global thread pool; ``busy`` widgets are disabled until it finishes. A result that
    arrives once ``owner`` (by default the object whose method ``on_success`` is) has been deleted is dropped:
    a screen closed while its query ran."""
    widgets = busy or []
    for widget in widgets:
        widget.setEnabled(False)
    owner = owner if owner is not None else getattr(on_success, "__self__", None)

    def gone() -> bool:
        return isinstance(owner, QObject) and not isValid(owner)

    def release() -> None:
        for widget in widgets:
            if isValid(widget):
                widget.setEnabled(True)

    def success(value: Any) -> None:
        release()
        if not gone():
            on_success(value)

    def failure(error: BaseException) -> None:
        release()
        if gone():
            return
        if on_failure is None:
            raise error
        on_failure(error)

    relay = _Relay(success, failure)
    _live.add(relay)
    QThreadPool.globalInstance().start(_Task(fn, relay))


def wait_for_background(timeout_ms: int = 10_000) -> bool:
    """For tests and the screenshot command: let queued work finish and deliver its results."""
    from PySide6.QtCore import QCoreApplication, QDeadlineTimer, QElapsedTimer

    timer = QElapsedTimer()
    timer.start()
    while timer.elapsed() < timeout_ms:
        QThreadPool.globalInstance().waitForDone(QDeadlineTimer(20))
        QCoreApplication.processEvents()
        if not _live and QThreadPool.globalInstance().activeThreadCount() == 0:
            QCoreApplication.processEvents()
            return True
    return False


class Latest:
    """For a query run again as the user types or changes a filter: only the newest run's answer reaches the
    widget. The pool runs two jobs at once, so an older run that finishes last would otherwise show a stale
    list. Failures are passed on as ``run_in_background`` passes them."""

    def __init__(self) -> None:
        self._newest = 0

    def run(
        self,
        fn: Callable[[], Any],
        on_success: Callable[[Any], None],
        on_failure: Callable[[BaseException], None] | None = None,
    ) -> None:
        self._newest += 1
        mine = self._newest

        def success(value: Any) -> None:
            if mine == self._newest:
                on_success(value)

        run_in_background(fn, success, on_failure, owner=getattr(on_success, "__self__", None))
