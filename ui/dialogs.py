"""Small dialogs every page uses."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget

from ui.widgets.plain import as_plain


def ask(parent: QWidget, title: str, text: str) -> bool:
    """The one confirmation before money moves: Yes or No."""
    buttons = QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No
    answer = QMessageBox.question(parent, title, as_plain(text), buttons)  # the text may name a product as typed
    return answer == QMessageBox.StandardButton.Yes
