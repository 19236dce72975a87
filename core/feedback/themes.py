"""What a comment is about: a small bilingual lexicon of the shop's themes, matched on the comment's search form.

A comment is folded as the search folds text (``core.kernel.text.search_fold``: Arabic without tashkeel or
tatweel, one alef, ta marbuta as ha, alef maqsura as ya, digits in ASCII, case folded). Each theme is a list
of word stems in English and in Arabic (written here as they are spelt; they are folded the same way). An
English stem matches a word that starts with it ("smell" finds "smells", "smelled"); an Arabic stem matches a
word that starts with it behind the clitics a Gulf comment attaches (و ف ب ل ك and ال: "والريحه", "بالسعر"),
so "ريح" finds "ريحه", "الريحة", "وريحته". A phrase (stems with spaces) matches the words in that order.
A comment can be about several themes, or none.

The themes of an answer are stored as a bit mask (bit ``i`` for ``THEMES[i]``) beside its facts
(storage: feedback_facts) when it is written, so the dashboard counts them by SQL. The bits are positions in
``THEMES``: add a theme at the end, never reorder or remove one; a stem added to a theme applies to answers
tagged after it (``LEXICON_VERSION`` changes, and the stored tags are made again, see
storage.repositories.feedback).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from core.kernel.i18n import QT_TRANSLATE_NOOP
from core.kernel.text import search_fold

LEXICON_VERSION = 1


@dataclass(frozen=True)
class Theme:
    key: str
    label: str  # QT_TRANSLATE_NOOP("core", ...): translate at the screen
    english: tuple[str, ...]
    arabic: tuple[str, ...]


THEMES: tuple[Theme, ...] = (
    Theme(
        "scent",
        QT_TRANSLATE_NOOP("core", "Scent and longevity"),
        (
            "scent",
            "smell",
            "fragran",
            "longevity",
            "lasting",
            "last long",
            "lasts",
            "fades",
            "faded",
            "projection",
            "sillage",
            "notes",
        ),
        ("ريح", "رائح", "ثبات", "ثابت", "يثبت", "فوح", "يفوح", "تفوح", "يطير", "طار", "نفاذ"),
    ),
    Theme(
        "price",
        QT_TRANSLATE_NOOP("core", "Price"),
        ("price", "expensive", "overpriced", "cheap", "value for money", "cost", "discount", "aed"),
        ("سعر", "اسعار", "غالي", "غاليه", "رخيص", "ثمن", "خصم", "تخفيض", "فلوس", "درهم"),
    ),
    Theme(
        "staff",
        QT_TRANSLATE_NOOP("core", "Staff and service"),
        (
            "staff",
            "service",
            "rude",
            "friendly",
            "helpful",
            "polite",
            "salesman",
            "saleswoman",
            "cashier",
            "shopper",
            "attitude",
            "welcom",
        ),
        ("موظف", "خدم", "تعامل", "اسلوب", "بائع", "بياع", "الكاشير", "محترم", "ذوق", "استقبال", "ترحيب"),
    ),
    Theme(
        "waiting",
        QT_TRANSLATE_NOOP("core", "Waiting"),
        ("wait", "queue", "slow", "took long", "took forever", "minutes", "line was"),
        ("انتظر", "انتظار", "طابور", "تاخير", "تأخير", "تاخر", "تأخر", "بطي", "دقيقه", "دقايق", "ساعه"),
    ),
    Theme(
        "packaging",
        QT_TRANSLATE_NOOP("core", "Packaging"),
        ("packag", "box", "wrap", "bottle", "leak", "spray", "cap", "gift bag"),
        ("تغليف", "علبه", "كرتون", "قاروره", "زجاج", "بخاخ", "غطا", "تسريب", "يسرب", "كيس", "مغلف"),
    ),
    Theme(
        "delivery",
        QT_TRANSLATE_NOOP("core", "Delivery"),
        ("deliver", "courier", "shipping", "shipment", "arrived", "driver", "order came"),
        ("توصيل", "وصل", "شحن", "مندوب", "سواق", "الطلب", "طلبيه"),
    ),
    Theme(
        "stock",
        QT_TRANSLATE_NOOP("core", "Stock and availability"),
        ("stock", "out of", "sold out", "available", "unavailable", "size", "restock"),
        ("متوفر", "متوفره", "موجود", "مخلص", "خلص", "نفد", "نفذ", "نفاد", "توفر", "حجم", "مقاس"),
    ),
    Theme(
        "oud",
        QT_TRANSLATE_NOOP("core", "Oud quality"),
        ("oud", "agarwood", "dehn", "bakhoor", "bukhoor", "incense", "chips", "mukhallat"),
        ("عود", "دهن", "بخور", "مخلط", "معمول", "كمبودي", "هندي", "دخون"),
    ),
)

_KEYS = tuple(theme.key for theme in THEMES)
_CLITICS = "(?:وال|فال|بال|كال|لل|ال|و|ف|ب|ل|ك)?"


def bit(key: str) -> int:
    return 1 << _KEYS.index(key)


def _stem_pattern(stem: str, arabic: bool) -> str:
    words = search_fold(stem).split()
    parts = [re.escape(word) for word in words]
    if arabic:
        return _CLITICS + r"\w*\s+".join(parts) + r"\w*" if len(parts) > 1 else _CLITICS + parts[0] + r"\w*"
    return r"\w*\s+".join(parts) + r"\w*"


@cache
def _patterns() -> tuple[re.Pattern[str], ...]:
    compiled = []
    for theme in THEMES:
        alternatives = [_stem_pattern(s, False) for s in theme.english]
        alternatives += [_stem_pattern(s, True) for s in theme.arabic]
        compiled.append(re.compile(r"(?<!\w)(?:" + "|".join(alternatives) + r")(?!\w)"))
    return tuple(compiled)


def theme_mask(comment: str | None) -> int:
    """The themes of a comment as a bit mask (0: none, or no comment)."""
    if not comment:
        return 0
    folded = search_fold(comment[:4000])
    mask = 0
    for i, pattern in enumerate(_patterns()):
        if pattern.search(folded):
            mask |= 1 << i
    return mask


def themes_of(comment: str | None) -> list[str]:
    """The keys of a comment's themes, in ``THEMES`` order."""
    mask = theme_mask(comment)
    return [theme.key for i, theme in enumerate(THEMES) if mask & (1 << i)]
