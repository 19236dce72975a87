"""Matching a VIP to a shopper: pure and deterministic, on crafted cases and on random ones."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from itertools import pairwise

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.kernel.errors import ValidationErrors
from core.purchases.products import Family
from core.shoppers.matching import (
    LANGUAGE_POINTS,
    SPECIALTY_OF_FAMILY,
    CustomerNeeds,
    ShopperProfile,
    Specialty,
    best_candidate,
    interest_weights,
    rank_shoppers,
    score_shopper,
    specialty_of_brand,
    specialty_of_family,
)
from core.shoppers.model import (
    ShopperDraft,
    VisitDraft,
    is_vip,
    next_occurrence,
    upcoming,
    validate_shopper,
    validate_visit,
)


def shopper(
    sid: str,
    languages: tuple[str, ...] = ("ar", "en"),
    specialties: tuple[str, ...] = (),
    years: int = 5,
    load: int = 0,
    capacity: int = 15,
    branch: str = "b1",
    active: bool = True,
) -> ShopperProfile:
    return ShopperProfile(
        id=sid,
        staff_id=f"staff-{sid}",
        branch_id=branch,
        name_en=sid.title(),
        name_ar="",
        languages=languages,
        specialties=specialties,
        experience_years=years,
        capacity=capacity,
        active=active,
        load=load,
    )


ARABIC_OUD_LOVER = CustomerNeeds(
    customer_id="c1",
    preferred_language="ar",
    home_branch_id="b1",
    declared_families=("oud",),
    learned_families=(("oud", 4), ("amber", 2)),
)


def test_language_mismatch_outranks_a_perfect_specialty() -> None:
    speaks = shopper("speaks", languages=("ar",), specialties=(), years=0, load=14, branch="b2")
    expert = shopper("expert", languages=("en", "fr"), specialties=("oud", "oriental"), years=20, load=0)
    ranked = rank_shoppers(ARABIC_OUD_LOVER, [expert, speaks])
    assert [c.shopper.id for c in ranked] == ["speaks", "expert"]
    assert ranked[0].score > ranked[1].score
    assert ranked[1].score < LANGUAGE_POINTS, "every other criterion together weighs less than the language"
    assert ranked[1].reasons[0].code == "no_language"
    assert "Does not speak ar" in ranked[1].reasons[0].english()


def test_a_full_shopper_never_ranks_first() -> None:
    full = shopper("full", specialties=("oud", "oriental"), years=15, load=15)
    over = shopper("over", specialties=("oud",), years=15, load=17)
    poor = shopper("poor", languages=("ru",), specialties=(), years=0, load=14, branch="b9")
    ranked = rank_shoppers(ARABIC_OUD_LOVER, [full, over, poor])
    assert ranked[0].shopper.id == "poor"
    assert ranked[0].score < ranked[1].score, "a better score does not lift a full shopper above one with room"
    assert {c.shopper.id for c in ranked[1:]} == {"full", "over"}
    assert all(c.full for c in ranked[1:])
    assert any(r.code == "full" and "Full: 15 of 15" in r.english() for r in ranked[1].reasons + ranked[2].reasons)
    assert best_candidate(ranked) is ranked[0]
    assert best_candidate([c for c in ranked if c.full]) is None


def test_specialty_then_workload_then_experience() -> None:
    oud = shopper("oud", specialties=("oud",), load=10)
    western = shopper("western", specialties=("western",), load=0)
    assert rank_shoppers(ARABIC_OUD_LOVER, [western, oud])[0].shopper.id == "oud"
    light = shopper("light", specialties=("oud",), load=2)
    busy = shopper("busy", specialties=("oud",), load=12)
    assert rank_shoppers(ARABIC_OUD_LOVER, [busy, light])[0].shopper.id == "light"
    senior = shopper("senior", specialties=("oud",), years=9)
    junior = shopper("junior", specialties=("oud",), years=1)
    assert rank_shoppers(ARABIC_OUD_LOVER, [junior, senior])[0].shopper.id == "senior"
    # Experience stops counting at ten years: 10 and 30 years score the same; the tie goes to the veteran.
    ten, thirty = shopper("ten", years=10), shopper("thirty", years=30)
    assert score_shopper(ARABIC_OUD_LOVER, ten)[0] == score_shopper(ARABIC_OUD_LOVER, thirty)[0]
    assert rank_shoppers(ARABIC_OUD_LOVER, [ten, thirty])[0].shopper.id == "thirty"


def test_declared_tastes_weigh_double_learned_ones() -> None:
    needs = CustomerNeeds(
        "c2", "en", declared_families=("citrus",), learned_families=(("oud", 10),), declared_brands=()
    )
    weights, tastes = interest_weights(needs)
    assert weights[specialty_of_family("citrus")] == pytest.approx(2 * weights[specialty_of_family("oud")])  # type: ignore[index]
    western = shopper("western", specialties=("western",))
    oud = shopper("oud", specialties=("oud",))
    assert rank_shoppers(needs, [oud, western])[0].shopper.id == "western"
    assert tastes[specialty_of_family("oud")] == ["oud"]  # type: ignore[index]


def test_brands_point_to_the_house_specialty_or_niche() -> None:
    assert specialty_of_brand("Perfume & Oud").value == "oud"
    assert specialty_of_brand("Atelier Frais").value == "western"
    assert specialty_of_brand("Amouage").value == "niche"
    needs = CustomerNeeds("c3", "en", declared_brands=("Amouage", "Creed"))
    ranked = rank_shoppers(needs, [shopper("plain"), shopper("niche", specialties=("niche",))])
    assert ranked[0].shopper.id == "niche"
    reason = next(r for r in ranked[0].reasons if r.code == "specialty")
    assert reason.params == {"specialty": "niche", "tastes": ("Amouage", "Creed")}
    assert reason.english() == "Specialist in niche: the customer likes Amouage, Creed."


def test_no_known_tastes_and_unmatched_tastes_are_explained() -> None:
    blank = CustomerNeeds("c4", "ar")
    _score, reasons = score_shopper(blank, shopper("any", specialties=("oud",)))
    assert [r.code for r in reasons][:2] == ["language", "no_tastes"]
    _score, reasons = score_shopper(ARABIC_OUD_LOVER, shopper("west", specialties=("western",)))
    unmatched = next(r for r in reasons if r.code == "no_specialty")
    assert unmatched.points == 0 and "oud" in unmatched.params["tastes"]  # type: ignore[operator]


def test_inactive_shoppers_are_not_candidates_and_order_is_deterministic() -> None:
    pool = [shopper(f"s{i:02d}", specialties=("oud",) if i % 3 else (), load=i % 5) for i in range(20)]
    pool.append(shopper("gone", specialties=("oud", "oriental"), years=30, active=False))
    first = [c.shopper.id for c in rank_shoppers(ARABIC_OUD_LOVER, pool)]
    assert "gone" not in first
    for seed in range(5):
        shuffled = pool[:]
        random.Random(seed).shuffle(shuffled)
        assert [c.shopper.id for c in rank_shoppers(ARABIC_OUD_LOVER, shuffled)] == first
    assert [c.rank for c in rank_shoppers(ARABIC_OUD_LOVER, pool)] == list(range(1, 21))


def test_home_branch_counts_a_little() -> None:
    here = shopper("here", branch="b1")
    there = shopper("there", branch="b2")
    assert rank_shoppers(ARABIC_OUD_LOVER, [there, here])[0].shopper.id == "here"


languages = st.sampled_from(["ar", "en", "ru", "hi"])
shoppers_strategy = st.lists(
    st.builds(
        shopper,
        sid=st.uuids().map(str),
        languages=st.lists(languages, min_size=1, max_size=3, unique=True).map(tuple),
        specialties=st.lists(st.sampled_from(["oud", "oriental", "western", "niche"]), unique=True).map(tuple),
        years=st.integers(0, 40),
        load=st.integers(0, 20),
        capacity=st.integers(1, 20),
        branch=st.sampled_from(["b1", "b2"]),
    ),
    min_size=1,
    max_size=25,
)
needs_strategy = st.builds(
    CustomerNeeds,
    customer_id=st.just("c"),
    preferred_language=st.sampled_from(["ar", "en"]),
    home_branch_id=st.sampled_from(["b1", "b2"]),
    declared_families=st.lists(st.sampled_from(["oud", "amber", "citrus", "floral", "niche", "x"])).map(tuple),
    declared_brands=st.lists(st.sampled_from(["Perfume & Oud", "Amouage", "Atelier Frais"])).map(tuple),
    learned_families=st.lists(st.tuples(st.sampled_from(["oud", "musk", "woody"]), st.integers(0, 9))).map(tuple),
)


@settings(max_examples=300, deadline=None)
@given(needs=needs_strategy, pool=shoppers_strategy)
def test_ranking_rules_hold_for_any_input(needs: CustomerNeeds, pool: list[ShopperProfile]) -> None:
    ranked = rank_shoppers(needs, pool)
    assert len(ranked) == len(pool)
    if any(not s.full for s in pool):
        assert not ranked[0].full
    seen_full = False
    seen_mismatch = False
    for candidate in ranked:
        speaks = needs.preferred_language in candidate.shopper.languages
        if candidate.full:
            seen_full = True
        else:
            assert not seen_full, "everyone with room comes before anyone full"
            if speaks:
                assert not seen_mismatch, "among shoppers with room, a shared language always ranks higher"
            else:
                seen_mismatch = True
        assert candidate.score == sum(r.points for r in candidate.reasons)
        assert (candidate.score >= LANGUAGE_POINTS) == speaks


def test_two_hundred_shoppers_rank_in_one_order_whatever_order_they_come_in() -> None:
    """Speed is bench_shoppers' to measure; here, a large pool ranks completely and deterministically."""
    rng = random.Random(7)
    pool = [
        shopper(
            f"s{i:03d}",
            languages=tuple(rng.sample(["ar", "en", "hi", "ru"], rng.randint(1, 3))),
            specialties=tuple(rng.sample(["oud", "oriental", "western", "niche"], rng.randint(0, 3))),
            years=rng.randint(0, 25),
            load=rng.randint(0, 16),
        )
        for i in range(200)
    ]
    ranked = rank_shoppers(ARABIC_OUD_LOVER, pool)
    assert len(ranked) == 200 and [c.rank for c in ranked] == list(range(1, 201))
    shuffled = pool[:]
    rng.shuffle(shuffled)
    assert [c.shopper.id for c in rank_shoppers(ARABIC_OUD_LOVER, shuffled)] == [c.shopper.id for c in ranked]
    with_room = [c for c in ranked if not c.full]
    assert ranked[: len(with_room)] == with_room, "everyone with room comes before anyone full"
    assert all(a.score >= b.score for a, b in pairwise(with_room))


