"""Two panes side by side (a list and what is chosen in it) or one above the other, the user free to move the
divider. Pages share the set-up so that each says only which pane gets the spare room."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QSplitter, QWidget


def panes(
    parent: QWidget,
    first: QWidget,
    second: QWidget,
    stretch: tuple[int, int],
    orientation: Qt.Orientation = Qt.Orientation.Horizontal,
) -> QSplitter:
    """``first`` before ``second`` (left of it, or right of it in Arabic; above it when vertical); ``stretch``
    shares out the room the panes do not need, as two weights."""
    splitter = QSplitter(orientation, parent)
    splitter.addWidget(first)
    splitter.addWidget(second)
    splitter.setStretchFactor(0, stretch[0])
    splitter.setStretchFactor(1, stretch[1])
    return splitter
