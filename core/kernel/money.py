"""Money is an integer number of fils (1 AED = 100 fils). VAT 5 %, rounded half-up per line."""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from core.kernel.errors import ValidationError
from core.kernel.i18n import QT_TRANSLATE_NOOP
from core.kernel.text import ascii_digits

Fils = int
FILS_PER_AED = 100
VAT_RATE_PERCENT = 5
_AMOUNT_RE = re.compile(r"^\d+(\.\d{1,2})?$")


def vat_fils(net_fils: Fils, rate_percent: int = VAT_RATE_PERCENT) -> Fils:
    """VAT on a net amount, half-up to the fils."""
    if net_fils < 0:
        return -vat_fils(-net_fils, rate_percent)
    return int((Decimal(net_fils) * rate_percent / 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def gross_fils(net_fils: Fils, rate_percent: int = VAT_RATE_PERCENT) -> Fils:
    return net_fils + vat_fils(net_fils, rate_percent)


def parse_aed(text: str, field: str = "amount") -> Fils:
    """'1,250.5', 'AED 1250.50', '١٢٥٠٫٥' → 125050 fils. Refuses negatives and more than two decimals."""
    cleaned = ascii_digits(text or "").upper().replace("AED", "").replace("د.إ", "").replace(",", "").strip()
    if not cleaned:
        raise ValidationError(QT_TRANSLATE_NOOP("core", "Enter an amount."), field)
    if not _AMOUNT_RE.match(cleaned):
        raise ValidationError(QT_TRANSLATE_NOOP("core", "Enter an amount in dirhams, such as 250 or 250.50."), field)
    try:
        value = Decimal(cleaned)
    except InvalidOperation as exc:  # pragma: no cover - guarded by the regex
        raise ValidationError(
            QT_TRANSLATE_NOOP("core", "Enter an amount in dirhams, such as 250 or 250.50."), field
        ) from exc
    return int(value * FILS_PER_AED)


def fils_to_text(fils: Fils) -> str:
    """12345 → '123.45', -5 → '-0.05': what an amount field or an exported column holds, and parse_aed reads
    back. Integer arithmetic, so it stays exact where ``fils / 100`` as a float would drift (past 2**53)."""
    sign = "-" if fils < 0 else ""
    whole, part = divmod(abs(fils), FILS_PER_AED)
    return f"{sign}{whole}.{part:02d}"


def format_aed(fils: Fils, *, symbol: str = "AED") -> str:
    """12345 → 'AED 123.45' (grouping with commas; the UI localises digits)."""
    sign = "-" if fils < 0 else ""
    whole, part = divmod(abs(fils), FILS_PER_AED)
    return f"{sign}{symbol} {whole:,}.{part:02d}"
