"""Two panes side by side (a list and what is chosen in it) or one above the other, the user free to move the
divider; and the bare widget that holds one pane's (or one form row's) contents in a column or a row. Pages
share the set-up so that each says only what goes where and which part gets the spare room."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QBoxLayout, QHBoxLayout, QLayout, QSplitter, QVBoxLayout, QWidget

# A widget; a widget and its share of the spare room; a nested layout; or a number: spare room of that weight.
PaneItem = QWidget | tuple[QWidget, int] | QLayout | int


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


def pane(
    parent: QWidget, *items: PaneItem, row: bool = False, margins: tuple[int, int, int, int] = (0, 0, 0, 0)
) -> QWidget:
    """A bare widget laying ``items`` out in order, in a column (a row with ``row``), edge to edge unless
    ``margins`` (left, top, right, bottom) say otherwise."""
    widget = QWidget(parent)
    layout: QBoxLayout = QHBoxLayout(widget) if row else QVBoxLayout(widget)
    layout.setContentsMargins(*margins)
    for item in items:
        if isinstance(item, int):
            layout.addStretch(item)
        elif isinstance(item, tuple):
            layout.addWidget(*item)
        elif isinstance(item, QLayout):
            layout.addLayout(item)
        else:
            layout.addWidget(item)
    return widget
