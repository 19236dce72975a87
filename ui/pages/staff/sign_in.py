"""Sign in: pick your name, type your PIN, Enter."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
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
from core.staff.auth import Actor, StaffRecord
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
        self.who = QLabel(card)
        self.staff_list = named(QListWidget(card), "staffList")
        self.staff_list.setMinimumHeight(240)
        self.pin_label = QLabel(card)
        self.pin = named(QLineEdit(card), "pin")
        self.pin.setEchoMode(QLineEdit.EchoMode.Password)
        self.pin.setMaxLength(12)
        self.pin_label.setBuddy(self.pin)
        self.error = make_label(card, "error", wrap=True)
        self.button = make_button(card, "primary")
        self.button.setDefault(True)
        self.hint = make_label(card, "hint", wrap=True)

        inner = QVBoxLayout(card)
        inner.setContentsMargins(32, 28, 32, 28)
        inner.setSpacing(10)
        for widget in (self.title, self.branch, self.who, self.staff_list, self.pin_label, self.pin, self.error):
            inner.addWidget(widget)
        inner.addWidget(self.button)
        inner.addWidget(self.hint)
        outer = QVBoxLayout(self)
        outer.addStretch(1)
        outer.addWidget(card, 0, Qt.AlignmentFlag.AlignHCenter)
        outer.addStretch(2)

        self.button.clicked.connect(self.submit)
        self.pin.returnPressed.connect(self.submit)
        self.staff_list.itemActivated.connect(lambda _item: self.pin.setFocus())
        self.staff_list.currentRowChanged.connect(lambda _row: self.error.clear())
        self.retranslate()
        plain_labels(self)

    def load(self) -> None:
        """Fills the staff list (off the main thread) and focuses the PIN field."""
        run_in_background(lambda: self._services.staff.staff_of_branch(self._branch_id()), self._show_staff)

    def _branch_id(self) -> str:
        branch = self._services.branch()
        return branch.id if branch else ""

    def _show_staff(self, staff: list[StaffRecord]) -> None:
        self._staff = staff
        self._fill_list()
        if self.staff_list.count():
            self.staff_list.setCurrentRow(0)
        self.pin.setFocus()

    def _fill_list(self) -> None:
        row = self.staff_list.currentRow()
        self.staff_list.clear()
        for member in self._staff:
            name = local_name(member.name_en, member.name_ar)
            item = QListWidgetItem(f"{name}  ·  {labels.role(member.role)}")
            item.setData(Qt.ItemDataRole.UserRole, member.id)
            self.staff_list.addItem(item)
        if row >= 0:
            self.staff_list.setCurrentRow(row)

    def select_username(self, username: str) -> None:
        for i, member in enumerate(self._staff):
            if member.username == username:
                self.staff_list.setCurrentRow(i)

    def submit(self) -> None:
        item = self.staff_list.currentItem()
        if item is None:
            self.error.setText(self.tr("Choose your name in the list."))
            return
        staff_id = str(item.data(Qt.ItemDataRole.UserRole))
        pin = self.pin.text()

        def done(actor: Actor) -> None:
            self.pin.clear()
            self.error.clear()
            self.signed_in.emit(actor)

        def failed(error: BaseException) -> None:
            self.pin.clear()
            self.pin.setFocus()
            if isinstance(error, DomainError):
                self.error.setText(error_text(error))
            else:
                raise error

        # argon2 verification takes tens of milliseconds: off the main thread.
        run_in_background(lambda: self._services.staff.sign_in(staff_id, pin), done, failed, busy=[self.button])

    def retranslate(self) -> None:
        self.title.setText(self.tr("Sign in"))
        branch = self._services.branch()
        if branch:
            self.branch.setText(local_name(branch.name_en, branch.name_ar))
        self.who.setText(self.tr("Who is at the till?"))
        self.pin_label.setText(self.tr("&PIN"))
        self.pin.setPlaceholderText(self.tr("Type your PIN and press Enter"))
        self.button.setText(self.tr("Sign in"))
        if self._services.is_demo():
            self.hint.setText(
                self.tr("Demo store — PINs: cashier 1111, personal shopper 2222, manager 3333, administrator 4444.")
            )
        self._fill_list()
