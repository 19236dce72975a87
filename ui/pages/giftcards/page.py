"""The cashier's gift-card page: find a card (camera, wedge scanner or typing), redeem, refund, cancel,
print; and sell new cards. Keyboard first: the code field has focus, Enter finds, a scan works anywhere."""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QHideEvent, QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLayout,
    QLineEdit,
    QPushButton,
    QTabWidget,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from core.app import AppServices
from core.giftcards.service import GiftCardView, IssueRequest, LedgerLine, Occasion
from core.kernel.errors import DomainError
from core.kernel.i18n import QT_TRANSLATE_NOOP
from core.kernel.money import fils_to_text, parse_aed
from core.staff.auth import Actor, Permission
from ui.dialogs import ask
from ui.i18n import error_text, ltr, money, show_refusal
from ui.ops import run_in_background
from ui.pages.base import ServicePage
from ui.pages.giftcards.panel import GiftCardPanel, occasion_text
from ui.receipts.preview import ReceiptPreview
from ui.receipts.sources import card_sale_source, voucher_source
from ui.widgets.banner import Banner
from ui.widgets.digits import DigitSpinBox
from ui.widgets.forms import say
from ui.widgets.named import make_button, make_label, named
from ui.widgets.plain import plain_labels

if TYPE_CHECKING:  # these load on first use only (the camera stack and Pillow are heavy)
    from PIL.Image import Image

    from ui.scan.camera import CameraView
    from ui.scan.wedge import WedgeScanner

CAMERA_ENV = "PERFUME_OUD_CAMERA"


def camera_source() -> int | str:
    """The till's camera: $PERFUME_OUD_CAMERA or the 'camera/source' setting (device index, URL or file)."""
    value = os.environ.get(CAMERA_ENV) or str(QSettings().value("camera/source", "0"))
    return int(value) if value.isdigit() else value


