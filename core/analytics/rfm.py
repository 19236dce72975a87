"""RFM: recency, frequency and monetary quintile scores (1–5, 5 best) and the named segments they fall in.

Scores are quintiles of the customers who bought at least once, by rank: a customer's score is
``ceil(5 · rank / n)``, tied values all taking the lowest rank of their group, so customers with the same figure
always get the same score (the many customers with one purchase are all F1). Recency counts days since the last
purchase, fewer scoring higher.

Segments: Putler's RFM segment table, made a 5×5 grid of R against FM, the rounded-up mean of F and M, so every
customer falls in exactly one (the table's ranges overlap where they are read as ranges):

=====  ============  ==================  ==================  ==============  ==============
R\\FM   1             2                   3                   4               5
=====  ============  ==================  ==================  ==============  ==============
5      New           Potential loyalist  Potential loyalist  Champions       Champions
4      Promising     Potential loyalist  Loyal               Champions       Champions
3      About to sleep Need attention     Need attention      Loyal           Loyal
2      Hibernating   Hibernating         At risk             At risk         Can't lose them
1      Lost          Lost                At risk             Can't lose them Can't lose them
=====  ============  ==================  ==================  ==============  ==============
"""

from __future__ import annotations

from enum import StrEnum

import numpy as np
import numpy.typing as npt

from core.kernel.i18n import QT_TRANSLATE_NOOP


class Segment(StrEnum):
    CHAMPIONS = "champions"
    LOYAL = "loyal"
    POTENTIAL_LOYALIST = "potential"
    NEW = "new"
    PROMISING = "promising"
    NEED_ATTENTION = "attention"
    ABOUT_TO_SLEEP = "sleeping"
    AT_RISK = "at_risk"
    CANT_LOSE = "cant_lose"
    HIBERNATING = "hibernating"
    LOST = "lost"


SEGMENT_NAMES: dict[Segment, str] = {
    Segment.CHAMPIONS: QT_TRANSLATE_NOOP("core", "Champions"),
    Segment.LOYAL: QT_TRANSLATE_NOOP("core", "Loyal"),
    Segment.POTENTIAL_LOYALIST: QT_TRANSLATE_NOOP("core", "Potential loyalist"),
    Segment.NEW: QT_TRANSLATE_NOOP("core", "New"),
    Segment.PROMISING: QT_TRANSLATE_NOOP("core", "Promising"),
    Segment.NEED_ATTENTION: QT_TRANSLATE_NOOP("core", "Need attention"),
    Segment.ABOUT_TO_SLEEP: QT_TRANSLATE_NOOP("core", "About to sleep"),
    Segment.AT_RISK: QT_TRANSLATE_NOOP("core", "At risk"),
    Segment.CANT_LOSE: QT_TRANSLATE_NOOP("core", "Can't lose them"),
    Segment.HIBERNATING: QT_TRANSLATE_NOOP("core", "Hibernating"),
    Segment.LOST: QT_TRANSLATE_NOOP("core", "Lost"),
}

S = Segment
# GRID[r - 1][fm - 1]
GRID: tuple[tuple[Segment, ...], ...] = (
    (S.LOST, S.LOST, S.AT_RISK, S.CANT_LOSE, S.CANT_LOSE),
    (S.HIBERNATING, S.HIBERNATING, S.AT_RISK, S.AT_RISK, S.CANT_LOSE),
    (S.ABOUT_TO_SLEEP, S.NEED_ATTENTION, S.NEED_ATTENTION, S.LOYAL, S.LOYAL),
    (S.PROMISING, S.POTENTIAL_LOYALIST, S.LOYAL, S.CHAMPIONS, S.CHAMPIONS),
    (S.NEW, S.POTENTIAL_LOYALIST, S.POTENTIAL_LOYALIST, S.CHAMPIONS, S.CHAMPIONS),
)
SEGMENTS: tuple[Segment, ...] = tuple(Segment)
_GRID_CODES = np.array([[SEGMENTS.index(s) for s in row] for row in GRID], dtype=np.int8)


def quintile_scores(values: npt.NDArray[np.float64], *, higher_is_better: bool = True) -> npt.NDArray[np.int8]:
    """1–5 by rank among ``values``; ties share a score."""
    n = len(values)
    if n == 0:
        return np.zeros(0, np.int8)
    from scipy.stats import rankdata  # here, not at import: scipy.stats alone costs a third of a second

    ranks = rankdata(values if higher_is_better else -values, method="min")
    return np.asarray(np.clip(np.ceil(5.0 * ranks / n), 1, 5), dtype=np.int8)


def segment_codes(r: npt.NDArray[np.int8], f: npt.NDArray[np.int8], m: npt.NDArray[np.int8]) -> npt.NDArray[np.int8]:
    """Each customer's segment, as an index into ``SEGMENTS``."""
    fm = (f.astype(np.int16) + m + 1) // 2
    return np.asarray(_GRID_CODES[r.astype(np.int16) - 1, fm - 1], dtype=np.int8)
