"""The customer screen's Feedback and Tickets tabs, and the manager's alert in the status bar, clicked through as
a manager and a cashier would."""

from __future__ import annotations

import os
from datetime import time
from pathlib import Path

from PySide6.QtCore import Qt, QTime

from core.feedback.service import Answer
from core.staff.auth import Role
from core.tickets.model import TicketDraft
from core.tickets.sla import Shift
from storage.bootstrap import Services
from tests.conftest import actor_for
from tests.integration.test_events import silver_sale
from tests.ui.conftest import sign_in
from ui.i18n import LanguageSwitch
from ui.main_window import MainWindow
from ui.ops import wait_for_background
from ui.pages.branch.hours import BranchHoursBox
from ui.pages.customers.service_tabs import CustomerFeedbackTab, CustomerTicketsTab

COMMENT = "<b>الرائحة</b> لا تدوم\nand nobody called back"


def feedback_and_tickets(services: Services) -> tuple[str, str, str]:
    """A customer with a low answer (which opens a ticket) and a ticket opened at the till: (customer, the low
    score's ticket number, the till's ticket id)."""
    cashier = actor_for(services, Role.CASHIER)
    who = services.customers.search("moh")[0].id
    sale = services.purchases.record_sale(cashier, silver_sale(who))
    services.feedback.answer_at_till(cashier, sale.order.id, Answer(nps=3, comment=COMMENT))
    (from_feedback,) = services.tickets.of_customer(cashier, who)
    till = services.tickets.open(cashier, TicketDraft(who, "Engraving <i>spelt</i> wrong", priority="high"))
    services.tickets.note(cashier, till.id, "Called, no answer")
    return who, from_feedback.number, till.id


def open_tab(qtbot, window: MainWindow, who: str, kind: type) -> object:  # type: ignore[no-untyped-def]
    customers = window.workspace.customers
    window.workspace.show_page("customers")
    customers.open_customer(who)
    wait_for_background()
    tab = customers.findChild(kind)
    assert tab is not None
    customers.tabs.setCurrentWidget(tab)
    wait_for_background()
    return tab


def row_texts(table, row: int) -> list[str]:  # type: ignore[no-untyped-def]
    return [table.item(row, c).text() for c in range(table.columnCount())]


def test_the_feedback_tab_shows_the_answers_as_plain_text_with_their_ticket(  # type: ignore[no-untyped-def]
    qtbot, window: MainWindow, services: Services
) -> None:
    who, number, _till = feedback_and_tickets(services)
    sign_in(qtbot, window, "khalid.manager", "3333")
    tab = open_tab(qtbot, window, who, CustomerFeedbackTab)
    assert isinstance(tab, CustomerFeedbackTab)
    assert tab.table.rowCount() == 1 and not tab.notice.isVisible()
    texts = row_texts(tab.table, 0)
    assert texts[tab.KIND] == "General" and texts[tab.SCORE] == "3 of 10"
    assert texts[tab.COMMENT] == "<b>الرائحة</b> لا تدوم" and texts[tab.TICKET].strip("\u200e\u2066\u2069") == number
    assert tab.comment.toPlainText() == COMMENT  # whole, as typed: markup shows as text
    assert tab.comment.layoutDirection() == Qt.LayoutDirection.RightToLeft


def test_the_tickets_tab_lists_the_customers_tickets_and_asks_to_open_one(  # type: ignore[no-untyped-def]
    qtbot, window: MainWindow, services: Services
) -> None:
    who, number, till = feedback_and_tickets(services)
    sign_in(qtbot, window, "aisha.cashier", "1111")
    tab = open_tab(qtbot, window, who, CustomerTicketsTab)
    assert isinstance(tab, CustomerTicketsTab)
    assert tab.table.rowCount() == 2
    newest = row_texts(tab.table, 0)
    assert newest[tab.SUBJECT] == "Engraving <i>spelt</i> wrong"
    assert (newest[tab.STATUS], newest[tab.PRIORITY]) == ("Open", "High")
    assert newest[tab.DUE] != "" and newest[tab.LAST] != ""  # the note
    assert row_texts(tab.table, 1)[tab.NUMBER].strip("\u200e\u2066\u2069") == number
    assert row_texts(tab.table, 1)[tab.LAST] == ""
    with qtbot.waitSignal(tab.open_ticket) as asked:
        tab.open_button.click()
    assert asked.args == [till]


