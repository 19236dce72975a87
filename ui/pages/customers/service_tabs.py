"""The customer screen's Feedback and Tickets tabs: what the customer told us, and what we are doing about it.

Feedback lists the customer's answers, newest first (date, what it was about, the score, the sentiment of the
comment, and the ticket a low score opened); the chosen answer's comment shows whole below. Tickets lists their
support tickets (number, subject, status, priority, deadline, last response); a double click or Open asks for
the ticket to be opened (``open_ticket``: the ticket pages connect to it). Both are read on the thread pool when
a customer is opened. Comments and subjects are the customer's or staff's words: plain text everywhere.
"""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QHBoxLayout, QPlainTextEdit, QTableWidget, QVBoxLayout, QWidget

from core.app import AppServices
from core.customers.model import CustomerProfile
from core.feedback.ports import CustomerAnswer
from core.kernel.clock import local
from core.staff.auth import Actor, Permission
from core.tickets.model import WORKING, Status, TicketRecord
from core.tickets.queue import SlaBounds, SlaState, sla_state
from ui.i18n import date_text, ltr, number, show_refusal
from ui.ops import Latest
from ui.pages.base import ServicePage
from ui.pages.customers.messages import when_text
from ui.pages.tickets import labels as ticket_labels
from ui.widgets.named import make_button, make_label
from ui.widgets.plain import as_plain, plain_labels
from ui.widgets.tables import read_only_table, select_row, set_empty_text, set_row

ALERT = QColor("#b3261e")  # an overdue ticket, a low score


def kind_text(kind: str) -> str:
    return {
        "product": QCoreApplication.translate("ServiceLabels", "Product"),
        "service": QCoreApplication.translate("ServiceLabels", "Service"),
        "general": QCoreApplication.translate("ServiceLabels", "General"),
        "complaint": QCoreApplication.translate("ServiceLabels", "Complaint"),
        "order": QCoreApplication.translate("ServiceLabels", "Order"),
        "loyalty": QCoreApplication.translate("ServiceLabels", "Loyalty"),
    }.get(kind, kind)


def sentiment_text(label: str | None) -> str:
    if label is None:
        return ""
    return {
        "positive": QCoreApplication.translate("ServiceLabels", "Positive"),
        "neutral": QCoreApplication.translate("ServiceLabels", "Neutral"),
        "negative": QCoreApplication.translate("ServiceLabels", "Negative"),
    }.get(label, label)


def score_text(nps: int | None, rating: int | None) -> str:
    parts = []
    if nps is not None:
        parts.append(QCoreApplication.translate("ServiceLabels", "%1 of 10").replace("%1", number(nps)))
    if rating is not None:
        parts.append(QCoreApplication.translate("ServiceLabels", "%1 of 5 stars").replace("%1", number(rating)))
    return " · ".join(parts)


class _CustomerRecordsTab(ServicePage):
    """A tab listing one customer's records, read on the thread pool when a customer is opened (a late answer
    for a customer no longer shown is dropped), for the staff ``permission`` allows; a notice says who else."""

    permission: Permission
    table: QTableWidget  # the subclass's, one row per record

    def __init__(self, services: AppServices, name: str, parent: QWidget | None = None) -> None:
        super().__init__(services, name, parent)
        self._profile: CustomerProfile | None = None
        self._query = Latest()
        self.notice = make_label(self, "hint", wrap=True)
        self.error = make_label(self, "fieldError", wrap=True)
        self.error.hide()

    def _read(self, actor: Actor, customer_id: str) -> object:
        raise NotImplementedError

    def _take(self, records: object) -> None:
        raise NotImplementedError

    def _show(self) -> None:
        raise NotImplementedError

    def _allowed(self) -> bool:
        return self._actor is not None and self._actor.can(self.permission)

    def set_actor(self, actor: Actor | None) -> None:
        super().set_actor(actor)
        self.reload()

    def show_customer(self, profile: CustomerProfile | None) -> None:
        self._profile = profile
        self._take(None)
        self._show()
        self.reload()

    def reload(self) -> None:
        profile, actor = self._profile, self._actor
        self.notice.setVisible(not self._allowed())
        self.error.hide()
        if profile is None or actor is None or not self._allowed():
            return
        customer_id, read = profile.id, self._read
        self._query.run(lambda: (customer_id, read(actor, customer_id)), self._loaded, self._failed)

    def _loaded(self, found: tuple[str, object]) -> None:
        customer_id, records = found
        if self._profile is None or self._profile.id != customer_id:
            return
        self._take(records)
        self._show()
        if self.table.rowCount():
            select_row(self.table, 0)

    def _failed(self, error: BaseException) -> None:
        show_refusal(self.error, error)
        self.error.show()


