"""The ticket queue's table model: the filtered rows of a ``QueueIndex``, each cell worded only when the view
paints it, so a reset to 50,000 rows costs the view's bookkeeping and not 400,000 formatted strings.

The SLA state shows three ways at once: the row's background (overdue red, due soon amber), the words in the
Due column ("Overdue · …", "Due soon · …") and, for resolved and closed tickets, greyed text: colour is never
the only mark.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QCoreApplication, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from core.tickets.queue import QueueEntry, SlaBounds, SlaState
from ui.i18n import datetime_text, is_arabic, local_name, number, phone_text
from ui.pages.tickets import labels

OVERDUE_BACKGROUND = QColor("#f9dedc")
SOON_BACKGROUND = QColor("#fbeccb")
OVERDUE_TEXT = QColor("#8c1d18")
SOON_TEXT = QColor("#6b4a00")
DONE_TEXT = QColor("#8a8580")

_BACKGROUNDS = {SlaState.OVERDUE: QBrush(OVERDUE_BACKGROUND), SlaState.SOON: QBrush(SOON_BACKGROUND)}
_DUE_BRUSHES = {SlaState.OVERDUE: QBrush(OVERDUE_TEXT), SlaState.SOON: QBrush(SOON_TEXT)}
_DONE_BRUSH = QBrush(DONE_TEXT)

NUMBER, CUSTOMER, SUBJECT, PRIORITY, STATUS, ASSIGNEE, DUE, AGE = range(8)
COLUMNS = 8
ENTRY_ROLE = Qt.ItemDataRole.UserRole + 1  # the row's QueueEntry
SLA_ROLE = Qt.ItemDataRole.UserRole + 2  # the row's SlaState
_DISPLAY, _BACKGROUND, _FOREGROUND = (
    int(Qt.ItemDataRole.DisplayRole),
    int(Qt.ItemDataRole.BackgroundRole),
    int(Qt.ItemDataRole.ForegroundRole),
)
_FONT, _TOOLTIP, _ENTRY, _SLA = (
    int(Qt.ItemDataRole.FontRole),
    int(Qt.ItemDataRole.ToolTipRole),
    int(ENTRY_ROLE),
    int(SLA_ROLE),
)
_ROLES = frozenset({_DISPLAY, _BACKGROUND, _FOREGROUND, _FONT, _TOOLTIP, _ENTRY, _SLA})


def age_text(opened_at: datetime, now: datetime) -> str:
    """How long ago a ticket was opened, in the largest whole unit: '3 d', '5 h', '12 min'."""
    minutes = max(0, int((now - opened_at).total_seconds() // 60))
    if minutes >= 24 * 60:
        return QCoreApplication.translate("TicketQueueModel", "%1 d").replace("%1", number(minutes // (24 * 60)))
    if minutes >= 60:
        return QCoreApplication.translate("TicketQueueModel", "%1 h").replace("%1", number(minutes // 60))
    return QCoreApplication.translate("TicketQueueModel", "%1 min").replace("%1", number(minutes))


def due_text(state: SlaState, due_at: datetime | None, words: dict[SlaState, str]) -> str:
    if state is SlaState.DONE or due_at is None:
        return "—"
    when = datetime_text(due_at)
    if state in (SlaState.OVERDUE, SlaState.SOON, SlaState.PAUSED):
        return f"{words[state]} · {when}"
    return when


class TicketQueueModel(QAbstractTableModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._entries: list[QueueEntry] = []
        self.positions: Sequence[int] = ()
        self.bounds: SlaBounds | None = None
        self._cache: dict[str, tuple[SlaState, tuple[str, ...]]] = {}  # ticket id → SLA state, cell texts
        self._headers: list[str] = []
        self._words: dict[str, dict[Any, str]] = {}
        self._bold = QFont()
        self._bold.setBold(True)
        self.retranslate()

    def retranslate(self) -> None:
        self._headers = [
            QCoreApplication.translate("TicketQueueModel", "Number"),
            QCoreApplication.translate("TicketQueueModel", "Customer"),
            QCoreApplication.translate("TicketQueueModel", "Subject · category"),
            QCoreApplication.translate("TicketQueueModel", "Priority"),
            QCoreApplication.translate("TicketQueueModel", "Status"),
            QCoreApplication.translate("TicketQueueModel", "Assignee"),
            QCoreApplication.translate("TicketQueueModel", "Due (SLA)"),
            QCoreApplication.translate("TicketQueueModel", "Age"),
        ]
        self._words = {
            "status": dict(labels.short_statuses()),
            "priority": dict(labels.priorities()),
            "category": dict(labels.categories()),
            "sla": dict(labels.sla_states()),
        }
        self._cache.clear()
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, COLUMNS - 1)
        if self.positions:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self.positions) - 1, COLUMNS - 1))

    def set_rows(self, entries: list[QueueEntry], positions: Sequence[int], bounds: SlaBounds | None) -> None:
        """Shows ``entries[p]`` for each of ``positions`` (no list of 50,000 rows is copied per keystroke)."""
        self.beginResetModel()
        if bounds != self.bounds or entries is not self._entries:
            self._cache.clear()
        self._entries = entries
        self.positions = positions
        self.bounds = bounds
        self.endResetModel()

    def same_rows(self, entries: list[QueueEntry], positions: Sequence[int], bounds: SlaBounds | None) -> bool:
        return entries is self._entries and bounds == self.bounds and positions == self.positions

    def entry(self, row: int) -> QueueEntry | None:
        return self._entries[self.positions[row]] if 0 <= row < len(self.positions) else None

    @property
    def rows(self) -> list[QueueEntry]:
        return [self._entries[i] for i in self.positions]

    def row_of(self, position: int) -> int | None:
        """The row showing the queue's ``position``, if shown."""
        row = bisect_left(self.positions, position)
        return row if row < len(self.positions) and self.positions[row] == position else None

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.positions)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else COLUMNS

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self._headers[section] if 0 <= section < len(self._headers) else None
        return None

    def _row(self, entry: QueueEntry) -> tuple[SlaState, tuple[str, ...]]:
        """A ticket's SLA state and its cells' texts, worded once per language and moment: a repaint asks each
        visible cell for several roles, and formatting a date alone costs about a millisecond."""
        found = self._cache.get(entry.id)
        if found is None:
            bounds = self.bounds
            state = bounds.state(entry) if bounds is not None else SlaState.ON_TIME
            found = (state, tuple(self._text(entry, column, state) for column in range(COLUMNS)))
            self._cache[entry.id] = found
        return found

    def state(self, entry: QueueEntry) -> SlaState:
        return self._row(entry)[0]

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role not in _ROLES:
            return None
        row = index.row()
        if not 0 <= row < len(self.positions):
            return None
        entry = self._entries[self.positions[row]]
        column = index.column()
        if role == _DISPLAY:
            return self._row(entry)[1][column]
        if role == _ENTRY:
            return entry
        state = self._row(entry)[0]
        if role == _SLA:
            return state
        if role == _BACKGROUND:
            return _BACKGROUNDS.get(state)
        if role == _FOREGROUND:
            if state is SlaState.DONE:
                return _DONE_BRUSH
            return _DUE_BRUSHES.get(state) if column == DUE else None
        if role == _FONT:
            return self._bold if column == DUE and state is SlaState.OVERDUE else None
        if role == _TOOLTIP and column == CUSTOMER and entry.mobile:
            return phone_text(entry.mobile)
        return None

    def _text(self, entry: QueueEntry, column: int, state: SlaState) -> str:
        words = self._words
        if column == NUMBER:
            return entry.number
        if column == CUSTOMER:
            return local_name(entry.customer_name_en, entry.customer_name_ar)
        if column == SUBJECT:
            category = words["category"].get(entry.category, entry.category)
            return f"{entry.subject} · {category}"
        if column == PRIORITY:
            return words["priority"].get(entry.priority, entry.priority)
        if column == STATUS:
            return words["status"].get(entry.status, entry.status)
        if column == ASSIGNEE:
            if entry.assignee_id is None:
                return QCoreApplication.translate("TicketQueueModel", "Unassigned")
            name = (entry.assignee_name_ar or entry.assignee_name_en) if is_arabic() else entry.assignee_name_en
            return name or entry.assignee_name_ar
        if column == DUE:
            return due_text(state, entry.due_at, words["sla"])
        if column == AGE and self.bounds is not None:
            return age_text(entry.opened_at, self.bounds.now)
        return ""
