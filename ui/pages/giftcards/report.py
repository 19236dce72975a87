"""Gift cards for a manager: outstanding liability, movements by month and branch (chart and table),
cards expiring soon; exportable to CSV."""

from __future__ import annotations

import csv
from pathlib import Path

from PySide6.QtCharts import QBarCategoryAxis, QBarSeries, QBarSet, QChart, QChartView, QValueAxis
from PySide6.QtCore import Qt
from PySide6.QtGui import QPainter, QShowEvent
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from core.app import AppServices
from core.giftcards.service import GiftCardReport
from core.kernel.money import fils_to_text
from ui.i18n import date_text, error_text, local_name, ltr, money, show_refusal
from ui.ops import run_in_background
from ui.pages.base import ServicePage
from ui.widgets.named import make_label
from ui.widgets.plain import plain_labels
from ui.widgets.tables import read_only_table, set_row


class GiftCardReportPage(ServicePage):
    def __init__(self, services: AppServices, parent: QWidget | None = None) -> None:
        super().__init__(services, "giftCardReportPage", parent)
        self.report: GiftCardReport | None = None
        self.title = make_label(self, "pageTitle")
        self.liability_caption = QLabel(self)
        self.liability = make_label(self, "bigTotal")
        self.active = QLabel(self)
        self.refresh_button = QPushButton(self)
        self.export_button = QPushButton(self)
        self.chart = QChart()
        self.chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
        self.chart_view = QChartView(self.chart, self)
        self.chart_view.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.chart_view.setMinimumHeight(220)
        self.periods = read_only_table(self, 6, "giftCardPeriods", stretch="all")
        self.expiring_caption = make_label(self, "sectionTitle")
        self.expiring = read_only_table(self, 3, "expiringCards", stretch="all")
        for table in (self.periods, self.expiring):
            table.setSortingEnabled(True)
        head = QHBoxLayout()
        figures = QVBoxLayout()
        figures.addWidget(self.liability_caption)
        figures.addWidget(self.liability)
        figures.addWidget(self.active)
        head.addLayout(figures, 1)
        head.addWidget(self.refresh_button, 0, Qt.AlignmentFlag.AlignTop)
        head.addWidget(self.export_button, 0, Qt.AlignmentFlag.AlignTop)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addLayout(head)
        layout.addWidget(self.chart_view, 2)
        layout.addWidget(self.periods, 2)
        layout.addWidget(self.expiring_caption)
        layout.addWidget(self.expiring, 1)
        self.refresh_button.clicked.connect(self.refresh)
        self.export_button.clicked.connect(self.export_csv)
        self.retranslate()
        plain_labels(self)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.refresh()

    def refresh(self) -> None:
        actor = self._actor
        if actor is None:
            return
        giftcards = self._services.giftcards
        run_in_background(lambda: giftcards.report(actor), self._show, self._failed, busy=[self.refresh_button])

    def _failed(self, error: BaseException) -> None:
        show_refusal(self.active, error, error_text)

    def _show(self, report: GiftCardReport) -> None:
        self.report = report
        self._render()

    def _render(self) -> None:
        report = self.report
        if report is None:
            return
        self.liability.setText(money(report.liability_fils))
        self.active.setText(self.tr("%n active card(s) hold this value", "", report.active_cards))
        self.periods.setSortingEnabled(False)
        self.periods.setRowCount(len(report.periods))
        for row, p in enumerate(report.periods):
            values: list[str | int]  # texts and amounts in fils
            values = [
                p.period,
                local_name(p.branch_name, p.branch_name_ar),
                p.issued_fils,
                p.redeemed_fils,
                p.expired_fils,
                p.cancelled_fils,
            ]
            for col, value in enumerate(values):
                item = QTableWidgetItem(money(value) if isinstance(value, int) else ltr(value) if col == 0 else value)
                self.periods.setItem(row, col, item)
        self.periods.setSortingEnabled(True)
        self.expiring.setRowCount(len(report.expiring))
        for row, card in enumerate(report.expiring):
            set_row(self.expiring, row, (ltr(card.code), money(card.balance_fils), date_text(card.expires_on)))
        self._chart()

    def _chart(self) -> None:
        report = self.report
        self.chart.removeAllSeries()
        for axis in self.chart.axes():
            self.chart.removeAxis(axis)
        if report is None:
            return
        months = sorted({p.period for p in report.periods})
        issued = QBarSet(self.tr("Sold"))
        redeemed = QBarSet(self.tr("Redeemed"))
        expired = QBarSet(self.tr("Expired"))
        for month in months:
            rows = [p for p in report.periods if p.period == month]
            issued.append(sum(p.issued_fils for p in rows) / 100)
            redeemed.append(sum(p.redeemed_fils for p in rows) / 100)
            expired.append(sum(p.expired_fils for p in rows) / 100)
        issued.setColor(Qt.GlobalColor.darkYellow)
        redeemed.setColor(Qt.GlobalColor.darkRed)
        expired.setColor(Qt.GlobalColor.gray)
        series = QBarSeries()
        for bar_set in (issued, redeemed, expired):
            series.append(bar_set)
        self.chart.addSeries(series)
        x = QBarCategoryAxis()
        x.append(months)
        y = QValueAxis()
        y.setLabelFormat("%.0f")
        y.setTitleText(self.tr("AED"))
        self.chart.addAxis(x, Qt.AlignmentFlag.AlignBottom)
        self.chart.addAxis(y, Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(x)
        series.attachAxis(y)
        self.chart.setTitle(self.tr("Gift cards by month (all branches)"))

    def export_csv(self) -> None:
        report = self.report
        if report is None:
            return
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Export"), "gift-cards.csv", "CSV (*.csv)")
        if path:
            write_report_csv(report, Path(path))

    def retranslate(self) -> None:
        self.title.setText(self.tr("Gift card report"))
        self.liability_caption.setText(self.tr("Outstanding liability (sum of balances)"))
        self.refresh_button.setText(self.tr("Refresh"))
        self.export_button.setText(self.tr("Export CSV"))
        self.expiring_caption.setText(self.tr("Expiring in the next 30 days"))
        self.periods.setHorizontalHeaderLabels(
            [
                self.tr("Month"),
                self.tr("Branch"),
                self.tr("Sold"),
                self.tr("Redeemed"),
                self.tr("Expired"),
                self.tr("Cancelled"),
            ]
        )
        self.expiring.setHorizontalHeaderLabels([self.tr("Code"), self.tr("Balance"), self.tr("Expires")])
        self._render()


def write_report_csv(report: GiftCardReport, path: Path) -> None:
    """Amounts in AED with two decimals, one row per month and branch."""
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["month", "branch", "sold_aed", "redeemed_aed", "expired_aed", "cancelled_aed"])
        for p in report.periods:
            writer.writerow(
                [p.period, p.branch_name]
                + [fils_to_text(v) for v in (p.issued_fils, p.redeemed_fils, p.expired_fils, p.cancelled_fils)]
            )
