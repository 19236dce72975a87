"""Text hygiene shared by every input: digits, Unicode normal form, bidi controls, Arabic folding."""

from __future__ import annotations

import re
import unicodedata

from core.kernel.arguments import text_arg
from core.kernel.errors import ValidationError
from core.kernel.i18n import QT_TRANSLATE_NOOP

# Arabic-Indic (U+0660..) and Extended/Persian (U+06F0..) digits to ASCII.
_DIGITS = {ord(c): str(i) for i, c in enumerate("٠١٢٣٤٥٦٧٨٩")}
_DIGITS.update({ord(c): str(i) for i, c in enumerate("۰۱۲۳۴۵۶۷۸۹")})
_DIGITS.update({ord("٫"): ".", ord("٬"): ",", ord("،"): ","})

# Embedding, override and isolate controls can reorder what a cashier sees (U+202E "RLO" spoofing).
_BIDI_RE = re.compile("[\u202a-\u202e\u2066-\u2069]")

# Invisible characters that split a word for a search but not for the eye: zero-width space, non-joiner,
# joiner, word joiner, BOM, soft hyphen. Names keep them as typed (ZWNJ is correct in Persian); search drops them.
_INVISIBLE_RE = re.compile("[\u00ad\u200b-\u200d\u2060\ufeff]")
# Line and paragraph separators end a line like "\n" does, which a one-line field must not hold.
_LINE_SEPARATORS = "\u2028\u2029"
_LINE_SEPARATOR_RE = re.compile("[" + _LINE_SEPARATORS + "]")
# Unicode's control characters (category Cc: U+0000-U+001F and U+007F-U+009F); a multi-line field keeps its
# line feeds and tabs. Looked for by a pattern, not a Python loop over the characters: each line of a sale is
# cleaned three times (a product name: 4.4 µs a call against 10.7).
_CONTROLS_RE = re.compile("[\x00-\x1f\x7f-\x9f]")
_CONTROLS_BUT_LINES_RE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")

_TASHKEEL = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")
_ARABIC_FOLD = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ة": "ه", "ى": "ي", "ؤ": "و", "ئ": "ي"})


def ascii_digits(text: str) -> str:
    """Arabic-Indic and Persian digits (and Arabic separators) to their ASCII forms."""
    return text.translate(_DIGITS)


def has_bidi_controls(text: str) -> bool:
    return bool(_BIDI_RE.search(text))


def clean_text(
    value: str | None,
    field: str,
    *,
    max_length: int,
    required: bool = False,
    multiline: bool = False,
) -> str | None:
    """NFC-normalises and trims a user-typed text; refuses bidi controls, control characters, line breaks in
    a one-line field, broken characters and excess."""
    text = unicodedata.normalize("NFC", text_arg(value, field)).strip()
    if not text:
        if required:
            raise ValidationError(QT_TRANSLATE_NOOP("core", "This field is required."), field)
        return None
    if has_bidi_controls(text):
        raise ValidationError(
            QT_TRANSLATE_NOOP("core", "Remove the hidden text-direction characters (such as U+202E) from this field."),
            field,
        )
    if multiline:
        text = _LINE_SEPARATOR_RE.sub("\n", text)
    elif _LINE_SEPARATOR_RE.search(text):
        raise ValidationError(QT_TRANSLATE_NOOP("core", "This field is one line: remove the line breaks."), field)
    if (_CONTROLS_BUT_LINES_RE if multiline else _CONTROLS_RE).search(text):
        raise ValidationError(QT_TRANSLATE_NOOP("core", "This field contains control characters."), field)
    if len(text) > max_length:
        raise ValidationError(
            QT_TRANSLATE_NOOP("core", "Too long: at most {max} characters, this has {length}."),
            field,
            max=max_length,
            length=len(text),
        )
    return text


def fold_arabic(text: str) -> str:
    """Search form of Arabic: no tashkeel or tatweel, one alef, ta marbuta as ha, alef maqsura as ya."""
    return _TASHKEEL.sub("", text).translate(_ARABIC_FOLD)


def search_fold(text: str) -> str:
    """What a search compares: digits in ASCII, Arabic folded, case folded, invisible characters dropped."""
    return fold_arabic(_INVISIBLE_RE.sub("", unicodedata.normalize("NFC", ascii_digits(text)))).casefold()