# -- the rules of core/shoppers.py ---------------------------------------------------------------------------
def test_birthdays_and_anniversaries_come_round_each_year() -> None:
    assert next_occurrence(3, 1, date(2026, 3, 1)) == date(2026, 3, 1)
    assert next_occurrence(1, 5, date(2026, 12, 20)) == date(2027, 1, 5)
    assert next_occurrence(2, 29, date(2026, 2, 1)) == date(2026, 2, 28), "29 February falls on the 28th"
    assert next_occurrence(2, 29, date(2028, 2, 1)) == date(2028, 2, 29)
    assert upcoming(date(1990, 12, 30), date(2026, 12, 10)) == date(2026, 12, 30)
    assert upcoming(date(1990, 6, 30), date(2026, 12, 10)) is None
    assert upcoming(None, date(2026, 12, 10)) is None


def test_who_is_a_vip() -> None:
    assert is_vip("vip", None)
    assert is_vip("regular", "diamond")
    assert not is_vip("regular", "gold")


def test_shopper_profile_rules() -> None:
    values = validate_shopper(ShopperDraft("s", languages=(" AR", "en", "ar"), specialties=("Oud",)))
    assert values["languages"] == ["ar", "en"] and values["specialties"] == ["oud"] and values["capacity"] == 15
    with pytest.raises(ValidationErrors) as caught:
        validate_shopper(ShopperDraft("s", languages=(), specialties=("perfumes",), experience_years=-1, capacity=0))
    assert {e.field for e in caught.value.errors} == {"languages", "specialties", "experience_years", "capacity"}


