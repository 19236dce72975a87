"""What a customer search matches: the document indexed per customer and the terms of a typed query."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

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


# A word typed with a dot or an underscore in it and no space ("mohammed.al", "sara_k") is the start of an
# email's local part; an "@" anywhere makes the text an email.
_LOCAL_PART_MARKS = frozenset("._")


@dataclass(frozen=True)
class EmailQuery:
    """A typed email, searched by an index range on the stored email instead of the word index.

    ``prefix`` is what the stored email (``domain`` False) or the part after its "@" (``domain`` True) starts
    with, in the form emails are stored (lower case, ASCII digits). ``or_words``: when no email starts so, the
    text is searched as words instead. That holds until something follows the "@": "falasi@" still finds
    hamad.falasi@… as "falasi" did a key before, while "mohammed@example.a" finds only emails that start so
    (as words, "example" and "a" would match most customers, at tens of milliseconds a key)."""

    prefix: str
    domain: bool
    or_words: bool


def email_query(text: str) -> EmailQuery | None:
    """What a typed email, or the start of one, is searched by; None when the text is not one.

    'mohammed@example.a' and 'mohammed.al' are email prefixes, '@example.a' a domain prefix; 'mohammed',
    'mohammed al', '050.123.4567' and anything with a space are not."""
    raw = unicodedata.normalize("NFC", ascii_digits(text or "")).strip()
    if not raw or any(ch.isspace() for ch in raw):
        return None
    if raw.startswith("@"):
        domain = raw[1:]
        return EmailQuery(domain.lower(), True, False) if domain and "@" not in domain else None
    if "@" in raw:
        return EmailQuery(raw.lower(), False, raw.endswith("@"))
    if _LOCAL_PART_MARKS.intersection(raw) and any(ch.isalpha() for ch in raw):
        return EmailQuery(raw.lower(), False, True)
    return None


def prefix_bound(prefix: str) -> str:
    """The least text above every text that starts with ``prefix`` (in code-point order, which is how SQLite
    compares UTF-8 text): ``x >= prefix AND x < prefix_bound(prefix)`` is a prefix match as an index range."""
    return prefix + "\U0010ffff"
