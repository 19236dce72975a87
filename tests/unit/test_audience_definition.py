"""Audience definitions: what validation refuses (and says), the JSON form and its round trip, and the instants
a window of local days stands for."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.campaigns.audience import MAX_VALUES, AudienceDefinition, Exclusions, LastPurchase, Span
from core.campaigns.audience_query import days_ago, purchase_window, resolve
from core.kernel.errors import ValidationError, ValidationErrors
from core.messaging.rules import RulesConfig
from tests.clock import INSTANTS

TOO_MANY = "Choose at most 100 values in one filter."
WISHLIST = "“wishlist” is not one of the choices of this filter."


def refused(definition: AudienceDefinition) -> dict[str, str]:
    with pytest.raises(ValidationErrors) as caught:
        definition.validated()
    return {str(e.field): e.english() for e in caught.value.errors}


def test_a_definition_is_normalised_sorted_without_repeats() -> None:
    d = AudienceDefinition(
        tiers=("platinum", "gold", "gold"), brands=(" Perfume & Oud ", "perfume & oud"), birthday_months=(3, 2, 3)
    ).validated()
    assert d.tiers == ("gold", "platinum")
    assert d.brands == ("perfume & oud",)
    assert d.birthday_months == (2, 3)
    assert d.validated() == d


def test_min_above_max_and_unknown_choices_are_refused_with_their_fields() -> None:
    errors = refused(
        AudienceDefinition(
            tiers=("gold", "titanium"),
            emirates=("dubai", "Dubai"),
            spend_fils=Span(200_000, 100_000),
            points=Span(10, 5),
            last_purchase=LastPurchase(from_days=90, to_days=30),
        )
    )
    assert errors == {
        "tiers": "“titanium” is not one of the choices of this filter.",
        "emirates": "“Dubai” is not one of the choices of this filter.",
        "spend_fils": "The lowest value is higher than the highest.",
        "points": "The lowest value is higher than the highest.",
        "last_purchase": "The fewest days ago are more than the most days ago.",
    }


@pytest.mark.parametrize(
    ("definition", "field", "message"),
    [
        (AudienceDefinition(segments=("vip",) * (MAX_VALUES + 1)), "segments", TOO_MANY),
        (AudienceDefinition(birthday_months=(0,)), "birthday_months", "A birthday month is a number from 1 to 12."),
        (AudienceDefinition(birthday_months=(13,)), "birthday_months", "A birthday month is a number from 1 to 12."),
        (AudienceDefinition(brands=("  ",)), "brands", "A brand is from 1 to 60 characters long."),
        (AudienceDefinition(brands=("x" * 61,)), "brands", "A brand is from 1 to 60 characters long."),
        (AudienceDefinition(brands=("Oud\u202e",)), "brands", "A brand is from 1 to 60 characters long."),
        (AudienceDefinition(spend_fils=Span(min=-1)), "spend_fils", "Enter zero or more."),
        (AudienceDefinition(points=Span(max=10**13)), "points", "The number is too large."),
        (AudienceDefinition(last_purchase=LastPurchase(to_days=-1)), "last_purchase", "Enter zero or more."),
        (AudienceDefinition(taste_from="wishlist"), "taste_from", WISHLIST),
        (
            AudienceDefinition(exclude=Exclusions(channel="phone")),
            "exclude.channel",
            "Choose a channel that carries messages: WhatsApp, SMS or email.",
        ),
        (
            AudienceDefinition(exclude=Exclusions(messaged_within_days=-3)),
            "exclude.messaged_within_days",
            "Enter zero or more.",
        ),
    ],
)
def test_bad_values_are_refused(definition: AudienceDefinition, field: str, message: str) -> None:
    assert refused(definition) == {field: message}


def test_the_json_form_reads_back_and_is_plain_json() -> None:
    d = AudienceDefinition(
        segments=("vip",),
        tiers=("gold", "platinum"),
        emirates=("dubai",),
        families=("oud",),
        brands=("perfume & oud",),
        taste_from="purchases",
        last_purchase=LastPurchase(from_days=30, to_days=180, never=True),
        spend_fils=Span(min=200_000),
        points=Span(100, 5000),
        has_personal_shopper=False,
        birthday_months=(2,),
        exclude=Exclusions(channel="sms", capped=False, messaged_within_days=14, other_campaigns_within_days=30),
    )
    text = json.dumps(d.to_json(), ensure_ascii=False)
    assert AudienceDefinition.from_json(json.loads(text)) == d
    assert AudienceDefinition.from_json({}) == AudienceDefinition()


@pytest.mark.parametrize(
    ("value", "field"),
    [
        ([], "audience"),
        ({"tiers": ["gold"], "tier": ["gold"]}, "audience"),  # a filter this version does not know
        ({"version": 2}, "audience"),
        ({"tiers": "gold"}, "tiers"),
        ({"spend_fils": {"min": "2000"}}, "spend_fils"),
        ({"spend_fils": {"min": 1.5}}, "spend_fils"),
        ({"has_personal_shopper": 1}, "has_personal_shopper"),
        ({"birthday_months": [True]}, "birthday_months"),
        ({"last_purchase": {"days": 3}}, "last_purchase"),
        ({"exclude": {"opted_out": "no"}}, "exclude.opted_out"),
        ({"exclude": {"channel": 3}}, "exclude.channel"),
        ({"segments": ["vip"] * (MAX_VALUES + 1)}, "segments"),
    ],
)
def test_json_that_does_not_read_is_refused_never_half_read(value: object, field: str) -> None:
    with pytest.raises(ValidationError) as caught:
        AudienceDefinition.from_json(value)
    assert caught.value.field == field


def test_json_with_invalid_values_is_refused_like_a_form() -> None:
    with pytest.raises(ValidationErrors) as caught:
        AudienceDefinition.from_json({"tiers": ["gold", "titanium"], "points": {"min": 5, "max": 1}})
    assert {e.field for e in caught.value.errors} == {"tiers", "points"}


_opt_int = st.one_of(st.none(), st.integers(0, 10**12))
_opt_days = st.one_of(st.none(), st.integers(0, 36_500))


@given(
    st.builds(
        AudienceDefinition,
        segments=st.lists(st.sampled_from(["vip", "regular", "export"]), max_size=3).map(tuple),
        tiers=st.lists(st.sampled_from(["gold", "platinum", "diamond"]), max_size=3).map(tuple),
        brands=st.lists(st.text(st.characters(categories=["L", "N"]), min_size=1, max_size=20), max_size=3).map(tuple),
        last_purchase=st.one_of(st.none(), st.builds(LastPurchase, st.none(), _opt_days, st.booleans())),
        spend_fils=st.builds(Span, st.none(), _opt_int),
        points=st.builds(Span, _opt_int, st.none()),
        has_personal_shopper=st.sampled_from([None, True, False]),
        birthday_months=st.lists(st.integers(1, 12), max_size=4).map(tuple),
        exclude=st.builds(
            Exclusions,
            st.booleans(),
            st.sampled_from([None, "whatsapp", "sms", "email"]),
            st.booleans(),
            _opt_days,
            _opt_days,
        ),
    )
)
def test_any_valid_definition_survives_a_json_round_trip(d: AudienceDefinition) -> None:
    checked = d.validated()
    assert AudienceDefinition.from_json(json.loads(json.dumps(checked.to_json()))) == checked


# -- days in Asia/Dubai --------------------------------------------------------------------------------------------


def test_a_window_of_days_is_local_midnights_in_utc() -> None:
    now = INSTANTS["new_years_eve_dubai"]  # 23:59 on 31 December 2026 in Dubai
    window = purchase_window(LastPurchase(from_days=1, to_days=30), now)
    assert window is not None
    assert window.start == datetime(2026, 11, 30, 20, 0, tzinfo=UTC)  # 1 December 00:00 in Dubai
    assert window.end == datetime(2026, 12, 30, 20, 0, tzinfo=UTC)  # 31 December 00:00: today is not in it
    later = purchase_window(LastPurchase(to_days=0), now + timedelta(minutes=1))  # 1 January in Dubai
    assert later is not None and later.start == datetime(2026, 12, 31, 20, 0, tzinfo=UTC) and later.end is None
    assert purchase_window(LastPurchase(never=True), now) is None


def test_days_ago_counts_dubai_dates() -> None:
    now = INSTANTS["new_years_eve_dubai"]
    assert days_ago(datetime(2026, 12, 30, 20, 0, tzinfo=UTC), now) == 0
    assert days_ago(datetime(2026, 12, 30, 19, 59, 59, tzinfo=UTC), now) == 1
    assert days_ago(datetime(2026, 12, 30, 20, 0, tzinfo=UTC), now + timedelta(minutes=1)) == 1


def test_resolve_takes_the_cap_from_the_messaging_rules() -> None:
    now = INSTANTS["month_end"]
    rules = RulesConfig(cap=5, cap_days=30)
    q = resolve(AudienceDefinition(exclude=Exclusions(messaged_within_days=2)), now, rules=rules)
    assert (q.cap, q.cap_since, q.messaged_since) == (5, now - timedelta(days=30), now - timedelta(days=2))
    assert q.consent_channels == ("whatsapp", "sms", "email")
    sms = resolve(AudienceDefinition(exclude=Exclusions(channel="sms")), now)
    assert sms.consent_channels == ("sms",) and sms.executions_since is None
