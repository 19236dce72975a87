"""Head-office sync for managers: the link's state, what waits to be sent, progress on long syncs, "Sync now",
the offline allowances head office granted; and the exceptions head office found (offline overspends)."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QVBoxLayout,
    QWidget,
)

from core.app import AppServices
from core.offline.allowances import DecreaseKind, LinkState, OfflineAllowance, SyncException, SyncStatus
from ui.i18n import Retranslating, datetime_text, error_text, ltr, money, number
from ui.ops import run_in_background
from ui.pages.base import RefreshingPage
from ui.sync_text import last_success_text, problem_text, progress_text, state_text
from ui.widgets.named import make_button, make_label, named
from ui.widgets.plain import as_plain, plain_labels
from ui.widgets.tables import read_only_table, set_empty_text, set_row

CLOCK_WARNING_S = 300


def _amount(kind: str, value: int) -> str:
    return money(value) if kind == DecreaseKind.GIFT_CARD.value else number(value)


class HeadOfficeSyncPage(Retranslating, QWidget):
    def __init__(self, services: AppServices, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("syncPage")
        self._services = services
        self._status: SyncStatus = services.sync.status()
        self._allowances: list[OfflineAllowance] = []
        self.title = make_label(self, "pageTitle")
        self.state = make_label(self, "bigFigure")
        self.detail = make_label(self, wrap=True)
        self.pending = make_label(self, "bigFigure")
        self.last = QLabel(self)
        self.problem = make_label(self, "syncProblem", wrap=True)
        self.progress = named(QProgressBar(self), "syncProgress")
        self.progress.setTextVisible(True)
        self.sync_now = make_button(self, "syncNow")
        self.sync_now.clicked.connect(self._sync_now)
        self.where = make_label(self, wrap=True)
        self.secret = make_label(self, "syncWarning", wrap=True)
        self.clock = make_label(self, "syncWarning", wrap=True)
        self.allowance_title = make_label(self, "sectionTitle")
        self.allowances = read_only_table(self, 4, "allowanceTable", stretch="all")
        self.allowances.setMaximumHeight(110)
        row = QHBoxLayout()
        row.addWidget(self.pending, 1)
        row.addWidget(self.sync_now)
        layout = QVBoxLayout(self)
        for label in (self.title, self.state, self.detail):
            layout.addWidget(label)
        layout.addLayout(row)
        for widget in (self.last, self.progress, self.problem, self.clock, self.where, self.secret):
            layout.addWidget(widget)
        layout.addWidget(self.allowance_title)
        layout.addWidget(self.allowances)
        layout.addStretch(1)
        self.retranslate()
        plain_labels(self)

    # -- data --------------------------------------------------------------------------------------------------
    def set_status(self, status: SyncStatus) -> None:
        self._status = status
        self._show_status()

    def showEvent(self, event: QShowEvent) -> None:
        run_in_background(self._services.offline.allowances, self._show_allowances)
        run_in_background(self._services.unsynced_changes, self._show_unsynced)
        super().showEvent(event)

    def _show_unsynced(self, count: int) -> None:
        self._status = replace(self._status, unsynced=count)
        self._show_status()

    def _sync_now(self) -> None:
        self._services.sync.sync_now()  # only wakes the worker thread: nothing waits here

    # -- display -----------------------------------------------------------------------------------------------
    def _show_status(self) -> None:
        status = self._status
        standalone = status.state == LinkState.STANDALONE
        self.state.setText(self.tr("Standalone") if standalone else state_text(status.state))
        if standalone:
            self.detail.setText(
                self.tr(
                    "No head office is configured for this store. Everything works here; every change is kept in "
                    "order so it can be sent when this branch is connected to head office."
                )
            )
        elif status.state == LinkState.OFFLINE:
            self.detail.setText(
                self.tr(
                    "Head office cannot be reached. Sales, customers and gift-card sales go on as usual and are "
                    "sent when it is back; redemptions only within the offline allowance below."
                )
            )
        else:
            self.detail.setText(self.tr("This branch and head office are exchanging changes."))
        self.pending.setText(self.tr("%1 changes waiting for head office").replace("%1", number(status.unsynced)))
        self.sync_now.setVisible(not standalone)
        self.last.setVisible(not standalone)
        self.last.setText(last_success_text(status))
        words = progress_text(status)
        self.progress.setVisible(bool(words))
        if status.progress is not None and status.progress.total > 0:
            self.progress.setRange(0, status.progress.total)
            self.progress.setValue(min(status.progress.done, status.progress.total))
            self.progress.setFormat(words)
        self.problem.setVisible(status.problem is not None)
        self.problem.setText(problem_text(status.problem))
        self.problem.setToolTip(as_plain(status.detail or ""))
        self.where.setVisible(bool(status.headoffice))
        self.where.setText(self.tr("Head office: %1").replace("%1", ltr(status.headoffice)))
        self.secret.setVisible(status.secret_in_file)
        self.secret.setText(
            self.tr(
                "This computer has no system keyring, so the branch's head-office secret is kept in a file only "
                "this user account can read, next to the store."
            )
        )
        ahead = status.clock_ahead_s
        self.clock.setVisible(abs(ahead) > CLOCK_WARNING_S)
        hours = f"{abs(ahead) / 3600:.1f}"
        self.clock.setText(
            (
                self.tr("This till's clock is %1 hours ahead of head office. Correct it.")
                if ahead > 0
                else self.tr("This till's clock is %1 hours behind head office. Correct it.")
            ).replace("%1", hours)
        )
        self.allowance_title.setVisible(not standalone)
        self.allowances.setVisible(not standalone)

    def _show_allowances(self, allowances: list[OfflineAllowance]) -> None:
        self._allowances = allowances
        self.allowances.setRowCount(len(allowances))
        for row, a in enumerate(allowances):
            kind = self.tr("Gift cards") if a.kind == DecreaseKind.GIFT_CARD else self.tr("Points")
            cells = (
                kind,
                _amount(a.kind.value, a.per_subject_cap),
                _amount(a.kind.value, a.branch_total),
                self.tr("%1 h offline, balances %2 h old")
                .replace("%1", f"{a.max_offline_hours:g}")
                .replace("%2", f"{a.max_snapshot_age_hours:g}"),
            )
            set_row(self.allowances, row, cells)

    def retranslate(self) -> None:
        self.title.setText(self.tr("Head office sync"))
        self.sync_now.setText(self.tr("Sync now"))
        self.allowance_title.setText(self.tr("Offline allowance granted by head office"))
        self.allowances.setHorizontalHeaderLabels(
            [self.tr("For"), self.tr("Per card or account"), self.tr("Per outage"), self.tr("Limits")]
        )
        self._show_status()
        self._show_allowances(self._allowances)


class OfflineExceptionsPage(RefreshingPage):
    """What head office found at sync: offline redemptions that took a card or account below zero (kept, not
    refused: the goods had left) and clock stamps it had to correct."""

    def __init__(self, services: AppServices, parent: QWidget | None = None) -> None:
        super().__init__(services, "exceptionsPage", parent)
        self._rows: list[SyncException] = []
        self.title = make_label(self, "pageTitle")
        self.explain = make_label(self, wrap=True)
        self.error = make_label(self, "message", wrap=True)
        self.error.setProperty("error", True)
        # The table stays, saying in its own space that there is nothing, so the page keeps its shape: the
        # title and its explanation at the top, the list (or its absence) below.
        self.table = read_only_table(self, 5, "exceptionTable", stretch="last", rows=True)
        layout = QVBoxLayout(self)
        for widget in (self.title, self.explain, self.error):
            layout.addWidget(widget)
        layout.addWidget(self.table, 1)
        self.retranslate()
        plain_labels(self)

    def refresh(self) -> None:
        actor = self._actor
        if actor is None:
            return
        run_in_background(lambda: self._services.offline.exceptions(actor), self._show, self._failed)

    def _failed(self, error: BaseException) -> None:
        from core.kernel.errors import DomainError

        self.error.setText(error_text(error) if isinstance(error, DomainError) else str(error))

    def _show(self, rows: list[SyncException]) -> None:
        self._rows = rows
        self.error.setText("")
        self.table.setRowCount(len(rows))
        for row, e in enumerate(rows):
            if e.kind == "clock":
                what, amount, after = self.tr("Clock corrected"), number(e.amount), ""
            elif e.kind == "refund":  # refunded beyond the card's redemptions across branches
                what, amount, after = self.tr("Card refunded beyond what was paid with it"), money(e.amount), ""
            elif e.kind == "return":  # the amount is the value of the goods returned twice
                what, amount, after = self.tr("Receipt returned beyond what was sold"), money(e.amount), ""
            else:
                what = self.tr("Gift card overspent") if e.kind == "gift_card" else self.tr("Points overspent")
                amount, after = _amount(e.kind, e.amount), _amount(e.kind, e.balance_after)
            cells = (datetime_text(e.detected_at), what, amount, after, ltr(e.subject_label or e.subject_id))
            set_row(self.table, row, cells, numeric=(2, 3))
        self.table.resizeColumnsToContents()

    def retranslate(self) -> None:
        self.title.setText(self.tr("Offline exceptions"))
        self.explain.setText(
            self.tr(
                "Redemptions taken offline are never undone: when head office finds that one took a card or points "
                "account below zero, it is listed here. The loss is limited by the offline allowance."
            )
        )
        set_empty_text(self.table, self.tr("Head office has reported no exceptions for this branch."))
        self.table.setHorizontalHeaderLabels(
            [self.tr("Found"), self.tr("What"), self.tr("Amount"), self.tr("Balance after"), self.tr("Card or account")]
        )
        self._show(self._rows)
