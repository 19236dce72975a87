"""Audiences on a real store: every filter and exclusion against a Python oracle of the same customers, the
count against the pages of members, roles, and days counted in Asia/Dubai at a month end and New Year's Eve."""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.campaigns.audience import AudienceDefinition, Exclusions, LastPurchase, Span
from core.customers.model import Channel, Emirate, Language, Segment
from core.kernel.errors import PermissionDenied, ValidationErrors
from core.kernel.ids import new_id
from core.loyalty.rules import Tier
from core.purchases.products import Family
from core.staff.auth import Actor, Role
from storage.bootstrap import Services, build_services
from storage.db import connect, open_store
from tests.clock import INSTANTS, TestClock
from tests.integration.audience_world import BRANDS, Sale, World, admin, draw, write

NOW = datetime(2026, 12, 3, 7, 30, tzinfo=UTC)
NOTHING_EXCLUDED = Exclusions(opted_out=False, capped=False)
DEFAULT_JSON = AudienceDefinition().to_json()


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[World, Services, Actor]]:
    world = draw(random.Random(1515), NOW, 320)
    path = tmp_path_factory.mktemp("audience") / "store.sqlite"
    write(path, world)
    store = open_store(path)
    services = build_services(store, TestClock(NOW, tick=False))
    yield world, services, admin(store)
    store.close()


def check(world: tuple[World, Services, Actor], d: AudienceDefinition, campaign_id: str | None = None) -> set[str]:
    """The service's count and its members both equal the oracle's; returns the members."""
    w, services, actor = world
    expected = w.members(d, campaign_id)
    assert services.audiences.count(actor, d, campaign_id=campaign_id) == len(expected)
    pages = list(services.audiences.members(actor, d, campaign_id=campaign_id, page_size=37))
    found = [i for page in pages for i in page]
    assert found == sorted(expected)
    assert all(len(page) == 37 for page in pages[:-1])
    return expected


def test_everyone_but_the_erased(world: tuple[World, Services, Actor]) -> None:
    members = check(world, AudienceDefinition(exclude=NOTHING_EXCLUDED))
    people = world[0].people
    assert len(members) == sum(not p.deleted for p in people) < len(people)


@pytest.mark.parametrize(
    "definition",
    [
        AudienceDefinition(segments=("vip", "corporate")),
        AudienceDefinition(tiers=("gold", "platinum")),
        AudienceDefinition(emirates=("dubai",)),
        AudienceDefinition(languages=("en",)),
        AudienceDefinition(channels=("sms", "phone")),
        AudienceDefinition(families=("oud",)),
        AudienceDefinition(families=("amber", "musk"), taste_from="preferences"),
        AudienceDefinition(families=("woody",), taste_from="purchases"),
        AudienceDefinition(brands=("PERFUME & OUD",)),
        AudienceDefinition(brands=("دار العود",), taste_from="purchases"),
        AudienceDefinition(brands=("Maison Arabia",), taste_from="preferences"),
        AudienceDefinition(last_purchase=LastPurchase(to_days=180)),
        AudienceDefinition(last_purchase=LastPurchase(from_days=90)),
        AudienceDefinition(last_purchase=LastPurchase(from_days=30, to_days=120)),
        AudienceDefinition(last_purchase=LastPurchase(from_days=0, to_days=0)),
        AudienceDefinition(last_purchase=LastPurchase(never=True)),
        AudienceDefinition(last_purchase=LastPurchase(from_days=200, never=True)),
        AudienceDefinition(last_purchase=LastPurchase()),
        AudienceDefinition(spend_fils=Span(min=200_000)),
        AudienceDefinition(spend_fils=Span(max=100_000)),
        AudienceDefinition(spend_fils=Span(150_000, 350_000)),
        AudienceDefinition(points=Span(min=1)),
        AudienceDefinition(points=Span(max=0)),
        AudienceDefinition(points=Span(1000, 5000)),
        AudienceDefinition(has_personal_shopper=True),
        AudienceDefinition(has_personal_shopper=False),
        AudienceDefinition(birthday_months=(2,)),
        AudienceDefinition(birthday_months=(1, 3, 12)),
    ],
    ids=lambda d: ",".join(f"{k}={v}" for k, v in d.to_json().items() if v != DEFAULT_JSON[k]),
)
def test_each_filter_matches_the_oracle(world: tuple[World, Services, Actor], definition: AudienceDefinition) -> None:
    for exclude in (NOTHING_EXCLUDED, Exclusions()):
        d = replace(definition, exclude=exclude)
        members = check(world, d)
        if exclude == NOTHING_EXCLUDED:
            # Every filter of this list keeps some customers and leaves some out: none passes vacuously.
            assert 0 < len(members) < sum(not p.deleted for p in world[0].people)


