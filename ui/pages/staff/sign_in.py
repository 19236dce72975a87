"""Sign in: type your PIN, Enter. The PIN says who you are (PINs are unique within a branch), so a mistyped PIN
counts against nobody's account; too many wrong PINs lock the till, which a manager can unlock by name."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QFrame,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from core.app import AppServices
from core.kernel.errors import DomainError
from core.staff.auth import Actor, Permission, StaffRecord, TillLocked
from ui import labels
from ui.i18n import Retranslating, error_text, local_name
from ui.ops import run_in_background
from ui.widgets.named import make_button, make_label, named
from ui.widgets.plain import plain_labels


class SignInPage(Retranslating, QWidget):
    signed_in = Signal(object)  # Actor

    def __init__(self, services: AppServices, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("signInPage")
        self._services = services
        self._staff: list[StaffRecord] = []

        card = named(QFrame(self), "card")
        card.setFixedWidth(460)
        self.title = make_label(card, "pageTitle")
        self.branch = make_label(card, "subtitle")
        self.pin_label = QLabel(card)
        self.pin = named(QLineEdit(card), "pin")
        self.pin.setEchoMode(QLineEdit.EchoMode.Password)
        self.pin.setMaxLength(12)
        self.pin.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
        self.pin_label.setBuddy(self.pin)
        self.error = make_label(card, "error", wrap=True)
        self.button = make_button(card, "primary")
        self.button.setDefault(True)
        self.hint = make_label(card, "hint", wrap=True)

        # A manager's override of a locked till: an explicit choice of name, never preselected.
        self.unlock_box = named(QFrame(card), "unlockBox")
        self.unlock_title = make_label(self.unlock_box, "", wrap=True)
        self.managers = named(QListWidget(self.unlock_box), "staffList")
        self.managers.setFixedHeight(100)
        self.manager_pin_label = QLabel(self.unlock_box)
        self.manager_pin = named(QLineEdit(self.unlock_box), "managerPin")
        self.manager_pin.setEchoMode(QLineEdit.EchoMode.Password)
        self.manager_pin.setMaxLength(12)
        self.manager_pin.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
        self.manager_pin_label.setBuddy(self.manager_pin)
        self.unlock_button = make_button(self.unlock_box, "")
        box = QVBoxLayout(self.unlock_box)
        box.setContentsMargins(0, 8, 0, 0)
        for widget in (self.unlock_title, self.managers, self.manager_pin_label, self.manager_pin, self.unlock_button):
            box.addWidget(widget)
        self.unlock_box.hide()
        # Asks again when a lock ends, so the PIN prompt comes back by itself.
        self._lock_ends = QTimer(self)
        self._lock_ends.setSingleShot(True)
        self._lock_ends.timeout.connect(self.load)

        inner = QVBoxLayout(card)
        inner.setContentsMargins(32, 28, 32, 28)
        inner.setSpacing(10)
        for widget in (self.title, self.branch, self.pin_label, self.pin, self.error, self.button, self.hint):
            inner.addWidget(widget)
        inner.addWidget(self.unlock_box)
        outer = QVBoxLayout(self)
        outer.addStretch(1)
        outer.addWidget(card, 0, Qt.AlignmentFlag.AlignHCenter)
        outer.addStretch(2)

        self.button.clicked.connect(self.submit)
        self.pin.returnPressed.connect(self.submit)
        self.pin.textEdited.connect(lambda _text: self.error.clear())
        self.managers.itemActivated.connect(lambda _item: self.manager_pin.setFocus())
        self.unlock_button.clicked.connect(self.unlock_till)
        self.manager_pin.returnPressed.connect(self.unlock_till)
        self.retranslate()
        plain_labels(self)

    def load(self) -> None:
        """Empties the PIN box and focuses it; asks (off the main thread) whether the till is locked."""
        self.pin.clear()
        self.manager_pin.clear()
        self.pin.setFocus()
        branch_id = self._branch_id()
        staff = self._services.staff

        def ask() -> tuple[list[StaffRecord], datetime | None]:
            return staff.staff_of_branch(branch_id), staff.till_locked_until(branch_id)

        run_in_background(ask, self._loaded)

    def _loaded(self, result: tuple[list[StaffRecord], datetime | None]) -> None:
        self._staff, until = result
        self._fill_managers()
        self._show_unlock(until is not None)
        if until is None:
            self.error.clear()
            self.pin.setFocus()
        else:
            left = (until - self._services.clock.now()).total_seconds()
            self._lock_ends.start(max(1000, int(left * 1000) + 500))

    def _show_unlock(self, shown: bool) -> None:
        """A locked till shows the manager's override instead of the PIN prompt (both do not fit 768 pixels)."""
        self.unlock_box.setVisible(shown)
        for widget in (self.pin_label, self.pin, self.button, self.hint):
            widget.setVisible(not shown)
        if shown:
            self.manager_pin.setFocus()
        else:
            self._lock_ends.stop()

    def _branch_id(self) -> str:
        branch = self._services.branch()
        return branch.id if branch else ""

    def _fill_managers(self) -> None:
        chosen = self._chosen_manager()
        self.managers.clear()
        for member in self._staff:
            if Actor(member.id, member.branch_id, member.role).can(Permission.UNLOCK_STAFF):
                name = local_name(member.name_en, member.name_ar)
                item = QListWidgetItem(f"{name}  ·  {labels.role(member.role)}")
                item.setData(Qt.ItemDataRole.UserRole, member.id)
                self.managers.addItem(item)
                if member.id == chosen:
                    self.managers.setCurrentItem(item)

    def _chosen_manager(self) -> str | None:
        item = self.managers.currentItem()
        return str(item.data(Qt.ItemDataRole.UserRole)) if item is not None and item.isSelected() else None

    def submit(self) -> None:
        pin = self.pin.text()
        if not pin.strip():
            self.error.setText(self.tr("Type your PIN."))
            self.pin.setFocus()
            return
        branch_id = self._branch_id()
        staff = self._services.staff
        # argon2 verification takes tens of milliseconds a hash: off the main thread.
        run_in_background(
            lambda: staff.sign_in_by_pin(branch_id, pin), self._done, self._failed, busy=[self.button, self.pin]
        )

    def unlock_till(self) -> None:
        staff_id = self._chosen_manager()
        if staff_id is None:
            self.error.setText(self.tr("Choose your name in the list of managers."))
            self.managers.setFocus()
            return
        pin = self.manager_pin.text()
        staff = self._services.staff
        run_in_background(lambda: staff.unlock_till(staff_id, pin), self._done, self._failed, busy=[self.unlock_button])

    def _done(self, actor: Actor) -> None:
        self.pin.clear()
        self.manager_pin.clear()
        self.managers.clearSelection()
        self.managers.setCurrentRow(-1)
        self.error.clear()
        self._show_unlock(False)
        self.signed_in.emit(actor)

    def _failed(self, error: BaseException) -> None:
        if not isinstance(error, DomainError):
            raise error
        self.pin.clear()
        self.manager_pin.clear()
        self.error.setText(error_text(error))
        if isinstance(error, TillLocked):
            # No name is chosen for the manager: they pick theirs, and only their own PIN opens the till.
            self.load()
        elif self.unlock_box.isVisibleTo(self):
            self.manager_pin.setFocus()
        else:
            self.pin.setFocus()

    def retranslate(self) -> None:
        self.title.setText(self.tr("Sign in"))
        branch = self._services.branch()
        if branch:
            self.branch.setText(local_name(branch.name_en, branch.name_ar))
        self.pin_label.setText(self.tr("Your &PIN"))
        self.pin.setPlaceholderText(self.tr("Type your PIN and press Enter"))
        self.button.setText(self.tr("Sign in"))
        self.unlock_title.setText(self.tr("A manager can unlock this till: choose your name, then type your PIN."))
        self.manager_pin_label.setText(self.tr("Manager's PIN"))
        self.unlock_button.setText(self.tr("Unlock the till"))
        if self._services.is_demo():
            self.hint.setText(
                self.tr(
                    "Demo store — PINs: cashiers 1111 and 1112, personal shoppers 2222 and 2223, "
                    "manager 3333, administrator 4444."
                )
            )
        self._fill_managers()
