"""The ticket queue, the ticket view and the till's "open a ticket" dialog, on a real store at a test-clock time:
type-to-filter, SLA colours with their words, Enter opens, moves, notes and replies, a ticket closed twice,
CSV export, and the same screens in Arabic, mirrored."""

from __future__ import annotations

import csv
import os
from dataclasses import dataclass
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget
from sqlalchemy import text

from core.customers.model import CustomerDraft
from core.kernel.errors import ValidationError
from core.staff.auth import Actor
from core.tickets.model import Status, TicketDraft, TicketRecord
from core.tickets.queue import SlaState
from storage.bootstrap import Services
from tests.clock import TestClock
from tests.ui.conftest import sign_in
from tests.ui.test_sale_loyalty import choose_customer, open_sale
from ui.i18n import LanguageSwitch
from ui.main_window import MainWindow
from ui.ops import wait_for_background
from ui.pages.tickets.open_dialog import OpenTicketDialog
from ui.pages.tickets.queue_model import DUE, NUMBER, OVERDUE_BACKGROUND, SLA_ROLE, SOON_BACKGROUND, STATUS
from ui.pages.tickets.queue_page import TicketQueuePage, write_tickets_csv
from ui.pages.tickets.ticket_view import EntryKind, TicketDialog

SHOTS = os.environ.get("TICKET_SHOTS")

NOOR = CustomerDraft(
    first_name_en="Noor",
    last_name_en="Haddad",
    first_name_ar="نور",
    last_name_ar="حداد",
    mobile="050 444 5566",
    preferred_language="en",
    preferred_channel="whatsapp",
    consent_whatsapp=True,
    consent=(("whatsapp", "transactional", True),),
)


@dataclass
class Queue:
    overdue: TicketRecord  # urgent: due Friday 12:00 Dubai
    soon: TicketRecord  # high: due Friday 18:00 Dubai
    on_time: TicketRecord  # low
    done: TicketRecord  # resolved
    customer_id: str


@pytest.fixture
def queue(services: Services, cashier: Actor, clock: TestClock) -> Queue:
    """Four tickets opened on Thursday 3 December 2026 (National Day: closed), seen on Friday at 16:30 in Dubai,
    when the urgent one (2 working hours from Friday 10:00) is overdue and the high one (8 hours: 18:00) due
    within the next 2 working hours."""
    noor = services.customers.create(cashier, NOOR)
    t = services.tickets
    overdue = t.open(cashier, TicketDraft(noor.id, "Bottle leaks in the bag", "Bought on Monday", priority="urgent"))
    soon = t.open(cashier, TicketDraft(noor.id, "Engraving spelt wrong", priority="high", category="order"))
    on_time = t.open(cashier, TicketDraft(noor.id, "Gift wrap colour", priority="low", category="service"))
    done = t.open(cashier, TicketDraft(noor.id, "=Points missing", category="loyalty"))
    t.move(cashier, done.id, "resolved")
    clock.advance(hours=29)  # Friday 12:30 UTC, 16:30 in Dubai
    return Queue(overdue, soon, on_time, done, noor.id)


def shot(widget: QWidget, name: str) -> None:
    if SHOTS:
        wait_for_background()
        widget.resize(1366, 768)
        QApplication.processEvents()
        widget.grab().save(str(Path(SHOTS) / f"{name}.png"))


def queue_page(qtbot, services: Services, actor: Actor) -> TicketQueuePage:  # type: ignore[no-untyped-def]
    page = TicketQueuePage(services)
    qtbot.addWidget(page)
    page.set_actor(actor)
    page.resize(1366, 768)
    page.show()
    wait_for_background()
    assert page.index is not None
    return page


def numbers(page: TicketQueuePage) -> list[str]:
    return [page.model.index(r, NUMBER).data() for r in range(page.model.rowCount())]


