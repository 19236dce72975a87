"""One ticket: who and what it is about, where it stands against its deadline, what may be done with it now,
and everything said about it in order.

Only the moves the lifecycle allows from the ticket's status are offered (core.tickets.model.TRANSITIONS), and
assigning or changing the priority only to staff who may (MANAGE_TICKETS); the service decides again on every
action, so a ticket another till closed in the meantime gets the service's own words ("This ticket is already
closed.") and the view reads the ticket again. A reply goes to the customer through messaging
(``TicketService.reply``): when the customer has not written in the last 24 hours WhatsApp takes only an
approved template, which carries the reply on one line, and the view says so before it is sent.

The thread tells internal notes, replies to the customer and the customer's own messages apart by a word
heading each entry and by its colour; every text is shown as typed, never as markup.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QKeySequence, QShortcut, QTextBlockFormat, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from core.app import AppServices
from core.customers.model import CustomerProfile
from core.kernel.errors import DomainError
from core.purchases.model import OrderView
from core.staff.auth import Actor, Permission, StaffRecord
from core.tickets.model import TRANSITIONS, Priority, ResponseRecord, Status, TicketRecord
from core.tickets.queue import SlaBounds, SlaState, sla_state
from core.tickets.service import REPLY_MAX
from ui.i18n import (
    Retranslating,
    datetime_text,
    errors_text,
    in_ui_direction,
    is_arabic,
    local_name,
    ltr,
    number,
    phone_text,
    show_refusal,
)
from ui.ops import run_in_background
from ui.pages.tickets import labels
from ui.pages.tickets.queue_model import DONE_TEXT, OVERDUE_TEXT, SOON_TEXT
from ui.widgets.forms import say
from ui.widgets.named import make_button, make_label, named
from ui.widgets.plain import plain_labels

NOTE_BACKGROUND = QColor("#fff6d6")  # internal: staff only
REPLY_BACKGROUND = QColor("#e3f0fb")  # ours, sent to the customer
CUSTOMER_BACKGROUND = QColor("#eaf5e4")  # the customer's own words


class EntryKind:
    DESCRIPTION = "description"
    NOTE = "note"
    REPLY = "reply"
    CUSTOMER = "customer"


ENTRY_BACKGROUNDS = {
    EntryKind.NOTE: NOTE_BACKGROUND,
    EntryKind.REPLY: REPLY_BACKGROUND,
    EntryKind.CUSTOMER: CUSTOMER_BACKGROUND,
}


def entry_kind(response: ResponseRecord) -> str:
    """A note is internal; a response with no staff member is the customer's message; else our reply."""
    if response.internal:
        return EntryKind.NOTE
    return EntryKind.CUSTOMER if response.staff_id is None else EntryKind.REPLY


@dataclass(frozen=True)
class TicketDetail:
    ticket: TicketRecord
    responses: list[ResponseRecord]
    customer: CustomerProfile | None
    order: OrderView | None
    staff: list[StaffRecord]
    needs_template: bool
    bounds: SlaBounds


def load_detail(services: AppServices, actor: Actor, ticket_id: str) -> TicketDetail:
    """Everything the view shows; runs on the thread pool."""
    tickets = services.tickets
    ticket, responses = tickets.get(actor, ticket_id)
    try:
        customer: CustomerProfile | None = services.customers.get(ticket.customer_id)
    except DomainError:
        customer = None
    order = None
    if ticket.order_id:
        try:
            order = services.purchases.order(actor, ticket.order_id)
        except DomainError:
            order = None  # not this role's to see, or not here yet: the link is left out
    staff = [s for s in services.staff.staff_of_branch(actor.branch_id) if s.active]
    try:
        needs_template = tickets.reply_needs_template(actor, ticket_id)
    except DomainError:
        needs_template = True
    return TicketDetail(ticket, responses, customer, order, staff, needs_template, tickets.sla_bounds(actor))


