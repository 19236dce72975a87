"""A form field with the place for its refusal right below it, so the cashier reads what is wrong where they
typed it (STYLE.md: errors are values shown next to the field), the same way on every form."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from ui.widgets.named import make_label


def with_error(parent: QWidget, widget: QWidget) -> tuple[QVBoxLayout, QLabel]:
    """``widget`` over a hidden error label; both are returned, the layout to place, the label to fill."""
    error = make_label(parent, "fieldError", wrap=True)
    error.hide()
    box = QVBoxLayout()
    box.setSpacing(0)
    box.addWidget(widget)
    box.addWidget(error)
    return box, error