def test_a_cashier_sees_no_feedback_and_a_manager_is_alerted(  # type: ignore[no-untyped-def]
    qtbot, window: MainWindow, services: Services
) -> None:
    who, number, _till = feedback_and_tickets(services)
    sign_in(qtbot, window, "aisha.cashier", "1111")
    tab = open_tab(qtbot, window, who, CustomerFeedbackTab)
    assert isinstance(tab, CustomerFeedbackTab)
    assert tab.notice.isVisible() and tab.table.rowCount() == 0
    assert not window.status.alerts.isVisible()
    window.sign_out()
    sign_in(qtbot, window, "khalid.manager", "3333")
    wait_for_background()
    qtbot.waitUntil(window.status.alerts.isVisible, timeout=3000)
    assert window.status.alerts.text() == "⚠ Low scores waiting: 1"
    assert number in window.status.alerts.toolTip()


def test_the_tabs_in_english_and_arabic_at_1366_by_768(  # type: ignore[no-untyped-def]
    qtbot, window: MainWindow, services: Services, language: LanguageSwitch, tmp_path: Path
) -> None:
    who, _number, _till = feedback_and_tickets(services)
    sign_in(qtbot, window, "khalid.manager", "3333")
    window.resize(1366, 768)
    out = Path(os.environ.get("SCREENSHOTS_DIR", tmp_path))
    for lang in ("en", "ar"):
        language.set_language(lang)
        for kind in (CustomerFeedbackTab, CustomerTicketsTab):
            tab = open_tab(qtbot, window, who, kind)
            assert isinstance(tab, CustomerFeedbackTab | CustomerTicketsTab)
            assert tab.table.rowCount() >= 1
            tabs = window.workspace.customers.tabs
            assert tabs.tabBar().sizeHint().width() <= tabs.width(), "every tab's title in sight, no scroll arrows"
            assert window.width() <= 1366 and window.minimumSizeHint().width() <= 1366, "the window never grows"
            assert window.grab().save(str(out / f"{kind.__name__}-{lang}.png"))
        if lang == "ar":
            assert window.workspace.customers.tabs.tabText(window.workspace.customers.tabs.indexOf(tab)) != "Tickets"


def hours_box(qtbot, window: MainWindow) -> BranchHoursBox:  # type: ignore[no-untyped-def]
    sign_in(qtbot, window, "khalid.manager", "3333")
    window.workspace.show_page("receipts")
    wait_for_background()
    box = window.findChild(BranchHoursBox)
    assert isinstance(box, BranchHoursBox) and box.isVisible()
    return box


def test_a_manager_sets_the_branch_hours_on_the_printing_page(  # type: ignore[no-untyped-def]
    qtbot, window: MainWindow, services: Services, language: LanguageSwitch, tmp_path: Path
) -> None:
    box = hours_box(qtbot, window)
    manager = actor_for(services, Role.MANAGER)
    assert box.usual.start.time() == QTime(10, 0) and [d.isChecked() for d in box.days][5:] == [True, True]
    assert not box.ramadan_first.isEnabled()
    # Every day off: refused, said, nothing saved.
    for day in box.days:
        day.setChecked(True)
    box.save()
    wait_for_background()
    assert box.message.property("error") is True and "at least one working day" in box.message.text()
    assert services.tickets.branch_settings(manager).weekend == frozenset({5, 6})
    # 09:00–21:00, Ramadan 10:00–16:00 and 20:00–01:00, Friday and Saturday off, alerts to the manager.
    box.usual.start.setTime(QTime(9, 0))
    box.usual.end.setTime(QTime(21, 0))
    box.ramadan_on.setChecked(True)
    box.ramadan_second_on.setChecked(True)
    for n, day in enumerate(box.days):
        day.setChecked(n in (4, 5))
    box.email.setText("khalid@example.com")
    box.whatsapp.setText("٠٥٠ ١١١ ٢٢٣٣")  # typed in Arabic-Indic digits
    box.save()
    wait_for_background()
    assert box.message.property("error") is False
    saved = services.tickets.branch_settings(manager)
    assert saved.hours == (Shift(time(9), time(21)),)
    assert saved.ramadan_hours == (Shift(time(10), time(16)), Shift(time(20), time(1)))
    assert saved.weekend == frozenset({4, 5}) and saved.alert_email == "khalid@example.com"
    assert saved.alert_whatsapp == "+971501112233" and box.whatsapp.text() == "050 111 2233"
    out = Path(os.environ.get("SCREENSHOTS_DIR", tmp_path))
    window.resize(1366, 768)
    for lang in ("en", "ar"):
        language.set_language(lang)
        wait_for_background()
        assert window.grab().save(str(out / f"BranchHours-{lang}.png"))
    assert box.title() == "ساعات العمل لتذاكر الدعم"