class CustomerFeedbackTab(_CustomerRecordsTab):
    COLUMNS = 6
    WHEN, KIND, SCORE, SENTIMENT, TICKET, COMMENT = range(COLUMNS)  # the comment takes what width is left

    permission = Permission.VIEW_CUSTOMER_HISTORY

    def __init__(self, services: AppServices, parent: QWidget | None = None) -> None:
        super().__init__(services, "customerFeedbackTab", parent)
        self._answers: list[CustomerAnswer] = []
        self.table = read_only_table(self, self.COLUMNS, "customerFeedback", stretch=self.COMMENT, single=True)
        self.comment = QPlainTextEdit(self)
        self.comment.setObjectName("feedbackComment")
        self.comment.setReadOnly(True)
        self.comment.setMaximumHeight(110)
        layout = QVBoxLayout(self)
        layout.addWidget(self.notice)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.comment)
        layout.addWidget(self.error)
        self.table.itemSelectionChanged.connect(self._chosen)
        self.retranslate()
        plain_labels(self)

    def title(self) -> str:
        return self.tr("Feedback")

    def _read(self, actor: Actor, customer_id: str) -> list[CustomerAnswer]:
        return self._services.feedback.of_customer(actor, customer_id)

    def _take(self, records: object) -> None:
        self._answers = records if isinstance(records, list) else []

    def _show(self) -> None:
        self.table.blockSignals(True)
        self.table.setRowCount(len(self._answers))
        for row, answer in enumerate(self._answers):
            f = answer.feedback
            first_line = (f.comment or "").splitlines()[0] if f.comment else ""
            texts = [
                date_text(local(f.created_at).date()),
                kind_text(f.kind),
                score_text(f.nps, f.rating),
                sentiment_text(f.sentiment),
                ltr(answer.ticket_number or ""),
                first_line,
            ]
            set_row(self.table, row, texts, data=f.id, color=ALERT if f.low_score else None)
            if (item := self.table.item(row, self.COMMENT)) is not None:
                item.setToolTip(as_plain(f.comment or ""))
        self.table.blockSignals(False)
        self._chosen()

    def _chosen(self) -> None:
        row = self.table.currentRow()
        answer = self._answers[row] if 0 <= row < len(self._answers) else None
        text = answer.feedback.comment if answer is not None else None
        self.comment.setPlainText(text or "")
        rtl = any("\u0600" <= ch <= "\u06ff" for ch in text or "")
        self.comment.setLayoutDirection(Qt.LayoutDirection.RightToLeft if rtl else Qt.LayoutDirection.LeftToRight)

    def retranslate(self) -> None:
        self.notice.setText(self.tr("A customer's feedback is for personal shoppers and managers."))
        self.table.setHorizontalHeaderLabels(
            [
                self.tr("Date"),
                self.tr("About"),
                self.tr("Score"),
                self.tr("Sentiment"),
                self.tr("Ticket"),
                self.tr("Comment"),
            ]
        )
        self.comment.setPlaceholderText(self.tr("The chosen answer's comment shows here."))
        set_empty_text(self.table, self.tr("This customer has not answered a survey yet."))
        self._show()


class CustomerTicketsTab(_CustomerRecordsTab):
    COLUMNS = 6
    NUMBER, STATUS, PRIORITY, DUE, LAST, SUBJECT = range(COLUMNS)  # the subject takes what width is left

    open_ticket = Signal(str)  # the ticket id: the ticket pages open it
    permission = Permission.HANDLE_TICKETS

    def __init__(self, services: AppServices, parent: QWidget | None = None) -> None:
        super().__init__(services, "customerTicketsTab", parent)
        self._tickets: list[TicketRecord] = []
        self._now: datetime | None = None
        self.table = read_only_table(
            self, self.COLUMNS, "customerTickets", stretch=self.SUBJECT, single=True, tall_rows=True
        )
        self.open_button = make_button(self, "openTicket")
        self.open_button.setEnabled(False)
        actions = QHBoxLayout()
        actions.addStretch(1)
        actions.addWidget(self.open_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.notice)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.error)
        layout.addLayout(actions)
        self.table.itemSelectionChanged.connect(self._selection_changed)
        self.table.itemDoubleClicked.connect(lambda _item: self._open())
        self.open_button.clicked.connect(self._open)
        self.retranslate()
        plain_labels(self)

    def title(self) -> str:
        return self.tr("Tickets")

    def _read(self, actor: Actor, customer_id: str) -> tuple[datetime, list[TicketRecord]]:
        return self._services.clock.now(), self._services.tickets.of_customer(actor, customer_id)

    def _take(self, records: object) -> None:
        if isinstance(records, tuple):
            self._now, self._tickets = records
        else:
            self._now, self._tickets = None, []

    def _due_text(self, ticket: TicketRecord) -> str:
        if ticket.status not in WORKING or ticket.due_at is None:
            return ""
        if ticket.status is Status.WAITING_FOR_CUSTOMER:
            return self.tr("%1 (paused)").replace("%1", when_text(ticket.due_at))
        return when_text(ticket.due_at)

    def _show(self) -> None:
        self.table.blockSignals(True)
        self.table.setRowCount(len(self._tickets))
        for row, t in enumerate(self._tickets):
            texts = [
                ltr(t.number),
                ticket_labels.status(t.status.value),
                ticket_labels.priority(t.priority.value),
                self._due_text(t),
                when_text(t.last_response_at) if t.last_response_at else "",
                t.subject,
            ]
            overdue = self._now is not None and (
                sla_state(t.status.value, t.due_at, SlaBounds(self._now, self._now)) is SlaState.OVERDUE
            )
            set_row(self.table, row, texts, data=t.id, color=ALERT if overdue else None)
        self.table.blockSignals(False)
        self._selection_changed()

    def _chosen_id(self) -> str | None:
        row = self.table.currentRow()
        return self._tickets[row].id if 0 <= row < len(self._tickets) else None

    def _selection_changed(self) -> None:
        self.open_button.setEnabled(self._chosen_id() is not None)

    def _open(self) -> None:
        ticket_id = self._chosen_id()
        if ticket_id is not None:
            self.open_ticket.emit(ticket_id)

    def retranslate(self) -> None:
        self.notice.setText(self.tr("Support tickets are for staff who handle them."))
        self.table.setHorizontalHeaderLabels(
            [
                self.tr("Number"),
                self.tr("Status"),
                self.tr("Priority"),
                self.tr("Due"),
                self.tr("Last response"),
                self.tr("Subject"),
            ]
        )
        self.open_button.setText(self.tr("Open ticket"))
        set_empty_text(self.table, self.tr("This customer has no support tickets."))
        self._show()
