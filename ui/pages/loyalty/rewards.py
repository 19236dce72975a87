"""The reward catalog for managers: a filtered list, and a form to create or edit a reward."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFileDialog,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from core.app import AppServices
from core.customers.model import Segment
from core.kernel.errors import DomainError, ValidationErrors
from core.loyalty.ports import RewardRecord
from core.loyalty.rewards import CatalogFilter, RewardDraft, RewardKind
from core.loyalty.rules import TIER_ORDER
from core.staff.auth import Actor
from ui import labels
from ui import loyalty_labels as names
from ui.i18n import date_text, error_text, field_errors, local_name, ltr, number, qdate
from ui.ops import Latest, run_in_background
from ui.pages.base import RefreshingPage
from ui.widgets.digits import DigitSpinBox
from ui.widgets.forms import say
from ui.widgets.named import make_button, make_label, named
from ui.widgets.panes import panes
from ui.widgets.plain import plain_labels
from ui.widgets.tables import pick_list, set_row


class RewardsPage(RefreshingPage):
    def __init__(self, services: AppServices, parent: QWidget | None = None) -> None:
        super().__init__(services, "rewardsPage", parent)
        self._rewards: list[RewardRecord] = []
        self._catalog = Latest()  # the filter re-runs the catalog query as the manager types
        self._editing: RewardRecord | None = None

        self.title = make_label(self, "pageTitle")
        left = self._build_list()
        scroll = self._build_editor()
        splitter = panes(self, left, scroll, (3, 2))
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(splitter, 1)

        self.filter_edit.textChanged.connect(lambda _t: self.refresh())
        self.filter_combo.activated.connect(lambda _i: self.refresh())
        self.table.itemSelectionChanged.connect(self._selected)
        self.new_button.clicked.connect(self.new_reward)
        self.save_button.clicked.connect(self.save)
        self.browse_button.clicked.connect(self._browse)
        self.image.textChanged.connect(self._show_preview)
        self.stock_unlimited.toggled.connect(lambda on: self.stock.setEnabled(not on))
        self.limit_none.toggled.connect(lambda on: self.limit.setEnabled(not on))
        self.from_set.toggled.connect(self.valid_from.setEnabled)
        self.until_set.toggled.connect(self.valid_until.setEnabled)
        self.retranslate()
        self.new_reward()
        plain_labels(self)

    # -- building ------------------------------------------------------------------------------------------
    def _build_list(self) -> QWidget:
        """The catalog: a filter by text and by state above the rewards, and "new" below them."""
        self.filter_edit = named(QLineEdit(self), "rewardFilter")
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_combo = QComboBox(self)
        self.table = pick_list(self, 6, "rewardsTable", stretch=1)
        self.new_button = QPushButton(self)
        left = QWidget(self)
        ll = QVBoxLayout(left)
        ll.setContentsMargins(0, 0, 0, 0)
        row = QHBoxLayout()
        row.addWidget(self.filter_edit, 1)
        row.addWidget(self.filter_combo)
        ll.addLayout(row)
        ll.addWidget(self.table, 1)
        ll.addWidget(self.new_button, 0, Qt.AlignmentFlag.AlignRight)
        return left

    def _build_editor(self) -> QScrollArea:
        """The reward being edited: one row per field, each with its error label, in a scrolling pane."""
        form_widget = QWidget(self)
        self._build_inputs(form_widget)
        form = QFormLayout()

        def pair(*widgets: QWidget) -> QWidget:
            box = QWidget(form_widget)
            layout = QHBoxLayout(box)
            layout.setContentsMargins(0, 0, 0, 0)
            for widget in widgets:
                layout.addWidget(widget)
            layout.addStretch(1)
            return box

        def boxes(items: dict[str, QCheckBox]) -> QWidget:
            box = QWidget(form_widget)
            grid = QGridLayout(box)
            grid.setContentsMargins(0, 0, 0, 0)
            for index, check in enumerate(items.values()):
                grid.addWidget(check, index // 3, index % 3)
            return box

        widgets = {
            "code": self.code,
            "name_en": self.name_en,
            "name_ar": self.name_ar,
            "kind": self.kind,
            "points_cost": self.points,
            "stock": pair(self.stock, self.stock_unlimited),
            "per_customer_limit": pair(self.limit, self.limit_none),
            "tiers": boxes(self.tier_boxes),
            "segments": boxes(self.segment_boxes),
            "valid_from": pair(self.from_set, self.valid_from),
            "valid_until": pair(self.until_set, self.valid_until),
            "image": pair(self.image, self.browse_button, self.preview),
            "active": self.active,
        }
        for name in _FIELDS:
            column = QVBoxLayout()
            column.setSpacing(1)
            column.addWidget(widgets[name])
            column.addWidget(self.errors[name])
            form.addRow(self.field_labels[name], column)
        fl = QVBoxLayout(form_widget)
        fl.addWidget(self.form_title)
        fl.addLayout(form)
        buttons = QHBoxLayout()
        buttons.addWidget(self.message, 1)
        buttons.addWidget(self.save_button)
        fl.addLayout(buttons)
        fl.addStretch(1)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setWidget(form_widget)
        return scroll

    def _build_inputs(self, form_widget: QWidget) -> None:
        """The editor's inputs, captions and error labels, created in tab order."""
        self.form_title = make_label(form_widget, "sectionTitle")
        self.code = QLineEdit(form_widget)
        self.code.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
        self.name_en = QLineEdit(form_widget)
        self.name_en.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
        self.name_ar = QLineEdit(form_widget)
        self.name_ar.setLayoutDirection(Qt.LayoutDirection.RightToLeft)
        self.kind = QComboBox(form_widget)
        self.points = DigitSpinBox(form_widget)
        self.points.setRange(0, 10_000_000)
        self.points.setSingleStep(50)
        self.stock_unlimited = QCheckBox(form_widget)
        self.stock = DigitSpinBox(form_widget)
        self.stock.setRange(0, 1_000_000)
        self.limit_none = QCheckBox(form_widget)
        self.limit = DigitSpinBox(form_widget)
        self.limit.setRange(1, 1000)
        self.tier_boxes = {tier.value: QCheckBox(form_widget) for tier in TIER_ORDER}
        self.segment_boxes = {segment.value: QCheckBox(form_widget) for segment in Segment}
        self.from_set = QCheckBox(form_widget)
        self.valid_from = QDateEdit(form_widget)
        self.valid_from.setCalendarPopup(True)
        self.until_set = QCheckBox(form_widget)
        self.valid_until = QDateEdit(form_widget)
        self.valid_until.setCalendarPopup(True)
        self.image = QLineEdit(form_widget)
        self.image.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
        self.browse_button = QPushButton(form_widget)
        self.preview = make_label(form_widget, "rewardImage")
        self.preview.setFixedSize(96, 96)
        self.preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.active = QCheckBox(form_widget)
        self.save_button = make_button(form_widget, "primary")
        self.message = make_label(form_widget, "message", wrap=True)
        self.field_labels = {name: QLabel(form_widget) for name in _FIELDS}
        self.errors = {name: QLabel(form_widget) for name in _FIELDS}
        for label in self.errors.values():
            label.setObjectName("fieldError")
            label.setWordWrap(True)
            label.hide()

    # -- data ------------------------------------------------------------------------------------------------
    def set_actor(self, actor: Actor | None) -> None:
        self._actor = actor
        if actor is not None and self.isVisible():
            self.refresh()

    def refresh(self) -> None:
        actor = self._actor
        if actor is None:
            return
        text = self.filter_edit.text()
        which = CatalogFilter(self.filter_combo.currentData() or CatalogFilter.ALL.value)
        self._catalog.run(lambda: self._services.rewards.catalog(actor, text, which), self._show, self._failed)

    def _show(self, rewards: list[RewardRecord]) -> None:
        self._rewards = rewards
        self.table.blockSignals(True)
        self.table.setRowCount(len(rewards))
        for row, reward in enumerate(rewards):
            window = " – ".join(date_text(d) if d else "…" for d in (reward.valid_from, reward.valid_until))
            stock = self.tr("Unlimited") if reward.stock is None else number(reward.stock)
            cells = [
                ltr(reward.code),
                local_name(reward.name_en, reward.name_ar),
                number(reward.points_cost),
                stock,
                number(reward.claimed),
                window if (reward.valid_from or reward.valid_until) else self.tr("Always"),
            ]
            set_row(self.table, row, cells, data=reward.id, color=None if reward.active else Qt.GlobalColor.gray)
        if self._editing is not None:  # keep the reward being edited selected, without reloading the form
            for row, reward in enumerate(rewards):
                if reward.id == self._editing.id:
                    self.table.selectRow(row)
        self.table.blockSignals(False)

    def _selected(self) -> None:
        row = self.table.currentRow()
        if 0 <= row < len(self._rewards):
            self.edit(self._rewards[row])

    # -- the form --------------------------------------------------------------------------------------------
    def new_reward(self) -> None:
        self._editing = None
        self.table.clearSelection()
        for edit in (self.code, self.name_en, self.name_ar, self.image):
            edit.clear()
        self.kind.setCurrentIndex(0)
        self.points.setValue(500)
        self.stock_unlimited.setChecked(True)
        self.stock.setValue(10)
        self.limit_none.setChecked(True)
        self.limit.setValue(1)
        for check in (*self.tier_boxes.values(), *self.segment_boxes.values()):
            check.setChecked(False)
        today = qdate(self._services.clock.today())
        self.from_set.setChecked(False)
        self.valid_from.setDate(today)
        self.valid_from.setEnabled(False)
        self.until_set.setChecked(False)
        self.valid_until.setDate(today.addMonths(3))
        self.valid_until.setEnabled(False)
        self.active.setChecked(True)
        self._clear_errors()
        self.message.clear()
        self._update_title()
        self.code.setFocus()

    def edit(self, reward: RewardRecord) -> None:
        self._editing = reward
        self.code.setText(reward.code)
        self.name_en.setText(reward.name_en)
        self.name_ar.setText(reward.name_ar)
        self.kind.setCurrentIndex(max(0, self.kind.findData(reward.kind)))
        self.points.setValue(reward.points_cost)
        self.stock_unlimited.setChecked(reward.stock is None)
        self.stock.setValue(reward.stock or 0)
        self.limit_none.setChecked(reward.per_customer_limit is None)
        self.limit.setValue(reward.per_customer_limit or 1)
        for value, check in self.tier_boxes.items():
            check.setChecked(value in reward.tiers)
        for value, check in self.segment_boxes.items():
            check.setChecked(value in reward.segments)
        for flag, widget, day in (
            (self.from_set, self.valid_from, reward.valid_from),
            (self.until_set, self.valid_until, reward.valid_until),
        ):
            flag.setChecked(day is not None)
            widget.setEnabled(day is not None)
            if day is not None:
                widget.setDate(QDate(day.year, day.month, day.day))
        self.image.setText(reward.image or "")
        self.active.setChecked(reward.active)
        self._clear_errors()
        self.message.clear()
        self._update_title()

    def draft(self) -> RewardDraft:
        def day(flag: QCheckBox, widget: QDateEdit) -> date | None:
            if not flag.isChecked():
                return None
            value = widget.date()
            return date(value.year(), value.month(), value.day())

        return RewardDraft(
            code=self.code.text(),
            name_en=self.name_en.text(),
            name_ar=self.name_ar.text(),
            points_cost=self.points.value(),
            kind=str(self.kind.currentData()),
            stock=None if self.stock_unlimited.isChecked() else self.stock.value(),
            per_customer_limit=None if self.limit_none.isChecked() else self.limit.value(),
            tiers=tuple(v for v, c in self.tier_boxes.items() if c.isChecked()),
            segments=tuple(v for v, c in self.segment_boxes.items() if c.isChecked()),
            valid_from=day(self.from_set, self.valid_from),
            valid_until=day(self.until_set, self.valid_until),
            image=self.image.text(),
            active=self.active.isChecked(),
        )

    def save(self) -> None:
        actor = self._actor
        if actor is None:
            return
        draft = self.draft()
        reward_id = self._editing.id if self._editing else None
        self._clear_errors()
        run_in_background(
            lambda: self._services.rewards.save(actor, draft, reward_id),
            self._saved,
            self._failed,
            busy=[self.save_button],
        )

    def _saved(self, reward: RewardRecord) -> None:
        self._editing = reward
        say(self.message, self.tr("Saved."))
        self._update_title()
        self.refresh()

    def _failed(self, error: BaseException) -> None:
        if not isinstance(error, DomainError):
            raise error
        loose = []
        for name, text in field_errors(error).items():
            if name in self.errors:
                self.errors[name].setText(text)
                self.errors[name].show()
            else:
                loose.append(text)
        say(self.message, " ".join(loose) or self.tr("Check the fields marked in red."), error=True)
        if not isinstance(error, ValidationErrors) and not loose:
            say(self.message, error_text(error), error=True)

    def _clear_errors(self) -> None:
        for label in self.errors.values():
            label.clear()
            label.hide()

    def _browse(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(
            self, self.tr("Reward image"), "", self.tr("Images (*.png *.jpg *.jpeg *.webp)")
        )
        if path:
            self.image.setText(path)

    def _show_preview(self, path: str) -> None:
        pixmap = QPixmap(path) if path and Path(path).is_file() else QPixmap()
        if pixmap.isNull():
            self.preview.setText(self.tr("No image"))
            self.preview.setPixmap(QPixmap())
        else:
            self.preview.setPixmap(
                pixmap.scaled(96, 96, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation)
            )

    def _update_title(self) -> None:
        if self._editing is None:
            self.form_title.setText(self.tr("New reward"))
        else:
            self.form_title.setText(self.tr("Edit %1").replace("%1", ltr(self._editing.code)))

    # -- language --------------------------------------------------------------------------------------------
    def retranslate(self) -> None:
        self.title.setText(self.tr("Reward catalog"))
        self.filter_edit.setPlaceholderText(self.tr("Filter by code or name"))
        current = self.filter_combo.currentData()
        self.filter_combo.clear()
        for which, text in (
            (CatalogFilter.ALL, self.tr("All rewards")),
            (CatalogFilter.ACTIVE, self.tr("Active")),
            (CatalogFilter.INACTIVE, self.tr("Inactive")),
            (CatalogFilter.OUT_OF_STOCK, self.tr("Out of stock")),
        ):
            self.filter_combo.addItem(text, which.value)
        self.filter_combo.setCurrentIndex(max(0, self.filter_combo.findData(current)))
        self.table.setHorizontalHeaderLabels(
            [
                self.tr("Code"),
                self.tr("Name"),
                self.tr("Points"),
                self.tr("Stock"),
                self.tr("Claimed"),
                self.tr("Dates"),
            ]
        )
        self.new_button.setText(self.tr("New reward"))
        field_names = {
            "code": self.tr("Code"),
            "name_en": self.tr("Name (English)"),
            "name_ar": self.tr("Name (Arabic)"),
            "kind": self.tr("Kind"),
            "points_cost": self.tr("Points"),
            "stock": self.tr("Stock"),
            "per_customer_limit": self.tr("Per customer"),
            "tiers": self.tr("Tiers (none: all)"),
            "segments": self.tr("Segments (none: all)"),
            "valid_from": self.tr("From"),
            "valid_until": self.tr("Until"),
            "image": self.tr("Image"),
            "active": self.tr("Offered"),
        }
        for name, label in self.field_labels.items():
            label.setText(field_names[name])
        kind = self.kind.currentData()
        self.kind.clear()
        for option in RewardKind:
            self.kind.addItem(names.reward_kind(option), option.value)
        self.kind.setCurrentIndex(max(0, self.kind.findData(kind)))
        self.stock_unlimited.setText(self.tr("Unlimited"))
        self.limit_none.setText(self.tr("No limit"))
        for value, check in self.tier_boxes.items():
            check.setText(names.tier(value))
        for value, check in self.segment_boxes.items():
            check.setText(labels.segment(value))
        self.from_set.setText(self.tr("Starts on"))
        self.until_set.setText(self.tr("Ends on"))
        self.browse_button.setText(self.tr("Choose…"))
        self.active.setText(self.tr("Offered to customers"))
        self.save_button.setText(self.tr("Save reward"))
        self._update_title()
        self._show_preview(self.image.text())
        self._show(self._rewards)


_FIELDS = (
    "code",
    "name_en",
    "name_ar",
    "kind",
    "points_cost",
    "stock",
    "per_customer_limit",
    "tiers",
    "segments",
    "valid_from",
    "valid_until",
    "image",
    "active",
)