class TicketDialog(Retranslating, QDialog):
    changed = Signal(str)  # the ticket id: something was saved
    customer_requested = Signal(str)  # a customer id: show their screen

    def __init__(self, services: AppServices, actor: Actor, ticket_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ticketDialog")
        self.setMinimumSize(900, 640)
        self._services = services
        self._actor = actor
        self.ticket_id = ticket_id
        self.detail: TicketDetail | None = None
        self.order_dialog: QDialog | None = None
        manager = actor.can(Permission.MANAGE_TICKETS)

        self.heading = make_label(self, "pageTitle", wrap=True)
        # Two facts a row, caption then value: the header stays four lines high at the till's 768 pixels.
        self.facts_grid = QGridLayout()
        self.facts_grid.setHorizontalSpacing(12)
        self.fact_labels: dict[str, QLabel] = {}
        self.facts: dict[str, QLabel] = {}
        keys = ("customer", "order", "source", "status", "priority", "assignee", "opened", "due")
        for n, key in enumerate(keys):
            caption = make_label(self, "formLabel")
            value = named(make_label(self, "", wrap=True), f"ticket_{key}")
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.fact_labels[key] = caption
            self.facts[key] = value
            row, pair = divmod(n, 2)
            self.facts_grid.addWidget(caption, row, 2 * pair)
            self.facts_grid.addWidget(value, row, 2 * pair + 1)
        self.facts_grid.setColumnStretch(1, 1)
        self.facts_grid.setColumnStretch(3, 1)
        self.customer_button = make_button(self)
        self.order_button = make_button(self)

        self.moves_caption = make_label(self, "formLabel")
        self.moves_row = QHBoxLayout()
        self.moves_row.setContentsMargins(0, 0, 0, 0)
        moves = QHBoxLayout()
        moves.addWidget(self.moves_caption)
        moves.addLayout(self.moves_row)
        moves.addStretch(1)
        self.move_buttons: list[QPushButton] = []
        self.priority = named(QComboBox(self), "ticketPriority")
        for priority in Priority:
            self.priority.addItem("", priority.value)
        self.priority_button = make_button(self)
        self.assignee = named(QComboBox(self), "ticketAssignee")
        self.assignee.setMinimumWidth(180)
        self.assign_button = make_button(self)
        self.take_button = named(make_button(self), "takeTicket")
        for widget in (self.priority, self.priority_button, self.assignee, self.assign_button, self.take_button):
            widget.setVisible(manager)
        manage_row = QHBoxLayout()
        manage_row.addWidget(self.priority)
        manage_row.addWidget(self.priority_button)
        manage_row.addSpacing(16)
        manage_row.addWidget(self.assignee)
        manage_row.addWidget(self.assign_button)
        manage_row.addWidget(self.take_button)
        manage_row.addStretch(1)

        self.history_title = make_label(self, "sectionTitle")
        # A read-only text document rather than a list: each paragraph takes its own direction (an English
        # reply in an Arabic thread reads left to right) and wraps at any width; text goes in as plain text.
        self.history = named(QTextEdit(self), "ticketThread")
        self.history.setReadOnly(True)
        self.history.setAcceptRichText(False)
        self.entry_kinds: list[str] = []
        self.composer = named(QPlainTextEdit(self), "ticketComposer")
        self.composer.setFixedHeight(80)
        self.composer.setTabChangesFocus(True)
        self.template_hint = make_label(self, "hint", wrap=True)
        self.note_button = make_button(self)
        self.reply_button = named(make_button(self, "primary"), "replyButton")
        self.message = make_label(self, "message", wrap=True)
        self.close_button = make_button(self)

        moves.addWidget(self.customer_button)
        moves.addWidget(self.order_button)
        compose_buttons = QHBoxLayout()
        compose_buttons.addWidget(self.template_hint, 1)
        compose_buttons.addWidget(self.note_button)
        compose_buttons.addWidget(self.reply_button)
        bottom = QHBoxLayout()
        bottom.addWidget(self.message, 1)
        bottom.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addLayout(self.facts_grid)
        layout.addLayout(moves)
        layout.addLayout(manage_row)
        layout.addWidget(self.history_title)
        layout.addWidget(self.history, 1)
        layout.addWidget(self.composer)
        layout.addLayout(compose_buttons)
        layout.addLayout(bottom)

        self.customer_button.clicked.connect(self._customer_clicked)
        self.order_button.clicked.connect(self.open_order)
        self.priority_button.clicked.connect(self.set_priority)
        self.assign_button.clicked.connect(self.assign)
        self.take_button.clicked.connect(self.take)
        self.note_button.clicked.connect(self.add_note)
        self.reply_button.clicked.connect(self.reply)
        self.close_button.clicked.connect(self.accept)
        QShortcut(QKeySequence("Ctrl+Return"), self, self.reply)
        QShortcut(QKeySequence("Ctrl+Shift+Return"), self, self.add_note)
        self.retranslate()
        plain_labels(self)
        self.reload()

    # -- loading ---------------------------------------------------------------------------------------------------
    def reload(self) -> None:
        services, actor, ticket_id = self._services, self._actor, self.ticket_id
        run_in_background(lambda: load_detail(services, actor, ticket_id), self._loaded, self._failed, owner=self)

    def _loaded(self, detail: TicketDetail) -> None:
        self.detail = detail
        self._show()

    def _failed(self, error: BaseException) -> None:
        show_refusal(self.message, error, errors_text)

    # -- showing ---------------------------------------------------------------------------------------------------
    def _show(self) -> None:
        detail = self.detail
        enabled = detail is not None
        for button in (self.note_button, self.reply_button, self.priority_button, self.assign_button):
            button.setEnabled(enabled)
        if detail is None:
            self.heading.setText(self.tr("Loading…"))
            return
        ticket = detail.ticket
        self.heading.setText(in_ui_direction(f"{ltr(ticket.number)} · {ticket.subject}"))
        customer = detail.customer
        if customer is not None:
            name = customer.display_name("ar" if is_arabic() else "en")
            phone = phone_text(customer.mobile)
            self.facts["customer"].setText(f"{name} · {phone}" if phone else name)
        else:
            self.facts["customer"].setText(self.tr("This customer no longer exists."))
        order_parts = []
        if detail.order is not None:
            order_parts.append(self.tr("Receipt %1").replace("%1", ltr(detail.order.number)))
        if ticket.feedback_id:
            order_parts.append(self.tr("Feedback answer linked (see the customer's screen)"))
        self.facts["order"].setText("  ·  ".join(order_parts) or "—")
        self.order_button.setVisible(detail.order is not None)
        self.customer_button.setEnabled(customer is not None)
        self.facts["source"].setText(labels.source(ticket.source))
        self.facts["status"].setText(labels.status(ticket.status))
        self.facts["priority"].setText(labels.priority(ticket.priority))
        self.facts["assignee"].setText(self._staff_name(ticket.assigned_staff_id) or self.tr("Unassigned"))
        self.facts["opened"].setText(datetime_text(ticket.opened_at))
        self._show_due(ticket, detail.bounds)
        self._show_moves(ticket)
        self.priority.setCurrentIndex(max(0, self.priority.findData(ticket.priority.value)))
        self._fill_assignees(detail.staff, ticket.assigned_staff_id)
        self.take_button.setEnabled(ticket.assigned_staff_id != self._actor.staff_id)
        self.template_hint.setText(
            self.tr(
                "The customer has not written in the last 24 hours: a reply goes as the approved ticket-reply "
                "template, on one line."
            )
            if detail.needs_template
            else self.tr("The customer wrote within the last 24 hours: a reply goes as written.")
        )
        self._show_thread(detail)

    def _show_due(self, ticket: TicketRecord, bounds: SlaBounds) -> None:
        state = sla_state(ticket.status, ticket.due_at, bounds)
        words = labels.sla_states()
        label = self.facts["due"]
        if state is SlaState.DONE or ticket.due_at is None:
            label.setText(words[SlaState.DONE])
            color = DONE_TEXT
        else:
            label.setText(f"{words[state]} · {datetime_text(ticket.due_at)}")
            color = {SlaState.OVERDUE: OVERDUE_TEXT, SlaState.SOON: SOON_TEXT}.get(state, QColor("#2f2a26"))
        label.setStyleSheet(f"color: {color.name()}; font-weight: {'bold' if state is SlaState.OVERDUE else 'normal'};")
        label.setProperty("sla", state.value)

    def _show_moves(self, ticket: TicketRecord) -> None:
        for button in self.move_buttons:
            self.moves_row.removeWidget(button)
            button.deleteLater()
        self.move_buttons = []
        order = [Status.IN_PROGRESS, Status.WAITING_FOR_CUSTOMER, Status.RESOLVED, Status.CLOSED, Status.OPEN]
        for target in order:
            if target in TRANSITIONS[ticket.status]:
                button = named(QPushButton(labels.move(ticket.status, target), self), f"move_{target.value}")
                button.clicked.connect(lambda _c=False, t=target: self.move_to(t))
                self.moves_row.addWidget(button)
                self.move_buttons.append(button)

    def _fill_assignees(self, staff: list[StaffRecord], current: str | None) -> None:
        self.assignee.blockSignals(True)
        self.assignee.clear()
        self.assignee.addItem(self.tr("Nobody"), None)
        for person in sorted(staff, key=lambda s: local_name(s.name_en, s.name_ar).casefold()):
            self.assignee.addItem(local_name(person.name_en, person.name_ar), person.id)
        if current is not None and self.assignee.findData(current) < 0:
            self.assignee.addItem(self._staff_name(current), current)
        self.assignee.setCurrentIndex(max(0, self.assignee.findData(current)))
        self.assignee.blockSignals(False)

    def _staff_name(self, staff_id: str | None) -> str:
        if staff_id is None:
            return ""
        staff = self.detail.staff if self.detail is not None else []
        person = next((s for s in staff if s.id == staff_id), None)
        return local_name(person.name_en, person.name_ar) if person is not None else self.tr("A colleague")

    def _show_thread(self, detail: TicketDetail) -> None:
        self.history.clear()
        self.entry_kinds = []
        ticket = detail.ticket
        if ticket.description:
            self._add_entry(EntryKind.DESCRIPTION, self.tr("Opened"), ticket.opened_at, ticket.description)
        for response in detail.responses:
            kind = entry_kind(response)
            if kind == EntryKind.NOTE:
                who = self.tr("Internal note · %1").replace("%1", self._staff_name(response.staff_id))
            elif kind == EntryKind.REPLY:
                who = self.tr("Reply to the customer · %1").replace("%1", self._staff_name(response.staff_id))
            else:
                who = self.tr("The customer wrote")
            self._add_entry(kind, who, response.created_at, response.body)
        if not self.entry_kinds:
            self.history.setPlainText(self.tr("Nothing written yet."))
        self.history.verticalScrollBar().setValue(self.history.verticalScrollBar().maximum())

    def _add_entry(self, kind: str, who: str, when: datetime | None, body: str) -> None:
        """One entry: a bold line saying whose words and when, then the words as typed, on the kind's colour."""
        stamp = datetime_text(when) if when is not None else ""
        block = QTextBlockFormat()
        background = ENTRY_BACKGROUNDS.get(kind)
        if background is not None:
            block.setBackground(QBrush(background))
        block.setLeftMargin(4)
        block.setRightMargin(4)
        head = QTextCharFormat()
        head.setFontWeight(QFont.Weight.Bold)
        plain = QTextCharFormat()
        cursor = QTextCursor(self.history.document())
        cursor.movePosition(QTextCursor.MoveOperation.End)
        spaced = QTextBlockFormat(block)
        spaced.setTopMargin(10)
        if self.entry_kinds:
            cursor.insertBlock(spaced, head)
        else:
            cursor.setBlockFormat(block)
            cursor.setCharFormat(head)
        cursor.insertText(f"{who} · {stamp}" if stamp else who, head)
        for line in body.splitlines() or [""]:
            cursor.insertBlock(block, plain)
            cursor.insertText(line, plain)
        self.entry_kinds.append(kind)

    # -- actions ---------------------------------------------------------------------------------------------------
    def _run(self, call: object, done: str, busy: list[QWidget]) -> None:
        """Runs one service call off the main thread; on success says ``done`` and reads the ticket again."""
        if not callable(call):
            return

        def saved(_result: object) -> None:
            say(self.message, done)
            self.changed.emit(self.ticket_id)
            self.reload()

        def refused(error: BaseException) -> None:
            self._failed(error)
            if isinstance(error, DomainError):
                self.reload()  # another till may have moved it: show it as it now stands

        run_in_background(call, saved, refused, busy=busy, owner=self)

    def move_to(self, target: Status) -> None:
        tickets, actor, ticket_id = self._services.tickets, self._actor, self.ticket_id
        done = self.tr("Status now: %1.").replace("%1", labels.status(target))
        self._run(lambda: tickets.move(actor, ticket_id, target.value), done, list(self.move_buttons))

    def set_priority(self) -> None:
        tickets, actor, ticket_id = self._services.tickets, self._actor, self.ticket_id
        chosen = str(self.priority.currentData())
        done = self.tr("Priority now: %1.").replace("%1", labels.priority(chosen))
        self._run(lambda: tickets.set_priority(actor, ticket_id, chosen), done, [self.priority_button])

    def assign(self) -> None:
        self._assign(self.assignee.currentData())

    def take(self) -> None:
        self._assign(self._actor.staff_id)

    def _assign(self, staff_id: str | None) -> None:
        tickets, actor, ticket_id = self._services.tickets, self._actor, self.ticket_id
        done = self.tr("Assigned.") if staff_id else self.tr("No longer assigned.")
        self._run(lambda: tickets.assign(actor, ticket_id, staff_id), done, [self.assign_button, self.take_button])

    def add_note(self) -> None:
        body = self.composer.toPlainText()
        tickets, actor, ticket_id = self._services.tickets, self._actor, self.ticket_id
        self._write(lambda: tickets.note(actor, ticket_id, body), self.tr("Note added."))

    def reply(self) -> None:
        body = self.composer.toPlainText()
        tickets, actor, ticket_id = self._services.tickets, self._actor, self.ticket_id
        self._write(lambda: tickets.reply(actor, ticket_id, body), self.tr("Reply queued for the customer."))

    def _write(self, call: object, done: str) -> None:
        if not callable(call):
            return

        def saved(_result: object) -> None:
            self.composer.clear()  # kept when refused: nothing typed is lost
            say(self.message, done)
            self.changed.emit(self.ticket_id)
            self.reload()

        run_in_background(call, saved, self._failed, busy=[self.note_button, self.reply_button], owner=self)

    def _customer_clicked(self) -> None:
        if self.detail is not None:
            self.customer_requested.emit(self.detail.ticket.customer_id)

    def open_order(self) -> None:
        detail = self.detail
        if detail is None or detail.order is None:
            return
        from ui.pages.purchases.order_dialog import OrderDialog

        self.order_dialog = OrderDialog(self._services, self._actor, detail.order, self)
        self.order_dialog.show()

    # -- language --------------------------------------------------------------------------------------------------
    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Support ticket"))
        captions = {
            "customer": self.tr("Customer"),
            "order": self.tr("Linked to"),
            "source": self.tr("Source"),
            "status": self.tr("Status"),
            "priority": self.tr("Priority"),
            "assignee": self.tr("Assignee"),
            "opened": self.tr("Opened"),
            "due": self.tr("Due (SLA)"),
        }
        for key, caption in captions.items():
            self.fact_labels[key].setText(caption)
        self.moves_caption.setText(self.tr("Move to:"))
        self.customer_button.setText(self.tr("Customer's screen"))
        self.order_button.setText(self.tr("Open the order"))
        for i in range(self.priority.count()):
            self.priority.setItemText(i, labels.priority(str(self.priority.itemData(i))))
        self.priority_button.setText(self.tr("Set priority"))
        self.assign_button.setText(self.tr("Assign"))
        self.take_button.setText(self.tr("Take it"))
        self.history_title.setText(self.tr("Notes and messages, oldest first"))
        self.composer.setPlaceholderText(
            self.tr("A note for colleagues, or a reply to the customer (up to %1 characters)").replace(
                "%1", number(REPLY_MAX)
            )
        )
        self.note_button.setText(self.tr("Add internal note (Ctrl+Shift+Enter)"))
        self.reply_button.setText(self.tr("Reply to the customer (Ctrl+Enter)"))
        self.close_button.setText(self.tr("Close the view"))
        self._show()
