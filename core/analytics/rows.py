"""The customer rows' stored form (customer_analytics) and when a row has changed enough to be written again: the
one rule for a till's save (storage.repositories.analytics) and head office's (sync.headoffice.analytics)."""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

from core.analytics.customers import CustomerAnalyticsResult, Reason
from core.analytics.next_purchase import Why
from core.analytics.rfm import SEGMENTS

NULL = np.iinfo(np.int64).min  # an integer column's NULL, in the arrays compared below
# Figures compared as integers. Those that drift a little every day for every customer (a day more without a
# purchase moves P(alive), the expected purchases and the value) are written only when they moved by more than
# the tolerance, so a nightly recompute rewrites (and replicates) the customers whose figures changed
# in a way the screen shows, not every customer: P(alive) by 2 points, the expected purchases by 0.1, the value
# by 5 % (at least 10 AED). Everything else (a purchase, a new segment, score or next family) is written exactly.
INT_COLUMNS = (
    "lifetime_value_fils",
    "orders_count",
    "average_order_fils",
    "churn_risk",
    "p_alive_pm",
    "expected_90d_x100",
    "clv_fils",
    "purchases",
    "mean_gap_days",
    "rfm_r",
    "rfm_f",
    "rfm_m",
    "last_purchase_at",  # seconds
)
TEXT_COLUMNS = ("rfm_segment", "next_family", "next_brand", "next_why", "reason", "model_status")
TOLERANCE = {"p_alive_pm": 20, "churn_risk": 2, "expected_90d_x100": 10}
CLV_RELATIVE, CLV_FILS = 0.05, 10_000


def _ints(values: npt.NDArray[np.float64], present: npt.NDArray[np.bool_]) -> npt.NDArray[np.int64]:
    return np.where(present, np.rint(np.nan_to_num(values)).astype(np.int64), NULL)


def new_columns(result: CustomerAnalyticsResult) -> dict[str, npt.NDArray[Any]]:
    """The stored form of every customer's figures, one array per column (NULL / None where there is none)."""
    p = result.p_alive
    modelled = np.isfinite(p)
    rfm = result.rfm.astype(np.int64)
    scored = rfm[:, 0] > 0

    def vocabulary(names: list[str] | tuple[str, ...]) -> npt.NDArray[Any]:
        return np.array([*names, None], dtype=object)  # code -1 picks the None at the end

    whys = vocabulary([w.name.lower() for w in Why])
    whys[Why.NONE] = None
    return {
        "lifetime_value_fils": result.net_fils.astype(np.int64),
        "orders_count": result.orders.astype(np.int64),
        "average_order_fils": result.average_order_fils.astype(np.int64),
        "churn_risk": np.where(modelled, np.rint(100 - 100 * np.nan_to_num(p)), 0).astype(np.int64),
        "p_alive_pm": _ints(1000 * p, modelled),
        "expected_90d_x100": _ints(100 * result.expected_purchases, np.isfinite(result.expected_purchases)),
        "clv_fils": _ints(result.lifetime_value_fils, np.isfinite(result.lifetime_value_fils)),
        "purchases": result.purchases.astype(np.int64),
        "mean_gap_days": _ints(result.mean_gap_days, np.isfinite(result.mean_gap_days)),
        "rfm_r": np.where(scored, rfm[:, 0], NULL),
        "rfm_f": np.where(scored, rfm[:, 1], NULL),
        "rfm_m": np.where(scored, rfm[:, 2], NULL),
        "last_purchase_at": np.where(result.last_purchase_at > 0, result.last_purchase_at, NULL),
        "rfm_segment": vocabulary([s.value for s in SEGMENTS])[result.segment],
        "next_family": vocabulary(result.families)[result.next_family.code],
        "next_brand": vocabulary(result.brands)[result.next_brand.code],
        "next_why": whys[result.next_family.why],
        "reason": vocabulary([r.name.lower() for r in Reason])[result.reason],
        "model_status": np.full(len(result.reason), result.status.value, dtype=object),
    }


def _changed(name: str, stored: npt.NDArray[np.int64], new: npt.NDArray[np.int64]) -> npt.NDArray[np.bool_]:
    """Where a stored integer figure differs from the new one by more than its tolerance (NULL against a value
    always does)."""
    either_null = (stored == NULL) | (new == NULL)
    difference = np.abs(np.where(either_null, 0, stored - new))
    if name == "clv_fils":
        limit = np.maximum(CLV_FILS, CLV_RELATIVE * np.abs(np.where(stored == NULL, 0, stored)))
    else:
        limit = np.full(len(stored), TOLERANCE.get(name, 0))
    return np.asarray((either_null & (stored != new)) | (difference > limit), dtype=bool)


def compare(
    stored: dict[str, npt.NDArray[Any]], fresh: dict[str, npt.NDArray[Any]]
) -> tuple[npt.NDArray[np.bool_], dict[str, npt.NDArray[np.bool_]]]:
    """Stored figures against new ones, row by row (both in ``new_columns``' form, aligned): which rows to write
    (an integer figure moved by more than its tolerance, or a text changed), and per column where the values
    differ at all (what a written row's change carries). The one rule for a till's save and head office's."""
    length = len(next(iter(fresh.values()))) if fresh else 0
    changed = np.zeros(length, bool)
    differs: dict[str, npt.NDArray[np.bool_]] = {}
    for name in INT_COLUMNS:
        differs[name] = np.asarray(stored[name] != fresh[name], dtype=bool)
        changed |= _changed(name, stored[name], fresh[name])
    for name in TEXT_COLUMNS:
        differs[name] = np.asarray(stored[name] != fresh[name], dtype=bool)
        changed |= differs[name]
    return changed, differs
