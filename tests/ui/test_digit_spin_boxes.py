"""Every number field staff type into takes the digits an Arabic keyboard types (٠–٩, ۰–۹) as well as ASCII."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QLocale
from PySide6.QtWidgets import QAbstractSpinBox, QSpinBox

from tests.ui.conftest import sign_in
from ui.i18n import LanguageSwitch
from ui.main_window import MainWindow
from ui.ops import wait_for_background
from ui.widgets.digits import DigitSpinBox

pytestmark = pytest.mark.ui


@pytest.mark.parametrize("typed", ["٥٠", "۵۰", "50"])
def test_a_digit_spin_box_takes_arabic_indic_persian_and_ascii_digits(qtbot, typed: str) -> None:  # type: ignore[no-untyped-def]
    box = DigitSpinBox()
    qtbot.addWidget(box)
    box.setLocale(QLocale("ar_AE"))
    box.setRange(0, 1000)
    box.lineEdit().selectAll()
    box.lineEdit().insert(typed)
    box.interpretText()
    assert box.value() == 50


def test_a_plain_spin_box_refuses_them_which_is_why_every_page_uses_the_digit_one(qtbot) -> None:  # type: ignore[no-untyped-def]
    box = QSpinBox()
    qtbot.addWidget(box)
    box.setLocale(QLocale("ar_AE"))
    box.setRange(0, 1000)
    box.setValue(7)
    box.lineEdit().selectAll()
    box.lineEdit().insert("٥٠")
    box.interpretText()
    assert box.value() != 50


def test_every_spin_box_on_every_page_takes_arabic_indic_digits(  # type: ignore[no-untyped-def]
    qtbot, window: MainWindow, language: LanguageSwitch
) -> None:
    window.resize(1366, 768)
    language.set_language("ar")
    sign_in(qtbot, window, "admin", "4444")  # offered every page
    seen = 0
    for key in window.workspace.page_keys():
        window.workspace.show_page(key)
        wait_for_background()
        page = window.workspace.stack.currentWidget()
        assert page is not None
        for box in page.findChildren(QAbstractSpinBox):
            if isinstance(box, QSpinBox):
                seen += 1
                assert isinstance(box, DigitSpinBox), (key, box.objectName(), type(box).__name__)
    language.set_language("en")
    assert seen >= 5  # the sale's size, quantity and points, the gift cards' validity and quantity at least
