"""A form field with the place for its refusal right below it, so the cashier reads what is wrong where they
typed it (STYLE.md: errors are values shown next to the field), the same way on every form; and the "error"
flag the style sheet draws in red: a message's text, a field's border.

The field follows its error label: while the label is shown the field has a red border, and it loses it when
the label is hidden, so the forms that show and hide their labels need no second call to keep the two agreed.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from ui.widgets.named import make_label


def mark_error(widget: QWidget, on: bool) -> None:
    """Flags ``widget`` as in error (or not) for the style sheet's ``[error="true"]`` rules, which Qt applies
    only when the widget is polished again."""
    if bool(widget.property("error")) == on:
        return
    widget.setProperty("error", on)
    widget.style().unpolish(widget)
    widget.style().polish(widget)
    widget.update()


def say(label: QLabel, text: str, *, error: bool = False) -> None:
    """Shows ``text`` on a message label: in red when it is a refusal, in the page's message colour when not."""
    mark_error(label, error)
    label.setText(text)


class _FieldFollowsError(QObject):
    """Marks the field while its error label is shown, unmarks it when the label hides."""

    def __init__(self, label: QLabel, field: QWidget) -> None:
        super().__init__(label)
        self._field = field
        label.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # The *ToParent events: shown or hidden itself (also while its form is out of sight), not because
        # the page or tab around it came or went.
        if event.type() == QEvent.Type.ShowToParent:
            mark_error(self._field, True)
        elif event.type() == QEvent.Type.HideToParent:
            mark_error(self._field, False)
        return False


def with_error(parent: QWidget, widget: QWidget) -> tuple[QVBoxLayout, QLabel]:
    """``widget`` over a hidden error label; both are returned, the layout to place, the label to fill. The
    widget has a red border while the label is shown."""
    error = make_label(parent, "fieldError", wrap=True)
    error.hide()
    _FieldFollowsError(error, widget)
    box = QVBoxLayout()
    box.setSpacing(0)
    box.addWidget(widget)
    box.addWidget(error)
    return box, error
