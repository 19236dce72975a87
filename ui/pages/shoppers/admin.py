"""The manager's VIP service page: the queue of VIPs waiting for a shopper and the ranked candidates with
their reasons (assign in one click; a full shopper only with an audited override), transfer with a reason,
shopper profiles, overdue follow-ups and flagged visits, and performance."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from core.app import AppServices
from core.customers.model import CustomerSummary
from core.kernel.errors import DomainError
from core.shoppers.matching import MatchCandidate, ShopperProfile, Specialty
from core.shoppers.model import (
    DEFAULT_CAPACITY,
    MAX_CAPACITY,
    MAX_EXPERIENCE_YEARS,
    SHOPPER_LANGUAGES,
    FlaggedVisit,
    FollowUpItem,
    QueueEntry,
    QueueReason,
    ShopperCandidateStaff,
    ShopperDraft,
)
from core.shoppers.service import MatchResult
from core.staff.auth import Actor, Permission
from ui import labels, loyalty_labels, shopper_labels
from ui.i18n import (
    Retranslating,
    date_text,
    datetime_text,
    error_text,
    field_errors,
    is_arabic,
    local_name,
    number,
    signed_number,
)
from ui.ops import Latest, run_in_background
from ui.pages.base import RefreshingPage, ServicePage
from ui.pages.shoppers.my_vips import OVERDUE
from ui.pages.shoppers.performance import PerformanceView
from ui.widgets.digits import DigitSpinBox
from ui.widgets.named import make_button, make_label, named
from ui.widgets.panes import pane, panes
from ui.widgets.plain import plain_labels
from ui.widgets.tables import cell, pick_list, select_row


def _flag_error(label: QLabel, on: bool) -> None:
    label.setProperty("error", on)
    label.style().unpolish(label)
    label.style().polish(label)


class MatchingView(ServicePage):
    """Queue on the left; the chosen customer's ranked shoppers, reasons and actions on the right."""

    def __init__(self, services: AppServices, parent: QWidget | None = None) -> None:
        super().__init__(services, parent=parent)
        self._queue: list[QueueEntry] = []
        self._found: list[CustomerSummary] = []
        self._result: MatchResult | None = None
        self._matching = Latest()  # a second customer chosen before the first match returns wins

        left = self._build_queue()
        right = self._build_match()

        splitter = panes(self, left, right, (2, 3))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(splitter)

        self.search_box.returnPressed.connect(self._search)
        self.search_box.textChanged.connect(lambda t: self.refresh() if not t.strip() else None)
        self.queue.itemSelectionChanged.connect(self._customer_chosen)
        self.candidates.itemSelectionChanged.connect(self._candidate_chosen)
        self.override.toggled.connect(lambda _on: self._enable())
        self.reason.textChanged.connect(lambda _t: self._enable())
        self.assign_button.clicked.connect(self.assign)
        self.transfer_button.clicked.connect(self.transfer)
        self.remove_button.clicked.connect(self.remove)
        self.retranslate()
        plain_labels(self)

    # -- building ------------------------------------------------------------------------------------------
    def _build_queue(self) -> QWidget:
        """Left: a customer search above the queue of customers waiting for a shopper."""
        self.search_box = QLineEdit(self)  # not ``find``, which would hide QWidget.find
        self.search_box.setObjectName("matchFind")
        self.search_box.setClearButtonEnabled(True)
        self.queue_title = make_label(self, "sectionTitle")
        self.queue = pick_list(self, 4, "vipQueue", stretch="last", wrap=False)
        return pane(self, self.search_box, self.queue_title, (self.queue, 1))

    def _build_match(self) -> QWidget:
        """Right: the chosen customer, the ranked shoppers and their reasons, and what to do about it."""
        self.customer = make_label(self, "customerName")
        self.customer_info = make_label(self, "subtitle", wrap=True)
        self.candidates = pick_list(self, 6, "candidates", stretch="last", wrap=False)
        self.reasons = named(QListWidget(self), "matchReasons")
        self.reasons.setWordWrap(True)
        self.override = named(QCheckBox(self), "capacityOverride")
        self.reason = named(QLineEdit(self), "assignReason")
        self.assign_button = make_button(self, "primary")
        self.transfer_button = QPushButton(self)
        self.remove_button = QPushButton(self)
        self.message = make_label(self, "message", wrap=True)
        actions = QHBoxLayout()
        actions.addWidget(self.override)
        actions.addWidget(self.reason, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.message, 1)
        buttons.addWidget(self.remove_button)
        buttons.addWidget(self.transfer_button)
        buttons.addWidget(self.assign_button)
        return pane(
            self,
            self.customer,
            self.customer_info,
            (self.candidates, 3),
            (self.reasons, 2),
            actions,
            buttons,
            margins=(12, 0, 0, 0),
        )

    # -- the list on the left ------------------------------------------------------------------------------
    def set_actor(self, actor: Actor | None) -> None:
        self._actor = actor
        self._queue, self._found, self._result = [], [], None
        self.search_box.clear()
        self._show_list()
        self._show_match()

    def refresh(self) -> None:
        actor = self._actor
        if actor is None or not actor.can(Permission.ASSIGN_SHOPPERS):
            return
        self._found = []

        def show(entries: list[QueueEntry]) -> None:
            self._queue = entries
            self._show_list()

        run_in_background(lambda: self._services.shoppers.queue(actor), show, self._failed)

    def _search(self) -> None:
        typed = self.search_box.text()
        if not typed.strip():
            self.refresh()
            return

        def show(found: list[CustomerSummary]) -> None:
            self._found = found
            self._show_list()
            if found:
                select_row(self.queue, 0)

        run_in_background(lambda: self._services.customers.search(typed), show, self._failed)

    def _show_list(self) -> None:
        arabic = is_arabic()
        self.queue.setRowCount(0)
        if self._found:
            self.queue_title.setText(self.tr("Customers found (%1)").replace("%1", number(len(self._found))))
            self.queue.setHorizontalHeaderLabels([self.tr("Customer"), self.tr("Number"), self.tr("Segment"), ""])
            self.queue.setRowCount(len(self._found))
            for row, found in enumerate(self._found):
                self.queue.setItem(row, 0, cell(local_name(found.name_en, found.name_ar), found.id))
                self.queue.setItem(row, 1, cell(found.number))
                self.queue.setItem(row, 2, cell(labels.segment(found.segment)))
                self.queue.setItem(row, 3, cell(""))
        else:
            self.queue_title.setText(self.tr("VIPs waiting for a shopper (%1)").replace("%1", number(len(self._queue))))
            self.queue.setHorizontalHeaderLabels(
                [self.tr("Customer"), self.tr("Language"), self.tr("Tier"), self.tr("Why")]
            )
            self.queue.setRowCount(len(self._queue))
            for row, entry in enumerate(self._queue):
                c = entry.customer
                status = loyalty_labels.tier(entry.tier) if entry.tier else labels.segment(c.segment)
                if entry.reason == QueueReason.SHOPPER_INACTIVE:
                    why = self.tr("%1 is inactive").replace(
                        "%1", local_name(entry.previous_shopper_en, entry.previous_shopper_ar)
                    )
                else:
                    why = self.tr("New VIP")
                self.queue.setItem(row, 0, cell(c.display_name("ar" if arabic else "en"), c.id))
                self.queue.setItem(row, 1, cell(labels.language(c.preferred_language)))
                self.queue.setItem(row, 2, cell(status))
                self.queue.setItem(
                    row, 3, cell(why, None, OVERDUE if entry.reason == QueueReason.SHOPPER_INACTIVE else None)
                )
        for col in (0, 1, 2):
            self.queue.resizeColumnToContents(col)

    # -- the match on the right ----------------------------------------------------------------------------
    def _customer_chosen(self) -> None:
        rows = self.queue.selectionModel().selectedRows()
        actor = self._actor
        if not rows or actor is None or (chosen := self.queue.item(rows[0].row(), 0)) is None:
            return
        customer_id = str(chosen.data(Qt.ItemDataRole.UserRole))
        self.open_customer(customer_id)

    def open_customer(self, customer_id: str) -> None:
        actor = self._actor
        if actor is None:
            return

        def show(result: MatchResult) -> None:
            self._result = result
            self._show_match()

        self._matching.run(lambda: self._services.shoppers.match(actor, customer_id), show, self._failed)

    def _show_match(self) -> None:
        result = self._result
        arabic = is_arabic()
        self.candidates.setRowCount(0)
        self.reasons.clear()
        if result is None:
            self.customer.setText(self.tr("Choose a VIP from the queue"))
            self.customer_info.setText(
                self.tr("Or find any customer above to transfer them to another shopper (Enter searches).")
            )
            self._enable()
            return
        c = result.customer
        self.customer.setText(c.display_name("ar" if arabic else "en"))
        parts = [c.number, labels.language(c.preferred_language), labels.segment(c.segment)]
        if result.tier:
            parts.append(loyalty_labels.tier(result.tier))
        if result.current is not None:
            parts.append(
                self.tr("Shopper: %1").replace(
                    "%1", local_name(result.current.shopper_name_en, result.current.shopper_name_ar)
                )
            )
        else:
            parts.append(self.tr("No shopper yet"))
        if not result.vip:
            parts.append(self.tr("Not a VIP"))
        self.customer_info.setText("  ·  ".join(parts))
        self.candidates.setRowCount(len(result.candidates))
        first_free = None
        for row, candidate in enumerate(result.candidates):
            s = candidate.shopper
            colour = OVERDUE if candidate.full else None
            load = self.tr("%1 of %2").replace("%1", number(s.load)).replace("%2", number(s.capacity))
            if candidate.full:
                load = self.tr("Full: %1").replace("%1", load)
            self.candidates.setItem(row, 0, cell(number(candidate.rank), s.id))
            self.candidates.setItem(row, 1, cell(s.display_name("ar" if arabic else "en"), None, colour))
            self.candidates.setItem(row, 2, cell(number(candidate.score)))
            self.candidates.setItem(row, 3, cell(load, None, colour))
            langs = shopper_labels.listing(shopper_labels.shopper_language(x) for x in s.languages)
            self.candidates.setItem(row, 4, cell(langs))
            specialties = shopper_labels.listing(shopper_labels.specialty(x) for x in s.specialties)
            self.candidates.setItem(row, 5, cell(specialties))
            if (
                first_free is None
                and not candidate.full
                and (result.current is None or s.id != result.current.shopper_id)
            ):
                first_free = row
        for col in range(5):
            self.candidates.resizeColumnToContents(col)
        if first_free is not None:
            select_row(self.candidates, first_free)
        self._enable()

    def selected_candidate(self) -> MatchCandidate | None:
        result = self._result
        rows = self.candidates.selectionModel().selectedRows()
        if result is None or not rows or rows[0].row() >= len(result.candidates):
            return None
        return result.candidates[rows[0].row()]

    def _candidate_chosen(self) -> None:
        self.reasons.clear()
        candidate = self.selected_candidate()
        if candidate is not None:
            for reason in candidate.reasons:
                points = signed_number(reason.points) if reason.points else "·"
                item = QListWidgetItem(f"{points}   {shopper_labels.reason_text(reason)}")
                if reason.code in ("no_language", "full"):
                    item.setForeground(OVERDUE)
                self.reasons.addItem(item)
        self._enable()

    def _enable(self) -> None:
        result, candidate = self._result, self.selected_candidate()
        actor = self._actor
        may_override = actor is not None and actor.can(Permission.OVERRIDE_SHOPPER_CAPACITY)
        self.override.setEnabled(may_override and candidate is not None and candidate.full)
        if candidate is None or not candidate.full:
            self.override.setChecked(False)
        has_reason = bool(self.reason.text().strip())
        ok_capacity = candidate is not None and (not candidate.full or (self.override.isChecked() and has_reason))
        current = result.current if result else None
        self.assign_button.setEnabled(result is not None and current is None and result.vip and ok_capacity)
        self.transfer_button.setEnabled(
            current is not None
            and ok_capacity
            and has_reason
            and candidate is not None
            and candidate.shopper.id != current.shopper_id
        )
        self.remove_button.setEnabled(current is not None and has_reason)

    # -- actions -------------------------------------------------------------------------------------------
    def assign(self) -> None:
        result, candidate, actor = self._result, self.selected_candidate(), self._actor
        if result is None or candidate is None or actor is None:
            return
        customer_id, shopper = result.customer.id, candidate.shopper
        override, reason = self.override.isChecked(), self.reason.text()
        run_in_background(
            lambda: self._services.shoppers.assign(actor, customer_id, shopper.id, override=override, reason=reason),
            lambda _r: self._done(self.tr("Assigned to %1.").replace("%1", self._name(shopper)), customer_id),
            self._failed,
            busy=[self.assign_button],
        )

    def transfer(self) -> None:
        result, candidate, actor = self._result, self.selected_candidate(), self._actor
        if result is None or candidate is None or actor is None:
            return
        customer_id, shopper = result.customer.id, candidate.shopper
        override, reason = self.override.isChecked(), self.reason.text()
        run_in_background(
            lambda: self._services.shoppers.transfer(actor, customer_id, shopper.id, reason, override=override),
            lambda _r: self._done(self.tr("Transferred to %1.").replace("%1", self._name(shopper)), customer_id),
            self._failed,
            busy=[self.transfer_button],
        )

    def remove(self) -> None:
        result, actor = self._result, self._actor
        if result is None or actor is None:
            return
        customer_id, reason = result.customer.id, self.reason.text()
        run_in_background(
            lambda: self._services.shoppers.unassign(actor, customer_id, reason),
            lambda _r: self._done(self.tr("The customer has no personal shopper now."), customer_id),
            self._failed,
            busy=[self.remove_button],
        )

    @staticmethod
    def _name(shopper: ShopperProfile) -> str:
        return shopper.display_name("ar" if is_arabic() else "en")

    def _done(self, text: str, customer_id: str) -> None:
        _flag_error(self.message, False)
        self.message.setText(text)
        self.reason.clear()
        self.override.setChecked(False)
        if self._found:
            self._search()
        else:
            self.refresh()
        self.open_customer(customer_id)

    def _failed(self, error: BaseException) -> None:
        if not isinstance(error, DomainError):
            raise error
        self.message.setText(error_text(error))
        _flag_error(self.message, True)

    def retranslate(self) -> None:
        self.search_box.setPlaceholderText(
            self.tr("Find any customer to transfer (name, mobile, number) and press Enter")
        )
        headers = [self.tr("#"), self.tr("Shopper"), self.tr("Score"), self.tr("VIPs"), self.tr("Languages")]
        self.candidates.setHorizontalHeaderLabels([*headers, self.tr("Specialties")])
        self.override.setText(self.tr("Override capacity"))
        self.reason.setPlaceholderText(self.tr("Reason (needed to transfer, remove or override)"))
        self.assign_button.setText(self.tr("Assign"))
        self.transfer_button.setText(self.tr("Transfer"))
        self.remove_button.setText(self.tr("Remove shopper"))
        self._show_list()
        self._show_match()
        self._candidate_chosen()


