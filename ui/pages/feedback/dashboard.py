"""The manager's feedback dashboard: NPS now with its answers and interval (a score from a few answers is marked
so, its wide interval shown), its trend by month as a chart with the answers per point, promoters, passives and
detractors, the sentiment of the comments, what they are about (themes), the low scores waiting, and NPS by
branch and by personal shopper; for a period and a filter, exportable to CSV. Counted off the main thread
(FeedbackService.dashboard, from the precomputed feedback_facts)."""

from __future__ import annotations

import csv
from datetime import date, datetime, timedelta
from pathlib import Path

from PySide6.QtCharts import QAreaSeries, QCategoryAxis, QChart, QChartView, QLineSeries, QScatterSeries, QValueAxis
from PySide6.QtCore import QCoreApplication, QDate, QLocale, Qt
from PySide6.QtGui import QBrush, QColor, QPainter, QPen, QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QFileDialog,
    QHBoxLayout,
    QPushButton,
    QTableWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from core.app import AppServices
from core.feedback.dashboard import (
    SENTIMENTS,
    DashboardFilter,
    DashboardOptions,
    FeedbackDashboard,
    days_between,
    is_few,
    last_days,
    last_months,
)
from core.feedback.nps import NpsFigure
from core.feedback.ports import LowScoreRow
from core.staff.auth import Actor
from ui import loyalty_labels
from ui.i18n import FSI, PDI, is_arabic, local_name, ltr, number, qdate, show_refusal
from ui.ops import Latest, run_in_background
from ui.pages.base import ServicePage
from ui.widgets.named import make_label
from ui.widgets.plain import plain_labels
from ui.widgets.tables import read_only_table, set_empty_text, set_row

PERIODS = ("30d", "12m", "custom")
KINDS = ("product", "service", "general", "complaint")
NPS_COLUMNS = 7  # name, answers, NPS, interval, promoters, passives, detractors
FEW = QColor("#9a8574")


def _t(text: str) -> str:
    return QCoreApplication.translate("FeedbackDashboardPage", text)


def kind_text(kind: str) -> str:
    return {
        "product": _t("Product"),
        "service": _t("Service"),
        "general": _t("General"),
        "complaint": _t("Complaint"),
    }.get(kind, kind)


def sentiment_text(label: str) -> str:
    return {"positive": _t("Positive"), "neutral": _t("Neutral"), "negative": _t("Negative")}.get(label, label)


def signed(value: float) -> str:
    """An NPS in points, signed: '+42', '−7', '0'."""
    whole = round(value)
    text = QLocale().toString(abs(whole))
    return ltr(("+" if whole > 0 else "−" if whole < 0 else "") + text)


def percent(part: int, whole: int) -> str:
    if not whole:
        return "—"
    text = QLocale().toString(100 * part / whole, "f", 1)
    return ltr(text + "٪") if is_arabic() else text + " %"


def score_text(figure: NpsFigure) -> str:
    """'+42', or '+100 (few answers)' below the minimum, or '—' without answers."""
    if figure.score is None:
        return "—"
    if is_few(figure):
        return _t("%1 (few answers)").replace("%1", signed(figure.score))
    return signed(figure.score)


def interval_text(figure: NpsFigure) -> str:
    if figure.interval is None:
        return "—"
    return _t("%1 to %2").replace("%1", signed(figure.interval.low)).replace("%2", signed(figure.interval.high))


