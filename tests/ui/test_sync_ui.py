"""The sync page, the status bar and the offline exceptions page follow the worker's status (a fake link here;
the real worker is exercised in tests/integration/test_sync_headoffice.py and tests/faults)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from PySide6.QtCore import Qt
from sqlalchemy import text

from core.offline.allowances import (
    DecreaseKind,
    LinkState,
    OnlineAuthorization,
    SyncProblem,
    SyncProgress,
    SyncStatus,
)
from storage.bootstrap import build_services
from storage.db import Store
from tests.ui.conftest import sign_in
from ui import features
from ui.i18n import LanguageSwitch
from ui.main_window import MainWindow
from ui.ops import wait_for_background


class FakeLink:
    def __init__(self) -> None:
        self.listeners: list[Callable[[SyncStatus], None]] = []
        self.current = SyncStatus(LinkState.OFFLINE, headoffice="https://ho.example")
        self.nudged = 0

    def is_offline(self) -> bool:
        return self.current.state == LinkState.OFFLINE

    def link_state(self) -> LinkState:
        return self.current.state

    def authorize_online(
        self, kind: DecreaseKind, subject_id: str, amount: int, hold_id: str
    ) -> OnlineAuthorization | None:
        return None

    def release_online(self, hold_ids: list[str]) -> None:
        del hold_ids

    def status(self) -> SyncStatus:
        return self.current

    def sync_now(self) -> None:
        self.nudged += 1

    def subscribe(self, listener: Callable[[SyncStatus], None]) -> None:
        self.listeners.append(listener)

    def publish(self, status: SyncStatus) -> None:
        self.current = status
        for listener in self.listeners:
            listener(status)


def test_status_bar_and_sync_page_follow_the_worker(qtbot, store: Store, language: LanguageSwitch) -> None:  # type: ignore[no-untyped-def]
    link = FakeLink()
    window = MainWindow(build_services(store, link=link), language, features.install)
    qtbot.addWidget(window)
    window.show()
    wait_for_background()
    sign_in(qtbot, window, "khalid.manager", "3333")
    link.publish(
        SyncStatus(LinkState.OFFLINE, unsynced=7, problem=SyncProblem.UNREACHABLE, headoffice="https://ho.example")
    )
    qtbot.waitUntil(lambda: "Offline" in window.status.sync.text())
    assert "cannot be reached" in window.status.sync.text()
    assert window.status.pending.text().endswith("7")
    window.workspace.show_page("sync")
    page = window.workspace.stack.currentWidget()
    wait_for_background()
    assert page.objectName() == "syncPage"
    assert page.state.text() == "Offline" and page.problem.isVisible()
    qtbot.mouseClick(page.sync_now, Qt.MouseButton.LeftButton)
    assert link.nudged == 1
    link.publish(
        SyncStatus(
            LinkState.SYNCING, unsynced=7, progress=SyncProgress("pull", 250, 1000), headoffice="https://ho.example"
        )
    )
    qtbot.waitUntil(lambda: page.progress.isVisible())
    assert page.progress.value() == 250 and "Receiving" in page.progress.format()
    link.publish(SyncStatus(LinkState.ONLINE, last_success_at=datetime.now(UTC), headoffice="https://ho.example"))
    qtbot.waitUntil(lambda: window.status.sync.text().startswith("Online"))
    assert not page.progress.isVisible() and not page.problem.isVisible()


def test_manager_sees_refunds_and_returns_beyond_the_limit(qtbot, store: Store, language: LanguageSwitch) -> None:  # type: ignore[no-untyped-def]
    with store.write_engine.begin() as conn:
        for n, kind, subject in ((1, "refund", "card-1"), (2, "return", "order-1")):
            conn.execute(
                text(
                    "INSERT INTO sync_exceptions (id, kind, subject_id, branch_id, event_id, amount, balance_after, "
                    "detected_at, detail) VALUES (:n, :k, :s, :b, :e, 21000, -2, :at, '')"
                ),
                {"n": n, "k": kind, "s": subject, "e": f"e{n}", "b": store.branch_id, "at": datetime(2026, 11, 25, 10)},
            )
    window = MainWindow(build_services(store, link=FakeLink()), language, features.install)
    qtbot.addWidget(window)
    window.show()
    wait_for_background()
    sign_in(qtbot, window, "khalid.manager", "3333")
    window.workspace.show_page("sync_exceptions")
    wait_for_background()
    page = window.workspace.stack.currentWidget()
    shown = {page.table.item(row, 1).text(): page.table.item(row, 2).text() for row in range(page.table.rowCount())}
    assert set(shown) == {"Card refunded beyond what was paid with it", "Receipt returned beyond what was sold"}
    assert all("210.00" in amount for amount in shown.values()), "money, not points"


def test_manager_sees_the_overspends_head_office_reported(qtbot, store: Store, language: LanguageSwitch) -> None:  # type: ignore[no-untyped-def]
    with store.write_engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO sync_exceptions (id, kind, subject_id, branch_id, event_id, amount, balance_after, "
                "detected_at, detail) VALUES (1, 'gift_card', 'card-1', :b, 'e1', 6000, -6000, :at, 'offline')"
            ),
            {"b": store.branch_id, "at": datetime(2026, 11, 25, 10, 0)},
        )
    window = MainWindow(build_services(store, link=FakeLink()), language, features.install)
    qtbot.addWidget(window)
    window.show()
    wait_for_background()
    sign_in(qtbot, window, "khalid.manager", "3333")
    assert "sync_exceptions" in window.workspace.page_keys()
    window.workspace.show_page("sync_exceptions")
    wait_for_background()
    page = window.workspace.stack.currentWidget()
    assert page.table.rowCount() == 1
    assert page.table.item(0, 1).text() == "Gift card overspent"
    assert "60.00" in page.table.item(0, 2).text() and "-60.00" in page.table.item(0, 3).text()
    window.sign_out()
    wait_for_background()
    sign_in(qtbot, window, "aisha.cashier", "1111")
    assert "sync_exceptions" not in window.workspace.page_keys(), "managers only"


def test_standalone_store_still_says_standalone(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    sign_in(qtbot, window, "admin", "4444")
    assert "Standalone" in window.status.sync.text()
    window.workspace.show_page("sync")
    page = window.workspace.stack.currentWidget()
    assert page.state.text() == "Standalone" and not page.sync_now.isVisible()