class ShoppersView(RefreshingPage):
    """Shopper profiles: languages, specialties, experience, capacity, active."""

    def __init__(self, services: AppServices, parent: QWidget | None = None) -> None:
        super().__init__(services, parent=parent)
        self._shoppers: list[ShopperProfile] = []
        self._staff: list[ShopperCandidateStaff] = []
        self._editing: ShopperProfile | None = None
        self.table = pick_list(self, 7, "shopperTable", stretch="last", wrap=False)
        self.editor_title = make_label(self, "sectionTitle")
        self.staff = named(QComboBox(self), "newShopperStaff")
        self.languages = named(QListWidget(self), "shopperLanguages")
        self.languages.setMaximumHeight(150)
        self.specialties: dict[str, QCheckBox] = {s.value: QCheckBox(self) for s in Specialty}
        specialty_row = pane(self, *self.specialties.values(), 1, row=True)
        self.experience = DigitSpinBox(self)
        self.experience.setRange(0, MAX_EXPERIENCE_YEARS)
        self.capacity = DigitSpinBox(self)
        self.capacity.setRange(1, MAX_CAPACITY)
        self.capacity.setValue(DEFAULT_CAPACITY)
        self.active = QCheckBox(self)
        self.active.setChecked(True)
        self.form = QFormLayout()
        self.captions = [QLabel(self) for _ in range(6)]
        for caption, widget in zip(
            self.captions,
            (self.staff, self.languages, specialty_row, self.experience, self.capacity, self.active),
            strict=True,
        ):
            self.form.addRow(caption, widget)
        self.new_button = QPushButton(self)
        self.save_button = make_button(self, "primary")
        self.message = make_label(self, "message", wrap=True)
        buttons = QHBoxLayout()
        buttons.addWidget(self.new_button)
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        editor = pane(self, self.editor_title, self.form, self.message, buttons, 1, margins=(0, 8, 0, 0))
        # The list above the editor, each the page's full width: side by side, seven columns and the form
        # need some 1,500 px, more than the till's 1366 px screen.
        splitter = panes(self, self.table, editor, (1, 1), Qt.Orientation.Vertical)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(splitter)
        self.table.itemSelectionChanged.connect(self._chosen)
        self.new_button.clicked.connect(self.new_profile)
        self.save_button.clicked.connect(self.save)
        self.retranslate()
        plain_labels(self)

    def set_actor(self, actor: Actor | None) -> None:
        self._actor = actor
        self._shoppers, self._staff, self._editing = [], [], None
        self._show()

    def refresh(self) -> None:
        actor = self._actor
        if actor is None or not actor.can(Permission.MANAGE_SHOPPERS):
            return

        def load() -> tuple[list[ShopperProfile], list[ShopperCandidateStaff]]:
            return self._services.shoppers.shoppers(actor), self._services.shoppers.staff_without_profile(actor)

        def show(result: tuple[list[ShopperProfile], list[ShopperCandidateStaff]]) -> None:
            self._shoppers, self._staff = result
            if self._editing is not None:
                self._editing = next((s for s in self._shoppers if s.id == self._editing.id), None)
            self._show()

        run_in_background(load, show, self._failed)

    def _show(self) -> None:
        arabic = is_arabic()
        editing = self._editing
        self.table.blockSignals(True)
        self.table.setRowCount(len(self._shoppers))
        for row, s in enumerate(self._shoppers):
            values = (
                s.display_name("ar" if arabic else "en"),
                local_name(s.branch_name_en, s.branch_name_ar),
                shopper_labels.listing(shopper_labels.shopper_language(x) for x in s.languages),
                shopper_labels.listing(shopper_labels.specialty(x) for x in s.specialties),
                number(s.experience_years),
                self.tr("%1 of %2").replace("%1", number(s.load)).replace("%2", number(s.capacity)),
                self.tr("Active") if s.active else self.tr("Inactive"),
            )
            for col, text in enumerate(values):
                self.table.setItem(row, col, cell(text, s.id if col == 0 else None, None if s.active else OVERDUE))
            if editing is not None and s.id == editing.id:
                select_row(self.table, row)
        self.table.blockSignals(False)
        for col in range(6):
            self.table.resizeColumnToContents(col)
        self.staff.clear()
        for member in self._staff:
            self.staff.addItem(local_name(member.name_en, member.name_ar), member.staff_id)
        self._load_editor()

    def _chosen(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if rows and rows[0].row() < len(self._shoppers):
            self._editing = self._shoppers[rows[0].row()]
            self.message.clear()
            self._load_editor()

    def new_profile(self) -> None:
        self._editing = None
        self.table.clearSelection()
        self.message.clear()
        self._load_editor()

    def _load_editor(self) -> None:
        s = self._editing
        arabic = is_arabic()
        self.staff.setVisible(s is None)
        self.captions[0].setVisible(s is None)
        if s is None:
            self.editor_title.setText(self.tr("New shopper profile"))
            self.save_button.setEnabled(self.staff.count() > 0)
            if self.staff.count() == 0:
                self.message.setText(self.tr("Every personal shopper on the staff list has a profile."))
        else:
            self.editor_title.setText(s.display_name("ar" if arabic else "en"))
            self.save_button.setEnabled(True)
        chosen = set(s.languages) if s else {"ar", "en"}
        self.languages.clear()
        for code in SHOPPER_LANGUAGES:
            item = QListWidgetItem(shopper_labels.shopper_language(code))
            item.setData(Qt.ItemDataRole.UserRole, code)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if code in chosen else Qt.CheckState.Unchecked)
            self.languages.addItem(item)
        for code, box in self.specialties.items():
            box.setChecked(bool(s) and code in s.specialties)  # type: ignore[union-attr]
        self.experience.setValue(s.experience_years if s else 0)
        self.capacity.setValue(s.capacity if s else DEFAULT_CAPACITY)
        self.active.setChecked(s.active if s else True)

    def draft(self) -> ShopperDraft:
        languages = tuple(
            str(self.languages.item(i).data(Qt.ItemDataRole.UserRole))
            for i in range(self.languages.count())
            if self.languages.item(i).checkState() == Qt.CheckState.Checked
        )
        staff_id = self._editing.staff_id if self._editing else str(self.staff.currentData() or "")
        return ShopperDraft(
            staff_id=staff_id,
            languages=languages,
            specialties=tuple(code for code, box in self.specialties.items() if box.isChecked()),
            experience_years=self.experience.value(),
            capacity=self.capacity.value(),
            active=self.active.isChecked(),
        )

    def save(self) -> None:
        actor = self._actor
        if actor is None:
            return
        draft, editing = self.draft(), self._editing

        def saved(profile: ShopperProfile) -> None:
            self._editing = profile
            _flag_error(self.message, False)
            self.message.setText(self.tr("Saved."))
            self.refresh()

        if editing is None:
            job = lambda: self._services.shoppers.create_profile(actor, draft)  # noqa: E731
        else:
            job = lambda: self._services.shoppers.update_profile(actor, editing.id, draft)  # noqa: E731
        run_in_background(job, saved, self._failed, busy=[self.save_button])

    def _failed(self, error: BaseException) -> None:
        if not isinstance(error, DomainError):
            raise error
        _flag_error(self.message, True)
        self.message.setText("\n".join(field_errors(error).values()))

    def retranslate(self) -> None:
        headers = [self.tr("Shopper"), self.tr("Branch"), self.tr("Languages"), self.tr("Specialties")]
        self.table.setHorizontalHeaderLabels([*headers, self.tr("Years"), self.tr("VIPs"), self.tr("Status")])
        for caption, text in zip(
            self.captions,
            (
                self.tr("Staff member"),
                self.tr("Languages"),
                self.tr("Specialties"),
                self.tr("Years of experience"),
                self.tr("Capacity (VIP customers)"),
                self.tr("Status"),
            ),
            strict=True,
        ):
            caption.setText(text)
        for code, box in self.specialties.items():
            box.setText(shopper_labels.specialty(code))
        self.active.setText(self.tr("Active: can take customers and log visits"))
        self.new_button.setText(self.tr("New profile"))
        self.save_button.setText(self.tr("Save profile"))
        self._show()


