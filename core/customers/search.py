"""What a customer search matches: the document indexed per customer and the terms of a typed query."""

from __future__ import annotations

import re

from core.kernel.phone import search_forms
from core.kernel.text import ascii_digits, search_fold

MAX_TERMS = 6
_SPLIT = re.compile(r"[^\w]+", re.UNICODE)


def document(
    names: list[str | None],
    mobile: str | None,
    email: str | None,
    number: str,
    extra: list[str] | None = None,
) -> str:
    """One text per customer: folded names in both scripts, phone digit forms, email, customer number."""
    parts = [search_fold(n) for n in names if n]
    if mobile:
        parts.extend(search_forms(mobile))
    if email:
        parts.append(search_fold(email))
    parts.append(search_fold(number))
    parts.extend(search_fold(x) for x in extra or [])
    return " ".join(parts)


def query_terms(text: str) -> list[str]:
    """Terms to match as prefixes. Digit runs typed with spaces or dashes ('050 123') are joined."""
    raw = ascii_digits(text or "").strip()
    if not raw:
        return []
    compact = re.sub(r"[\s\-()]", "", raw)
    if compact.lstrip("+").isdigit():
        digits = compact.lstrip("+")
        if digits.startswith("00"):
            digits = digits[2:]
        return [digits] if len(digits) >= 2 else []
    terms = [t for t in _SPLIT.split(search_fold(raw)) if t]
    return terms[:MAX_TERMS]
