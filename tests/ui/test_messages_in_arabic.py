"""Errors from core and storage reach the user in their language, parameters filled in."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.kernel.errors import StoreError, ValidationError
from core.kernel.phone import parse_phone
from storage.db import open_store
from ui.i18n import LanguageSwitch, error_text, money


def test_store_errors_in_arabic(language: LanguageSwitch, tmp_path: Path) -> None:
    bad = tmp_path / "broken.sqlite"
    bad.write_bytes(b"garbage" * 500)
    with pytest.raises(StoreError) as err:
        open_store(bad)
    assert "damaged" in error_text(err.value)
    language.set_language("ar")
    text = error_text(err.value)
    assert "تالف" in text and str(bad) in text


def test_validation_errors_and_money_in_arabic(language: LanguageSwitch) -> None:
    language.set_language("ar")
    with pytest.raises(ValidationError) as err:
        parse_phone("12")
    assert error_text(err.value).startswith("أدخل رقم هاتف") or "رقم الهاتف" in error_text(err.value)
    assert "د.إ" in money(12_345)
    language.set_language("en")
    assert money(12_345) == "AED 123.45"
