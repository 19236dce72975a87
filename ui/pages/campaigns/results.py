"""A campaign's results for a manager: the funnel per variant as a chart (sent → delivered → read → clicked →
converted), a table with the count beside every percentage per variant and channel, the lift against the
control group with its 95 % interval, revenue, cost and ROI in AED; exportable to CSV. Counted off the main
thread (core.campaigns.results)."""

from __future__ import annotations

import csv
from pathlib import Path

from PySide6.QtCharts import QBarCategoryAxis, QBarSeries, QBarSet, QChart, QChartView, QValueAxis
from PySide6.QtCore import QCoreApplication, QLocale, Qt
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from core.app import AppServices
from core.campaigns.model import CONTROL
from core.campaigns.ports import CampaignRecord
from core.campaigns.results import ALL, LEADING, NOT_ENOUGH_DATA, SINGLE, CampaignResults, Lift, Rate, Row
from core.kernel.money import fils_to_text
from core.staff.auth import Actor
from ui import labels
from ui.i18n import FSI, PDI, Retranslating, is_arabic, ltr, money, number, show_refusal
from ui.ops import Latest
from ui.pages.campaigns import labels as campaign_labels
from ui.widgets.named import make_label
from ui.widgets.plain import plain_labels
from ui.widgets.tables import read_only_table, set_empty_text, set_row

FUNNEL = ("sent", "delivered", "read", "clicked", "converted")
HEADER: tuple[str, ...] = (
    "variant",
    "channel",
    "recipients",
    "refused",
    "sent",
    "delivered",
    "read",
    "failed",
    "clicked",
)
HEADER += ("converted", "redeemed", "revenue_aed", "message_cost_aed", "offer_cost_aed", "roi")


def percent(share: float | None, digits: int = 1) -> str:
    """0.4567 → '45.7 %' in the current locale; '—' when there is nothing to divide by."""
    if share is None:
        return "—"
    text = QLocale().toString(share * 100, "f", digits)
    return ltr(text + "٪") if is_arabic() else text + " %"


def rate_text(rate: Rate, whole: bool = False) -> str:
    """'45 (37.5 %)': the count beside every percentage; with ``whole``, '45 of 120 (37.5 %)' (where no column
    says what it is a share of)."""
    if whole:
        text = QCoreApplication.translate("CampaignResultsView", "%1 of %2 (%3)")
    else:
        text = QCoreApplication.translate("CampaignResultsView", "%1 (%3)")
    return text.replace("%1", number(rate.count)).replace("%2", number(rate.of)).replace("%3", percent(rate.share))


def points_text(value: float) -> str:
    """A difference of proportions in percentage points, signed: '+3.2 pts'."""
    sign = "+" if value > 0 else ""
    text = sign + QLocale().toString(value * 100, "f", 1)
    return QCoreApplication.translate("CampaignResultsView", "%1 pts").replace("%1", ltr(text) if is_arabic() else text)


