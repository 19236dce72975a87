"""The Sale page's gift-card tender: the card's code and the amount it pays, and under them what the card holds.

The balance shows as soon as a whole code is there, typed or scanned: the look-up runs off the main thread
once the typing pauses, because each whole code that is not a card counts against the till's look-up lock
(core.giftcards.service), so a code is not looked up while the cashier is still correcting it. A code being
typed (too short) is left alone; a mistyped one is explained at once, without a look-up. Changing the code
clears what was shown before anything else, and an answer about a code since changed is dropped.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QHBoxLayout, QLineEdit, QWidget

from core.app import AppServices
from core.giftcards.codes import BODY_LENGTH, WRONG_LENGTH, normalize_code
from core.giftcards.service import CardStatus, GiftCardView
from core.kernel.errors import DomainError, ValidationError
from core.kernel.money import fils_to_text
from core.staff.auth import Actor
from ui.i18n import Retranslating, date_text, error_text, errors_text, money
from ui.ops import run_in_background
from ui.widgets.named import make_label, named

LOOK_UP_AFTER_MS = 350


class GiftCardTenderBox(Retranslating, QWidget):
    """``changed`` when the code or amount is edited (the sale's quote follows); ``refused`` with the words
    to show when the card cannot pay (unknown, mistyped, empty, expired, cancelled)."""

    changed = Signal()
    refused = Signal(str)

    def __init__(self, services: AppServices, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._services = services
        self.actor: Actor | None = None
        # What is still due on the sale (None before there is a sale): a card found pays up to it.
        self.due: Callable[[], int | None] = lambda: None
        self.card: GiftCardView | None = None
        self.code_edit = named(QLineEdit(self), "tenderGiftCode")
        self.code_edit.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
        self.amount_edit = named(QLineEdit(self), "tenderGiftAmount")
        # The owner places the balance (a row of its own, as wide as the form): it has more to say than the
        # code and amount fields are wide.
        self.balance = make_label(self, "giftBalance", wrap=True)
        self.balance.hide()
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.code_edit, 2)
        row.addWidget(self.amount_edit, 1)
        self._timer = QTimer(self, singleShot=True, interval=LOOK_UP_AFTER_MS)
        self._timer.timeout.connect(self.look_up)
        self.code_edit.textChanged.connect(self._code_changed)
        self.amount_edit.textChanged.connect(lambda _t: self.changed.emit())
        self.retranslate()

    def take(self, text: str) -> None:
        """A scanned or handed-over card: into the code field and looked up at once."""
        try:
            code = normalize_code(text)
        except DomainError:
            code = text.strip()
        self.code_edit.setText(code)
        self._timer.stop()
        self.look_up()
        self.amount_edit.setFocus()

    def clear(self) -> None:
        self.code_edit.clear()
        self.amount_edit.clear()
        self._timer.stop()

    def _code_changed(self, _text: str) -> None:
        # What was shown belonged to the previous code: it goes before the new look-up starts.
        self.card = None
        self._show("", error=False)
        self._timer.start()
        self.changed.emit()

    def look_up(self) -> None:
        actor, typed = self.actor, self.code_edit.text().strip()
        if actor is None or not typed:
            return
        try:
            code = normalize_code(typed)
        except ValidationError as error:
            still_typing = error.message == WRONG_LENGTH and int(error.params.get("length", 0)) < BODY_LENGTH
            if not still_typing:
                self._show(error_text(error), error=True)
            return
        self._show(self.tr("Looking up the card…"), error=False)
        giftcards = self._services.giftcards

        def still_this_code() -> bool:
            try:
                return normalize_code(self.code_edit.text()) == code
            except DomainError:
                return False

        def found(card: GiftCardView) -> None:
            if still_this_code():
                self._found(card)

        def failed(error: BaseException) -> None:
            if not isinstance(error, DomainError):
                raise error
            if still_this_code():
                self._show(errors_text(error), error=True)
                self.refused.emit(errors_text(error))
                self.code_edit.setFocus()
                self.code_edit.selectAll()

        run_in_background(lambda: giftcards.find(actor, code), found, failed, owner=self)

    def _found(self, card: GiftCardView) -> None:
        self.card = card
        self._describe()
        if card.status is not CardStatus.ACTIVE:
            self.refused.emit(self.balance.text())
            return
        due = self.due()
        if not self.amount_edit.text().strip() and due:
            self.amount_edit.setText(fils_to_text(min(card.balance_fils, due)))
        self.amount_edit.setFocus()
        self.amount_edit.selectAll()

    def _describe(self) -> None:
        card = self.card
        if card is None:
            return
        balance = self.tr("Balance %1").replace("%1", money(card.balance_fils))
        if card.status is CardStatus.ACTIVE:
            until = self.tr("valid until %1").replace("%1", date_text(card.expires_on))
            self._show(f"{balance} · {until}", error=False)
            return
        refused = {
            CardStatus.DEPLETED: self.tr("This card is used up."),
            CardStatus.EXPIRED: self.tr("This card has expired."),
            CardStatus.CANCELLED: self.tr("This card is cancelled."),
        }[card.status]
        self._show(f"{refused} {balance}", error=True)

    def _show(self, text: str, *, error: bool) -> None:
        self.balance.setText(text)
        self.balance.setVisible(bool(text))
        self.balance.setProperty("error", error)
        self.balance.style().unpolish(self.balance)
        self.balance.style().polish(self.balance)

    def retranslate(self) -> None:
        self.code_edit.setPlaceholderText(self.tr("Code"))
        self.amount_edit.setPlaceholderText(self.tr("Amount"))
        self._describe()
