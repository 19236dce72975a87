"""The chain's purchase history as column arrays: what every analytics computation reads.

A reader (storage.repositories.analytics for a till's store) fills an ``OrdersFrame`` once; the models and the
dashboards' aggregates then work on the arrays. Customers and branches are referred to by their index into
``customer_ids`` / ``branch_ids``; -1 is "no customer" (an anonymous sale). Times are seconds since the Unix
epoch, UTC; money is signed integer fils (a return is negative).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

SALE = 0
RETURN = 1


@dataclass
class OrdersFrame:
    customer_ids: list[str]
    customer_created_at: npt.NDArray[np.int64]  # per customer
    branch_ids: list[str]
    order_ids: list[str]
    order_customer: npt.NDArray[np.int32]  # per order: index into customer_ids, -1 for none
    order_branch: npt.NDArray[np.int32]
    order_at: npt.NDArray[np.int64]
    order_net_fils: npt.NDArray[np.int64]  # signed: returns are negative
    order_kind: npt.NDArray[np.int8]  # SALE | RETURN
    # Lines (optional for a reader that does not need them): product family and brand as codes into the vocabularies.
    line_order: npt.NDArray[np.int32] = field(default_factory=lambda: np.zeros(0, np.int32))
    line_family: npt.NDArray[np.int32] = field(default_factory=lambda: np.zeros(0, np.int32))
    line_brand: npt.NDArray[np.int32] = field(default_factory=lambda: np.zeros(0, np.int32))
    line_net_fils: npt.NDArray[np.int64] = field(default_factory=lambda: np.zeros(0, np.int64))
    families: list[str] = field(default_factory=list)
    brands: list[str] = field(default_factory=list)

    @property
    def customers(self) -> int:
        return len(self.customer_ids)

    @property
    def orders(self) -> int:
        return len(self.order_ids)