def test_the_queue_shows_sla_states_in_colour_and_in_words(
    qtbot, services: Services, manager: Actor, queue: Queue, language: LanguageSwitch
) -> None:  # type: ignore[no-untyped-def]
    page = queue_page(qtbot, services, manager)
    # "Still open" by default: the resolved ticket is left out, the nearest deadline first.
    assert numbers(page) == [queue.overdue.number, queue.soon.number, queue.on_time.number]
    model = page.model
    states = [model.index(r, 0).data(SLA_ROLE) for r in range(3)]
    assert states == [SlaState.OVERDUE, SlaState.SOON, SlaState.ON_TIME]
    assert model.index(0, DUE).data().startswith("Overdue · ")
    assert model.index(1, DUE).data().startswith("Due soon · ")
    assert not model.index(2, DUE).data().startswith(("Overdue", "Due soon"))
    assert model.index(0, 3).data(Qt.ItemDataRole.BackgroundRole).color() == OVERDUE_BACKGROUND
    assert model.index(1, 3).data(Qt.ItemDataRole.BackgroundRole).color() == SOON_BACKGROUND
    assert model.index(2, 3).data(Qt.ItemDataRole.BackgroundRole) is None
    assert "1 overdue" in page.summary.text()
    shot(page, "tickets_queue_en")
    page.status_filter.setCurrentIndex(page.status_filter.findData(None))  # every status
    assert numbers(page)[-1] == queue.done.number
    last = model.rowCount() - 1
    assert model.index(last, DUE).data() == "—" and model.index(last, STATUS).data() == "Resolved"
    assert model.index(last, 0).data(SLA_ROLE) == SlaState.DONE
    assert model.index(last, 0).data(Qt.ItemDataRole.ForegroundRole) is not None  # greyed
    page.overdue_only.setChecked(True)
    assert numbers(page) == [queue.overdue.number]


def test_typing_in_the_table_filters_and_enter_opens_the_ticket(
    qtbot, services: Services, manager: Actor, queue: Queue, language: LanguageSwitch
) -> None:  # type: ignore[no-untyped-def]
    page = queue_page(qtbot, services, manager)
    page.table.setFocus()
    qtbot.keyClicks(page.table, "engr")
    assert page.filter.text() == "engr"
    assert numbers(page) == [queue.soon.number]
    page.filter.clear()
    qtbot.keyClicks(page.filter, "0504445")  # the customer's mobile as typed at a UAE till
    assert len(numbers(page)) == 3
    page.filter.setText("حداد")  # the customer's Arabic name
    assert len(numbers(page)) == 3
    page.filter.setText("gift")
    qtbot.keyClick(page.filter, Qt.Key.Key_Return)
    wait_for_background()
    dialog = page.dialog
    assert dialog is not None and dialog.ticket_id == queue.on_time.id
    assert dialog.heading.text().endswith("Gift wrap colour")
    assert "Noor Haddad" in dialog.facts["customer"].text()
    assert "\u2066" in dialog.facts["customer"].text(), "the phone is one left-to-right run"
    dialog.reject()


def test_moves_offer_only_allowed_statuses_and_notes_and_replies_thread_in_order(
    qtbot, services: Services, manager: Actor, queue: Queue, language: LanguageSwitch
) -> None:  # type: ignore[no-untyped-def]
    dialog = TicketDialog(services, manager, queue.overdue.id)
    qtbot.addWidget(dialog)
    dialog.show()
    wait_for_background()
    assert {b.objectName() for b in dialog.move_buttons} == {"move_in_progress", "move_waiting", "move_resolved"}
    assert dialog.facts["due"].property("sla") == SlaState.OVERDUE.value
    next(b for b in dialog.move_buttons if b.objectName() == "move_in_progress").click()
    wait_for_background()
    assert services.tickets.get(manager, queue.overdue.id)[0].status is Status.IN_PROGRESS
    assert {b.objectName() for b in dialog.move_buttons} == {"move_open", "move_waiting", "move_resolved"}

    dialog.composer.setPlainText("Called the supplier <b>today</b>")
    dialog.note_button.click()
    wait_for_background()
    assert dialog.composer.toPlainText() == ""
    # No message from the customer in 24 hours: the view says the reply goes as the template.
    assert "template" in dialog.template_hint.text()
    dialog.composer.setPlainText("We will replace the bottle on Monday.")
    dialog.reply_button.click()
    wait_for_background()
    _ticket, responses = services.tickets.get(manager, queue.overdue.id)
    assert [(r.internal, r.body) for r in responses] == [
        (True, "Called the supplier <b>today</b>"),
        (False, "We will replace the bottle on Monday."),
    ]
    with services.store.read_engine.connect() as conn:
        # (the fixture's resolved ticket queued its satisfaction survey: this is the reply)
        queued = conn.execute(
            text("SELECT template_id FROM communications WHERE direction = 'outbound' AND body LIKE '%the bottle%'")
        ).all()
    assert len(queued) == 1 and queued[0][0], "outside the 24 h window the reply went as a template"
    assert dialog.entry_kinds == [EntryKind.DESCRIPTION, EntryKind.NOTE, EntryKind.REPLY]
    assert "Called the supplier <b>today</b>" in dialog.history.toPlainText(), "shown as typed"
    shot(dialog, "ticket_view_en")


