"""A wedge scanner read through the till's keyboard layout: Arabic letters, Arabic-Indic digits and a French
AZERTY layout still give the code the scanner meant."""

from __future__ import annotations

import string

import pytest
from PySide6.QtCore import QCoreApplication, QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QWidget

from core.giftcards.codes import normalize_code
from core.giftcards.service import IssueRequest
from storage.bootstrap import Services
from tests.ui.conftest import sign_in
from tests.ui.test_wedge import Clock, Till
from ui.main_window import MainWindow
from ui.ops import wait_for_background
from ui.pages.purchases.sale import offer_readings
from ui.scan.layouts import ARABIC_101, XKB_KEYCODES, arabic_readings, from_arabic, typed_through_arabic
from ui.scan.wedge import WedgeScanner

pytestmark = pytest.mark.ui

SHIFTED_SYMBOLS = '~!@#$%^&*()_+{}|:"<>?'


def through_arabic(us_text: str) -> list[str]:
    """What each key of ``us_text`` types with the Arabic (101) layout active."""
    return [ARABIC_101.get(c, c) for c in us_text]


def press(target: QWidget, text: str, *, scan_code: int = 0, shift: bool = False, key: int = 0) -> None:
    modifiers = Qt.KeyboardModifier.ShiftModifier if shift else Qt.KeyboardModifier.NoModifier
    for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
        event = QKeyEvent(kind, key or Qt.Key.Key_unknown, modifiers, scan_code, 0, 0, text)
        QCoreApplication.sendEvent(target, event)


def enter(target: QWidget) -> None:
    for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
        QCoreApplication.sendEvent(target, QKeyEvent(kind, Qt.Key.Key_Return, Qt.KeyboardModifier.NoModifier, "\r"))


def test_the_arabic_layout_map_covers_every_letter_key_both_ways() -> None:
    letters = string.ascii_lowercase + string.ascii_uppercase
    assert set(letters) <= set(ARABIC_101), set(letters) - set(ARABIC_101)
    typed = list(ARABIC_101.values())
    assert len(set(typed)) == len(typed), "two keys type the same character: the map cannot be read back"
    for us, arabic in ARABIC_101.items():
        assert from_arabic([arabic]) == us
    # The rows named in the layout's documentation.
    assert "".join(through_arabic("qwertyuiop[]")) == "ضصثقفغعهخحجد"
    assert "".join(through_arabic("asdfghjkl;'")) == "شسيبلاتنمكط"
    assert "".join(through_arabic("zxcvbnm,./")) == "ئءؤرلاىةوزظ"
    assert from_arabic(list("٠١٢٣٤٥٦٧٨٩")) == "0123456789" and from_arabic(list("۰۱۲۳۴۵۶۷۸۹")) == "0123456789"
    assert from_arabic(["\ufefb"]) == "b"  # lam-alef as one presentation form
    assert not typed_through_arabic(list("PO-7KQ2")) and typed_through_arabic(through_arabic("PO-7KQ2"))


def test_a_field_s_arabic_text_reads_every_way_its_keys_could_have_typed_it() -> None:
    # lam-alef is the B key's text and the G key's then the H key's; the shifted lam-alefs likewise.
    assert arabic_readings("".join(through_arabic("b2gh"))) == ["b2b", "b2gh", "gh2b", "gh2gh"]
    shifted = arabic_readings("".join(through_arabic("TGB")))
    assert shifted[0] == "TGB" and len(shifted) == 8 and "gYgHgN" in shifted
    assert arabic_readings("\ufefb4") == ["b4", "gh4"]
    assert arabic_readings("") == [""]
    assert len(arabic_readings("لا" * 8, limit=32)) == 32


