"""An order's detail, its receipt (reprinted from here; a return prints its credit note), and returning some
or all of its goods."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, Signal
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from core.app import AppServices
from core.purchases.model import OrderKind, OrderView, ReturnDraft, ReturnLineDraft, ReturnResult
from core.staff.auth import Actor, Permission
from ui import loyalty_labels as names
from ui.dialogs import ask
from ui.i18n import error_text, ltr, money, number, show_refusal
from ui.ops import run_in_background
from ui.receipts.preview import ReceiptPreview
from ui.receipts.sources import order_source
from ui.widgets.digits import DigitSpinBox
from ui.widgets.forms import say
from ui.widgets.named import make_button, make_label, named
from ui.widgets.plain import plain_labels
from ui.widgets.tables import read_only_table, set_row


class OrderDialog(QDialog):
    """Shows one order. For a sale, a return of chosen quantities (staff allowed to take returns)."""

    returned = Signal(object)  # ReturnResult

    def __init__(
        self,
        services: AppServices,
        actor: Actor,
        order: OrderView,
        parent: QWidget | None = None,
        confirm: Callable[[QWidget, str, str], bool] | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("orderDialog")
        self.resize(980, 660)
        self._services = services
        self._actor = actor
        self._order = order
        self._confirm = confirm or ask
        self.receipt = named(ReceiptPreview(self), "receipt")
        self.table = read_only_table(self, 4, "returnLines")
        self.reason = named(QLineEdit(self), "returnReason")
        self.return_button = make_button(self, "primary")
        self.close_button = QPushButton(self)
        self.message = make_label(self, "message", wrap=True)
        self.spins: list[tuple[str, QSpinBox]] = []
        # The slip beside the return: both stay readable at the till's 768 px height.
        outer = QHBoxLayout(self)
        outer.addWidget(self.receipt)
        layout = QVBoxLayout()
        outer.addLayout(layout, 1)
        self.return_title = make_label(self, "sectionTitle")
        layout.addWidget(self.return_title)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.reason)
        buttons = QHBoxLayout()
        buttons.addWidget(self.message, 1)
        buttons.addWidget(self.close_button)
        buttons.addWidget(self.return_button)
        layout.addLayout(buttons)
        self.return_button.clicked.connect(self.take_return)
        self.close_button.clicked.connect(self.accept)
        self.show_order(order)
        self.retranslate()
        plain_labels(self)

    def show_order(self, order: OrderView, notes: list[str] | None = None, *, new: bool = False) -> None:
        """``new``: a return just recorded, whose credit note prints at once when the till prints automatically."""
        self._order = order
        self.receipt.show_source(order_source(self._services, self._actor, order.id), notes or [], new=new)
        returnable = [line for line in order.lines if line.returnable > 0] if order.kind == OrderKind.SALE else []
        self.table.setRowCount(len(returnable))
        self.spins = []
        for row, line in enumerate(returnable):
            set_row(self.table, row, [line.name, number(line.quantity), number(line.returnable)])
            spin = DigitSpinBox(self.table)
            spin.setRange(0, line.returnable)
            self.table.setCellWidget(row, 3, spin)
            self.spins.append((line.id, spin))
        can_return = bool(returnable) and self._actor.can(Permission.PROCESS_RETURNS)
        for widget in (self.table, self.reason, self.return_button, self.return_title):
            widget.setVisible(can_return)

    def take_return(self) -> None:
        lines = tuple(ReturnLineDraft(line_id, spin.value()) for line_id, spin in self.spins if spin.value())
        if not lines:
            say(self.message, self.tr("Choose how many of each item come back."), error=True)
            return
        count = sum(item.quantity for item in lines)
        question = self.tr("Return %n item(s) from order %1?", "", count).replace("%1", ltr(self._order.number))
        if not self._confirm(self, self.tr("Return"), question):
            return
        draft = ReturnDraft(self._order.id, lines, self.reason.text())
        actor = self._actor
        run_in_background(
            lambda: self._services.purchases.record_return(actor, draft),
            self._returned,
            self._failed,
            busy=[self.return_button],
        )

    def _returned(self, result: ReturnResult) -> None:
        notes = []
        refunds = [f"{names.tender(t)} {money(v)}" for t, v in result.refunds.items() if v and t != "points"]
        if refunds:
            notes.append(self.tr("Give back: %1").replace("%1", " · ".join(refunds)))
        if result.deducted_fils:
            notes.append(
                self.tr("%1 kept for points already spent from this purchase.").replace(
                    "%1", money(result.deducted_fils)
                )
            )
        say(self.message, self.tr("Return recorded."))
        self.reason.clear()
        self.show_order(result.order, notes, new=True)
        self.returned.emit(result)

    def _failed(self, error: BaseException) -> None:
        show_refusal(self.message, error, error_text)

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Order %1").replace("%1", self._order.number))
        self.return_title.setText(self.tr("Return goods"))
        self.table.setHorizontalHeaderLabels(
            [self.tr("Product"), self.tr("Bought"), self.tr("Can return"), self.tr("Return now")]
        )
        self.reason.setPlaceholderText(self.tr("Reason (optional)"))
        self.return_button.setText(self.tr("Return selected items"))
        self.close_button.setText(self.tr("Close"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)


__all__ = ["OrderDialog"]
