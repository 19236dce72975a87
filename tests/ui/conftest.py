from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtWidgets import QApplication

from storage.bootstrap import Services
from ui import features
from ui.app import make_application
from ui.i18n import LanguageSwitch
from ui.main_window import MainWindow
from ui.ops import wait_for_background


@pytest.fixture
def language(qapp: QApplication) -> Iterator[LanguageSwitch]:
    _app, switch = make_application([])
    switch.set_language("en")
    yield switch
    switch.set_language("en")


@pytest.fixture
def window(qtbot, services: Services, language: LanguageSwitch) -> Iterator[MainWindow]:  # type: ignore[no-untyped-def]
    win = MainWindow(services, language, features.install)
    qtbot.addWidget(win)
    win.show()
    wait_for_background()
    yield win
    wait_for_background()


def sign_in(qtbot, window: MainWindow, username: str, pin: str) -> None:  # type: ignore[no-untyped-def]
    """Signs in as a person would: the PIN alone says who (``username`` names whose PIN it is, for the reader)."""
    wait_for_background()
    window.sign_in.pin.setText(pin)
    qtbot.keyClick(window.sign_in.pin, "\r")
    wait_for_background()
