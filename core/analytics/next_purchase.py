"""The family or brand a customer is most likely to buy next, by a rule a salesperson can repeat.

For each customer and each family (or brand) they bought: the sum of their purchases' weights, each purchase
weighing half as much every 180 days (as the learned preferences do), as a share of all their weight — what they
buy now counts most. A declared family or brand adds its share of the customer's declared list. The score is
``0.7 × purchase share + 0.3 × declared share``; the highest wins (the lower code on a tie). Returns are not
purchases and are left out. Everything is one pass over the lines: no loop per customer.
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
    span = np.int64(max(vocabulary, 1))
    code = np.full(customers, -1, np.int32)
    why = np.zeros(customers, np.int8)
    weight = np.power(0.5, np.maximum(bought_age_days, 0.0) / HALF_LIFE_DAYS)
    total = np.bincount(bought_customer, weights=weight, minlength=customers)
    history_share = HISTORY_WEIGHT * weight / np.where(total[bought_customer] > 0, total[bought_customer], 1.0)
    declared_count = np.bincount(declared_customer, minlength=customers).astype(np.float64)
    declared_share = DECLARED_WEIGHT / np.maximum(declared_count[declared_customer], 1.0)
    keys = np.concatenate(
        [
            bought_customer.astype(np.int64) * span + bought_code,
            declared_customer.astype(np.int64) * span + declared_code,
        ]
    )
    if len(keys) == 0:
        return Choice(code, why)
    scores = np.concatenate([history_share, declared_share])
    flags = np.concatenate(
        [np.full(len(history_share), Why.HISTORY, np.int8), np.full(len(declared_share), Why.DECLARED, np.int8)]
    )
    unique, inverse = np.unique(keys, return_inverse=True)
    summed = np.bincount(inverse, weights=scores)
    flag = np.zeros(len(unique), np.int8)
    np.bitwise_or.at(flag, inverse, flags)
    owner = unique // span
    # Per customer, the highest score first (keys are sorted, so a tie keeps the lower code first).
    order = np.lexsort((-summed, owner))
    first = np.ones(len(order), bool)
    first[1:] = owner[order][1:] != owner[order][:-1]
    winners = order[first]
    code[owner[winners]] = (unique[winners] % span).astype(np.int32)
    why[owner[winners]] = flag[winners]
    return Choice(code, why)
