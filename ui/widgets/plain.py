"""User data is shown as typed, never as markup.

Qt guesses: a QLabel left on AutoText, a tooltip or a message box renders its text as HTML as soon as it looks
like markup (``Qt::mightBeRichText``), so a customer named ``<b>VIP</b> Ali`` showed bold and a brand with
``<img src=x>`` asked for an image. Every screen makes its labels plain once built (``plain_labels``); the few
labels that format on purpose set RichText themselves and escape what they insert; tooltips and message
boxes, which have no format switch of their own, get their text through ``as_plain``.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import Qt as GuiQt
from PySide6.QtWidgets import QLabel, QWidget


def plain_labels(root: QWidget) -> None:
    """Every label under ``root`` that Qt would guess the format of shows plain text. Labels set to RichText
    on purpose keep it (they escape what they insert)."""
    for label in root.findChildren(QLabel):
        if label.textFormat() == Qt.TextFormat.AutoText:
            label.setTextFormat(Qt.TextFormat.PlainText)


def as_plain(text: str) -> str:
    """``text`` as HTML that shows it exactly as typed: for a tooltip or a message box, which render rich text
    whenever their text looks like markup."""
    return str(GuiQt.convertFromPlainText(text)) if text else ""
