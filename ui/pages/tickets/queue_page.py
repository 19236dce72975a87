"""The support-ticket queue: every ticket of the store, the nearest deadline first, filtered as the user types.

The queue is read once off the main thread (``TicketService.queue``) into a ``core.tickets.queue.QueueIndex``
and read again when the page is shown or a ticket changes; a keystroke or a filter change filters the index in
memory and resets the table model on the main thread, well under the 50 ms a keystroke may take with 50,000
tickets (benchmarks/bench_tickets.py). Every minute the SLA bounds are read again, so a ticket turns amber and
then red while the page is open.

Keyboard: type anywhere in the table to filter, the arrows move through the list from the filter, Enter opens
the ticket.
"""

from __future__ import annotations

import csv
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QEvent, QItemSelectionModel, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QHideEvent, QKeyEvent, QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from core.app import AppServices
from core.kernel.clock import DUBAI
from core.staff.auth import Actor, Permission
from core.tickets.model import Priority, Status
from core.tickets.queue import (
    UNASSIGNED,
    WORKING_STATUSES,
    QueueEntry,
    QueueIndex,
    QueueQuery,
    SlaBounds,
)
from ui.i18n import local_name, number, show_refusal
from ui.ops import Latest, run_in_background
from ui.pages.base import ServicePage
from ui.pages.tickets import labels
from ui.pages.tickets.queue_model import SUBJECT, TicketQueueModel
from ui.pages.tickets.ticket_view import TicketDialog
from ui.widgets.forms import say
from ui.widgets.named import make_button, make_label, named
from ui.widgets.plain import plain_labels
from ui.widgets.tables import read_only, set_empty_text, set_widths

EVERY = None  # a filter's first entry: no filter
MINE = "\x00mine"  # the assignee filter's "Mine": the signed-in staff member
SLA_REFRESH_MS = 60_000
# Widths the columns start at (the view never measures 50,000 rows to size them); the subject takes the rest.
COLUMN_WIDTHS = (150, 140, 0, 70, 100, 110, 235, 50)


