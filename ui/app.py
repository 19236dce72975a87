"""Qt application set-up: bundled fonts, style sheet, language."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

from ui.i18n import LanguageSwitch

RESOURCES = Path(__file__).resolve().parent.parent / "resources"
# Latin first, Arabic second: Qt takes each character from the first family that has it.
FONT_FAMILIES = ["Noto Sans", "Noto Sans Arabic"]


def make_application(argv: list[str] | None = None) -> tuple[QApplication, LanguageSwitch]:
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        app = QApplication(argv if argv is not None else sys.argv[:1])
    app.setApplicationName("Perfume & Oud Branch Companion")
    app.setOrganizationName("Perfume & Oud")
    for font_file in sorted((RESOURCES / "fonts").glob("*.ttf")):
        QFontDatabase.addApplicationFont(str(font_file))
    font = QFont()
    font.setFamilies(FONT_FAMILIES)
    font.setPointSize(10)
    app.setFont(font)
    sheet = (RESOURCES / "style.qss").read_text(encoding="utf-8")
    if app.styleSheet() != sheet:  # setting it again re-polishes every widget alive: seconds, for nothing
        app.setStyleSheet(sheet)
    language = getattr(app, "_language_switch", None)
    if language is None:
        language = LanguageSwitch(app)
        app._language_switch = language  # type: ignore[attr-defined]
    return app, language
