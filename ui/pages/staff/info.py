"""The branch's staff, for managers and administrators: who can sign in, and lifting a lockout."""

from __future__ import annotations

from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QVBoxLayout,
    QWidget,
)

from core.app import AppServices
from core.staff.auth import Actor, StaffRecord
from ui import labels
from ui.i18n import Retranslating, datetime_text, is_arabic, local_name, show_refusal
from ui.ops import run_in_background
from ui.widgets.named import make_button, make_label
from ui.widgets.plain import plain_labels
from ui.widgets.tables import pick_list, set_row


class StaffPage(Retranslating, QWidget):
    def __init__(self, services: AppServices, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._services = services
        self._actor: Actor | None = None
        self._staff: list[StaffRecord] = []
        self.title = make_label(self, "pageTitle")
        self.table = pick_list(self, 3, "staffTable", wrap=False)
        self.unlock_button = make_button(self, "primary")
        self.message = make_label(self, "message", wrap=True)
        actions = QHBoxLayout()
        actions.addWidget(self.message, 1)
        actions.addWidget(self.unlock_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.table, 1)
        layout.addLayout(actions)
        self.table.itemSelectionChanged.connect(self._selection_changed)
        self.unlock_button.clicked.connect(self.unlock_selected)
        self.unlock_button.setEnabled(False)
        self.retranslate()
        plain_labels(self)

    def set_actor(self, actor: Actor | None) -> None:
        self._actor = actor
        self.message.clear()

    def showEvent(self, event: QShowEvent) -> None:
        self.reload()
        super().showEvent(event)

    def reload(self) -> None:
        branch = self._services.branch()
        if branch is not None:
            run_in_background(lambda: self._services.staff.staff_of_branch(branch.id), self._show)

    def _locked(self, member: StaffRecord) -> bool:
        return member.locked_until is not None and member.locked_until > self._services.clock.now()

    def _show(self, staff: list[StaffRecord]) -> None:
        self._staff = staff
        self.table.setRowCount(len(staff))
        for row, member in enumerate(staff):
            state = (
                self.tr("Locked until %1").replace("%1", datetime_text(member.locked_until))
                if self._locked(member) and member.locked_until
                else self.tr("Active")
            )
            name = local_name(member.name_en, member.name_ar)
            set_row(self.table, row, (name, labels.role(member.role), state))
        for column in (1, 2):
            self.table.resizeColumnToContents(column)
        self._selection_changed()

    def _selected(self) -> StaffRecord | None:
        row = self.table.currentRow()
        return self._staff[row] if 0 <= row < len(self._staff) and self.table.selectedItems() else None

    def _selection_changed(self) -> None:
        member = self._selected()
        self.unlock_button.setEnabled(member is not None and self._locked(member))

    def unlock_selected(self) -> None:
        member, actor = self._selected(), self._actor
        if member is None or actor is None:
            return
        name = member.name_ar if is_arabic() else member.name_en

        def done(_record: StaffRecord) -> None:
            self.message.setText(self.tr("%1 can sign in again.").replace("%1", name))
            self.reload()

        run_in_background(
            lambda: self._services.staff.unlock(actor, member.id),
            done,
            lambda error: show_refusal(self.message, error),
            busy=[self.unlock_button],
        )

    def retranslate(self) -> None:
        self.title.setText(self.tr("Staff of this branch"))
        self.table.setHorizontalHeaderLabels([self.tr("Name"), self.tr("Role"), self.tr("Sign-in")])
        self.unlock_button.setText(self.tr("Unlock sign-in"))
        self._show(self._staff)
