"""What a comment is about (core.feedback.themes) and the dashboard's arithmetic (core.feedback.dashboard)."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from core.feedback.dashboard import (
    DashboardFilter,
    FactCell,
    build,
    days_between,
    figure,
    last_days,
    last_months,
    months_of,
)
from core.feedback.nps import NpsCounts
from core.feedback.themes import THEMES, bit, theme_mask, themes_of
from core.kernel.clock import DUBAI


@pytest.mark.parametrize(
    ("comment", "themes"),
    [
        ("The scent fades after an hour", ["scent"]),
        ("Way OVERPRICED for 50ml", ["price"]),
        ("والريحة ما تثبت", ["scent"]),  # behind و and ال, ة folded to ه
        ("الرائحه ثابته", ["scent"]),
        ("الموظف كان وايد محترم", ["staff"]),
        ("انتظرت نص ساعة عند الكاشير", ["staff", "waiting"]),
        ("The box arrived broken and the bottle was leaking", ["packaging", "delivery"]),
        ("التوصيل تأخر", ["waiting", "delivery"]),
        ("Out of stock again", ["stock"]),
        ("دهن العود أصلي", ["oud"]),
        ("بالسعر غالي شوي", ["price"]),
        ("Great!", []),
        ("", []),
    ],
)
def test_themes_in_english_and_gulf_arabic(comment: str, themes: list[str]) -> None:
    assert themes_of(comment) == themes


def test_a_word_inside_another_is_not_a_theme() -> None:
    assert themes_of("Lovely") == [] and themes_of("misprice") == []  # no "price" inside a word
    assert theme_mask(None) == 0


def test_bits_are_positions_in_the_lexicon() -> None:
    assert [bit(t.key) for t in THEMES] == [1 << i for i in range(len(THEMES))]
    assert theme_mask("cheap oud") == bit("price") | bit("oud")


def test_a_score_from_seven_answers_looks_like_one() -> None:
    few = figure(NpsCounts("", 7, 0, 0))
    assert few.score == 100 and few.interval is not None
    assert few.interval.high == 100 and few.interval.low < 40  # not the zero-wide interval Wald gives
    many = figure(NpsCounts("", 30, 0, 0))
    assert many.interval is not None and many.interval.low == 100
    mixed = figure(NpsCounts("", 3, 2, 2))
    assert mixed.interval is not None and mixed.interval.low < mixed.score < mixed.interval.high  # type: ignore[operator]
    assert figure(NpsCounts("", 0, 0, 0)).score is None


def test_periods_on_a_leap_day_and_a_month_end() -> None:
    since, until = last_months(date(2028, 2, 29), 12)
    assert since == datetime(2027, 3, 1, tzinfo=DUBAI) and until == datetime(2028, 3, 1, tzinfo=DUBAI)
    assert months_of(since, until)[0] == "2027-03" and months_of(since, until)[-1] == "2028-02"
    assert len(months_of(since, until)) == 12
    since, until = last_days(date(2027, 1, 31), 30)
    assert since == datetime(2027, 1, 2, tzinfo=DUBAI) and months_of(since, until) == ["2027-01"]
    since, until = last_days(date(2028, 3, 1), 2)
    assert since == datetime(2028, 2, 29, tzinfo=DUBAI) and months_of(since, until) == ["2028-02", "2028-03"]
    assert days_between(date(2027, 1, 31), date(2027, 1, 1)) == (
        datetime(2027, 1, 1, tzinfo=DUBAI),
        datetime(2027, 2, 1, tzinfo=DUBAI),
    )


def test_the_cells_add_up_to_every_figure() -> None:
    since, until = last_months(date(2027, 1, 31), 2)
    cells = [
        FactCell("2026-12", "b1", "s1", "positive", "promoter", bit("scent") | bit("staff"), 5),
        FactCell("2027-01", "b1", "", "negative", "detractor", bit("price"), 2),
        FactCell("2027-01", "b2", "s1", "", "passive", 0, 3),
        FactCell("2027-01", "b2", "", "neutral", "", bit("price"), 1),  # a comment without a score
    ]
    found = build(DashboardFilter(since, until), cells)
    assert found.answers == 11
    assert (found.overall.counts.promoters, found.overall.counts.passives, found.overall.counts.detractors) == (5, 3, 2)
    assert [(f.counts.group, f.counts.answers) for f in found.trend] == [("2026-12", 5), ("2027-01", 5)]
    assert [(f.counts.group, f.counts.answers) for f in found.by_branch] == [("b1", 7), ("b2", 3)]
    assert [(f.counts.group, f.counts.answers) for f in found.by_shopper] == [("s1", 8), ("", 2)]
    assert (found.sentiment.positive, found.sentiment.neutral, found.sentiment.negative) == (5, 1, 2)
    assert found.sentiment.share("positive") == pytest.approx(62.5)
    price = next(t for t in found.themes if t.key == "price")
    assert (price.positive, price.neutral, price.negative) == (0, 1, 2)
    assert found.themes[0].key in ("scent", "staff") and found.themes[0].total == 5
