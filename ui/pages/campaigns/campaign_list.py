"""The campaigns of the store, for managers: filtered by status, kind and name, exported to CSV, and moved
through their life (new, edit, schedule, pause, complete) as the service's transitions allow.

Scheduling is checked by the service against the world: an audience larger than the configured size is
refused until the manager confirms it a second time, and a send time outside the allowed hours comes back
moved, which the page says. A refusal is shown in the manager's language and changes nothing.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QComboBox, QFileDialog, QHBoxLayout, QLineEdit, QVBoxLayout, QWidget

from core.app import AppServices
from core.campaigns.model import TRANSITIONS, CampaignKind, CampaignStatus
from core.campaigns.ports import CampaignRecord
from core.campaigns.schedule import ONCE, Occurrence
from core.campaigns.service import CONFIRM_LARGE, EDITABLE, Scheduled
from core.kernel.clock import DUBAI
from core.kernel.errors import Conflict
from core.kernel.text import search_fold
from core.staff.auth import Actor
from ui.dialogs import ask
from ui.i18n import FSI, PDI, error_text, errors_text, number, show_refusal
from ui.ops import run_in_background
from ui.pages.base import ServicePage
from ui.pages.campaigns import labels
from ui.pages.campaigns.editor import CampaignEditor
from ui.widgets.forms import say
from ui.widgets.named import make_button, make_label, named
from ui.widgets.plain import plain_labels
from ui.widgets.tables import pick_list, select_row, set_empty_text, set_row

EVERY = ""  # a filter's first entry: no filter


@dataclass(frozen=True)
class CampaignRow:
    record: CampaignRecord
    next_run: Occurrence | None


def load_rows(services: AppServices, actor: Actor) -> list[CampaignRow]:
    """Every campaign with its next run (none for a completed one); runs on the thread pool."""
    campaigns = services.campaigns
    rows = []
    for record in campaigns.list(actor):
        runs = [] if record.status == CampaignStatus.COMPLETED else campaigns.upcoming(actor, record.id, 1)
        rows.append(CampaignRow(record, runs[0] if runs else None))
    return rows


class CampaignList(ServicePage):
    results_requested = Signal(str)  # a campaign id

    def __init__(self, services: AppServices, parent: QWidget | None = None) -> None:
        super().__init__(services, "campaignList", parent)
        self.rows: list[CampaignRow] = []
        self.shown: list[CampaignRow] = []
        self.editor: CampaignEditor | None = None
        self.status_filter = named(QComboBox(self), "campaignStatusFilter")
        self.status_filter.addItem("", EVERY)
        for status in CampaignStatus:
            self.status_filter.addItem("", status.value)
        self.kind_filter = named(QComboBox(self), "campaignKindFilter")
        self.kind_filter.addItem("", EVERY)
        for kind in CampaignKind:
            self.kind_filter.addItem("", kind.value)
        self.text_filter = named(QLineEdit(self), "campaignTextFilter")
        self.text_filter.setClearButtonEnabled(True)
        self.export_button = make_button(self)
        filters = QHBoxLayout()
        filters.addWidget(self.text_filter, 2)
        filters.addWidget(self.status_filter, 1)
        filters.addWidget(self.kind_filter, 1)
        filters.addWidget(self.export_button)
        self.table = pick_list(self, 6, "campaignTable", stretch=0, wrap=False)
        self.new_button = make_button(self, "primary")
        self.edit_button = make_button(self)
        self.schedule_button = named(make_button(self), "scheduleCampaign")
        self.pause_button = make_button(self)
        self.complete_button = make_button(self)
        self.results_button = make_button(self)
        self.results_button.hide()  # shown once the page has a results view
        self.feedback = make_label(self, "message", wrap=True)
        actions = QHBoxLayout()
        for button in (
            self.new_button,
            self.edit_button,
            self.schedule_button,
            self.pause_button,
            self.complete_button,
            self.results_button,
        ):
            actions.addWidget(button)
        actions.addWidget(self.feedback, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addLayout(actions)

        self.text_filter.textChanged.connect(lambda _t: self._render())
        self.status_filter.currentIndexChanged.connect(lambda _i: self._render())
        self.kind_filter.currentIndexChanged.connect(lambda _i: self._render())
        self.table.itemSelectionChanged.connect(self._follow_selection)
        self.table.activated.connect(lambda _i: self.edit())
        self.new_button.clicked.connect(self.new)
        self.edit_button.clicked.connect(self.edit)
        self.schedule_button.clicked.connect(lambda: self.schedule())
        self.pause_button.clicked.connect(self.pause)
        self.complete_button.clicked.connect(self.complete)
        self.results_button.clicked.connect(self._results)
        self.export_button.clicked.connect(self.export_csv)
        QShortcut(QKeySequence("F2"), self, self.new)
        QShortcut(QKeySequence("Ctrl+N"), self, self.new)
        QShortcut(QKeySequence("Ctrl+F"), self, self.text_filter.setFocus)
        self.retranslate()
        self._follow_selection()
        plain_labels(self)

    # -- loading and showing ------------------------------------------------------------------------------
    def refresh(self) -> None:
        actor = self._actor
        if actor is None:
            return
        run_in_background(lambda: load_rows(self._services, actor), self._loaded, self._failed)

    def _loaded(self, rows: list[CampaignRow]) -> None:
        self.rows = rows
        self._render()

    def _failed(self, error: BaseException) -> None:
        show_refusal(self.feedback, error, errors_text)

    def _render(self) -> None:
        chosen = self.selected()
        chosen_id = chosen.record.id if chosen else None
        status, kind = self.status_filter.currentData(), self.kind_filter.currentData()
        text = search_fold(self.text_filter.text().strip())
        self.shown = [
            row
            for row in self.rows
            if (not status or row.record.status == status)
            and (not kind or row.record.definition.kind == kind)
            and (not text or text in search_fold(row.record.definition.name))
        ]
        self.table.setRowCount(len(self.shown))
        for index, row in enumerate(self.shown):
            d = row.record.definition
            set_row(
                self.table,
                index,
                (
                    d.name,
                    labels.kind(d.kind) + (f" · {labels.occasion(d.occasion)}" if d.occasion else ""),
                    labels.status(row.record.status),
                    labels.schedule_text(d.schedule, d.occasion),
                    self._run_text(row.next_run),
                    self._last_text(row.record.last_occurrence),
                ),
                data=row.record.id,
            )
        ids = [row.record.id for row in self.shown]
        if chosen_id in ids:
            select_row(self.table, ids.index(chosen_id))
        self._follow_selection()

    def _run_text(self, run: Occurrence | None) -> str:
        if run is None:
            return "—"
        return labels.long_date(run.day) + " " + FSI + run.local.strftime("%H:%M") + PDI

    def _last_text(self, key: str | None) -> str:
        if not key:
            return "—"
        return self.tr("Sent") if key == ONCE else FSI + key + PDI

    def selected(self) -> CampaignRow | None:
        indexes = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        row = indexes[0].row() if indexes else self.table.currentRow()
        return self.shown[row] if 0 <= row < len(self.shown) else None

    def select(self, campaign_id: str) -> None:
        ids = [row.record.id for row in self.shown]
        if campaign_id in ids:
            select_row(self.table, ids.index(campaign_id))

    def _follow_selection(self) -> None:
        row = self.selected()
        status = CampaignStatus(row.record.status) if row else None
        allowed = TRANSITIONS.get(status, frozenset()) if status else frozenset()
        self.edit_button.setEnabled(status in EDITABLE)
        self.schedule_button.setEnabled(CampaignStatus.SCHEDULED in allowed and status != CampaignStatus.RUNNING)
        self.pause_button.setEnabled(CampaignStatus.PAUSED in allowed)
        self.complete_button.setEnabled(CampaignStatus.COMPLETED in allowed)
        self.results_button.setEnabled(row is not None)

    # -- actions --------------------------------------------------------------------------------------------
    def new(self) -> None:
        self._open_editor(None)

    def edit(self) -> None:
        row = self.selected()
        if row is not None and row.record.status in EDITABLE:
            self._open_editor(row.record)

    def _open_editor(self, record: CampaignRecord | None) -> None:
        actor = self._actor
        if actor is None:
            return
        if self.editor is not None:
            self.editor.deleteLater()  # the last one, closed: one editor at a time
        self.editor = CampaignEditor(self._services, actor, record, self)
        self.editor.saved.connect(self._saved)
        self.editor.open()

    def _saved(self, record: CampaignRecord) -> None:
        say(self.feedback, self.tr("Saved “%1” as a draft: schedule it to send.").replace("%1", record.definition.name))
        self._reload_then_select(record.id)

    def _reload_then_select(self, campaign_id: str) -> None:
        actor = self._actor
        if actor is None:
            return

        def loaded(rows: list[CampaignRow]) -> None:
            self._loaded(rows)
            self.select(campaign_id)

        run_in_background(lambda: load_rows(self._services, actor), loaded, self._failed, owner=self)

    def schedule(self, confirm_large: bool = False) -> None:
        row, actor = self.selected(), self._actor
        if row is None or actor is None:
            return
        campaign_id, campaigns = row.record.id, self._services.campaigns
        run_in_background(
            lambda: campaigns.schedule(actor, campaign_id, confirm_large=confirm_large),
            self._scheduled,
            lambda error: self._schedule_refused(campaign_id, error),
            busy=[self.schedule_button],
            owner=self,
        )

    def _schedule_refused(self, campaign_id: str, error: BaseException) -> None:
        if isinstance(error, Conflict) and error.message == CONFIRM_LARGE:
            if ask(self, self.tr("A large audience"), error_text(error)):
                self.select(campaign_id)
                self.schedule(confirm_large=True)
            else:
                say(self.feedback, self.tr("Not scheduled: the campaign stays as it was."))
            return
        show_refusal(self.feedback, error, errors_text)

    def _scheduled(self, result: Scheduled) -> None:
        text = self.tr("Scheduled: %1 customers would receive it if it ran now.").replace("%1", number(result.audience))
        notices = [error_text(n) for n in result.notices]
        say(self.feedback, " ".join([text, *notices]))
        self._reload_then_select(result.campaign.id)

    def pause(self) -> None:
        self._move(lambda actor, cid: self._services.campaigns.pause(actor, cid), self.tr("Paused."))

    def complete(self) -> None:
        row = self.selected()
        if row is None:
            return
        question = self.tr("End “%1” for good? It will not run again.").replace("%1", row.record.definition.name)
        if ask(self, self.tr("Complete the campaign"), question):
            self._move(lambda actor, cid: self._services.campaigns.complete(actor, cid), self.tr("Completed."))

    def _move(self, call: object, done: str) -> None:
        row, actor = self.selected(), self._actor
        if row is None or actor is None or not callable(call):
            return
        campaign_id = row.record.id

        def moved(record: CampaignRecord) -> None:
            say(self.feedback, done)
            self._reload_then_select(record.id)

        run_in_background(
            lambda: call(actor, campaign_id),
            moved,
            self._failed,
            busy=[self.pause_button, self.complete_button],
            owner=self,
        )

    def _results(self) -> None:
        row = self.selected()
        if row is not None:
            self.results_requested.emit(row.record.id)

    def export_csv(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Export"), "campaigns.csv", "CSV (*.csv)")
        if path:
            write_campaigns_csv(self.shown, Path(path))
            say(self.feedback, self.tr("Exported."))

    def retranslate(self) -> None:
        self.text_filter.setPlaceholderText(self.tr("Filter by name (Ctrl+F)"))
        self.status_filter.setItemText(0, self.tr("Every status"))
        for index in range(1, self.status_filter.count()):
            self.status_filter.setItemText(index, labels.status(str(self.status_filter.itemData(index))))
        self.kind_filter.setItemText(0, self.tr("Every kind"))
        for index in range(1, self.kind_filter.count()):
            self.kind_filter.setItemText(index, labels.kind(str(self.kind_filter.itemData(index))))
        self.export_button.setText(self.tr("Export CSV"))
        self.table.setHorizontalHeaderLabels(
            [
                self.tr("Name"),
                self.tr("Kind"),
                self.tr("Status"),
                self.tr("Schedule"),
                self.tr("Next run"),
                self.tr("Last run"),
            ]
        )
        set_empty_text(self.table, self.tr("No campaign yet: press F2 to create one."))
        self.new_button.setText(self.tr("New (F2)"))
        self.edit_button.setText(self.tr("Edit"))
        self.schedule_button.setText(self.tr("Schedule"))
        self.pause_button.setText(self.tr("Pause"))
        self.complete_button.setText(self.tr("Complete"))
        self.results_button.setText(self.tr("Results"))
        self._render()


def write_campaigns_csv(rows: list[CampaignRow], path: Path) -> None:
    """One line per campaign, values as stored (kind, status, schedule) and times in Asia/Dubai."""
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["name", "kind", "occasion", "status", "repeat", "time", "next_run", "last_run"])
        for row in rows:
            d = row.record.definition
            nxt = row.next_run.moment.astimezone(DUBAI).strftime("%Y-%m-%d %H:%M") if row.next_run else ""
            writer.writerow(
                [
                    d.name,
                    d.kind,
                    d.occasion or "",
                    row.record.status,
                    str(d.schedule.repeat),
                    d.schedule.local_time.strftime("%H:%M"),
                    nxt,
                    row.record.last_occurrence or "",
                ]
            )


__all__ = ["CampaignList", "CampaignRow", "write_campaigns_csv"]
