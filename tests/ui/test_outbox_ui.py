"""A standalone store sends its outbox from the app's background once someone has signed in: rounds on the
thread pool, the window responsive meanwhile; a store without a dispatcher (a chain's branch) installs nothing."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QTimer

from core.messaging.dispatch import Dispatcher
from core.messaging.ports import Accepted, OutboundMessage
from core.staff.auth import Actor
from storage.bootstrap import Services
from storage.outbox import SqlOutbox
from tests.dispatching import correlation_ids, gateway, queue_messages, rows
from tests.providers import FakeProviders
from tests.ui.conftest import sign_in
from ui import features
from ui.i18n import LanguageSwitch
from ui.main_window import MainWindow
from ui.ops import wait_for_background


@pytest.fixture
def fake() -> Iterator[FakeProviders]:
    server = FakeProviders().start()
    yield server
    server.stop()


def test_the_app_sends_a_standalone_stores_outbox_off_the_main_thread(
    qtbot, services: Services, cashier: Actor, language: LanguageSwitch, fake: FakeProviders, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    channels = gateway(fake.url, services.clock)
    threads: list[bool] = []

    class Watching:
        def send(self, message: OutboundMessage) -> Accepted:
            threads.append(threading.current_thread() is threading.main_thread())
            return channels.send(message)

    services.outbox = Dispatcher(SqlOutbox(services.store), Watching(), services.clock, concurrency=2)
    monkeypatch.setattr(features, "OUTBOX_ROUND_MS", 50)
    queued = queue_messages(services.store, services.clock, cashier, 3)
    window = MainWindow(services, language, features.install)
    qtbot.addWidget(window)
    window.show()
    wait_for_background()
    sign_in(qtbot, window, "khalid.manager", "3333")  # the app's features, the dispatcher's rounds among them
    ticks: list[int] = []
    beat = QTimer(window)
    beat.timeout.connect(lambda: ticks.append(1))
    beat.start(10)
    import ui.ops as ops

    orig = ops.run_in_background
    calls = []

    def spy(fn, ok, bad=None, **kw):
        calls.append(fn)
        return orig(fn, lambda r: (print("OK", r), ok(r)), lambda e: (print("ERR", repr(e)), bad(e)), **kw)

    monkeypatch.setattr(ops, "run_in_background", spy)
    qtbot.wait(2000)
    print("CALLS", len(calls), len(ticks))
    qtbot.waitUntil(lambda: len(correlation_ids(fake)) == 3, timeout=10_000)
    wait_for_background()
    assert sorted(correlation_ids(fake)) == sorted(queued)
    assert threads and not any(threads)  # every send off the main thread
    assert ticks  # the event loop kept turning
    sent = rows(services.store, "SELECT count(*) FROM communications WHERE status = 'sent'")[0][0]
    assert sent == 3
    services.outbox.close()


def test_a_store_without_a_dispatcher_sends_nothing(
    qtbot, services: Services, cashier: Actor, language: LanguageSwitch, fake: FakeProviders
) -> None:  # type: ignore[no-untyped-def]
    assert services.outbox is None
    queue_messages(services.store, services.clock, cashier, 1)
    window = MainWindow(services, language, features.install)
    qtbot.addWidget(window)
    window.show()
    wait_for_background()
    sign_in(qtbot, window, "khalid.manager", "3333")
    qtbot.wait(300)
    wait_for_background()
    assert fake.requests == []
