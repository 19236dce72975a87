"""The audit trail, for administrators: customer changes, sensitive reads and security events, newest first.

A page of rows is read off the main thread (``AuditTrailService.entries``) each time a filter changes, and the
next page when staff ask for more; the export reads every matching row and writes the file off the main thread
too. Sensitive values are masked by the service on both sides of a change: the trail says who read or changed
an Emirates ID, never what it is.

Keyboard: Ctrl+F the customer filter, F5 read again, Ctrl+E export.
"""

from __future__ import annotations

import csv
from datetime import timedelta
from pathlib import Path
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QCoreApplication, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from core.app import AppServices
from core.customers.model import PROFILE_FIELDS
from core.kernel.clock import DUBAI
from core.privacy.audit import (
    KIND_HISTORY,
    KIND_SECURITY,
    KIND_SENSITIVE_READ,
    SENSITIVE_FIELDS,
    TRAIL_PAGE,
    TrailChoices,
    TrailEntry,
    TrailFilter,
)
from core.staff.auth import Actor, Permission
from ui import labels
from ui.i18n import datetime_text, local_name, ltr, number, show_refusal
from ui.ops import Latest, run_in_background
from ui.pages.base import ServicePage
from ui.pages.feedback.dashboard import safe_cell
from ui.widgets.forms import say
from ui.widgets.named import make_button, make_label, named
from ui.widgets.plain import plain_labels
from ui.widgets.tables import read_only, set_empty_text, set_widths

EXPORT_MAX = 100_000  # rows an export writes at most (a year of a busy branch's trail)
PERIODS: tuple[timedelta | None, ...] = (
    timedelta(days=1),
    timedelta(days=7),
    timedelta(days=30),
    timedelta(days=365),
    None,
)
COLUMNS = 8
WHEN, WHAT, STAFF, BRANCH, CUSTOMER, FIELD, DETAIL, TERMINAL = range(COLUMNS)
COLUMN_WIDTHS = (150, 150, 140, 100, 170, 110, 0, 80)

Index = QModelIndex | QPersistentModelIndex


def kind_text(kind: str) -> str:
    return {
        KIND_HISTORY: QCoreApplication.translate("AuditTrailPage", "Customer change"),
        KIND_SENSITIVE_READ: QCoreApplication.translate("AuditTrailPage", "Sensitive field shown"),
        KIND_SECURITY: QCoreApplication.translate("AuditTrailPage", "Security event"),
    }.get(kind, kind)


def event_text(kind: str) -> str:
    """A security event's kind in words (an unknown one as stored)."""
    return {
        "signed_in": QCoreApplication.translate("AuditTrailPage", "Signed in"),
        "signin_failed": QCoreApplication.translate("AuditTrailPage", "Wrong PIN"),
        "signin_locked": QCoreApplication.translate("AuditTrailPage", "Locked after wrong PINs"),
        "till_unlocked": QCoreApplication.translate("AuditTrailPage", "Till unlocked"),
        "giftcard_lookup_failed": QCoreApplication.translate("AuditTrailPage", "Gift card not found"),
        "calendar_overrides_changed": QCoreApplication.translate("AuditTrailPage", "Occasion dates changed"),
        "product_back_in_stock": QCoreApplication.translate("AuditTrailPage", "Back in stock announced"),
        "sensitive_read": QCoreApplication.translate("AuditTrailPage", "Sensitive field shown"),
    }.get(kind, kind)


def what_text(entry: TrailEntry) -> str:
    if entry.kind == KIND_HISTORY:
        return labels.history_action(entry.action)
    return event_text(entry.action)


def fields_text(entry: TrailEntry) -> str:
    if entry.kind == KIND_SECURITY:
        return ""
    return ", ".join(labels.field(name) for name in entry.fields)


def _value(value: object) -> str:
    return "—" if value in (None, "") else str(value)


