"""A WhatsApp message to the open customer, from the customer screen: pick an approved template (a favourite
back in stock, an appointment reminder, thanks for the visit), fill its fields, read the text as the customer
will (their language, right to left for Arabic), send. Free text is offered only while the customer's 24 h
window is open. Sending only queues the message (core.messaging.shopper_messages), so it works offline."""

from __future__ import annotations

from datetime import date, time

from PySide6.QtCore import QDate, Qt, QTime
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from core.app import AppServices
from core.kernel.errors import DomainError, ValidationError
from core.kernel.i18n import QT_TRANSLATE_NOOP
from core.messaging.shopper_messages import (
    ChannelRefused,
    MessageContext,
    QueuedMessage,
    date_words,
    fields_of,
    preview,
    time_words,
)
from core.messaging.templates import APPOINTMENT, RESTOCK, THANK_YOU, is_promotional
from core.staff.auth import Actor
from ui import labels
from ui.i18n import Retranslating, error_text, phone_text
from ui.ops import run_in_background
from ui.widgets.forms import say, with_error
from ui.widgets.named import make_button, make_label, named
from ui.widgets.plain import plain_labels

FREE_TEXT = "free_text"
TEMPLATE_NAMES = {
    RESTOCK: QT_TRANSLATE_NOOP("SendMessageDialog", "A favourite is back in stock (offer)"),
    APPOINTMENT: QT_TRANSLATE_NOOP("SendMessageDialog", "Appointment reminder"),
    THANK_YOU: QT_TRANSLATE_NOOP("SendMessageDialog", "Thank you for the visit"),
    FREE_TEXT: QT_TRANSLATE_NOOP("SendMessageDialog", "Free text (the customer wrote in the last 24 hours)"),
}
FIELD_CAPTIONS = {
    "product": QT_TRANSLATE_NOOP("SendMessageDialog", "Product"),
    "date": QT_TRANSLATE_NOOP("SendMessageDialog", "Date"),
    "time": QT_TRANSLATE_NOOP("SendMessageDialog", "Time"),
    "branch": QT_TRANSLATE_NOOP("SendMessageDialog", "Branch"),
    "text": QT_TRANSLATE_NOOP("SendMessageDialog", "Message"),
}