def test_a_ticket_closed_elsewhere_gets_the_services_message_and_nothing_changes(
    qtbot, services: Services, manager: Actor, cashier: Actor, queue: Queue, language: LanguageSwitch
) -> None:  # type: ignore[no-untyped-def]
    dialog = TicketDialog(services, manager, queue.done.id)
    qtbot.addWidget(dialog)
    dialog.show()
    wait_for_background()
    close = next(b for b in dialog.move_buttons if b.objectName() == "move_closed")
    services.tickets.move(cashier, queue.done.id, "closed")  # another till, meanwhile
    with pytest.raises(ValidationError):
        services.tickets.move(cashier, queue.done.id, "closed")
    close.click()
    wait_for_background()
    assert dialog.message.text() == "This ticket is already closed."
    assert dialog.message.property("error") is True
    # The view read the ticket again: only "Reopen" is offered now.
    assert [b.objectName() for b in dialog.move_buttons] == ["move_open"]
    assert services.tickets.get(manager, queue.done.id)[0].status is Status.CLOSED


def test_a_cashier_sees_no_assignment_and_an_empty_note_is_refused(
    qtbot, services: Services, cashier: Actor, queue: Queue, language: LanguageSwitch
) -> None:  # type: ignore[no-untyped-def]
    dialog = TicketDialog(services, cashier, queue.soon.id)
    qtbot.addWidget(dialog)
    dialog.show()
    wait_for_background()
    assert not dialog.assign_button.isVisible() and not dialog.take_button.isVisible()
    dialog.composer.setPlainText("   ")
    dialog.note_button.click()
    wait_for_background()
    assert dialog.message.property("error") is True and dialog.message.text()
    assert services.tickets.get(cashier, queue.soon.id)[1] == []


def test_a_manager_takes_a_ticket_and_mine_shows_it(
    qtbot, services: Services, manager: Actor, queue: Queue, language: LanguageSwitch
) -> None:  # type: ignore[no-untyped-def]
    page = queue_page(qtbot, services, manager)
    page.open_ticket(queue.soon.id)
    wait_for_background()
    assert page.dialog is not None
    page.dialog.take_button.click()
    wait_for_background()
    assert services.tickets.get(manager, queue.soon.id)[0].assigned_staff_id == manager.staff_id
    page.dialog.reject()
    page.assignee_filter.setCurrentIndex(page.assignee_filter.findText("Mine"))
    assert numbers(page) == [queue.soon.number]
    page.assignee_filter.setCurrentIndex(page.assignee_filter.findText("Unassigned"))
    assert numbers(page) == [queue.overdue.number, queue.on_time.number]


def test_csv_export_writes_the_rows_shown_and_defuses_formulas(
    qtbot, services: Services, manager: Actor, queue: Queue, tmp_path: Path, language: LanguageSwitch
) -> None:  # type: ignore[no-untyped-def]
    page = queue_page(qtbot, services, manager)
    page.status_filter.setCurrentIndex(page.status_filter.findData(None))
    assert page.index is not None
    out = tmp_path / "tickets.csv"
    write_tickets_csv(page.shown, page.index.bounds, out)
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert [r["number"] for r in rows] == numbers(page)
    assert [r["sla"] for r in rows] == ["overdue", "soon", "on_time", "done"]
    assert rows[-1]["subject"] == "'=Points missing"
    assert rows[0]["mobile"] == "+971504445566"


def test_a_ticket_opened_at_the_till_with_ctrl_t(
    qtbot, window: MainWindow, services: Services, language: LanguageSwitch
) -> None:  # type: ignore[no-untyped-def]
    sale = open_sale(qtbot, window)
    qtbot.keyClick(sale, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier)
    assert sale.ticket_dialog is None, "a walk-in has nobody to follow up"
    assert "Choose the customer" in sale.banner.text.text()
    choose_customer(qtbot, sale)
    qtbot.keyClick(sale, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier)
    dialog = sale.ticket_dialog
    assert isinstance(dialog, OpenTicketDialog) and dialog.isVisible()
    dialog.save()  # no subject yet
    wait_for_background()
    assert dialog.subject_error.isVisible() and dialog.isVisible()
    dialog.category.setCurrentIndex(dialog.category.findData("complaint"))
    qtbot.keyClicks(dialog.subject, "Tester bottle empty")
    assert not dialog.subject_error.isVisible(), "the refusal goes once the field is edited"
    dialog.description.setPlainText("Asked twice")
    shot(dialog, "ticket_open_en")
    qtbot.keyClick(dialog.subject, Qt.Key.Key_Return)
    wait_for_background()
    assert dialog.result_value is not None and not dialog.isVisible()
    ticket = dialog.result_value
    assert sale._customer is not None and ticket.customer_id == sale._customer.id
    assert (ticket.category.value, ticket.subject, ticket.description) == (
        "complaint",
        "Tester bottle empty",
        "Asked twice",
    )
    assert ticket.number in sale.banner.text.text()