class FeedbackDashboardPage(ServicePage):
    def __init__(self, services: AppServices, parent: QWidget | None = None) -> None:
        super().__init__(services, "feedbackDashboardPage", parent)
        self.dashboard: FeedbackDashboard | None = None
        self.low_scores: list[LowScoreRow] = []
        self.options = DashboardOptions()
        self._latest = Latest()
        self._options_for: Actor | None = None
        self._band_lines: tuple[QLineSeries, QLineSeries] | None = None
        self.title = make_label(self, "pageTitle")
        self.period = QComboBox(self)
        self.period.setObjectName("feedbackPeriod")
        self.first_day = QDateEdit(self)
        self.last_day = QDateEdit(self)
        for edit in (self.first_day, self.last_day):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
        self.refresh_button = QPushButton(self)
        self.export_button = QPushButton(self)
        self.busy = make_label(self, "hint")
        self.branch = QComboBox(self)
        self.shopper = QComboBox(self)
        self.segment = QComboBox(self)
        self.campaign = QComboBox(self)
        self.kind = QComboBox(self)
        self.filters = (self.branch, self.shopper, self.segment, self.campaign, self.kind)
        for combo in self.filters:
            combo.setMinimumContentsLength(12)
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.nps_caption = make_label(self, "subtitle")
        self.nps_value = make_label(self, "bigTotal")
        self.nps_detail = make_label(self, "subtitle")
        self.few_mark = make_label(self, "warning", wrap=True)
        self.classes = make_label(self, "", wrap=True)
        self.sentiment = make_label(self, "", wrap=True)
        self.error = make_label(self, "error", wrap=True)
        self.tabs = QTabWidget(self)
        self.chart = QChart()
        self.chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
        self.chart.legend().setVisible(True)
        self.chart_view = QChartView(self.chart, self)
        self.chart_view.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.chart_view.setMinimumHeight(200)
        self.themes_table = read_only_table(self, 5, "feedbackThemes", stretch=0)
        self.low_table = read_only_table(self, 6, "lowScoresWaiting", stretch=2, rows=True)
        self.branch_table = read_only_table(self, NPS_COLUMNS, "npsByBranch", stretch=0)
        self.shopper_table = read_only_table(self, NPS_COLUMNS, "npsByShopper", stretch=0)
        for table in (self.themes_table, self.branch_table, self.shopper_table):
            table.setSortingEnabled(True)
        for widget in (self.chart_view, self.themes_table, self.low_table, self.branch_table, self.shopper_table):
            self.tabs.addTab(widget, "")

        period_row = QHBoxLayout()
        period_row.addWidget(self.period)
        period_row.addWidget(self.first_day)
        period_row.addWidget(self.last_day)
        period_row.addWidget(self.busy, 1)
        period_row.addWidget(self.refresh_button)
        period_row.addWidget(self.export_button)
        filter_row = QHBoxLayout()
        for combo in self.filters:
            filter_row.addWidget(combo, 1)
        figures = QVBoxLayout()
        figures.addWidget(self.nps_caption)
        figures.addWidget(self.nps_value)
        figures.addWidget(self.nps_detail)
        breakdown = QVBoxLayout()
        breakdown.addWidget(self.few_mark)
        breakdown.addWidget(self.classes)
        breakdown.addWidget(self.sentiment)
        breakdown.addStretch(1)
        head = QHBoxLayout()
        head.addLayout(figures, 2)
        head.addLayout(breakdown, 3)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addLayout(period_row)
        layout.addLayout(filter_row)
        layout.addLayout(head)
        layout.addWidget(self.error)
        layout.addWidget(self.tabs, 1)

        self.period.currentIndexChanged.connect(self._period_changed)
        self.first_day.dateChanged.connect(lambda _d: self.refresh())
        self.last_day.dateChanged.connect(lambda _d: self.refresh())
        for combo in self.filters:
            combo.currentIndexChanged.connect(lambda _i: self.refresh())
        self.refresh_button.clicked.connect(self.refresh)
        self.export_button.clicked.connect(self.export_csv)
        self._loading = True
        self.retranslate()
        self.period.setCurrentIndex(PERIODS.index("12m"))
        today = services.clock.today()
        self.last_day.setDate(qdate(today))
        self.first_day.setDate(qdate(today - timedelta(days=29)))
        self._period_changed()
        self._loading = False
        self.error.hide()
        self.few_mark.hide()
        plain_labels(self)

    # -- what is asked

    def set_actor(self, actor: Actor | None) -> None:
        super().set_actor(actor)
        if actor is not None and self.isVisible():
            self.refresh()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.refresh()

    def _period_changed(self) -> None:
        custom = PERIODS[max(0, self.period.currentIndex())] == "custom"
        self.first_day.setVisible(custom)
        self.last_day.setVisible(custom)
        self.refresh()

    def query(self) -> DashboardFilter:
        today = self._services.clock.today()
        chosen = PERIODS[max(0, self.period.currentIndex())]
        if chosen == "30d":
            since, until = last_days(today, 30)
        elif chosen == "12m":
            since, until = last_months(today, 12)
        else:
            since, until = days_between(_day(self.first_day.date()), _day(self.last_day.date()))
        return DashboardFilter(
            since,
            until,
            branch_id=self.branch.currentData(),
            shopper_id=self.shopper.currentData(),
            segment=self.segment.currentData(),
            campaign_id=self.campaign.currentData(),
            kind=self.kind.currentData(),
        )

    def refresh(self) -> None:
        actor = self._actor
        if actor is None or self._loading:
            return
        feedback = self._services.feedback
        if self._options_for is not actor:
            self._options_for = actor
            run_in_background(lambda: feedback.dashboard_options(actor), self._show_options, self._failed)
        query = self.query()
        self.busy.setText(self.tr("Counting…"))
        self.refresh_button.setEnabled(False)

        def count() -> tuple[FeedbackDashboard, list[LowScoreRow]]:
            return feedback.dashboard(actor, query), feedback.low_scores_list(actor, branch_id=query.branch_id)

        self._latest.run(count, self._show, self._failed)

    def _failed(self, error: BaseException) -> None:
        self.busy.setText("")
        self.refresh_button.setEnabled(True)
        self.error.show()
        show_refusal(self.error, error)

    def _show_options(self, options: DashboardOptions) -> None:
        self.options = options
        self._fill_filters()

    def _fill_filters(self) -> None:
        self._loading = True
        options = self.options
        choices: list[tuple[QComboBox, str, list[tuple[str, str]]]] = [
            (
                self.branch,
                self.tr("All branches"),
                [(o.key, local_name(o.name_en, o.name_ar)) for o in options.branches],
            ),
            (
                self.shopper,
                self.tr("All personal shoppers"),
                [(o.key, local_name(o.name_en, o.name_ar)) for o in options.shoppers],
            ),
            (self.segment, self.tr("All segments"), [(s, loyalty_labels.tier(s)) for s in options.segments]),
            (self.campaign, self.tr("All campaigns"), [(o.key, o.name_en) for o in options.campaigns]),
            (self.kind, self.tr("All survey types"), [(k, kind_text(k)) for k in KINDS]),
        ]
        for combo, everything, items in choices:
            chosen = combo.currentData()
            combo.clear()
            combo.addItem(everything, None)
            for key, text in items:
                combo.addItem(text, key)
            at = combo.findData(chosen) if chosen is not None else 0
            combo.setCurrentIndex(max(0, at))
        self._loading = False

    # -- what is shown

    def _show(self, found: tuple[FeedbackDashboard, list[LowScoreRow]]) -> None:
        self.dashboard, self.low_scores = found
        self.busy.setText("")
        self.refresh_button.setEnabled(True)
        self.error.hide()
        self._render()

    def _name(self, key: str) -> str:
        if not key:
            return self.tr("No personal shopper")
        dashboard = self.dashboard
        found = dashboard.names.get(key) if dashboard else None
        return local_name(found.name_en, found.name_ar) if found else key

    def _render(self) -> None:
        dashboard = self.dashboard
        if dashboard is None:
            return
        overall = dashboard.overall
        counts = overall.counts
        self.nps_value.setText(signed(overall.score) if overall.score is not None else "—")
        # The figure is an isolated left-to-right run: aligned by the page's direction, not by its own.
        leading = Qt.AlignmentFlag.AlignRight if self.isRightToLeft() else Qt.AlignmentFlag.AlignLeft
        self.nps_value.setAlignment(leading | Qt.AlignmentFlag.AlignAbsolute | Qt.AlignmentFlag.AlignVCenter)
        detail = self.tr("%n answer(s) with a score", "", counts.answers)
        if overall.interval is not None:
            detail += " · " + self.tr("95 % interval %1").replace("%1", interval_text(overall))
        self.nps_detail.setText(detail)
        few = counts.answers > 0 and is_few(overall)
        self.few_mark.setVisible(few)
        self.few_mark.setText(
            self.tr("Few answers: this score can move a long way with the next ones; read it with its interval.")
        )
        whole = counts.answers
        self.classes.setText(
            " · ".join(
                f"{name} {number(value)} ({percent(value, whole)})"
                for name, value in (
                    (self.tr("Promoters (9–10)"), counts.promoters),
                    (self.tr("Passives (7–8)"), counts.passives),
                    (self.tr("Detractors (0–6)"), counts.detractors),
                )
            )
        )
        moods = dashboard.sentiment
        self.sentiment.setText(
            self.tr("Comments:")
            + " "
            + " · ".join(
                f"{sentiment_text(label)} {number(count)} ({percent(count, moods.total)})"
                for label, count in ((label, getattr(moods, label)) for label in SENTIMENTS)
            )
        )
        self._nps_table(self.branch_table, dashboard.by_branch)
        self._nps_table(self.shopper_table, dashboard.by_shopper)
        themes = self.themes_table
        themes.setSortingEnabled(False)
        themes.setRowCount(len(dashboard.themes))
        for row, theme in enumerate(dashboard.themes):
            set_row(
                themes,
                row,
                (
                    QCoreApplication.translate("core", theme.label),
                    number(theme.total),
                    f"{number(theme.positive)} ({percent(theme.positive, theme.total)})",
                    f"{number(theme.neutral)} ({percent(theme.neutral, theme.total)})",
                    f"{number(theme.negative)} ({percent(theme.negative, theme.total)})",
                ),
                numeric=(1, 2, 3, 4),
                data=theme.key,
            )
        themes.setSortingEnabled(True)
        now = self._services.clock.now()
        low = self.low_table
        low.setRowCount(len(self.low_scores))
        for row, item in enumerate(self.low_scores):
            record = item.feedback
            score = (
                ltr(f"{record.nps}/10")
                if record.nps is not None
                else ltr(f"{record.rating}/5")
                if record.rating is not None
                else kind_text(record.kind)
            )
            set_row(
                low,
                row,
                (
                    local_name(item.customer_name_en, item.customer_name_ar) or self.tr("Walk-in customer"),
                    score,
                    # The customer's own words in their own direction, in a cell of the page's.
                    f"{FSI}{record.comment.replace(chr(10), ' ')}{PDI}" if record.comment else "",
                    self._name(record.branch_id),
                    self.age_text(record.created_at, now),
                    ltr(item.ticket_number) if item.ticket_number else self.tr("No ticket"),
                ),
                numeric=(1,),
                data=record.id,
            )
        self._chart()

    @staticmethod
    def _month_label(month: str, first: bool) -> str:
        """'Mar', or 'Jan 27' for January and the first month: short enough for twelve under the chart."""
        year, number_ = (int(part) for part in month.split("-"))
        name = QLocale().monthName(number_, QLocale.FormatType.ShortFormat)
        return f"{name} {QLocale().toString(year % 100)}" if first or number_ == 1 else name

    def age_text(self, created: datetime, now: datetime) -> str:
        hours = max(0, int((now - created).total_seconds() // 3600))
        if hours < 24:
            return self.tr("%n hour(s)", "", hours)
        return self.tr("%n day(s)", "", hours // 24)

    def _nps_table(self, table: QTableWidget, rows: tuple[NpsFigure, ...]) -> None:
        table.setSortingEnabled(False)
        table.setRowCount(len(rows))
        for row, fig in enumerate(rows):
            c = fig.counts
            set_row(
                table,
                row,
                (
                    self._name(c.group),
                    number(c.answers),
                    score_text(fig),
                    interval_text(fig),
                    number(c.promoters),
                    number(c.passives),
                    number(c.detractors),
                ),
                numeric=(1, 2, 4, 5, 6),
                data=c.group,
                color=FEW if is_few(fig) else None,
            )
        table.setSortingEnabled(True)

    def _chart(self) -> None:
        chart = self.chart
        chart.removeAllSeries()
        for axis in chart.axes():
            chart.removeAxis(axis)
        dashboard = self.dashboard
        if dashboard is None:
            return
        score = QLineSeries()
        score.setName(self.tr("NPS"))
        upper, lower = QLineSeries(), QLineSeries()
        few = QScatterSeries()  # the months with few answers: a hollow ring over the point
        few.setName(self.tr("Few answers"))
        few.setMarkerSize(13)
        few.setColor(QColor("#faf6ef"))
        few.setBorderColor(QColor("#8a5a1f"))
        x_axis = QCategoryAxis()
        x_axis.setLabelsPosition(QCategoryAxis.AxisLabelsPosition.AxisLabelsPositionOnValue)
        for i, fig in enumerate(dashboard.trend):
            label = self._month_label(fig.counts.group, first=i == 0) + f" ({number(fig.counts.answers)})"
            x_axis.append(label, i)
            if fig.score is None or fig.interval is None:
                continue
            score.append(i, fig.score)
            if is_few(fig):
                few.append(i, fig.score)
            upper.append(i, fig.interval.high)
            lower.append(i, fig.interval.low)
        self._band_lines = (upper, lower)  # the area series does not own its lines
        band = QAreaSeries(upper, lower)
        band.setName(self.tr("95 % interval"))
        band.setBrush(QBrush(QColor(184, 145, 58, 70)))
        band.setPen(QPen(Qt.PenStyle.NoPen))
        score.setPen(QPen(QColor("#8a5a1f"), 2.5))
        score.setPointsVisible(True)
        chart.addSeries(band)
        chart.addSeries(score)
        chart.addSeries(few)
        x_axis.setRange(-0.5, max(0.5, len(dashboard.trend) - 0.5))
        small = x_axis.labelsFont()
        small.setPixelSize(12)  # twelve months and their counts side by side, in Arabic too
        x_axis.setLabelsFont(small)
        y_axis = QValueAxis()
        y_axis.setRange(-100, 100)
        y_axis.setTickCount(5)
        y_axis.setLabelFormat("%+.0f")
        y_axis.setTitleText(self.tr("NPS"))
        chart.addAxis(x_axis, Qt.AlignmentFlag.AlignBottom)
        chart.addAxis(y_axis, Qt.AlignmentFlag.AlignLeft)
        for series in (band, score, few):
            series.attachAxis(x_axis)
            series.attachAxis(y_axis)
        chart.setTitle(self.tr("NPS by month (answers per month below)"))

    # -- export

    def export_csv(self) -> None:
        dashboard = self.dashboard
        if dashboard is None:
            return
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Export"), "feedback.csv", "CSV (*.csv)")
        if path:
            write_dashboard_csv(dashboard, self.low_scores, Path(path), self._services.clock.now())

    def retranslate(self) -> None:
        self.title.setText(self.tr("Customer feedback"))
        self.refresh_button.setText(self.tr("Refresh"))
        self.export_button.setText(self.tr("Export CSV"))
        at = self.period.currentIndex()
        self.period.blockSignals(True)
        self.period.clear()
        self.period.addItems([self.tr("Last 30 days"), self.tr("Last 12 months"), self.tr("Custom period")])
        self.period.setCurrentIndex(max(0, at))
        self.period.blockSignals(False)
        self.nps_caption.setText(self.tr("Net Promoter Score"))
        for i, text in enumerate(
            (
                self.tr("NPS by month"),
                self.tr("Themes"),
                self.tr("Low scores waiting"),
                self.tr("By branch"),
                self.tr("By personal shopper"),
            )
        ):
            self.tabs.setTabText(i, text)
        self.themes_table.setHorizontalHeaderLabels(
            [self.tr("Theme"), self.tr("Comments"), self.tr("Positive"), self.tr("Neutral"), self.tr("Negative")]
        )
        self.low_table.setHorizontalHeaderLabels(
            [
                self.tr("Customer"),
                self.tr("Score"),
                self.tr("Comment"),
                self.tr("Branch"),
                self.tr("Waiting for"),
                self.tr("Ticket"),
            ]
        )
        nps_header = [
            self.tr("Answers"),
            self.tr("NPS"),
            self.tr("95 % interval"),
            self.tr("Promoters"),
            self.tr("Passives"),
            self.tr("Detractors"),
        ]
        self.branch_table.setHorizontalHeaderLabels([self.tr("Branch"), *nps_header])
        self.shopper_table.setHorizontalHeaderLabels([self.tr("Personal shopper"), *nps_header])
        set_empty_text(self.low_table, self.tr("No low score is waiting."))
        set_empty_text(self.themes_table, self.tr("No comment in this period."))
        for table in (self.branch_table, self.shopper_table):
            set_empty_text(table, self.tr("No scored answer in this period."))
        if self.options.branches:
            self._fill_filters()
        else:
            self._loading, loading = True, self._loading
            for combo, everything in zip(
                self.filters,
                (
                    self.tr("All branches"),
                    self.tr("All personal shoppers"),
                    self.tr("All segments"),
                    self.tr("All campaigns"),
                    self.tr("All survey types"),
                ),
                strict=True,
            ):
                combo.clear()
                combo.addItem(everything, None)
            self._loading = loading
        self._render()


def _day(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(text: str) -> str:
    """Text a spreadsheet shows as text: a leading = + - @ would make it a formula."""
    return "'" + text if text.startswith(_FORMULA_START) else text


HEADER = (
    "table",
    "key",
    "name",
    "answers",
    "nps",
    "nps_low",
    "nps_high",
    "few_answers",
    "promoters",
    "passives",
    "detractors",
    "positive",
    "neutral",
    "negative",
    "created_at",
    "score",
    "comment",
    "ticket",
)


def write_dashboard_csv(
    dashboard: FeedbackDashboard, low: list[LowScoreRow], path: Path, now: datetime | None = None
) -> None:
    """Every table of the dashboard in one file, a row per line of a table, the ``table`` column saying which:
    overall, month, branch, shopper (NPS with its interval and counts), sentiment, theme (comments per
    sentiment), low_score (the list waiting). Names in English; text that a spreadsheet would run as a
    formula is quoted."""
    empty = [""] * len(HEADER)

    def line(**values: object) -> list[str]:
        out = list(empty)
        for key, value in values.items():
            if isinstance(value, str):
                text = safe_cell(value)  # a name or a comment: the customer's text, never a formula
            else:
                text = "" if value is None else f"{value:.1f}" if isinstance(value, float) else str(value)
            out[HEADER.index(key)] = text
        return out

    def name(key: str) -> str:
        found = dashboard.names.get(key)
        return found.name_en if found else key

    def nps_line(table: str, fig: NpsFigure, label: str) -> list[str]:
        c = fig.counts
        return line(
            table=table,
            key=c.group,
            name=label,
            answers=c.answers,
            nps=fig.score,
            nps_low=fig.interval.low if fig.interval else None,
            nps_high=fig.interval.high if fig.interval else None,
            few_answers=int(is_few(fig)),
            promoters=c.promoters,
            passives=c.passives,
            detractors=c.detractors,
        )

    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(HEADER)
        writer.writerow(nps_line("overall", dashboard.overall, ""))
        for fig in dashboard.trend:
            writer.writerow(nps_line("month", fig, fig.counts.group))
        for fig in dashboard.by_branch:
            writer.writerow(nps_line("branch", fig, name(fig.counts.group)))
        for fig in dashboard.by_shopper:
            writer.writerow(nps_line("shopper", fig, name(fig.counts.group)))
        s = dashboard.sentiment
        writer.writerow(
            line(table="sentiment", answers=s.total, positive=s.positive, neutral=s.neutral, negative=s.negative)
        )
        for theme in dashboard.themes:
            writer.writerow(
                line(
                    table="theme",
                    key=theme.key,
                    name=theme.label,
                    answers=theme.total,
                    positive=theme.positive,
                    neutral=theme.neutral,
                    negative=theme.negative,
                )
            )
        for item in low:
            record = item.feedback
            writer.writerow(
                line(
                    table="low_score",
                    key=record.id,
                    name=item.customer_name_en,
                    created_at=record.created_at.isoformat(),
                    score=record.nps if record.nps is not None else record.rating,
                    comment=record.comment,
                    ticket=item.ticket_number,
                )
            )
