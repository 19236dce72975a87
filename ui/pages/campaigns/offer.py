"""The offer a campaign may carry: bonus points, a percentage off with a code, or a voucher in AED, valid for
a number of days and capped in how many times it may be used (a campaign without a cap could give away
without bound, so the definition refuses it)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QCheckBox, QComboBox, QGridLayout, QHBoxLayout, QLabel, QLineEdit, QWidget

from core.campaigns.model import MAX_OFFER_CAP, MAX_VALIDITY_DAYS, Offer, OfferKind
from core.kernel.errors import ValidationError
from core.kernel.money import fils_to_text, parse_aed
from core.kernel.text import ascii_digits
from ui.i18n import Retranslating
from ui.pages.campaigns import labels
from ui.widgets.digits import DigitSpinBox
from ui.widgets.forms import with_error
from ui.widgets.named import make_label, named

DEFAULT_VALIDITY_DAYS = 14


class OfferSection(Retranslating, QWidget):
    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("campaignOffer")
        self.errors: dict[str, tuple[QLabel, QWidget]] = {}
        self.has_offer = named(QCheckBox(self), "campaignHasOffer")
        self.kind = named(QComboBox(self), "offerKind")
        for kind in OfferKind:
            self.kind.addItem("", kind.value)
        self.value = named(QLineEdit(self), "offerValue")
        self.value.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
        self.unit = QLabel(self)
        value_row = QWidget(self)
        vl = QHBoxLayout(value_row)
        vl.setContentsMargins(0, 0, 0, 0)
        vl.addWidget(self.value, 1)
        vl.addWidget(self.unit)
        self.validity = named(DigitSpinBox(self), "offerValidity")
        self.validity.setRange(1, MAX_VALIDITY_DAYS)
        self.validity.setValue(DEFAULT_VALIDITY_DAYS)
        self.cap = named(DigitSpinBox(self), "offerCap")
        self.cap.setRange(0, MAX_OFFER_CAP)
        self.cap.setSpecialValueText("—")  # no cap yet: refused when saved
        for spin in (self.validity, self.cap):
            spin.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
        grid = QGridLayout(self)
        grid.addWidget(self.has_offer, 0, 0, 1, 2)
        self.kind_caption = self._field(grid, 1, "offer", self.kind)
        self.value_caption = self._field(grid, 2, "offer.value", value_row)
        self.validity_caption = self._field(grid, 3, "offer.validity_days", self.validity)
        self.cap_caption = self._field(grid, 4, "offer.cap", self.cap)
        self.hint = make_label(self, "hint", wrap=True)
        grid.addWidget(self.hint, 5, 0, 1, 2)
        grid.setColumnStretch(1, 1)
        grid.setRowStretch(6, 1)
        self.has_offer.toggled.connect(lambda _on: self._follow())
        self.kind.currentIndexChanged.connect(lambda _i: self._follow())
        self.value.textChanged.connect(lambda _t: self.changed.emit())
        self.validity.valueChanged.connect(lambda _v: self.changed.emit())
        self.retranslate()

    def _field(self, grid: QGridLayout, row: int, field: str, widget: QWidget) -> QLabel:
        caption = QLabel(self)
        box, error = with_error(self, widget)
        grid.addWidget(caption, row, 0, Qt.AlignmentFlag.AlignTop)
        grid.addLayout(box, row, 1)
        self.errors[field] = (error, widget)
        return caption

    def _follow(self) -> None:
        on = self.has_offer.isChecked()
        for widget in (self.kind, self.value, self.validity, self.cap):
            widget.setEnabled(on)
        units = {
            OfferKind.BONUS_POINTS: self.tr("points"),
            OfferKind.DISCOUNT_CODE: self.tr("percent off"),
            OfferKind.VOUCHER: self.tr("AED"),
        }
        self.unit.setText(units.get(self.kind.currentData(), ""))
        self.changed.emit()

    def offer(self) -> Offer | None:
        """The offer as filled in (not yet validated); a value that does not read is 0, which the definition
        refuses as "more than zero"."""
        if not self.has_offer.isChecked():
            return None
        kind = str(self.kind.currentData())
        text = self.value.text().strip()
        try:
            value = parse_aed(text, "offer.value") if kind == OfferKind.VOUCHER else int(ascii_digits(text))
        except (ValidationError, ValueError):
            value = 0
        return Offer(kind, value, self.validity.value(), self.cap.value() or None)

    def fill(self, offer: Offer | None) -> None:
        self.has_offer.setChecked(offer is not None)
        if offer is None:
            return
        self.kind.setCurrentIndex(max(0, self.kind.findData(offer.kind)))
        self.value.setText(fils_to_text(offer.value) if offer.kind == OfferKind.VOUCHER else str(offer.value))
        self.validity.setValue(offer.validity_days)
        self.cap.setValue(offer.cap or 0)

    def retranslate(self) -> None:
        self.has_offer.setText(self.tr("The campaign carries an offer"))
        for index in range(self.kind.count()):
            self.kind.setItemText(index, labels.offer_kind(str(self.kind.itemData(index))))
        self.kind_caption.setText(self.tr("Offer"))
        self.value_caption.setText(self.tr("Value"))
        self.validity_caption.setText(self.tr("Valid for (days)"))
        self.cap_caption.setText(self.tr("Redemptions at most"))
        self.hint.setText(
            self.tr(
                "The cap bounds what the campaign can give away in all. The message can name the offer with "
                "{offer} and its last day with {valid_until}."
            )
        )
        self._follow()
