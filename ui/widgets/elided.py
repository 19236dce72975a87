"""A one-line label that gives up its width: it shows as much of its text as fits, eliding the middle."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QLabel, QSizePolicy, QWidget


class ElidedLabel(QLabel):
    """For a long value that must not widen its window (a file path in the status bar); whoever sets the text
    sets the whole of it as the tooltip too. ``text()`` is the whole text."""

    def __init__(self, parent: QWidget | None = None, minimum: int = 40) -> None:
        super().__init__(parent)
        self._whole = ""
        self._minimum = minimum
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)

    def setText(self, text: str) -> None:
        self._whole = text
        self._elide()

    def text(self) -> str:
        return self._whole

    def minimumSizeHint(self) -> QSize:
        return QSize(self._minimum, super().minimumSizeHint().height())

    def sizeHint(self) -> QSize:
        return QSize(self.fontMetrics().horizontalAdvance(self._whole) + 4, super().sizeHint().height())

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._elide()

    def _elide(self) -> None:
        shown = self.fontMetrics().elidedText(self._whole, Qt.TextElideMode.ElideMiddle, max(0, self.width()))
        super().setText(shown)