@pytest.mark.parametrize(
    "exclude",
    [
        Exclusions(opted_out=True, capped=False),
        Exclusions(opted_out=True, channel="whatsapp", capped=False),
        Exclusions(opted_out=True, channel="email", capped=False),
        Exclusions(opted_out=False, capped=True),
        Exclusions(opted_out=False, capped=False, messaged_within_days=3),
        Exclusions(opted_out=False, capped=False, messaged_within_days=14),
        Exclusions(opted_out=False, capped=False, other_campaigns_within_days=30),
    ],
)
def test_each_exclusion_matches_the_oracle(world: tuple[World, Services, Actor], exclude: Exclusions) -> None:
    members = check(world, AudienceDefinition(exclude=exclude))
    everyone = world[0].members(AudienceDefinition(exclude=NOTHING_EXCLUDED))
    assert 0 < len(members) < len(everyone)


def test_a_campaigns_own_executions_do_not_exclude_from_it(world: tuple[World, Services, Actor]) -> None:
    w = world[0]
    d = AudienceDefinition(exclude=Exclusions(opted_out=False, capped=False, other_campaigns_within_days=60))
    own, other = w.campaigns
    excluded_by_any = check(world, d)
    excluded_by_others = check(world, d, campaign_id=own)
    assert excluded_by_any < excluded_by_others
    only_own = {p.id for p in w.people if {c for c, _ in p.executions} == {own} and not p.deleted}
    assert only_own and only_own <= excluded_by_others
    assert other != own


CHOICES = {
    "segments": [s.value for s in Segment],
    "tiers": [t.value for t in Tier],
    "emirates": [e.value for e in Emirate],
    "languages": [lang.value for lang in Language],
    "channels": [c.value for c in Channel],
    "families": [f.value for f in Family],
}


def _subset(values: list[str]) -> st.SearchStrategy[tuple[str, ...]]:
    return st.one_of(st.just(()), st.lists(st.sampled_from(values), max_size=3).map(tuple))


_days = st.one_of(st.none(), st.sampled_from([0, 1, 7, 29, 30, 31, 90, 180, 365]))
_amount = st.one_of(st.none(), st.sampled_from([0, 1, 100, 1000, 100_000, 150_000, 200_000, 500_000]))


@st.composite
def definitions(draw: st.DrawFn) -> AudienceDefinition:
    def ordered(a: int | None, b: int | None) -> tuple[int | None, int | None]:
        return (b, a) if a is not None and b is not None and a > b else (a, b)

    low_days, high_days = ordered(draw(_days), draw(_days))
    spend = ordered(draw(_amount), draw(_amount))
    points = ordered(draw(_amount), draw(_amount))
    return AudienceDefinition(
        **{name: draw(_subset(values)) for name, values in CHOICES.items()},
        brands=draw(_subset(BRANDS)),
        taste_from=draw(st.sampled_from(["either", "preferences", "purchases"])),
        last_purchase=draw(st.one_of(st.none(), st.builds(LastPurchase, st.just(low_days), st.just(high_days)))),
        spend_fils=Span(*spend),
        points=Span(*points),
        has_personal_shopper=draw(st.sampled_from([None, True, False])),
        birthday_months=draw(st.lists(st.integers(1, 12), max_size=3).map(tuple)),
        exclude=Exclusions(
            opted_out=draw(st.booleans()),
            channel=draw(st.sampled_from([None, "whatsapp", "sms", "email"])),
            capped=draw(st.booleans()),
            messaged_within_days=draw(_days),
            other_campaigns_within_days=draw(_days),
        ),
    )


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(d=definitions(), never=st.booleans())
def test_any_definition_counts_what_the_oracle_counts(
    world: tuple[World, Services, Actor], d: AudienceDefinition, never: bool
) -> None:
    if d.last_purchase is not None and never:
        d = replace(d, last_purchase=replace(d.last_purchase, never=True))
    w, services, actor = world
    assert services.audiences.count(actor, d) == len(w.members(d))
    assert AudienceDefinition.from_json(d.to_json()) == d.validated()


def test_roles(world: tuple[World, Services, Actor]) -> None:
    _w, services, actor = world
    d = AudienceDefinition()
    manager = Actor(actor.staff_id, actor.branch_id, Role.MANAGER)
    assert services.audiences.count(manager, d) == services.audiences.count(actor, d)
    for role in (Role.CASHIER, Role.PERSONAL_SHOPPER):
        someone = Actor(actor.staff_id, actor.branch_id, role)
        with pytest.raises(PermissionDenied):
            services.audiences.count(someone, d)
        with pytest.raises(PermissionDenied):
            services.audiences.members(someone, d)  # refused at the call, before any page is asked for


def test_an_invalid_definition_is_refused_before_any_sql(world: tuple[World, Services, Actor]) -> None:
    _w, services, actor = world
    with pytest.raises(ValidationErrors) as caught:
        services.audiences.count(actor, AudienceDefinition(tiers=("gold", "titanium"), spend_fils=Span(5, 1)))
    assert {e.field for e in caught.value.errors} == {"tiers", "spend_fils"}


