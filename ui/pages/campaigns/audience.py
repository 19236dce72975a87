"""The audience builder: every filter ``AudienceDefinition`` knows, as boxes to tick and fields to fill, and
the refusals of each shown under it.

The builder only reads and fills the form: it says ``changed`` on every edit, and the editor around it counts
the audience (off the main thread, a moment after the last change, the newest answer only). Amounts are typed
in AED and kept in fils; a field left at "—" is no filter.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from core.campaigns.audience import MAX_DAYS, AudienceDefinition, Exclusions, LastPurchase, Span
from core.customers.model import Channel, Emirate, Language, Segment
from core.kernel.errors import ValidationError
from core.kernel.money import fils_to_text, parse_aed
from core.loyalty.rules import TIER_ORDER
from core.purchases.products import Family
from ui import labels as common
from ui import loyalty_labels
from ui.i18n import Retranslating
from ui.pages.campaigns import labels
from ui.widgets.digits import DigitSpinBox
from ui.widgets.forms import with_error
from ui.widgets.named import make_label, named

NO_VALUE = -1  # a spin box at its minimum shows "—": no filter
MAX_POINTS = 10_000_000
LAST_PURCHASE_MODES = ("any", "bought", "never", "window_or_never")
SHOPPER_CHOICES = ("any", "yes", "no")


class ChoiceGroup(QWidget):
    """Boxes to tick, any of which will do; none ticked is no filter."""

    def __init__(self, values: Sequence[str | int], columns: int, parent: QWidget, changed: Callable[[], None]) -> None:
        super().__init__(parent)
        self.values = list(values)
        self.boxes: list[QCheckBox] = []
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(12)
        grid.setVerticalSpacing(2)
        for index, _value in enumerate(self.values):
            box = QCheckBox(self)
            box.toggled.connect(lambda _on: changed())
            grid.addWidget(box, index // columns, index % columns)
            self.boxes.append(box)

    def chosen(self) -> list[str | int]:
        return [v for v, box in zip(self.values, self.boxes, strict=True) if box.isChecked()]

    def choose(self, values: Sequence[str | int]) -> None:
        for value, box in zip(self.values, self.boxes, strict=True):
            box.setChecked(value in values)

    def name_boxes(self, text: Callable[[str | int], str]) -> None:
        for value, box in zip(self.values, self.boxes, strict=True):
            box.setText(text(value))


def _spin(parent: QWidget, maximum: int, changed: Callable[[], None]) -> DigitSpinBox:
    spin = DigitSpinBox(parent)
    spin.setRange(NO_VALUE, maximum)
    spin.setValue(NO_VALUE)
    spin.setSpecialValueText("—")
    spin.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
    spin.valueChanged.connect(lambda _v: changed())
    return spin


def _value(spin: DigitSpinBox) -> int | None:
    return None if spin.value() == NO_VALUE else spin.value()


def _set(spin: DigitSpinBox, value: int | None) -> None:
    spin.setValue(NO_VALUE if value is None else value)


class AudienceBuilder(Retranslating, QWidget):
    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("audienceBuilder")
        emit = self.changed.emit
        self.groups: dict[str, ChoiceGroup] = {
            "segments": ChoiceGroup([s.value for s in Segment], 5, self, emit),
            "tiers": ChoiceGroup([t.value for t in TIER_ORDER], 5, self, emit),
            "emirates": ChoiceGroup([e.value for e in Emirate], 4, self, emit),
            "languages": ChoiceGroup([lang.value for lang in Language], 2, self, emit),
            "channels": ChoiceGroup([c.value for c in Channel], 4, self, emit),
            "birthday_months": ChoiceGroup(list(range(1, 13)), 6, self, emit),
            "families": ChoiceGroup([f.value for f in Family], 6, self, emit),
        }
        self.captions: dict[str, QLabel] = {}
        self.errors: dict[str, QLabel] = {}
        self.brands = named(QLineEdit(self), "audienceBrands")
        self.brands.textChanged.connect(lambda _t: emit())
        self.taste_from = QComboBox(self)
        for value in ("either", "preferences", "purchases"):
            self.taste_from.addItem("", value)
        self.taste_from.currentIndexChanged.connect(lambda _i: emit())
        self.last_mode = named(QComboBox(self), "lastPurchaseMode")
        for value in LAST_PURCHASE_MODES:
            self.last_mode.addItem("", value)
        self.last_mode.currentIndexChanged.connect(lambda _i: self._follow_mode())
        self.last_from = _spin(self, MAX_DAYS, emit)
        self.last_to = _spin(self, MAX_DAYS, emit)
        self.days_between = QLabel(self)
        self.days_unit = QLabel(self)
        self.spend_min = named(QLineEdit(self), "spendMin")
        self.spend_max = named(QLineEdit(self), "spendMax")
        for edit in (self.spend_min, self.spend_max):
            edit.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
            edit.setPlaceholderText("—")
            edit.textChanged.connect(lambda _t: emit())
        self.spend_to = QLabel(self)
        self.points_min = _spin(self, MAX_POINTS, emit)
        self.points_max = _spin(self, MAX_POINTS, emit)
        self.points_to = QLabel(self)
        self.shopper = named(QComboBox(self), "hasShopper")
        for value in SHOPPER_CHOICES:
            self.shopper.addItem("", value)
        self.shopper.currentIndexChanged.connect(lambda _i: emit())
        self.opted_out = named(QCheckBox(self), "excludeOptedOut")
        self.capped = named(QCheckBox(self), "excludeCapped")
        for box in (self.opted_out, self.capped):
            box.setChecked(True)
            box.toggled.connect(lambda _on: emit())
        self.messaged = _spin(self, MAX_DAYS, emit)
        self.other_campaigns = _spin(self, MAX_DAYS, emit)
        self.messaged_label = QLabel(self)
        self.other_label = QLabel(self)

        left = QVBoxLayout()
        for name in ("segments", "tiers", "emirates", "languages", "channels", "birthday_months"):
            left.addLayout(self._section(name, self.groups[name]))
        left.addLayout(self._section("has_personal_shopper", self._row(self.shopper)))
        left.addStretch(1)
        right = QVBoxLayout()
        right.addLayout(self._section("families", self.groups["families"]))
        right.addLayout(self._section("brands", self._row(self.brands, self.taste_from)))
        right.addLayout(
            self._section(
                "last_purchase",
                self._row(self.last_mode, self.last_from, self.days_between, self.last_to, self.days_unit),
            )
        )
        right.addLayout(self._section("spend_fils", self._row(self.spend_min, self.spend_to, self.spend_max)))
        right.addLayout(self._section("points", self._row(self.points_min, self.points_to, self.points_max)))
        exclusions = QWidget(self)
        grid = QGridLayout(exclusions)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setVerticalSpacing(2)
        grid.addWidget(self.opted_out, 0, 0, 1, 3)
        grid.addWidget(self.capped, 1, 0, 1, 3)
        grid.addWidget(self.messaged_label, 2, 0)
        grid.addWidget(self.messaged, 2, 1)
        grid.addWidget(self.other_label, 3, 0)
        grid.addWidget(self.other_campaigns, 3, 1)
        grid.setColumnStretch(2, 1)
        right.addLayout(self._section("exclude", exclusions))
        for name in ("exclude.messaged_within_days", "exclude.other_campaigns_within_days", "exclude.channel"):
            self.errors[name] = self.errors["exclude"]
        self.errors["taste_from"] = self.errors["brands"]
        right.addStretch(1)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(left, 1)
        layout.addSpacing(16)
        layout.addLayout(right, 1)
        self._follow_mode()
        self.retranslate()

    def _row(self, *widgets: QWidget) -> QWidget:
        row = QWidget(self)
        layout = QHBoxLayout(row)
        layout.setContentsMargins(0, 0, 0, 0)
        for widget in widgets:
            layout.addWidget(widget, 1 if isinstance(widget, (QLineEdit, QComboBox)) else 0)
        layout.addStretch(0)
        return row

    def _section(self, name: str, body: QWidget) -> QVBoxLayout:
        caption = make_label(self, "fieldCaption")
        box, error = with_error(self, body)
        self.captions[name] = caption
        self.errors[name] = error
        section = QVBoxLayout()
        section.setSpacing(2)
        section.addWidget(caption)
        section.addLayout(box)
        return section

    def _follow_mode(self) -> None:
        window = self.last_mode.currentData() in ("bought", "window_or_never")
        for widget in (self.last_from, self.last_to):
            widget.setEnabled(window)
        self.changed.emit()

    # -- reading and filling ----------------------------------------------------------------------------------
    def definition(self, channel: str | None) -> tuple[AudienceDefinition, list[ValidationError]]:
        """The filters as a definition (not yet validated) and what could not even be read (an amount)."""
        problems: list[ValidationError] = []

        def chosen(name: str) -> tuple[str, ...]:
            return tuple(str(v) for v in self.groups[name].chosen())

        def amount(edit: QLineEdit) -> int | None:
            text = edit.text().strip()
            if not text:
                return None
            try:
                return parse_aed(text, "spend_fils")
            except ValidationError as error:
                problems.append(error)
                return None

        mode = self.last_mode.currentData()
        last = None
        if mode == "bought":
            last = LastPurchase(_value(self.last_from), _value(self.last_to))
        elif mode == "never":
            last = LastPurchase(never=True)
        elif mode == "window_or_never":
            last = LastPurchase(_value(self.last_from), _value(self.last_to), never=True)
        shopper = self.shopper.currentData()
        brands = tuple(b.strip() for b in self.brands.text().replace("،", ",").split(",") if b.strip())
        definition = AudienceDefinition(
            segments=chosen("segments"),
            tiers=chosen("tiers"),
            emirates=chosen("emirates"),
            languages=chosen("languages"),
            channels=chosen("channels"),
            families=chosen("families"),
            brands=brands,
            taste_from=str(self.taste_from.currentData()),
            last_purchase=last,
            spend_fils=Span(amount(self.spend_min), amount(self.spend_max)),
            points=Span(_value(self.points_min), _value(self.points_max)),
            has_personal_shopper=None if shopper == "any" else shopper == "yes",
            birthday_months=tuple(int(m) for m in self.groups["birthday_months"].chosen()),
            exclude=Exclusions(
                opted_out=self.opted_out.isChecked(),
                channel=channel,
                capped=self.capped.isChecked(),
                messaged_within_days=_value(self.messaged),
                other_campaigns_within_days=_value(self.other_campaigns),
            ),
        )
        return definition, problems

    def set_definition(self, d: AudienceDefinition) -> None:
        self.blockSignals(True)
        for name, group in self.groups.items():
            group.choose(list(getattr(d, name)))
        self.brands.setText(", ".join(d.brands))
        self.taste_from.setCurrentIndex(max(0, self.taste_from.findData(d.taste_from)))
        lp = d.last_purchase
        mode = "any" if lp is None else ("window_or_never" if lp.has_window else "never") if lp.never else "bought"
        self.last_mode.setCurrentIndex(LAST_PURCHASE_MODES.index(mode))
        _set(self.last_from, lp.from_days if lp else None)
        _set(self.last_to, lp.to_days if lp else None)
        self.spend_min.setText("" if d.spend_fils.min is None else fils_to_text(d.spend_fils.min))
        self.spend_max.setText("" if d.spend_fils.max is None else fils_to_text(d.spend_fils.max))
        _set(self.points_min, d.points.min)
        _set(self.points_max, d.points.max)
        shopper = "any" if d.has_personal_shopper is None else "yes" if d.has_personal_shopper else "no"
        self.shopper.setCurrentIndex(SHOPPER_CHOICES.index(shopper))
        self.opted_out.setChecked(d.exclude.opted_out)
        self.capped.setChecked(d.exclude.capped)
        _set(self.messaged, d.exclude.messaged_within_days)
        _set(self.other_campaigns, d.exclude.other_campaigns_within_days)
        self.blockSignals(False)
        self._follow_mode()

    def retranslate(self) -> None:
        captions = {
            "segments": self.tr("Segment"),
            "tiers": self.tr("Loyalty tier"),
            "emirates": self.tr("Emirate"),
            "languages": self.tr("Preferred language"),
            "channels": self.tr("Preferred channel"),
            "birthday_months": self.tr("Birthday month"),
            "families": self.tr("Fragrance families"),
            "brands": self.tr("Brands (separated by commas), looked for in"),
            "last_purchase": self.tr("Last purchase"),
            "spend_fils": self.tr("Lifetime spend in AED"),
            "points": self.tr("Points balance"),
            "has_personal_shopper": self.tr("Personal shopper"),
            "exclude": self.tr("Leave out"),
        }
        for name, caption in self.captions.items():
            caption.setText(captions[name])
        self.groups["segments"].name_boxes(lambda v: common.segment(str(v)))
        self.groups["tiers"].name_boxes(lambda v: loyalty_labels.tier(str(v)))
        self.groups["emirates"].name_boxes(lambda v: common.emirate(str(v)))
        self.groups["languages"].name_boxes(lambda v: common.language(str(v)))
        self.groups["channels"].name_boxes(lambda v: common.channel(str(v)))
        self.groups["birthday_months"].name_boxes(lambda v: labels.month(int(v)))
        self.groups["families"].name_boxes(lambda v: loyalty_labels.family(str(v)))
        for index, value in enumerate(("either", "preferences", "purchases")):
            self.taste_from.setItemText(index, labels.taste_source(value))
        modes = (
            self.tr("Any time, or never"),
            self.tr("Bought, between"),
            self.tr("Never bought"),
            self.tr("Bought between, or never"),
        )
        for index, text in enumerate(modes):
            self.last_mode.setItemText(index, text)
        self.days_between.setText(self.tr("and"))
        self.days_unit.setText(self.tr("days ago"))
        self.spend_to.setText(self.tr("to"))
        self.points_to.setText(self.tr("to"))
        for index, text in enumerate((self.tr("Either"), self.tr("Has a personal shopper"), self.tr("Has none"))):
            self.shopper.setItemText(index, text)
        self.opted_out.setText(self.tr("Customers who did not agree to offers"))
        self.capped.setText(self.tr("Customers at the message limit"))
        self.messaged_label.setText(self.tr("Sent an offer in the last (days)"))
        self.other_label.setText(self.tr("In another campaign in the last (days)"))
        self.brands.setPlaceholderText(self.tr("e.g. Amouage, Ajmal"))
