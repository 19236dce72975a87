"""The customer screen's erasure line: the status of the open customer's erasure request, and for a manager the
"Request erasure…" action, whose confirmation says what head office's approval would erase and what it keeps
(core.privacy.erasure decides; this only asks and shows)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from core.app import AppServices
from core.customers.model import CustomerProfile
from core.kernel.errors import DomainError
from core.privacy.erasure import ErasureRequest, ErasureStatus
from core.privacy.scrub import VAT_RETENTION_YEARS
from core.staff.auth import Actor, Permission
from ui.i18n import Retranslating, date_text, error_text, is_arabic
from ui.ops import run_in_background
from ui.widgets.forms import say
from ui.widgets.plain import plain_labels


class RequestErasureDialog(QDialog):
    """Confirms a customer's erasure request, with their reason; ``requested`` carries the request made."""

    requested = Signal(object)  # ErasureRequest

    def __init__(
        self, services: AppServices, actor: Actor, customer_id: str, name: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("requestErasureDialog")
        self._services = services
        self._actor = actor
        self._customer_id = customer_id
        self.setWindowTitle(self.tr("Request erasure"))
        self.explain = QLabel(self)
        self.explain.setWordWrap(True)
        self.explain.setText(
            self.tr(
                "%1 asks to have their data erased. Head office decides. If it approves, their name, mobile, "
                "email, Emirates ID, birthday, address and notes, and the texts of their messages, feedback and "
                "tickets, are erased at every branch and cannot be brought back.\n\n"
                "Invoices, loyalty points and gift-card balances are kept, by customer number only, for the VAT "
                "retention period (%2 years): a gift card's balance stays spendable."
            )
            .replace("%1", name)
            .replace("%2", str(VAT_RETENTION_YEARS))
        )
        self.reason_label = QLabel(self.tr("The customer's reason, in their words:"), self)
        self.reason = QPlainTextEdit(self)
        self.reason.setObjectName("erasureReason")
        self.reason.setTabChangesFocus(True)
        self.reason_label.setBuddy(self.reason)
        self.message = QLabel(self)
        self.message.setObjectName("message")
        self.message.setWordWrap(True)
        self.buttons = QDialogButtonBox(self)
        self.request_button = self.buttons.addButton(self.tr("Request erasure"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.request_button.setObjectName("danger")
        self.cancel_button = self.buttons.addButton(self.tr("Cancel"), QDialogButtonBox.ButtonRole.RejectRole)
        self.request_button.clicked.connect(self.submit)
        self.cancel_button.clicked.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.explain)
        layout.addWidget(self.reason_label)
        layout.addWidget(self.reason, 1)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.resize(520, 380)
        plain_labels(self)
        self.explain.setTextFormat(Qt.TextFormat.PlainText)

    def submit(self) -> None:
        actor, customer_id, reason = self._actor, self._customer_id, self.reason.toPlainText()
        run_in_background(
            lambda: self._services.erasure.request(actor, customer_id, reason),
            self._done,
            self._failed,
            busy=[self.request_button],
        )

    def _done(self, request: ErasureRequest) -> None:
        self.requested.emit(request)
        self.accept()

    def _failed(self, error: BaseException) -> None:
        if not isinstance(error, DomainError):
            raise error
        say(self.message, error_text(error), error=True)


class ErasureLine(Retranslating, QWidget):
    """Under the customer's name: where their erasure request stands, and the action to request one."""

    def __init__(self, services: AppServices, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("erasureLine")
        self._services = services
        self._actor: Actor | None = None
        self._profile: CustomerProfile | None = None
        self._request: ErasureRequest | None = None
        self.status = QLabel(self)
        self.status.setObjectName("erasureStatus")
        self.status.setWordWrap(True)
        self.request_button = QPushButton(self)
        self.request_button.setObjectName("requestErasure")
        self.request_button.clicked.connect(self.request_erasure)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.status, 1)
        layout.addWidget(self.request_button)
        self.dialog: RequestErasureDialog | None = None
        plain_labels(self)
        self.retranslate()
        self.setVisible(False)

    def set_actor(self, actor: Actor | None) -> None:
        self._actor = actor
        self._refresh()

    def show_customer(self, profile: CustomerProfile | None) -> None:
        self._profile = profile
        self._request = None
        self._refresh()
        actor = self._actor
        if profile is None or actor is None:
            return
        customer_id = profile.id
        run_in_background(lambda: self._services.erasure.latest(actor, customer_id), self._show_request, self._quiet)

    def _show_request(self, request: ErasureRequest | None) -> None:
        if request is not None and self._profile is not None and request.customer_id != self._profile.id:
            return  # another customer was opened meanwhile
        self._request = request
        self._refresh()

    def _quiet(self, error: BaseException) -> None:
        if not isinstance(error, DomainError):
            raise error
        self._request = None
        self._refresh()

    def request_erasure(self) -> None:
        profile, actor = self._profile, self._actor
        if profile is None or actor is None or not actor.can(Permission.REQUEST_ERASURE):
            return
        name = profile.display_name("ar" if is_arabic() else "en") or profile.number
        self.dialog = RequestErasureDialog(self._services, actor, profile.id, name, parent=self.window())
        self.dialog.requested.connect(self._show_request)
        self.dialog.open()

    def _refresh(self) -> None:
        profile, actor, request = self._profile, self._actor, self._request
        if profile is None or actor is None:
            self.setVisible(False)
            return
        text = ""
        if profile.erased_at is not None:
            text = self.tr(
                "This customer's data was erased on %1 at their request. Invoices are kept by customer number only."
            ).replace("%1", date_text(profile.erased_at.date()))
        elif request is not None and request.status == ErasureStatus.PENDING:
            text = self.tr("Erasure requested on %1: head office decides.").replace(
                "%1", date_text(request.requested_at.date())
            )
        elif request is not None and request.status == ErasureStatus.REFUSED:
            text = (
                self.tr("Head office refused the erasure request: %1")
                .replace("%1", request.decision_reason or "")
                .strip()
            )
        elif request is not None and request.status == ErasureStatus.APPROVED:
            text = self.tr("Head office approved the erasure: it reaches this till at its next sync.")
        can_ask = (
            actor.can(Permission.REQUEST_ERASURE)
            and profile.erased_at is None
            and not (request is not None and request.status in (ErasureStatus.PENDING, ErasureStatus.APPROVED))
        )
        self.status.setText(text)
        self.status.setVisible(bool(text))
        self.request_button.setVisible(can_ask)
        self.setVisible(bool(text) or can_ask)

    def retranslate(self) -> None:
        self.request_button.setText(self.tr("Request erasure…"))
        self._refresh()
