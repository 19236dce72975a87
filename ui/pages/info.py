"""Pages for managers and administrators: sync state and the branch's staff."""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtCore import QEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from core.auth import StaffRecord
from core.ports import AppServices
from ui import labels
from ui.i18n import Retranslating, datetime_text, is_arabic, number
from ui.ops import run_in_background


class SyncPage(Retranslating, QWidget):
    def __init__(self, services: AppServices, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._services = services
        self._unsynced = 0
        self.title = QLabel(self)
        self.title.setObjectName("pageTitle")
        self.state = QLabel(self)
        self.state.setObjectName("bigFigure")
        self.detail = QLabel(self)
        self.detail.setWordWrap(True)
        self.pending = QLabel(self)
        self.pending.setObjectName("bigFigure")
        layout = QVBoxLayout(self)
        for widget in (self.title, self.state, self.detail, self.pending):
            layout.addWidget(widget)
        layout.addStretch(1)
        self.retranslate()

    def showEvent(self, event: QEvent) -> None:  # type: ignore[override]
        run_in_background(self._services.unsynced_changes, self._show)
        super().showEvent(event)

    def _show(self, count: int) -> None:
        self._unsynced = count
        self.pending.setText(self.tr("%1 changes waiting for head office").replace("%1", number(count)))

    def retranslate(self) -> None:
        self.title.setText(self.tr("Head office sync"))
        self.state.setText(self.tr("Standalone"))
        self.detail.setText(
            self.tr(
                "No head office is configured for this store. Everything works here; every change is kept in "
                "order so it can be sent when this branch is connected to head office."
            )
        )
        self._show(self._unsynced)


class StaffPage(Retranslating, QWidget):
    def __init__(self, services: AppServices, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._services = services
        self._staff: list[StaffRecord] = []
        self.title = QLabel(self)
        self.title.setObjectName("pageTitle")
        self.table = QTableWidget(0, 3, self)
        self.table.setObjectName("staffTable")
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.table, 1)
        self.retranslate()

    def showEvent(self, event: QEvent) -> None:  # type: ignore[override]
        branch = self._services.branch()
        if branch is not None:
            run_in_background(lambda: self._services.staff.staff_of_branch(branch.id), self._show)
        super().showEvent(event)

    def _show(self, staff: list[StaffRecord]) -> None:
        self._staff = staff
        now = datetime.now(UTC)
        self.table.setRowCount(len(staff))
        for row, member in enumerate(staff):
            locked = member.locked_until is not None and member.locked_until > now
            state = (
                self.tr("Locked until %1").replace("%1", datetime_text(member.locked_until))
                if locked and member.locked_until
                else self.tr("Active")
            )
            name = member.name_ar if is_arabic() else member.name_en
            for col, text in enumerate((name, labels.role(member.role), state)):
                self.table.setItem(row, col, QTableWidgetItem(text))

    def retranslate(self) -> None:
        self.title.setText(self.tr("Staff of this branch"))
        self.table.setHorizontalHeaderLabels([self.tr("Name"), self.tr("Role"), self.tr("Sign-in")])
        self._show(self._staff)
