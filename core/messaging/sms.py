"""How an SMS text travels: its encoding, how many parts it is billed as, and what it costs per provider.

A text goes as GSM-7 (3GPP TS 23.038, formerly GSM 03.38) when every character is in the basic table or its
extension table, else as UCS-2 — so one Arabic letter or one emoji turns the whole message UCS-2. A single
message carries 140 octets: 160 septets or 70 UTF-16 code units. A longer text is split into parts that each
give 6 octets to the concatenation header, leaving 153 septets or 67 code units. Extension characters are an
escape septet plus the character (2 septets), and a character outside the Basic Multilingual Plane (most emoji)
is a surrogate pair (2 code units); neither pair is ever split across two parts, so a part can hold one unit
less than its limit. This is how Twilio's open-source segment calculator fills its segments, and the tests
check its published examples.

Costs are integer fils (1 AED = 100 fils). A provider's rate is per part and may be a fraction of a fil (AED
0.0455 a part = 4.55 fils), so a rate is an exact ``Decimal`` of fils; the cost of one message is
``parts × rate`` rounded half-up to a whole fil once, on the total — never per part, which would overstate a
long message by up to half a fil a part.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Literal

from core.kernel.errors import ValidationError
from core.kernel.i18n import QT_TRANSLATE_NOOP
from core.kernel.money import FILS_PER_AED, Fils

Encoding = Literal["GSM-7", "UCS-2"]
GSM7: Encoding = "GSM-7"
UCS2: Encoding = "UCS-2"

# The 128 positions of the GSM 7-bit default alphabet, in table order (0x1B, the escape, is not a character).
GSM7_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ"
    "ÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§"
    "¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
# The default extension table: each costs the escape septet plus its own.
GSM7_EXTENSION = frozenset("\f^{}\\[~]|€")

SINGLE_PART_UNITS: dict[Encoding, int] = {GSM7: 160, UCS2: 70}
MULTIPART_UNITS: dict[Encoding, int] = {GSM7: 153, UCS2: 67}

DEFAULT_MAX_PARTS = 10
DEFAULT_WARN_PARTS = 3


def gsm7_units(char: str) -> int | None:
    """Septets ``char`` takes in GSM-7 (1 or 2), or None when GSM-7 cannot carry it."""
    if char in GSM7_BASIC:
        return 1
    if char in GSM7_EXTENSION:
        return 2
    return None


def ucs2_units(char: str) -> int:
    """UTF-16 code units of one code point: 2 outside the Basic Multilingual Plane (a surrogate pair)."""
    return 2 if ord(char) > 0xFFFF else 1


@dataclass(frozen=True)
class SmsText:
    """What a text costs to send: its encoding, its length in that encoding's units (septets or UTF-16 code
    units), the parts it is split into with the units each holds, and the characters that forced UCS-2."""

    encoding: Encoding
    units: int
    part_units: tuple[int, ...]
    non_gsm: tuple[str, ...] = ()

    @property
    def parts(self) -> int:
        return len(self.part_units)

    @property
    def units_per_part(self) -> int:
        """The limit each part was filled to: 160/70 for one part, 153/67 for several."""
        return (SINGLE_PART_UNITS if self.parts <= 1 else MULTIPART_UNITS)[self.encoding]

    @property
    def units_left(self) -> int:
        """Units still free in the last part before the text needs one more (for a live counter)."""
        return self.units_per_part - (self.part_units[-1] if self.part_units else 0)


def analyse(text: str) -> SmsText:
    """The encoding and parts of ``text``. An empty text is one empty part (providers bill it as one)."""
    non_gsm: list[str] = []
    sizes: list[int] = []
    for char in text:
        units = gsm7_units(char)
        if units is None:
            if char not in non_gsm:
                non_gsm.append(char)
        else:
            sizes.append(units)
    encoding: Encoding = UCS2 if non_gsm else GSM7
    if encoding == UCS2:
        sizes = [ucs2_units(char) for char in text]
    total = sum(sizes)
    if total <= SINGLE_PART_UNITS[encoding]:
        return SmsText(encoding, total, (total,), tuple(non_gsm))
    return SmsText(encoding, total, _fill(sizes, MULTIPART_UNITS[encoding]), tuple(non_gsm))


def _fill(sizes: Iterable[int], limit: int) -> tuple[int, ...]:
    """Packs characters of the given sizes into parts of ``limit`` units, a character never split."""
    parts: list[int] = [0]
    for size in sizes:
        if parts[-1] + size > limit:
            parts.append(0)
        parts[-1] += size
    return tuple(parts)


# -- limits ------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PartsLimit:
    """How long a text may be: above ``warn_parts`` an editor warns, above ``max_parts`` a send is refused."""

    max_parts: int = DEFAULT_MAX_PARTS
    warn_parts: int = DEFAULT_WARN_PARTS

    def __post_init__(self) -> None:
        if self.max_parts < 1 or not 1 <= self.warn_parts <= self.max_parts:
            raise ValueError("need 1 <= warn_parts <= max_parts")

    def warns(self, sms: SmsText) -> bool:
        return sms.parts > self.warn_parts

    def check(self, sms: SmsText, field: str = "body") -> SmsText:
        """Returns ``sms``; refuses (ValidationError) a text of more parts than ``max_parts``."""
        if sms.parts > self.max_parts:
            raise ValidationError(
                QT_TRANSLATE_NOOP(
                    "core",
                    "This SMS would go as {parts} parts ({encoding}); at most {max} are allowed. Shorten the text.",
                ),
                field,
                parts=sms.parts,
                encoding=sms.encoding,
                max=self.max_parts,
            )
        return sms


# -- cost --------------------------------------------------------------------------------------------------------


def rate_fils(aed_per_part: str | Decimal) -> Decimal:
    """A provider's price per part, written in AED ('0.0455'), as exact fils (4.55). Refuses a negative or
    unreadable rate: a typo in a rate must not turn every estimate into zero."""
    try:
        value = Decimal(str(aed_per_part).strip())
    except InvalidOperation as exc:
        raise ValueError(f"not an AED amount: {aed_per_part!r}") from exc
    if not value.is_finite() or value < 0:
        raise ValueError(f"not an AED amount: {aed_per_part!r}")
    return value * FILS_PER_AED


def cost_fils(parts: int, fils_per_part: Decimal) -> Fils:
    """``parts × rate`` rounded half-up to a whole fil, once on the total."""
    return int((fils_per_part * parts).quantize(Decimal(1), rounding=ROUND_HALF_UP))


@dataclass(frozen=True)
class SmsRates:
    """Price per part of each SMS provider, in exact fils; the order is the order costs are listed in."""

    fils_per_part: Mapping[str, Decimal] = field(default_factory=dict)

    @classmethod
    def from_aed(cls, rates: Mapping[str, str | Decimal]) -> SmsRates:
        return cls({name: rate_fils(value) for name, value in rates.items()})

    @classmethod
    def parse(cls, spec: str) -> SmsRates:
        """'unifonic=0.045,twilio=0.30' (AED per part) → rates; refuses a malformed entry."""
        rates: dict[str, str] = {}
        for entry in filter(None, (e.strip() for e in spec.split(","))):
            name, sep, value = entry.partition("=")
            if not sep or not name.strip():
                raise ValueError(f"a rate is provider=AED, not {entry!r}")
            rates[name.strip()] = value
        return cls.from_aed(rates)

    def estimate(self, sms: SmsText) -> dict[str, Fils]:
        """The cost of ``sms`` with each provider, in fils."""
        return {name: cost_fils(sms.parts, rate) for name, rate in self.fils_per_part.items()}


# Placeholder prices, not quotes: deployments set SMS_RATES_AED (see sync.messaging.config) to their contracts'.
DEFAULT_RATES_AED: dict[str, str] = {"unifonic": "0.05", "twilio": "0.30", "sns": "0.25"}