class TicketQueuePage(ServicePage):
    customer_requested = Signal(str)  # a customer id, from a ticket's view: show their screen

    def __init__(self, services: AppServices, parent: QWidget | None = None) -> None:
        super().__init__(services, "ticketQueuePage", parent)
        self.index: QueueIndex | None = None
        self.dialog: TicketDialog | None = None
        self._overdue = 0
        self._loading = Latest()
        self._error = ""

        self.title = make_label(self, "pageTitle")
        self.summary = make_label(self, "subtitle")
        self.filter = named(QLineEdit(self), "ticketFilter")
        self.filter.setClearButtonEnabled(True)
        self.status_filter = named(QComboBox(self), "ticketStatusFilter")
        self.status_filter.addItem("", WORKING_STATUSES)
        self.status_filter.addItem("", EVERY)
        for status in Status:
            self.status_filter.addItem("", status.value)
        self.priority_filter = named(QComboBox(self), "ticketPriorityFilter")
        self.priority_filter.addItem("", EVERY)
        for priority in Priority:
            self.priority_filter.addItem("", priority.value)
        self.assignee_filter = named(QComboBox(self), "ticketAssigneeFilter")
        self.branch_filter = named(QComboBox(self), "ticketBranchFilter")
        self.overdue_only = named(QCheckBox(self), "ticketOverdueOnly")
        self.open_button = make_button(self, "primary")
        self.export_button = make_button(self)
        self.table = named(QTableView(self), "ticketTable")
        self.model = TicketQueueModel(self.table)
        self.table.setModel(self.model)
        read_only(self.table, stretch=SUBJECT, rows=True, single=True, striped=True, wrap=False)
        set_widths(self.table, COLUMN_WIDTHS, row_height=30)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.message = make_label(self, "message", wrap=True)

        heading = QVBoxLayout()
        heading.addWidget(self.title)
        heading.addWidget(self.summary)
        top = QHBoxLayout()
        top.addLayout(heading, 1)
        top.addWidget(self.open_button)
        top.addWidget(self.export_button)
        for combo in (self.status_filter, self.priority_filter, self.assignee_filter, self.branch_filter):
            # Sized by the room the row gives, not by the longest choice (a name, "Waiting for the customer"):
            # the page must fit a 1366-wide till in either language.
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(10)
        filters = QHBoxLayout()
        filters.addWidget(self.filter, 3)
        filters.addWidget(self.status_filter, 1)
        filters.addWidget(self.priority_filter, 1)
        filters.addWidget(self.assignee_filter, 1)
        filters.addWidget(self.branch_filter, 1)
        filters.addWidget(self.overdue_only)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.message)

        self.filter.textChanged.connect(lambda _t: self.apply_filter())
        for combo in (self.status_filter, self.priority_filter, self.assignee_filter, self.branch_filter):
            combo.currentIndexChanged.connect(lambda _i: self.apply_filter())
        self.overdue_only.toggled.connect(lambda _on: self.apply_filter())
        self.filter.returnPressed.connect(self.open_selected)
        self.filter.installEventFilter(self)
        self.table.installEventFilter(self)
        self.table.activated.connect(lambda _i: self.open_selected())
        self.open_button.clicked.connect(self.open_selected)
        self.export_button.clicked.connect(self.export_csv)
        QShortcut(QKeySequence("Ctrl+F"), self, self.focus_filter)
        self.sla_timer = QTimer(self)
        self.sla_timer.setInterval(SLA_REFRESH_MS)
        self.sla_timer.timeout.connect(self.refresh_sla)
        self.retranslate()
        plain_labels(self)

    # -- loading ---------------------------------------------------------------------------------------------
    def set_actor(self, actor: Actor | None) -> None:
        self._actor = actor
        self.index = None
        self.model.set_rows([], (), None)
        self._fill_choices()
        if actor is not None and actor.can(Permission.HANDLE_TICKETS) and self.isVisible():
            self.refresh()

    def refresh(self) -> None:
        """Reads the whole queue again off the main thread; the filters stay as they are."""
        actor = self._actor
        if actor is None or not actor.can(Permission.HANDLE_TICKETS):
            return
        services = self._services
        self._loading.run(lambda: QueueIndex(services.tickets.queue(actor)), self.show_queue, self._failed)

    def show_queue(self, index: QueueIndex) -> None:
        """Shows a queue read off the main thread, through the filters as they are."""
        self.index = index
        self._error = ""
        self._fill_choices()
        self.apply_filter()

    def refresh_ticket(self, ticket_id: str) -> None:
        """One ticket changed (in its view): its row read again and put in place, off the main thread."""
        actor, index = self._actor, self.index
        if actor is None or index is None:
            self.refresh()
            return
        tickets = self._services.tickets
        self._loading.run(
            lambda: index.with_entry(tickets.queue_entry(actor, ticket_id), ticket_id), self.show_queue, self._failed
        )

    def refresh_sla(self) -> None:
        actor, index = self._actor, self.index
        if actor is None or index is None:
            return

        def show(bounds: SlaBounds) -> None:
            if self.index is index:
                index.set_bounds(bounds)
                self.apply_filter()

        run_in_background(lambda: self._services.tickets.sla_bounds(actor), show, self._failed, owner=self)

    def _failed(self, error: BaseException) -> None:
        show_refusal(self.message, error)

    # -- filtering -------------------------------------------------------------------------------------------
    def query(self) -> QueueQuery:
        assignee = self.assignee_filter.currentData()
        if assignee == MINE:
            assignee = self._actor.staff_id if self._actor is not None else UNASSIGNED
        return QueueQuery(
            text=self.filter.text(),
            status=self.status_filter.currentData(),
            priority=self.priority_filter.currentData(),
            assignee=assignee,
            branch_id=self.branch_filter.currentData(),
            overdue=self.overdue_only.isChecked(),
        )

    def apply_filter(self) -> None:
        """What every keystroke and filter change runs: the index filtered, the model reset, the choice kept."""
        index = self.index
        if index is None:
            self._show_summary()
            return
        chosen = self.selected()
        positions = index.positions(self.query())
        self._overdue = index.overdue_count(positions)
        model = self.model
        if model.same_rows(index.entries, positions, index.bounds):
            return  # one more letter that keeps the same tickets: nothing to lay out or paint again
        model.set_rows(index.entries, positions, index.bounds)
        if positions:
            row = None
            if chosen is not None and chosen.id in index.position_of:
                row = self.model.row_of(index.position_of[chosen.id])
            self.select(row or 0)
        self._show_summary()

    @property
    def shown(self) -> list[QueueEntry]:
        """The tickets the filters keep, in the table's order."""
        return self.model.rows

    def _show_summary(self) -> None:
        index = self.index
        if index is None:
            self.summary.setText(self._error or self.tr("Loading…"))
            return
        self.summary.setText(
            self.tr("%1 of %2 tickets shown · %3 overdue")
            .replace("%1", number(self.model.rowCount()))
            .replace("%2", number(len(index)))
            .replace("%3", number(self._overdue))
        )

    def _fill_choices(self) -> None:
        """The assignee and branch choices: whoever and wherever the queue has tickets of."""
        entries = self.index.entries if self.index is not None else []
        people: dict[str, str] = {}
        branches: dict[str, str] = {}
        for e in entries:
            if e.assignee_id is not None and e.assignee_id not in people:
                people[e.assignee_id] = local_name(e.assignee_name_en, e.assignee_name_ar)
            if e.branch_id not in branches:
                branches[e.branch_id] = e.branch_code or e.branch_id[:8]
        for combo, fixed, choices in (
            (
                self.assignee_filter,
                [(self.tr("Anyone"), EVERY), (self.tr("Mine"), MINE), (self.tr("Unassigned"), UNASSIGNED)],
                people,
            ),
            (self.branch_filter, [(self.tr("Every branch"), EVERY)], branches),
        ):
            current = combo.currentData()
            combo.blockSignals(True)
            combo.clear()
            for text, data in fixed:
                combo.addItem(text, data)
            for key, text in sorted(choices.items(), key=lambda kv: kv[1].casefold()):
                combo.addItem(text, key)
            combo.setCurrentIndex(max(0, combo.findData(current)))
            combo.blockSignals(False)
        self.branch_filter.setVisible(len(branches) > 1)

    # -- choosing and opening --------------------------------------------------------------------------------
    def selected(self) -> QueueEntry | None:
        model = self.table.selectionModel()
        rows = model.selectedRows() if model is not None else []
        return self.model.entry(rows[0].row()) if rows else None

    def select(self, row: int) -> None:
        flags = QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
        self.table.selectionModel().setCurrentIndex(self.model.index(row, 0), flags)

    def open_selected(self) -> None:
        entry = self.selected()
        if entry is not None:
            self.open_ticket(entry.id)

    def open_ticket(self, ticket_id: str) -> None:
        """The ticket's view; whatever is saved there reads the queue again."""
        actor = self._actor
        if actor is None:
            return
        if self.dialog is not None:
            self.dialog.deleteLater()  # the last one, closed: one view at a time
        self.dialog = TicketDialog(self._services, actor, ticket_id, self)
        self.dialog.changed.connect(self.refresh_ticket)
        self.dialog.customer_requested.connect(self.customer_requested)
        self.dialog.resize(1100, 700)
        self.dialog.open()

    def focus_filter(self) -> None:
        self.filter.setFocus()
        self.filter.selectAll()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.KeyPress or not isinstance(event, QKeyEvent):
            return super().eventFilter(watched, event)
        key = event.key()
        if watched is self.table:
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self.open_selected()
                return True
            typed = event.text()
            plain_key = not event.modifiers() & ~Qt.KeyboardModifier.ShiftModifier
            if typed and typed.isprintable() and plain_key:
                # Type to filter: the key goes to the filter, which keeps the focus.
                self.filter.setFocus()
                self.filter.insert(typed)
                return True
        elif watched is self.filter and key in (Qt.Key.Key_Down, Qt.Key.Key_Up) and self.model.rowCount():
            current = self.table.currentIndex()
            row = current.row() if current.isValid() else -1
            row = min(self.model.rowCount() - 1, row + 1) if key == Qt.Key.Key_Down else max(0, row - 1)
            self.select(row)
            self.table.scrollTo(self.model.index(row, 0))
            return True
        return super().eventFilter(watched, event)

    # -- export ----------------------------------------------------------------------------------------------
    def export_csv(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Export"), "tickets.csv", "CSV (*.csv)")
        if path and self.index is not None:
            rows = self.shown
            write_tickets_csv(rows, self.index.bounds, Path(path))
            say(self.message, self.tr("Exported %1 tickets.").replace("%1", number(len(rows))))

    # -- showing ---------------------------------------------------------------------------------------------
    def showEvent(self, event: QShowEvent) -> None:
        self.refresh()
        self.sla_timer.start()
        super().showEvent(event)

    def hideEvent(self, event: QHideEvent) -> None:
        self.sla_timer.stop()
        super().hideEvent(event)

    def page_title(self) -> str:
        return self.tr("Tickets")

    def retranslate(self) -> None:
        self.title.setText(self.tr("Support tickets"))
        self.filter.setPlaceholderText(self.tr("Filter by number, customer, mobile or subject (Ctrl+F)"))
        self.status_filter.setItemText(0, self.tr("Still open"))
        self.status_filter.setItemText(1, self.tr("Every status"))
        for i in range(2, self.status_filter.count()):
            self.status_filter.setItemText(i, labels.status(str(self.status_filter.itemData(i))))
        self.priority_filter.setItemText(0, self.tr("Every priority"))
        for i in range(1, self.priority_filter.count()):
            self.priority_filter.setItemText(i, labels.priority(str(self.priority_filter.itemData(i))))
        self.overdue_only.setText(self.tr("Overdue only"))
        self.open_button.setText(self.tr("Open (Enter)"))
        self.export_button.setText(self.tr("Export CSV"))
        set_empty_text(self.table, self.tr("No ticket matches these filters."))
        self.model.retranslate()
        self._fill_choices()
        self._show_summary()


def _cell(text: str) -> str:
    """A value typed by a person, as text a spreadsheet will not run: a leading = + - @ is a formula there."""
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


def write_tickets_csv(rows: list[QueueEntry], bounds: SlaBounds, path: Path) -> None:
    """One line per ticket shown, values as stored (status, priority, category) and times in Asia/Dubai."""

    def when(moment: datetime | None) -> str:
        return moment.astimezone(DUBAI).strftime("%Y-%m-%d %H:%M") if moment is not None else ""

    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(
            [
                "number",
                "customer_en",
                "customer_ar",
                "mobile",
                "subject",
                "category",
                "priority",
                "status",
                "assignee",
                "branch",
                "opened",
                "due",
                "sla",
            ]
        )
        for e in rows:
            writer.writerow(
                [
                    e.number,
                    _cell(e.customer_name_en),
                    _cell(e.customer_name_ar),
                    e.mobile or "",
                    _cell(e.subject),
                    e.category,
                    e.priority,
                    e.status,
                    _cell(e.assignee_name_en),
                    e.branch_code,
                    when(e.opened_at),
                    when(e.due_at),
                    bounds.state(e).value,
                ]
            )