def test_the_ticket_screens_in_arabic_are_mirrored(
    qtbot, services: Services, manager: Actor, queue: Queue, language: LanguageSwitch
) -> None:  # type: ignore[no-untyped-def]
    language.set_language("ar")
    page = queue_page(qtbot, services, manager)
    assert page.layoutDirection() == Qt.LayoutDirection.RightToLeft
    assert page.model.headerData(0, Qt.Orientation.Horizontal) != "Number"
    assert page.model.index(0, DUE).data().startswith("متأخرة")
    shot(page, "tickets_queue_ar")
    page.open_ticket(queue.overdue.id)
    wait_for_background()
    assert page.dialog is not None and page.dialog.layoutDirection() == Qt.LayoutDirection.RightToLeft
    shot(page.dialog, "ticket_view_ar")
    page.dialog.reject()
    dialog = OpenTicketDialog(services, manager, queue.customer_id, "نور حداد", None, None)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.layoutDirection() == Qt.LayoutDirection.RightToLeft
    shot(dialog, "ticket_open_ar")


def test_signing_in_offers_the_queue_to_staff_who_handle_tickets(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    sign_in(qtbot, window, "aisha.cashier", "1111")
    assert "tickets" in window.workspace.page_keys()


def test_ctrl_t_on_the_customer_screen_and_back_from_a_ticket_to_its_customer(
    qtbot, window: MainWindow, services: Services, queue: Queue
) -> None:  # type: ignore[no-untyped-def]
    sign_in(qtbot, window, "khalid.manager", "3333")
    workspace = window.workspace
    workspace.show_page("tickets")
    wait_for_background()
    page = workspace.stack.currentWidget()
    assert isinstance(page, TicketQueuePage) and page.model.rowCount() == 3
    shot(window, "tickets_in_window_en")
    page.open_ticket(queue.soon.id)
    wait_for_background()
    assert page.dialog is not None
    page.dialog.customer_button.click()
    wait_for_background()
    assert workspace.current_key() == "customers" and not page.dialog.isVisible()
    customers = workspace.customers
    window.activateWindow()  # the ticket's view, closed, gave the focus back (offscreen: by hand)
    qtbot.waitUntil(window.isActiveWindow, timeout=2000)
    qtbot.keyClick(customers, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier)
    dialog = next(w for w in customers.findChildren(OpenTicketDialog) if w.isVisible())
    assert dialog.customer.text() == "Noor Haddad"
    dialog.subject.setText("Asked for a callback")
    dialog.save()
    wait_for_background()
    assert dialog.result_value is not None and dialog.result_value.customer_id == queue.customer_id


def test_bad_input_is_refused_where_it_was_typed_and_nothing_is_written(
    qtbot, services: Services, manager: Actor, queue: Queue, language: LanguageSwitch
) -> None:  # type: ignore[no-untyped-def]
    with services.store.read_engine.connect() as conn:
        before = conn.execute(text("SELECT count(*) FROM support_tickets")).scalar()
    dialog = OpenTicketDialog(services, manager, queue.customer_id, "Noor Haddad")
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.subject.setText("Leaking \u202egnikael")  # a bidi override: spoofed text
    dialog.description.setPlainText("x" * 20_000)  # a 20 kB description
    dialog.save()
    wait_for_background()
    assert dialog.isVisible() and dialog.result_value is None
    assert dialog.subject_error.isVisible() or dialog.description_error.isVisible()
    with services.store.read_engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM support_tickets")).scalar() == before

    view = TicketDialog(services, manager, queue.on_time.id)
    qtbot.addWidget(view)
    view.show()
    wait_for_background()
    view.composer.setPlainText("y" * 1_500)
    view.reply_button.click()
    wait_for_background()
    assert "Too long for WhatsApp" in view.message.text()
    assert view.composer.toPlainText() == "y" * 1_500, "what was typed is kept"
    assert services.tickets.get(manager, queue.on_time.id)[1] == []


def test_time_moving_on_turns_a_due_soon_ticket_overdue_on_screen(
    qtbot, services: Services, manager: Actor, queue: Queue, clock: TestClock, language: LanguageSwitch
) -> None:  # type: ignore[no-untyped-def]
    page = queue_page(qtbot, services, manager)
    assert page.model.index(1, 0).data(SLA_ROLE) == SlaState.SOON
    clock.advance(hours=2)  # Friday 18:30 in Dubai: the high ticket was due at 18:00
    page.refresh_sla()
    wait_for_background()
    assert [page.model.index(r, 0).data(SLA_ROLE) for r in range(2)] == [SlaState.OVERDUE, SlaState.OVERDUE]
    assert page.model.index(1, DUE).data().startswith("Overdue · ")
    assert "2 overdue" in page.summary.text()
