"""The branch's opening hours, as support-ticket deadlines count them (core.tickets.settings): the usual hours,
Ramadan's (one shift or two, the second may run past midnight), the weekend, and the addresses the manager's
ticket alerts go to by email and WhatsApp (empty: in the app's status bar only). A section of the Printing
page, where the branch's settings live; for managers and administrators."""

from __future__ import annotations

from datetime import time

from PySide6.QtCore import QLocale, Qt, QTime
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSizePolicy,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from core.app import AppServices
from core.kernel.errors import DomainError
from core.kernel.phone import format_phone
from core.staff.auth import Actor, Permission
from core.tickets.service import TicketSettings
from core.tickets.sla import DEFAULT_HOURS, Shift
from ui.i18n import Retranslating, errors_text
from ui.ops import run_in_background
from ui.widgets.named import make_button, make_label, named
from ui.widgets.plain import plain_labels


def _time_edit(parent: QWidget, name: str) -> QTimeEdit:
    edit = named(QTimeEdit(parent), name)
    edit.setDisplayFormat("HH:mm")
    edit.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
    return edit


def _qtime(value: time) -> QTime:
    return QTime(value.hour, value.minute)


def _time(edit: QTimeEdit) -> time:
    value = edit.time()
    return time(value.hour(), value.minute())


class ShiftEdit(QWidget):
    """From – to, one shift."""

    def __init__(self, parent: QWidget, name: str) -> None:
        super().__init__(parent)
        self.start = _time_edit(self, f"{name}Start")
        self.end = _time_edit(self, f"{name}End")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.start)
        layout.addWidget(QLabel("–", self))
        layout.addWidget(self.end)
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Preferred)  # a time is five characters

    def shift(self) -> Shift:
        return Shift(_time(self.start), _time(self.end))

    def set_shift(self, shift: Shift) -> None:
        self.start.setTime(_qtime(shift.start))
        self.end.setTime(_qtime(shift.end))


