"""Loyalty and purchase rules without a store: tiers, earning, lots and expiry, tenders, returns, preferences."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.customers.preferences import DeclaredDraft, learn, validate_declared
from core.kernel.errors import ValidationError, ValidationErrors
from core.loyalty.ports import PurchasedLine
from core.loyalty.rules import (
    TIER_ORDER,
    AccountTotals,
    DowngradePolicy,
    EventKind,
    PointsEvent,
    ProgramRules,
    Qualifying,
    Tier,
    add_months,
    due_expiries,
    earn_points,
    expiring_of,
    expiring_within,
    lots,
    progress,
    qualifying,
    tier_for,
    tier_rank,
    tiers_crossed,
    totals_of,
)
from core.purchases.model import (
    LineDraft,
    Pool,
    Tender,
    TenderDraft,
    deduct,
    earning_base_fils,
    price_line,
    price_lines,
    returned_line,
    settle,
    split_refund,
)
from core.purchases.model import (
    totals_of as sale_totals,
)
from core.purchases.products import CATALOG, by_sku, find_products

RULES = ProgramRules()
NOW = datetime(2026, 6, 15, 10, 0, tzinfo=UTC)
TODAY = date(2026, 6, 15)


def ev(kind: EventKind, points: int, days_ago: int = 0, expires: date | None = None) -> PointsEvent:
    return PointsEvent(kind.value, points, NOW - timedelta(days=days_ago), expires)


# -- tiers ---------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("points", "tier"),
    [
        (0, Tier.BRONZE),
        (999, Tier.BRONZE),
        (1_000, Tier.SILVER),
        (4_999, Tier.SILVER),
        (5_000, Tier.GOLD),
        (14_999, Tier.GOLD),
        (15_000, Tier.PLATINUM),
        (49_999, Tier.PLATINUM),
        (50_000, Tier.DIAMOND),
        (10**9, Tier.DIAMOND),
    ],
)
def test_tier_thresholds_are_the_programs(points: int, tier: Tier) -> None:
    assert tier_for(points, RULES) == tier


@given(st.integers(-10_000, 200_000), st.integers(-10_000, 200_000))
def test_tier_is_monotonic_in_points_earned(a: int, b: int) -> None:
    low, high = sorted((a, b))
    assert tier_rank(tier_for(low, RULES)) <= tier_rank(tier_for(high, RULES))


@given(st.lists(st.integers(1, 100_000), min_size=4, max_size=4, unique=True), st.integers(0, 300_000))
def test_tier_is_monotonic_under_any_valid_thresholds(limits: list[int], points: int) -> None:
    silver, gold, platinum, diamond = sorted(limits)
    rules = ProgramRules.from_dict(
        {"tier_thresholds": {"silver": silver, "gold": gold, "platinum": platinum, "diamond": diamond}}
    )
    assert tier_rank(tier_for(points, rules)) <= tier_rank(tier_for(points + 1, rules))


def test_redeeming_never_demotes_only_earning_counts() -> None:
    events = [ev(EventKind.EARN, 6_000, 10), ev(EventKind.REDEEM, -5_500, 5), ev(EventKind.BONUS, 250, 10)]
    assert tier_for(qualifying(events, TODAY, RULES).points, RULES) == Tier.GOLD
    events.append(ev(EventKind.REVERSE, -1_500, 1))  # goods returned: those points no longer qualify
    assert tier_for(qualifying(events, TODAY, RULES).points, RULES) == Tier.SILVER


def test_annual_review_keeps_last_years_tier_until_the_next_review() -> None:
    rules = ProgramRules(downgrade_policy=DowngradePolicy.ANNUAL_REVIEW, review_month=1)
    events = [ev(EventKind.EARN, 6_000, (TODAY - date(2025, 9, 1)).days)]  # earned last review year
    q = qualifying(events, TODAY, rules)
    assert q == Qualifying(current=0, retained=6_000) and tier_for(q.points, rules) == Tier.GOLD
    step = progress(q, rules)
    assert step.tier == Tier.GOLD and step.points_to_next == 15_000  # this year's points count towards Platinum
    next_year = date(2027, 2, 1)
    assert tier_for(qualifying(events, next_year, rules).points, rules) == Tier.BRONZE  # re-qualify or drop
    assert tier_for(qualifying(events, TODAY, ProgramRules()).points, ProgramRules()) == Tier.GOLD  # policy none


def test_tiers_crossed_and_progress() -> None:
    assert tiers_crossed(Tier.BRONZE, Tier.GOLD) == [Tier.SILVER, Tier.GOLD]
    assert tiers_crossed(Tier.GOLD, Tier.SILVER) == []
    step = progress(Qualifying(3_000), RULES)
    assert (step.tier, step.next_tier, step.points_to_next) == (Tier.SILVER, Tier.GOLD, 2_000)
    assert step.fraction == pytest.approx(0.5)
    top = progress(Qualifying(80_000), RULES)
    assert top.next_tier is None and top.points_to_next == 0 and top.fraction == 1.0


# -- earning -------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("net", "segment", "tier", "points"),
    [
        (10_000, "regular", Tier.BRONZE, 100),  # AED 100 at 1 point per AED
        (10_000, "vip", Tier.BRONZE, 150),  # VIP multiplier 150 %
        (10_000, "wholesale", Tier.BRONZE, 50),
        (10_000, "regular", Tier.SILVER, 105),  # tier bonus 5 %
        (10_000, "regular", Tier.GOLD, 110),
        (10_000, "regular", Tier.PLATINUM, 115),
        (10_000, "vip", Tier.DIAMOND, 180),  # 100 × 1.5 × 1.2
        (999, "regular", Tier.BRONZE, 9),  # rounded down
        (0, "regular", Tier.GOLD, 0),
        (-500, "regular", Tier.GOLD, 0),
    ],
)
def test_points_earned(net: int, segment: str, tier: Tier, points: int) -> None:
    assert earn_points(net, segment, tier, RULES) == points


def test_base_rate_is_configurable() -> None:
    rules = ProgramRules(points_per_aed=Decimal("2.5"))
    assert earn_points(10_000, "regular", Tier.BRONZE, rules) == 250


def test_points_are_not_earned_on_the_part_paid_with_points() -> None:
    totals = sale_totals(price_lines([LineDraft("A", "A", quantity=1, unit_price_fils=10_000)]))
    assert totals.total_fils == 10_500
    assert earning_base_fils(totals, 0) == 10_000
    assert earning_base_fils(totals, 5_250) == 5_000


# -- program rules as head office sends them ------------------------------------------------------------------------


def test_rules_round_trip_and_missing_keys_take_defaults() -> None:
    rules = ProgramRules(
        points_per_aed=Decimal("1.5"), expiry_months=18, downgrade_policy=DowngradePolicy.ANNUAL_REVIEW
    )
    assert ProgramRules.from_json(rules.to_json()) == rules
    partial = ProgramRules.from_json('{"expiry_warning_days": 10, "segment_multiplier_percent": {"vip": 200}}')
    assert partial.expiry_warning_days == 10 and partial.expiry_months == 12
    assert partial.segment_multiplier_percent["vip"] == 200 and partial.segment_multiplier_percent["regular"] == 100
    assert ProgramRules.from_json(None) == ProgramRules() == ProgramRules.from_json('{"unknown": 1}')


@pytest.mark.parametrize(
    "text",
    [
        '{"tier_thresholds": {"gold": 500}}',  # below silver
        '{"points_per_aed": -1}',
        '{"expiry_months": 0}',
        '{"point_value_fils": 0}',
        '{"downgrade_policy": "sometimes"}',
        '{"review_month": 13}',
        "not json",
        "[1, 2]",
    ],
)
def test_invalid_rules_are_refused_in_plain_words(text: str) -> None:
    with pytest.raises(ValidationError) as caught:
        ProgramRules.from_json(text)
    assert "Ask head office" in caught.value.message


# -- lots and expiry -------------------------------------------------------------------------------------------------


def test_decreases_consume_the_oldest_lots_first() -> None:
    jan, feb = date(2026, 1, 31), date(2026, 2, 28)
    events = [ev(EventKind.EARN, 100, 300, jan), ev(EventKind.EARN, 50, 280, feb), ev(EventKind.REDEEM, -120, 200)]
    assert [(lot.expires_on, lot.remaining) for lot in lots(events)] == [(jan, 0), (feb, 30)]
    assert due_expiries(events, date(2026, 2, 1)) == []
    assert due_expiries(events, feb) == [(feb, 30)]
    assert expiring_within(events, date(2026, 2, 1), 30) == [(feb, 30)]
    events.append(ev(EventKind.EXPIRE, -30, 0, feb))
    assert due_expiries(events, feb) == [] and sum(e.points for e in events) == 0


events_strategy = st.lists(
    st.tuples(
        st.sampled_from([EventKind.EARN, EventKind.BONUS, EventKind.RESTORE, EventKind.REDEEM, EventKind.REVERSE]),
        st.integers(1, 500),
        st.integers(0, 800),  # days ago
    ),
    max_size=40,
)


def build(spec: list[tuple[EventKind, int, int]]) -> list[PointsEvent]:
    """A history the way the services write it: increases expire 12 months after their day, decreases never
    exceed what is held."""
    out: list[PointsEvent] = []
    held = 0
    for kind, points, days_ago in sorted(spec, key=lambda s: -s[2]):
        at = NOW - timedelta(days=days_ago)
        if kind in (EventKind.REDEEM, EventKind.REVERSE):
            take = min(points, held)
            if take:
                out.append(PointsEvent(kind.value, -take, at))
                held -= take
        else:
            out.append(PointsEvent(kind.value, points, at, add_months(at.date(), 12)))
            held += points
    return out


@given(events_strategy)
def test_balance_is_the_sum_of_events_and_lots_hold_exactly_the_balance(spec: list[tuple[EventKind, int, int]]) -> None:
    events = build(spec)
    assert totals_of(events, TODAY, RULES).balance == sum(e.points for e in events)
    assert sum(lot.remaining for lot in lots(events)) == max(0, sum(e.points for e in events))


@given(events_strategy, st.integers(0, 400))
def test_expiry_consumes_oldest_first(spec: list[tuple[EventKind, int, int]], later: int) -> None:
    events = build(spec)
    today = TODAY + timedelta(days=later)
    for expires_on, points in due_expiries(events, today):
        events.append(PointsEvent(EventKind.EXPIRE.value, -points, NOW, expires_on))
    remaining = lots(events)
    # Consumed lots are a prefix in expiry order: no lot has anything left while an older one was touched.
    ordered = sorted(remaining, key=lambda lot: lot.expires_on or date.max)
    touched = [lot.remaining < lot.points for lot in ordered]
    assert touched == sorted(touched, reverse=True)
    assert all(lot.expires_on is None or lot.expires_on > today for lot in remaining if lot.remaining)
    assert due_expiries(events, today) == []
    assert sum(e.points for e in events) >= 0


@given(events_strategy, st.integers(0, 400), st.integers(0, 60))
def test_sql_style_totals_give_the_same_expiring_soon_as_the_lots(
    spec: list[tuple[EventKind, int, int]], later: int, days: int
) -> None:
    events = build(spec)
    today = TODAY + timedelta(days=later)
    rules = ProgramRules(expiry_warning_days=days)
    totals = totals_of(events, today, rules)
    horizon = today + timedelta(days=days)
    window: dict[date, int] = {}
    for e in events:
        if e.points > 0 and e.expires_on and today < e.expires_on <= horizon:
            window[e.expires_on] = window.get(e.expires_on, 0) + e.points
    assert expiring_of(totals, window.items()) == expiring_within(events, today, days)


@given(events_strategy, st.sampled_from(list(EventKind)), st.integers(-300, 300))
def test_totals_after_a_new_event_match_the_recomputed_totals(
    spec: list[tuple[EventKind, int, int]], kind: EventKind, points: int
) -> None:
    events = build(spec)
    before = totals_of(events, TODAY, RULES)
    added = PointsEvent(kind.value, points, NOW, add_months(TODAY, 12) if points > 0 else None)
    assert before.after(kind.value, points) == totals_of([*events, added], TODAY, RULES)


# -- lines, tenders and returns --------------------------------------------------------------------------------------


def test_a_line_carries_five_percent_vat_rounded_half_up() -> None:
    line = price_line(LineDraft("oud-roy-50", "Royal Oud", "P&O", "OUD", 50, 3, 8_990))
    assert (line.sku, line.family, line.net_fils, line.vat_fils, line.gross_fils) == (
        "OUD-ROY-50",
        "oud",
        26_970,
        1_349,
        28_319,
    )


@pytest.mark.parametrize(
    ("draft", "field"),
    [
        (LineDraft("A", "A", quantity=-1, unit_price_fils=100), "lines.0.quantity"),
        (LineDraft("A", "A", quantity=0, unit_price_fils=100), "lines.0.quantity"),
        (LineDraft("A", "A", quantity=1, unit_price_fils=-100), "lines.0.unit_price"),
        (LineDraft("A", "A", family="citrusy", unit_price_fils=100), "lines.0.family"),
        (LineDraft("", "", unit_price_fils=100), "lines.0.name"),
        (LineDraft("A", "A", size_ml=0, unit_price_fils=100), "lines.0.size_ml"),
        (LineDraft("A", "A\u202eevil", unit_price_fils=100), "lines.0.name"),
    ],
)
def test_bad_lines_are_refused_by_field(draft: LineDraft, field: str) -> None:
    with pytest.raises(ValidationErrors) as caught:
        price_lines([draft])
    assert field in {e.field for e in caught.value.errors}


def test_an_empty_sale_is_refused() -> None:
    with pytest.raises(ValidationErrors):
        price_lines([])


def test_tenders_must_pay_the_total_and_only_cash_gives_change() -> None:
    paid = settle(10_500, TenderDraft(cash_fils=5_000, card_fils=5_000, points=100), RULES)
    assert (paid.cash_fils, paid.points_fils, paid.change_fils) == (5_000, 500, 0)
    change = settle(10_500, TenderDraft(cash_fils=20_000), RULES)
    assert (change.cash_fils, change.change_fils) == (10_500, 9_500)
    with pytest.raises(ValidationError, match="still to pay"):
        settle(10_500, TenderDraft(card_fils=10_000), RULES)
    with pytest.raises(ValidationError, match="Only cash"):
        settle(10_500, TenderDraft(card_fils=11_000), RULES)
    with pytest.raises(ValidationError, match="negative"):
        settle(10_500, TenderDraft(cash_fils=-1, card_fils=10_501), RULES)
    with pytest.raises(ValidationError, match="gift card"):
        settle(10_500, TenderDraft(gift_card_fils=10_500), RULES)


@given(st.integers(1, 20), st.integers(0, 50_000), st.lists(st.integers(1, 5), min_size=1, max_size=8))
def test_returning_a_line_in_parts_gives_back_exactly_its_vat(quantity: int, price: int, parts: list[int]) -> None:
    line = price_line(LineDraft("A", "A", quantity=quantity, unit_price_fils=price))
    pool = Pool("k", "A", "A", "", "", None, price, quantity, line.vat_fils, 0)
    vat = net = 0
    for part in parts:
        take = min(part, pool.quantity - pool.returned)
        if not take:
            break
        back = returned_line(pool, take)
        vat, net = vat - back.vat_fils, net - back.net_fils
        pool = Pool("k", "A", "A", "", "", None, price, quantity, line.vat_fils, pool.returned + take)
    if pool.returned == quantity:
        assert (net, vat) == (line.net_fils, line.vat_fils)
    assert 0 <= vat <= line.vat_fils


tender_amounts = st.fixed_dictionaries(
    {t: st.integers(0, 50_000) for t in (Tender.CASH, Tender.CARD, Tender.GIFT_CARD)}
    | {Tender.POINTS: st.integers(0, 2_000).map(lambda p: p * 5)}
)


@given(tender_amounts, st.lists(st.integers(1, 30_000), min_size=1, max_size=6))
def test_refunds_never_exceed_a_tender_and_the_last_return_settles_everything(
    paid: dict[Tender, int], returns: list[int]
) -> None:
    total = sum(paid.values())
    remaining = dict(paid)
    given_back = 0
    for amount in returns:
        left_goods = total - given_back
        if left_goods <= 0:
            break
        amount = min(amount, left_goods)
        given_back += amount
        refund = split_refund(amount, remaining, 5, final=given_back >= total)
        assert all(0 <= refund[t] <= remaining[t] for t in Tender)
        assert refund[Tender.POINTS] % 5 == 0
        if given_back < total:
            assert amount - 5 < sum(refund.values()) <= amount
        remaining = {t: remaining[t] - refund[t] for t in Tender}
    if given_back >= total:
        assert all(v == 0 for v in remaining.values())


def test_deducting_spent_points_from_a_refund_takes_cash_first() -> None:
    refunds = {Tender.CASH: 300, Tender.CARD: 1_000, Tender.GIFT_CARD: 0, Tender.POINTS: 500}
    out, unpaid = deduct(refunds, 800)
    assert out == {Tender.CASH: 0, Tender.CARD: 500, Tender.GIFT_CARD: 0, Tender.POINTS: 500} and unpaid == 0
    assert deduct(refunds, 5_000)[1] == 3_700


# -- preferences and products ---------------------------------------------------------------------------------------


def test_learned_preferences_favour_recent_purchases_and_returns_subtract() -> None:
    old = NOW - timedelta(days=720)
    lines = [
        PurchasedLine(old, "ROS", "Taif Rose", "P&O", "floral", 50, 3, 38_000),
        PurchasedLine(NOW, "OUD", "Royal Oud", "P&O", "oud", 50, 1, 89_000),
        PurchasedLine(NOW, "MSK", "White Musk", "Maison", "musk", 30, 2, 18_500),
        PurchasedLine(NOW, "MSK", "White Musk", "Maison", "musk", 30, -2, 18_500),  # returned
    ]
    learned = learn(lines, NOW)
    assert [f for f, _ in learned.families] == ["oud", "floral"]
    assert learned.last_purchase_at == NOW and learned.sizes_ml[0] == 50
    # The band is what most items cost (25th to 75th percentile of items kept): three roses, one oud.
    assert (learned.price_band_min_fils, learned.price_band_max_fils) == (38_000, 38_000)
    assert learned.items_bought == 4


def test_declared_preferences_are_validated() -> None:
    values = validate_declared(
        DeclaredDraft(favourite_notes=("oud, rose", "Rose", "عنبر"), families=("oud",), intensity="strong")
    )
    assert values["favourite_notes"] == ["oud", "rose", "عنبر"] and values["intensity"] == "strong"
    for draft in (
        DeclaredDraft(families=("citrusy",)),
        DeclaredDraft(intensity="loud"),
        DeclaredDraft(occasions=("party",)),
        DeclaredDraft(budget_min_fils=50_000, budget_max_fils=10_000),
        DeclaredDraft(budget_min_fils=-1),
        DeclaredDraft(favourite_notes=("rose",), dislikes=("Rose",)),
    ):
        with pytest.raises(ValidationErrors):
            validate_declared(draft)


def test_product_catalog_lookup() -> None:
    assert by_sku("oud-roy-50") == CATALOG[0]
    assert [p.sku for p in find_products("مسك")] == ["MSK-WHT-30"]
    assert {p.sku for p in find_products("maison woody")} == {"WOD-SAN-50"}
    assert len(find_products("")) == min(20, len(CATALOG))


@settings(max_examples=50)
@given(st.integers(1, 10_000))
def test_tiers_listed_in_order(points: int) -> None:
    assert list(TIER_ORDER) == sorted(TIER_ORDER, key=tier_rank)
    assert tier_for(points, RULES) in TIER_ORDER


def test_account_totals_default_is_empty() -> None:
    assert AccountTotals().balance == 0 and expiring_of(AccountTotals(), []) == []
