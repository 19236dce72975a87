"""The manager's feedback dashboard: NPS now and by month, by branch and by personal shopper, the promoters,
passives and detractors, the sentiment of the comments and their themes, for a period and a filter.

Storage counts the answers of the period once, per month × branch × shopper × sentiment × NPS class × themes
(``FactCell``, from the precomputed feedback_facts: storage.repositories.feedback), and this module adds the
cells up into every figure the page shows, so the figures always agree with each other.

Every NPS figure has its number of answers beside it. From ``MIN_ANSWERS`` answers up its interval is Wald's
(core.feedback.nps); below, the score is still given, marked "few answers", with the interval of the counts
plus one answer in each class (the Agresti–Coull idea for a proportion, carried to the three classes): never
zero-wide, and wide enough that a score from 7 answers looks like one (7 promoters out of 7: +100, interval
+30 to +100; 30 promoters out of 30 would be +100 to +100).
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from core.campaigns.results import Z95, Interval
from core.feedback.nps import MIN_ANSWERS, NpsCounts, NpsFigure, nps
from core.feedback.themes import THEMES
from core.kernel.clock import DUBAI

SENTIMENTS = ("positive", "neutral", "negative")


@dataclass(frozen=True)
class DashboardFilter:
    """The answers given in [since, until), narrowed to a branch, a personal shopper, a segment (loyalty
    tier), a campaign and a survey type (core.feedback.service.KINDS) when set."""

    since: datetime
    until: datetime
    branch_id: str | None = None
    shopper_id: str | None = None
    segment: str | None = None
    campaign_id: str | None = None
    kind: str | None = None


def last_days(today: date, days: int) -> tuple[datetime, datetime]:
    """The ``days`` days that end with ``today`` (Asia/Dubai), as [since, until)."""
    until = datetime.combine(today + timedelta(days=1), time(0), DUBAI)
    return until - timedelta(days=days), until


def last_months(today: date, months: int) -> tuple[datetime, datetime]:
    """The ``months`` calendar months that end with ``today``'s (Asia/Dubai), as [since, until)."""
    index = today.year * 12 + today.month - 1 - (months - 1)
    first = date(index // 12, index % 12 + 1, 1)
    return datetime.combine(first, time(0), DUBAI), datetime.combine(today + timedelta(days=1), time(0), DUBAI)


def days_between(first: date, last: date) -> tuple[datetime, datetime]:
    """From the start of ``first`` to the end of ``last`` (Asia/Dubai), as [since, until)."""
    if last < first:
        first, last = last, first
    return datetime.combine(first, time(0), DUBAI), datetime.combine(last + timedelta(days=1), time(0), DUBAI)


def months_of(since: datetime, until: datetime) -> list[str]:
    """Every month ("2026-12") the period touches in Asia/Dubai, oldest first."""
    first = since.astimezone(DUBAI).date()
    last = (until - timedelta(microseconds=1)).astimezone(DUBAI).date()
    out = []
    index, end = first.year * 12 + first.month - 1, last.year * 12 + last.month - 1
    while index <= end:
        out.append(f"{index // 12:04d}-{index % 12 + 1:02d}")
        index += 1
    return out


@dataclass(frozen=True)
class FactCell:
    """How many answers share a month, branch, shopper, sentiment, NPS class and themes ("" for no shopper, no
    sentiment, no score; ``themes`` a bit mask of core.feedback.themes, 0 for none)."""

    month: str
    branch_id: str
    shopper_id: str
    sentiment: str
    nps_class: str  # promoter | passive | detractor | ""
    themes: int
    answers: int


@dataclass(frozen=True)
class SentimentCounts:
    positive: int = 0
    neutral: int = 0
    negative: int = 0

    @property
    def total(self) -> int:
        return self.positive + self.neutral + self.negative

    def share(self, label: str) -> float:
        """Percent of the comments scored, 0 when there are none."""
        return 100 * getattr(self, label) / self.total if self.total else 0.0


@dataclass(frozen=True)
class ThemeCount:
    key: str
    label: str  # QT_TRANSLATE_NOOP("core", ...)
    positive: int
    neutral: int
    negative: int

    @property
    def total(self) -> int:
        return self.positive + self.neutral + self.negative


@dataclass(frozen=True)
class Option:
    """A choice of a filter: its key and its names."""

    key: str
    name_en: str
    name_ar: str


@dataclass(frozen=True)
class DashboardOptions:
    branches: tuple[Option, ...] = ()
    shoppers: tuple[Option, ...] = ()
    segments: tuple[str, ...] = ()
    campaigns: tuple[Option, ...] = ()


@dataclass(frozen=True)
class FeedbackDashboard:
    filter: DashboardFilter
    answers: int  # every answer of the period, scored or not
    overall: NpsFigure
    trend: tuple[NpsFigure, ...]  # one per month of the period, oldest first (group: "2026-12")
    by_branch: tuple[NpsFigure, ...]  # most answers first (group: branch id)
    by_shopper: tuple[NpsFigure, ...]  # most answers first (group: shopper id, "" for none)
    sentiment: SentimentCounts
    themes: tuple[ThemeCount, ...]  # every theme, most mentioned first
    names: Mapping[str, Option] = field(default_factory=dict)  # branches and shoppers by id


def is_few(figure: NpsFigure) -> bool:
    return figure.counts.answers < MIN_ANSWERS


def figure(counts: NpsCounts, z: float = Z95) -> NpsFigure:
    """The score of any number of answers (None for none) with its interval: Wald's from ``MIN_ANSWERS``
    answers, below it Wald's on the counts plus one answer in each class."""
    n = counts.answers
    if n == 0:
        return NpsFigure(counts, None, None)
    if n >= MIN_ANSWERS:
        return nps(counts, MIN_ANSWERS, z)
    score = 100 * (counts.promoters - counts.detractors) / n
    m = n + 3
    p, d = (counts.promoters + 1) / m, (counts.detractors + 1) / m
    centre = p - d
    half = z * math.sqrt(max(0.0, p + d - centre * centre) / m)
    low, high = max(-1.0, centre - half), min(1.0, centre + half)
    return NpsFigure(counts, score, Interval(100 * min(low, score / 100), 100 * max(high, score / 100)))


_CLASS_INDEX = {"promoter": 0, "passive": 1, "detractor": 2}


def build(
    query: DashboardFilter, cells: Iterable[FactCell], names: Mapping[str, Option] | None = None
) -> FeedbackDashboard:
    total = [0, 0, 0]
    answers = 0
    months: dict[str, list[int]] = {m: [0, 0, 0] for m in months_of(query.since, query.until)}
    branches: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    shoppers: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    moods = dict.fromkeys(SENTIMENTS, 0)
    themes = {theme.key: dict.fromkeys(SENTIMENTS, 0) for theme in THEMES}
    for cell in cells:
        n = cell.answers
        answers += n
        at = _CLASS_INDEX.get(cell.nps_class)
        if at is not None:
            total[at] += n
            months.setdefault(cell.month, [0, 0, 0])[at] += n
            branches[cell.branch_id][at] += n
            shoppers[cell.shopper_id][at] += n
        if cell.sentiment in moods:
            moods[cell.sentiment] += n
            if cell.themes:
                for i, theme in enumerate(THEMES):
                    if cell.themes & (1 << i):
                        themes[theme.key][cell.sentiment] += n

    def figures(groups: Mapping[str, list[int]], by_size: bool) -> tuple[NpsFigure, ...]:
        out = [figure(NpsCounts(key, *values)) for key, values in groups.items()]
        if by_size:
            out.sort(key=lambda f: (-f.counts.answers, f.counts.group))
        return tuple(out)

    theme_counts = [
        ThemeCount(t.key, t.label, themes[t.key]["positive"], themes[t.key]["neutral"], themes[t.key]["negative"])
        for t in THEMES
    ]
    theme_counts.sort(key=lambda t: -t.total)
    return FeedbackDashboard(
        filter=query,
        answers=answers,
        overall=figure(NpsCounts("", *total)),
        trend=figures(dict(sorted(months.items())), by_size=False),
        by_branch=figures(branches, by_size=True),
        by_shopper=figures(shoppers, by_size=True),
        sentiment=SentimentCounts(**moods),
        themes=tuple(theme_counts),
        names=dict(names or {}),
    )
