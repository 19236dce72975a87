"""The till's quick feedback question after a sale: how likely the customer is to recommend us, 0 to 10, and an
optional comment. Keyboard first: a digit key picks the score (1 then 0 for 10), Enter saves, Esc skips. The
answer goes to the sale's survey invitation when the customer is known (core.feedback.service), so the survey
message that would have gone a day later is not sent."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from core.app import AppServices
from core.feedback.service import MAX_COMMENT, Answer, AnswerResult
from core.kernel.errors import DomainError
from core.staff.auth import Actor
from ui.i18n import Retranslating, error_text
from ui.ops import run_in_background
from ui.widgets.forms import say
from ui.widgets.named import make_button, make_label, named
from ui.widgets.plain import plain_labels

_DIGITS = {getattr(Qt.Key, f"Key_{n}"): n for n in range(10)}


class QuickFeedbackDialog(Retranslating, QDialog):
    def __init__(self, services: AppServices, actor: Actor, order_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("quickFeedbackDialog")
        self.setModal(True)
        self.setMinimumWidth(640)
        self._services = services
        self._actor = actor
        self._order_id = order_id
        self._last_digit: int | None = None
        self.result_value: AnswerResult | None = None

        self.question = QLabel(self)
        self.question.setObjectName("pageTitle")
        self.question.setWordWrap(True)
        self.keys_hint = make_label(self, "hint", wrap=True)
        self.scale_low = make_label(self, "hint")
        self.scale_high = make_label(self, "hint")
        self.group = QButtonGroup(self)
        self.group.setExclusive(True)
        row = QHBoxLayout()
        row.setSpacing(6)
        # The scale reads from 0 to 10 in the reading direction: Qt mirrors the row in Arabic.
        for score in range(11):
            button = named(QPushButton(str(score), self), "npsButton")
            button.setCheckable(True)
            button.setMinimumSize(44, 44)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # digit keys choose; Tab goes to the comment
            self.group.addButton(button, score)
            row.addWidget(button)
        ends = QHBoxLayout()
        ends.addWidget(self.scale_low)
        ends.addStretch(1)
        ends.addWidget(self.scale_high)
        self.comment_caption = make_label(self, "sectionTitle")
        self.comment = named(QPlainTextEdit(self), "feedbackComment")
        self.comment.setFixedHeight(90)
        self.comment.setTabChangesFocus(True)
        self.message = make_label(self, "message", wrap=True)
        self.skip_button = make_button(self)
        self.save_button = make_button(self, "primary")
        self.save_button.setEnabled(False)
        for button in (self.skip_button, self.save_button):
            button.setAutoDefault(False)  # Enter is the dialog's: it saves the chosen score
        # The dialog itself has the focus when it opens, so the digit keys choose a score at once.
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.skip_button)
        buttons.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.question)
        layout.addWidget(self.keys_hint)
        layout.addLayout(row)
        layout.addLayout(ends)
        layout.addWidget(self.comment_caption)
        layout.addWidget(self.comment)
        layout.addWidget(self.message)
        layout.addLayout(buttons)

        self.group.idClicked.connect(self._chosen)
        self.skip_button.clicked.connect(self.reject)
        self.save_button.clicked.connect(self.save)
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(keys), self, self.save)
        self.retranslate()
        plain_labels(self)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.setFocus()

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Customer feedback"))
        self.question.setText(self.tr("How likely is the customer to recommend us to a friend?"))
        self.keys_hint.setText(
            self.tr("Type the score: a digit from 0 to 9, or 1 then 0 for 10. Enter saves, Esc skips.")
        )
        self.scale_low.setText(self.tr("0 · not at all"))
        self.scale_high.setText(self.tr("10 · certainly"))
        self.comment_caption.setText(self.tr("Comment (optional)"))
        self.comment.setPlaceholderText(
            self.tr("What the customer said, in their words (up to %1 characters)").replace("%1", str(MAX_COMMENT))
        )
        self.skip_button.setText(self.tr("Skip (Esc)"))
        self.save_button.setText(self.tr("Save (Enter)"))

    # -- choosing --------------------------------------------------------------------------------------------------
    def score(self) -> int | None:
        chosen = self.group.checkedId()
        return None if chosen < 0 else chosen

    def choose(self, score: int) -> None:
        button = self.group.button(score)
        if button is not None:
            button.setChecked(True)
            self._chosen(score)

    def _chosen(self, score: int) -> None:
        self.save_button.setEnabled(True)
        self.message.clear()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        digit = _DIGITS.get(Qt.Key(event.key()))
        if digit is not None and not self.comment.hasFocus():
            self.choose(10 if (digit == 0 and self._last_digit == 1) else digit)
            self._last_digit = None if (digit == 0 and self._last_digit == 1) else digit
            return
        self._last_digit = None
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not self.comment.hasFocus():
            self.save()
            return
        super().keyPressEvent(event)

    # -- saving ----------------------------------------------------------------------------------------------------
    def save(self) -> None:
        score = self.score()
        if score is None or not self.save_button.isEnabled():
            return
        answer = Answer(nps=score, kind="general", comment=self.comment.toPlainText() or None)
        actor, order_id = self._actor, self._order_id
        run_in_background(
            lambda: self._services.feedback.answer_at_till(actor, order_id, answer),
            self._saved,
            self._failed,
            busy=[self.save_button],
        )

    def _saved(self, result: AnswerResult) -> None:
        self.result_value = result
        self.accept()

    def _failed(self, error: BaseException) -> None:
        if not isinstance(error, DomainError):
            raise error
        say(self.message, error_text(error), error=True)
