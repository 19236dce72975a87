"""What a customer likes: declared by them (a form) and learned from what they bought.

Learned preferences weigh each purchase by how recent it is (half the weight every 180 days), so the
families and brands at the top are what the customer buys *now*; a return takes its goods back out.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from core.kernel.arguments import fils_arg
from core.kernel.errors import ValidationError, ValidationErrors
from core.kernel.i18n import QT_TRANSLATE_NOOP
from core.kernel.text import clean_text
from core.loyalty.ports import PreferenceRecord, PurchasedLine
from core.purchases.products import Family

HALF_LIFE_DAYS = 180
TOP = 5
NOTE_MAX = 40
NOTES_MAX_COUNT = 20
BUDGET_MAX_FILS = 100_000_000


class Intensity(StrEnum):
    LIGHT = "light"
    MODERATE = "moderate"
    STRONG = "strong"


class Occasion(StrEnum):
    DAILY = "daily"
    WORK = "work"
    EVENING = "evening"
    WEDDING = "wedding"
    EID = "eid"
    RAMADAN = "ramadan"
    GIFT = "gift"


class Source(StrEnum):
    DECLARED = "declared"
    LEARNED = "learned"


@dataclass(frozen=True)
class DeclaredDraft:
    """The form: notes and dislikes as typed words, the rest chosen from lists."""

    favourite_notes: tuple[str, ...] = ()
    families: tuple[str, ...] = ()
    intensity: str = ""
    occasions: tuple[str, ...] = ()
    budget_min_fils: int | None = None
    budget_max_fils: int | None = None
    dislikes: tuple[str, ...] = ()


@dataclass(frozen=True)
class LearnedPreferences:
    families: tuple[tuple[str, int], ...] = ()  # (family, percent of recent spend)
    brands: tuple[tuple[str, int], ...] = ()
    sizes_ml: tuple[int, ...] = ()
    price_band_min_fils: int | None = None
    price_band_max_fils: int | None = None
    last_purchase_at: datetime | None = None
    items_bought: int = 0


@dataclass(frozen=True)
class CustomerPreferences:
    declared: PreferenceRecord | None
    learned: LearnedPreferences


def _words(values: Iterable[str], field: str) -> tuple[str, ...]:
    out: list[str] = []
    for raw in values:
        for part in str(raw).replace("،", ",").split(","):
            text = clean_text(part, field, max_length=NOTE_MAX)
            if text and text.casefold() not in {o.casefold() for o in out}:
                out.append(text)
    if len(out) > NOTES_MAX_COUNT:
        raise ValidationError(QT_TRANSLATE_NOOP("core", "At most {max} notes in one list."), field, max=NOTES_MAX_COUNT)
    return tuple(out)


def _fils_or_none(value: object, name: str, errors: list[ValidationError]) -> int | None:
    """An optional amount in fils; a float or a string is an error (SQLite would store 0.5 as REAL)."""
    if value is None:
        return None
    try:
        return fils_arg(value, name)
    except ValidationError as err:
        errors.append(err)
        return None


def validate_declared(draft: DeclaredDraft) -> dict[str, object]:
    """Clean values for the declared row, or ValidationErrors naming each bad field."""
    errors: list[ValidationError] = []
    out: dict[str, object] = {}
    for name in ("favourite_notes", "dislikes"):
        try:
            out[name] = list(_words(getattr(draft, name), name))
        except ValidationError as err:
            errors.append(err)
    families = [f.strip().lower() for f in draft.families if f.strip()]
    if any(f not in {x.value for x in Family} for f in families):
        errors.append(
            ValidationError(QT_TRANSLATE_NOOP("core", "Choose fragrance families from the list."), "families")
        )
    out["families"] = list(dict.fromkeys(families))
    occasions = [o.strip().lower() for o in draft.occasions if o.strip()]
    if any(o not in {x.value for x in Occasion} for o in occasions):
        errors.append(ValidationError(QT_TRANSLATE_NOOP("core", "Choose occasions from the list."), "occasions"))
    out["occasions"] = list(dict.fromkeys(occasions))
    intensity = (draft.intensity or "").strip().lower()
    if intensity and intensity not in {x.value for x in Intensity}:
        errors.append(ValidationError(QT_TRANSLATE_NOOP("core", "Choose an intensity from the list."), "intensity"))
    out["intensity"] = intensity or None
    low, high = (
        _fils_or_none(draft.budget_min_fils, "budget_min_fils", errors),
        _fils_or_none(draft.budget_max_fils, "budget_max_fils", errors),
    )
    for name, value in (("budget_min_fils", low), ("budget_max_fils", high)):
        if value is not None and not 0 <= value <= BUDGET_MAX_FILS:
            errors.append(
                ValidationError(QT_TRANSLATE_NOOP("core", "A budget is an amount from AED 0 to 1,000,000."), name)
            )
    if low is not None and high is not None and low > high:
        errors.append(
            ValidationError(
                QT_TRANSLATE_NOOP("core", "The lowest budget is above the highest. Swap them."), "budget_min_fils"
            )
        )
    out["budget_min_fils"] = low
    out["budget_max_fils"] = high
    if errors:
        raise ValidationErrors(errors)
    clash = {n.casefold() for n in out["favourite_notes"]} & {n.casefold() for n in out["dislikes"]}  # type: ignore[attr-defined]
    if clash:
        raise ValidationErrors(
            [
                ValidationError(
                    QT_TRANSLATE_NOOP("core", "A note cannot be both a favourite and a dislike: {notes}."),
                    "dislikes",
                    notes=", ".join(sorted(clash)),
                )
            ]
        )
    return out


def _ranked(weights: dict[str, float]) -> tuple[tuple[str, int], ...]:
    positive = {k: v for k, v in weights.items() if k and v > 1e-9}
    total = sum(positive.values())
    if not total:
        return ()
    ranked = sorted(positive.items(), key=lambda kv: (-kv[1], kv[0]))[:TOP]
    shares = ((k, round(100 * v / total)) for k, v in ranked)
    return tuple((k, share) for k, share in shares if share > 0)


def _percentile(sorted_values: list[int], fraction: float) -> int:
    index = min(len(sorted_values) - 1, max(0, round(fraction * (len(sorted_values) - 1))))
    return sorted_values[index]


def learn(lines: Iterable[PurchasedLine], now: datetime) -> LearnedPreferences:
    """Families, brands, sizes, price band and recency from a customer's purchases (returns subtract)."""
    families: dict[str, float] = {}
    brands: dict[str, float] = {}
    sizes: dict[int, float] = {}
    units: dict[int, int] = {}  # unit price → items kept
    last: datetime | None = None
    items = 0
    for line in lines:
        age_days = max(0.0, (now - line.at).total_seconds() / 86_400)
        weight = 0.5 ** (age_days / HALF_LIFE_DAYS) * line.quantity * line.unit_price_fils
        families[line.family] = families.get(line.family, 0.0) + weight
        brands[line.brand] = brands.get(line.brand, 0.0) + weight
        if line.size_ml:
            sizes[line.size_ml] = sizes.get(line.size_ml, 0.0) + 0.5 ** (age_days / HALF_LIFE_DAYS) * line.quantity
        units[line.unit_price_fils] = units.get(line.unit_price_fils, 0) + line.quantity
        items += line.quantity
        if line.quantity > 0 and (last is None or line.at > last):
            last = line.at
    prices = sorted(p for p, n in units.items() for _ in range(max(0, min(n, 1000))))
    top_sizes = tuple(s for s, w in sorted(sizes.items(), key=lambda kv: (-kv[1], kv[0])) if w > 1e-9)[:3]
    return LearnedPreferences(
        families=_ranked(families),
        brands=_ranked(brands),
        sizes_ml=top_sizes,
        price_band_min_fils=_percentile(prices, 0.25) if prices else None,
        price_band_max_fils=_percentile(prices, 0.75) if prices else None,
        last_purchase_at=last,
        items_bought=max(0, items),
    )


def learned_row(learned: LearnedPreferences) -> dict[str, object]:
    """The learned row kept beside the declared one, for campaigns to select on."""
    return {
        "families": [f for f, _ in learned.families],
        "brands": [b for b, _ in learned.brands],
        "sizes_ml": list(learned.sizes_ml),
        "budget_min_fils": learned.price_band_min_fils,
        "budget_max_fils": learned.price_band_max_fils,
    }
