"""The manager's general satisfaction survey: who gets it (segments and loyalty tiers, none ticked is every
customer), how many that is (counted on the thread pool a moment after the last change, the newest answer
only), and the send (core.feedback.service.FeedbackService.send_general), off the main thread too. A send to
more customers than the store's threshold asks for a tick in the confirmation box first; what the send did is
said in the dialog."""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QCheckBox, QDialog, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from core.app import AppServices
from core.campaigns.audience import AudienceDefinition, Exclusions
from core.customers.model import Segment
from core.feedback.service import GeneralSend
from core.kernel.errors import DomainError
from core.loyalty.rules import TIER_ORDER
from core.staff.auth import Actor
from ui import labels as common
from ui import loyalty_labels
from ui.i18n import Retranslating, error_text, number
from ui.ops import run_in_background
from ui.pages.campaigns.audience import ChoiceGroup
from ui.widgets.forms import say
from ui.widgets.named import make_button, make_label, named
from ui.widgets.plain import plain_labels

COUNT_DELAY_MS = 300


class SendSurveyDialog(Retranslating, QDialog):
    def __init__(self, services: AppServices, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("sendSurveyDialog")
        self.setModal(True)
        self.setMinimumWidth(720)
        self._services = services
        self._actor = actor
        self._generation = 0
        self.count: int | None = None
        self.sent: GeneralSend | None = None
        self._send_id: str | None = None  # a send refused half-way is finished, not started again

        self.title = make_label(self, "pageTitle", wrap=True)
        self.intro = make_label(self, "hint", wrap=True)
        self.segments_caption = make_label(self, "sectionTitle")
        self.segments = ChoiceGroup([s.value for s in Segment], 5, self, self._changed)
        self.tiers_caption = make_label(self, "sectionTitle")
        self.tiers = ChoiceGroup([t.value for t in TIER_ORDER], 5, self, self._changed)
        self.count_label = named(QLabel(self), "surveyAudienceCount")
        self.confirm = named(QCheckBox(self), "confirmLargeSurvey")
        self.confirm.hide()
        self.message = make_label(self, "message", wrap=True)
        self.cancel_button = make_button(self)
        self.send_button = make_button(self, "primary")
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(COUNT_DELAY_MS)
        self._timer.timeout.connect(self._count)

        buttons = QHBoxLayout()
        buttons.addWidget(self.count_label, 1)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.send_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.intro)
        layout.addSpacing(8)
        layout.addWidget(self.segments_caption)
        layout.addWidget(self.segments)
        layout.addWidget(self.tiers_caption)
        layout.addWidget(self.tiers)
        layout.addSpacing(8)
        layout.addWidget(self.confirm)
        layout.addWidget(self.message)
        layout.addStretch(1)
        layout.addLayout(buttons)

        self.cancel_button.clicked.connect(self.reject)
        self.send_button.clicked.connect(self.send)
        self.confirm.toggled.connect(lambda _on: self.message.clear())
        self.retranslate()
        plain_labels(self)
        self._changed()

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Send a satisfaction survey"))
        self.title.setText(self.tr("Send a satisfaction survey"))
        self.intro.setText(
            self.tr(
                "Each customer chosen is asked how likely they are to recommend us, from 0 to 10, on WhatsApp, "
                "SMS or email as their consent allows. Customers no channel can reach are left out. Messages "
                "wait for the allowed hours."
            )
        )
        self.segments_caption.setText(self.tr("Segment (none ticked: every segment)"))
        self.tiers_caption.setText(self.tr("Loyalty tier (none ticked: every tier)"))
        self.segments.name_boxes(lambda v: common.segment(str(v)))
        self.tiers.name_boxes(lambda v: loyalty_labels.tier(str(v)))
        self.confirm.setText(self.tr("Yes, send it to all of these customers"))
        self.cancel_button.setText(self.tr("Close") if self.sent else self.tr("Cancel"))
        self.send_button.setText(self.tr("Send survey"))
        self._show_count()
        if self.sent is not None:
            self._show_sent()

    def definition(self) -> AudienceDefinition:
        """Who is chosen: the ticked segments and tiers; consent is the survey's own (a service message), not
        the promotional consent a campaign's audience leaves out."""
        return AudienceDefinition(
            segments=tuple(str(v) for v in self.segments.chosen()),
            tiers=tuple(str(v) for v in self.tiers.chosen()),
            exclude=Exclusions(opted_out=False, capped=False),
        )

    # -- counting ------------------------------------------------------------------------------------------------
    def _changed(self) -> None:
        self._generation += 1
        self.count = None
        self.confirm.setChecked(False)
        self.confirm.hide()
        self.message.clear()
        self._show_count()
        self._timer.start()

    def _count(self) -> None:
        mine = self._generation
        actor, audiences, definition = self._actor, self._services.audiences, self.definition()
        run_in_background(
            lambda: audiences.count(actor, definition),
            lambda n: self._counted(mine, n),
            lambda e: self._count_failed(mine, e),
            owner=self,
        )

    def _counted(self, generation: int, count: int) -> None:
        if generation != self._generation:
            return  # the choice changed since: a newer count is on its way
        self.count = count
        self._show_count()

    def _count_failed(self, generation: int, error: BaseException) -> None:
        if generation != self._generation:
            return
        if not isinstance(error, DomainError):
            raise error
        say(self.count_label, error_text(error), error=True)

    def _show_count(self) -> None:
        if self.count is None:
            say(self.count_label, self.tr("Customers chosen: counting…"))
        else:
            say(self.count_label, self.tr("Customers chosen: %1").replace("%1", number(self.count)))

    # -- sending -------------------------------------------------------------------------------------------------
    def send(self) -> None:
        actor, feedback, definition = self._actor, self._services.feedback, self.definition()
        confirmed, send_id = self.confirm.isVisible() and self.confirm.isChecked(), self._send_id
        say(self.message, self.tr("Sending…"))
        run_in_background(
            lambda: feedback.send_general(actor, audience=definition, confirm_large=confirmed, send_id=send_id),
            self._done,
            self._failed,
            busy=[self.send_button, self.segments, self.tiers, self.confirm],
        )

    def _done(self, sent: GeneralSend) -> None:
        self.sent = sent
        self._send_id = sent.send_id
        self.send_button.setEnabled(False)
        self.segments.setEnabled(False)
        self.tiers.setEnabled(False)
        self.confirm.hide()
        self.cancel_button.setText(self.tr("Close"))
        self._show_sent()

    def _show_sent(self) -> None:
        assert self.sent is not None
        text = self.tr("Surveys sent: %1.").replace("%1", number(self.sent.invited))
        if self.sent.unreachable:
            text += " " + self.tr("Not reachable on any channel they agreed to: %1.").replace(
                "%1", number(self.sent.unreachable)
            )
        if self.sent.already:
            text += " " + self.tr("Asked already: %1.").replace("%1", number(self.sent.already))
        say(self.message, text)

    def _failed(self, error: BaseException) -> None:
        if not isinstance(error, DomainError):
            raise error
        if error.field == "confirm_large":
            self.confirm.show()
        say(self.message, error_text(error), error=True)
        # The buttons come back enabled after a refusal: nothing was sent.
        self.send_button.setEnabled(True)


__all__ = ["SendSurveyDialog"]
