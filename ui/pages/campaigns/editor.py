"""The campaign editor: what kind of campaign, who it reaches, what it says, the offer and split it carries,
and when it runs, on four tabs of one dialog that fits the till's 1366×768 screen.

The audience count at the foot follows the filters: a third of a second after the last change it is counted
on the thread pool (a broad count over a million customers takes about two seconds), and an answer that
arrives after a newer change is dropped. The next runs of the schedule follow it the same way. Saving checks
the whole definition first (``CampaignDefinition.validated``) and shows every refusal at once under its field,
marking the tabs that hold one; nothing is written until all are right.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QScrollArea,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from core.app import AppServices
from core.campaigns.audience import AudienceDefinition
from core.campaigns.calendar import Occasion
from core.campaigns.executor import offer_words
from core.campaigns.links import LINK_MAX
from core.campaigns.model import (
    CONVERSION_DAYS,
    MAX_CONVERSION_DAYS,
    NAME_MAX,
    PREFERRED,
    CampaignDefinition,
    CampaignKind,
)
from core.campaigns.ports import CampaignRecord
from core.campaigns.schedule import Occurrence, Repeat, upcoming
from core.kernel.clock import DUBAI
from core.kernel.errors import DomainError, ValidationError, ValidationErrors
from core.messaging.consent import MESSAGE_CHANNELS
from core.staff.auth import Actor
from ui import labels as common
from ui.i18n import FSI, PDI, Retranslating, error_text, in_ui_direction, ltr, number
from ui.ops import run_in_background
from ui.pages.campaigns import labels
from ui.pages.campaigns.audience import AudienceBuilder
from ui.pages.campaigns.message import MessageSection
from ui.pages.campaigns.offer import OfferSection
from ui.pages.campaigns.when import ScheduleFields
from ui.widgets.digits import DigitSpinBox
from ui.widgets.forms import say, with_error
from ui.widgets.named import make_button, make_label, named
from ui.widgets.plain import plain_labels

FACTS_DELAY_MS = 300
UPCOMING = 5
ERROR_COLOUR = QColor("#b3261e")
GENERAL, AUDIENCE, MESSAGE, OFFER = range(4)
# How a new campaign of each kind usually runs (birthdays every morning, a win-back every Monday), until the
# manager picks otherwise.
USUAL_REPEAT = {
    CampaignKind.BIRTHDAY: Repeat.DAILY,
    CampaignKind.ANNIVERSARY: Repeat.DAILY,
    CampaignKind.WIN_BACK: Repeat.WEEKLY,
    CampaignKind.RESTOCK: Repeat.DAILY,
    CampaignKind.SEASONAL: Repeat.YEARLY,
    CampaignKind.BROADCAST: Repeat.ONCE,
}


class CampaignEditor(Retranslating, QDialog):
    """A new campaign (``record`` None) or a change to one; ``saved`` carries the stored record."""

    saved = Signal(object)

    def __init__(
        self, services: AppServices, actor: Actor, record: CampaignRecord | None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("campaignEditor")
        self._services = services
        self._actor = actor
        self._record = record
        self._generation = 0
        self.count: int | None = None
        self.runs: list[Occurrence] = []
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(FACTS_DELAY_MS)
        self._timer.timeout.connect(self._refresh_facts)
        self._branch_names = {"en": "", "ar": ""}
        self.field_errors: dict[str, tuple[int, QLabel, QWidget]] = {}

        self.tabs = named(QTabWidget(self), "campaignTabs")
        self.tabs.addTab(self._build_general(), "")
        self.audience = AudienceBuilder(self)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)  # it fits the width
        scroll.setWidget(self.audience)
        self.tabs.addTab(scroll, "")
        self.message = MessageSection(self)
        self.tabs.addTab(self.message, "")
        self.offer = OfferSection(self)
        self.tabs.addTab(self.offer, "")
        for name, label in self.audience.errors.items():
            self.field_errors[name] = (AUDIENCE, label, self.audience)
        self.field_errors["message"] = (MESSAGE, self.message.error, self.message.template)
        self.field_errors["variants"] = (MESSAGE, self.message.variants_error, self.message.rows[0].name)
        self.field_errors["control_percent"] = (MESSAGE, self.message.control_error, self.message.control)
        self.field_errors["metric"] = (MESSAGE, self.message.control_error, self.message.metric_combo)
        for name, (label, widget) in self.offer.errors.items():
            self.field_errors[name] = (OFFER, label, widget)
        self.offer.changed.connect(self._update_samples)
        self._update_samples()

        self.count_label = named(QLabel(self), "audienceCount")
        self.feedback = make_label(self, "message", wrap=True)
        self.cancel_button = make_button(self)
        self.save_button = make_button(self, "primary")
        foot = QHBoxLayout()
        foot.addWidget(self.count_label)
        foot.addSpacing(16)
        foot.addWidget(self.feedback, 1)
        foot.addWidget(self.cancel_button)
        foot.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs, 1)
        layout.addLayout(foot)

        self.cancel_button.clicked.connect(self.reject)
        self.save_button.clicked.connect(self.save)
        QShortcut(QKeySequence("Ctrl+S"), self, self.save)
        for index in range(4):
            QShortcut(QKeySequence(f"Alt+{index + 1}"), self, lambda i=index: self.tabs.setCurrentIndex(i))
        self.audience.changed.connect(self._changed)  # the wording and the offer change neither count nor runs
        self.retranslate()
        if record is not None:
            self.fill(record.definition)
        self._follow_kind()
        plain_labels(self)
        self.resize(1240, 700)
        self.name.setFocus()
        run_in_background(services.branch, self._branch_known, owner=self)
        self._refresh_facts()

    # -- building ------------------------------------------------------------------------------------------
    def _field(self, grid: QGridLayout, row: int, tab: int, field: str, widget: QWidget) -> QLabel:
        caption = QLabel(self)
        box, error = with_error(self, widget)
        grid.addWidget(caption, row, 0, Qt.AlignmentFlag.AlignTop)
        grid.addLayout(box, row, 1)
        self.field_errors[field] = (tab, error, widget)
        return caption

    def _build_general(self) -> QWidget:
        page = QWidget(self)
        grid = QGridLayout(page)
        self.name = named(QLineEdit(page), "campaignName")
        self.name.setMaxLength(NAME_MAX)
        self.kind = named(QComboBox(page), "campaignKind")
        for kind in CampaignKind:
            self.kind.addItem("", kind.value)
        self.occasion = named(QComboBox(page), "campaignOccasion")
        for occasion in Occasion:
            self.occasion.addItem("", occasion.value)
        self.channel = named(QComboBox(page), "campaignChannel")
        for channel in (PREFERRED, *MESSAGE_CHANNELS):
            self.channel.addItem("", channel)
        self.link = named(QLineEdit(page), "campaignLink")
        self.link.setMaxLength(LINK_MAX)
        self.link.setLayoutDirection(Qt.LayoutDirection.LeftToRight)  # an address reads left to right in Arabic too
        self.link.setPlaceholderText("https://")
        self.conversion_days = named(DigitSpinBox(page), "campaignConversionDays")
        self.conversion_days.setRange(1, MAX_CONVERSION_DAYS)
        self.conversion_days.setValue(CONVERSION_DAYS)
        self.conversion_days.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
        first_day = self._services.clock.now().astimezone(DUBAI).date() + timedelta(days=1)
        self.when = ScheduleFields(first_day, page)
        self.upcoming = named(make_label(page, "hint", wrap=True), "campaignUpcoming")
        self.name_caption = self._field(grid, 0, GENERAL, "name", self.name)
        self.kind_caption = self._field(grid, 1, GENERAL, "kind", self.kind)
        self.occasion_caption = self._field(grid, 2, GENERAL, "occasion", self.occasion)
        self.channel_caption = self._field(grid, 3, GENERAL, "channel", self.channel)
        self.link_caption = self._field(grid, 4, GENERAL, "link", self.link)
        days = QWidget(page)
        days_row = QHBoxLayout(days)
        days_row.setContentsMargins(0, 0, 0, 0)
        days_row.addWidget(self.conversion_days)
        days_row.addStretch(1)
        self.conversion_caption = self._field(grid, 5, GENERAL, "conversion_days", days)
        self.schedule_caption = self._field(grid, 6, GENERAL, "schedule", self.when)
        for name in ("schedule.repeat", "schedule.at", "schedule.weekday", "schedule.time"):
            self.field_errors[name] = (GENERAL, self.field_errors["schedule"][1], self.when)
        self.upcoming_caption = QLabel(page)
        grid.addWidget(self.upcoming_caption, 7, 0, Qt.AlignmentFlag.AlignTop)
        grid.addWidget(self.upcoming, 7, 1)
        grid.setColumnStretch(1, 1)
        grid.setRowStretch(8, 1)
        self.kind.currentIndexChanged.connect(lambda _i: self._follow_kind())
        for combo in (self.occasion, self.channel):
            combo.currentIndexChanged.connect(lambda _i: self._changed())
        self.when.changed.connect(self._changed)
        return page

    # -- following the form -------------------------------------------------------------------------------------
    def _follow_kind(self) -> None:
        kind = self.kind.currentData()
        seasonal = kind == CampaignKind.SEASONAL
        self.occasion.setEnabled(seasonal)
        if self._record is None and kind in USUAL_REPEAT:
            self.when.suggest(USUAL_REPEAT[kind])
        self._changed()

    def _branch_known(self, branch: object) -> None:
        self._branch_names = {
            "en": str(getattr(branch, "name_en", "") or ""),
            "ar": str(getattr(branch, "name_ar", "") or ""),
        }
        self._update_samples()

    def _update_samples(self) -> None:
        offer = self.offer.offer()
        probe = CampaignDefinition(name="", kind=CampaignKind.BROADCAST, offer=offer)
        today = self._services.clock.now().astimezone(DUBAI).date()
        until = (today + timedelta(days=offer.validity_days)).isoformat() if offer else ""
        self.message.set_samples(
            {
                language: {"branch": self._branch_names[language], "offer": offer_words(probe, language)}
                | ({"valid_until": until} if offer else {})
                for language in ("en", "ar")
            }
        )

    # -- reading and filling ----------------------------------------------------------------------------------
    def _channel(self) -> str:
        return str(self.channel.currentData())

    def audience_definition(self) -> tuple[AudienceDefinition, list[ValidationError]]:
        channel = self._channel()
        return self.audience.definition(None if channel == PREFERRED else channel)

    def definition(self) -> tuple[CampaignDefinition, list[ValidationError]]:
        """The form as a definition (not yet validated), and what could not be read at all."""
        audience, problems = self.audience_definition()
        kind = str(self.kind.currentData())
        definition = CampaignDefinition(
            name=self.name.text(),
            kind=kind,
            audience=audience,
            message=self.message.message(),
            channel=self._channel(),
            offer=self.offer.offer(),
            variants=self.message.variants(),
            control_percent=self.message.control.value(),
            occasion=str(self.occasion.currentData()) if kind == CampaignKind.SEASONAL else None,
            schedule=self.when.schedule(),
            conversion_days=self.conversion_days.value(),
            link=self.link.text().strip() or None,
            metric=self.message.chosen_metric(),
        )
        return definition, problems

    def fill(self, d: CampaignDefinition) -> None:
        self.name.setText(d.name)
        self.kind.setCurrentIndex(max(0, self.kind.findData(d.kind)))
        if d.occasion:
            self.occasion.setCurrentIndex(max(0, self.occasion.findData(d.occasion)))
        self.channel.setCurrentIndex(max(0, self.channel.findData(d.channel)))
        self.link.setText(d.link or "")
        self.conversion_days.setValue(d.conversion_days)
        self.when.fill(d.schedule)
        self.audience.set_definition(d.audience)
        self.message.fill(d.message, d.variants, d.control_percent, d.metric)
        self.offer.fill(d.offer)

    # -- the live facts: audience count and next runs -----------------------------------------------------------
    def _changed(self) -> None:
        """Any edit: what was counted or worked out before it no longer holds, and is dropped if it arrives."""
        self._generation += 1
        self._timer.start()

    def _refresh_facts(self) -> None:
        self._timer.stop()
        mine = self._generation
        audience, problems = self.audience_definition()
        try:
            checked = audience.validated()
        except ValidationErrors as many:
            problems += many.errors
        if problems:
            self.count = None
            say(self.count_label, self.tr("Audience: check the filters"), error=True)
        else:
            say(self.count_label, self.tr("Audience: counting…"))
            campaign_id = self._record.id if self._record else None
            actor, campaigns = self._actor, self._services.campaigns
            run_in_background(
                lambda: campaigns.preview_count(actor, checked, campaign_id),
                lambda n: self._counted(mine, n),
                lambda e: self._count_failed(mine, e),
                owner=self,
            )
        self._refresh_upcoming(mine)

    def _counted(self, generation: int, count: int) -> None:
        if generation != self._generation:
            return  # the filters changed since: a newer count is on its way
        self.count = count
        say(self.count_label, self.tr("Customers in the audience: %1").replace("%1", number(count)))

    def _count_failed(self, generation: int, error: BaseException) -> None:
        if generation != self._generation:
            return
        if not isinstance(error, DomainError):
            raise error
        self.count = None
        say(self.count_label, error_text(error), error=True)

    def _refresh_upcoming(self, generation: int) -> None:
        try:
            schedule = self.when.schedule().validated()
        except ValidationErrors:
            self._show_runs(generation, [])
            return
        occasion = self.occasion.currentData() if self.kind.currentData() == CampaignKind.SEASONAL else None
        services = self._services
        now = services.clock.now()

        def work() -> list[Occurrence]:
            days = []
            if schedule.repeat == Repeat.YEARLY and occasion:
                calendar = services.calendar.calendar()
                days = [
                    o.date for y in (now.year, now.year + 1) for o in calendar.occasions(y) if o.occasion == occasion
                ]
            return upcoming(schedule, now, UPCOMING, days)

        run_in_background(work, lambda runs: self._show_runs(generation, runs), owner=self)

    def _show_runs(self, generation: int, runs: list[Occurrence]) -> None:
        if generation != self._generation:
            return
        self.runs = runs
        if not runs:
            self.upcoming.setText(self.tr("No run is coming: check the schedule."))
            return
        self.upcoming.setText(
            "\n".join(in_ui_direction(f"{labels.long_date(r.day)}  {FSI}{r.local:%H:%M}{PDI}") for r in runs)
        )

    # -- saving ------------------------------------------------------------------------------------------------
    def save(self) -> None:
        definition, errors = self.definition()
        try:
            definition.validated()
        except ValidationErrors as many:
            errors += many.errors
        if errors:
            self.show_errors(errors)
            return
        self.show_errors([])
        actor, campaigns, record = self._actor, self._services.campaigns, self._record
        work: Callable[[], CampaignRecord]
        if record is None:
            work = lambda: campaigns.create(actor, definition)  # noqa: E731
        else:
            work = lambda: campaigns.update(actor, record.id, definition)  # noqa: E731
        run_in_background(work, self._saved, self._save_failed, busy=[self.save_button])

    def _saved(self, record: CampaignRecord) -> None:
        self._record = record
        self.saved.emit(record)
        self.accept()

    def _save_failed(self, error: BaseException) -> None:
        if not isinstance(error, DomainError):
            raise error
        self.show_errors(error.errors if isinstance(error, ValidationErrors) else [error])

    def show_errors(self, errors: list[ValidationError] | list[DomainError]) -> None:
        """Every refusal under its field, the tabs holding one in red, the first of them opened."""
        labels_seen: dict[int, list[str]] = {}
        by_label: dict[QLabel, list[str]] = {}
        general: list[str] = []
        first: tuple[int, QWidget] | None = None
        for error in errors:
            field = error.field or ""
            found = self.field_errors.get(field) or self.field_errors.get(field.split(".")[0])
            if found is None:
                general.append(error_text(error))
                continue
            tab, label, widget = found
            texts = by_label.setdefault(label, [])
            if (text := error_text(error)) not in texts:
                texts.append(text)
            labels_seen.setdefault(tab, []).append(field)
            if first is None:
                first = (tab, widget)
        for _tab, label, _widget in self.field_errors.values():
            texts = by_label.get(label, [])
            label.setText(" ".join(texts))
            label.setVisible(bool(texts))
        for tab in range(self.tabs.count()):
            colour = ERROR_COLOUR if tab in labels_seen else self.tabs.palette().windowText().color()
            self.tabs.tabBar().setTabTextColor(tab, colour)
        if errors:
            lead = self.tr("Some fields need correcting: they are marked in red.") if by_label else ""
            say(self.feedback, " ".join(t for t in (lead, *general) if t), error=True)
        else:
            say(self.feedback, "")
        if first is not None:
            self.tabs.setCurrentIndex(first[0])
            first[1].setFocus()

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("New campaign") if self._record is None else self.tr("Edit campaign"))
        for index, title in enumerate(
            (self.tr("Campaign and schedule"), self.tr("Audience"), self.tr("Message and A/B"), self.tr("Offer"))
        ):
            self.tabs.setTabText(index, title)
            self.tabs.setTabToolTip(index, f"Alt+{index + 1}")
        self.name_caption.setText(self.tr("Name"))
        self.kind_caption.setText(self.tr("Kind"))
        self.occasion_caption.setText(self.tr("Occasion"))
        self.channel_caption.setText(self.tr("Channel"))
        self.link_caption.setText(self.tr("Link (%1)").replace("%1", ltr("https://…")))  # the address stays LTR
        self.conversion_caption.setText(self.tr("Count a purchase as converted within"))
        self.conversion_days.setSuffix(self.tr(" days"))
        self.schedule_caption.setText(self.tr("Sends"))
        self.upcoming_caption.setText(self.tr("Next runs"))
        for index in range(self.kind.count()):
            self.kind.setItemText(index, labels.kind(str(self.kind.itemData(index))))
        for index in range(self.occasion.count()):
            self.occasion.setItemText(index, labels.occasion(str(self.occasion.itemData(index))))
        for index in range(self.channel.count()):
            value = str(self.channel.itemData(index))
            text = self.tr("The customer's preferred channel") if value == PREFERRED else common.channel(value)
            self.channel.setItemText(index, text)
        self.cancel_button.setText(self.tr("Cancel"))
        self.save_button.setText(self.tr("Save (Ctrl+S)"))
        if self.count is not None:
            say(self.count_label, self.tr("Customers in the audience: %1").replace("%1", number(self.count)))
        if self.runs:
            self._show_runs(self._generation, self.runs)