class SendMessageDialog(Retranslating, QDialog):
    def __init__(
        self,
        services: AppServices,
        actor: Actor,
        customer_id: str,
        customer_name: str,
        *,
        branch_names: tuple[str, str] = ("", ""),  # this branch in English and Arabic
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("sendMessageDialog")
        self.setModal(True)
        self.setMinimumWidth(680)
        self._services = services
        self._actor = actor
        self._customer_id = customer_id
        self._branch_names = branch_names
        self._context: MessageContext | None = None
        self._sent: QueuedMessage | None = None

        self.title = QLabel(customer_name, self)
        self.title.setObjectName("pageTitle")
        self.to_line = make_label(self, "subtitle", wrap=True)
        self.kind = named(QComboBox(self), "messageTemplate")
        self.window_hint = make_label(self, "hint", wrap=True)
        self._build_fields()
        self.preview_caption = make_label(self, "sectionTitle")
        self.preview = named(QPlainTextEdit(self), "messagePreview")
        self.preview.setReadOnly(True)
        self.preview.setFixedHeight(110)
        self.message = make_label(self, "message", wrap=True)
        self.offline_hint = make_label(self, "hint", wrap=True)
        self.cancel_button = QPushButton(self)
        self.send_button = make_button(self, "primary")
        self.send_button.setDefault(True)
        self.send_button.setEnabled(False)  # until the customer's consent and window are known

        buttons = QHBoxLayout()
        buttons.addWidget(self.offline_hint, 1)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.send_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.to_line)
        layout.addWidget(self.kind)
        layout.addWidget(self.window_hint)
        layout.addLayout(self.form)
        layout.addWidget(self.preview_caption)
        layout.addWidget(self.preview)
        layout.addWidget(self.message)
        layout.addLayout(buttons)

        self.cancel_button.clicked.connect(self.reject)
        self.send_button.clicked.connect(self.send)
        self.kind.currentIndexChanged.connect(lambda _i: self._kind_changed())
        for edit in (self.product, self.branch):
            edit.textChanged.connect(lambda _t: self._update_preview())
        self.on_date.dateChanged.connect(lambda _d: self._update_preview())
        self.at_time.timeChanged.connect(lambda _t: self._update_preview())
        self.text.textChanged.connect(self._update_preview)
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(keys), self, self.send)
        self.retranslate()
        self._kind_changed()
        self.kind.setFocus()
        run_in_background(
            lambda: services.shopper_messages.context(actor, customer_id), self._show_context, self._failed
        )
        plain_labels(self)

    # -- building ------------------------------------------------------------------------------------------
    def _build_fields(self) -> None:
        """Every field a template may ask for; only the chosen template's are shown."""
        self.product = named(QLineEdit(self), "messageProduct")
        self.on_date = named(QDateEdit(self), "messageDate")
        self.on_date.setCalendarPopup(True)
        self.on_date.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
        self.on_date.setDisplayFormat("yyyy-MM-dd")
        today = self._services.clock.today()
        self.on_date.setDate(QDate(today.year, today.month, today.day))
        self.at_time = named(QTimeEdit(self), "messageTime")
        self.at_time.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
        self.at_time.setDisplayFormat("HH:mm")
        self.at_time.setTime(QTime(17, 0))
        self.branch = named(QLineEdit(self), "messageBranch")
        self.text = named(QPlainTextEdit(self), "messageText")
        self.text.setFixedHeight(90)
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self.inputs: dict[str, QWidget] = {
            "product": self.product,
            "date": self.on_date,
            "time": self.at_time,
            "branch": self.branch,
            "text": self.text,
        }
        self.captions: dict[str, QLabel] = {}
        self.errors: dict[str, QLabel] = {}
        for name, widget in self.inputs.items():
            caption = QLabel(self)
            box, error = with_error(self, widget)
            self.captions[name] = caption
            self.errors[name] = error
            self.form.addRow(caption, box)

    def _fill_kinds(self) -> None:
        current = self.kind.currentData()
        kinds = list(self._services.shopper_messages.templates())
        if self._context is not None and self._context.window_open:
            kinds.append(FREE_TEXT)
        self.kind.blockSignals(True)
        self.kind.clear()
        for key in kinds:
            self.kind.addItem(self.tr(TEMPLATE_NAMES[key]), key)
        self.kind.setCurrentIndex(max(0, self.kind.findData(current)))
        self.kind.blockSignals(False)

    # -- inputs --------------------------------------------------------------------------------------------
    def chosen(self) -> str:
        return str(self.kind.currentData() or RESTOCK)

    def language(self) -> str:
        return self._context.language if self._context is not None else "en"

    def values(self) -> dict[str, str]:
        """The chosen template's fields as they go into the message, in the customer's language."""
        d, t = self.on_date.date(), self.at_time.time()
        return {
            "product": self.product.text(),
            "date": date_words(date(d.year(), d.month(), d.day()), self.language()),
            "time": time_words(time(t.hour(), t.minute())),
            "branch": self.branch.text(),
        }

    def _kind_changed(self) -> None:
        key = self.chosen()
        shown = {"text"} if key == FREE_TEXT else set(fields_of(key))
        for row, name in enumerate(self.inputs):
            self.form.setRowVisible(row, name in shown)
            self.errors[name].hide()  # showing a row shows every widget of it, its empty error label too
        self._show_consent()
        self._update_preview()

    def _update_preview(self) -> None:
        context = self._context
        if context is None:
            self.preview.setPlainText("")
            return
        key = self.chosen()
        text = self.text.toPlainText().strip() if key == FREE_TEXT else preview(context, key, self.values())
        arabic = context.language == "ar"
        direction = Qt.LayoutDirection.RightToLeft if arabic else Qt.LayoutDirection.LeftToRight
        self.preview.setLayoutDirection(direction)
        option = self.preview.document().defaultTextOption()
        option.setTextDirection(direction)
        option.setAlignment(Qt.AlignmentFlag.AlignRight if arabic else Qt.AlignmentFlag.AlignLeft)
        self.preview.document().setDefaultTextOption(option)
        self.preview.setPlainText(text)

    def _show_context(self, context: MessageContext) -> None:
        self._context = context
        arabic = context.language == "ar"
        self.text.setLayoutDirection(Qt.LayoutDirection.RightToLeft if arabic else Qt.LayoutDirection.LeftToRight)
        if not self.branch.text():
            self.branch.setText(self._branch_names[1] if context.language == "ar" else self._branch_names[0])
        self._fill_kinds()
        self.retranslate_context()
        self._kind_changed()
        self.send_button.setEnabled(self._sent is None)

    def _show_consent(self) -> None:
        """Warns before sending when the customer has not agreed to this kind of message on WhatsApp."""
        context = self._context
        if context is None or self._sent is not None:
            return
        offer = is_promotional(self.chosen()) if self.chosen() != FREE_TEXT else False
        allowed = context.promotional if offer else context.transactional
        if allowed:
            say(self.message, "")
        elif offer:
            say(self.message, self.tr("The customer has not agreed to offers on WhatsApp."), error=True)
        else:
            say(self.message, self.tr("The customer has not agreed to WhatsApp messages."), error=True)

    # -- sending -------------------------------------------------------------------------------------------
    def send(self) -> None:
        if not self.send_button.isEnabled() or self._context is None:
            return
        for label in self.errors.values():
            label.hide()
        actor, customer_id, key = self._actor, self._customer_id, self.chosen()
        service = self._services.shopper_messages
        if key == FREE_TEXT:
            text = self.text.toPlainText()
            run_in_background(
                lambda: service.send_text(actor, customer_id, text),
                self._sent_ok,
                self._failed,
                busy=[self.send_button],
            )
        else:
            values = {name: value for name, value in self.values().items() if name in fields_of(key)}
            run_in_background(
                lambda: service.send_template(actor, customer_id, key, values),
                self._sent_ok,
                self._failed,
                busy=[self.send_button],
            )

    def _sent_ok(self, queued: QueuedMessage) -> None:
        self._sent = queued
        say(
            self.message,
            self.tr("Queued for WhatsApp. It goes out as soon as messages are sent, even if this till is offline now."),
        )
        self.send_button.setEnabled(False)
        self.send_button.hide()
        self.cancel_button.setText(self.tr("Close"))
        self.cancel_button.setFocus()

    def _failed(self, error: BaseException) -> None:
        if not isinstance(error, DomainError):
            raise error
        if isinstance(error, ChannelRefused):
            say(self.message, self.refusal_text(error), error=True)
        elif isinstance(error, ValidationError) and error.field in self.errors and error.field != "mobile":
            shown = self.errors[str(error.field)]
            shown.setText(error_text(error))
            shown.show()
            say(self.message, self.tr("Check the fields marked in red."), error=True)
        else:
            say(self.message, error_text(error), error=True)

    def refusal_text(self, error: ChannelRefused) -> str:
        """What to do next: the channels the customer did agree to, in the shopper's language."""
        if not error.agreed:
            return self.tr(
                "The customer has agreed to no channel for this kind of message. Record their consent on the "
                "Profile tab first."
            )
        channels = self.tr(", ").join(labels.channel(c) for c in error.agreed)
        text = self.tr("The customer has not agreed to this kind of message on WhatsApp. They agreed to: %1.")
        return text.replace("%1", channels)

    def retranslate_context(self) -> None:
        context = self._context
        if context is None:
            self.to_line.setText(self.tr("Loading the customer's consent…"))
            self.window_hint.setText("")
            return
        line = self.tr("WhatsApp to %1 · in %2").replace("%1", phone_text(context.mobile))
        self.to_line.setText(line.replace("%2", labels.language(context.language)))
        if context.window_open:
            self.window_hint.setText(self.tr("The customer wrote in the last 24 hours: free text is possible."))
        else:
            self.window_hint.setText(
                self.tr("Only approved templates: the customer has not written on WhatsApp in the last 24 hours.")
            )
        caption = self.tr("As the customer will read it (%1)").replace("%1", labels.language(context.language))
        self.preview_caption.setText(caption)

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Send a WhatsApp message"))
        for name, caption in self.captions.items():
            caption.setText(self.tr(FIELD_CAPTIONS[name]))
        self.product.setPlaceholderText(self.tr("The product as the customer knows it"))
        self.text.setPlaceholderText(self.tr("Your reply, in the customer's language"))
        self.offline_hint.setText(self.tr("Queued on this till at once; works offline."))
        self.cancel_button.setText(self.tr("Close") if self._sent else self.tr("Cancel"))
        self.send_button.setText(self.tr("Send (Ctrl+Enter)"))
        self.preview_caption.setText(self.tr("As the customer will read it"))
        self._fill_kinds()
        self.retranslate_context()
        self._show_consent()
