"""One language's live preview of a template: the WhatsApp bubble, the SMS's encoding, parts and cost per
provider, and the email as its HTML part lays it out (right to left for Arabic).

Everything shown is the sample customer's message as plain text; the email's HTML is core's, which escapes
the text before it builds any markup, so a wording that looks like HTML shows as typed.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QTextBrowser, QVBoxLayout, QWidget

from core.messaging.wording import Preview
from ui.i18n import Retranslating, error_text, ltr, money
from ui.pages.messaging import labels
from ui.widgets.named import make_label, named

# WhatsApp's own colours for an outgoing bubble, so the manager reads it as the customer's phone shows it.
BUBBLE = "background: #dcf8c6; color: #111b21; border-radius: 8px; padding: 8px 10px;"


class LanguagePreview(Retranslating, QWidget):
    """``language`` is the message's ("ar" or "en"): its bubble and email run in its direction whatever the
    interface's."""

    def __init__(self, language: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.language = language
        self.setObjectName(f"preview_{language}")
        direction = Qt.LayoutDirection.RightToLeft if language == "ar" else Qt.LayoutDirection.LeftToRight
        self.heading = make_label(self, "sectionTitle")
        self.whatsapp_title = make_label(self, "hint")
        self.bubble = named(QLabel(self), "whatsappBubble")
        self.bubble.setTextFormat(Qt.TextFormat.PlainText)
        self.bubble.setWordWrap(True)
        self.bubble.setStyleSheet(BUBBLE)
        self.bubble.setLayoutDirection(direction)
        self.bubble.setAlignment(Qt.AlignmentFlag.AlignLeading | Qt.AlignmentFlag.AlignTop)
        self.bubble.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.sms = make_label(self, "smsFacts", wrap=True)
        self.cost = make_label(self, "smsCost", wrap=True)
        self.email_title = make_label(self, "hint")
        self.email = named(QTextBrowser(self), "emailPreview")
        self.email.setOpenLinks(False)
        self.email.setOpenExternalLinks(False)
        self.email.setLayoutDirection(direction)
        self.email.setMinimumHeight(70)
        self.problems = make_label(self, "fieldError", wrap=True)
        self.warnings = make_label(self, "warning", wrap=True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        for widget in (self.heading, self.problems, self.warnings, self.whatsapp_title, self.bubble, self.sms):
            layout.addWidget(widget)
        layout.addWidget(self.cost)
        layout.addWidget(self.email_title)
        layout.addWidget(self.email, 1)
        self._shown: Preview | None = None
        self.problems.hide()
        self.warnings.hide()
        self.retranslate()

    def show_preview(self, seen: Preview) -> None:
        self._shown = seen
        self.bubble.setText(seen.text or "…")
        sms = seen.sms
        facts = self.tr("SMS: %1, %n part(s)", "", sms.parts).replace("%1", labels.encoding(sms.encoding))
        if sms.non_gsm:
            forced = " ".join(ltr(f"«{c}»") if c.strip() else ltr(repr(c)) for c in sms.non_gsm[:3])
            facts += " · " + self.tr("UCS-2 because of %1").replace("%1", forced)
        facts += " · " + self.tr("%n unit(s) left in the last part", "", sms.units_left)
        self.sms.setText(facts)
        costs = [f"{name}: {money(fils)}" for name, fils in seen.costs.items()]
        self.cost.setText(self.tr("Cost per provider: %1").replace("%1", " · ".join(costs)) if costs else "")
        self.email.setHtml(seen.email_html)
        self.problems.setText(" ".join(error_text(p) for p in seen.problems))
        self.problems.setVisible(bool(seen.problems))
        self.warnings.setText(" ".join(error_text(w) for w in seen.warnings))
        self.warnings.setVisible(bool(seen.warnings))

    def retranslate(self) -> None:
        self.heading.setText(self.tr("Arabic") if self.language == "ar" else self.tr("English"))
        self.whatsapp_title.setText(self.tr("WhatsApp"))
        self.email_title.setText(self.tr("Email"))
        if self._shown is not None:
            self.show_preview(self._shown)
