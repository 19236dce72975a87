"""An order's detail, its receipt, and returning some or all of its goods."""

from __future__ import annotations

from collections.abc import Callable
from html import escape

from PySide6.QtCore import QCoreApplication, QEvent, Signal
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from core.app import AppServices
from core.purchases.model import OrderKind, OrderView, ReturnDraft, ReturnLineDraft, ReturnResult, Tender
from core.staff.auth import Actor, Permission
from ui import loyalty_labels as names
from ui.dialogs import ask
from ui.i18n import datetime_text, error_text, is_arabic, ltr, money, number, show_refusal
from ui.ops import run_in_background
from ui.widgets.forms import say
from ui.widgets.named import make_button, make_label, named
from ui.widgets.plain import plain_labels
from ui.widgets.tables import read_only_table, set_row


def receipt_html(order: OrderView, notes: list[str] | None = None) -> str:
    """A receipt as simple HTML (the QTextBrowser lays it out right to left in Arabic)."""
    arabic = is_arabic()
    if order.kind == OrderKind.RETURN:
        title = QCoreApplication.translate("Receipt", "Return receipt")
    else:
        title = QCoreApplication.translate("Receipt", "Sale receipt")
    words = {
        "net": QCoreApplication.translate("Receipt", "Net"),
        "vat": QCoreApplication.translate("Receipt", "VAT 5 %"),
        "total": QCoreApplication.translate("Receipt", "Total"),
        "change": QCoreApplication.translate("Receipt", "Change"),
    }
    branch = (order.branch_name_ar if arabic else "") or order.branch_name
    staff = (order.staff_name_ar if arabic else "") or order.staff_name
    customer = (order.customer_name_ar if arabic else order.customer_name_en) or order.customer_name_en

    def pair(label: str, value: str, bold: bool = False) -> str:
        if bold:
            label, value = f"<b>{label}</b>", f"<b>{value}</b>"
        return f"<tr><td>{label}</td><td align='right'>{value}</td></tr>"

    rows = []
    for line in order.lines:
        size = f" · {names.ml(line.size_ml)}" if line.size_ml else ""
        rows.append(
            f"<tr><td>{escape(line.name)}{escape(size)}<br/><small>{escape(ltr(line.sku))}</small></td>"
            f"<td align='center'>{number(abs(line.quantity))} × {money(line.unit_price_fils)}</td>"
            f"<td align='right'>{money(line.net_fils)}</td></tr>"
        )
    paid = [pair(escape(names.tender(t)), money(abs(order.tender(t)))) for t in Tender if order.tender(t)]
    change = int(order.tenders.get("change", 0) or 0)
    if change:
        paid.append(pair(escape(words["change"]), money(change)))
    points = []
    if order.points_redeemed > 0:
        used = QCoreApplication.translate("Receipt", "Points used: %1")
        points.append(used.replace("%1", number(order.points_redeemed)))
    elif order.points_redeemed < 0:  # a return gives spent points back
        back = QCoreApplication.translate("Receipt", "Points given back: %1")
        points.append(back.replace("%1", number(-order.points_redeemed)))
    if order.points_earned > 0:
        earned = QCoreApplication.translate("Receipt", "Points earned: %1")
        points.append(earned.replace("%1", number(order.points_earned)))
    elif order.points_earned < 0:  # ... and takes back what the goods earned
        taken = QCoreApplication.translate("Receipt", "Points taken back: %1")
        points.append(taken.replace("%1", number(-order.points_earned)))
    if order.bonus_points:
        bonus = QCoreApplication.translate("Receipt", "Tier bonus: %1")
        points.append(bonus.replace("%1", number(order.bonus_points)))
    extra = "".join(f"<p>{escape(n)}</p>" for n in (points + (notes or [])))
    who = ""
    if customer:
        label = QCoreApplication.translate("Receipt", "Customer: %1").replace("%1", customer)
        who = f"<p>{escape(label)}</p>"
    totals = (
        pair(escape(words["net"]), money(order.net_fils))
        + pair(escape(words["vat"]), money(order.vat_fils))
        + pair(escape(words["total"]), money(order.total_fils), bold=True)
    )
    return (
        "<div style=\"font-family: 'Noto Sans', 'Noto Sans Arabic'\">"
        f"<h3 align='center'>{escape(branch)}</h3>"
        f"<p align='center'><b>{escape(title)}</b> {escape(ltr(order.number))}<br/>"
        f"{escape(datetime_text(order.created_at))} · {escape(staff)}</p>{who}"
        f"<table width='100%' cellspacing='4'>{''.join(rows)}</table><hr/>"
        f"<table width='100%' cellspacing='2'>{totals}</table><hr/>"
        f"<table width='100%'>{''.join(paid)}</table>{extra}</div>"
    )


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
        self.resize(760, 640)
        self._services = services
        self._actor = actor
        self._order = order
        self._confirm = confirm or ask
        self.receipt = named(QTextBrowser(self), "receipt")
        self.receipt.document().setDefaultFont(self.font())
        self.table = read_only_table(self, 4, "returnLines")
        self.reason = named(QLineEdit(self), "returnReason")
        self.return_button = make_button(self, "primary")
        self.close_button = QPushButton(self)
        self.message = make_label(self, "message", wrap=True)
        self.spins: list[tuple[str, QSpinBox]] = []
        layout = QVBoxLayout(self)
        layout.addWidget(self.receipt, 3)
        self.return_title = make_label(self, "sectionTitle")
        layout.addWidget(self.return_title)
        layout.addWidget(self.table, 2)
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

    def show_order(self, order: OrderView, notes: list[str] | None = None) -> None:
        self._order = order
        self.receipt.setHtml(receipt_html(order, notes))
        returnable = [line for line in order.lines if line.returnable > 0] if order.kind == OrderKind.SALE else []
        self.table.setRowCount(len(returnable))
        self.spins = []
        for row, line in enumerate(returnable):
            set_row(self.table, row, [line.name, number(line.quantity), number(line.returnable)])
            spin = QSpinBox(self.table)
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
        self.show_order(result.order, notes)
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
            self.receipt.setHtml(receipt_html(self._order))
        super().changeEvent(event)


__all__ = ["OrderDialog", "receipt_html"]