def detail_text(entry: TrailEntry) -> str:
    """A change as "field: old → new" per field; an event's detail as "key: value" pairs."""
    if entry.kind == KIND_HISTORY:
        parts = []
        for name, pair in entry.detail.items():
            old, new = pair if isinstance(pair, list | tuple) and len(pair) == 2 else (None, pair)
            if old in (None, ""):  # a field given for the first time (a new customer): its value alone
                parts.append(f"{labels.field(name)}: {ltr(_value(new))}")
            else:
                parts.append(f"{labels.field(name)}: {ltr(_value(old))} → {ltr(_value(new))}")
        return "; ".join(parts)
    if entry.kind == KIND_SENSITIVE_READ:
        return ""
    return "; ".join(f"{key}: {_value(value)}" for key, value in entry.detail.items())


class TrailModel(QAbstractTableModel):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.rows: list[TrailEntry] = []

    def set_rows(self, rows: list[TrailEntry]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()

    def add_rows(self, rows: list[TrailEntry]) -> None:
        if rows:
            self.beginInsertRows(QModelIndex(), len(self.rows), len(self.rows) + len(rows) - 1)
            self.rows.extend(rows)
            self.endInsertRows()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return COLUMNS

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole or orientation != Qt.Orientation.Horizontal:
            return None
        return (
            QCoreApplication.translate("AuditTrailPage", "When"),
            QCoreApplication.translate("AuditTrailPage", "What"),
            QCoreApplication.translate("AuditTrailPage", "Staff"),
            QCoreApplication.translate("AuditTrailPage", "Branch"),
            QCoreApplication.translate("AuditTrailPage", "Customer"),
            QCoreApplication.translate("AuditTrailPage", "Field"),
            QCoreApplication.translate("AuditTrailPage", "Detail"),
            QCoreApplication.translate("AuditTrailPage", "Terminal"),
        )[section]

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        entry = self.rows[index.row()]
        column = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            if column == WHEN:
                return datetime_text(entry.at)
            if column == WHAT:
                return what_text(entry)
            if column == STAFF:
                return local_name(entry.staff_name, entry.staff_name_ar) or "—"
            if column == BRANCH:
                return local_name(entry.branch_name, entry.branch_name_ar)
            if column == CUSTOMER:
                return local_name(entry.customer_name, entry.customer_name_ar)
            if column == FIELD:
                return fields_text(entry)
            if column == DETAIL:
                return detail_text(entry)
            if role == Qt.ItemDataRole.DisplayRole:
                return ltr(entry.terminal[:8])  # a till's id, told apart by its first characters; whole in the tooltip
            return ltr(entry.terminal)
        return None


class AuditTrailPage(ServicePage):
    def __init__(self, services: AppServices, parent: QWidget | None = None) -> None:
        super().__init__(services, "auditTrailPage", parent)
        self._loading = Latest()
        self._where = TrailFilter()
        self._more = False
        self._choices: TrailChoices | None = None

        self.title = make_label(self, "pageTitle")
        self.summary = make_label(self, "subtitle")
        self.refresh_button = make_button(self)
        self.export_button = make_button(self)
        self.customer_filter = named(QLineEdit(self), "trailCustomer")
        self.customer_filter.setClearButtonEnabled(True)
        self.period = named(QComboBox(self), "trailPeriod")
        self.kind = named(QComboBox(self), "trailKind")
        self.field = named(QComboBox(self), "trailField")
        self.staff = named(QComboBox(self), "trailStaff")
        self.branch = named(QComboBox(self), "trailBranch")
        self.combos = (self.period, self.kind, self.field, self.staff, self.branch)
        for combo in self.combos:
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(9)
        for span in PERIODS:
            self.period.addItem("", span)
        self.period.setCurrentIndex(2)
        for kind in (None, KIND_HISTORY, KIND_SENSITIVE_READ, KIND_SECURITY):
            self.kind.addItem("", kind)
        self.field.addItem("", None)
        for name in (*SENSITIVE_FIELDS, *(f for f in PROFILE_FIELDS if f not in SENSITIVE_FIELDS)):
            self.field.addItem("", name)
        self.staff.addItem("", None)
        self.branch.addItem("", None)
        self.table = named(QTableView(self), "trailTable")
        self.model = TrailModel(self.table)
        self.table.setModel(self.model)
        read_only(self.table, stretch=DETAIL, rows=True, single=True, striped=True, wrap=False)
        set_widths(self.table, COLUMN_WIDTHS, row_height=28)
        self.more_button = make_button(self)
        self.message = make_label(self, "message", wrap=True)

        heading = QVBoxLayout()
        heading.addWidget(self.title)
        heading.addWidget(self.summary)
        top = QHBoxLayout()
        top.addLayout(heading, 1)
        top.addWidget(self.refresh_button)
        top.addWidget(self.export_button)
        filters = QHBoxLayout()
        filters.addWidget(self.customer_filter, 2)
        for combo in self.combos:
            filters.addWidget(combo, 1)
        bottom = QHBoxLayout()
        bottom.addWidget(self.message, 1)
        bottom.addWidget(self.more_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addLayout(bottom)

        self.refresh_button.clicked.connect(self.refresh)
        self.export_button.clicked.connect(self.export_csv)
        self.more_button.clicked.connect(self.load_more)
        self.customer_filter.returnPressed.connect(self.refresh)
        self.customer_filter.editingFinished.connect(self._customer_changed)
        for combo in self.combos:
            combo.currentIndexChanged.connect(lambda _i: self.refresh())
        QShortcut(QKeySequence("Ctrl+F"), self, self.focus_filter)
        QShortcut(QKeySequence("F5"), self, self.refresh)
        QShortcut(QKeySequence("Ctrl+E"), self, self.export_csv)
        self.retranslate()
        plain_labels(self)

    # -- reading -------------------------------------------------------------------------------------------
    def set_actor(self, actor: Actor | None) -> None:
        super().set_actor(actor)
        self.model.set_rows([])
        self._choices = None
        if actor is not None and actor.can(Permission.VIEW_AUDIT_TRAIL):
            run_in_background(lambda: self._services.audit_trail.choices(actor), self._show_choices, self._failed)

    def focus_filter(self) -> None:
        self.customer_filter.setFocus()
        self.customer_filter.selectAll()

    def showEvent(self, event: QShowEvent) -> None:
        self.refresh()
        super().showEvent(event)

    def filter(self) -> TrailFilter:
        """What the filters ask for now; the period ends now, by the store's clock."""
        span = self.period.currentData()
        now = self._services.clock.now()
        return TrailFilter(
            since=now - span if isinstance(span, timedelta) else None,
            customer=self.customer_filter.text().strip() or None,
            kind=self.kind.currentData(),
            field=self.field.currentData(),
            staff_id=self.staff.currentData(),
            branch_id=self.branch.currentData(),
        )

    def _customer_changed(self) -> None:
        if (self.customer_filter.text().strip() or None) != self._where.customer:
            self.refresh()

    def refresh(self) -> None:
        actor = self._actor
        if actor is None or not actor.can(Permission.VIEW_AUDIT_TRAIL):
            return
        where = self.filter()
        self._where = where
        self._loading.run(
            lambda: self._services.audit_trail.entries(actor, where, TRAIL_PAGE + 1), self._show_first, self._failed
        )

    def load_more(self) -> None:
        actor, where, rows = self._actor, self._where, self.model.rows
        if actor is None or not self._more or not rows:
            return
        before = rows[-1].cursor
        run_in_background(
            lambda: self._services.audit_trail.entries(actor, where, TRAIL_PAGE + 1, before),
            self._show_more,
            self._failed,
            busy=[self.more_button],
        )

    def _show_first(self, rows: list[TrailEntry]) -> None:
        self._more = len(rows) > TRAIL_PAGE
        self.model.set_rows(rows[:TRAIL_PAGE])
        self.message.clear()
        self._show_summary()

    def _show_more(self, rows: list[TrailEntry]) -> None:
        self._more = len(rows) > TRAIL_PAGE
        self.model.add_rows(rows[:TRAIL_PAGE])
        self._show_summary()

    def _show_choices(self, choices: TrailChoices) -> None:
        self._choices = choices
        self._fill_choices()

    def _fill_choices(self) -> None:
        choices = self._choices
        for combo, names in (
            (self.staff, choices.staff if choices else {}),
            (self.branch, choices.branches if choices else {}),
        ):
            keep = combo.currentData()
            combo.blockSignals(True)
            while combo.count() > 1:
                combo.removeItem(1)
            for key, (en, ar) in sorted(names.items(), key=lambda item: local_name(*item[1])):
                combo.addItem(local_name(en, ar), key)
            combo.setCurrentIndex(max(0, combo.findData(keep)))
            combo.blockSignals(False)

    def _show_summary(self) -> None:
        shown = len(self.model.rows)
        self.summary.setText(
            self.tr("%1 entries shown, newest first").replace("%1", number(shown))
            + (self.tr(" (more to load)") if self._more else "")
        )
        self.more_button.setEnabled(self._more)

    def _failed(self, error: BaseException) -> None:
        show_refusal(self.message, error)

    # -- export ----------------------------------------------------------------------------------------------
    def export_csv(self) -> None:
        actor, where = self._actor, self._where
        if actor is None or not actor.can(Permission.VIEW_AUDIT_TRAIL):
            return
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Export"), "audit-trail.csv", "CSV (*.csv)")
        if path:
            self.export_to(Path(path), actor, where)

    def export_to(self, path: Path, actor: Actor, where: TrailFilter) -> None:
        """Every entry matching ``where`` (up to EXPORT_MAX), read and written off the main thread."""
        trail = self._services.audit_trail

        def job() -> int:
            rows: list[TrailEntry] = []
            while len(rows) < EXPORT_MAX:
                page = trail.entries(actor, where, 5000, rows[-1].cursor if rows else None)
                rows.extend(page)
                if len(page) < 5000:
                    break
            write_trail_csv(rows[:EXPORT_MAX], path)
            return min(len(rows), EXPORT_MAX)

        run_in_background(job, self._exported, self._failed, busy=[self.export_button])

    def _exported(self, count: int) -> None:
        say(self.message, self.tr("Exported %1 entries.").replace("%1", number(count)))

    def page_title(self) -> str:
        return self.tr("Audit trail")

    def retranslate(self) -> None:
        self.title.setText(self.tr("Audit trail"))
        self.refresh_button.setText(self.tr("Refresh (F5)"))
        self.export_button.setText(self.tr("Export CSV (Ctrl+E)"))
        self.more_button.setText(self.tr("Load more"))
        self.customer_filter.setPlaceholderText(self.tr("Customer number (Ctrl+F)"))
        for i, text in enumerate(
            (
                self.tr("Last 24 hours"),
                self.tr("Last 7 days"),
                self.tr("Last 30 days"),
                self.tr("Last 12 months"),
                self.tr("Everything"),
            )
        ):
            self.period.setItemText(i, text)
        self.kind.setItemText(0, self.tr("Every kind"))
        for i in range(1, self.kind.count()):
            self.kind.setItemText(i, kind_text(str(self.kind.itemData(i))))
        self.field.setItemText(0, self.tr("Any field"))
        for i in range(1, self.field.count()):
            self.field.setItemText(i, labels.field(str(self.field.itemData(i))))
        self.staff.setItemText(0, self.tr("All staff"))
        self.branch.setItemText(0, self.tr("All branches"))
        self._fill_choices()
        set_empty_text(self.table, self.tr("Nothing recorded matches these filters."))
        self.model.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, COLUMNS - 1)
        self.model.layoutChanged.emit()
        self._show_summary()


HEADER = ("at", "kind", "action", "staff", "branch", "customer_id", "customer", "fields", "detail", "terminal")


def write_trail_csv(rows: list[TrailEntry], path: Path) -> None:
    """One line per entry, names in English, times in Asia/Dubai; text a spreadsheet would run as a formula is
    quoted (a customer's name or a note is anyone's to type)."""
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(HEADER)
        for e in rows:
            if e.kind == KIND_HISTORY:
                detail = "; ".join(
                    f"{k}: {_value(v[0])} -> {_value(v[1])}"
                    for k, v in e.detail.items()
                    if isinstance(v, list | tuple) and len(v) == 2
                )
            else:
                detail = "; ".join(f"{k}: {_value(v)}" for k, v in e.detail.items())
            writer.writerow(
                [
                    e.at.astimezone(DUBAI).strftime("%Y-%m-%d %H:%M:%S"),
                    e.kind,
                    e.action,
                    safe_cell(e.staff_name),
                    safe_cell(e.branch_name),
                    e.customer_id or "",
                    safe_cell(e.customer_name or e.customer_name_ar),
                    " ".join(e.fields),
                    safe_cell(detail),
                    safe_cell(e.terminal),
                ]
            )
