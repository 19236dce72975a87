"""Counts read as real words in both languages: Qt plural forms, two in English (en.qm) and six in Arabic."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QCoreApplication

from core.kernel.errors import AuthenticationFailed, ValidationError
from ui.i18n import CountedMessages, LanguageSwitch, error_text

COUNTS = (0, 1, 2, 3, 11, 100)
WRONG_PIN = "Wrong PIN. {left} attempts left before the account locks."


def wrong_pin(left: int) -> str:
    return error_text(AuthenticationFailed(WRONG_PIN, "pin", left=left))


def test_attempts_left_in_english(language: LanguageSwitch) -> None:
    language.set_language("en")
    shown = {n: wrong_pin(n) for n in COUNTS}
    assert shown[1] == "Wrong PIN. 1 attempt left before the account locks."
    for n in (0, 2, 3, 11, 100):
        assert shown[n] == f"Wrong PIN. {n} attempts left before the account locks."
    assert not any("(s)" in text for text in shown.values())


def test_attempts_left_in_arabic_has_six_forms(language: LanguageSwitch) -> None:
    language.set_language("ar")
    shown = {n: wrong_pin(n) for n in COUNTS}
    assert "لم تبق" in shown[0].replace("\u064e", "")
    assert "محاولة واحدة" in shown[1] and "1" not in shown[1]
    assert "محاولتان" in shown[2] and "2" not in shown[2]
    assert "3 محاولات" in shown[3]
    assert "11 محاولة" in shown[11] and "100 محاولة" in shown[100]
    assert len(set(shown.values())) == 6


@pytest.mark.parametrize(
    ("source", "english_one", "english_many", "arabic"),
    [
        (
            "%n customer(s) shown",
            "1 customer shown",
            "{n} customers shown",
            ["لا عملاء", "عميل واحد", "عميلان", "3 عملاء", "11 عميلًا", "100 عميل"],
        ),
        (
            "%n active card(s) hold this value",
            "1 active card holds this value",
            "{n} active cards hold this value",
            None,
        ),
    ],
)
def test_ui_counts_in_both_languages(  # type: ignore[no-untyped-def]
    language: LanguageSwitch, source: str, english_one: str, english_many: str, arabic: list[str] | None
) -> None:
    context = "CustomersPage" if "customer" in source else "GiftCardReportPage"
    language.set_language("en")
    for n in COUNTS:
        text = QCoreApplication.translate(context, source, "", n)
        assert text == (english_one if n == 1 else english_many.format(n=n)), text
    language.set_language("ar")
    forms = [QCoreApplication.translate(context, source, "", n) for n in COUNTS]
    assert len(set(forms)) == 6 and not any("(s)" in f or f == source for f in forms)
    if arabic:
        for form, expected in zip(forms, arabic, strict=True):
            assert expected in form, (form, expected)


def test_every_counted_core_message_is_a_real_core_message_with_plural_forms(language: LanguageSwitch) -> None:
    """The plural restatements stay tied to core: each key is a message core raises (it is in ar.ts under
    "core"), and each form differs by count in both languages."""
    import xml.etree.ElementTree as ET

    from tests.unit.test_translations import TS

    core = {
        m.findtext("source")
        for c in ET.parse(TS).getroot().findall("context")
        if c.findtext("name") == "core"
        for m in c.findall("message")
    }
    counted = CountedMessages().sources(0)
    assert set(counted) <= core
    for message, (param, _plural) in counted.items():
        params = {"left": 0, "minutes": 0, "limit": 0, "balance": 0, "min": 0, "hours": 0, "cost": 500}
        for lang in ("en", "ar"):
            language.set_language(lang)
            texts = {n: error_text(ValidationError(message, None, **{**params, param: n})) for n in COUNTS}
            assert not any("(s)" in t or "{" in t for t in texts.values()), texts
            assert texts[1] != texts[2] and texts[2] != texts[3]
            if lang == "ar":
                assert texts[3] != texts[11]
    language.set_language("en")
    assert error_text(ValidationError(list(counted)[7], None, hours="1.5")).count("1.5 hours") == 1
