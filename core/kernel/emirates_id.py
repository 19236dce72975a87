"""Emirates ID: 15 digits, 784-YYYY-NNNNNNN-C, the last a Luhn check digit."""

from __future__ import annotations

import re

from core.kernel.errors import ValidationError
from core.kernel.i18n import QT_TRANSLATE_NOOP
from core.kernel.text import ascii_digits


def _luhn_ok(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2 == 1:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


def parse_emirates_id(text: str, field: str = "emirates_id") -> str:
    """Returns the canonical '784-1990-1234567-1' form or raises ValidationError."""
    digits = re.sub(r"[\s\-]", "", ascii_digits(text or ""))
    if not re.fullmatch(r"\d{15}", digits) or not digits.startswith("784"):
        raise ValidationError(
            QT_TRANSLATE_NOOP("core", "An Emirates ID has 15 digits and starts with 784 (784-YYYY-NNNNNNN-N)."), field
        )
    if not _luhn_ok(digits):
        raise ValidationError(
            QT_TRANSLATE_NOOP("core", "This Emirates ID number is not valid: check the digits."), field
        )
    return f"{digits[:3]}-{digits[3:7]}-{digits[7:14]}-{digits[14]}"