class FollowUpsView(RefreshingPage):
    """Overdue follow-ups of every shopper, and visits flagged because the customer was not a VIP."""

    def __init__(self, services: AppServices, parent: QWidget | None = None) -> None:
        super().__init__(services, parent=parent)
        self._overdue: list[FollowUpItem] = []
        self._flagged: list[FlaggedVisit] = []
        self.overdue_title = make_label(self, "sectionTitle")
        self.overdue = pick_list(self, 4, "overdueFollowUps", stretch="last", wrap=False)
        self.flagged_title = make_label(self, "sectionTitle")
        self.flagged = pick_list(self, 4, "flaggedVisits", stretch="last", wrap=False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.overdue_title)
        layout.addWidget(self.overdue, 3)
        layout.addWidget(self.flagged_title)
        layout.addWidget(self.flagged, 2)
        self.retranslate()
        plain_labels(self)

    def set_actor(self, actor: Actor | None) -> None:
        self._actor = actor
        self._overdue, self._flagged = [], []
        self._show()

    def refresh(self) -> None:
        actor = self._actor
        if actor is None or not actor.can(Permission.VIEW_ALL_VIPS):
            return

        def load() -> tuple[list[FollowUpItem], list[FlaggedVisit]]:
            return self._services.shoppers.overdue_follow_ups(actor), self._services.shoppers.flagged_visits(actor)

        def show(result: tuple[list[FollowUpItem], list[FlaggedVisit]]) -> None:
            self._overdue, self._flagged = result
            self._show()

        run_in_background(load, show)

    def _show(self) -> None:
        self.overdue_title.setText(self.tr("Overdue follow-ups (%1)").replace("%1", number(len(self._overdue))))
        self.overdue.setRowCount(len(self._overdue))
        for row, f in enumerate(self._overdue):
            self.overdue.setItem(row, 0, cell(date_text(f.due_on), f.id, OVERDUE))
            self.overdue.setItem(row, 1, cell(local_name(f.customer_name_en, f.customer_name_ar)))
            self.overdue.setItem(row, 2, cell(local_name(f.shopper_name_en, f.shopper_name_ar)))
            self.overdue.setItem(row, 3, cell(f.note or ""))
        self.flagged_title.setText(
            self.tr("Visits with customers who are not VIPs (%1)").replace("%1", number(len(self._flagged)))
        )
        self.flagged.setRowCount(len(self._flagged))
        for row, v in enumerate(self._flagged):
            self.flagged.setItem(row, 0, cell(datetime_text(v.visit.visited_at)))
            self.flagged.setItem(row, 1, cell(local_name(v.customer_name_en, v.customer_name_ar)))
            self.flagged.setItem(row, 2, cell(local_name(v.shopper_name_en, v.shopper_name_ar)))
            self.flagged.setItem(row, 3, cell(v.visit.notes or ""))
        for view in (self.overdue, self.flagged):
            for col in range(3):
                view.resizeColumnToContents(col)

    def retranslate(self) -> None:
        self.overdue.setHorizontalHeaderLabels(
            [self.tr("Was due"), self.tr("Customer"), self.tr("Shopper"), self.tr("To do")]
        )
        self.flagged.setHorizontalHeaderLabels(
            [self.tr("When"), self.tr("Customer"), self.tr("Shopper"), self.tr("Notes")]
        )
        self._show()


