"""The branch's staff, for administrators."""

from __future__ import annotations

from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QVBoxLayout,
    QWidget,
)

from core.app import AppServices
from core.staff.auth import StaffRecord
from ui import labels
from ui.i18n import Retranslating, datetime_text, local_name
from ui.ops import run_in_background
from ui.widgets.named import make_label
from ui.widgets.plain import plain_labels
from ui.widgets.tables import read_only_table, set_row


class StaffPage(Retranslating, QWidget):
    def __init__(self, services: AppServices, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._services = services
        self._staff: list[StaffRecord] = []
        self.title = make_label(self, "pageTitle")
        self.table = read_only_table(self, 3, "staffTable")
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.table, 1)
        self.retranslate()
        plain_labels(self)

    def showEvent(self, event: QShowEvent) -> None:
        branch = self._services.branch()
        if branch is not None:
            run_in_background(lambda: self._services.staff.staff_of_branch(branch.id), self._show)
        super().showEvent(event)

    def _show(self, staff: list[StaffRecord]) -> None:
        self._staff = staff
        now = self._services.clock.now()
        self.table.setRowCount(len(staff))
        for row, member in enumerate(staff):
            locked = member.locked_until is not None and member.locked_until > now
            state = (
                self.tr("Locked until %1").replace("%1", datetime_text(member.locked_until))
                if locked and member.locked_until
                else self.tr("Active")
            )
            name = local_name(member.name_en, member.name_ar)
            set_row(self.table, row, (name, labels.role(member.role), state))

    def retranslate(self) -> None:
        self.title.setText(self.tr("Staff of this branch"))
        self.table.setHorizontalHeaderLabels([self.tr("Name"), self.tr("Role"), self.tr("Sign-in")])
        self._show(self._staff)
