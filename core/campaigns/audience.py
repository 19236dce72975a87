"""Who a campaign is for: an audience definition a manager builds, checked and stored as JSON.

A definition is a set of filters, all of which a customer must pass (within one filter, any listed value
will do): segment, loyalty tier, emirate, preferred language and channel, fragrance families and brands (from
the customer's stated preferences, their purchases, or either), when they last bought (a window of days ago,
or never), lifetime spend in fils, points balance, whether a personal shopper looks after them, and the month
of their birthday. Then the exclusions: no promotional consent on the campaign's channel (read from the
consent ledger exactly as ``core.messaging.consent.fold`` reads it), at the frequency cap of
``core.messaging.rules``, sent a promotional message in the last N days, or in another campaign's executions
of the last N days. Customers erased or merged away (tombstoned) are never in an audience.

The definition is immutable and names no moment: "bought within 180 days" is resolved against the clock when
it is counted (``core.campaigns.audience_query``), so a stored campaign means the same thing every day it runs.
Days are the store's local days (Asia/Dubai): a sale at 23:59 on 31 December in Dubai was 0 days ago until
midnight there, whatever the date in UTC.

JSON (``to_json``/``from_json``) is the form kept on the campaign row and sent to head office, which executes
campaigns in a chain. ``from_json`` refuses a field it does not know rather than skipping it: a filter that a
newer version added and this one ignored would silently widen the audience.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from core.customers.model import Channel, Emirate, Language, Segment
from core.kernel.errors import ValidationError, ValidationErrors
from core.kernel.i18n import QT_TRANSLATE_NOOP
from core.kernel.text import clean_text
from core.loyalty.rules import Tier
from core.messaging.consent import MESSAGE_CHANNELS
from core.purchases.products import Family

FORMAT_VERSION = 1

# Bounds on what a definition may hold: it comes from a form, and at head office from a branch's bytes.
MAX_VALUES = 100  # values in one list filter
MAX_DAYS = 36_500  # a hundred years
MAX_AMOUNT = 10**12  # fils or points
BRAND_MAX = 60  # order_lines.brand

TASTE_SOURCES = ("either", "preferences", "purchases")

NOT_A_CHOICE = QT_TRANSLATE_NOOP("core", "“{value}” is not one of the choices of this filter.")
MIN_OVER_MAX = QT_TRANSLATE_NOOP("core", "The lowest value is higher than the highest.")
FEWEST_OVER_MOST_DAYS = QT_TRANSLATE_NOOP("core", "The fewest days ago are more than the most days ago.")
NEGATIVE = QT_TRANSLATE_NOOP("core", "Enter zero or more.")
TOO_LARGE = QT_TRANSLATE_NOOP("core", "The number is too large.")
TOO_MANY = QT_TRANSLATE_NOOP("core", "Choose at most {limit} values in one filter.")
BAD_MONTH = QT_TRANSLATE_NOOP("core", "A birthday month is a number from 1 to 12.")
BAD_BRAND = QT_TRANSLATE_NOOP("core", "A brand is from 1 to {limit} characters long.")
UNREADABLE = QT_TRANSLATE_NOOP("core", "This audience cannot be read: {detail}.")
NO_CHANNEL = QT_TRANSLATE_NOOP("core", "Choose a channel that carries messages: WhatsApp, SMS or email.")


@dataclass(frozen=True)
class Span:
    """An inclusive range of whole numbers; None leaves that end open."""

    min: int | None = None
    max: int | None = None

    @property
    def open(self) -> bool:
        return self.min is None and self.max is None

    def holds(self, value: int) -> bool:
        return (self.min is None or value >= self.min) and (self.max is None or value <= self.max)


@dataclass(frozen=True)
class LastPurchase:
    """When the customer last bought, in whole local days before today: at least ``from_days`` and at most
    ``to_days`` ago (None leaves an end open). ``never`` takes customers who never bought: alone it is "never
    bought"; with days it is "in the window, or never" (a win-back that also reaches the never-converted).
    With nothing set it means "has bought at least once"."""

    from_days: int | None = None
    to_days: int | None = None
    never: bool = False

    @property
    def has_window(self) -> bool:
        return self.from_days is not None or self.to_days is not None


@dataclass(frozen=True)
class Exclusions:
    """Who is left out of an audience that otherwise matches.

    ``opted_out``: customers without promotional consent on ``channel`` (the campaign's channel); with no
    channel, those without it on every channel that carries messages. ``capped``: customers at the frequency
    cap of the messaging rules now. ``messaged_within_days``: sent a promotional message in the last N days
    (queued or further, unless given up). ``other_campaigns_within_days``: in an execution of another
    campaign in the last N days (the campaign being built is given when counting, not here)."""

    opted_out: bool = True
    channel: str | None = None
    capped: bool = True
    messaged_within_days: int | None = None
    other_campaigns_within_days: int | None = None


@dataclass(frozen=True)
class AudienceDefinition:
    segments: tuple[str, ...] = ()
    tiers: tuple[str, ...] = ()
    emirates: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    channels: tuple[str, ...] = ()  # the customer's preferred channel
    families: tuple[str, ...] = ()
    brands: tuple[str, ...] = ()
    taste_from: str = "either"  # where families and brands are looked for: preferences | purchases | either
    last_purchase: LastPurchase | None = None
    spend_fils: Span = Span()  # lifetime: sales less returns, VAT included
    points: Span = Span()  # the points balance (no loyalty account: 0)
    has_personal_shopper: bool | None = None
    birthday_months: tuple[int, ...] = ()
    exclude: Exclusions = field(default_factory=Exclusions)

    def validated(self) -> AudienceDefinition:
        """The same definition with its lists sorted and without repeats (so equal audiences compare and
        serialise alike) and brands cleaned; raises ValidationErrors naming every field that is wrong."""
        errors: list[ValidationError] = []
        choices: dict[str, Iterable[str]] = {
            "segments": [s.value for s in Segment],
            "tiers": [t.value for t in Tier],
            "emirates": [e.value for e in Emirate],
            "languages": [lang.value for lang in Language],
            "channels": [c.value for c in Channel],
            "families": [f.value for f in Family],
        }
        lists: dict[str, tuple[str, ...]] = {}
        for name, allowed in choices.items():
            values: tuple[str, ...] = getattr(self, name)
            lists[name] = _choices(name, values, frozenset(allowed), errors)
        brands = _brands(self.brands, errors)
        if self.taste_from not in TASTE_SOURCES:
            errors.append(ValidationError(NOT_A_CHOICE, "taste_from", value=self.taste_from))
        months = _months(self.birthday_months, errors)
        if self.last_purchase is not None:
            lp = self.last_purchase
            _count("last_purchase", lp.from_days, MAX_DAYS, errors)
            _count("last_purchase", lp.to_days, MAX_DAYS, errors)
            if lp.from_days is not None and lp.to_days is not None and lp.from_days > lp.to_days:
                errors.append(ValidationError(FEWEST_OVER_MOST_DAYS, "last_purchase"))
        for name in ("spend_fils", "points"):
            span: Span = getattr(self, name)
            _count(name, span.min, MAX_AMOUNT, errors)
            _count(name, span.max, MAX_AMOUNT, errors)
            if span.min is not None and span.max is not None and span.min > span.max:
                errors.append(ValidationError(MIN_OVER_MAX, name))
        ex = self.exclude
        if ex.channel is not None and ex.channel not in MESSAGE_CHANNELS:
            errors.append(ValidationError(NO_CHANNEL, "exclude.channel"))
        _count("exclude.messaged_within_days", ex.messaged_within_days, MAX_DAYS, errors)
        _count("exclude.other_campaigns_within_days", ex.other_campaigns_within_days, MAX_DAYS, errors)
        if errors:
            raise ValidationErrors(errors)
        return AudienceDefinition(
            **lists,
            brands=brands,
            taste_from=self.taste_from,
            last_purchase=self.last_purchase,
            spend_fils=self.spend_fils,
            points=self.points,
            has_personal_shopper=self.has_personal_shopper,
            birthday_months=months,
            exclude=self.exclude,
        )

    # -- JSON -------------------------------------------------------------------------------------------------

    def to_json(self) -> dict[str, Any]:
        lp = self.last_purchase
        ex = self.exclude
        return {
            "version": FORMAT_VERSION,
            "segments": list(self.segments),
            "tiers": list(self.tiers),
            "emirates": list(self.emirates),
            "languages": list(self.languages),
            "channels": list(self.channels),
            "families": list(self.families),
            "brands": list(self.brands),
            "taste_from": self.taste_from,
            "last_purchase": None
            if lp is None
            else {"from_days": lp.from_days, "to_days": lp.to_days, "never": lp.never},
            "spend_fils": {"min": self.spend_fils.min, "max": self.spend_fils.max},
            "points": {"min": self.points.min, "max": self.points.max},
            "has_personal_shopper": self.has_personal_shopper,
            "birthday_months": list(self.birthday_months),
            "exclude": {
                "opted_out": ex.opted_out,
                "channel": ex.channel,
                "capped": ex.capped,
                "messaged_within_days": ex.messaged_within_days,
                "other_campaigns_within_days": ex.other_campaigns_within_days,
            },
        }

    @classmethod
    def from_json(cls, value: object) -> AudienceDefinition:
        """A definition read from ``to_json``'s form and validated. Missing fields take their defaults; an
        unknown field, a wrong type or a newer version is refused (ValidationError) rather than ignored."""
        data = _mapping(value, "audience")
        _known(data, _FIELDS, "audience")
        version = data.get("version", FORMAT_VERSION)
        if version != FORMAT_VERSION:
            raise ValidationError(UNREADABLE, "audience", detail=f"version {version!r}")
        lp_data = data.get("last_purchase")
        last_purchase = None
        if lp_data is not None:
            lp = _mapping(lp_data, "last_purchase")
            _known(lp, {"from_days", "to_days", "never"}, "last_purchase")
            last_purchase = LastPurchase(
                _int_or_none(lp.get("from_days"), "last_purchase.from_days"),
                _int_or_none(lp.get("to_days"), "last_purchase.to_days"),
                _bool(lp.get("never", False), "last_purchase.never"),
            )
        ex_data = _mapping(data.get("exclude", {}), "exclude")
        _known(ex_data, _EXCLUDE_FIELDS, "exclude")
        channel = ex_data.get("channel")
        if channel is not None and not isinstance(channel, str):
            raise ValidationError(UNREADABLE, "exclude.channel", detail="exclude.channel")
        shopper = data.get("has_personal_shopper")
        months = data.get("birthday_months", [])
        definition = cls(
            segments=_strings(data.get("segments", []), "segments"),
            tiers=_strings(data.get("tiers", []), "tiers"),
            emirates=_strings(data.get("emirates", []), "emirates"),
            languages=_strings(data.get("languages", []), "languages"),
            channels=_strings(data.get("channels", []), "channels"),
            families=_strings(data.get("families", []), "families"),
            brands=_strings(data.get("brands", []), "brands"),
            taste_from=_string(data.get("taste_from", "either"), "taste_from"),
            last_purchase=last_purchase,
            spend_fils=_span(data.get("spend_fils"), "spend_fils"),
            points=_span(data.get("points"), "points"),
            has_personal_shopper=None if shopper is None else _bool(shopper, "has_personal_shopper"),
            birthday_months=tuple(_int(m, "birthday_months") for m in _list(months, "birthday_months")),
            exclude=Exclusions(
                opted_out=_bool(ex_data.get("opted_out", True), "exclude.opted_out"),
                channel=channel,
                capped=_bool(ex_data.get("capped", True), "exclude.capped"),
                messaged_within_days=_int_or_none(ex_data.get("messaged_within_days"), "exclude.messaged"),
                other_campaigns_within_days=_int_or_none(
                    ex_data.get("other_campaigns_within_days"), "exclude.other_campaigns"
                ),
            ),
        )
        return definition.validated()


_FIELDS = frozenset(AudienceDefinition().to_json())
_EXCLUDE_FIELDS = frozenset(AudienceDefinition().to_json()["exclude"])


# -- validation helpers ----------------------------------------------------------------------------------------


def _choices(
    name: str, values: Iterable[str], allowed: frozenset[str], errors: list[ValidationError]
) -> tuple[str, ...]:
    chosen = tuple(values)
    if len(chosen) > MAX_VALUES:
        errors.append(ValidationError(TOO_MANY, name, limit=MAX_VALUES))
        return ()
    for value in chosen:
        if value not in allowed:
            errors.append(ValidationError(NOT_A_CHOICE, name, value=str(value)))
            return ()
    return tuple(sorted(set(chosen)))


def brand_key(brand: str) -> str:
    """How brands compare: NFC, without surrounding spaces, Latin letters in lower case: the folding SQL does
    with ``lower(trim(brand))`` (SQLite's ``lower`` leaves other scripts alone, and Arabic has no case)."""
    return unicodedata.normalize("NFC", brand).strip(" ").translate(_ASCII_LOWER)


_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def _brands(values: Iterable[str], errors: list[ValidationError]) -> tuple[str, ...]:
    chosen = tuple(values)
    if len(chosen) > MAX_VALUES:
        errors.append(ValidationError(TOO_MANY, "brands", limit=MAX_VALUES))
        return ()
    cleaned: set[str] = set()
    for value in chosen:
        try:
            text = clean_text(value, "brands", max_length=BRAND_MAX, required=True)
        except ValidationError:
            text = None
        if text is None:
            errors.append(ValidationError(BAD_BRAND, "brands", limit=BRAND_MAX))
            return ()
        cleaned.add(brand_key(text))
    return tuple(sorted(cleaned))


def _months(values: Iterable[int], errors: list[ValidationError]) -> tuple[int, ...]:
    chosen = tuple(values)
    if any(isinstance(m, bool) or not isinstance(m, int) or not 1 <= m <= 12 for m in chosen):
        errors.append(ValidationError(BAD_MONTH, "birthday_months"))
        return ()
    return tuple(sorted(set(chosen)))


def _count(name: str, value: int | None, limit: int, errors: list[ValidationError]) -> None:
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, int):
        errors.append(ValidationError(UNREADABLE, name, detail=name))
    elif value < 0:
        errors.append(ValidationError(NEGATIVE, name))
    elif value > limit:
        errors.append(ValidationError(TOO_LARGE, name))


# -- JSON helpers: each refuses a value of the wrong type with the field it was in -------------------------------


def _mapping(value: object, name: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise ValidationError(UNREADABLE, name, detail=name)
    return value


def _known(data: Mapping[str, Any], fields: Iterable[str], name: str) -> None:
    unknown = sorted(str(k) for k in set(data) - set(fields))
    if unknown:
        raise ValidationError(UNREADABLE, name, detail=", ".join(unknown)[:100])


def _list(value: object, name: str) -> list[Any]:
    if not isinstance(value, list):
        raise ValidationError(UNREADABLE, name, detail=name)
    if len(value) > MAX_VALUES:
        raise ValidationError(TOO_MANY, name, limit=MAX_VALUES)
    return value


def _strings(value: object, name: str) -> tuple[str, ...]:
    return tuple(_string(v, name) for v in _list(value, name))


def _string(value: object, name: str) -> str:
    if not isinstance(value, str):
        raise ValidationError(UNREADABLE, name, detail=name)
    return value


def _int(value: object, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationError(UNREADABLE, name, detail=name)
    return value


def _int_or_none(value: object, name: str) -> int | None:
    return None if value is None else _int(value, name)


def _bool(value: object, name: str) -> bool:
    if not isinstance(value, bool):
        raise ValidationError(UNREADABLE, name, detail=name)
    return value


def _span(value: object, name: str) -> Span:
    if value is None:
        return Span()
    data = _mapping(value, name)
    _known(data, {"min", "max"}, name)
    return Span(_int_or_none(data.get("min"), name), _int_or_none(data.get("max"), name))
