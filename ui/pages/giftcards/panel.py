"""One gift card on screen: its balance in big type, its terms, and every event that explains the balance."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QGridLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from core.giftcards.service import CardStatus, GiftCardView, LedgerLine, Occasion, TxKind
from ui.i18n import Retranslating, date_text, datetime_text, in_ui_direction, local_name, ltr, money
from ui.widgets.named import make_label
from ui.widgets.plain import plain_labels
from ui.widgets.tables import read_only_table, set_row


def status_text(status: CardStatus) -> str:
    return {
        CardStatus.ACTIVE: QCoreApplication.translate("GiftCardPanel", "Active"),
        CardStatus.DEPLETED: QCoreApplication.translate("GiftCardPanel", "Used up"),
        CardStatus.EXPIRED: QCoreApplication.translate("GiftCardPanel", "Expired"),
        CardStatus.CANCELLED: QCoreApplication.translate("GiftCardPanel", "Cancelled"),
    }[status]


def occasion_text(occasion: Occasion | str) -> str:
    return {
        Occasion.PLAIN: QCoreApplication.translate("GiftCardPanel", "Plain"),
        Occasion.BIRTHDAY: QCoreApplication.translate("GiftCardPanel", "Birthday"),
        Occasion.WEDDING: QCoreApplication.translate("GiftCardPanel", "Wedding"),
        Occasion.EID: QCoreApplication.translate("GiftCardPanel", "Eid"),
        Occasion.RAMADAN: QCoreApplication.translate("GiftCardPanel", "Ramadan"),
        Occasion.NATIONAL_DAY: QCoreApplication.translate("GiftCardPanel", "UAE National Day"),
        Occasion.CORPORATE: QCoreApplication.translate("GiftCardPanel", "Corporate"),
    }[Occasion(occasion)]


def kind_text(kind: TxKind) -> str:
    return {
        TxKind.ISSUE: QCoreApplication.translate("GiftCardPanel", "Sold"),
        TxKind.REDEEM: QCoreApplication.translate("GiftCardPanel", "Redeemed"),
        TxKind.REFUND: QCoreApplication.translate("GiftCardPanel", "Refund to card"),
        TxKind.CANCEL: QCoreApplication.translate("GiftCardPanel", "Cancelled"),
        TxKind.EXPIRE: QCoreApplication.translate("GiftCardPanel", "Expired"),
        TxKind.ADJUST: QCoreApplication.translate("GiftCardPanel", "Adjustment"),
    }[kind]


class GiftCardPanel(Retranslating, QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.card: GiftCardView | None = None
        self.lines: list[LedgerLine] = []
        self.code = make_label(self, "cardCode")
        self.code.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.status = make_label(self, "cardStatus")
        self.balance_caption = QLabel(self)
        self.balance = make_label(self, "bigTotal")
        self.terms = make_label(self, wrap=True)
        self.ledger_caption = make_label(self, "sectionTitle")
        self.ledger = read_only_table(self, 6, "cardLedger", stretch=5)
        grid = QGridLayout()
        grid.addWidget(self.code, 0, 0)
        grid.addWidget(self.status, 0, 1, Qt.AlignmentFlag.AlignRight)
        grid.addWidget(self.balance_caption, 1, 0, 1, 2)
        grid.addWidget(self.balance, 2, 0, 1, 2)
        grid.addWidget(self.terms, 3, 0, 1, 2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(grid)
        layout.addWidget(self.ledger_caption)
        layout.addWidget(self.ledger, 1)
        self.retranslate()
        plain_labels(self)

    def show_card(self, card: GiftCardView, lines: list[LedgerLine]) -> None:
        self.card, self.lines = card, lines
        self._render()

    def clear(self) -> None:
        self.card, self.lines = None, []
        self._render()

    def _render(self) -> None:
        card = self.card
        self.setVisible(card is not None)
        if card is None:
            self.ledger.setRowCount(0)
            return
        self.code.setText(in_ui_direction(ltr(card.code)))
        self.status.setText(status_text(card.status))
        self.status.setProperty("state", card.status.value)
        self.status.style().unpolish(self.status)
        self.status.style().polish(self.status)
        self.balance.setText(money(card.balance_fils))
        parts = [
            self.tr("Sold for %1").replace("%1", money(card.initial_fils)),
            self.tr("valid until %1").replace("%1", date_text(card.expires_on)),
            occasion_text(card.occasion),
        ]
        if card.recipient_name:
            parts.append(self.tr("for %1").replace("%1", card.recipient_name))
        if card.pending_offline_fils:
            parts.append(self.tr("%1 awaiting head office").replace("%1", money(card.pending_offline_fils)))
        text = " · ".join(parts)
        if card.message:
            text += "\n\u2068“" + card.message + "”\u2069"
        self.terms.setText(text)
        self.ledger.setRowCount(len(self.lines))
        for row, line in enumerate(reversed(self.lines)):  # newest first
            cells = [
                datetime_text(line.at),
                kind_text(line.kind) + (" ⏳" if line.offline_pending else ""),
                money(line.amount_fils),
                money(line.running_fils),
                local_name(line.branch_name, line.branch_name_ar),
                " · ".join(x for x in (local_name(line.staff_name, line.staff_name_ar), line.reason or "") if x),
            ]
            set_row(self.ledger, row, cells, numeric=(2, 3))
        self.ledger.resizeColumnsToContents()

    def retranslate(self) -> None:
        self.balance_caption.setText(self.tr("Balance"))
        self.ledger_caption.setText(self.tr("Explain this balance: every event, newest first"))
        self.ledger.setHorizontalHeaderLabels(
            [
                self.tr("When"),
                self.tr("What"),
                self.tr("Amount"),
                self.tr("Balance after"),
                self.tr("Branch"),
                self.tr("Staff · reason"),
            ]
        )
        self._render()