@pytest.mark.parametrize("code", ["BBK7-M2QX", "GHK7-M2QX", "K7BG-HMQX", "ABGH-2345", "2345-6789"])
def test_an_offer_code_typed_on_the_arabic_layout_has_its_code_among_its_readings(code: str) -> None:
    typed = "".join(through_arabic(code.lower()))
    readings = offer_readings(typed)
    assert code in readings
    assert all(len(r) == 9 and r[4] == "-" for r in readings)  # only readings shaped like a code
    assert offer_readings(code.lower()) == [code.lower()]  # typed on the Latin layout: left to the service


def test_an_arabic_text_no_code_reads_as_is_read_once_for_the_message() -> None:
    assert offer_readings("لالا") == ["bb"]


@pytest.fixture
def keys_clock() -> Clock:
    return Clock()


@pytest.fixture
def till(qtbot) -> Till:  # type: ignore[no-untyped-def]
    window = Till()
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


def test_a_code_typed_through_the_arabic_layout_is_read_as_the_code(till: Till, keys_clock: Clock) -> None:
    wedge = WedgeScanner(till, clock=keys_clock, scan_codes={})
    wedge.install()
    got: list[str] = []
    wedge.scanned.connect(got.append)
    till.edit.setFocus()
    url = "HTTPS://PERFUMEOUD.AE/GC/PO-7KQ2-MXW9-HB4T"
    keys = through_arabic(url)
    assert not any(k.isascii() and k.isalpha() for k in keys)  # nothing of it reads as Latin
    for k in keys:
        keys_clock.t += 0.005
        press(till.edit, k)
    keys_clock.t += 0.005
    enter(till.edit)
    wedge.uninstall()
    assert got == [url] and till.edit.text() == ""


def test_arabic_indic_digits_from_a_scanner_are_digits(till: Till, keys_clock: Clock) -> None:
    wedge = WedgeScanner(till, clock=keys_clock, scan_codes={})
    wedge.install()
    got: list[str] = []
    wedge.scanned.connect(got.append)
    for k in "٩٧١٥٠١٢٣٤٥٦٧":
        keys_clock.t += 0.005
        press(till, k)
    keys_clock.t += 0.005
    enter(till)
    wedge.uninstall()
    assert got == ["971501234567"]


def test_physical_keys_give_the_us_text_on_a_french_layout(till: Till, keys_clock: Clock) -> None:
    """AZERTY types "q" on the US "a" key and "&" on "1": the scan codes say which keys were pressed."""
    azerty = {"a": "q", "q": "a", "w": "z", "z": "w", "m": ",", "1": "&", "2": "é", "7": "è", "-": ")", "/": "!"}
    by_char = {c: code for code, c in XKB_KEYCODES.items()}
    wedge = WedgeScanner(till, clock=keys_clock, scan_codes=XKB_KEYCODES)
    wedge.install()
    got: list[str] = []
    wedge.scanned.connect(got.append)
    code = "PO-7KQ2-MXW9-HB4T"
    for c in code:
        base = c.lower() if c.isalpha() else c
        shift = c.isalpha()  # a scanner types capitals with Shift
        typed = azerty.get(base, base)
        typed = typed.upper() if shift else typed
        keys_clock.t += 0.005
        press(till.edit, typed, scan_code=by_char[base], shift=shift)
    keys_clock.t += 0.005
    enter(till.edit)
    wedge.uninstall()
    assert got == [code]


def test_a_card_scanned_through_the_arabic_layout_opens_on_the_gift_cards_page(  # type: ignore[no-untyped-def]
    qtbot, window: MainWindow, services: Services
) -> None:
    sign_in(qtbot, window, "aisha.cashier", "1111")
    card = services.giftcards.issue(window.actor, IssueRequest(30_000))
    window.workspace.show_page("giftcards")
    wait_for_background()
    page = window.workspace.stack.currentWidget()
    assert page.panel.card is None
    for k in through_arabic(card.code):
        press(page.code_edit, k)
    enter(page.code_edit)
    wait_for_background()
    qtbot.waitUntil(lambda: page.panel.card is not None, timeout=3000)
    assert page.panel.card.id == card.id and normalize_code(card.code) == card.code
    assert page.code_edit.text().isascii()  # the Arabic letters never reached the field