# -- days in Asia/Dubai ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("instant", "cases"),
    [
        # 23:59 on 31 December in Dubai (19:59 UTC): a sale at 00:00 that day was today, one at 23:59 the day
        # before was yesterday, whatever the date in UTC.
        (
            INSTANTS["new_years_eve_dubai"],
            {
                "today_midnight": (datetime(2026, 12, 30, 20, 0, tzinfo=UTC), 0),
                "yesterday_late": (datetime(2026, 12, 30, 19, 59, 59, tzinfo=UTC), 1),
                "a_year_ago_same_day": (datetime(2025, 12, 30, 20, 0, 1, tzinfo=UTC), 365),
            },
        ),
        # One minute later it is 1 January in Dubai (still 31 December in UTC): everything is a day older.
        (
            INSTANTS["new_years_eve_dubai"] + timedelta(minutes=1),
            {
                "today_midnight": (datetime(2026, 12, 30, 20, 0, tzinfo=UTC), 1),
                "just_now": (datetime(2026, 12, 31, 20, 0, tzinfo=UTC), 0),
                "yesterday_late": (datetime(2026, 12, 30, 19, 59, 59, tzinfo=UTC), 2),
            },
        ),
        # 31 January 2027, 16:00 in Dubai: 1 January 00:30 Dubai (31 December 20:30 UTC) was 30 days ago.
        (
            INSTANTS["month_end"],
            {
                "first_of_month": (datetime(2026, 12, 31, 20, 30, tzinfo=UTC), 30),
                "last_of_previous": (datetime(2026, 12, 31, 19, 30, tzinfo=UTC), 31),
                "this_morning": (datetime(2027, 1, 30, 20, 0, tzinfo=UTC), 0),
            },
        ),
    ],
)
def test_last_purchase_days_are_dubai_days(
    tmp_path: Path, instant: datetime, cases: dict[str, tuple[datetime, int]]
) -> None:
    w = draw(random.Random(3), instant, len(cases))
    for person, (_name, (at, _ago)) in zip(w.people, cases.items(), strict=True):
        person.deleted = False
        person.sales = [Sale(new_id(), at, 100_000, "sale", [("oud", "Perfume & Oud")])]
    write(tmp_path / "store.sqlite", w)
    store = open_store(tmp_path / "store.sqlite")
    try:
        services = build_services(store, TestClock(instant, tick=False))
        actor = admin(store)
        by_id = {p.id: ago for p, (_at, ago) in zip(w.people, cases.values(), strict=True)}
        for days in range(0, 40):
            for window in (LastPurchase(to_days=days), LastPurchase(from_days=days)):
                d = AudienceDefinition(last_purchase=window, exclude=NOTHING_EXCLUDED)
                found = set(i for page in services.audiences.members(actor, d) for i in page)
                expected = {
                    i
                    for i, ago in by_id.items()
                    if (window.to_days is None or ago <= window.to_days)
                    and (window.from_days is None or ago >= window.from_days)
                }
                assert found == expected, (days, window)
                assert found == w.members(d)
    finally:
        store.close()


def test_february_birthdays_include_the_29th(tmp_path: Path) -> None:
    instant = INSTANTS["leap_day"]
    birthdays = [date(2000, 2, 29), date(1999, 2, 28), date(2001, 3, 1), date(1990, 1, 31), None]
    w = draw(random.Random(5), instant, len(birthdays))
    for person, birthday in zip(w.people, birthdays, strict=True):
        person.deleted = False
        person.birthday = birthday
    write(tmp_path / "store.sqlite", w)
    store = open_store(tmp_path / "store.sqlite")
    try:
        services = build_services(store, TestClock(instant, tick=False))
        actor = admin(store)
        d = AudienceDefinition(birthday_months=(2,), exclude=NOTHING_EXCLUDED)
        found = {i for page in services.audiences.members(actor, d) for i in page}
        assert found == {w.people[0].id, w.people[1].id}
        march = AudienceDefinition(birthday_months=(3,), exclude=NOTHING_EXCLUDED)
        assert services.audiences.count(actor, march) == 1
    finally:
        store.close()


def test_a_preference_whose_json_does_not_read_counts_as_empty(tmp_path: Path) -> None:
    w = draw(random.Random(11), NOW, 3)
    for person in w.people:
        person.deleted, person.sales, person.preferences = False, [], [(["oud"], ["Maison Arabia"], False)]
    path = tmp_path / "store.sqlite"
    write(path, w)
    # A row as a buggy or hostile writer could leave it (pulled from elsewhere): not JSON at all.
    with connect(path) as conn:
        conn.execute(
            "INSERT INTO customer_preferences (id, branch_id, created_at, updated_at, field_hlc, deleted, customer_id, "
            "source, families, brands, sizes_ml, favourite_notes, occasions, dislikes) SELECT ?, branch_id, "
            "created_at, updated_at, '{}', 0, id, 'declared', '[\"oud\"', 'oud]', '[]', '[]', '[]', '[]' "
            "FROM customers WHERE id = ?",
            (new_id(), w.people[0].id),
        )
    store = open_store(path)
    try:
        services = build_services(store, TestClock(NOW, tick=False))
        actor = admin(store)
        families = AudienceDefinition(families=("oud",), taste_from="preferences", exclude=NOTHING_EXCLUDED)
        assert services.audiences.count(actor, families) == 3
        brands = AudienceDefinition(brands=("oud]",), taste_from="preferences", exclude=NOTHING_EXCLUDED)
        assert services.audiences.count(actor, brands) == 0
    finally:
        store.close()
