"""Log a VIP visit in seconds: when, how long, what was tried and bought (linked to the purchase when one was
recorded), how it went, notes, and the next follow-up. Saved on this till first; it syncs like every record."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

from PySide6.QtCore import QDate, QDateTime, Qt, QTime, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDateTimeEdit,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from core.app import AppServices
from core.kernel.clock import DUBAI, local
from core.kernel.errors import DomainError, ValidationErrors
from core.shoppers.model import VISIT_MAX_MINUTES, Mood, OrderSummary, VisitDraft, VisitRecord
from core.staff.auth import Actor
from ui import shopper_labels
from ui.i18n import Retranslating, date_text, field_errors, ltr, money
from ui.ops import run_in_background
from ui.widgets.digits import DigitSpinBox
from ui.widgets.forms import with_error
from ui.widgets.named import make_button, make_label, named
from ui.widgets.panes import pane
from ui.widgets.plain import plain_labels

_SPLIT = re.compile(r"[,،;\n]+")
DEFAULT_FOLLOW_UP_DAYS = 7


def split_products(text: str) -> tuple[str, ...]:
    return tuple(p.strip() for p in _SPLIT.split(text) if p.strip())


class VisitDialog(Retranslating, QDialog):
    """``saved`` carries the VisitRecord once the visit is written."""

    saved = Signal(object)

    def __init__(
        self,
        services: AppServices,
        actor: Actor,
        customer_id: str,
        customer_name: str,
        *,
        vip: bool = True,
        shopper_id: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("visitDialog")
        self.setModal(True)
        self.setMinimumWidth(760)
        self._services = services
        self._actor = actor
        self._customer_id = customer_id
        self._shopper_id = shopper_id
        self._orders: list[OrderSummary] = []
        self._auto_bought = ""

        self.title = QLabel(customer_name, self)
        self.title.setObjectName("pageTitle")
        self.not_vip = make_label(self, "warning", wrap=True)
        self.not_vip.setVisible(not vip)

        when_row = self._build_when_row()
        self._build_products()
        mood_row = self._build_mood_row()
        self.notes = named(QPlainTextEdit(self), "visitNotes")
        self.notes.setFixedHeight(80)
        follow_row = self._build_follow_row()
        self._build_form(
            [
                ("when", when_row, ("visited_at", "duration_minutes")),
                ("tried", self.tried, ("products_tried",)),
                ("order", self.order, ("order_id",)),
                ("bought", self.bought, ("products_bought",)),
                ("mood", mood_row, ("mood",)),
                ("notes", self.notes, ("notes",)),
                ("follow", follow_row, ("next_follow_up", "follow_up_note")),
            ]
        )
        buttons = self._build_buttons()

        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.not_vip)
        layout.addLayout(self.form)
        layout.addWidget(self.message)
        layout.addLayout(buttons)

        self.cancel_button.clicked.connect(self.reject)
        self.save_button.clicked.connect(self.save)
        self.order.currentIndexChanged.connect(self._order_chosen)
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(keys), self, self.save)
        self.retranslate()
        self.tried.setFocus()
        run_in_background(lambda: services.shoppers.recent_orders(actor, customer_id), self._show_orders, self._failed)
        plain_labels(self)

    # -- building ------------------------------------------------------------------------------------------
    def _build_when_row(self) -> QWidget:
        """The visit's start and its length in minutes, on one line."""
        self.when = named(QDateTimeEdit(self), "visitWhen")
        self.when.setCalendarPopup(True)
        # Left to right before the format: in an Arabic window Qt would otherwise mirror the sections (50:20).
        self.when.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
        self.when.setDisplayFormat("yyyy-MM-dd HH:mm")
        self.set_when(local(self._services.clock.now()))
        self.duration = named(DigitSpinBox(self), "visitDuration")
        self.duration.setRange(0, VISIT_MAX_MINUTES + 60)
        self.duration.setSingleStep(5)
        self.duration.setValue(30)
        self.duration_unit = QLabel(self)
        when_row = QWidget(self)
        wl = QHBoxLayout(when_row)
        wl.setContentsMargins(0, 0, 0, 0)
        wl.addWidget(self.when, 2)
        wl.addSpacing(16)
        wl.addWidget(self.duration, 1)
        wl.addWidget(self.duration_unit)
        return when_row

    def _build_products(self) -> None:
        """What was tried, and what was bought: typed, or taken from a purchase recorded at the till."""
        self.tried = named(QLineEdit(self), "visitTried")
        self.order = named(QComboBox(self), "visitOrder")
        self.order.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.order.setMinimumContentsLength(40)
        self.bought = named(QLineEdit(self), "visitBought")

    def _build_mood_row(self) -> QWidget:
        """One exclusive button per mood, "happy" until the shopper says otherwise."""
        self.moods = QButtonGroup(self)
        self.moods.setExclusive(True)
        self.mood_buttons: dict[str, QPushButton] = {}
        mood_row = QWidget(self)
        ml = QHBoxLayout(mood_row)
        ml.setContentsMargins(0, 0, 0, 0)
        for mood in Mood:
            button = make_button(self, "moodButton")
            button.setCheckable(True)
            self.moods.addButton(button)
            self.mood_buttons[mood.value] = button
            ml.addWidget(button)
        ml.addStretch(1)
        self.mood_buttons[Mood.HAPPY.value].setChecked(True)
        return mood_row

    def _build_follow_row(self) -> QWidget:
        """The next follow-up: off by default, a week ahead once ticked, with a note of what to do."""
        self.follow = named(QCheckBox(self), "visitFollow")
        self.follow_on = QDateEdit(self)
        self.follow_on.setCalendarPopup(True)
        self.follow_on.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
        self.follow_on.setDisplayFormat("yyyy-MM-dd")
        soon = self._services.clock.today() + timedelta(days=DEFAULT_FOLLOW_UP_DAYS)
        self.follow_on.setDate(QDate(soon.year, soon.month, soon.day))
        self.follow_note = named(QLineEdit(self), "visitFollowNote")
        follow_row = pane(self, self.follow, self.follow_on, (self.follow_note, 1), row=True)
        self.follow.toggled.connect(self._follow_toggled)
        self._follow_toggled(False)
        return follow_row

    def _build_form(self, rows: list[tuple[str, QWidget, tuple[str, ...]]]) -> None:
        """One captioned row per input, each with the error label of the fields it edits just below it."""
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self.captions: dict[str, QLabel] = {}
        self.errors: dict[str, QLabel] = {}
        for name, widget, fields in rows:
            caption = QLabel(self)
            box, error = with_error(self, widget)
            self.captions[name] = caption
            for field in fields:
                self.errors[field] = error
            self.form.addRow(caption, box)

    def _build_buttons(self) -> QHBoxLayout:
        """The offline hint, then cancel and save; the save/refusal message sits above them."""
        self.offline_hint = make_label(self, "hint", wrap=True)
        self.message = make_label(self, "error", wrap=True)
        self.cancel_button = QPushButton(self)
        self.save_button = make_button(self, "primary")
        self.save_button.setDefault(True)
        buttons = QHBoxLayout()
        buttons.addWidget(self.offline_hint, 1)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.save_button)
        return buttons

    # -- inputs --------------------------------------------------------------------------------------------
    def set_when(self, moment: datetime) -> None:
        at = moment.astimezone(DUBAI)
        self.when.setDateTime(QDateTime(QDate(at.year, at.month, at.day), QTime(at.hour, at.minute)))

    def visited_at(self) -> datetime:
        q = self.when.dateTime()
        d, t = q.date(), q.time()
        return datetime(d.year(), d.month(), d.day(), t.hour(), t.minute(), tzinfo=DUBAI)

    def _follow_toggled(self, on: bool) -> None:
        self.follow_on.setEnabled(on)
        self.follow_note.setEnabled(on)

    def _show_orders(self, orders: list[OrderSummary]) -> None:
        self._orders = orders
        self._fill_orders()

    def _fill_orders(self) -> None:
        current = self.order.currentData()
        self.order.blockSignals(True)
        self.order.clear()
        self.order.addItem(self.tr("No purchase recorded"), None)
        for order in self._orders:
            label = self.tr("%1 · %2 · %3 · %4")
            for i, part in enumerate(
                (ltr(order.number), date_text(local(order.created_at).date()), money(order.total_fils)), start=1
            ):
                label = label.replace(f"%{i}", part)
            label = label.replace("%4", shopper_labels.listing(order.items[:3]))
            self.order.addItem(label, order.id)
        self.order.setCurrentIndex(max(0, self.order.findData(current)))
        self.order.blockSignals(False)

    def _order_chosen(self, _index: int) -> None:
        order = next((o for o in self._orders if o.id == self.order.currentData()), None)
        typed = self.bought.text().strip()
        if typed and typed != self._auto_bought:
            return  # never overwrite what the shopper typed
        self._auto_bought = ", ".join(order.items) if order else ""
        self.bought.setText(self._auto_bought)

    def draft(self) -> VisitDraft:
        mood = next((code for code, b in self.mood_buttons.items() if b.isChecked()), "")
        follow: date | None = None
        if self.follow.isChecked():
            q = self.follow_on.date()
            follow = date(q.year(), q.month(), q.day())
        return VisitDraft(
            customer_id=self._customer_id,
            visited_at=self.visited_at(),
            duration_minutes=self.duration.value(),
            products_tried=split_products(self.tried.text()),
            products_bought=split_products(self.bought.text()),
            order_id=self.order.currentData() or None,
            mood=mood,
            notes=self.notes.toPlainText(),
            next_follow_up=follow,
            follow_up_note=self.follow_note.text() if self.follow.isChecked() else "",
            shopper_id=self._shopper_id,
        )

    # -- saving --------------------------------------------------------------------------------------------
    def save(self) -> None:
        if not self.save_button.isEnabled():
            return
        draft = self.draft()
        actor = self._actor
        self.message.clear()
        run_in_background(
            lambda: self._services.shoppers.log_visit(actor, draft),
            self._saved,
            self._failed,
            busy=[self.save_button],
        )

    def _saved(self, record: VisitRecord) -> None:
        self.saved.emit(record)
        self.accept()

    def _failed(self, error: BaseException) -> None:
        if not isinstance(error, DomainError):
            raise error
        for label in self.errors.values():
            label.clear()
            label.hide()
        loose: list[str] = []
        for name, text in field_errors(error).items():
            shown = self.errors.get(name)
            if shown is None or not isinstance(error, ValidationErrors):
                loose.append(text)
            else:
                shown.setText("\n".join(filter(None, [shown.text(), text])))
                shown.show()
        self.message.setText("\n".join(loose) if loose else self.tr("Check the fields marked in red."))

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Log a VIP visit"))
        self.not_vip.setText(self.tr("This customer is not a VIP. The visit will be kept and flagged for the manager."))
        self.captions["when"].setText(self.tr("When and how long"))
        self.captions["tried"].setText(self.tr("Tried"))
        self.captions["order"].setText(self.tr("Purchase"))
        self.captions["bought"].setText(self.tr("Bought"))
        self.captions["mood"].setText(self.tr("Mood"))
        self.captions["notes"].setText(self.tr("Reactions and notes"))
        self.captions["follow"].setText(self.tr("Next follow-up"))
        self.duration_unit.setText(self.tr("minutes"))
        self.tried.setPlaceholderText(self.tr("Products tried, separated by commas"))
        self.bought.setPlaceholderText(self.tr("Products bought, separated by commas"))
        self.notes.setPlaceholderText(self.tr("What they liked, disliked, asked for…"))
        self.follow.setText(self.tr("Follow up on"))
        self.follow_note.setPlaceholderText(self.tr("What to do (call, send photos, invite…)"))
        for code, button in self.mood_buttons.items():
            button.setText(shopper_labels.mood(code))
        self.offline_hint.setText(self.tr("Saved on this till at once; sent to head office when connected."))
        self.cancel_button.setText(self.tr("Cancel"))
        self.save_button.setText(self.tr("Save visit (Ctrl+Enter)"))
        self._fill_orders()
