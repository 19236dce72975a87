"""The customer screen's Messages tab: every message to and from the customer, newest first, and for the one
chosen its text, its status history and why it failed.

Read on the thread pool when a customer is opened and again when sync brings news (a status reached head
office's dispatcher, a reply came in). Who sees it: those who read a customer's history (personal shoppers,
managers, administrators); a cashier is told so. Texts, addresses and providers' errors are the customer's or a
provider's words: plain text everywhere.
"""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QLocale, Qt, QTime
from PySide6.QtWidgets import QPlainTextEdit, QVBoxLayout, QWidget

from core.app import AppServices
from core.customers.model import CustomerProfile
from core.kernel.clock import local
from core.messaging.outbox import HistoryEntry
from core.messaging.ports import MessageRecord
from core.offline.allowances import SyncStatus
from core.staff.auth import Permission
from ui import labels as common_labels
from ui.i18n import date_text, datetime_text, ltr, money, show_refusal
from ui.ops import Latest
from ui.pages.base import ServicePage
from ui.pages.messaging import labels
from ui.widgets.named import make_label
from ui.widgets.panes import panes
from ui.widgets.plain import as_plain, plain_labels
from ui.widgets.tables import read_only_table, select_row, set_empty_text, set_row

COLUMNS = 7
WHEN, DIRECTION, CHANNEL, PURPOSE, STATUS, PROVIDER, COST = range(COLUMNS)


def when_text(moment: datetime) -> str:
    """Date over time: the column stays narrow enough for what the message was for to show whole."""
    at = local(moment)
    return date_text(at.date()) + "\n" + QLocale().toString(QTime(at.hour, at.minute), QLocale.FormatType.ShortFormat)


