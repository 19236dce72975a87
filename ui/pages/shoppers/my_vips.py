"""The personal shopper's start page, "My VIPs": who their VIPs are at a glance (tier, last visit, birthdays
and anniversaries coming up, open follow-ups, what they like), today's follow-ups, and a visit logged in a
few keystrokes. Managers see any shopper's list. Also the customer-360 "VIP service" tab, and install()."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt
from PySide6.QtGui import QColor, QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QVBoxLayout,
    QWidget,
)

from core.app import AppServices
from core.customers.model import CustomerProfile
from core.kernel.clock import local
from core.kernel.errors import DomainError
from core.shoppers.matching import ShopperProfile
from core.shoppers.model import AssignmentRecord, MyVips, VipCard, VisitRecord, is_vip
from core.staff.auth import Actor, Permission, Role
from ui import labels, loyalty_labels, shopper_labels
from ui.i18n import date_text, datetime_text, error_text, is_arabic, local_name, ltr, number, phone_text, show_refusal
from ui.ops import Latest, run_in_background
from ui.pages.base import ServicePage
from ui.pages.shoppers.visit import VisitDialog
from ui.widgets.named import make_button, make_label, named
from ui.widgets.panes import pane, panes
from ui.widgets.plain import as_plain, plain_labels
from ui.widgets.tables import cell, pick_list, select_row

OVERDUE = QColor("#b3261e")
DUE_TODAY = QColor("#8a5a1f")


def visit_line(visit: VisitRecord) -> str:
    parts = [datetime_text(visit.visited_at)]
    if visit.mood:
        parts.append(shopper_labels.mood(visit.mood))
    if visit.products_bought:
        bought = QCoreApplication.translate("shoppers", "Bought: %1")
        parts.append(bought.replace("%1", shopper_labels.listing(visit.products_bought)))
    elif visit.products_tried:
        tried = QCoreApplication.translate("shoppers", "Tried: %1")
        parts.append(tried.replace("%1", shopper_labels.listing(visit.products_tried)))
    if visit.notes:
        parts.append(visit.notes)
    return "  ·  ".join(parts)


class MyVipsPage(ServicePage):
    def __init__(self, services: AppServices, parent: QWidget | None = None) -> None:
        super().__init__(services, "myVipsPage", parent)
        self._data: MyVips | None = None
        self._shoppers: list[ShopperProfile] = []
        self._loading = Latest()  # the shopper chooser re-runs the query; only the newest answer shows
        self._error = ""

        top = self._build_heading()
        left = self._build_list()
        right = self._build_side()

        splitter = panes(self, left, right, (3, 2))
        splitter.setSizes([780, 520])
        self.message = make_label(self, "message")
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.message)

        self.filter.textChanged.connect(self._apply_filter)
        self.filter.returnPressed.connect(self._open_first)
        self.table.itemSelectionChanged.connect(self._show_selected)
        self.table.doubleClicked.connect(lambda _i: self.log_visit())
        self.log_button.clicked.connect(self.log_visit)
        self.done_button.clicked.connect(self.mark_done)
        self.shopper.currentIndexChanged.connect(lambda _i: self.refresh())
        QShortcut(QKeySequence("F2"), self, self.log_visit)
        QShortcut(QKeySequence("Ctrl+F"), self, self.focus_filter)
        self.table.installEventFilter(self)
        self.retranslate()
        plain_labels(self)

    # -- building ------------------------------------------------------------------------------------------
    def _build_heading(self) -> QHBoxLayout:
        """The title and counts, whose list it is (managers pick a shopper), and "log a visit"."""
        self.title = make_label(self, "pageTitle")
        self.summary = make_label(self, "subtitle")
        self.shopper = named(QComboBox(self), "vipShopper")
        self.shopper.setMinimumWidth(220)
        self.filter = named(QLineEdit(self), "vipFilter")
        self.filter.setClearButtonEnabled(True)
        self.log_button = make_button(self, "primary")
        top = QHBoxLayout()
        heading = QVBoxLayout()
        heading.addWidget(self.title)
        heading.addWidget(self.summary)
        top.addLayout(heading, 1)
        top.addWidget(self.shopper)
        top.addWidget(self.log_button)
        return top

    def _build_list(self) -> QWidget:
        """Left: the filter over the VIPs, and the list (or why it is empty)."""
        self.table = pick_list(self, 6, "vipTable", stretch="last", wrap=False)
        self.empty = make_label(self, "emptyState", wrap=True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        return pane(self, self.filter, (self.table, 1), (self.empty, 1))

    def _build_side(self) -> QWidget:
        """Right: follow-ups due, then the chosen VIP and their recent visits."""
        self.due_title = make_label(self, "sectionTitle")
        self.due = pick_list(self, 3, "dueTable", stretch="last", wrap=False)
        self.due.setMinimumHeight(150)
        self.done_button = make_button(self, "followUpDone")
        self.detail_title = make_label(self, "customerName")
        self.detail = make_label(self, "vipDetail", wrap=True)
        self.detail.setTextFormat(Qt.TextFormat.PlainText)
        self.visits = named(QListWidget(self), "vipVisits")
        self.visits.setWordWrap(True)
        self.visits_title = make_label(self, "sectionTitle")
        right = named(QWidget(self), "vipSide")
        rl = QVBoxLayout(right)
        rl.setContentsMargins(12, 0, 0, 0)
        rl.addWidget(self.due_title)
        rl.addWidget(self.due, 2)
        done_row = QHBoxLayout()
        done_row.addStretch(1)
        done_row.addWidget(self.done_button)
        rl.addLayout(done_row)
        rl.addSpacing(8)
        rl.addWidget(self.detail_title)
        rl.addWidget(self.detail)
        rl.addWidget(self.visits_title)
        rl.addWidget(self.visits, 2)
        return right

    # -- data ----------------------------------------------------------------------------------------------
    def page_title(self) -> str:
        if self._actor is not None and self._actor.can(Permission.VIEW_ALL_VIPS):
            return self.tr("VIP customers")
        return self.tr("My VIPs")

    def set_actor(self, actor: Actor | None) -> None:
        self._actor = actor
        self._data = None
        self._error = ""
        self._shoppers = []
        self.shopper.blockSignals(True)
        self.shopper.clear()
        self.shopper.blockSignals(False)
        manager = actor is not None and actor.can(Permission.VIEW_ALL_VIPS)
        self.shopper.setVisible(manager)
        self._show()
        if actor is None or not actor.can(Permission.VIEW_OWN_VIPS):
            return
        if manager:
            run_in_background(lambda: self._services.shoppers.shoppers(actor, False), self._show_shoppers, self._failed)
        else:
            self.refresh()

    def _show_shoppers(self, shoppers: list[ShopperProfile]) -> None:
        self._shoppers = shoppers
        self._fill_shoppers()
        self.refresh()

    def _fill_shoppers(self) -> None:
        current = self.shopper.currentData()
        self.shopper.blockSignals(True)
        self.shopper.clear()
        for s in self._shoppers:
            self.shopper.addItem(s.display_name("ar" if is_arabic() else "en"), s.id)
        self.shopper.setCurrentIndex(max(0, self.shopper.findData(current)))
        self.shopper.blockSignals(False)

    def refresh(self) -> None:
        actor = self._actor
        if actor is None or not actor.can(Permission.VIEW_OWN_VIPS):
            return
        shopper_id = self.shopper.currentData() if actor.can(Permission.VIEW_ALL_VIPS) else None
        if actor.can(Permission.VIEW_ALL_VIPS) and shopper_id is None:
            return

        def show(data: MyVips) -> None:
            self._data = data
            self._error = ""
            self._show()

        self._loading.run(lambda: self._services.shoppers.my_vips(actor, shopper_id), show, self._failed)

    def _failed(self, error: BaseException) -> None:
        if not isinstance(error, DomainError):
            raise error
        self._data = None
        self._error = error_text(error)
        self._show()

    # -- showing -------------------------------------------------------------------------------------------
    def _show(self) -> None:
        data = self._data
        arabic = is_arabic()
        self.title.setText(self.page_title())
        if data is None:
            self.summary.clear()
            self.table.setRowCount(0)
            self.due.setRowCount(0)
            self.empty.setText(self._error or self.tr("Loading…"))
            self._set_empty(True)
            self._show_selected()
            return
        shopper = data.shopper
        summary = self.tr("%1 · %2 of %3 VIP customers · %4 visits in the last 30 days")
        summary = (
            summary.replace("%1", shopper.display_name("ar" if arabic else "en"))
            .replace("%2", number(len(data.customers)))
            .replace("%3", number(shopper.capacity))
            .replace("%4", number(data.visits_last_30_days))
        )
        if not shopper.active:
            summary += "  ·  " + self.tr("Inactive")
        self.summary.setText(summary)
        selected = self.selected_card()
        self.table.setRowCount(len(data.customers))
        for row, card in enumerate(data.customers):
            self._fill_row(row, card, data)
            if selected is not None and card.customer.id == selected.customer.id:
                select_row(self.table, row)
        for col in range(5):
            self.table.resizeColumnToContents(col)
        if selected is None and data.customers:
            select_row(self.table, 0)
        self.empty.setText(self.tr("No VIP customers are assigned to this shopper yet."))
        self._set_empty(not data.customers)
        self._apply_filter()

        self.due.setRowCount(len(data.due))
        for row, item in enumerate(data.due):
            overdue = item.overdue(data.today)
            when = self.tr("Overdue: %1").replace("%1", date_text(item.due_on)) if overdue else self.tr("Today")
            color = OVERDUE if overdue else DUE_TODAY
            self.due.setItem(row, 0, cell(when, item.id, color))
            self.due.setItem(row, 1, cell(local_name(item.customer_name_en, item.customer_name_ar), item.customer_id))
            self.due.setItem(row, 2, cell(item.note or ""))
        self.due.resizeColumnToContents(0)
        self.due.resizeColumnToContents(1)
        self.due_title.setText(self.tr("Follow-ups due today (%1)").replace("%1", number(len(data.due))))
        self.done_button.setEnabled(bool(data.due))
        self._show_selected()

    def _fill_row(self, row: int, card: VipCard, data: MyVips) -> None:
        name = card.customer.display_name("ar" if is_arabic() else "en")
        status = loyalty_labels.tier(card.tier) if card.tier else labels.segment(card.customer.segment)
        if not card.vip:
            status = self.tr("No longer VIP")
        last = date_text(local(card.last_visit_at).date()) if card.last_visit_at else self.tr("Never")
        occasions = []
        if card.next_birthday:
            occasions.append(self.tr("Birthday %1").replace("%1", date_text(card.next_birthday)))
        if card.anniversary_on:
            occasions.append(
                self.tr("%1 years with us on %2")
                .replace("%1", number(card.anniversary_years))
                .replace("%2", date_text(card.anniversary_on))
            )
        follow = ""
        if card.open_follow_ups:
            follow = number(card.open_follow_ups)
            if card.next_follow_up_on:
                follow += "  ·  " + date_text(card.next_follow_up_on)
        likes = shopper_labels.listing([shopper_labels.taste(f) for f in card.families] + list(card.brands))
        name_cell = cell(name, card.customer.id)
        name_cell.setToolTip(as_plain(card.customer.number))
        self.table.setItem(row, 0, name_cell)
        self.table.setItem(row, 1, cell(status, None, None if card.vip else OVERDUE))
        self.table.setItem(row, 2, cell(last))
        self.table.setItem(row, 3, cell("  ·  ".join(occasions), None, DUE_TODAY if occasions else None))
        overdue = card.next_follow_up_on is not None and card.next_follow_up_on < data.today
        self.table.setItem(row, 4, cell(follow, None, OVERDUE if overdue else None))
        likes_cell = cell(likes)
        likes_cell.setToolTip(as_plain(likes))
        self.table.setItem(row, 5, likes_cell)

    def _set_empty(self, empty: bool) -> None:
        self.table.setVisible(not empty)
        self.empty.setVisible(empty)

    def _apply_filter(self) -> None:
        data = self._data
        if data is None:
            return
        typed = self.filter.text().strip().casefold()
        for row, card in enumerate(data.customers):
            hay = " ".join((card.customer.name_en, card.customer.name_ar, card.customer.number, card.mobile or ""))
            self.table.setRowHidden(row, bool(typed) and typed not in hay.casefold())

    def _open_first(self) -> None:
        for row in range(self.table.rowCount()):
            if not self.table.isRowHidden(row):
                select_row(self.table, row)
                self.table.setFocus()
                return

    def focus_filter(self) -> None:
        self.filter.setFocus()
        self.filter.selectAll()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            watched is self.table
            and event.type() == QEvent.Type.KeyPress
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)  # type: ignore[attr-defined]
        ):
            self.log_visit()
            return True
        return super().eventFilter(watched, event)

    def selected_card(self) -> VipCard | None:
        data = self._data
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        if data is None or not rows or rows[0].row() >= len(data.customers):
            return None
        return data.customers[rows[0].row()]

    def _show_selected(self) -> None:
        card = self.selected_card()
        self.log_button.setEnabled(card is not None)
        self.visits.clear()
        if card is None:
            self.detail_title.clear()
            self.detail.setText(self.tr("Choose a VIP to see them at a glance. Enter or F2 logs a visit."))
            self.visits_title.clear()
            return
        customer = card.customer
        self.detail_title.setText(customer.display_name("ar" if is_arabic() else "en"))
        lines = [
            "  ·  ".join(
                filter(
                    None,
                    [
                        ltr(customer.number),
                        phone_text(card.mobile),
                        labels.language(customer.preferred_language),
                    ],
                )
            )
        ]
        if card.families or card.brands:
            likes = shopper_labels.listing([shopper_labels.taste(f) for f in card.families] + list(card.brands))
            lines.append(self.tr("Likes: %1").replace("%1", likes))
        lines.append(self.tr("With you since %1").replace("%1", date_text(local(card.assigned_at).date())))
        self.detail.setText("\n".join(lines))
        self.visits_title.setText(self.tr("Recent visits"))
        actor = self._actor
        if actor is None:
            return
        customer_id = customer.id

        def show(visits: list[VisitRecord]) -> None:
            current = self.selected_card()
            if current is None or current.customer.id != customer_id:
                return
            self.visits.clear()
            for visit in visits:
                self.visits.addItem(visit_line(visit))
            if not visits:
                self.visits.addItem(self.tr("No visit logged yet."))

        run_in_background(lambda: self._services.shoppers.visits(actor, customer_id, 5), show, self._failed)

    # -- actions -------------------------------------------------------------------------------------------
    def log_visit(self) -> None:
        card = self.selected_card()
        actor = self._actor
        if card is None or actor is None or self._data is None:
            return
        shopper_id = self._data.shopper.id if actor.can(Permission.VIEW_ALL_VIPS) else None
        dialog = VisitDialog(
            self._services,
            actor,
            card.customer.id,
            card.customer.display_name("ar" if is_arabic() else "en"),
            vip=card.vip,
            shopper_id=shopper_id,
            parent=self,
        )
        dialog.saved.connect(self._visit_saved)
        self.visit_dialog = dialog
        dialog.open()

    def _visit_saved(self, record: VisitRecord) -> None:
        if record.customer_not_vip:
            self.message.setText(self.tr("Visit saved and flagged: the customer is not a VIP."))
        else:
            self.message.setText(self.tr("Visit saved."))
        self.refresh()

    def mark_done(self) -> None:
        actor = self._actor
        rows = self.due.selectionModel().selectedRows()
        row = rows[0].row() if rows else 0
        item = self.due.item(row, 0)
        if actor is None or item is None:
            return
        follow_up_id = str(item.data(Qt.ItemDataRole.UserRole))

        def done(_none: object) -> None:
            self.message.setText(self.tr("Follow-up marked done."))
            self.refresh()

        run_in_background(
            lambda: self._services.shoppers.close_follow_up(actor, follow_up_id),
            done,
            self._failed,
            busy=[self.done_button],
        )

    def showEvent(self, event: QShowEvent) -> None:
        if self._data is not None:
            self.refresh()
        super().showEvent(event)

    def retranslate(self) -> None:
        self.filter.setPlaceholderText(self.tr("Filter by name, number or mobile (Ctrl+F)"))
        self.log_button.setText(self.tr("Log a visit (F2)"))
        self.done_button.setText(self.tr("Mark done"))
        headers = [self.tr("Customer"), self.tr("Tier"), self.tr("Last visit"), self.tr("Coming up")]
        self.table.setHorizontalHeaderLabels([*headers, self.tr("Follow-ups"), self.tr("Likes")])
        self.due.setHorizontalHeaderLabels([self.tr("Due"), self.tr("Customer"), self.tr("To do")])
        self._fill_shoppers()
        self._show()


class CustomerVipTab(ServicePage):
    """Customer 360: the customer's shopper and its history, recent visits, and Log a visit."""

    def __init__(self, services: AppServices, parent: QWidget | None = None) -> None:
        super().__init__(services, "customerVipTab", parent)
        self._profile: CustomerProfile | None = None
        self._assignments: list[AssignmentRecord] = []
        self._visits: list[VisitRecord] = []
        self.shopper = make_label(self, "bigFigure", wrap=True)
        self.history = named(QListWidget(self), "assignmentHistory")
        self.visits = named(QListWidget(self), "customerVisits")
        self.visits.setWordWrap(True)
        self.history_title = make_label(self, "sectionTitle")
        self.visits_title = make_label(self, "sectionTitle")
        self.log_button = make_button(self, "primary")
        self.message = make_label(self, "message", wrap=True)
        top = QHBoxLayout()
        top.addWidget(self.shopper, 1)
        top.addWidget(self.log_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.message)
        layout.addWidget(self.visits_title)
        layout.addWidget(self.visits, 2)
        layout.addWidget(self.history_title)
        layout.addWidget(self.history, 1)
        self.log_button.clicked.connect(self.log_visit)
        self.retranslate()
        plain_labels(self)

    def title(self) -> str:
        return self.tr("VIP service")

    def show_customer(self, profile: CustomerProfile | None) -> None:
        self._profile = profile
        self._assignments, self._visits = [], []
        self.message.clear()
        self._show()
        actor = self._actor
        if profile is None or actor is None or not actor.can(Permission.VIEW_OWN_VIPS):
            return
        customer_id = profile.id

        def load() -> tuple[list[AssignmentRecord], list[VisitRecord]]:
            return (
                self._services.shoppers.assignment_history(actor, customer_id),
                self._services.shoppers.visits(actor, customer_id, 10),
            )

        def show(result: tuple[list[AssignmentRecord], list[VisitRecord]]) -> None:
            if self._profile is not None and self._profile.id == customer_id:
                self._assignments, self._visits = result
                self._show()

        run_in_background(load, show, self._failed)

    def _failed(self, error: BaseException) -> None:
        show_refusal(self.message, error, error_text)

    def _show(self) -> None:
        actor = self._actor
        allowed = actor is not None and actor.can(Permission.VIEW_OWN_VIPS)
        self.log_button.setVisible(actor is not None and actor.can(Permission.LOG_VIP_VISITS))
        self.log_button.setEnabled(self._profile is not None)
        self.history.clear()
        self.visits.clear()
        if not allowed:
            self.shopper.setText(self.tr("VIP service details are for personal shoppers and managers."))
            return
        current = next((a for a in self._assignments if a.ended_at is None), None)
        if current is None:
            self.shopper.setText(self.tr("No personal shopper"))
        else:
            self.shopper.setText(
                self.tr("Personal shopper: %1").replace(
                    "%1", local_name(current.shopper_name_en, current.shopper_name_ar)
                )
            )
        for a in self._assignments:
            since = date_text(local(a.assigned_at).date())
            until = date_text(local(a.ended_at).date()) if a.ended_at else self.tr("now")
            line = (
                self.tr("%1: %2 – %3")
                .replace("%1", local_name(a.shopper_name_en, a.shopper_name_ar))
                .replace("%2", since)
                .replace("%3", until)
            )
            if a.reason:
                line += "  ·  " + a.reason
            if a.capacity_override:
                line += "  ·  " + self.tr("over capacity (manager override)")
            self.history.addItem(line)
        for visit in self._visits:
            self.visits.addItem(visit_line(visit))

    def log_visit(self) -> None:
        actor, profile = self._actor, self._profile
        if actor is None or profile is None:
            return
        current = next((a for a in self._assignments if a.ended_at is None), None)
        shopper_id = None
        if actor.role != Role.PERSONAL_SHOPPER and current is not None:
            shopper_id = current.shopper_id
        dialog = VisitDialog(
            self._services,
            actor,
            profile.id,
            profile.display_name("ar" if is_arabic() else "en"),
            vip=is_vip(profile.segment, None),
            shopper_id=shopper_id,
            parent=self,
        )
        dialog.saved.connect(lambda _r: self.show_customer(self._profile))
        self.visit_dialog = dialog
        dialog.open()

    def retranslate(self) -> None:
        self.log_button.setText(self.tr("Log a visit"))
        self.history_title.setText(self.tr("Personal shoppers over time"))
        self.visits_title.setText(self.tr("Visits"))
        self._show()
