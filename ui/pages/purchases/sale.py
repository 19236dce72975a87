"""The till: pick the customer, ring up lines, split the tenders, one confirmation, then the receipt.
Returns start from an order's detail (by receipt number or from the customer's recent orders).

Keyboard and scanner first: a wedge scanner's burst anywhere on the page adds the product whose barcode or SKU
it read (again: one more of it), or, when it read one of our gift cards, puts the card in the gift-card tender;
Enter in Qty adds the line. The gift-card tender shows the card's balance as soon as a whole code is there
(looked up off the main thread, once the typing pauses). Outcomes show in the banner at the top."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QHideEvent, QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from core.app import AppServices
from core.campaigns.offers import normalize_offer_code
from core.customers.model import CustomerSummary
from core.giftcards.codes import NotAGiftCardCode, normalize_code
from core.kernel.errors import DomainError, NotFound, ValidationError
from core.kernel.money import fils_to_text, parse_aed
from core.kernel.text import ascii_digits
from core.loyalty.service import LoyaltyCard
from core.purchases.model import LineDraft, OrderView, Quote, SaleDraft, SaleResult, TenderDraft, price_line
from core.purchases.ports import OfferTerms
from core.purchases.products import CATALOG, Family, Product
from core.staff.auth import Actor, Permission
from ui import loyalty_labels as names
from ui.dialogs import ask
from ui.i18n import error_text, errors_text, is_arabic, local_name, ltr, money, number, phone_text, show_refusal
from ui.ops import Latest, run_in_background
from ui.pages.base import ServicePage
from ui.pages.purchases.feedback_dialog import QuickFeedbackDialog
from ui.pages.purchases.gift_tender import GiftCardTenderBox
from ui.pages.purchases.order_dialog import OrderDialog
from ui.receipts.preview import ReceiptPreview
from ui.receipts.sources import order_source
from ui.scan.layouts import arabic_readings, typed_through_arabic
from ui.widgets.banner import Banner
from ui.widgets.digits import DigitSpinBox
from ui.widgets.named import make_button, make_label, named
from ui.widgets.plain import plain_labels
from ui.widgets.tables import read_only_table, set_empty_text, set_row

if TYPE_CHECKING:  # loads with the page's first showing
    from ui.scan.wedge import WedgeScanner

DEBOUNCE_MS = 150


def is_gift_card_scan(text: str) -> bool:
    """Whether a scan names one of our gift cards (to the gift-card tender) rather than a product.

    Digits only are a product's barcode; a whole code, or text that starts like one of ours (``PO``, our URL)
    but is mistyped, is a card, so the cashier hears what is wrong with the card."""
    typed = ascii_digits(text).strip()
    if not typed or typed.isdigit():
        return False
    try:
        normalize_code(typed)
    except NotAGiftCardCode:
        return False
    except ValidationError:
        lowered = typed.lower()
        return lowered.startswith("po") or "perfumeoud.ae" in lowered
    return True


def offer_readings(text: str) -> list[str]:
    """The codes a typed offer code may be. Through the Arabic layout a lam-alef is one key or two (B, or G then
    H), so the text may read several ways: those shaped like a code, the one-key readings first; none shaped
    like one gives the first reading, for the message saying what a code looks like."""
    if not typed_through_arabic(list(text)):
        return [text]
    readings = arabic_readings(text)
    codes: list[str] = []
    for reading in readings:
        try:
            code = normalize_offer_code(reading)
        except ValidationError:
            continue
        if code not in codes:
            codes.append(code)
    return codes or readings[:1]


class SalePage(ServicePage):
    sale_recorded = Signal(object)  # SaleResult

    def __init__(self, services: AppServices, parent: QWidget | None = None) -> None:
        super().__init__(services, "salePage", parent)
        self._customer: CustomerSummary | None = None
        self._lines: list[LineDraft] = []
        self._quote: Quote | None = None
        self._quoting = Latest()
        self._searching = Latest()
        self._orders: list[OrderView] = []
        self._card: LoyaltyCard | None = None
        self._offer: OfferTerms | None = None  # the campaign offer code taken, once checked
        self._scanned_row: int | None = None
        self._wedge: WedgeScanner | None = None
        self.confirm: Callable[[QWidget, str, str], bool] = ask
        self.dialog: OrderDialog | None = None
        self.feedback_dialog: QuickFeedbackDialog | None = None
        self.last_result: SaleResult | None = None
        self.banner = Banner(self)

        left = QVBoxLayout()
        # Above the customer, not across the page: the lines table gives up the height while it shows, and
        # the payment column, the page's tallest in Arabic, keeps its own.
        left.addWidget(self.banner)
        left.addWidget(self._build_customer())
        left.addWidget(self._build_entry())
        left.addWidget(self._build_lines(), 1)
        left.addWidget(self._build_orders())
        paying = QWidget(self)
        paying_layout = QVBoxLayout(paying)
        paying_layout.setContentsMargins(0, 0, 0, 0)
        paying_layout.addWidget(self._build_totals())
        paying_layout.addWidget(self._build_tenders())
        paying_layout.addStretch(1)
        # While a sale is rung up the right side takes payment; once recorded it shows the receipt.
        self.right_stack = QStackedWidget(self)
        self.right_stack.addWidget(paying)
        self.right_stack.addWidget(self._build_receipt())
        right = QVBoxLayout()
        right.addWidget(self.right_stack, 1)
        layout = QHBoxLayout(self)
        layout.addLayout(left, 3)
        layout.addLayout(right, 2)

        self._search_timer = QTimer(self, singleShot=True, interval=DEBOUNCE_MS)
        self._search_timer.timeout.connect(self.search_customers)
        self._quote_timer = QTimer(self, singleShot=True, interval=DEBOUNCE_MS)
        self._quote_timer.timeout.connect(self.refresh_quote)
        QShortcut(QKeySequence("Ctrl+Return"), self, self.complete)
        QShortcut(QKeySequence("Ctrl+K"), self, self._focus_offer)
        self.retranslate()
        self._show_quote()
        plain_labels(self)

    # -- layout ---------------------------------------------------------------------------------------------------
    def _build_customer(self) -> QWidget:
        box = QGroupBox(self)
        self.customer_box = box
        self.customer_search = named(QLineEdit(box), "saleCustomerSearch")
        self.customer_search.setClearButtonEnabled(True)
        self.customer_results = named(QListWidget(box), "saleCustomerResults")
        self.customer_results.setMaximumHeight(140)
        self.customer_results.hide()
        self.customer_label = make_label(box, "saleCustomer", wrap=True)
        self.walk_in_button = QPushButton(box)
        # The customer's campaign code sits with the customer (it is theirs), on the same rows: both columns
        # of the page are at their height limit in Arabic. The payment column shows what the code takes off.
        self.offer_edit = named(QLineEdit(box), "offerCode")
        self.offer_edit.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
        self.offer_edit.setClearButtonEnabled(True)
        self.offer_edit.setMaximumWidth(220)
        self.offer_button = QPushButton(box)
        self.offer_text = make_label(box, "saleOffer", wrap=True)
        self.offer_text.hide()
        grid = QGridLayout(box)
        grid.addWidget(self.customer_search, 0, 0)
        grid.addWidget(self.walk_in_button, 0, 1)
        grid.addWidget(self.offer_edit, 0, 2)
        grid.addWidget(self.offer_button, 0, 3)
        grid.addWidget(self.customer_results, 1, 0, 1, 4)
        grid.addWidget(self.customer_label, 2, 0, 1, 2)
        grid.addWidget(self.offer_text, 2, 2, 1, 2)
        grid.setColumnStretch(0, 1)
        self.offer_edit.returnPressed.connect(self.apply_offer)
        self.offer_button.clicked.connect(self.apply_offer)
        self.offer_edit.textEdited.connect(self._offer_edited)
        self.customer_search.textChanged.connect(lambda _t: self._search_timer.start())
        self.customer_search.returnPressed.connect(self._pick_first)
        self.customer_results.itemActivated.connect(self._pick_item)
        self.customer_results.itemClicked.connect(self._pick_item)
        self.walk_in_button.clicked.connect(lambda: self.set_customer(None))
        return box

    def _build_orders(self) -> QWidget:
        box = QGroupBox(self)
        self.orders_box = box
        self.recent_orders = named(QListWidget(box), "recentOrders")
        self.recent_orders.setMaximumHeight(64)
        self.order_number = named(QLineEdit(box), "orderNumber")
        self.order_number.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
        self.open_order_button = QPushButton(box)
        layout = QVBoxLayout(box)
        layout.addWidget(self.recent_orders)
        find = QHBoxLayout()
        find.addWidget(self.order_number, 1)
        find.addWidget(self.open_order_button)
        layout.addLayout(find)
        self.recent_orders.itemActivated.connect(self._open_recent)
        self.recent_orders.itemDoubleClicked.connect(self._open_recent)
        self.order_number.returnPressed.connect(self.open_order_by_number)
        self.open_order_button.clicked.connect(self.open_order_by_number)
        return box

    def _build_entry(self) -> QWidget:
        box = QGroupBox(self)
        self.entry_box = box
        self.scan_edit = named(QLineEdit(box), "productScan")
        self.scan_edit.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
        self.scan_edit.setClearButtonEnabled(True)
        self.product_pick = named(QComboBox(box), "productPick")
        # As wide as its place, not as its longest product: the catalog's names must not widen the till.
        self.product_pick.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.product_pick.setMinimumContentsLength(24)
        self.sku_edit = QLineEdit(box)
        self.sku_edit.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
        self.name_edit = QLineEdit(box)
        self.brand_edit = QLineEdit(box)
        self.family_combo = QComboBox(box)
        self.size_spin = DigitSpinBox(box)
        self.size_spin.setRange(0, 5000)
        self.qty_spin = DigitSpinBox(box)
        self.qty_spin.setRange(-999, 999)  # the core refuses what is not 1 to 999, in words
        self.qty_spin.setValue(1)
        self.price_edit = named(QLineEdit(box), "unitPrice")
        self.add_button = make_button(box, "addLine")
        self.line_error = make_label(box, "error", wrap=True)
        self.line_error.hide()
        self.entry_labels = [QLabel(box) for _ in range(8)]
        sku, name, brand, family, size, qty, price = self.entry_labels[1:]
        self.scan_label = QLabel(box)
        grid = QGridLayout()
        grid.addWidget(self.scan_label, 0, 0)
        grid.addWidget(self.scan_edit, 0, 1, 1, 3)
        grid.addWidget(self.entry_labels[0], 0, 4)
        grid.addWidget(self.product_pick, 0, 5, 1, 4)
        grid.addWidget(sku, 1, 0)
        grid.addWidget(self.sku_edit, 1, 1)
        grid.addWidget(name, 1, 2)
        grid.addWidget(self.name_edit, 1, 3, 1, 3)
        grid.addWidget(brand, 1, 6)
        grid.addWidget(self.brand_edit, 1, 7)
        for col, (label, widget) in enumerate(
            ((family, self.family_combo), (size, self.size_spin), (qty, self.qty_spin), (price, self.price_edit))
        ):
            grid.addWidget(label, 2, col * 2)
            grid.addWidget(widget, 2, col * 2 + 1)
        grid.addWidget(self.add_button, 2, 8)
        grid.addWidget(self.line_error, 3, 0, 1, 9)
        for col in (1, 3, 5, 7):
            grid.setColumnStretch(col, 1)
        layout = QVBoxLayout(box)
        layout.addLayout(grid)
        self.product_pick.activated.connect(self._product_chosen)
        self.add_button.clicked.connect(self.add_line)
        self.price_edit.returnPressed.connect(self.add_line)
        qty_line = self.qty_spin.lineEdit()
        assert qty_line is not None
        qty_line.returnPressed.connect(self.add_line)
        self.scan_edit.returnPressed.connect(lambda: self.scan(self.scan_edit.text()))
        return box

    def _build_lines(self) -> QWidget:
        box = QGroupBox(self)
        self.lines_box = box
        self.lines_table = read_only_table(box, 6, "saleLines", rows=True, tall_rows=True)
        self.lines_table.setMinimumHeight(120)
        self.remove_button = QPushButton(box)
        layout = QHBoxLayout(box)
        layout.addWidget(self.lines_table, 1)
        layout.addWidget(self.remove_button, 0, Qt.AlignmentFlag.AlignBottom)
        self.remove_button.clicked.connect(self.remove_line)
        return box

    def _build_totals(self) -> QWidget:
        box = QGroupBox(self)
        self.totals_box = box
        self.net_label = QLabel(box)
        self.vat_label = QLabel(box)
        self.total_label = make_label(box, "saleTotal")
        self.total_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.points_label = make_label(box, "saleEarn", wrap=True)
        layout = QVBoxLayout(box)
        layout.setSpacing(4)
        row = QHBoxLayout()
        row.addWidget(self.net_label)
        row.addStretch(1)
        row.addWidget(self.vat_label)
        layout.addLayout(row)
        layout.addWidget(self.total_label)
        layout.addWidget(self.points_label)
        box.setSizePolicy(box.sizePolicy().horizontalPolicy(), QSizePolicy.Policy.Maximum)
        return box

    def _build_tenders(self) -> QWidget:
        box = QGroupBox(self)
        self.tenders_box = box
        self.cash_edit = named(QLineEdit(box), "tenderCash")
        self.card_edit = named(QLineEdit(box), "tenderCard")
        self.gift_tender = GiftCardTenderBox(self._services, box)
        self.gift_tender.due = lambda: self._quote.due_fils if self._quote is not None else None
        self.gift_code_edit = self.gift_tender.code_edit
        self.gift_amount_edit = self.gift_tender.amount_edit
        self.gift_balance = self.gift_tender.balance
        self.points_spin = named(DigitSpinBox(box), "tenderPoints")
        self.points_spin.setRange(0, 10_000_000)
        self.points_hint = make_label(box, "hint", wrap=True)
        self.rest_card_button = QPushButton(box)
        self.rest_cash_button = QPushButton(box)
        self.due_label = make_label(box, "saleDue")
        self.due_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.complete_button = make_button(box, "primary")
        self.message = make_label(box, "error", wrap=True)
        form = QFormLayout()
        self.tender_labels = [QLabel(box) for _ in range(5)]
        tenders: tuple[QWidget | QLayout, ...] = (
            self.cash_edit,
            self.card_edit,
            self.gift_tender,
            self.points_spin,
            self.points_hint,
        )
        for label, item in zip(self.tender_labels, tenders, strict=True):
            form.addRow(label, item)
        form.insertRow(3, self.gift_balance)  # the card's balance, under its code and amount, full width
        layout = QVBoxLayout(box)
        layout.addLayout(form)
        quick = QHBoxLayout()
        quick.addWidget(self.rest_card_button)
        quick.addWidget(self.rest_cash_button)
        layout.addLayout(quick)
        layout.addWidget(self.due_label)
        layout.addWidget(self.message)
        layout.addWidget(self.complete_button)
        for edit in (self.cash_edit, self.card_edit):
            edit.textChanged.connect(lambda _t: self._quote_timer.start())
        self.gift_tender.changed.connect(lambda: self._quote_timer.start())
        self.gift_tender.refused.connect(self.banner.failure)
        self.points_spin.valueChanged.connect(lambda _v: self._quote_timer.start())
        self.rest_card_button.clicked.connect(lambda: self._pay_rest(self.card_edit))
        self.rest_cash_button.clicked.connect(lambda: self._pay_rest(self.cash_edit))
        self.complete_button.clicked.connect(self.complete)
        return box

    def _build_receipt(self) -> QWidget:
        box = QGroupBox(self)
        self.receipt_box = box
        self.receipt = named(ReceiptPreview(box), "receipt")
        self.new_sale_button = QPushButton(box)
        self.feedback_button = named(QPushButton(box), "askFeedback")
        layout = QVBoxLayout(box)
        layout.addWidget(self.receipt, 1)
        layout.addWidget(self.feedback_button)
        layout.addWidget(self.new_sale_button)
        self.new_sale_button.clicked.connect(self.new_sale)
        self.feedback_button.clicked.connect(self.ask_feedback)
        QShortcut(QKeySequence("Ctrl+R"), box, self.ask_feedback)
        return box

    def ask_feedback(self) -> None:
        """The customer's score for the sale just recorded, on the quick dialog (core.feedback)."""
        result, actor = self.last_result, self._actor
        if result is None or actor is None or self.right_stack.currentWidget() is not self.receipt_box:
            return
        dialog = QuickFeedbackDialog(self._services, actor, result.order.id, self)
        self.feedback_dialog = dialog
        dialog.finished.connect(lambda _code: self._feedback_done(dialog))
        dialog.open()

    def _feedback_done(self, dialog: QuickFeedbackDialog) -> None:
        saved = dialog.result_value
        if saved is not None:
            text = self.tr("Feedback saved.")
            if saved.points:
                text = self.tr("Feedback saved: %1 points for the customer.").replace("%1", number(saved.points))
            self.banner.success(text)
        self.new_sale_button.setFocus()

    # -- who is selling, to whom ----------------------------------------------------------------------------------
    def set_actor(self, actor: Actor | None) -> None:
        self._actor = actor
        self.gift_tender.actor = actor
        self.new_sale()

    def search_customers(self) -> None:
        text = self.customer_search.text()

        def show(rows: list[CustomerSummary]) -> None:
            self.customer_results.clear()
            for row in rows[:20]:
                name = local_name(row.name_en, row.name_ar)
                item = QListWidgetItem(f"{name}  ·  {phone_text(row.mobile)}  ·  {ltr(row.number)}")
                item.setData(Qt.ItemDataRole.UserRole, row)
                self.customer_results.addItem(item)
            self.customer_results.setVisible(bool(rows))

        self._searching.run(lambda: self._services.customers.search(text), show, self._failed)

    def _pick_first(self) -> None:
        if self._search_timer.isActive():
            self._search_timer.stop()
            self.search_customers()
            return
        if self.customer_results.count():
            self._pick_item(self.customer_results.item(0))

    def _pick_item(self, item: QListWidgetItem) -> None:
        self.set_customer(item.data(Qt.ItemDataRole.UserRole))

    def set_customer(self, customer: CustomerSummary | None) -> None:
        self._customer = customer
        self.customer_results.hide()
        self.customer_search.clear()
        self.points_spin.setValue(0)
        if self._offer is not None and (customer is None or customer.id != self._offer.customer_id):
            self._offer = None  # a code is its recipient's: another customer's sale checks it again
            self.offer_edit.clear()
        self._show_customer()
        self._load_card()
        self._load_orders()
        self.refresh_quote()

    def _show_customer(self) -> None:
        customer = self._customer
        if customer is None:
            self.customer_label.setText(self.tr("Walk-in customer: no points are earned."))
            return
        name = local_name(customer.name_en, customer.name_ar)
        parts = [name, customer.number]
        quote, card = self._quote, self._card
        if quote is not None and quote.tier:
            parts += [names.tier(quote.tier), self.tr("%1 points").replace("%1", number(quote.balance or 0))]
        elif card is not None and card.customer_id == customer.id:
            parts += [names.tier(card.tier), self.tr("%1 points").replace("%1", number(card.balance))]
        self.customer_label.setText("  ·  ".join(parts))

    def _load_card(self) -> None:
        actor, customer = self._actor, self._customer
        if actor is None or customer is None:
            self._card = None
            return

        def show(card: LoyaltyCard) -> None:
            self._card = card
            self._show_customer()

        run_in_background(lambda: self._services.loyalty.card(actor, customer.id), show, self._failed)

    def _load_orders(self) -> None:
        actor, customer = self._actor, self._customer
        self.recent_orders.clear()
        self._orders = []
        if actor is None or customer is None:
            self.recent_orders.hide()
            return

        def show(orders: list[OrderView]) -> None:
            self._orders = orders
            self.recent_orders.clear()
            for order in orders:
                label = self.tr("Return") if order.kind == "return" else self.tr("Sale")
                text = f"{ltr(order.number)}  ·  {label}  ·  {money(order.total_fils)}"
                item = QListWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, order)
                self.recent_orders.addItem(item)
            self.recent_orders.setVisible(bool(orders))

        run_in_background(lambda: self._services.purchases.orders_of(actor, customer.id, 10), show, self._failed)

    # -- a campaign's offer code ---------------------------------------------------------------------------------------
    def _focus_offer(self) -> None:
        self.offer_edit.setFocus()
        self.offer_edit.selectAll()

    def apply_offer(self) -> None:
        """Checks the typed or scanned code for the sale's customer off the main thread; once accepted, the
        quote takes it (the discount in the totals, or the bonus points)."""
        actor = self._actor
        text = self.offer_edit.text()
        readings = offer_readings(text)
        if actor is None or not text.strip():
            self._set_offer(None)
            return
        customer = self._customer.id if self._customer else None
        purchases = self._services.purchases

        def check() -> OfferTerms:
            # A code typed on the Arabic layout may read several ways (see offer_readings): the first that names
            # an offer decides, with its own answer (taken, or why not).
            unknown: NotFound | None = None
            for code in readings:
                try:
                    return purchases.check_offer(actor, code, customer)
                except NotFound as error:
                    unknown = unknown or error
            assert unknown is not None
            raise unknown

        def refused(error: BaseException) -> None:
            self._set_offer(None)
            self._failed(error)

        run_in_background(check, self._set_offer, refused)

    def _offer_edited(self, _text: str) -> None:
        if self._offer is not None:
            self._set_offer(None)

    def _set_offer(self, terms: OfferTerms | None) -> None:
        self._offer = terms
        if terms is not None:
            self.offer_edit.setText(terms.code)
            self.banner.clear()
            self.message.clear()
        self.refresh_quote()

    def _offer_words(self, quote: Quote | None) -> str:
        terms = self._offer
        if terms is None:
            return ""
        code = ltr(terms.code)
        if terms.kind == "bonus_points":
            return self.tr("%1: %2 bonus points").replace("%1", code).replace("%2", number(terms.value))
        discount = quote.discount_fils if quote is not None else 0
        return self.tr("%1: %2 off").replace("%1", code).replace("%2", money(discount))

    # -- lines -------------------------------------------------------------------------------------------------------
    def _product_chosen(self, index: int) -> None:
        if index <= 0:
            return
        product = CATALOG[index - 1]
        self.sku_edit.setText(product.sku)
        self.name_edit.setText(product.name("ar" if is_arabic() else "en"))
        self.brand_edit.setText(product.brand)
        self.family_combo.setCurrentIndex(self.family_combo.findData(product.family.value))
        self.size_spin.setValue(product.size_ml)
        self.qty_spin.setValue(1)
        self.price_edit.setText(fils_to_text(product.price_fils))
        self.qty_spin.setFocus()

    def add_line(self) -> None:
        typed = self.price_edit.text().strip()
        try:
            if typed.startswith("-"):  # parsed, so the core can refuse a negative price in its own words
                price = -parse_aed(typed[1:], "unit_price")
            else:
                price = parse_aed(typed, "unit_price") if typed else 0
            draft = LineDraft(
                sku=self.sku_edit.text(),
                name=self.name_edit.text(),
                brand=self.brand_edit.text(),
                family=str(self.family_combo.currentData() or ""),
                size_ml=self.size_spin.value() or None,
                quantity=self.qty_spin.value(),
                unit_price_fils=price,
            )
            price_line(draft, len(self._lines))
        except DomainError as error:
            self.line_error.setText(errors_text(error))
            self.line_error.show()
            return
        self.line_error.clear()
        self.line_error.hide()
        self.banner.clear()
        self._lines.append(draft)
        for edit in (self.sku_edit, self.name_edit, self.brand_edit, self.price_edit):
            edit.clear()
        self.family_combo.setCurrentIndex(0)
        self.size_spin.setValue(0)
        self.qty_spin.setValue(1)
        self.product_pick.setCurrentIndex(0)
        self.refresh_quote()
        self.product_pick.setFocus()

    def scan(self, text: str) -> None:
        """A scanner's read (or a code typed in the scan field and Enter): a gift card goes to the gift-card
        tender; anything else is looked up as a product's barcode or SKU and added, or counted once more."""
        actor = self._actor
        if actor is None or not text.strip():
            return
        self.banner.clear()
        if self.offer_edit.hasFocus():  # Ctrl+K, then the scan: the offer's code
            self.offer_edit.setText(text)
            self.apply_offer()
            return
        if is_gift_card_scan(text):
            self.scan_edit.clear()
            if self.right_stack.currentWidget() is self.receipt_box:
                self.new_sale()
            self.gift_tender.take(text)
            return
        purchases = self._services.purchases
        run_in_background(lambda: purchases.product(actor, text), self._add_scanned, self._scan_failed)

    def _add_scanned(self, product: Product) -> None:
        if self.right_stack.currentWidget() is self.receipt_box:
            self.new_sale()  # the first scan after a receipt starts the next customer's sale
        self.scan_edit.clear()
        row = next(
            (
                i
                for i, line in enumerate(self._lines)
                if line.sku == product.sku and line.unit_price_fils == product.price_fils
            ),
            None,
        )
        if row is None:
            self._lines.append(
                LineDraft(
                    sku=product.sku,
                    name=product.name("ar" if is_arabic() else "en"),
                    brand=product.brand,
                    family=product.family.value,
                    size_ml=product.size_ml,
                    quantity=1,
                    unit_price_fils=product.price_fils,
                )
            )
            row = len(self._lines) - 1
        else:
            self._lines[row] = replace(self._lines[row], quantity=self._lines[row].quantity + 1)
        self._scanned_row = row
        self.refresh_quote()
        self.scan_edit.setFocus()

    def _scan_failed(self, error: BaseException) -> None:
        self.banner.refusal(error)
        self.scan_edit.setFocus()
        self.scan_edit.selectAll()

    def remove_line(self) -> None:
        row = self.lines_table.currentRow()
        if 0 <= row < len(self._lines):
            del self._lines[row]
            self.refresh_quote()

    def _fill_lines_table(self) -> None:
        quote = self._quote
        priced = list(quote.lines) if quote else []
        self.lines_table.setRowCount(len(priced))
        for row, line in enumerate(priced):
            size = names.ml(line.size_ml) if line.size_ml else ""
            cells = [
                line.name,
                names.family(line.family),
                size,
                number(line.quantity),
                money(line.unit_price_fils),
                money(line.gross_fils),
            ]
            set_row(self.lines_table, row, cells, numeric=(3, 4, 5))
        scanned = self._scanned_row
        if scanned is not None and scanned < len(priced):
            self.lines_table.selectRow(scanned)  # the cashier sees which line the scan went to
            self._scanned_row = None

    # -- totals and tenders -------------------------------------------------------------------------------------------
    @staticmethod
    def _money(edit: QLineEdit, field: str) -> int:
        text = edit.text().strip()
        return parse_aed(text, field) if text else 0

    def draft(self) -> SaleDraft:
        """The sale as entered; a payment amount that is not an amount raises the core's ValidationError."""
        return SaleDraft(
            self._customer.id if self._customer else None,
            tuple(self._lines),
            TenderDraft(
                cash_fils=self._money(self.cash_edit, "cash"),
                card_fils=self._money(self.card_edit, "card"),
                gift_card_fils=self._money(self.gift_amount_edit, "gift_card"),
                gift_card_code=self.gift_code_edit.text(),
                points=self.points_spin.value(),
            ),
            offer_code=self._offer.code if self._offer is not None else "",
        )

    def refresh_quote(self) -> None:
        actor = self._actor
        if actor is None or not self._lines:
            self._quote = None
            self._show_quote()
            return
        try:
            draft = self.draft()
            self.message.clear()
        except DomainError as error:
            self.message.setText(error_text(error))
            draft = SaleDraft(
                self._customer.id if self._customer else None,
                tuple(self._lines),
                offer_code=self._offer.code if self._offer is not None else "",
            )

        def show(quote: Quote) -> None:
            self._quote = quote
            self._show_quote()

        self._quoting.run(lambda: self._services.purchases.quote(actor, draft), show, self._failed)

    def _show_quote(self) -> None:
        quote = self._quote
        self._fill_lines_table()
        net = quote.totals.net_fils if quote else 0
        vat = quote.totals.vat_fils if quote else 0
        total = quote.totals.total_fils if quote else 0
        if quote is not None and quote.discount_fils:
            self.net_label.setText(
                self.tr("Net %1 (offer −%2)").replace("%1", money(net)).replace("%2", money(quote.discount_fils))
            )
        else:
            self.net_label.setText(self.tr("Net %1").replace("%1", money(net)))
        self.vat_label.setText(self.tr("VAT 5 % %1").replace("%1", money(vat)))
        self.total_label.setText(self.tr("Total %1").replace("%1", money(total)))
        offer = self._offer_words(quote)
        self.offer_text.setText(offer)
        self.offer_text.setVisible(bool(offer))
        if quote is None:
            self.points_label.setText(self.tr("Add the first product."))
            self.due_label.setText("")
        else:
            if quote.balance is None:
                self.points_label.setText(self.tr("Walk-in: this sale earns no points."))
            else:
                self.points_label.setText(
                    self.tr("This sale earns %1 points.").replace("%1", number(quote.points_to_earn))
                )
            if quote.due_fils:
                self.due_label.setText(self.tr("Still to pay %1").replace("%1", money(quote.due_fils)))
                self.due_label.setProperty("state", "due")
            else:
                self.due_label.setText(self.tr("Change %1").replace("%1", money(quote.change_fils)))
                self.due_label.setProperty("state", "paid")
            self.due_label.style().unpolish(self.due_label)
            self.due_label.style().polish(self.due_label)
        has_customer = quote is not None and quote.balance is not None
        self.points_spin.setEnabled(self._customer is not None)
        if has_customer and quote is not None:
            self.points_hint.setText(
                self.tr("Holds %1 points; 100 points pay %2; at least %3 at a time.")
                .replace("%1", number(quote.balance or 0))
                .replace("%2", money(100 * quote.point_value_fils))
                .replace("%3", number(quote.min_redeem_points))
            )
        else:
            self.points_hint.setText(self.tr("Choose a customer to use points."))
        self.complete_button.setEnabled(quote is not None and quote.due_fils == 0)
        self._show_customer()

    def _pay_rest(self, edit: QLineEdit) -> None:
        quote = self._quote
        if quote is None or not quote.due_fils:
            return
        try:
            current = self._money(edit, "amount")
        except DomainError:
            current = 0
        edit.setText(fils_to_text(current + quote.due_fils))
        self.refresh_quote()

    # -- completing -----------------------------------------------------------------------------------------------
    def complete(self) -> None:
        actor, quote = self._actor, self._quote
        if actor is None or quote is None or not self.complete_button.isEnabled():
            return
        try:
            draft = self.draft()
        except DomainError as error:
            self.message.setText(error_text(error))
            return
        text = self.tr("Record this sale of %1?").replace("%1", money(quote.totals.total_fils))
        if not self.confirm(self, self.tr("Complete sale"), text):
            return
        self.message.clear()
        self.banner.clear()
        run_in_background(
            lambda: self._services.purchases.record_sale(actor, draft),
            self._recorded,
            self._failed,
            busy=[self.complete_button],
        )

    def _recorded(self, result: SaleResult) -> None:
        notes = []
        if result.balance_after is not None:
            notes.append(self.tr("Points balance now: %1").replace("%1", number(result.balance_after)))
        if result.upgraded and result.tier_after:
            notes.append(self.tr("Welcome to %1!").replace("%1", names.tier(result.tier_after)))
        self.last_result = result
        self.banner.success(
            self.tr("Sale recorded: %1, receipt %2.")
            .replace("%1", money(result.order.total_fils))
            .replace("%2", ltr(result.order.number))
        )
        if self._actor is not None:
            self.receipt.show_source(order_source(self._services, self._actor, result.order.id), notes)
        self.right_stack.setCurrentWidget(self.receipt_box)
        self.new_sale_button.setFocus()
        self._lines = []
        for edit in (self.cash_edit, self.card_edit, self.gift_code_edit, self.gift_amount_edit):
            edit.clear()
        self.points_spin.setValue(0)
        self._offer = None
        self.offer_edit.clear()
        self._quote = None
        self._show_quote()
        self._load_card()
        self._load_orders()
        self.sale_recorded.emit(result)

    def new_sale(self) -> None:
        self.banner.clear()
        self._lines = []
        self._quote = None
        self._customer = None
        for edit in (self.cash_edit, self.card_edit, self.gift_code_edit, self.gift_amount_edit):
            edit.clear()
        self.points_spin.setValue(0)
        self._offer = None
        self.offer_edit.clear()
        self.right_stack.setCurrentIndex(0)
        self.message.clear()
        self.line_error.clear()
        self._show_quote()
        self._load_orders()
        self.customer_search.setFocus()

    # -- orders and returns -----------------------------------------------------------------------------------------
    def open_order_by_number(self) -> None:
        actor, text = self._actor, self.order_number.text()
        if actor is None or not text.strip():
            return
        run_in_background(lambda: self._services.purchases.find_order(actor, text), self.open_order, self._failed)

    def _open_recent(self, item: QListWidgetItem) -> None:
        self.open_order(item.data(Qt.ItemDataRole.UserRole))

    def open_order(self, order: OrderView) -> None:
        if self._actor is None:
            return
        self.dialog = OrderDialog(self._services, self._actor, order, self, self.confirm)
        self.dialog.returned.connect(lambda _r: self._load_orders())
        self.dialog.show()

    def _failed(self, error: BaseException) -> None:
        show_refusal(self.message, error)
        self.banner.failure(self.message.text())

    # -- the scanner ----------------------------------------------------------------------------------------------
    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        from ui.scan.wedge import WedgeScanner

        if self._wedge is None:
            self._wedge = WedgeScanner(self.window())
            self._wedge.scanned.connect(self.scan)
        self._wedge.install()

    def hideEvent(self, event: QHideEvent) -> None:
        if self._wedge is not None:
            self._wedge.uninstall()
        super().hideEvent(event)

    # -- language -----------------------------------------------------------------------------------------------------
    def retranslate(self) -> None:
        self.customer_box.setTitle(self.tr("Customer"))
        self.customer_search.setPlaceholderText(self.tr("Find the customer: name, mobile or customer number"))
        self.walk_in_button.setText(self.tr("Walk-in"))
        self.orders_box.setTitle(self.tr("Orders and returns"))
        self.order_number.setPlaceholderText(self.tr("Receipt number"))
        self.open_order_button.setText(self.tr("Open order"))
        self.entry_box.setTitle(self.tr("Add a product"))
        self.scan_label.setText(self.tr("Scan"))
        self.scan_edit.setPlaceholderText(self.tr("Barcode or SKU, then Enter"))
        for label, text in zip(
            self.entry_labels,
            (
                self.tr("Product"),
                self.tr("SKU"),
                self.tr("Name"),
                self.tr("Brand"),
                self.tr("Family"),
                self.tr("Size (ml)"),
                self.tr("Qty"),
                self.tr("Unit price"),
            ),
            strict=True,
        ):
            label.setText(text)
        current = self.product_pick.currentIndex()
        self.product_pick.clear()
        self.product_pick.addItem(self.tr("Choose from the list, or type below…"))
        for product in CATALOG:
            self.product_pick.addItem(
                f"{names.product(product)} · {names.ml(product.size_ml)} · {money(product.price_fils)}"
            )
        self.product_pick.setCurrentIndex(max(0, current))
        family = self.family_combo.currentData()
        self.family_combo.clear()
        self.family_combo.addItem("—", "")
        for value in Family:
            self.family_combo.addItem(names.family(value), value.value)
        self.family_combo.setCurrentIndex(max(0, self.family_combo.findData(family or "")))
        self.size_spin.setSpecialValueText("—")
        self.price_edit.setPlaceholderText(self.tr("AED, before VAT"))
        self.add_button.setText(self.tr("Add line"))
        self.lines_box.setTitle(self.tr("Lines"))
        self.lines_table.setHorizontalHeaderLabels(
            [
                self.tr("Product"),
                self.tr("Family"),
                self.tr("Size"),
                self.tr("Qty"),
                self.tr("Unit"),
                self.tr("With VAT"),
            ]
        )
        self.remove_button.setText(self.tr("Remove line"))
        set_empty_text(self.lines_table, self.tr("No lines yet: choose a product above, or type one in."))
        self.totals_box.setTitle(self.tr("Totals"))
        self.offer_edit.setPlaceholderText(self.tr("Offer code (Ctrl+K)"))
        self.offer_edit.setAccessibleName(self.tr("Offer code"))
        self.offer_button.setText(self.tr("Apply"))
        self.tenders_box.setTitle(self.tr("Payment"))
        for label, text in zip(
            self.tender_labels,
            (self.tr("Cash"), self.tr("Card"), self.tr("Gift card (code, amount)"), self.tr("Points"), ""),
            strict=True,
        ):
            label.setText(text)
        self.rest_card_button.setText(self.tr("Rest by card"))
        self.rest_cash_button.setText(self.tr("Rest in cash"))
        self.complete_button.setText(self.tr("Complete sale (Ctrl+Enter)"))
        self.receipt_box.setTitle(self.tr("Receipt"))
        self.new_sale_button.setText(self.tr("New sale"))
        self.feedback_button.setText(self.tr("Customer feedback (Ctrl+R)"))
        can_return = self._actor is not None and self._actor.can(Permission.PROCESS_RETURNS)
        self.open_order_button.setEnabled(True)
        self.order_number.setToolTip(self.tr("Returns are taken from the order's detail.") if can_return else "")
        self._show_quote()
        if self._customer is not None:
            self._load_orders()
