"""NPS and its interval, against figures worked out by hand."""

from __future__ import annotations

import pytest

from core.feedback.nps import NpsCounts, counts_of, nps, nps_class


def test_classes_at_their_edges() -> None:
    assert [nps_class(s) for s in (0, 6, 7, 8, 9, 10)] == [
        "detractor",
        "detractor",
        "passive",
        "passive",
        "promoter",
        "promoter",
    ]
    for bad in (-1, 11):
        with pytest.raises(ValueError):
            nps_class(bad)


def test_score_and_interval_by_hand() -> None:
    # 25 promoters, 15 passives, 10 detractors of 50: p = 0.5, d = 0.2, NPS = 0.3.
    # Var = (0.5 + 0.2 − 0.3²) / 50 = 0.61 / 50 = 0.0122; sd = 0.110454; 1.959964 · sd = 0.216486.
    figure = nps(NpsCounts("2026-12", 25, 15, 10))
    assert figure.score == pytest.approx(30.0)
    assert figure.interval is not None
    assert figure.interval.low == pytest.approx(8.3514, abs=1e-3)
    assert figure.interval.high == pytest.approx(51.6486, abs=1e-3)
    assert figure.counts.answers == 50


def test_counts_from_answers() -> None:
    counts = counts_of([10, 9, 9, 8, 7, 6, 0, 3], "b1")
    assert (counts.promoters, counts.passives, counts.detractors, counts.answers) == (3, 2, 3, 8)


def test_interval_stays_within_the_scale() -> None:
    # 28 promoters, 2 detractors of 30: NPS 86.67; Var = (0.9333 + 0.0667 − 0.7511) / 30 = 0.0083;
    # half width 17.86 points, so the upper end (104.5) is kept at 100.
    figure = nps(NpsCounts("", 28, 0, 2))
    assert figure.score == pytest.approx(86.6667, abs=1e-3)
    assert figure.interval is not None
    assert figure.interval.high == 100.0
    assert figure.interval.low == pytest.approx(68.81, abs=1e-2)


def test_too_few_answers_is_not_enough_data() -> None:
    figure = nps(NpsCounts("", 7, 0, 0))
    assert not figure.enough_data
    assert figure.score is None and figure.interval is None
    assert figure.counts.answers == 7
    assert nps(NpsCounts("", 7, 0, 0), min_answers=5).score == 100.0