class MessagesTab(ServicePage):
    def __init__(self, services: AppServices, parent: QWidget | None = None) -> None:
        super().__init__(services, "customerMessagesTab", parent)
        self._profile: CustomerProfile | None = None
        self._messages: list[MessageRecord] = []
        self._history: list[HistoryEntry] = []
        self._last_sync: datetime | None = None
        self._list_query = Latest()
        self._history_query = Latest()
        self.notice = make_label(self, "hint", wrap=True)
        # What a message was for can be long (a receipt names its order): that column wraps, the row grows.
        self.table = read_only_table(
            self, COLUMNS, "customerMessages", stretch=PURPOSE, rows=True, single=True, striped=True, tall_rows=True
        )
        self.body = QPlainTextEdit(self)
        self.body.setObjectName("messageBody")
        self.body.setReadOnly(True)
        self.body.setMaximumHeight(90)
        self.error = make_label(self, "fieldError", wrap=True)
        self.error.hide()
        self.history_title = make_label(self, "sectionTitle")
        self.history = read_only_table(self, 5, "messageHistory", stretch="last", tall_rows=True)
        detail = QWidget(self)
        dl = QVBoxLayout(detail)
        dl.setContentsMargins(0, 0, 0, 0)
        dl.addWidget(self.body)
        dl.addWidget(self.error)
        dl.addWidget(self.history_title)
        dl.addWidget(self.history, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.notice)
        layout.addWidget(panes(self, self.table, detail, (3, 2), Qt.Orientation.Vertical), 1)
        self.table.itemSelectionChanged.connect(self._chosen)
        self.retranslate()
        plain_labels(self)

    def _allowed(self) -> bool:
        return self._actor is not None and self._actor.can(Permission.VIEW_CUSTOMER_HISTORY)

    # -- loading --------------------------------------------------------------------------------------------
    def show_customer(self, profile: CustomerProfile | None) -> None:
        self._profile = profile
        self._messages, self._history = [], []
        self._show_messages()
        self.reload()

    def reload(self) -> None:
        """Reads the open customer's messages again (off the main thread)."""
        profile, actor = self._profile, self._actor
        self.notice.setVisible(not self._allowed())
        if profile is None or actor is None or not self._allowed():
            return
        customer_id = profile.id
        self._list_query.run(
            lambda: (customer_id, self._services.messages.customer_messages(actor, customer_id)),
            self._loaded,
            self._failed,
        )

    def sync_changed(self, status: SyncStatus) -> None:
        """A pull that brought news (statuses from head office's dispatcher, replies) shows in the open tab."""
        if status.last_success_at is not None and status.last_success_at != self._last_sync:
            self._last_sync = status.last_success_at
            self.reload()

    def _loaded(self, found: tuple[str, list[MessageRecord]]) -> None:
        customer_id, messages = found
        if self._profile is None or self._profile.id != customer_id:
            return
        chosen = self._chosen_id()
        self._messages = messages
        self._show_messages()
        ids = [m.id for m in messages]
        if messages:
            select_row(self.table, ids.index(chosen) if chosen in ids else 0)

    def _failed(self, error: BaseException) -> None:
        show_refusal(self.error, error)
        self.error.show()

    # -- showing --------------------------------------------------------------------------------------------
    def _show_messages(self) -> None:
        self.table.blockSignals(True)
        self.table.setRowCount(len(self._messages))
        for row, m in enumerate(self._messages):
            cost = money(m.cost_fils) if m.cost_fils is not None else ""
            texts = [
                when_text(m.created_at),
                labels.direction(m.direction),
                common_labels.channel(m.channel)
                if m.channel in ("whatsapp", "sms", "email", "phone", "web")
                else m.channel,
                labels.purpose(m),
                labels.status(m.status),
                ltr(m.provider or ""),
                cost,
            ]
            set_row(self.table, row, texts, numeric=(COST,), data=m.id)
            if (item := self.table.item(row, PURPOSE)) is not None:
                item.setToolTip(as_plain(texts[PURPOSE]))  # whole, where a long order number is cut
        self.table.blockSignals(False)
        if not self._messages:
            self._show_detail(None)

    def _chosen_id(self) -> str | None:
        row = self.table.currentRow()
        if 0 <= row < len(self._messages):
            return self._messages[row].id
        return None

    def _chosen(self) -> None:
        row = self.table.currentRow()
        message = self._messages[row] if 0 <= row < len(self._messages) else None
        self._show_detail(message)
        actor = self._actor
        if message is None or actor is None:
            return
        message_id = message.id
        self._history_query.run(
            lambda: (message_id, self._services.messages.message_history(actor, message_id)),
            self._history_loaded,
            self._failed,
        )

    def _show_detail(self, message: MessageRecord | None) -> None:
        self.body.setPlainText(message.body if message else "")
        rtl = message is not None and any("\u0600" <= ch <= "\u06ff" for ch in message.body)
        self.body.setLayoutDirection(Qt.LayoutDirection.RightToLeft if rtl else Qt.LayoutDirection.LeftToRight)
        error = message.last_error if message else None
        self.error.setText(self.tr("Error: %1").replace("%1", error) if error else "")
        self.error.setVisible(bool(error))
        if message is None:
            self._history = []
            self._show_history()

    def _history_loaded(self, found: tuple[str, list[HistoryEntry]]) -> None:
        message_id, history = found
        if message_id == self._chosen_id():
            self._history = history
            self._show_history()

    def _show_history(self) -> None:
        self.history.setRowCount(len(self._history))
        for row, entry in enumerate(self._history):
            texts = [
                labels.status(entry.status),
                datetime_text(entry.at),
                ltr(entry.provider or ""),
                ltr(entry.provider_code or ""),
                entry.detail or "",
            ]
            set_row(self.history, row, texts)

    def retranslate(self) -> None:
        self.notice.setText(self.tr("A customer's messages are for personal shoppers and managers."))
        self.table.setHorizontalHeaderLabels(
            [
                self.tr("When"),
                self.tr("Direction"),
                self.tr("Channel"),
                self.tr("What for"),
                self.tr("Status"),
                self.tr("Provider"),
                self.tr("Cost"),
            ]
        )
        self.history_title.setText(self.tr("Status history"))
        self.history.setHorizontalHeaderLabels(
            [self.tr("Status"), self.tr("When"), self.tr("Provider"), self.tr("Code"), self.tr("Detail")]
        )
        set_empty_text(self.table, self.tr("No messages to or from this customer yet."))
        set_empty_text(self.history, self.tr("Choose a message to see what happened to it."))
        self._show_messages()
        self._show_history()
