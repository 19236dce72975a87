"""The Loyalty tab of the customer 360: the card (tier, progress, balance, what expires), the ledger with its
running balance, purchases (and returns from an order's detail), preferences, rewards and the wait list."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from html import escape
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLayout,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QTableWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from core.app import AppServices
from core.customers.model import CustomerProfile
from core.customers.preferences import CustomerPreferences, DeclaredDraft, Intensity, Occasion
from core.kernel.errors import DomainError
from core.kernel.money import fils_to_text, parse_aed
from core.loyalty.ports import ClaimRecord, RestockRecord
from core.loyalty.rewards import ClaimStatus, RewardOffer
from core.loyalty.service import LedgerEntry, LoyaltyCard
from core.purchases.model import OrderView
from core.purchases.products import CATALOG, Family
from core.staff.auth import Actor, Permission
from ui import loyalty_labels as names
from ui.dialogs import ask
from ui.i18n import (
    Retranslating,
    date_text,
    datetime_text,
    error_text,
    local_name,
    ltr,
    money,
    number,
    show_refusal,
    signed_number,
)
from ui.ops import run_in_background
from ui.pages.purchases.order_dialog import OrderDialog
from ui.widgets.forms import say
from ui.widgets.plain import as_plain, plain_labels
from ui.widgets.tables import cell, pick_list, set_row


@dataclass(frozen=True)
class LoyaltyView:
    """Everything the tab shows for one customer, read in one background call."""

    customer_id: str
    card: LoyaltyCard
    ledger: list[LedgerEntry]
    orders: list[OrderView]
    preferences: CustomerPreferences
    offers: list[RewardOffer]
    claims: list[ClaimRecord]
    wait_list: list[RestockRecord]


def _scrolling(page: QWidget) -> QScrollArea:
    """Long sub-pages scroll, so the 360 still fits a 1366 × 768 till screen."""
    area = QScrollArea()
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setWidget(page)
    return area


class CheckGrid(QWidget):
    """A few choices as check boxes in rows (families, occasions), all visible at once."""

    COLUMNS = 3

    def __init__(self, parent: QWidget, name: str) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self._grid = QGridLayout(self)
        self._grid.setContentsMargins(0, 0, 0, 0)
        self._grid.setHorizontalSpacing(12)
        self._grid.setVerticalSpacing(2)
        self.boxes: dict[str, QCheckBox] = {}

    def set_options(self, options: list[tuple[str, str]]) -> None:
        """(value, label) pairs; what was checked stays checked."""
        checked = set(self.checked())
        for box in self.boxes.values():
            box.deleteLater()
        self.boxes = {}
        for index, (value, label) in enumerate(options):
            box = QCheckBox(label, self)
            box.setChecked(value in checked)
            self._grid.addWidget(box, index // self.COLUMNS, index % self.COLUMNS)
            self.boxes[value] = box

    def checked(self) -> list[str]:
        return [value for value, box in self.boxes.items() if box.isChecked()]

    def set_checked(self, values: set[str]) -> None:
        for value, box in self.boxes.items():
            box.setChecked(value in values)


class LoyaltyTab(Retranslating, QWidget):
    def __init__(self, services: AppServices, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("loyaltyTab")
        self._services = services
        self._actor: Actor | None = None
        self._profile: CustomerProfile | None = None
        self.view: LoyaltyView | None = None
        self._seq = 0
        self.confirm: Callable[[QWidget, str, str], bool] = ask
        self.dialog: OrderDialog | None = None

        self.card_frame = QFrame(self)
        self.card_frame.setObjectName("card")
        self.tier_badge = QLabel(self.card_frame)
        self.tier_badge.setObjectName("tierBadge")
        self.tier_badge.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.card_number = QLabel(self.card_frame)
        self.card_number.setObjectName("hint")
        self.balance = QLabel(self.card_frame)
        self.balance.setObjectName("bigFigure")
        self.progress = QProgressBar(self.card_frame)
        self.progress.setObjectName("tierProgress")
        self.progress.setRange(0, 1000)
        self.progress.setTextVisible(False)
        self.progress_text = QLabel(self.card_frame)
        self.expiring = QLabel(self.card_frame)
        self.expiring.setObjectName("expiring")
        self.perks = QLabel(self.card_frame)
        self.perks.setObjectName("hint")
        self.perks.setWordWrap(True)
        grid = QGridLayout(self.card_frame)
        grid.addWidget(self.tier_badge, 0, 0, 2, 1)
        grid.addWidget(self.balance, 0, 1)
        grid.addWidget(self.card_number, 0, 2, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        grid.addWidget(self.progress, 1, 1, 1, 2)
        grid.addWidget(self.progress_text, 2, 1, 1, 2)
        grid.addWidget(self.expiring, 3, 1, 1, 2)
        grid.addWidget(self.perks, 4, 0, 1, 3)
        grid.setColumnStretch(1, 1)

        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("loyaltyTabs")
        self.tabs.addTab(self._build_ledger(), "")
        self.tabs.addTab(self._build_orders(), "")
        self.tabs.addTab(_scrolling(self._build_preferences()), "")
        self.tabs.addTab(_scrolling(self._build_rewards()), "")
        self.tabs.addTab(self._build_wait_list(), "")
        self.message = QLabel(self)
        self.message.setObjectName("message")
        self.message.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.card_frame)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.message)
        self.retranslate()
        plain_labels(self)

    # -- layout ---------------------------------------------------------------------------------------------------
    def _build_ledger(self) -> QWidget:
        self.ledger_table = pick_list(self, 6, "loyaltyLedger")
        return self.ledger_table

    def _build_orders(self) -> QWidget:
        page = QWidget(self)
        self.orders_table = pick_list(page, 5, "customerOrders")
        self.open_order_button = QPushButton(page)
        layout = QVBoxLayout(page)
        layout.addWidget(self.orders_table, 1)
        layout.addWidget(self.open_order_button, 0, Qt.AlignmentFlag.AlignRight)
        self.open_order_button.clicked.connect(self.open_selected_order)
        self.orders_table.doubleClicked.connect(lambda _i: self.open_selected_order())
        return page

    def _build_preferences(self) -> QWidget:
        page = QWidget(self)
        self.notes_edit = QLineEdit(page)
        self.notes_edit.setObjectName("favouriteNotes")
        self.dislikes_edit = QLineEdit(page)
        self.dislikes_edit.setObjectName("dislikes")
        self.families_list = CheckGrid(page, "declaredFamilies")
        self.occasions_list = CheckGrid(page, "declaredOccasions")
        self.intensity_combo = QComboBox(page)
        self.budget_min = QLineEdit(page)
        self.budget_max = QLineEdit(page)
        budget = QHBoxLayout()
        budget.addWidget(self.budget_min)
        budget.addWidget(QLabel("–", page))
        budget.addWidget(self.budget_max)
        self.save_preferences_button = QPushButton(page)
        self.save_preferences_button.setObjectName("primary")
        self.pref_labels = [QLabel(page) for _ in range(6)]
        form = QFormLayout()
        preferences: tuple[QWidget | QLayout, ...] = (
            self.notes_edit,
            self.families_list,
            self.intensity_combo,
            self.occasions_list,
            budget,
            self.dislikes_edit,
        )
        for label, item in zip(self.pref_labels, preferences, strict=True):
            form.addRow(label, item)
        self.learned_title = QLabel(page)
        self.learned_title.setObjectName("sectionTitle")
        self.learned = QLabel(page)
        self.learned.setObjectName("learnedPreferences")
        self.learned.setWordWrap(True)
        self.learned.setTextFormat(Qt.TextFormat.RichText)
        left = QVBoxLayout()
        self.declared_title = QLabel(page)
        self.declared_title.setObjectName("sectionTitle")
        left.addWidget(self.declared_title)
        left.addLayout(form)
        left.addWidget(self.save_preferences_button, 0, Qt.AlignmentFlag.AlignRight)
        left.addStretch(1)
        right = QVBoxLayout()
        right.addWidget(self.learned_title)
        right.addWidget(self.learned)
        right.addStretch(1)
        layout = QHBoxLayout(page)
        layout.addLayout(left, 3)
        layout.addLayout(right, 2)
        self.save_preferences_button.clicked.connect(self.save_preferences)
        return page

    def _build_rewards(self) -> QWidget:
        page = QWidget(self)
        self.offers_title = QLabel(page)
        self.offers_title.setObjectName("sectionTitle")
        self.offers_table = pick_list(page, 4, "rewardOffers")
        header = self.offers_table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.claim_button = QPushButton(page)
        self.claim_button.setObjectName("primary")
        self.claims_title = QLabel(page)
        self.claims_title.setObjectName("sectionTitle")
        self.claims_table = pick_list(page, 4, "rewardClaims")
        self.fulfil_button = QPushButton(page)
        self.cancel_claim_button = QPushButton(page)
        layout = QVBoxLayout(page)
        layout.addWidget(self.offers_title)
        layout.addWidget(self.offers_table, 1)
        layout.addWidget(self.claim_button, 0, Qt.AlignmentFlag.AlignRight)
        layout.addWidget(self.claims_title)
        layout.addWidget(self.claims_table, 1)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.cancel_claim_button)
        buttons.addWidget(self.fulfil_button)
        layout.addLayout(buttons)
        self.offers_table.itemSelectionChanged.connect(self._update_buttons)
        self.claims_table.itemSelectionChanged.connect(self._update_buttons)
        self.claim_button.clicked.connect(self.claim_selected)
        self.fulfil_button.clicked.connect(lambda: self._claim_action("fulfil"))
        self.cancel_claim_button.clicked.connect(lambda: self._claim_action("cancel"))
        return page

    def _build_wait_list(self) -> QWidget:
        page = QWidget(self)
        self.wait_table = pick_list(page, 4, "waitList")
        self.wait_product = QComboBox(page)
        self.wait_product.setObjectName("waitProduct")
        self.add_wait_button = QPushButton(page)
        self.remove_wait_button = QPushButton(page)
        row = QHBoxLayout()
        row.addWidget(self.wait_product, 1)
        row.addWidget(self.add_wait_button)
        row.addWidget(self.remove_wait_button)
        layout = QVBoxLayout(page)
        layout.addWidget(self.wait_table, 1)
        layout.addLayout(row)
        self.add_wait_button.clicked.connect(self.add_to_wait_list)
        self.remove_wait_button.clicked.connect(self.remove_from_wait_list)
        self.wait_table.itemSelectionChanged.connect(self._update_buttons)
        return page

    # -- following the customer 360 ----------------------------------------------------------------------------------
    def set_actor(self, actor: Actor | None) -> None:
        self._actor = actor
        self._update_buttons()

    def show_customer(self, profile: CustomerProfile | None) -> None:
        self._profile = profile
        self.view = None
        self.message.clear()
        if profile is None:
            self._clear()
            return
        self.reload()

    def reload(self) -> None:
        actor, profile = self._actor, self._profile
        if actor is None or profile is None:
            return
        self._seq += 1
        seq = self._seq
        services = self._services

        def load() -> LoyaltyView:
            return LoyaltyView(
                customer_id=profile.id,
                card=services.loyalty.card(actor, profile.id),
                ledger=services.loyalty.ledger(actor, profile.id),
                orders=services.purchases.orders_of(actor, profile.id),
                preferences=services.loyalty.preferences(actor, profile.id),
                offers=services.rewards.offers(actor, profile.id),
                claims=services.rewards.claims(actor, profile.id),
                wait_list=services.loyalty.wait_list(actor, profile.id),
            )

        def show(view: LoyaltyView) -> None:
            if seq == self._seq:
                self.view = view
                self._show()

        run_in_background(load, show, self._failed)

    def _clear(self) -> None:
        for table in (self.ledger_table, self.orders_table, self.offers_table, self.claims_table, self.wait_table):
            table.setRowCount(0)
        self.tier_badge.clear()
        self.balance.clear()
        self.progress.setValue(0)
        self.progress_text.clear()
        self.expiring.clear()
        self.perks.clear()
        self.card_number.clear()
        self.learned.clear()

    # -- showing -----------------------------------------------------------------------------------------------------
    def _show(self) -> None:
        view = self.view
        if view is None:
            self._clear()
            return
        self._show_card(view.card)
        self._show_ledger(view.ledger)
        self._show_orders(view.orders)
        self._show_preferences(view.preferences)
        self._show_rewards(view.offers, view.claims)
        self._show_wait_list(view.wait_list)
        self._update_buttons()

    def _show_card(self, card: LoyaltyCard) -> None:
        self.tier_badge.setText(names.tier(card.tier))
        self.tier_badge.setProperty("tier", card.tier.value)
        self.tier_badge.style().unpolish(self.tier_badge)
        self.tier_badge.style().polish(self.tier_badge)
        self.balance.setText(
            self.tr("%1 points · worth %2")
            .replace("%1", number(card.balance))
            .replace("%2", money(card.balance * card.point_value_fils))
        )
        self.card_number.setText(
            self.tr("Card %1").replace("%1", ltr(card.card_number)) if card.card_number else self.tr("No card yet")
        )
        self.progress.setValue(round(card.progress * 1000))
        if card.next_tier is None:
            self.progress_text.setText(self.tr("Top tier reached."))
        else:
            self.progress_text.setText(
                self.tr("%1 more points earned to reach %2")
                .replace("%1", number(card.points_to_next))
                .replace("%2", names.tier(card.next_tier))
            )
        if card.expiring_points and card.expiring_on:
            self.expiring.setText(
                self.tr("%1 points expire on %2")
                .replace("%1", number(card.expiring_points))
                .replace("%2", date_text(card.expiring_on))
            )
        else:
            self.expiring.setText(self.tr("No points expire soon."))
        perks = [self.tr("Earns %1 % more points").replace("%1", number(card.tier_bonus_percent))]
        if card.vip_services:
            perks.append(self.tr("VIP services: personal shopper, private appointments"))
        if card.pending_offline_points:
            perks.append(
                self.tr("%1 points taken offline, waiting for head office").replace(
                    "%1", number(card.pending_offline_points)
                )
            )
        self.perks.setText("  ·  ".join(perks))

    def _show_ledger(self, entries: list[LedgerEntry]) -> None:
        self.ledger_table.setRowCount(len(entries))
        for row, entry in enumerate(reversed(entries)):  # newest first
            branch = local_name(entry.branch_name, entry.branch_name_ar)
            what = names.event(entry.kind)
            if entry.offline_pending:
                what += " " + self.tr("(offline, pending)")
            cells = [
                datetime_text(entry.at),
                what,
                names.event_reason(entry.kind, entry.reason, entry.order_number),
                signed_number(entry.points),
                number(entry.running),
                branch,
            ]
            set_row(self.ledger_table, row, cells, numeric=(3, 4))
        self.ledger_table.resizeColumnsToContents()
        self.ledger_table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)

    def _show_orders(self, orders: list[OrderView]) -> None:
        self.orders_table.setRowCount(len(orders))
        for row, order in enumerate(orders):
            kind = self.tr("Return") if order.kind == "return" else self.tr("Sale")
            cells = [
                datetime_text(order.created_at),
                ltr(order.number),
                kind,
                money(order.total_fils),
                signed_number(order.points_earned),
            ]
            set_row(self.orders_table, row, cells, numeric=(3, 4), data=order)

    def _show_preferences(self, prefs: CustomerPreferences) -> None:
        declared = prefs.declared
        self.notes_edit.setText(", ".join(declared.favourite_notes) if declared else "")
        self.dislikes_edit.setText(", ".join(declared.dislikes) if declared else "")
        self.families_list.set_checked(set(declared.families) if declared else set())
        self.occasions_list.set_checked(set(declared.occasions) if declared else set())
        self.intensity_combo.setCurrentIndex(
            max(0, self.intensity_combo.findData(declared.intensity if declared and declared.intensity else ""))
        )
        low = declared.budget_min_fils if declared else None
        high = declared.budget_max_fils if declared else None
        self.budget_min.setText(fils_to_text(low) if low is not None else "")
        self.budget_max.setText(fils_to_text(high) if high is not None else "")
        learned = prefs.learned
        if not learned.items_bought and learned.last_purchase_at is None:
            self.learned.setText(self.tr("Nothing bought yet."))
            return
        rows = []
        if learned.families:
            rows.append(
                (self.tr("Families"), ", ".join(f"{names.family(f)} {number(p)} %" for f, p in learned.families))
            )
        if learned.brands:
            rows.append((self.tr("Brands"), ", ".join(f"{b} {number(p)} %" for b, p in learned.brands)))
        if learned.sizes_ml:
            rows.append((self.tr("Sizes"), ", ".join(names.ml(s) for s in learned.sizes_ml)))
        if learned.price_band_min_fils is not None and learned.price_band_max_fils is not None:
            rows.append(
                (
                    self.tr("Usual price"),
                    f"{money(learned.price_band_min_fils)} – {money(learned.price_band_max_fils)}",
                )
            )
        if learned.last_purchase_at is not None:
            rows.append((self.tr("Last purchase"), datetime_text(learned.last_purchase_at)))
        rows.append((self.tr("Items kept"), number(learned.items_bought)))
        # Rich text for the bold headings only: every value (a brand is typed at the till) is escaped.
        self.learned.setText("<br/>".join(f"<b>{escape(k)}</b>: {escape(v)}" for k, v in rows))

    def _show_rewards(self, offers: list[RewardOffer], claims: list[ClaimRecord]) -> None:
        self.offers_table.setRowCount(len(offers))
        for row, offer in enumerate(offers):
            reward = offer.reward
            name = local_name(reward.name_en, reward.name_ar)
            stock = self.tr("Unlimited") if reward.stock is None else number(reward.stock)
            note = error_text(offer.problem) if offer.problem else self.tr("Can be claimed")
            cells = [(name, False), (number(reward.points_cost), True), (stock, True), (note, False)]
            for col, (text, right) in enumerate(cells):
                item = cell(text, offer, numeric=right)
                item.setToolTip(as_plain(text))
                if col == 0 and reward.image and Path(reward.image).is_file():
                    item.setIcon(QIcon(reward.image))
                self.offers_table.setItem(row, col, item)
        self.claims_table.setRowCount(len(claims))
        for row, claim in enumerate(claims):
            name = local_name(claim.reward_name_en, claim.reward_name_ar)
            texts = [name, number(claim.points), names.claim_status(claim.status), datetime_text(claim.created_at)]
            set_row(self.claims_table, row, texts, numeric=(1,), data=claim)

    def _show_wait_list(self, entries: list[RestockRecord]) -> None:
        self.wait_table.setRowCount(len(entries))
        for row, entry in enumerate(entries):
            cells = [
                entry.product_name,
                ltr(entry.sku),
                names.restock_status(entry.status),
                date_text(entry.created_at),
            ]
            set_row(self.wait_table, row, cells, data=entry)

    def _selected(self, table: QTableWidget) -> object | None:
        row = table.currentRow()
        item = table.item(row, 0) if row >= 0 else None
        return item.data(Qt.ItemDataRole.UserRole) if item is not None else None

    def _update_buttons(self) -> None:
        actor = self._actor
        offer = self._selected(self.offers_table)
        claim = self._selected(self.claims_table)
        entry = self._selected(self.wait_table)
        can_claim = actor is not None and actor.can(Permission.CLAIM_REWARDS)
        can_fulfil = actor is not None and actor.can(Permission.FULFIL_REWARDS)
        can_edit = actor is not None and actor.can(Permission.EDIT_CUSTOMERS)
        self.claim_button.setEnabled(can_claim and isinstance(offer, RewardOffer) and offer.claimable)
        pending = isinstance(claim, ClaimRecord) and claim.status == ClaimStatus.PENDING.value
        self.fulfil_button.setEnabled(can_fulfil and pending)
        self.cancel_claim_button.setEnabled(can_fulfil and pending)
        self.fulfil_button.setVisible(can_fulfil)
        self.cancel_claim_button.setVisible(can_fulfil)
        self.save_preferences_button.setEnabled(can_edit)
        self.add_wait_button.setEnabled(can_edit)
        self.remove_wait_button.setEnabled(can_edit and isinstance(entry, RestockRecord) and entry.status == "waiting")

    # -- actions -------------------------------------------------------------------------------------------------
    def _run(self, work: Callable[[], object], done: str, busy: list[QWidget]) -> None:
        def success(_result: object) -> None:
            say(self.message, done)
            self.reload()

        run_in_background(work, success, self._failed, busy=busy)

    def save_preferences(self) -> None:
        actor, profile = self._actor, self._profile
        if actor is None or profile is None:
            return
        try:
            low = parse_aed(self.budget_min.text(), "budget_min_fils") if self.budget_min.text().strip() else None
            high = parse_aed(self.budget_max.text(), "budget_max_fils") if self.budget_max.text().strip() else None
        except DomainError as error:
            say(self.message, error_text(error), error=True)
            return
        draft = DeclaredDraft(
            favourite_notes=(self.notes_edit.text(),),
            families=tuple(self.families_list.checked()),
            intensity=str(self.intensity_combo.currentData() or ""),
            occasions=tuple(self.occasions_list.checked()),
            budget_min_fils=low,
            budget_max_fils=high,
            dislikes=(self.dislikes_edit.text(),),
        )
        self._run(
            lambda: self._services.loyalty.save_declared(actor, profile.id, draft),
            self.tr("Preferences saved."),
            [self.save_preferences_button],
        )

    def claim_selected(self) -> None:
        actor, profile, offer = self._actor, self._profile, self._selected(self.offers_table)
        if actor is None or profile is None or not isinstance(offer, RewardOffer):
            return
        name = local_name(offer.reward.name_en, offer.reward.name_ar)
        question = (
            self.tr("Claim %1 for %2 points?").replace("%1", name).replace("%2", number(offer.reward.points_cost))
        )
        if not self.confirm(self, self.tr("Claim reward"), question):
            return
        self._run(
            lambda: self._services.rewards.claim(actor, profile.id, offer.reward.id),
            self.tr("Reward claimed: it is pending until it is handed over."),
            [self.claim_button],
        )

    def _claim_action(self, action: str) -> None:
        actor, claim = self._actor, self._selected(self.claims_table)
        if actor is None or not isinstance(claim, ClaimRecord):
            return
        if action == "cancel":
            question = self.tr("Cancel this claim and give back %1 points?").replace("%1", number(claim.points))
            if not self.confirm(self, self.tr("Cancel claim"), question):
                return
            self._run(
                lambda: self._services.rewards.cancel(actor, claim.id),
                self.tr("Claim cancelled; the points are back."),
                [self.cancel_claim_button],
            )
        else:
            self._run(
                lambda: self._services.rewards.fulfil(actor, claim.id),
                self.tr("Claim fulfilled."),
                [self.fulfil_button],
            )

    def add_to_wait_list(self) -> None:
        actor, profile = self._actor, self._profile
        sku = str(self.wait_product.currentData() or "")
        if actor is None or profile is None or not sku:
            return
        name = self.wait_product.currentText()
        self._run(
            lambda: self._services.loyalty.add_to_wait_list(actor, profile.id, sku, name),
            self.tr("Added to the wait list."),
            [self.add_wait_button],
        )

    def remove_from_wait_list(self) -> None:
        actor, entry = self._actor, self._selected(self.wait_table)
        if actor is None or not isinstance(entry, RestockRecord):
            return
        self._run(
            lambda: self._services.loyalty.leave_wait_list(actor, entry.id),
            self.tr("Removed from the wait list."),
            [self.remove_wait_button],
        )

    def open_selected_order(self) -> None:
        order = self._selected(self.orders_table)
        if self._actor is None or not isinstance(order, OrderView):
            return
        self.dialog = OrderDialog(self._services, self._actor, order, self, self.confirm)
        self.dialog.returned.connect(lambda _r: self.reload())
        self.dialog.show()

    def _failed(self, error: BaseException) -> None:
        show_refusal(self.message, error)

    # -- language ------------------------------------------------------------------------------------------------
    def retranslate(self) -> None:
        for index, text in enumerate(
            (
                self.tr("Points history"),
                self.tr("Purchases"),
                self.tr("Preferences"),
                self.tr("Rewards"),
                self.tr("Wait list"),
            )
        ):
            self.tabs.setTabText(index, text)
        self.ledger_table.setHorizontalHeaderLabels(
            [
                self.tr("When"),
                self.tr("What"),
                self.tr("About"),
                self.tr("Points"),
                self.tr("Balance"),
                self.tr("Branch"),
            ]
        )
        self.orders_table.setHorizontalHeaderLabels(
            [self.tr("When"), self.tr("Receipt"), self.tr("Kind"), self.tr("Total"), self.tr("Points")]
        )
        self.open_order_button.setText(self.tr("Open order (returns)"))
        self.declared_title.setText(self.tr("What the customer tells us"))
        self.learned_title.setText(self.tr("What their purchases show"))
        for label, text in zip(
            self.pref_labels,
            (
                self.tr("Favourite notes"),
                self.tr("Families"),
                self.tr("Intensity"),
                self.tr("Occasions"),
                self.tr("Budget (AED)"),
                self.tr("Dislikes"),
            ),
            strict=True,
        ):
            label.setText(text)
        self.notes_edit.setPlaceholderText(self.tr("rose, oud, saffron"))
        self.dislikes_edit.setPlaceholderText(self.tr("vanilla, patchouli"))
        self._fill_choices()
        self.save_preferences_button.setText(self.tr("Save preferences"))
        self.offers_title.setText(self.tr("Rewards for this customer"))
        self.offers_table.setHorizontalHeaderLabels(
            [self.tr("Reward"), self.tr("Points"), self.tr("Stock"), self.tr("Note")]
        )
        self.claim_button.setText(self.tr("Claim reward"))
        self.claims_title.setText(self.tr("Claims"))
        self.claims_table.setHorizontalHeaderLabels(
            [self.tr("Reward"), self.tr("Points"), self.tr("Status"), self.tr("When")]
        )
        self.fulfil_button.setText(self.tr("Mark fulfilled"))
        self.cancel_claim_button.setText(self.tr("Cancel claim"))
        self.wait_table.setHorizontalHeaderLabels(
            [self.tr("Product"), self.tr("SKU"), self.tr("Status"), self.tr("Since")]
        )
        current = self.wait_product.currentData()
        self.wait_product.clear()
        for product in CATALOG:
            self.wait_product.addItem(f"{names.product(product)} · {names.ml(product.size_ml)}", product.sku)
        self.wait_product.setCurrentIndex(max(0, self.wait_product.findData(current)))
        self.add_wait_button.setText(self.tr("Add to wait list"))
        self.remove_wait_button.setText(self.tr("Remove"))
        self._show()

    def _fill_choices(self) -> None:
        self.families_list.set_options([(f.value, names.family(f)) for f in Family])
        self.occasions_list.set_options([(o.value, names.occasion(o)) for o in Occasion])
        current = self.intensity_combo.currentData()
        self.intensity_combo.clear()
        self.intensity_combo.addItem("—", "")
        for value in Intensity:
            self.intensity_combo.addItem(names.intensity(value), value.value)
        self.intensity_combo.setCurrentIndex(max(0, self.intensity_combo.findData(current or "")))
