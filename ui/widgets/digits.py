"""A spin box that takes the digits staff type: Arabic-Indic (٠–٩) and Persian (۰–۹) as well as ASCII, as
DESIGN.md asks of every field that expects digits. Qt's own spin box refuses them under the Arabic (UAE)
locale, which writes Latin digits."""

from __future__ import annotations

from PySide6.QtGui import QValidator
from PySide6.QtWidgets import QSpinBox

from core.kernel.text import ascii_digits


class DigitSpinBox(QSpinBox):
    def validate(self, text: str, pos: int) -> tuple[QValidator.State, str, int]:
        return super().validate(ascii_digits(text), pos)

    def valueFromText(self, text: str) -> int:
        return super().valueFromText(ascii_digits(text))

    def fixup(self, text: str) -> str:
        return ascii_digits(text)


__all__ = ["DigitSpinBox"]