class CampaignResultsView(Retranslating, QWidget):
    def __init__(self, services: AppServices, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("campaignResultsView")
        self._services = services
        self._actor: Actor | None = None
        self._campaign_id: str | None = None
        self._loading = Latest()
        self.record: CampaignRecord | None = None
        self.results: CampaignResults | None = None
        self.title = make_label(self, "pageTitle")
        self.status = make_label(self, "hint", wrap=True)
        self.money_line = make_label(self, "sectionTitle", wrap=True)
        self.lift_line = QLabel(self)
        self.lift_line.setWordWrap(True)
        self.variants_line = QLabel(self)
        self.variants_line.setObjectName("campaignVariantsLine")
        self.variants_line.setWordWrap(True)
        self.refresh_button = QPushButton(self)
        self.export_button = QPushButton(self)
        self.chart = QChart()
        self.chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
        self.chart_view = QChartView(self.chart, self)
        self.chart_view.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.chart_view.setMinimumHeight(200)
        self.table = read_only_table(self, 11, "campaignResults", stretch=0)
        self.lifts = read_only_table(self, 5, "campaignLifts", stretch="all")
        head = QHBoxLayout()
        figures = QVBoxLayout()
        figures.addWidget(self.title)
        figures.addWidget(self.money_line)
        figures.addWidget(self.lift_line)
        figures.addWidget(self.variants_line)
        figures.addWidget(self.status)
        head.addLayout(figures, 1)
        head.addWidget(self.refresh_button, 0, Qt.AlignmentFlag.AlignTop)
        head.addWidget(self.export_button, 0, Qt.AlignmentFlag.AlignTop)
        layout = QVBoxLayout(self)
        layout.addLayout(head)
        layout.addWidget(self.chart_view, 2)
        layout.addWidget(self.table, 2)
        layout.addWidget(self.lifts)
        self.refresh_button.clicked.connect(self.refresh)
        self.export_button.clicked.connect(self.export_csv)
        self.retranslate()
        plain_labels(self)

    def show(self, actor: Actor | None = None, campaign_id: str | None = None) -> None:
        """Shows the view and counts ``campaign_id``'s results for ``actor`` in the background."""
        if actor is not None:
            self._actor = actor
        if campaign_id is not None:
            self._campaign_id = campaign_id
        super().show()
        self.refresh()

    def refresh(self) -> None:
        actor, campaign_id = self._actor, self._campaign_id
        if actor is None or campaign_id is None:
            return
        campaigns = self._services.campaigns
        self.status.setText(self.tr("Counting the results…"))
        self.refresh_button.setEnabled(False)

        def load() -> tuple[CampaignRecord, CampaignResults]:
            return campaigns.get(actor, campaign_id), campaigns.results(actor, campaign_id)

        self._loading.run(load, self._loaded, self._failed)

    def _loaded(self, found: tuple[CampaignRecord, CampaignResults]) -> None:
        self.record, self.results = found
        self.refresh_button.setEnabled(True)
        self.status.clear()
        self._render()

    def _failed(self, error: BaseException) -> None:
        self.refresh_button.setEnabled(True)
        show_refusal(self.status, error)

    # -- what it shows --------------------------------------------------------------------------------------------
    def _render(self) -> None:
        found, record = self.results, self.record
        self.export_button.setEnabled(found is not None)
        if found is None:
            self.money_line.clear()
            self.lift_line.clear()
            self.variants_line.clear()
            self.table.setRowCount(0)
            self.lifts.setRowCount(0)
            self.chart.removeAllSeries()
            return
        name = record.definition.name if record is not None else ""
        self.title.setText(self.tr("Results: %1").replace("%1", name))
        total = found.row()
        if total is not None:
            roi = self.tr("ROI %1").replace("%1", percent(total.roi, 0))
            self.money_line.setText(
                self.tr("Revenue %1 · cost %2 (messages %3, offers %4) · %5")
                .replace("%1", money(total.revenue_fils))
                .replace("%2", money(total.cost_fils))
                .replace("%3", money(total.message_cost_fils))
                .replace("%4", money(total.offer_cost_fils))
                .replace("%5", roi)
            )
        else:
            self.money_line.setText(self.tr("No customer has been reached yet."))
        lift = found.lift()
        self.lift_line.setText(self._lift_sentence(lift, found) if lift is not None else "")
        self.variants_line.setText(self._variants_sentence(found))
        self.variants_line.setVisible(found.comparison != SINGLE)
        self._fill_table(found)
        self._fill_lifts(found)
        self._fill_chart(found)

    def _lift_sentence(self, lift: Lift, found: CampaignResults) -> str:
        days = self.tr("within %1 days of the message").replace("%1", number(found.conversion_days))
        if lift.difference is None or lift.interval is None:
            return (
                self.tr("Lift: not enough data yet (at least %1 customers in each group; now %2 and %3 in control).")
                .replace("%1", number(found.min_arm))
                .replace("%2", number(lift.treated.of))
                .replace("%3", number(lift.control.of))
            )
        return (
            self.tr("Lift against the control group: %1 (95 % interval %2 to %3), %4 against %5 in control, %6.")
            .replace("%1", points_text(lift.difference))
            .replace("%2", points_text(lift.interval.low))
            .replace("%3", points_text(lift.interval.high))
            .replace("%4", rate_text(lift.treated, whole=True))
            .replace("%5", rate_text(lift.control, whole=True))
            .replace("%6", days)
        )

    def _variants_sentence(self, found: CampaignResults) -> str:
        """'Variants compared on: conversion rate — leading: B (significant)'; empty with a single variant."""
        if found.comparison == SINGLE:
            return ""
        if found.comparison == LEADING and found.leader is not None:
            leader = FSI + found.leader + PDI  # a variant's name keeps its own direction in either language
            if found.significant is None:
                leading = self.tr("leading: %1").replace("%1", leader)
            elif found.significant:
                leading = self.tr("leading: %1 (significant)").replace("%1", leader)
            else:
                leading = self.tr("leading: %1 (not yet significant)").replace("%1", leader)
        elif found.comparison == NOT_ENOUGH_DATA:
            leading = self.tr("leading: not enough data (at least %1 recipients in each variant)").replace(
                "%1", number(found.min_arm)
            )
        else:
            leading = self.tr("no variant leads: the best two are equal")
        return (
            self.tr("Variants compared on: %1 — %2")
            .replace("%1", campaign_labels.metric(found.metric))
            .replace("%2", leading)
        )

    def _variant(self, name: str) -> str:
        if name == ALL:
            return self.tr("All")
        if name == CONTROL:
            return self.tr("Control")
        return name

    def _fill_table(self, found: CampaignResults) -> None:
        self.table.setRowCount(len(found.rows))
        for index, row in enumerate(found.rows):
            cells = [
                self._variant(row.variant),
                self.tr("All") if row.channel == ALL else labels.channel(row.channel),
                number(row.recipients),
                rate_text(row.sent),
                rate_text(row.delivered),
                rate_text(row.read),
                rate_text(row.clicked),
                rate_text(row.converted),
                rate_text(row.redeemed),
                money(row.revenue_fils),
                money(row.cost_fils),
            ]
            set_row(self.table, index, cells, numeric=tuple(range(2, 11)))

    def _fill_lifts(self, found: CampaignResults) -> None:
        self.lifts.setRowCount(len(found.lifts))
        header = self.lifts.horizontalHeader().sizeHint().height()
        self.lifts.setFixedHeight(header + sum(self.lifts.rowHeight(i) for i in range(len(found.lifts))) + 4)
        for index, lift in enumerate(found.lifts):
            if lift.difference is None or lift.interval is None:
                difference = interval = self.tr("Not enough data")
            else:
                difference = points_text(lift.difference)
                interval = f"{points_text(lift.interval.low)} … {points_text(lift.interval.high)}"
            cells = [
                self._variant(lift.variant),
                rate_text(lift.treated, whole=True),
                rate_text(lift.control, whole=True),
                difference,
                interval,
            ]
            set_row(self.lifts, index, cells, numeric=(1, 2, 3, 4))

    def _fill_chart(self, found: CampaignResults) -> None:
        self.chart.removeAllSeries()
        for axis in self.chart.axes():
            self.chart.removeAxis(axis)
        series = QBarSeries()
        rows = [r for r in found.rows if r.channel == ALL and (r.variant != ALL or len(found.variants) <= 1)]
        if len(found.variants) > 1:
            rows = [r for r in rows if r.variant != ALL]
        top = 0
        for row in rows:
            bar = QBarSet(self._variant(row.variant))
            values = [_funnel_count(row, step) for step in FUNNEL]
            top = max([top, *values])
            for value in values:
                bar.append(value)
            series.append(bar)
        self.chart.addSeries(series)
        x = QBarCategoryAxis()
        x.append([self._step(step) for step in FUNNEL])
        y = QValueAxis()
        y.setLabelFormat("%.0f")
        y.setRange(0, max(1, top))
        y.applyNiceNumbers()
        y.setTitleText(self.tr("Customers"))
        self.chart.addAxis(x, Qt.AlignmentFlag.AlignBottom)
        self.chart.addAxis(y, Qt.AlignmentFlag.AlignRight if is_arabic() else Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(x)
        series.attachAxis(y)
        self.chart.setTitle(self.tr("Funnel per variant"))

    def _step(self, step: str) -> str:
        return {
            "sent": self.tr("Sent"),
            "delivered": self.tr("Delivered"),
            "read": self.tr("Read"),
            "clicked": self.tr("Clicked"),
            "converted": self.tr("Converted"),
        }[step]

    # -- export ---------------------------------------------------------------------------------------------------
    def export_csv(self) -> None:
        found = self.results
        if found is None:
            return
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Export"), "campaign-results.csv", "CSV (*.csv)")
        if path:
            write_results_csv(found, Path(path))

    def retranslate(self) -> None:
        self.title.setText(self.tr("Campaign results"))
        self.refresh_button.setText(self.tr("Refresh"))
        self.export_button.setText(self.tr("Export CSV"))
        self.table.setHorizontalHeaderLabels(
            [
                self.tr("Variant"),
                self.tr("Channel"),
                self.tr("Recipients"),
                self.tr("Sent"),
                self.tr("Delivered"),
                self.tr("Read"),
                self.tr("Clicked"),
                self.tr("Converted"),
                self.tr("Redeemed"),
                self.tr("Revenue"),
                self.tr("Cost"),
            ]
        )
        self.lifts.setHorizontalHeaderLabels(
            [
                self.tr("Variant"),
                self.tr("Converted"),
                self.tr("Control converted"),
                self.tr("Lift"),
                self.tr("95 % interval (Newcombe)"),
            ]
        )
        set_empty_text(self.table, self.tr("No customer has been reached yet."))
        self._render()


def _funnel_count(row: Row, step: str) -> int:
    rate: Rate = getattr(row, step)
    return rate.count


def write_results_csv(found: CampaignResults, path: Path) -> None:
    """One line per variant and channel (an empty variant or channel is every one), counts and amounts in AED
    with two decimals, then the lifts; machine-readable, not translated."""
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(HEADER)
        for r in found.rows:
            counts = [r.sent, r.delivered, r.read, r.failed, r.clicked, r.converted, r.redeemed]
            writer.writerow(
                [r.variant or "all", r.channel or "all", r.recipients, r.refused]
                + [c.count for c in counts]
                + [fils_to_text(v) for v in (r.revenue_fils, r.message_cost_fils, r.offer_cost_fils)]
                + ["" if r.roi is None else f"{r.roi:.4f}"]
            )
        writer.writerow([])
        writer.writerow(
            ["variant", "treated", "treated_converted", "control", "control_converted", "lift", "ci_low", "ci_high"]
        )
        for lift in found.lifts:
            writer.writerow(
                [lift.variant or "all", lift.treated.of, lift.treated.count, lift.control.of, lift.control.count]
                + (
                    ["", "", ""]
                    if lift.difference is None or lift.interval is None
                    else [f"{lift.difference:.4f}", f"{lift.interval.low:.4f}", f"{lift.interval.high:.4f}"]
                )
            )
