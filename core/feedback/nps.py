"""The Net Promoter Score of a group of answers, with the number of answers and its 95 % interval beside it.

NPS = % promoters (9–10) − % detractors (0–6), from −100 to +100. Each answer falls in one of three classes,
so the counts are trinomial and the score's variance is the one of a difference of two proportions of the same
multinomial sample:

    Var(p − d) = (p + d − (p − d)²) / n

with p and d the promoters' and detractors' shares. The interval is Wald's with that variance
(Rocks, B. (2016), "Interval Estimation for the 'Net Promoter Score'", The American Statistician 70(4),
365–372, section 2), kept within [−100, 100]. Wald is poor with few answers or with every answer in one
class (it gives a zero-width interval at 10/10 promoters), so below ``MIN_ANSWERS`` answers no figure is given
at all ("not enough data"); the counts still are. The z of 95 % is the campaigns' (core.campaigns.results).

Pure: storage counts the answers per group (``NpsCounts``), this module turns counts into figures.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

from core.campaigns.results import Z95, Interval

MIN_ANSWERS = 30  # below it the score is "not enough data"
PROMOTER_FROM = 9
DETRACTOR_UNTIL = 6
GROUPINGS = ("month", "branch", "shopper", "segment", "campaign")


def nps_class(score: int) -> str:
    """promoter (9–10), passive (7–8) or detractor (0–6)."""
    if not 0 <= score <= 10:
        raise ValueError(f"an NPS answer is 0..10, not {score}")
    return "promoter" if score >= PROMOTER_FROM else "detractor" if score <= DETRACTOR_UNTIL else "passive"


@dataclass(frozen=True)
class NpsCounts:
    """How many answers of a group fell in each class; ``group`` is the group's key (a month "2026-12", a
    branch id, a shopper id, a tier, a campaign id; "" for the answers without one)."""

    group: str
    promoters: int
    passives: int
    detractors: int

    @property
    def answers(self) -> int:
        return self.promoters + self.passives + self.detractors


@dataclass(frozen=True)
class NpsFigure:
    """A group's score and its interval, in NPS points; both None ("not enough data") below the minimum."""

    counts: NpsCounts
    score: float | None
    interval: Interval | None

    @property
    def enough_data(self) -> bool:
        return self.score is not None


def counts_of(scores: Iterable[int], group: str = "") -> NpsCounts:
    promoters = passives = detractors = 0
    for score in scores:
        kind = nps_class(score)
        if kind == "promoter":
            promoters += 1
        elif kind == "detractor":
            detractors += 1
        else:
            passives += 1
    return NpsCounts(group, promoters, passives, detractors)


def nps(counts: NpsCounts, min_answers: int = MIN_ANSWERS, z: float = Z95) -> NpsFigure:
    n = counts.answers
    if n == 0 or n < min_answers:
        return NpsFigure(counts, None, None)
    p, d = counts.promoters / n, counts.detractors / n
    score = p - d
    variance = max(0.0, p + d - score * score) / n
    half = z * math.sqrt(variance)
    low, high = max(-1.0, score - half), min(1.0, score + half)
    return NpsFigure(counts, 100 * score, Interval(100 * low, 100 * high))


def figures(groups: Iterable[NpsCounts], min_answers: int = MIN_ANSWERS) -> list[NpsFigure]:
    return [nps(counts, min_answers) for counts in groups]
