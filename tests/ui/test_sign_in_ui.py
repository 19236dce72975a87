"""Sign-in at the till as staff do it: the PIN alone, no name chosen for you; a locked till a manager unlocks;
the next cashier taking over; a till left alone locking itself; each role landing on its own page."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication, QMessageBox

from core.giftcards.service import IssueRequest
from core.kernel.errors import AuthenticationFailed
from core.staff.auth import MAX_FAILED_ATTEMPTS, Role, TillLocked
from storage.bootstrap import Services
from tests.conftest import actor_for
from tests.ui.conftest import sign_in
from ui.main_window import IDLE_LOCK_SETTING, MainWindow, idle_lock_minutes
from ui.ops import wait_for_background
from ui.widgets.tables import select_row


def staff_id(services: Services, username: str) -> str:
    return next(s.id for s in services.staff.staff_of_branch(services.store.branch_id) if s.username == username)


def test_nobody_is_preselected_and_the_pin_alone_says_who(qtbot, window: MainWindow, services: Services) -> None:  # type: ignore[no-untyped-def]
    page = window.sign_in
    wait_for_background()
    assert window.stack.currentWidget() is page
    assert not page.unlock_box.isVisibleTo(page) and page.managers.currentItem() is None
    assert page.pin.hasFocus() or QApplication.focusWidget() is page.pin
    assert "1112" in page.hint.text() and "2223" in page.hint.text()
    sign_in(qtbot, window, "rahul.cashier", "1112")
    assert window.actor is not None and window.actor.staff_id == staff_id(services, "rahul.cashier")


@pytest.mark.parametrize(
    ("username", "pin", "start"),
    [
        ("aisha.cashier", "1111", "sale"),
        ("noura.shopper", "2222", "my_vips"),
        ("khalid.manager", "3333", "vip_service"),
        ("admin", "4444", "staff"),
    ],
)
def test_each_role_lands_on_the_page_it_uses_most(
    qtbot, window: MainWindow, username: str, pin: str, start: str
) -> None:  # type: ignore[no-untyped-def]
    sign_in(qtbot, window, username, pin)
    assert window.workspace.current_key() == start
    assert window.workspace.stack.currentWidget() is window.workspace.pages[window.workspace.nav.currentRow()][1]


def test_a_mistyped_pin_blames_nobody_and_a_locked_till_is_unlocked_by_a_manager(
    qtbot, window: MainWindow, services: Services
) -> None:  # type: ignore[no-untyped-def]
    branch = services.store.branch_id
    for _ in range(MAX_FAILED_ATTEMPTS - 2):
        with pytest.raises(AuthenticationFailed):
            services.staff.sign_in_by_pin(branch, "0000")
    sign_in(qtbot, window, "aisha.cashier", "1119")  # one digit off: a failure of the till, not Aisha's
    page = window.sign_in
    assert window.stack.currentWidget() is page and "1 attempts left" in page.error.text()
    assert page.pin.text() == "" and not page.unlock_box.isVisibleTo(page)
    sign_in(qtbot, window, "aisha.cashier", "1119")
    assert "Too many wrong PINs at this till" in page.error.text()
    wait_for_background()
    assert not page.pin.isVisibleTo(page), "the PIN prompt makes way for the manager's override"
    assert page.unlock_box.isVisibleTo(page) and page.managers.selectedItems() == [], "no name chosen for you"
    names = [page.managers.item(i).text() for i in range(page.managers.count())]
    assert len(names) == 2 and any("Khalid" in n for n in names) and any("Administrator" in n for n in names)
    records = {s.username: s for s in services.staff.staff_of_branch(branch)}
    assert all(s.failed_attempts == 0 and s.locked_until is None for s in records.values())

    sign_in(qtbot, window, "aisha.cashier", "1111")  # the right PIN waits for the lock too
    assert window.actor is None and isinstance(_last_refusal(services), TillLocked)
    page.manager_pin.setText("3333")
    qtbot.keyClick(page.manager_pin, Qt.Key.Key_Return)
    wait_for_background()
    assert window.actor is None and "Choose your name" in page.error.text()
    khalid = next(i for i in range(page.managers.count()) if "Khalid" in page.managers.item(i).text())
    page.managers.setCurrentRow(khalid)
    page.manager_pin.setText("3333")
    qtbot.keyClick(page.manager_pin, Qt.Key.Key_Return)
    wait_for_background()
    assert window.actor is not None and window.actor.role == Role.MANAGER
    assert services.staff.till_locked_until(branch) is None
    window.switch_action.trigger()
    wait_for_background()
    assert not page.unlock_box.isVisibleTo(page)
    sign_in(qtbot, window, "aisha.cashier", "1111")
    assert window.actor is not None and window.actor.staff_id == records["aisha.cashier"].id


def _last_refusal(services: Services) -> BaseException | None:
    try:
        services.staff.sign_in_by_pin(services.store.branch_id, "1111")
    except AuthenticationFailed as refusal:
        return refusal
    return None


def test_switch_cashier_clears_a_half_typed_redemption_and_the_next_lands_on_their_page(
    qtbot, window: MainWindow, services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    card = services.giftcards.issue(actor_for(services, Role.CASHIER), IssueRequest(20_000))
    sign_in(qtbot, window, "aisha.cashier", "1111")
    window.workspace.show_page("giftcards")
    cards = window.workspace.stack.currentWidget()
    cards.find_scanned(card.code)
    wait_for_background()
    cards.amount.setText("150")  # half typed when the cashier leaves the till
    window.activateWindow()
    qtbot.keyClick(window, Qt.Key.Key_F12)
    wait_for_background()
    assert window.stack.currentWidget() is window.sign_in and window.actor is None
    assert cards.panel.card is None and cards.amount.text() == "" and not cards.actions_row.isEnabled()
    sign_in(qtbot, window, "noura.shopper", "2222")
    assert window.workspace.current_key() == "my_vips"
    window.switch_action.trigger()
    wait_for_background()
    sign_in(qtbot, window, "rahul.cashier", "1112")
    assert window.workspace.current_key() == "sale"
    window.workspace.show_page("giftcards")
    cards.redeem()
    wait_for_background()
    assert services.giftcards.get(card.id).balance_fils == 20_000


def test_a_till_left_alone_locks_itself_but_not_while_used(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    window.idle_lock.set_interval_ms(60_000)
    sign_in(qtbot, window, "aisha.cashier", "1111")
    timer = window.idle_lock.timer
    assert timer.isActive()
    qtbot.wait(300)
    waited = timer.remainingTime()
    qtbot.keyClick(window.workspace.stack.currentWidget(), Qt.Key.Key_Shift)  # any key starts the wait again
    assert timer.remainingTime() > waited and window.actor is not None
    window.idle_lock.set_interval_ms(200)  # now nobody touches the till
    qtbot.waitUntil(lambda: window.actor is None, timeout=5000)
    assert window.stack.currentWidget() is window.sign_in and not timer.isActive()
    wait_for_background()


def test_the_idle_time_is_a_till_setting(qapp) -> None:  # type: ignore[no-untyped-def]
    settings = QSettings()
    before = settings.value(IDLE_LOCK_SETTING)
    try:
        settings.remove(IDLE_LOCK_SETTING)
        assert idle_lock_minutes() == 5
        settings.setValue(IDLE_LOCK_SETTING, "2.5")
        assert idle_lock_minutes() == 2.5
        settings.setValue(IDLE_LOCK_SETTING, "soon")
        assert idle_lock_minutes() == 5
    finally:
        if before is None:
            settings.remove(IDLE_LOCK_SETTING)
        else:
            settings.setValue(IDLE_LOCK_SETTING, before)


def test_a_manager_unlocks_a_locked_out_colleague_from_the_staff_page(
    qtbot, window: MainWindow, services: Services
) -> None:  # type: ignore[no-untyped-def]
    noura = staff_id(services, "noura.shopper")
    for _ in range(MAX_FAILED_ATTEMPTS):
        with pytest.raises(AuthenticationFailed):
            services.staff.sign_in(noura, "9999")
    sign_in(qtbot, window, "noura.shopper", "2222")
    assert window.actor is None and "Ask a manager" in window.sign_in.error.text()
    sign_in(qtbot, window, "khalid.manager", "3333")
    window.workspace.show_page("staff")
    wait_for_background()
    page = window.workspace.staff
    row = next(i for i in range(page.table.rowCount()) if "Noura" in page.table.item(i, 0).text())
    assert "Locked until" in page.table.item(row, 2).text()
    select_row(page.table, 0 if row else 1)
    assert not page.unlock_button.isEnabled()
    select_row(page.table, row)
    assert page.unlock_button.isEnabled()
    page.unlock_button.click()
    wait_for_background()
    assert "can sign in again" in page.message.text()
    assert page.table.item(row, 2).text() == "Active"
    with services.store.read_engine.connect() as conn:
        who = conn.exec_driver_sql("SELECT staff_id FROM security_events WHERE kind = 'staff_unlocked'").scalar()
    assert who == staff_id(services, "khalid.manager")
    window.switch_action.trigger()
    wait_for_background()
    sign_in(qtbot, window, "noura.shopper", "2222")
    assert window.actor is not None and window.actor.staff_id == noura