def test_visit_rules() -> None:
    now = datetime(2026, 5, 10, 8, 0, tzinfo=UTC)
    today = date(2026, 5, 10)
    ok = VisitDraft("c", now - timedelta(minutes=20), products_tried=("Royal Oud", " Royal Oud ", ""))
    assert validate_visit(ok, now, today)["products_tried"] == ["Royal Oud"]
    assert validate_visit(replace(ok, visited_at=now + timedelta(minutes=3)), now, today)
    bad = replace(
        ok,
        visited_at=now + timedelta(hours=2),
        duration_minutes=0,
        mood="ecstatic",
        next_follow_up=today - timedelta(days=1),
        notes="a\u202eb",
    )
    with pytest.raises(ValidationErrors) as caught:
        validate_visit(bad, now, today)
    fields = {e.field: e.english() for e in caught.value.errors}
    assert fields["visited_at"] == "A visit cannot be dated in the future."
    assert set(fields) == {"visited_at", "duration_minutes", "mood", "next_follow_up", "notes"}


def test_every_fragrance_family_has_a_specialty() -> None:
    """One vocabulary: the families the till records are the ones matching knows, and each has a specialty."""
    assert set(SPECIALTY_OF_FAMILY) == set(Family)
    for family in Family:
        assert specialty_of_family(family.value) == SPECIALTY_OF_FAMILY[family]
        assert specialty_of_family(f" {family.value.upper()} ") == SPECIALTY_OF_FAMILY[family], "as typed"
    assert specialty_of_family("leather") == Specialty.WESTERN


def test_stored_tastes_keep_their_meaning() -> None:
    """Preferences already hold these strings: the families, and a specialty named as a taste."""
    assert specialty_of_family("oud") == Specialty.OUD
    assert specialty_of_family("amber") == Specialty.ORIENTAL
    assert specialty_of_family("citrus") == Specialty.WESTERN
    assert specialty_of_family("niche") == Specialty.NICHE
    assert specialty_of_family("patchouli-ish") is None
