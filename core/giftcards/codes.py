"""Gift-card codes: ``PO-XXXX-XXXX-XXXX``, random, unambiguous, with a check character.

The twelve characters after ``PO-`` come from a 31-symbol alphabet without the look-alikes 0/O, 1/I/L. Eleven
are drawn with :mod:`secrets` (about 54 bits, so guessing a live code is hopeless even before the per-terminal
rate limit); the twelfth is a check character.

The check is a weighted sum modulo 31, in the style of ISO 7064's pure systems: ``sum(i * v_i) ≡ 0 (mod 31)``
for positions ``i = 1..12``. Because 31 is prime and every weight and every weight difference is non-zero
modulo 31, a single changed character and any swap of two different characters (adjacent or not) always
break the sum. A Luhn mod N check would miss the swap of the first and last symbols of the alphabet.

Because the letter O is not in the alphabet, a leading ``PO`` can never be the start of the random part, so
the prefix can be optional on input without ambiguity.
"""

from __future__ import annotations

import re
import secrets
import unicodedata
from urllib.parse import parse_qs, unquote, urlsplit

from core.kernel.errors import ValidationError
from core.kernel.i18n import QT_TRANSLATE_NOOP
from core.kernel.text import ascii_digits

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
PREFIX = "PO"
BODY_LENGTH = 12
GROUP = 4

#: Where a scanned card's QR points: a phone that scans it opens the balance page of the web shop.
BASE_URL = "https://perfumeoud.ae/gc/"
#: Hosts whose URLs may carry one of our codes (compared without a leading "www.").
OUR_HOSTS = frozenset({"perfumeoud.ae"})
FIELD = "code"

_MODULUS = len(ALPHABET)  # 31, prime
_VALUE = {c: i for i, c in enumerate(ALPHABET)}
# Dashes of every kind and whitespace may separate the groups; typed, pasted or scanned.
_SEPARATORS = re.compile(r"[\s\-\u2010-\u2015\u2212_.]+")
_BODY_RE = re.compile(r"^[A-Z0-9]+$")

NOT_A_CODE = QT_TRANSLATE_NOOP("core", "This is not a Perfume & Oud gift-card code.")
EMPTY = QT_TRANSLATE_NOOP("core", "Enter the gift-card code.")
WRONG_LENGTH = QT_TRANSLATE_NOOP("core", "A gift-card code has 12 characters after PO-; this one has {length}.")
BAD_CHARACTERS = QT_TRANSLATE_NOOP("core", "Gift-card codes never contain 0, 1, O, I or L: check the characters.")
BAD_CHECK = QT_TRANSLATE_NOOP("core", "This code has a typing mistake: check the characters.")


class NotAGiftCardCode(ValidationError):
    """The text is something else entirely (a foreign QR, a URL of another site): not a mistyped code."""


def _weighted_sum(values: list[int]) -> int:
    return sum(i * v for i, v in enumerate(values, start=1)) % _MODULUS


def check_character(body: str) -> str:
    """The check character completing the first eleven characters of a code body."""
    if len(body) != BODY_LENGTH - 1 or any(c not in _VALUE for c in body):
        raise ValueError(f"a code body is {BODY_LENGTH - 1} characters of {ALPHABET!r}")
    partial = _weighted_sum([_VALUE[c] for c in body])
    # Solve partial + 12·v ≡ 0 (mod 31); 13 is the inverse of 12 modulo 31.
    value = (-partial * pow(BODY_LENGTH, -1, _MODULUS)) % _MODULUS
    return ALPHABET[value]


def is_check_valid(body: str) -> bool:
    """True when a 12-character body over the alphabet satisfies the check."""
    return len(body) == BODY_LENGTH and all(c in _VALUE for c in body) and _weighted_sum([_VALUE[c] for c in body]) == 0


def format_code(body: str) -> str:
    """``ABCDEFGHJKMN`` → ``PO-ABCD-EFGH-JKMN`` (no validation)."""
    groups = [body[i : i + GROUP] for i in range(0, len(body), GROUP)]
    return "-".join([PREFIX, *groups])


def generate_code() -> str:
    """A new random code in canonical form, e.g. ``PO-7KQ2-MXW9-HB4T``."""
    body = "".join(secrets.choice(ALPHABET) for _ in range(BODY_LENGTH - 1))
    return format_code(body + check_character(body))


def _from_url(text: str) -> str:
    """The code carried by one of our URLs; anything else is not ours."""
    url = text if "://" in text else "https://" + text
    try:
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
    except ValueError as exc:
        raise NotAGiftCardCode(NOT_A_CODE, FIELD) from exc
    if host.startswith("www."):
        host = host[4:]
    if host not in OUR_HOSTS or parts.scheme.lower() not in {"http", "https"}:
        raise NotAGiftCardCode(NOT_A_CODE, FIELD)
    query = {k.lower(): v for k, v in parse_qs(parts.query).items()}
    if query.get("code"):
        return query["code"][0]
    segments = [unquote(s) for s in parts.path.split("/") if s]
    if len(segments) == 2 and segments[0].lower() == "gc":
        return segments[1]
    raise NotAGiftCardCode(NOT_A_CODE, FIELD)


def _looks_like_url(text: str) -> bool:
    lowered = text.lower()
    return "://" in lowered or lowered.startswith("www.") or any(lowered.startswith(h + "/") for h in OUR_HOSTS)


def normalize_code(text: str) -> str:
    """Any way a code reaches the till → ``PO-XXXX-XXXX-XXXX``.

    Accepts lower case, missing or extra dashes and spaces, Arabic-Indic and Persian digits, with or without
    the ``PO`` prefix, and the URL form our QR carries (``https://perfumeoud.ae/gc/PO-…`` or ``…?code=PO-…``).
    Raises :class:`NotAGiftCardCode` for text that is something else (a foreign QR or URL), and
    :class:`~core.kernel.errors.ValidationError` for a code of the wrong length, with impossible characters or with a
    wrong check character.
    """
    cleaned = ascii_digits(unicodedata.normalize("NFKC", text or "")).strip()
    if not cleaned:
        raise ValidationError(EMPTY, FIELD)
    if _looks_like_url(cleaned):
        cleaned = ascii_digits(unicodedata.normalize("NFKC", _from_url(cleaned))).strip()
    compact = _SEPARATORS.sub("", cleaned).upper()
    if compact.startswith(PREFIX):
        compact = compact[len(PREFIX) :]
    if not compact.isascii() or not _BODY_RE.match(compact):
        raise NotAGiftCardCode(NOT_A_CODE, FIELD)
    if len(compact) != BODY_LENGTH:
        raise ValidationError(WRONG_LENGTH, FIELD, length=len(compact))
    if any(c not in _VALUE for c in compact):
        raise ValidationError(BAD_CHARACTERS, FIELD)
    if not is_check_valid(compact):
        raise ValidationError(BAD_CHECK, FIELD)
    return format_code(compact)


def is_gift_card_code(text: str) -> bool:
    """True when :func:`normalize_code` accepts ``text``."""
    try:
        normalize_code(text)
    except ValidationError:
        return False
    return True


def qr_payload(code: str) -> str:
    """What a card's QR carries: the URL form of the code.

    Upper case on purpose: every character is then in QR alphanumeric mode, so the 43 characters fit a
    version 3 symbol (29 modules) even at error correction Q, where the lower-case URL needs version 4 (33):
    bigger modules at the same printed size, read from further away and through more damage. Scheme and host
    are case-insensitive; the web shop has to route ``/GC/`` like ``/gc/``.
    """
    canonical = normalize_code(code)
    return (BASE_URL + canonical).upper()
