"""Opening a support ticket at the till, in a few keystrokes: the customer standing there (and the order they
bought, when there is one) are filled in; the cashier picks the category and priority, types the subject and,
if there is more to say, a description. Ctrl+Enter saves, Esc leaves without a ticket.

The service checks everything (core.tickets.model.validate_draft); a refusal is shown under the field it is
about, in the cashier's language, and nothing is written.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from core.app import AppServices
from core.kernel.errors import DomainError
from core.staff.auth import Actor
from core.tickets.model import DESCRIPTION_MAX, SUBJECT_MAX, Category, Priority, TicketDraft, TicketRecord
from ui.i18n import Retranslating, field_errors, ltr, number
from ui.ops import run_in_background
from ui.pages.tickets import labels
from ui.widgets.forms import say, with_error
from ui.widgets.named import make_button, make_label, named
from ui.widgets.plain import plain_labels


class OpenTicketDialog(Retranslating, QDialog):
    opened = Signal(object)  # TicketRecord

    def __init__(
        self,
        services: AppServices,
        actor: Actor,
        customer_id: str,
        customer_name: str,
        order_id: str | None = None,
        order_number: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("openTicketDialog")
        self.setModal(True)
        self.setMinimumWidth(640)
        self._services = services
        self._actor = actor
        self._customer_id = customer_id
        self._order_id = order_id
        self.result_value: TicketRecord | None = None

        self.heading = make_label(self, "pageTitle")
        self.customer_caption = make_label(self, "formLabel")
        self.customer = named(QLabel(customer_name, self), "ticketCustomer")
        self.order = named(QCheckBox(self), "ticketLinkOrder")
        self.order.setChecked(order_id is not None)
        self.order.setVisible(order_id is not None)
        self._order_number = order_number or ""
        self.category = named(QComboBox(self), "ticketCategory")
        for category in Category:
            self.category.addItem("", category.value)
        self.category.setCurrentIndex(self.category.findData(Category.PRODUCT.value))
        self.priority = named(QComboBox(self), "ticketNewPriority")
        for priority in Priority:
            self.priority.addItem("", priority.value)
        self.priority.setCurrentIndex(self.priority.findData(Priority.MEDIUM.value))
        self.subject = named(QLineEdit(self), "ticketSubject")
        self.subject.setMaxLength(SUBJECT_MAX)
        subject_box, self.subject_error = with_error(self, self.subject)
        self.description = named(QPlainTextEdit(self), "ticketDescription")
        self.description.setTabChangesFocus(True)
        self.description.setFixedHeight(110)
        description_box, self.description_error = with_error(self, self.description)
        self.message = make_label(self, "message", wrap=True)
        self.cancel_button = make_button(self)
        self.save_button = make_button(self, "primary")
        self.save_button.setAutoDefault(False)
        self.cancel_button.setAutoDefault(False)

        self.captions = [make_label(self, "formLabel") for _ in range(4)]
        form = QFormLayout()
        form.addRow(self.customer_caption, self.customer)
        form.addRow("", self.order)
        form.addRow(self.captions[0], self.category)
        form.addRow(self.captions[1], self.priority)
        form.addRow(self.captions[2], subject_box)
        form.addRow(self.captions[3], description_box)
        buttons = QHBoxLayout()
        buttons.addWidget(self.message, 1)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addLayout(form)
        layout.addStretch(1)
        layout.addLayout(buttons)

        self.cancel_button.clicked.connect(self.reject)
        self.save_button.clicked.connect(self.save)
        self.subject.returnPressed.connect(self.save)
        # A refusal stays under its field until the field is edited.
        self.subject.textEdited.connect(lambda _t: self.subject_error.hide())
        self.description.textChanged.connect(self.description_error.hide)
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(keys), self, self.save)
        self.retranslate()
        plain_labels(self)
        self.customer.setTextFormat(Qt.TextFormat.PlainText)
        self.subject.setFocus()

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Open a ticket"))
        self.heading.setText(self.tr("Open a support ticket"))
        self.customer_caption.setText(self.tr("Customer"))
        self.order.setText(self.tr("About receipt %1").replace("%1", ltr(self._order_number)))
        for caption, text in zip(
            self.captions,
            (self.tr("Category"), self.tr("Priority"), self.tr("Subject"), self.tr("Description")),
            strict=True,
        ):
            caption.setText(text)
        for i in range(self.category.count()):
            self.category.setItemText(i, labels.category(str(self.category.itemData(i))))
        for i in range(self.priority.count()):
            self.priority.setItemText(i, labels.priority(str(self.priority.itemData(i))))
        self.subject.setPlaceholderText(self.tr("What is it about, in a line"))
        self.description.setPlaceholderText(
            self.tr("What happened, in the customer's words (optional, up to %1 characters)").replace(
                "%1", number(DESCRIPTION_MAX)
            )
        )
        self.cancel_button.setText(self.tr("Cancel (Esc)"))
        self.save_button.setText(self.tr("Open the ticket (Ctrl+Enter)"))

    def draft(self) -> TicketDraft:
        return TicketDraft(
            customer_id=self._customer_id,
            subject=self.subject.text(),
            description=self.description.toPlainText(),
            category=str(self.category.currentData()),
            priority=str(self.priority.currentData()),
            order_id=self._order_id if self.order.isChecked() else None,
        )

    def save(self) -> None:
        if not self.save_button.isEnabled():
            return
        for label in (self.subject_error, self.description_error):
            label.hide()
        draft, actor = self.draft(), self._actor
        run_in_background(
            lambda: self._services.tickets.open(actor, draft), self._saved, self._failed, busy=[self.save_button]
        )

    def _saved(self, ticket: TicketRecord) -> None:
        self.result_value = ticket
        self.opened.emit(ticket)
        self.accept()

    def _failed(self, error: BaseException) -> None:
        if not isinstance(error, DomainError):
            raise error
        errors = field_errors(error)
        shown = False
        for name, label in (("subject", self.subject_error), ("description", self.description_error)):
            if name in errors:
                label.setText(errors.pop(name))
                label.show()
                shown = True
        if errors:
            say(self.message, " ".join(errors.values()), error=True)
        elif shown:
            self.message.clear()
