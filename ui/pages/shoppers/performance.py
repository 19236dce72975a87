"""Shopper performance for managers: VIPs assigned, visits, sales of their VIPs and retention, with a chart."""

from __future__ import annotations

from PySide6.QtCharts import QBarCategoryAxis, QBarSeries, QBarSet, QChart, QChartView, QValueAxis
from PySide6.QtCore import QMargins, Qt
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QVBoxLayout, QWidget

from core.app import AppServices
from core.shoppers.model import RETENTION_DAYS, ShopperPerformance
from core.staff.auth import Actor, Permission
from ui.i18n import error_text, is_arabic, money, number, show_refusal
from ui.ops import run_in_background
from ui.pages.base import RefreshingPage
from ui.widgets.forms import mark_error
from ui.widgets.named import make_label, named
from ui.widgets.panes import panes
from ui.widgets.plain import plain_labels
from ui.widgets.tables import cell, pick_list

PERIODS = (30, 90, 365)
SERIES_COLOURS = ("#8a5a1f", "#c9a24a", "#3b2418")


class PerformanceView(RefreshingPage):
    def __init__(self, services: AppServices, parent: QWidget | None = None) -> None:
        super().__init__(services, "shopperPerformance", parent)
        self._rows: list[ShopperPerformance] = []
        self.period = named(QComboBox(self), "performancePeriod")
        self.caption = make_label(self, "hint", wrap=True)
        self.table = pick_list(self, 6, "performanceTable", stretch="last", wrap=False)
        self.chart = QChart()
        self.chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
        self.chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
        self.chart.setMargins(QMargins(4, 4, 4, 4))
        self.chart_view = QChartView(self.chart, self)
        self.chart_view.setObjectName("performanceChart")
        self.chart_view.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.chart_view.setMinimumHeight(260)
        top = QHBoxLayout()
        top.addWidget(self.caption, 1)
        top.addWidget(self.period)
        splitter = panes(self, self.table, self.chart_view, (1, 2), Qt.Orientation.Vertical)
        splitter.setSizes([220, 420])
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(splitter, 1)
        self.period.currentIndexChanged.connect(lambda _i: self.refresh())
        self.retranslate()
        plain_labels(self)

    def set_actor(self, actor: Actor | None) -> None:
        self._actor = actor
        self._rows = []
        self._show()

    def refresh(self) -> None:
        actor = self._actor
        if actor is None or not actor.can(Permission.VIEW_SHOPPER_PERFORMANCE):
            return
        days = int(self.period.currentData() or 90)
        run_in_background(lambda: self._services.shoppers.performance(actor, days), self._loaded, self._failed)

    def _loaded(self, rows: list[ShopperPerformance]) -> None:
        self._rows = rows
        self._show()

    def _failed(self, error: BaseException) -> None:
        show_refusal(self.caption, error, error_text)

    def _show(self) -> None:
        arabic = is_arabic()
        rows = self._rows
        self.table.setRowCount(len(rows))
        for r, p in enumerate(rows):
            name = p.shopper.display_name("ar" if arabic else "en")
            if not p.shopper.active:
                name += "  ·  " + self.tr("Inactive")
            load = self.tr("%1 of %2").replace("%1", number(p.assigned)).replace("%2", number(p.shopper.capacity))
            retention = self.tr("%1% (%2 of %3)")
            retention = (
                retention.replace("%1", number(p.retention_percent))
                .replace("%2", number(p.retained))
                .replace("%3", number(p.assigned))
            )
            for c, text in enumerate((name, load, number(p.visits), money(p.sales_fils), retention)):
                self.table.setItem(r, c, cell(text))
            self.table.setItem(r, 5, cell(money(p.sales_fils // p.assigned) if p.assigned else "—"))
        for c in range(5):
            self.table.resizeColumnToContents(c)
        self._draw_chart()

    def _draw_chart(self) -> None:
        chart = self.chart
        chart.removeAllSeries()
        for axis in chart.axes():
            chart.removeAxis(axis)
        chart.setTitle(self.tr("VIPs, visits and retention by shopper"))
        rows = self._rows
        if not rows:
            return
        sets = [QBarSet(self.tr("VIPs assigned")), QBarSet(self.tr("Visits")), QBarSet(self.tr("Retention %"))]
        for bar_set, colour in zip(sets, SERIES_COLOURS, strict=True):
            bar_set.setColor(QColor(colour))
            bar_set.setLabelColor(QColor("#2b1d16"))
        for p in rows:
            sets[0].append(p.assigned)
            sets[1].append(p.visits)
            sets[2].append(p.retention_percent)
        series = QBarSeries()
        for bar_set in sets:
            series.append(bar_set)
        series.setLabelsVisible(True)
        series.setLabelsPosition(QBarSeries.LabelsPosition.LabelsOutsideEnd)
        chart.addSeries(series)
        arabic = is_arabic()
        categories = QBarCategoryAxis()
        categories.append([p.shopper.display_name("ar" if arabic else "en") for p in rows])
        values = QValueAxis()
        top = max([100, *(p.visits for p in rows), *(p.assigned for p in rows)])
        values.setRange(0, top * 1.15)
        values.applyNiceNumbers()
        values.setLabelFormat("%d")
        chart.addAxis(categories, Qt.AlignmentFlag.AlignBottom)
        chart.addAxis(values, Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(categories)
        series.attachAxis(values)

    def retranslate(self) -> None:
        current = self.period.currentData() or 90
        self.period.blockSignals(True)
        self.period.clear()
        for days in PERIODS:
            self.period.addItem(self.tr("Last %1 days").replace("%1", number(days)), days)
        self.period.setCurrentIndex(max(0, self.period.findData(current)))
        self.period.blockSignals(False)
        mark_error(self.caption, False)
        self.caption.setText(
            self.tr(
                "Sales count the purchases of each shopper's VIPs made while with that shopper. Retention is the "
                "share of their VIPs who bought in the last %1 days."
            ).replace("%1", number(RETENTION_DAYS))
        )
        headers = [self.tr("Shopper"), self.tr("VIPs"), self.tr("Visits"), self.tr("Sales"), self.tr("Retention")]
        self.table.setHorizontalHeaderLabels([*headers, self.tr("Sales per VIP")])
        self._show()
