"""The family or brand a customer is most likely to buy next, by a rule a salesperson can repeat.

For each customer and each family (or brand) they bought: the sum of their purchases' weights, each purchase
weighing half as much every 180 days (as the learned preferences do), as a share of all their weight — what they
buy now counts most. A declared family or brand adds its share of the customer's declared list. The score is
``0.7 × purchase share + 0.3 × declared share``; the highest wins (the lower code on a tie). Returns are not
purchases and are left out. Customers are scored a block at a time on a dense table of scores: no loop per
customer.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum

import numpy as np
import numpy.typing as npt

HALF_LIFE_DAYS = 180.0
HISTORY_WEIGHT = 0.7
DECLARED_WEIGHT = 0.3

Ints = npt.NDArray[np.int64]


class Why(IntEnum):
    NONE = 0
    HISTORY = 1  # from what they bought
    DECLARED = 2  # from what they said they like, with no purchase of it yet
    BOTH = 3  # bought it and declared it


@dataclass(frozen=True)
class Choice:
    code: npt.NDArray[np.int32]  # per customer: index into the vocabulary, -1 for none
    why: npt.NDArray[np.int8]  # Why


# Customers are scored in blocks, each a dense (customers × vocabulary) table of about this many cells.
BLOCK_CELLS = 8_000_000


def most_likely(
    customers: int,
    bought_customer: npt.NDArray[np.int32],
    bought_code: npt.NDArray[np.int32],
    bought_age_days: npt.NDArray[np.float64],
    declared_customer: npt.NDArray[np.int32],
    declared_code: npt.NDArray[np.int32],
    vocabulary: int,
) -> Choice:
    """``bought_*``: one entry per sale line of a known customer; ``declared_*``: one per declared item."""
    size = max(vocabulary, 1)
    code = np.full(customers, -1, np.int32)
    why = np.zeros(customers, np.int8)
    weight = np.power(0.5, np.maximum(bought_age_days, 0.0) / HALF_LIFE_DAYS)
    total = np.bincount(bought_customer, weights=weight, minlength=customers)
    history_share = HISTORY_WEIGHT * weight / np.where(total[bought_customer] > 0, total[bought_customer], 1.0)
    declared_count = np.bincount(declared_customer, minlength=customers).astype(np.float64)
    declared_share = DECLARED_WEIGHT / np.maximum(declared_count[declared_customer], 1.0)
    block = max(1, BLOCK_CELLS // size)
    for start in range(0, customers, block):
        end = min(start + block, customers)
        rows = end - start
        cells = rows * size
        mine = (bought_customer >= start) & (bought_customer < end)
        history = np.bincount(
            (bought_customer[mine] - start).astype(np.int64) * size + bought_code[mine],
            weights=history_share[mine],
            minlength=cells,
        ).reshape(rows, size)
        said = (declared_customer >= start) & (declared_customer < end)
        declared = np.bincount(
            (declared_customer[said] - start).astype(np.int64) * size + declared_code[said],
            weights=declared_share[said],
            minlength=cells,
        ).reshape(rows, size)
        score = history + declared
        best = np.argmax(score, axis=1)  # the first, lowest code, on a tie
        picked = np.arange(rows)
        found = score[picked, best] > 0
        code[start:end] = np.where(found, best, -1)
        why[start:end] = np.where(history[picked, best] > 0, Why.HISTORY, 0) | np.where(
            declared[picked, best] > 0, Why.DECLARED, 0
        )
    return Choice(code, why)