class VipServicePage(Retranslating, QWidget):
    def __init__(self, services: AppServices, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("vipServicePage")
        self.title = make_label(self, "pageTitle")
        self.matching = MatchingView(services, self)
        self.shoppers = ShoppersView(services, self)
        self.follow_ups = FollowUpsView(services, self)
        self.performance = PerformanceView(services, self)
        self.tabs = named(QTabWidget(self), "vipServiceTabs")
        for view in (self.matching, self.shoppers, self.follow_ups, self.performance):
            self.tabs.addTab(view, "")
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.tabs, 1)
        QShortcut(QKeySequence("Ctrl+F"), self, lambda: self.matching.search_box.setFocus())
        self.retranslate()
        plain_labels(self)

    def page_title(self) -> str:
        return self.tr("VIP service")

    def set_actor(self, actor: Actor | None) -> None:
        for view in (self.matching, self.shoppers, self.follow_ups, self.performance):
            view.set_actor(actor)

    def showEvent(self, event: QShowEvent) -> None:
        if not self.matching.search_box.text().strip():
            self.matching.refresh()
        super().showEvent(event)

    def retranslate(self) -> None:
        self.title.setText(self.page_title())
        for index, text in enumerate(
            (self.tr("Matching queue"), self.tr("Shoppers"), self.tr("Follow-ups"), self.tr("Performance"))
        ):
            self.tabs.setTabText(index, text)


__all__ = ["VipServicePage"]
