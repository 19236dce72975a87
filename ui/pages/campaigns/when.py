"""When a campaign sends, as one row of the editor: once at a date and time, every day or every week on a
weekday at a time, or every year on its occasion at a time. Times are Asia/Dubai's, whatever the till's zone.
A new campaign's row starts as its kind usually runs (``suggest``) until the manager picks otherwise."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

from PySide6.QtCore import QDate, QDateTime, Qt, QTime, Signal
from PySide6.QtWidgets import QComboBox, QDateTimeEdit, QHBoxLayout, QLabel, QTimeEdit, QWidget

from core.campaigns.schedule import Repeat, Schedule
from core.kernel.clock import DUBAI
from ui.i18n import Retranslating
from ui.pages.campaigns import labels
from ui.widgets.named import named

DEFAULT_TIME = QTime(10, 0)


class ScheduleFields(Retranslating, QWidget):
    changed = Signal()

    def __init__(self, first_day: date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("campaignSchedule")
        self.picked = False  # the manager chose how it repeats: the kind no longer suggests
        self.repeat = named(QComboBox(self), "campaignRepeat")
        for repeat in Repeat:
            self.repeat.addItem("", repeat.value)
        self.at = named(QDateTimeEdit(self), "campaignAt")
        self.at.setCalendarPopup(True)
        self.at.setLayoutDirection(Qt.LayoutDirection.LeftToRight)  # before the format: 10:00 never reads 00:10
        self.at.setDisplayFormat("yyyy-MM-dd HH:mm")
        self.at.setDateTime(QDateTime(QDate(first_day.year, first_day.month, first_day.day), DEFAULT_TIME))
        self.time = named(QTimeEdit(self), "campaignTime")
        self.time.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
        self.time.setDisplayFormat("HH:mm")
        self.time.setTime(DEFAULT_TIME)
        self.weekday = named(QComboBox(self), "campaignWeekday")
        for day in range(7):
            self.weekday.addItem("", day)
        self.at_caption = QLabel(self)
        self.weekday_caption = QLabel(self)
        self.time_caption = QLabel(self)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.repeat, 2)
        pairs: tuple[tuple[QLabel, QWidget], ...] = (
            (self.at_caption, self.at),
            (self.weekday_caption, self.weekday),
            (self.time_caption, self.time),
        )
        for caption, widget in pairs:
            row.addWidget(caption)
            row.addWidget(widget, 1)
        self.repeat.currentIndexChanged.connect(lambda _i: self._follow_repeat())
        self.repeat.activated.connect(self._picked)
        self.weekday.currentIndexChanged.connect(lambda _i: self.changed.emit())
        self.at.dateTimeChanged.connect(lambda _v: self.changed.emit())
        self.time.timeChanged.connect(lambda _v: self.changed.emit())
        self.retranslate()
        self._follow_repeat()

    def _picked(self, _index: int) -> None:
        self.picked = True

    def suggest(self, repeat: Repeat) -> None:
        """How the campaign's kind usually runs, unless the manager already chose."""
        if not self.picked:
            self.repeat.setCurrentIndex(self.repeat.findData(repeat.value))

    def _follow_repeat(self) -> None:
        repeat = self.repeat.currentData()
        shown: tuple[tuple[QWidget, QLabel, bool], ...] = (
            (self.at, self.at_caption, repeat == Repeat.ONCE),
            (self.time, self.time_caption, repeat != Repeat.ONCE),
            (self.weekday, self.weekday_caption, repeat == Repeat.WEEKLY),
        )
        for widget, caption, visible in shown:
            widget.setVisible(visible)
            caption.setVisible(visible)
        self.changed.emit()

    def schedule(self) -> Schedule:
        """The row as a schedule (not yet validated); the date and times are read as Asia/Dubai's."""
        repeat = str(self.repeat.currentData())
        moment = self.at.dateTime()
        d, t = moment.date(), moment.time()
        at = datetime(d.year(), d.month(), d.day(), t.hour(), t.minute(), tzinfo=DUBAI).astimezone(UTC)
        qt = self.time.time()
        weekday = int(self.weekday.currentData()) if repeat == Repeat.WEEKLY else None
        return Schedule(repeat, at if repeat == Repeat.ONCE else None, time(qt.hour(), qt.minute()), weekday)

    def fill(self, s: Schedule) -> None:
        self.picked = True  # a stored campaign keeps its own
        self.repeat.setCurrentIndex(max(0, self.repeat.findData(str(s.repeat))))
        if s.at is not None:
            local = s.at.astimezone(DUBAI)
            self.at.setDateTime(QDateTime(QDate(local.year, local.month, local.day), QTime(local.hour, local.minute)))
        self.time.setTime(QTime(s.time_of_day.hour, s.time_of_day.minute))
        if s.weekday is not None:
            self.weekday.setCurrentIndex(s.weekday)

    def retranslate(self) -> None:
        self.at_caption.setText(self.tr("on"))
        self.weekday_caption.setText(self.tr("on"))
        self.time_caption.setText(self.tr("at"))
        for index in range(self.repeat.count()):
            self.repeat.setItemText(index, labels.repeat(str(self.repeat.itemData(index))))
        for index in range(7):
            self.weekday.setItemText(index, labels.weekday(index))
