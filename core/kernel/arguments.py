"""Type checks at a service's front door: an amount is an int of fils, a date is a date, a text is a str.

Python does not check annotations, so a caller (a script, a plug-in, head office replaying a row) can hand a
service ``0.5``, ``nan``, ``"2026-01-01"`` or a lone surrogate. Without a check these fail deep inside (a
TypeError comparing a str with a date, an encoding error at commit) or, worse, are stored: SQLite keeps a
float as REAL, so ``redeem(card, 0.5)`` wrote an event of -0.5 fils. Each service calls these on its money,
date and text arguments before anything else, and the caller gets a ValidationError naming the field.
"""

from __future__ import annotations

from datetime import date, datetime

from core.kernel.errors import ValidationError
from core.kernel.i18n import QT_TRANSLATE_NOOP

#: AED 100 million: far above any sale, card or tender of a branch, far below where SQLite's 64-bit integers
#: or a float conversion in a report would lose a fils.
MAX_FILS = 10_000_000_000


def fils_arg(value: object, field: str = "amount") -> int:
    """``value`` as an amount in fils: an int (not a bool, not a float, not a string) of a sane size."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationError(QT_TRANSLATE_NOOP("core", "An amount must be a whole number of fils."), field)
    if abs(value) > MAX_FILS:
        raise ValidationError(QT_TRANSLATE_NOOP("core", "Check the amount: it is above AED 100,000,000."), field)
    return value


def int_arg(value: object, field: str) -> int:
    """A count (points, cards, months): an int, not a bool or a float."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationError(QT_TRANSLATE_NOOP("core", "This must be a whole number."), field)
    return value


def date_arg(value: object, field: str) -> date:
    """A calendar date: a ``date``, not a datetime (whose time would be dropped) and not a string."""
    if isinstance(value, datetime) or not isinstance(value, date):
        raise ValidationError(QT_TRANSLATE_NOOP("core", "Choose a date from the calendar."), field)
    return value


def text_arg(value: object, field: str) -> str:
    """A text as typed: a ``str`` (or None, read as empty) that UTF-8 can store, so no lone surrogate."""
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ValidationError(QT_TRANSLATE_NOOP("core", "This field must be text."), field)
    if any("\ud800" <= c <= "\udfff" for c in value):
        raise ValidationError(
            QT_TRANSLATE_NOOP("core", "This field contains a broken character. Type it again."), field
        )
    return value
