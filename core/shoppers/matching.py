"""Matching a VIP customer to a personal shopper: a pure, deterministic score with its reasons in words.

The points are weighted so that the order of importance holds whatever the other criteria say:
speaking the customer's language (100) outweighs every other criterion together (at most 95): specialty
against the customer's tastes (45), room under capacity (30), experience (15), working at the customer's
home branch (5). A shopper at or over capacity is never ranked above one with room, whatever their score:
they are listed (a manager may override) but after everyone who can take the customer.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from core.kernel.i18n import QT_TRANSLATE_NOOP
from core.purchases.products import Family

LANGUAGE_POINTS = 100
SPECIALTY_POINTS = 45
WORKLOAD_POINTS = 30
EXPERIENCE_POINTS = 15
EXPERIENCE_CAP_YEARS = 10
BRANCH_POINTS = 5
# Declared tastes are what the customer told us; purchases only suggest. Declared weighs double.
DECLARED_WEIGHT = 2.0
LEARNED_WEIGHT = 1.0


class Specialty(StrEnum):
    OUD = "oud"
    ORIENTAL = "oriental"
    WESTERN = "western"
    NICHE = "niche"


# The specialty that knows each fragrance family. The families are the one list the till records on order
# lines and preferences (core.purchases.products.Family); every one of them has a specialty.
SPECIALTY_OF_FAMILY: dict[Family, Specialty] = {
    Family.OUD: Specialty.OUD,
    Family.ORIENTAL: Specialty.ORIENTAL,
    Family.AMBER: Specialty.ORIENTAL,
    Family.MUSK: Specialty.ORIENTAL,
    Family.SPICY: Specialty.ORIENTAL,
    Family.CITRUS: Specialty.WESTERN,
    Family.FRESH: Specialty.WESTERN,
    Family.WOODY: Specialty.WESTERN,
    Family.FLORAL: Specialty.WESTERN,
    Family.GOURMAND: Specialty.WESTERN,
    # Leather accords are a western perfumery's; the chain's leather is Atelier Frais's, its western house.
    Family.LEATHER: Specialty.WESTERN,
}

# The houses this chain sells and the specialty that knows them; any other brand a customer asks for is a
# niche house.
HOUSE_BRANDS: dict[str, Specialty] = {
    "perfume & oud": Specialty.OUD,
    "maison arabia": Specialty.ORIENTAL,
    "atelier frais": Specialty.WESTERN,
}


_SPECIALTY_CODES = frozenset(s.value for s in Specialty)
_FAMILY_CODES = frozenset(f.value for f in Family)


def specialty_of_family(family: str) -> Specialty | None:
    """The specialty of a recorded taste: a fragrance family, or a specialty named as a taste (preferences
    seeded as "niche" say so); None for anything else."""
    key = family.strip().casefold()
    if key in _FAMILY_CODES:
        return SPECIALTY_OF_FAMILY[Family(key)]
    if key in _SPECIALTY_CODES:
        return Specialty(key)
    return None


def specialty_of_brand(brand: str) -> Specialty:
    return HOUSE_BRANDS.get(brand.strip().casefold(), Specialty.NICHE)


@dataclass(frozen=True)
class ShopperProfile:
    """A personal shopper as matching and the screens see them, with their current load of VIPs."""

    id: str
    staff_id: str
    branch_id: str
    name_en: str
    name_ar: str
    languages: tuple[str, ...]
    specialties: tuple[str, ...]
    experience_years: int
    capacity: int
    active: bool = True
    load: int = 0
    branch_name_en: str = ""
    branch_name_ar: str = ""

    @property
    def full(self) -> bool:
        return self.load >= self.capacity

    @property
    def room(self) -> int:
        return max(0, self.capacity - self.load)

    def display_name(self, language: str = "en") -> str:
        return (self.name_ar or self.name_en) if language == "ar" else (self.name_en or self.name_ar)


@dataclass(frozen=True)
class CustomerNeeds:
    """What matching knows of a customer: language, home branch, declared and learned tastes.

    ``learned_*`` pairs carry a weight (units bought, or 1 for a learned preference row)."""

    customer_id: str
    preferred_language: str
    home_branch_id: str = ""
    declared_families: tuple[str, ...] = ()
    declared_brands: tuple[str, ...] = ()
    learned_families: tuple[tuple[str, int], ...] = ()
    learned_brands: tuple[tuple[str, int], ...] = ()


@dataclass(frozen=True, slots=True)
class Reason:
    """One line of a match's explanation: an English source string (context "core") and its parameters.

    Parameters named ``language``, ``specialty`` and ``tastes`` hold codes the UI turns into words."""

    code: str
    message: str
    points: int
    params: dict[str, object] = field(default_factory=dict)

    def english(self) -> str:
        params = {k: ", ".join(map(str, v)) if isinstance(v, tuple) else v for k, v in self.params.items()}
        return self.message.format(**params) if params else self.message


@dataclass(frozen=True)
class MatchCandidate:
    shopper: ShopperProfile
    score: int
    reasons: tuple[Reason, ...]
    rank: int = 0

    @property
    def full(self) -> bool:
        return self.shopper.full


def interest_weights(needs: CustomerNeeds) -> tuple[dict[Specialty, float], dict[Specialty, list[str]]]:
    """Each specialty's share of the customer's tastes, and the tastes (declared first) that point to it."""
    weights: dict[Specialty, float] = {}
    tastes: dict[Specialty, list[str]] = {}

    def add(specialty: Specialty | None, name: str, weight: float) -> None:
        if specialty is None or weight <= 0:
            return
        weights[specialty] = weights.get(specialty, 0.0) + weight
        names = tastes.setdefault(specialty, [])
        if name not in names:
            names.append(name)

    declared = [(specialty_of_family(f), f) for f in needs.declared_families]
    declared += [(specialty_of_brand(b), b) for b in needs.declared_brands]
    declared = [(s, n) for s, n in declared if s is not None]
    for specialty, name in declared:
        add(specialty, name, DECLARED_WEIGHT / len(declared))
    learned = [(specialty_of_family(f), f, w) for f, w in needs.learned_families]
    learned += [(specialty_of_brand(b), b, w) for b, w in needs.learned_brands]
    learned_total = sum(w for s, _n, w in learned if s is not None and w > 0)
    for specialty, name, weight in sorted(learned, key=lambda x: (-x[2], x[1])):
        if specialty is not None and weight > 0:
            add(specialty, name, LEARNED_WEIGHT * weight / learned_total)
    return weights, tastes


def score_shopper(
    needs: CustomerNeeds,
    shopper: ShopperProfile,
    interests: tuple[dict[Specialty, float], dict[Specialty, list[str]]] | None = None,
) -> tuple[int, tuple[Reason, ...]]:
    """The shopper's score for this customer and why, criterion by criterion."""
    weights, tastes = interests if interests is not None else interest_weights(needs)
    reasons: list[Reason] = []
    language = needs.preferred_language
    if language in shopper.languages:
        reasons.append(
            Reason(
                "language",
                QT_TRANSLATE_NOOP("core", "Speaks {language}, the customer's preferred language."),
                LANGUAGE_POINTS,
                {"language": language},
            )
        )
    else:
        reasons.append(
            Reason(
                "no_language",
                QT_TRANSLATE_NOOP("core", "Does not speak {language}, the customer's preferred language."),
                0,
                {"language": language},
            )
        )

    total = sum(weights.values())
    if total <= 0:
        reasons.append(
            Reason(
                "no_tastes",
                QT_TRANSLATE_NOOP("core", "No known preferences yet, so specialty is not weighed."),
                0,
            )
        )
    else:
        covered = {s for s in shopper.specialties if s in _SPECIALTY_CODES}
        matched = sorted((s for s in weights if s.value in covered), key=lambda s: (-weights[s], s.value))
        for specialty in matched:
            reasons.append(
                Reason(
                    "specialty",
                    QT_TRANSLATE_NOOP("core", "Specialist in {specialty}: the customer likes {tastes}."),
                    round(SPECIALTY_POINTS * weights[specialty] / total),
                    {"specialty": specialty.value, "tastes": tuple(tastes[specialty][:3])},
                )
            )
        if not matched:
            top = sorted(weights, key=lambda s: (-weights[s], s.value))
            liked = tuple(name for s in top for name in tastes[s])[:3]
            reasons.append(
                Reason(
                    "no_specialty",
                    QT_TRANSLATE_NOOP("core", "No specialty in what the customer likes ({tastes})."),
                    0,
                    {"tastes": liked},
                )
            )

    if shopper.full:
        reasons.append(
            Reason(
                "full",
                QT_TRANSLATE_NOOP("core", "Full: {load} of {capacity} VIP customers."),
                0,
                {"load": shopper.load, "capacity": shopper.capacity},
            )
        )
    else:
        reasons.append(
            Reason(
                "room",
                QT_TRANSLATE_NOOP("core", "{load} of {capacity} VIP customers: room for {room} more."),
                round(WORKLOAD_POINTS * shopper.room / shopper.capacity),
                {"load": shopper.load, "capacity": shopper.capacity, "room": shopper.room},
            )
        )

    years = max(0, shopper.experience_years)
    reasons.append(
        Reason(
            "experience",
            QT_TRANSLATE_NOOP("core", "{years} years of experience."),
            round(EXPERIENCE_POINTS * min(years, EXPERIENCE_CAP_YEARS) / EXPERIENCE_CAP_YEARS),
            {"years": years},
        )
    )
    if needs.home_branch_id and shopper.branch_id == needs.home_branch_id:
        reasons.append(
            Reason("branch", QT_TRANSLATE_NOOP("core", "Works at the customer's home branch."), BRANCH_POINTS)
        )
    return sum(r.points for r in reasons), tuple(reasons)


def rank_shoppers(needs: CustomerNeeds, shoppers: Iterable[ShopperProfile]) -> list[MatchCandidate]:
    """Active shoppers, best first: everyone with room before anyone full, then by score; ties broken by
    lighter load, more experience, then name and id, so the same input always gives the same order."""
    interests = interest_weights(needs)
    scored = []
    for shopper in shoppers:
        if not shopper.active:
            continue
        score, reasons = score_shopper(needs, shopper, interests)
        scored.append(MatchCandidate(shopper, score, reasons))
    scored.sort(
        key=lambda c: (
            c.full,
            -c.score,
            c.shopper.load,
            -c.shopper.experience_years,
            c.shopper.name_en.casefold(),
            c.shopper.id,
        )
    )
    return [MatchCandidate(c.shopper, c.score, c.reasons, rank) for rank, c in enumerate(scored, start=1)]


def best_candidate(candidates: Sequence[MatchCandidate]) -> MatchCandidate | None:
    """The first candidate who can take the customer without a capacity override."""
    return next((c for c in candidates if not c.full), None)