class BranchHoursBox(Retranslating, QGroupBox):
    def __init__(self, services: AppServices, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("branchHoursBox")
        self._services = services
        self._actor: Actor | None = None
        self.usual = ShiftEdit(self, "usualHours")
        self.ramadan_on = named(QCheckBox(self), "ramadanHoursOn")
        self.ramadan_first = ShiftEdit(self, "ramadanFirst")
        self.ramadan_second_on = named(QCheckBox(self), "ramadanSecondOn")
        self.ramadan_second = ShiftEdit(self, "ramadanSecond")
        ramadan = QWidget(self)
        rl = QHBoxLayout(ramadan)
        rl.setContentsMargins(0, 0, 0, 0)
        rl.addWidget(self.ramadan_on)
        rl.addWidget(self.ramadan_first)
        rl.addSpacing(12)
        rl.addWidget(self.ramadan_second_on)
        rl.addWidget(self.ramadan_second)
        rl.addStretch(1)
        self.days = [named(QCheckBox(self), f"weekend{n}") for n in range(7)]  # Monday first, as date.weekday()
        week = QWidget(self)
        wl = QHBoxLayout(week)
        wl.setContentsMargins(0, 0, 0, 0)
        for box in self.days:
            wl.addWidget(box)
        wl.addStretch(1)
        self.email = named(QLineEdit(self), "alertEmail")
        self.email.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
        self.whatsapp = named(QLineEdit(self), "alertWhatsapp")
        self.whatsapp.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
        contacts = QWidget(self)
        cl = QHBoxLayout(contacts)
        cl.setContentsMargins(0, 0, 0, 0)
        cl.addWidget(self.email, 3)
        self.whatsapp_caption = QLabel(self)
        cl.addWidget(self.whatsapp_caption)
        cl.addWidget(self.whatsapp, 2)
        self.captions = [QLabel(self) for _ in range(4)]
        form = QFormLayout()
        for caption, field in zip(self.captions, (self.usual, ramadan, week, contacts), strict=True):
            form.addRow(caption, field)
        self.message = make_label(self, "message", wrap=True)
        self.save_button = make_button(self, "primary")
        bottom = QHBoxLayout()
        bottom.addWidget(self.message, 1)
        bottom.addWidget(self.save_button, 0, Qt.AlignmentFlag.AlignTop)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addLayout(bottom)
        self.ramadan_on.toggled.connect(self._enable)
        self.ramadan_second_on.toggled.connect(self._enable)
        self.save_button.clicked.connect(self.save)
        self.show_settings(TicketSettings())
        self.retranslate()
        plain_labels(self)

    def set_actor(self, actor: Actor | None) -> None:
        self._actor = actor
        self.load()

    def showEvent(self, event: QShowEvent) -> None:
        self.load()
        super().showEvent(event)

    def load(self) -> None:
        actor = self._actor
        if actor is None or not actor.can(Permission.MANAGE_BRANCH_SETTINGS):
            return
        run_in_background(lambda: self._services.tickets.branch_settings(actor), self.show_settings, owner=self)

    def show_settings(self, settings: TicketSettings) -> None:
        self.usual.set_shift(settings.hours[0] if settings.hours else DEFAULT_HOURS[0])
        ramadan = settings.ramadan_hours or ()
        self.ramadan_on.setChecked(bool(ramadan))
        self.ramadan_first.set_shift(ramadan[0] if ramadan else Shift(time(10), time(16)))
        self.ramadan_second_on.setChecked(len(ramadan) > 1)
        self.ramadan_second.set_shift(ramadan[1] if len(ramadan) > 1 else Shift(time(20), time(1)))
        for n, box in enumerate(self.days):
            box.setChecked(n in settings.weekend)
        self.email.setText(settings.alert_email or "")
        self.whatsapp.setText(format_phone(settings.alert_whatsapp) if settings.alert_whatsapp else "")
        self._enable()

    def _enable(self) -> None:
        on = self.ramadan_on.isChecked()
        self.ramadan_first.setEnabled(on)
        self.ramadan_second_on.setEnabled(on)
        self.ramadan_second.setEnabled(on and self.ramadan_second_on.isChecked())

    def chosen(self) -> tuple[tuple[Shift, ...], tuple[Shift, ...] | None, frozenset[int], str, str]:
        ramadan: tuple[Shift, ...] | None = None
        if self.ramadan_on.isChecked():
            ramadan = (self.ramadan_first.shift(),)
            if self.ramadan_second_on.isChecked():
                ramadan += (self.ramadan_second.shift(),)
        weekend = frozenset(n for n, box in enumerate(self.days) if box.isChecked())
        return (self.usual.shift(),), ramadan, weekend, self.email.text(), self.whatsapp.text()

    def save(self) -> None:
        actor = self._actor
        if actor is None:
            return
        hours, ramadan, weekend, email, mobile = self.chosen()
        language = "ar" if QLocale().language() == QLocale.Language.Arabic else "en"
        tickets = self._services.tickets
        run_in_background(
            lambda: tickets.save_branch_settings(actor, hours, ramadan, weekend, email, language, mobile),
            self._saved,
            self._refused,
            busy=[self.save_button],
        )

    def _saved(self, settings: TicketSettings) -> None:
        self.show_settings(settings)
        self._say(self.tr("Saved. New ticket deadlines count in these hours."), error=False)

    def _refused(self, error: BaseException) -> None:
        if not isinstance(error, DomainError):
            raise error
        self._say(errors_text(error), error=True)

    def _say(self, text: str, *, error: bool) -> None:
        self.message.setProperty("error", error)
        self.message.style().unpolish(self.message)
        self.message.style().polish(self.message)
        self.message.setText(text)

    def retranslate(self) -> None:
        self.message.clear()
        self.setTitle(self.tr("Opening hours for support tickets"))
        captions = (
            self.tr("Opening hours"),
            self.tr("In Ramadan"),
            self.tr("Weekend"),
            self.tr("Manager's alerts by email"),
        )
        for label, caption in zip(self.captions, captions, strict=True):
            label.setText(caption)
        self.ramadan_on.setText(self.tr("Other hours"))
        self.ramadan_second_on.setText(self.tr("and"))
        locale = QLocale()
        for n, box in enumerate(self.days):
            box.setText(locale.dayName(n + 1, QLocale.FormatType.ShortFormat))
        self.email.setPlaceholderText(self.tr("The manager's address; empty: no email"))
        self.whatsapp_caption.setText(self.tr("WhatsApp"))
        self.whatsapp.setPlaceholderText(self.tr("The manager's mobile; empty: no WhatsApp"))
        self.save_button.setText(self.tr("Save hours"))