class GiftCardsPage(ServicePage):
    def __init__(self, services: AppServices, parent: QWidget | None = None) -> None:
        super().__init__(services, "giftCardsPage", parent)
        self.banner = Banner(self)  # what a redemption, refund or refusal did
        self.tabs = QTabWidget(self)
        self.tabs.addTab(self._build_find_tab(), "")
        self.tabs.addTab(self._build_sell_tab(), "")
        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addWidget(self.tabs)
        self._wedge: WedgeScanner | None = None
        # Bumped whenever the shown card is dropped: a look-up or reload started before answers into nothing.
        self._lookup = 0
        QShortcut(QKeySequence("F2"), self, self.focus_code)
        self.retranslate()
        plain_labels(self)

    # -- layout ---------------------------------------------------------------------------------------------
    def _build_find_tab(self) -> QWidget:
        tab = QWidget(self)
        self.code_edit = named(QLineEdit(tab), "cardCodeEntry")
        self.code_edit.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
        self.code_edit.setClearButtonEnabled(True)
        self.find_button = make_button(tab, "primary")
        self.camera_button = QPushButton(tab)
        self.camera_button.setCheckable(True)
        self.message = make_label(tab, "message", wrap=True)
        self.panel = GiftCardPanel(tab)
        self.amount = named(QLineEdit(tab), "redeemAmount")
        self.redeem_button = make_button(tab, "primary")
        self.refund_button = QPushButton(tab)
        self.cancel_button = QPushButton(tab)
        self.print_button = QPushButton(tab)
        self.receipt = named(ReceiptPreview(tab), "receipt")
        self.receipt.hide()
        # Created on first use: the camera stack loads only when a cashier asks for it.
        self.camera: CameraView | None = None
        self.camera_holder = QVBoxLayout()

        top = QHBoxLayout()
        top.addWidget(self.code_edit, 1)
        top.addWidget(self.find_button)
        top.addWidget(self.camera_button)
        actions = QHBoxLayout()
        actions.addWidget(self.amount, 1)
        actions.addWidget(self.redeem_button)
        actions.addWidget(self.refund_button)
        actions.addWidget(self.cancel_button)
        actions.addWidget(self.print_button)
        self.actions_row = QWidget(tab)
        self.actions_row.setLayout(actions)
        left = QVBoxLayout()
        left.addLayout(top)
        left.addWidget(self.message)
        left.addWidget(self.panel, 1)
        left.addWidget(self.actions_row)
        outer = QHBoxLayout(tab)
        outer.addLayout(left, 1)
        outer.addWidget(self.receipt)
        outer.addLayout(self.camera_holder)

        self.code_edit.returnPressed.connect(self.find_typed)
        self.find_button.clicked.connect(self.find_typed)
        self.camera_button.toggled.connect(self._toggle_camera)
        self.amount.returnPressed.connect(self.redeem)
        self.redeem_button.clicked.connect(self.redeem)
        self.refund_button.clicked.connect(self.refund)
        self.cancel_button.clicked.connect(self.cancel)
        self.print_button.clicked.connect(self.print_card)
        self.panel.clear()
        self.actions_row.setEnabled(False)
        return tab

    def _build_sell_tab(self) -> QWidget:
        tab = QWidget(self)
        self.preset_buttons: list[QPushButton] = []
        presets = QHBoxLayout()
        for fils in self._services.giftcards.policy.presets_fils:
            button = make_button(tab, "preset")
            button.setProperty("fils", fils)
            button.clicked.connect(lambda _checked=False, f=fils: self.sell_amount.setText(fils_to_text(f)))
            presets.addWidget(button)
            self.preset_buttons.append(button)
        self.sell_amount: QLineEdit = QLineEdit(tab)  # annotated: the preset buttons' lambdas above use it
        self.sell_amount.setObjectName("sellAmount")
        self.occasion = QComboBox(tab)
        self.recipient = QLineEdit(tab)
        self.from_name = QLineEdit(tab)
        self.card_message = QTextEdit(tab)
        self.card_message.setFixedHeight(70)
        self.validity = DigitSpinBox(tab)
        self.validity.setRange(1, 60)
        self.validity.setValue(self._services.giftcards.policy.validity_months)
        self.purchaser = QLineEdit(tab)
        self.quantity = DigitSpinBox(tab)
        self.quantity.setRange(1, self._services.giftcards.policy.bulk_max)
        self.sell_button = make_button(tab, "primary")
        self.sell_result = make_label(tab, "message", wrap=True)
        self.sell_total = make_label(tab, "bigTotal", wrap=True)  # a long sentence in Arabic at 40 px
        form = QFormLayout()
        self.sell_labels = [QLabel(tab) for _ in range(8)]
        fields: tuple[QWidget | QLayout, ...] = (
            presets,
            self.sell_amount,
            self.occasion,
            self.recipient,
            self.from_name,
            self.card_message,
            self.validity,
            self.purchaser,
        )
        for label, field in zip(self.sell_labels, fields, strict=True):
            form.addRow(label, field)
        self.quantity_label = QLabel(tab)
        form.addRow(self.quantity_label, self.quantity)
        layout = QVBoxLayout(tab)
        layout.addLayout(form)
        bottom = QHBoxLayout()
        bottom.addWidget(self.sell_total, 1)
        bottom.addWidget(self.sell_button)
        layout.addLayout(bottom)
        layout.addWidget(self.sell_result)
        layout.addStretch(1)
        self.sell_amount.textChanged.connect(self._update_sell_total)
        self.quantity.valueChanged.connect(self._update_sell_total)
        self.sell_button.clicked.connect(self.sell)
        return tab

    # -- who -----------------------------------------------------------------------------------------------
    def set_actor(self, actor: Actor | None) -> None:
        self._actor = actor
        can_cancel = actor is not None and actor.can(Permission.CANCEL_GIFT_CARDS)
        self.cancel_button.setVisible(can_cancel)
        self.quantity.setVisible(can_cancel)
        self.quantity_label.setVisible(can_cancel)
        # Whoever signs in next starts with no card open and no half-typed amount.
        self.clear_card()
        self.code_edit.clear()
        self.message.clear()

    def clear_card(self) -> None:
        """No card on screen and nothing to take from one: the amount box and the actions are emptied and
        disabled, and any look-up or reload still running will not bring a card back."""
        self._lookup += 1
        self.panel.clear()
        self.amount.clear()
        self.actions_row.setEnabled(False)
        self.receipt.hide()

    def focus_code(self) -> None:
        self.tabs.setCurrentIndex(0)
        self.code_edit.setFocus()
        self.code_edit.selectAll()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._install_wedge()
        self.focus_code()

    def hideEvent(self, event: QHideEvent) -> None:
        if self._wedge is not None:
            self._wedge.uninstall()
        if self.camera is not None:
            self.camera_button.setChecked(False)
        super().hideEvent(event)

    def _install_wedge(self) -> None:
        from ui.scan.wedge import WedgeScanner

        if self._wedge is None:
            self._wedge = WedgeScanner(self.window())
            self._wedge.scanned.connect(self.find_scanned)
        self._wedge.install()

    # -- finding -------------------------------------------------------------------------------------------
    def find_typed(self) -> None:
        self._find(self.code_edit.text(), scanned=False)

    def find_scanned(self, text: str) -> None:
        self.tabs.setCurrentIndex(0)
        self._find(text, scanned=True)

    def _find(self, text: str, *, scanned: bool) -> None:
        actor = self._actor
        if actor is None:
            return
        self.banner.clear()
        if scanned and self.panel.card is not None and self._same_code(text):
            self.message.setText(self.tr("This card is already open."))
            return
        # The card on screen goes before the look-up starts: whatever the answer, an amount typed now can
        # never be taken from the previous card.
        self.clear_card()
        lookup = self._lookup
        if not self.code_edit.hasFocus():
            self.code_edit.setFocus()
        self._set_error(False)
        self.message.setText(self.tr("Looking up the card…"))
        giftcards = self._services.giftcards

        def load() -> tuple[GiftCardView, list[LedgerLine]]:
            card = giftcards.find(actor, text)
            return card, giftcards.ledger(actor, card.id)

        def found(result: tuple[GiftCardView, list[LedgerLine]]) -> None:
            if lookup == self._lookup:
                self._show(result)

        def not_found(error: BaseException) -> None:
            if lookup != self._lookup:
                return
            self._failed(error)
            self.focus_code()

        run_in_background(load, found, not_found, busy=[self.find_button], owner=self)

    def _set_error(self, error: bool) -> None:
        self.message.setProperty("error", error)
        self.message.style().unpolish(self.message)
        self.message.style().polish(self.message)

    def _same_code(self, text: str) -> bool:
        from core.giftcards.codes import normalize_code

        try:
            return self.panel.card is not None and normalize_code(text) == self.panel.card.code
        except DomainError:
            return False

    def _show(self, result: tuple[GiftCardView, list[LedgerLine]]) -> None:
        card, lines = result
        self.message.setProperty("error", False)
        self.message.style().unpolish(self.message)
        self.message.style().polish(self.message)
        self.panel.show_card(card, lines)
        self.code_edit.setText(card.code)
        self.message.setText(self.tr("Card found."))
        QApplication.beep()
        self.receipt.hide()
        usable = card.status.value == "active"
        self.actions_row.setEnabled(True)
        self.redeem_button.setEnabled(usable)
        self.amount.setEnabled(usable)
        self.amount.clear()
        self.amount.setFocus()

    def _failed(self, error: BaseException) -> None:
        if isinstance(error, DomainError):
            self.message.setText(error_text(error))
            self.banner.failure(error_text(error))
            self.message.setProperty("error", True)
            self.message.style().unpolish(self.message)
            self.message.style().polish(self.message)
        else:
            raise error

    def _reload(
        self, card: GiftCardView, note: str, receipt_fils: int | None = None, sold: list[GiftCardView] | None = None
    ) -> None:
        actor = self._actor
        if actor is None:
            return
        lines = self._services.giftcards.ledger
        lookup = self._lookup
        run_in_background(
            lambda: (card, lines(actor, card.id)),
            lambda r: self._after_change(r, note, receipt_fils, lookup, sold),
            self._failed,
            owner=self,
        )

    def _after_change(
        self,
        result: tuple[GiftCardView, list[LedgerLine]],
        note: str,
        receipt_fils: int | None,
        lookup: int,
        sold: list[GiftCardView] | None = None,
    ) -> None:
        if lookup != self._lookup:
            return  # another card was asked for meanwhile: this one stays off the screen
        self._show(result)
        self.message.setText(note)
        self.banner.success(note)
        if receipt_fils is not None:
            self._show_receipt(result[0], receipt_fils)
        elif sold and self._actor is not None:
            self.receipt.show_source(card_sale_source(self._services, self._actor, sold))
            self.receipt.show()

    # -- money moves ---------------------------------------------------------------------------------------
    def _amount(self) -> int | None:
        try:
            return parse_aed(self.amount.text())
        except DomainError as error:
            self._failed(error)
            self.amount.setFocus()
            return None

    def _confirm(self, title: str, text: str) -> bool:
        return ask(self, title, text)

    def redeem(self) -> None:
        card, actor = self.panel.card, self._actor
        if card is None or actor is None or not self.actions_row.isEnabled():
            return
        fils = self._amount()
        if fils is None:
            return
        text = (
            self.tr("Take %1 from card %2?\nThe card keeps %3.")
            .replace("%1", money(fils))
            .replace("%2", ltr(card.code))
            .replace("%3", money(card.balance_fils - fils))
        )
        if fils <= card.balance_fils and not self._confirm(self.tr("Redeem"), text):
            return
        giftcards = self._services.giftcards
        run_in_background(
            lambda: giftcards.redeem(actor, card.id, fils),
            lambda view: self._redeemed(view, fils),
            self._failed,
            busy=[self.redeem_button],
        )

    def _redeemed(self, card: GiftCardView, fils: int) -> None:
        note = (
            self.tr("Redeemed %1. Balance left: %2.").replace("%1", money(fils)).replace("%2", money(card.balance_fils))
        )
        self._reload(card, note, receipt_fils=fils)

    def _show_receipt(self, card: GiftCardView, fils: int) -> None:
        """The voucher slip of a redemption: amount taken, balance left, the code masked."""
        if self._actor is not None:
            self.receipt.show_source(voucher_source(self._services, self._actor, card, fils))
            self.receipt.show()

    def refund(self) -> None:
        card, actor = self.panel.card, self._actor
        fils = self._amount()
        if card is None or actor is None or fils is None:
            return
        reason, ok = QInputDialog.getText(
            self, self.tr("Refund to card"), self.tr("Reason (for example the returned item):")
        )
        if not ok:
            return
        giftcards = self._services.giftcards
        note = self.tr("Refunded %1 to the card.").replace("%1", money(fils))
        run_in_background(
            lambda: giftcards.refund(actor, card.id, fils, reason),
            lambda view: self._reload(view, note),
            self._failed,
            busy=[self.refund_button],
        )

    def cancel(self) -> None:
        card, actor = self.panel.card, self._actor
        if card is None or actor is None:
            return
        reason, ok = QInputDialog.getText(
            self, self.tr("Cancel card"), self.tr("Why is card %1 being cancelled?").replace("%1", ltr(card.code))
        )
        if not ok:
            return
        giftcards = self._services.giftcards
        run_in_background(
            lambda: giftcards.cancel(actor, card.id, reason),
            lambda view: self._reload(view, self.tr("The card is cancelled.")),
            self._failed,
            busy=[self.cancel_button],
        )

    # -- printing ------------------------------------------------------------------------------------------
    def print_card(self) -> None:
        card = self.panel.card
        if card is not None:
            print_gift_card(self, card, self._failed)

    # -- camera --------------------------------------------------------------------------------------------
    def _toggle_camera(self, on: bool) -> None:
        if on:
            from ui.scan.camera import CameraView

            if self.camera is None:
                self.camera = CameraView(self)
                self.camera.setFixedWidth(420)
                self.camera.code_read.connect(self.find_scanned)
                self.camera.foreign_code.connect(
                    lambda _t: self.message.setText(self.tr("That QR code is not one of our gift cards."))
                )
                self.camera.error.connect(self.message.setText)
                self.camera_holder.addWidget(self.camera)
            self.camera.show()
            self.camera.start(camera_source())
        elif self.camera is not None:
            self.camera.stop()
            self.camera.hide()

    # -- selling -------------------------------------------------------------------------------------------
    def _update_sell_total(self) -> None:
        try:
            fils = parse_aed(self.sell_amount.text()) * self.quantity.value()
        except DomainError:
            self.sell_total.setText("")
            return
        self.sell_total.setText(self.tr("To pay: %1 (no VAT on gift cards)").replace("%1", money(fils)))

    def sell(self) -> None:
        actor = self._actor
        if actor is None:
            return
        try:
            fils = parse_aed(self.sell_amount.text())
        except DomainError as error:
            say(self.sell_result, error_text(error), error=True)
            return
        count = self.quantity.value() if self.quantity.isVisible() else 1
        purchaser_text = self.purchaser.text().strip()
        request_values = {
            "amount_fils": fils,
            "occasion": str(self.occasion.currentData()),
            "recipient_name": self.recipient.text(),
            "from_name": self.from_name.text(),
            "message": self.card_message.toPlainText(),
            "validity_months": self.validity.value(),
        }
        total = money(fils * count)
        question = self.tr("Sell %n card(s) for %1 in total?", "", count).replace("%1", total)
        if not self._confirm(self.tr("Sell gift card"), question):
            return
        services = self._services

        def run() -> list[GiftCardView]:
            purchaser_id = None
            if purchaser_text:
                hits = services.customers.search(purchaser_text, limit=2)
                if len(hits) != 1:
                    raise DomainError(
                        QT_TRANSLATE_NOOP(
                            "core",
                            "Type the purchaser's customer number or full mobile so exactly one customer matches.",
                        ),
                        "purchaser",
                    )
                purchaser_id = hits[0].id
            request = IssueRequest(purchaser_customer_id=purchaser_id, **request_values)  # type: ignore[arg-type]
            if count > 1 and purchaser_id is not None:
                return services.giftcards.issue_bulk(actor, purchaser_id, count, request)
            if count > 1:
                raise DomainError(
                    QT_TRANSLATE_NOOP("core", "Several cards at once are sold to a corporate customer: enter one."),
                    "purchaser",
                )
            return [services.giftcards.issue(actor, request)]

        run_in_background(run, self._sold, self._sell_failed, busy=[self.sell_button])

    def _sold(self, cards: list[GiftCardView]) -> None:
        first = cards[0]
        text = self.tr("Sold %n card(s). Code: %1", "", len(cards)).replace("%1", ltr(first.code))
        say(self.sell_result, text)
        self.clear_card()
        self.panel.show_card(first, [])
        self._reload(first, text, sold=cards)
        self.tabs.setCurrentIndex(0)

    def _sell_failed(self, error: BaseException) -> None:
        show_refusal(self.sell_result, error, error_text)
        self.banner.failure(self.sell_result.text())

    # -- language ------------------------------------------------------------------------------------------
    def retranslate(self) -> None:
        self.tabs.setTabText(0, self.tr("Find and redeem (F2)"))
        self.tabs.setTabText(1, self.tr("Sell"))
        self.code_edit.setPlaceholderText(self.tr("Scan the card, or type its code: PO-XXXX-XXXX-XXXX"))
        self.find_button.setText(self.tr("Find"))
        self.camera_button.setText(self.tr("Camera"))
        self.amount.setPlaceholderText(self.tr("Amount to take, e.g. 250"))
        self.redeem_button.setText(self.tr("Redeem"))
        self.refund_button.setText(self.tr("Refund to card"))
        self.cancel_button.setText(self.tr("Cancel card"))
        self.print_button.setText(self.tr("Print card"))
        for button in self.preset_buttons:
            button.setText(money(int(button.property("fils"))))
        captions = [
            self.tr("Quick amounts"),
            self.tr("Amount (AED)"),
            self.tr("Occasion"),
            self.tr("Recipient"),
            self.tr("From"),
            self.tr("Message"),
            self.tr("Valid for (months)"),
            self.tr("Purchaser (customer number or mobile, optional)"),
        ]
        for label, caption in zip(self.sell_labels, captions, strict=True):
            label.setText(caption)
        self.quantity_label.setText(self.tr("Number of cards (corporate)"))
        self.sell_button.setText(self.tr("Sell card"))
        current = self.occasion.currentData()
        self.occasion.clear()
        for occasion in Occasion:
            self.occasion.addItem(occasion_text(occasion), occasion.value)
        if current is not None:
            self.occasion.setCurrentIndex(max(0, self.occasion.findData(current)))
        self._update_sell_total()


def print_gift_card(parent: QWidget, card: GiftCardView, on_error: Callable[[BaseException], None]) -> None:
    """Renders the card face off the main thread, then opens Qt's print dialog (print or save as PDF)."""
    from ui.cards.layouts import CardFace, render_card
    from ui.cards.printing import print_card

    face = CardFace(
        code=card.code,
        amount_fils=card.initial_fils,
        expires_on=card.expires_on,
        recipient_name=card.recipient_name or "",
        from_name=card.from_name or "",
        message=card.message or "",
        occasion=card.occasion.value,
    )

    def ask_and_print(image: Image) -> None:
        print_card(image, parent)  # False when the cashier cancels the dialog: nothing more to do

    run_in_background(lambda: render_card(face, "cr80"), ask_and_print, on_error)
