"""The customer profile form: bilingual names, contact, address, preferences, consent, notes."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any, cast

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QBoxLayout,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QWidget,
)

from core.customers.model import (
    ADDRESS_MAX,
    EMAIL_MAX,
    NAME_MAX,
    NOTES_MAX,
    ZONE_MAX,
    Channel,
    CustomerDraft,
    CustomerProfile,
    Emirate,
    Language,
    Segment,
)
from core.kernel.phone import format_phone
from core.messaging.consent import MESSAGE_CHANNELS, ConsentState, Purpose
from core.privacy.audit import SENSITIVE_FIELDS
from ui import labels
from ui.i18n import Retranslating, qdate
from ui.widgets.forms import with_error
from ui.widgets.named import make_button, make_label, named
from ui.widgets.panes import pane
from ui.widgets.plain import plain_labels

TEXT_FIELDS: tuple[str, ...]  # grows below
TEXT_FIELDS = ("first_name_en", "last_name_en", "first_name_ar", "last_name_ar", "mobile", "email", "area")
TEXT_FIELDS += ("address_line", "po_box", "emirates_id", "time_zone")
MAX_LENGTHS = {"email": EMAIL_MAX, "address_line": ADDRESS_MAX, "po_box": 10, "emirates_id": 18, "mobile": 20}
MAX_LENGTHS["time_zone"] = ZONE_MAX


class CustomerForm(Retranslating, QWidget):
    """The profile as a form. The sensitive fields (core.privacy.audit) come masked: each shows its mask and a
    Show button, which asks for the full value (``reveal_requested``; the service audits the read) and, once
    ``reveal`` gives it, the field to edit. A field left masked is kept as stored when the form is saved."""

    reveal_requested = Signal(str)  # the field whose full value staff asked to see

    def __init__(self, parent: QWidget | None = None, *, today: Callable[[], date]) -> None:
        super().__init__(parent)
        self.edits: dict[str, QLineEdit] = {}
        self._withheld: set[str] = set()
        self.masks: dict[str, QLabel] = {}
        self.show_buttons: dict[str, QPushButton] = {}
        self._editors: dict[str, QWidget] = {}
        self._rows: dict[str, QWidget] = {}
        self.errors: dict[str, QLabel] = {}
        self.captions: dict[str, QLabel] = {}
        layout = QFormLayout()
        layout.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
        layout.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        layout.setVerticalSpacing(4)

        def row(name: str, widget: QWidget) -> None:
            caption = QLabel(self)
            caption.setBuddy(widget)
            box, error = with_error(self, widget)
            self.captions[name] = caption
            self.errors[name] = error
            layout.addRow(caption, box)

        for name in TEXT_FIELDS:
            edit = QLineEdit(self)
            edit.setObjectName(name)
            edit.setMaxLength(MAX_LENGTHS.get(name, NAME_MAX) + 20)  # the service gives the clear message
            if name.endswith("_ar"):
                edit.setLayoutDirection(Qt.LayoutDirection.RightToLeft)
            if name in ("mobile", "email", "emirates_id", "po_box", "time_zone"):
                edit.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
            self.edits[name] = edit
        self.segment = QComboBox(self)
        self.emirate = QComboBox(self)
        self.preferred_language = QComboBox(self)
        self.preferred_channel = QComboBox(self)
        self.has_birthday = QCheckBox(self)
        self.birthday = QDateEdit(self)
        self.birthday.setCalendarPopup(True)
        self.birthday.setDisplayFormat("yyyy-MM-dd")
        self._today = today
        self.birthday.setMaximumDate(qdate(today()))
        self.birthday.setEnabled(False)
        self.has_birthday.toggled.connect(self.birthday.setEnabled)
        birthday_row = pane(self, self.has_birthday, (self.birthday, 1), row=True)
        self.consent_whatsapp = QCheckBox(self)
        self.consent_sms = QCheckBox(self)
        self.consent_email = QCheckBox(self)
        consent_row = pane(self, self.consent_whatsapp, self.consent_sms, self.consent_email, 1, row=True)
        # Offers (promotional messages) are agreed to apart from receipts and notices, channel by channel.
        self.offers_whatsapp = QCheckBox(self)
        self.offers_sms = QCheckBox(self)
        self.offers_email = QCheckBox(self)
        offers_row = pane(self, self.offers_whatsapp, self.offers_sms, self.offers_email, 1, row=True)
        self._boxes = {
            (Channel.WHATSAPP.value, Purpose.TRANSACTIONAL.value): self.consent_whatsapp,
            (Channel.SMS.value, Purpose.TRANSACTIONAL.value): self.consent_sms,
            (Channel.EMAIL.value, Purpose.TRANSACTIONAL.value): self.consent_email,
            (Channel.WHATSAPP.value, Purpose.PROMOTIONAL.value): self.offers_whatsapp,
            (Channel.SMS.value, Purpose.PROMOTIONAL.value): self.offers_sms,
            (Channel.EMAIL.value, Purpose.PROMOTIONAL.value): self.offers_email,
        }
        self._shown: dict[tuple[str, str], bool] = dict.fromkeys(self._boxes, False)
        self._profile_consent: dict[str, bool] = dict.fromkeys(MESSAGE_CHANNELS, False)
        self.notes = named(QPlainTextEdit(self), "notes")
        self.notes.setFixedHeight(70)

        for name in ("first_name_en", "last_name_en", "first_name_ar", "last_name_ar", "mobile", "email"):
            row(name, self.edits[name])
        row("segment", self.segment)
        # Only an export customer abroad has a zone of their own (their birthday greeting goes at 10:00 there).
        row("time_zone", self.edits["time_zone"])
        self.segment.currentIndexChanged.connect(self._segment_changed)
        row("emirate", self.emirate)
        for name in ("area", "address_line", "po_box"):
            row(name, self.edits[name])
        row("birthday", self._sensitive("birthday", birthday_row))
        row("preferred_language", self.preferred_language)
        row("preferred_channel", self.preferred_channel)
        row("consent", consent_row)
        row("offers", offers_row)
        row("emirates_id", self._sensitive("emirates_id", self.edits["emirates_id"]))
        row("notes", self._sensitive("notes", self.notes))
        self.setLayout(layout)
        self.retranslate()
        plain_labels(self)

    def _sensitive(self, name: str, editor: QWidget) -> QWidget:
        """``editor`` beside the mask and Show button that stand in for it while the value is withheld."""
        mask = make_label(self, f"{name}Mask")
        mask.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
        button = make_button(self, f"show_{name}")
        button.clicked.connect(lambda: self.reveal_requested.emit(name))
        self.masks[name], self.show_buttons[name], self._editors[name] = mask, button, editor
        box = pane(self, (editor, 1), mask, button, 0, row=True)  # the spare room: the editor's, or after Show
        self._rows[name] = box
        mask.hide()
        button.hide()
        return box

    def withheld(self) -> frozenset[str]:
        """The sensitive fields still shown masked."""
        return frozenset(self._withheld)

    def reveal(self, name: str, value: object) -> None:
        """Shows ``name``'s full value, given by the service (which audited the read), ready to edit."""
        if name not in self._withheld:
            return
        self._withheld.discard(name)
        if name == "emirates_id":
            self.edits[name].setText("" if value is None else str(value))
        elif name == "birthday":
            self.has_birthday.setChecked(isinstance(value, date))
            if isinstance(value, date):
                self.birthday.setDate(QDate(value.year, value.month, value.day))
        elif name == "notes":
            self.notes.setPlainText("" if value is None else str(value))
        self._show_masks()
        self._editors[name].setFocus()

    def _show_masks(self) -> None:
        for name in SENSITIVE_FIELDS:
            hidden = name in self._withheld
            self._editors[name].setVisible(not hidden)
            self.masks[name].setVisible(hidden)
            self.show_buttons[name].setVisible(hidden)
            row = self._rows[name].layout()
            if isinstance(row, QBoxLayout):
                row.setStretch(3, 1 if hidden else 0)

    def retranslate(self) -> None:
        keep = (
            self.segment.currentData(),
            self.emirate.currentData(),
            self.preferred_language.currentData(),
            self.preferred_channel.currentData(),
        )
        self._fill(self.segment, [(s.value, labels.segment(s)) for s in Segment])
        self._fill(self.emirate, [("", self.tr("— not given —"))] + [(e.value, labels.emirate(e)) for e in Emirate])
        self._fill(self.preferred_language, [(x.value, labels.language(x)) for x in Language])
        self._fill(self.preferred_channel, [(c.value, labels.channel(c)) for c in Channel])
        for combo, value in zip(
            (self.segment, self.emirate, self.preferred_language, self.preferred_channel), keep, strict=True
        ):
            if value is not None:
                combo.setCurrentIndex(max(0, combo.findData(value)))
        for name, caption in self.captions.items():
            if name == "consent":
                caption.setText(self.tr("Receipts and notices"))
            elif name == "offers":
                caption.setText(self.tr("Offers"))
            else:
                caption.setText(labels.field(name))
        self.has_birthday.setText(self.tr("Known"))
        for name, button in self.show_buttons.items():
            button.setText(self.tr("Show"))
            button.setToolTip(self.tr("Shows the full value. Each time is recorded with your name."))
            button.setAccessibleName(self.tr("Show %1").replace("%1", labels.field(name)))
        for (channel, purpose), box in self._boxes.items():
            box.setText(labels.channel(Channel(channel)))
            if purpose == Purpose.PROMOTIONAL:
                box.setToolTip(self.tr("The customer agrees to receive offers on this channel."))
            else:
                box.setToolTip(self.tr("The customer agrees to receive receipts and account notices on this channel."))
        self.edits["mobile"].setPlaceholderText(self.tr("050 123 4567"))
        self.edits["email"].setPlaceholderText(self.tr("name@example.com"))
        self.edits["emirates_id"].setPlaceholderText(self.tr("784-YYYY-NNNNNNN-N"))
        self.edits["time_zone"].setPlaceholderText(self.tr("Asia/Dubai"))
        self.edits["time_zone"].setToolTip(
            self.tr("An export customer abroad: the time zone they live in, such as Europe/London.")
        )

    def _segment_changed(self) -> None:
        abroad = self.segment.currentData() == Segment.EXPORT.value
        self.edits["time_zone"].setEnabled(abroad)

    @staticmethod
    def _fill(combo: QComboBox, items: list[tuple[str, str]]) -> None:
        combo.blockSignals(True)
        combo.clear()
        for value, text in items:
            combo.addItem(text, value)
        combo.blockSignals(False)

    def set_profile(self, profile: CustomerProfile | None, consent: ConsentState | None = None) -> None:
        """Shows ``profile``, and its consent as the ledger has it (``consent``; without it, the profile's
        checkboxes for receipts and nothing for offers)."""
        self.clear_errors()
        self.birthday.setMaximumDate(qdate(self._today()))
        values = profile.values() if profile else {}
        for name, edit in self.edits.items():
            value = values.get(name)
            if name == "mobile" and value:
                value = format_phone(str(value))
            edit.setText("" if value is None else str(value))
        self.segment.setCurrentIndex(self.segment.findData(str(values.get("segment", Segment.REGULAR.value))))
        self._segment_changed()
        self.emirate.setCurrentIndex(max(0, self.emirate.findData(str(values.get("emirate") or ""))))
        self.preferred_language.setCurrentIndex(
            self.preferred_language.findData(str(values.get("preferred_language", Language.ARABIC.value)))
        )
        self.preferred_channel.setCurrentIndex(
            self.preferred_channel.findData(str(values.get("preferred_channel", Channel.WHATSAPP.value)))
        )
        birthday = values.get("birthday")
        self.has_birthday.setChecked(isinstance(birthday, date))
        if isinstance(birthday, date):
            self.birthday.setDate(QDate(birthday.year, birthday.month, birthday.day))
        else:
            self.birthday.setDate(QDate(1990, 1, 1))
        self._profile_consent = {channel: bool(values.get(f"consent_{channel}")) for channel in MESSAGE_CHANNELS}
        for (channel, purpose), box in self._boxes.items():
            if consent is not None:
                shown = consent.allows(channel, purpose)
            else:
                shown = purpose == Purpose.TRANSACTIONAL and self._profile_consent[channel]
            self._shown[(channel, purpose)] = shown
            box.setChecked(shown)
        self.notes.setPlainText(str(values.get("notes") or ""))
        self.notes.document().setMaximumBlockCount(0)
        self._withheld = {name for name, _mask in profile.masked} if profile else set()
        for name in SENSITIVE_FIELDS:
            self.masks[name].setText((profile.mask_of(name) if profile else None) or "")
        self._show_masks()
        self.edits["first_name_en"].setFocus()

    def draft(self) -> CustomerDraft:
        birthday = None
        if self.has_birthday.isChecked():
            q = self.birthday.date()
            birthday = date(q.year(), q.month(), q.day())
        changed = {key: box.isChecked() for key, box in self._boxes.items() if box.isChecked() != self._shown[key]}
        # The profile's checkbox follows a receipts box staff changed, and keeps its value otherwise: a STOP
        # recorded in the ledger since is not written back onto the profile by an unrelated edit.
        on_profile = {
            channel: changed.get((channel, Purpose.TRANSACTIONAL.value), self._profile_consent[channel])
            for channel in MESSAGE_CHANNELS
        }
        texts = cast(dict[str, Any], {name: edit.text() for name, edit in self.edits.items()})
        if not self.edits["time_zone"].isEnabled():
            texts["time_zone"] = ""  # a customer at home lives in the UAE
        return CustomerDraft(
            **texts,
            segment=str(self.segment.currentData()),
            emirate=str(self.emirate.currentData() or ""),
            birthday=birthday,
            preferred_language=str(self.preferred_language.currentData()),
            preferred_channel=str(self.preferred_channel.currentData()),
            consent_whatsapp=on_profile[Channel.WHATSAPP.value],
            consent_sms=on_profile[Channel.SMS.value],
            consent_email=on_profile[Channel.EMAIL.value],
            notes=self.notes.toPlainText()[: NOTES_MAX + 100],
            consent=tuple((channel, purpose, granted) for (channel, purpose), granted in changed.items()),
            withheld=frozenset(self._withheld),
        )

    def clear_errors(self) -> None:
        for label in self.errors.values():
            label.clear()
            label.hide()

    def show_errors(self, errors: dict[str, str]) -> str | None:
        """Shows each message under its field; returns messages that belong to no field."""
        self.clear_errors()
        loose: list[str] = []
        first: QWidget | None = None
        for name, message in errors.items():
            label = self.errors.get(name)
            if label is None:
                loose.append(message)
                continue
            label.setText(message)
            label.show()
            if first is None:
                first = self.edits.get(name) or label
        if first is not None:
            first.setFocus()
        return "\n".join(loose) or None
