"""The year's occasions for a manager: the Gregorian and Hijri dates, where each date comes from (the Umm
al-Qura tables, a fixed day, or the date the UAE announced), the day off they bring, and the campaigns that run
on them. The UAE announces an Islamic month after its moon sighting and has differed from Umm al-Qura by a
day: "Record the announced date" moves the occurrence (or only its day off, for a Cabinet transfer) and
"Remove the announced date" returns it to the calculated one. Both go through CalendarService, which
refuses a date more than three days off and audits every change."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QCheckBox, QDateEdit, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from core.app import AppServices
from core.campaigns.calendar import FIRST_YEAR, HOLIDAY_DAYS, LAST_YEAR, NOT_TRANSFERABLE, OccasionDate, Override
from core.campaigns.model import CampaignStatus
from core.kernel.clock import DUBAI
from core.staff.auth import Actor
from ui.i18n import errors_text, show_refusal
from ui.ops import run_in_background
from ui.pages.base import ServicePage
from ui.pages.campaigns import labels
from ui.widgets.digits import DigitSpinBox
from ui.widgets.forms import say
from ui.widgets.named import make_button, make_label, named
from ui.widgets.plain import plain_labels
from ui.widgets.tables import pick_list, select_row, set_empty_text, set_row


@dataclass(frozen=True)
class CalendarYear:
    year: int
    occasions: list[OccasionDate]
    overrides: list[Override]
    campaigns: dict[str, list[str]]  # occasion → the names of the campaigns that run on it


def load_year(services: AppServices, actor: Actor, year: int) -> CalendarYear:
    """The year's occasions with this store's announced dates applied; runs on the thread pool."""
    overrides = services.calendar.overrides()
    occasions = services.calendar.calendar().occasions(year)
    campaigns: dict[str, list[str]] = {}
    for record in services.campaigns.list(actor):
        occasion = record.definition.occasion
        if occasion and record.status != CampaignStatus.COMPLETED:
            campaigns.setdefault(occasion, []).append(record.definition.name)
    return CalendarYear(year, occasions, overrides, campaigns)


class CalendarView(ServicePage):
    def __init__(self, services: AppServices, parent: QWidget | None = None) -> None:
        super().__init__(services, "campaignCalendar", parent)
        self.data: CalendarYear | None = None
        self.year_label = QLabel(self)
        self.year = named(DigitSpinBox(self), "calendarYear")
        self.year.setRange(FIRST_YEAR, LAST_YEAR)
        self.year.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
        self.year.setValue(services.clock.now().astimezone(DUBAI).year)
        self.previous_button = make_button(self)
        self.next_button = make_button(self)
        self.hint = make_label(self, "hint", wrap=True)
        top = QHBoxLayout()
        top.addWidget(self.year_label)
        top.addWidget(self.previous_button)
        top.addWidget(self.year)
        top.addWidget(self.next_button)
        top.addWidget(self.hint, 1)
        self.table = pick_list(self, 6, "occasionTable", stretch=5, wrap=False)
        self.announced_label = QLabel(self)
        self.announced = named(QDateEdit(self), "announcedDate")
        self.announced.setCalendarPopup(True)
        self.announced.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
        self.announced.setDisplayFormat("yyyy-MM-dd")
        today = services.clock.now().astimezone(DUBAI).date()
        self.announced.setDate(QDate(today.year, today.month, today.day))
        self.holiday_only = named(QCheckBox(self), "holidayOnly")
        self.record_button: QPushButton = named(make_button(self, "primary"), "recordAnnounced")
        self.remove_button: QPushButton = named(make_button(self), "removeAnnounced")
        self.feedback = make_label(self, "message", wrap=True)
        actions = QHBoxLayout()
        actions.addWidget(self.announced_label)
        actions.addWidget(self.announced)
        actions.addWidget(self.holiday_only)
        actions.addWidget(self.record_button)
        actions.addWidget(self.remove_button)
        actions.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addLayout(actions)
        layout.addWidget(self.feedback)
        self.year.valueChanged.connect(lambda _v: self.refresh())
        self.previous_button.clicked.connect(lambda: self.year.stepBy(-1))
        self.next_button.clicked.connect(lambda: self.year.stepBy(1))
        self.table.itemSelectionChanged.connect(self._follow_selection)
        self.record_button.clicked.connect(self.record_announced)
        self.remove_button.clicked.connect(self.remove_announced)
        self.retranslate()
        self._follow_selection()
        plain_labels(self)

    def refresh(self) -> None:
        actor = self._actor
        if actor is None:
            return
        year = self.year.value()
        run_in_background(lambda: load_year(self._services, actor, year), self._loaded, self._failed, owner=self)

    def _loaded(self, data: CalendarYear) -> None:
        if data.year != self.year.value():
            return  # another year was chosen meanwhile
        chosen = self.selected()
        self.data = data
        self._render()
        if chosen is not None:
            self.select(chosen.occasion, chosen.year)

    def _failed(self, error: BaseException) -> None:
        show_refusal(self.feedback, error, errors_text)

    def _holiday_text(self, o: OccasionDate) -> str:
        if o.occasion not in HOLIDAY_DAYS:
            return "—"
        text = labels.long_date(o.holiday_start)
        if self._overrides_of(o, holiday_only=True):
            text += " · " + self.tr("moved")
        return text

    def _render(self) -> None:
        data = self.data
        occasions = data.occasions if data else []
        self.table.setRowCount(len(occasions))
        for row, o in enumerate(occasions):
            campaigns = ", ".join(data.campaigns.get(o.occasion, [])) if data else ""
            set_row(
                self.table,
                row,
                (
                    labels.occasion(o.occasion),
                    labels.long_date(o.date),
                    labels.hijri_text(o.hijri),
                    labels.source(o.source.value),
                    self._holiday_text(o),
                    campaigns,
                ),
                data=(o.occasion.value, o.year),
            )
        self._follow_selection()

    def _overrides_of(self, o: OccasionDate, *, holiday_only: bool | None = None) -> list[Override]:
        found = self.data.overrides if self.data else []
        return [
            x
            for x in found
            if x.occasion == o.occasion
            and x.year == o.year
            and (holiday_only is None or x.holiday_only == holiday_only)
        ]

    def selected(self) -> OccasionDate | None:
        row = self.table.currentRow()
        occasions = self.data.occasions if self.data else []
        return occasions[row] if 0 <= row < len(occasions) and self.table.selectedItems() else None

    def select(self, occasion: str, year: int) -> None:
        occasions = self.data.occasions if self.data else []
        for row, o in enumerate(occasions):
            if o.occasion == occasion and o.year == year:
                select_row(self.table, row)
                return

    def _follow_selection(self) -> None:
        o = self.selected()
        self.record_button.setEnabled(o is not None)
        self.announced.setEnabled(o is not None)
        self.holiday_only.setEnabled(o is not None and o.occasion not in NOT_TRANSFERABLE)
        if o is None or o.occasion in NOT_TRANSFERABLE:
            self.holiday_only.setChecked(False)
        self.remove_button.setEnabled(o is not None and bool(self._overrides_of(o)))
        if o is not None:
            self.announced.setDate(QDate(o.date.year, o.date.month, o.date.day))

    def record_announced(self) -> None:
        o, actor = self.selected(), self._actor
        if o is None or actor is None:
            return
        chosen = self.announced.date()
        override = Override(
            o.occasion, o.year, date(chosen.year(), chosen.month(), chosen.day()), self.holiday_only.isChecked()
        )
        calendar = self._services.calendar

        def done(_overrides: object) -> None:
            text = (
                self.tr("Recorded: %1 now falls on %2.")
                if not override.holiday_only
                else self.tr("Recorded: the day off of %1 now falls on %2.")
            )
            say(
                self.feedback,
                text.replace("%1", labels.occasion(o.occasion)).replace("%2", labels.long_date(override.date)),
            )
            self.refresh()

        run_in_background(
            lambda: calendar.set_override(actor, override), done, self._failed, busy=[self.record_button], owner=self
        )

    def remove_announced(self) -> None:
        o, actor = self.selected(), self._actor
        if o is None or actor is None:
            return
        mine = {x.key for x in self._overrides_of(o)}
        calendar = self._services.calendar

        def work() -> list[Override]:
            return calendar.save_overrides(actor, [x for x in calendar.overrides() if x.key not in mine])

        def done(_overrides: object) -> None:
            say(self.feedback, self.tr("%1 is back on its calculated date.").replace("%1", labels.occasion(o.occasion)))
            self.refresh()

        run_in_background(work, done, self._failed, busy=[self.remove_button], owner=self)

    def retranslate(self) -> None:
        self.year_label.setText(self.tr("Year:"))
        self.previous_button.setText(self.tr("Previous year"))
        self.next_button.setText(self.tr("Next year"))
        self.hint.setText(
            self.tr(
                "Islamic dates follow Umm al-Qura until the UAE announces its own after the moon sighting; "
                "record the announced date here."
            )
        )
        self.table.setHorizontalHeaderLabels(
            [
                self.tr("Occasion"),
                self.tr("Date"),
                self.tr("Hijri date"),
                self.tr("Source"),
                self.tr("Day off from"),
                self.tr("Campaigns on it"),
            ]
        )
        set_empty_text(self.table, self.tr("No occasion falls in this year."))
        self.announced_label.setText(self.tr("Announced date:"))
        self.holiday_only.setText(self.tr("Only the day off moves"))
        self.record_button.setText(self.tr("Record the announced date"))
        self.remove_button.setText(self.tr("Remove the announced date"))
        self._render()
