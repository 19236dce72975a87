"""Widgets made as the style sheet and the tests know them, in one call each.

The style sheet styles by object name (a role: "message", "error", "hint", "sectionTitle", "primary", …) and the
tests find widgets by it; a line of status or advice wraps. Each page used to spend two or three lines a widget
on this; it now says only the name and whether the text wraps.
"""

from __future__ import annotations

from typing import TypeVar

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QLabel, QPushButton, QWidget

W = TypeVar("W", bound=QObject)


def named(widget: W, name: str) -> W:
    """``widget`` (or action) with its object name."""
    widget.setObjectName(name)
    return widget


def make_label(parent: QWidget, name: str = "", *, wrap: bool = False) -> QLabel:
    """An empty label (its text is set by ``retranslate`` or the data); ``wrap`` for text that can run long."""
    view = QLabel(parent)
    if name:
        view.setObjectName(name)
    if wrap:
        view.setWordWrap(True)
    return view


def make_button(parent: QWidget, name: str = "") -> QPushButton:
    """A push button; name it "primary" for the one action a screen is for."""
    view = QPushButton(parent)
    if name:
        view.setObjectName(name)
    return view
