"""The business dashboards for managers: a tab per dashboard (sales and seasons, customers, loyalty, gift cards,
personal shoppers, campaigns and feedback), each with its totals, a chart and its tables, for a period, a branch
and a segment; exportable to CSV and PDF. Everything shown was precomputed (core.analytics.figures): opening a
dashboard reads one stored row, off the main thread. A standalone store recomputes here ("Recompute now", with
its progress); a branch of a chain shows when head office computed what it last pulled."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCharts import QBarCategoryAxis, QBarSeries, QBarSet, QChart, QChartView, QValueAxis
from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QColor, QPainter, QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QProgressBar,
    QPushButton,
    QTableWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from core.analytics.dashboards import DASHBOARDS, PERIODS
from core.analytics.figures import ALL, Figure, FigureKey, FigureOptions, Run
from core.app import AppServices
from core.staff.auth import Actor, Permission
from ui.i18n import datetime_text, local_name, number, show_refusal
from ui.ops import Latest, run_in_background
from ui.pages.analytics.cells import (
    cell_text,
    column_title,
    dashboard_title,
    percent,
    segment_text,
    short_month,
    table_title,
    total_title,
)
from ui.pages.analytics.export import write_csv, write_pdf
from ui.pages.base import ServicePage
from ui.widgets.named import make_label
from ui.widgets.plain import plain_labels
from ui.widgets.tables import read_only_table, set_empty_text, set_row

# The chart of each dashboard: its table, the column naming each bar, the columns drawn, and how many of the
# last rows (months) are drawn.
CHARTS: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "sales": ("month", "month", ("sales_fils",)),
    "customers": ("month", "month", ("new", "active", "churned")),
    "loyalty": ("month", "month", ("issued", "redeemed", "expired")),
    "giftcards": ("first_use", "bucket", ("cards",)),
    "shoppers": ("shopper", "shopper", ("sales_fils",)),
    "engagement": ("nps_month", "month", ("answers",)),
}
LAST_ROWS = 12
COLORS = ("#8a5a1f", "#b8913a", "#5b7f6a")


def _counts(value: object) -> bool:
    """A total that says something happened: a non-zero number, or a share of a non-zero whole."""
    if isinstance(value, list):
        return len(value) == 2 and bool(value[1])
    return isinstance(value, int | float) and not isinstance(value, bool) and value != 0


class _Progress(QObject):
    """Lives on the main thread: the recompute's worker emits into it, so the bar moves on the main thread."""

    moved = Signal(str, int, int)


class DashboardTab(QWidget):
    """One dashboard: a line of totals, its chart and one of its tables at a time."""

    def __init__(self, key: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.key = key
        self.setObjectName(f"analytics_{key}")
        self.figure: Figure | None = None
        self.totals = make_label(self, "subtitle", wrap=True)
        self.empty = make_label(self, "hint", wrap=True)
        self.chart = QChart()
        self.chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
        self.chart_view = QChartView(self.chart, self)
        self.chart_view.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.chart_view.setMinimumHeight(200)
        self.which = QComboBox(self)
        self.which.setMinimumContentsLength(26)
        self.which.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.table = read_only_table(self, 1, f"analyticsTable_{key}", stretch=0)
        # The chart above its table: the table has the page's whole width, so no table scrolls sideways.
        pick = QHBoxLayout()
        pick.addWidget(self.which)
        pick.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.totals)
        layout.addWidget(self.empty)
        layout.addWidget(self.chart_view, 3)
        layout.addLayout(pick)
        layout.addWidget(self.table, 2)
        self.which.currentIndexChanged.connect(lambda _i: self._fill_table())

    @property
    def payload(self) -> dict[str, Any]:
        return self.figure.payload if self.figure else {}

    @property
    def names(self) -> dict[str, Any]:
        names = dict(self.payload.get("names", {}))
        for branch in self.payload.get("branches", []):
            if len(branch) == 3:
                names[branch[0]] = (branch[1], branch[2])
        return names

    def show_figure(self, figure: Figure | None, empty_text: str) -> None:
        self.figure = figure
        self.render_figure(empty_text)

    def render_figure(self, empty_text: str) -> None:
        payload = self.payload
        tables = payload.get("tables", {})
        chosen = self.which.currentData()
        self.which.blockSignals(True)
        self.which.clear()
        for key in tables:
            self.which.addItem(table_title(key), key)
        self.which.setCurrentIndex(max(0, self.which.findData(chosen)))
        self.which.blockSignals(False)
        has_data = any(_counts(value) for value in payload.get("totals", {}).values())
        self.empty.setVisible(not has_data)
        self.empty.setText(empty_text)
        totals = payload.get("totals", {})
        self.totals.setText(
            "  ·  ".join(f"{total_title(k)}: {cell_text(k, v, self.names)}" for k, v in totals.items())
            if has_data
            else ""
        )
        self.totals.setVisible(has_data)
        self._fill_table()
        self._fill_chart(has_data)

    def _fill_table(self) -> None:
        key = self.which.currentData()
        table = self.payload.get("tables", {}).get(key, {"columns": [], "rows": []})
        columns, rows = table.get("columns", []), table.get("rows", [])
        view: QTableWidget = self.table
        view.setSortingEnabled(False)
        view.setColumnCount(max(1, len(columns)))
        view.setHorizontalHeaderLabels([column_title(c) for c in columns] or [""])
        view.setRowCount(len(rows))
        names = self.names
        for r, row in enumerate(rows):
            texts = [cell_text(c, v, names, str(key)) for c, v in zip(columns, row, strict=False)]
            set_row(view, r, texts, numeric=[i for i, v in enumerate(row) if isinstance(v, int | float | list)])
        header = view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)

    def _fill_chart(self, has_data: bool) -> None:
        chart = self.chart
        chart.removeAllSeries()
        for axis in chart.axes():
            chart.removeAxis(axis)
        table_key, label_column, value_columns = CHARTS[self.key]
        table = self.payload.get("tables", {}).get(table_key)
        title = table_title(table_key)
        if len(value_columns) == 1:
            unit = self.tr(" (AED)") if value_columns[0].endswith("_fils") else ""
            title = f"{column_title(value_columns[0])}{unit} · {title}"
        if not has_data or not table or not table.get("rows"):
            chart.setTitle(self.tr("Not enough data for this chart in this period.") if has_data else "")
            return
        chart.setTitle(title)
        columns = table["columns"]
        rows = table["rows"][-LAST_ROWS:]
        names = self.names
        series = QBarSeries()
        categories = []
        for row in rows:
            values = dict(zip(columns, row, strict=False))
            label = cell_text(label_column, values.get(label_column), names, table_key)
            if label_column == "month":
                label = short_month(str(values["month"]))
            if "share" in values and isinstance(values["share"], list):  # the bar is the count, beside its share
                label += f" ({percent(*values['share'])})"
            elif table_key == "nps_month":  # the answers behind each month's bar
                label = f"{label} ({number(int(values['answers']))})"
            categories.append(label)
        top = 0.0
        for i, column in enumerate(value_columns):
            bars = QBarSet(column_title(column))
            bars.setColor(QColor(COLORS[i % len(COLORS)]))
            for row in rows:
                value = dict(zip(columns, row, strict=False)).get(column) or 0
                shown = float(value) / 100 if column.endswith("_fils") else float(value)
                bars.append(shown)
                top = max(top, shown)
            series.append(bars)
        if top <= 0:  # only zeros: nothing to draw
            chart.setTitle(self.tr("Not enough data for this chart in this period."))
            return
        chart.addSeries(series)
        x_axis = QBarCategoryAxis()
        x_axis.append(categories)
        small = x_axis.labelsFont()
        small.setPixelSize(11)
        x_axis.setLabelsFont(small)
        y_axis = QValueAxis()
        y_axis.setRange(0, top * 1.1 if top > 0 else 1)
        y_axis.setLabelFormat("%.0f")
        y_axis.applyNiceNumbers()  # whole steps: counts and dirhams read as integers
        chart.addAxis(x_axis, Qt.AlignmentFlag.AlignBottom)
        chart.addAxis(y_axis, Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(x_axis)
        series.attachAxis(y_axis)
        chart.legend().setVisible(len(value_columns) > 1)


class AnalyticsPage(ServicePage):
    def __init__(self, services: AppServices, parent: QWidget | None = None) -> None:
        super().__init__(services, "analyticsPage", parent)
        self.options = FigureOptions()
        self._latest = Latest()
        self._progress = _Progress(self)
        self._progress.moved.connect(self._moved)
        self._loading = False
        self.title = make_label(self, "pageTitle")
        self.period = QComboBox(self)
        self.period.setObjectName("analyticsPeriod")
        self.branch = QComboBox(self)
        self.segment = QComboBox(self)
        for combo in (self.branch, self.segment):
            combo.setMinimumContentsLength(14)
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.stamp = make_label(self, "hint")
        self.bar = QProgressBar(self)
        self.bar.setMaximumWidth(220)
        self.bar.hide()
        self.recompute_button = QPushButton(self)
        self.recompute_button.setVisible(services.analytics.computes_here)
        self.csv_button = QPushButton(self)
        self.pdf_button = QPushButton(self)
        self.error = make_label(self, "error", wrap=True)
        self.error.hide()
        self.tabs = QTabWidget(self)
        self.dashboards = [DashboardTab(key, self.tabs) for key in DASHBOARDS]
        for tab in self.dashboards:
            self.tabs.addTab(tab, "")
        head = QHBoxLayout()
        head.addWidget(self.title, 1)
        head.addWidget(self.stamp)
        top = QHBoxLayout()
        top.addWidget(self.period)
        top.addWidget(self.branch)
        top.addWidget(self.segment)
        top.addStretch(1)
        top.addWidget(self.bar)
        top.addWidget(self.recompute_button)
        top.addWidget(self.csv_button)
        top.addWidget(self.pdf_button)
        layout = QVBoxLayout(self)
        layout.addLayout(head)
        layout.addLayout(top)
        layout.addWidget(self.error)
        layout.addWidget(self.tabs, 1)
        for combo in (self.period, self.branch, self.segment):
            combo.currentIndexChanged.connect(lambda _i: self._filters_changed())
        self.tabs.currentChanged.connect(lambda _i: self.refresh())
        self.recompute_button.clicked.connect(self.recompute)
        self.csv_button.clicked.connect(self.export_csv)
        self.pdf_button.clicked.connect(self.export_pdf)
        self.retranslate()
        plain_labels(self)

    # -- what is asked

    def set_actor(self, actor: Actor | None) -> None:
        super().set_actor(actor)
        if actor is not None and self.isVisible():
            self.refresh(options=True)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.refresh(options=True)

    def key(self, dashboard: str | None = None) -> FigureKey:
        return FigureKey(
            dashboard or self.current().key,
            self.period.currentData() or "12m",
            self.branch.currentData() or ALL,
            self.segment.currentData() or ALL,
        )

    def current(self) -> DashboardTab:
        return self.dashboards[max(0, self.tabs.currentIndex())]

    def refresh(self, options: bool = False) -> None:
        actor = self._actor
        if actor is None or self._loading or not actor.can(Permission.VIEW_ANALYTICS):
            return
        analytics = self._services.analytics
        if options:
            run_in_background(lambda: analytics.options(actor), self._show_options, self._failed)
        key, tab = self.key(), self.current()
        self._latest.run(lambda: analytics.dashboard(actor, key), lambda f: self._show(tab, f), self._failed)

    def _filters_changed(self) -> None:
        # A segment is computed for the whole chain only (core.analytics.dashboards.Prepared.scopes).
        one_branch = bool(self.branch.currentData())
        if one_branch and self.segment.currentIndex() > 0:
            self.segment.blockSignals(True)
            self.segment.setCurrentIndex(0)
            self.segment.blockSignals(False)
        self.segment.setEnabled(not one_branch)
        self.refresh()

    def recompute(self) -> None:
        actor = self._actor
        if actor is None:
            return
        analytics = self._services.analytics
        progress = self._progress
        self.bar.setValue(0)
        self.bar.show()
        run_in_background(
            lambda: analytics.recompute(actor, progress.moved.emit),
            self._recomputed,
            self._failed,
            busy=[self.recompute_button],
        )

    # -- what is shown

    def _moved(self, step: str, done: int, of: int) -> None:
        # read 0–20 %, customers 20–25 %, aggregates 25–95 %, save 95–100 %
        spans = {"read": (0, 20), "customers": (20, 25), "aggregates": (25, 95), "save": (95, 100)}
        low, high = spans.get(step, (0, 100))
        self.bar.setValue(int(low + (high - low) * done / max(1, of)))

    def _recomputed(self, _run: Run) -> None:
        self.bar.hide()
        self.refresh(options=True)

    def _failed(self, error: BaseException) -> None:
        self.bar.hide()
        self.error.show()
        show_refusal(self.error, error)

    def _show_options(self, options: FigureOptions) -> None:
        self.options = options
        self._fill_filters()
        self._stamp()

    def _stamp(self) -> None:
        at = self.options.computed_at
        if at is None:
            self.stamp.setText(
                self.tr("No figures yet: recompute them.")
                if self._services.analytics.computes_here
                else self.tr("No figures yet: they come from head office with the next sync.")
            )
        else:
            self.stamp.setText(self.tr("Computed at %1").replace("%1", datetime_text(at)))

    def _show(self, tab: DashboardTab, figure: Figure | None) -> None:
        self.error.hide()
        tab.show_figure(figure, self._empty_text(figure))

    def _empty_text(self, figure: Figure | None) -> str:
        if figure is None:
            return self.tr("No figures for this choice yet.")
        return self.tr("Not enough data for this period: no sale, no points, no cards and no answers in it.")

    def _fill_filters(self) -> None:
        self._loading = True
        chosen_branch, chosen_segment = self.branch.currentData(), self.segment.currentData()
        self.branch.clear()
        self.branch.addItem(self.tr("The whole chain"), ALL)
        for branch_id, en, ar in self.options.branches:
            self.branch.addItem(local_name(en, ar), branch_id)
        self.segment.clear()
        self.segment.addItem(self.tr("All segments"), ALL)
        for segment in self.options.segments:
            self.segment.addItem(segment_text(segment), segment)
        self.branch.setCurrentIndex(max(0, self.branch.findData(chosen_branch)))
        self.segment.setCurrentIndex(max(0, self.segment.findData(chosen_segment)))
        self._loading = False

    # -- export

    def export_csv(self) -> None:
        tab = self.current()
        if tab.figure is None:
            return
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Export"), f"{tab.key}.csv", "CSV (*.csv)")
        if path:
            write_csv(tab.figure, Path(path))

    def export_pdf(self) -> None:
        tab = self.current()
        if tab.figure is None:
            return
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Export"), f"{tab.key}.pdf", "PDF (*.pdf)")
        if path:
            write_pdf(tab, self.tabs.tabText(self.tabs.currentIndex()), self.stamp.text(), Path(path))

    def retranslate(self) -> None:
        self.title.setText(self.tr("Business dashboards"))
        self.recompute_button.setText(self.tr("Recompute now"))
        self.csv_button.setText(self.tr("Export CSV"))
        self.pdf_button.setText(self.tr("Export PDF"))
        self._loading, loading = True, self._loading
        at = self.period.currentIndex()
        self.period.clear()
        texts = {
            "30d": self.tr("Last 30 days"),
            "90d": self.tr("Last 90 days"),
            "12m": self.tr("Last 12 months"),
            "all": self.tr("All history"),
        }
        for key in PERIODS:
            self.period.addItem(texts[key], key)
        self.period.setCurrentIndex(at if at >= 0 else list(PERIODS).index("12m"))
        self._loading = loading
        self._fill_filters()
        self._stamp()
        for i, tab in enumerate(self.dashboards):
            self.tabs.setTabText(i, dashboard_title(tab.key))
            set_empty_text(tab.table, self.tr("Nothing to show for this choice."))
            tab.render_figure(self._empty_text(tab.figure))
