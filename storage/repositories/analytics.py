"""Customer analytics in a till's store: the history read for the models (core.analytics.reader), and the
customer_analytics rows written where their figures changed."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import numpy as np
import numpy.typing as npt
from sqlalchemy.orm import Session

from core.analytics.customers import CustomerAnalyticsResult, DeclaredPreferences, Reason
from core.analytics.frame import OrdersFrame
from core.analytics.next_purchase import Why
from core.analytics.ports import CustomerInsight
from core.analytics.reader import PAGE, positions, read_declared_preferences, read_orders_frame
from core.analytics.rfm import SEGMENTS
from storage import direct
from storage.changelog import WRITE_KEY, WriteContext
from storage.direct import TypedSelect
from storage.registers import DirectWrites
from storage.schema import CustomerAnalytics

# -- the per-customer results --------------------------------------------------------------------------------------

NULL = np.iinfo(np.int64).min  # an integer column's NULL, in the arrays compared below
# Figures compared as integers. Those that drift a little every day for every customer (a day more without a
# purchase moves P(alive), the expected purchases and the value) are written only when they moved by more than
# the tolerance, so a nightly recompute rewrites (and pushes to head office) the customers whose figures changed
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
WRITE_BATCH = 20_000

_STORED = (
    "SELECT customer_id, id, field_hlc, lifetime_value_fils, orders_count, average_order_fils, churn_risk, "
    "p_alive_pm, expected_90d_x100, clv_fils, purchases, mean_gap_days, rfm_r, rfm_f, rfm_m, "
    "unixepoch(last_purchase_at), rfm_segment, next_family, next_brand, next_why, reason, model_status, "
    "last_purchase_at, computed_at FROM customer_analytics"
)


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


def _value(name: str, value: Any) -> Any:
    """An array's entry as the column takes it."""
    if name in TEXT_COLUMNS:
        return value
    if value == NULL:
        return None
    if name == "last_purchase_at":
        return datetime.fromtimestamp(int(value), UTC)
    return int(value)


def _stored_time(text: str | None) -> datetime | None:
    return None if text is None else datetime.fromisoformat(text).replace(tzinfo=UTC)


class SqlCustomerAnalyticsRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def orders_frame(self) -> OrdersFrame:
        return read_orders_frame(direct.driver(self._session))

    def declared_preferences(self, frame: OrdersFrame) -> DeclaredPreferences:
        return read_declared_preferences(direct.driver(self._session), frame)

    def save(self, result: CustomerAnalyticsResult, frame: OrdersFrame) -> int:
        """Compares the stored figures with the new ones a page at a time, column by column, and writes only the
        customers whose figures changed (see ``TOLERANCE``); customers with no row yet get one if they ever
        bought or returned something. Every write through DirectWrites, with its change-log row."""
        self._session.flush()
        new = new_columns(result)
        customers = positions(frame.customer_ids)
        write: WriteContext = self._session.info[WRITE_KEY]
        now = write.now
        has_row = np.zeros(frame.customers, bool)
        writes = DirectWrites(self._session)
        pending = written = 0
        cursor = direct.driver(self._session).cursor()
        try:
            cursor.execute(_STORED)
            while page := cursor.fetchmany(PAGE):
                columns = list(zip(*page, strict=True))
                index = np.array([customers.get(c, -1) for c in columns[0]], np.int64)
                known = index >= 0
                has_row[index[known]] = True
                at = np.where(known, index, 0)
                stored: dict[str, npt.NDArray[Any]] = {}
                for offset, name in enumerate(INT_COLUMNS, start=3):
                    stored[name] = np.array([NULL if v is None else v for v in columns[offset]], np.int64)
                for offset, name in enumerate(TEXT_COLUMNS, start=3 + len(INT_COLUMNS)):
                    stored[name] = np.array(columns[offset], dtype=object)
                changed, differs = compare(stored, {name: values[at] for name, values in new.items()})
                changed &= known
                for row in np.flatnonzero(changed):
                    i = int(index[row])
                    names = [name for name in (*INT_COLUMNS, *TEXT_COLUMNS) if differs[name][row]]
                    current: dict[str, Any] = {"id": page[row][1], "field_hlc": json.loads(page[row][2] or "{}")}
                    fields: dict[str, Any] = {}
                    for name in names:
                        offset = 3 + (*INT_COLUMNS, *TEXT_COLUMNS).index(name)
                        stored_value = page[row][offset]
                        current[name] = _stored_time(page[row][-2]) if name == "last_purchase_at" else stored_value
                        fields[name] = _value(name, new[name][i])
                    current["computed_at"] = _stored_time(page[row][-1])
                    fields["computed_at"] = now
                    if writes.update(CustomerAnalytics, current, fields):
                        written += 1
                        pending += 1
                if pending >= WRITE_BATCH:
                    writes.execute()
                    pending = 0
        finally:
            cursor.close()
        writes.execute()
        fresh_rows = np.flatnonzero(~has_row & (result.reason != Reason.NO_PURCHASES))
        for start in range(0, len(fresh_rows), WRITE_BATCH):
            records: list[dict[str, Any]] = []
            for i in fresh_rows[start : start + WRITE_BATCH]:
                record = {name: _value(name, new[name][i]) for name in (*INT_COLUMNS, *TEXT_COLUMNS)}
                record["customer_id"] = frame.customer_ids[i]
                record["computed_at"] = now
                records.append(record)
            writes.insert_many(CustomerAnalytics, records)
            writes.execute()
            written += len(records)
        return written

    def insight(self, customer_id: str) -> CustomerInsight | None:
        row = _INSIGHT.first(self._session, {"c": customer_id})
        if row is None:
            return None
        rfm = (row["rfm_r"], row["rfm_f"], row["rfm_m"])
        return CustomerInsight(
            customer_id=customer_id,
            orders=row["orders_count"],
            purchases=row["purchases"] or 0,
            net_spend_fils=row["lifetime_value_fils"],
            average_order_fils=row["average_order_fils"],
            last_purchase_at=row["last_purchase_at"],
            mean_gap_days=row["mean_gap_days"],
            p_alive_pm=row["p_alive_pm"],
            expected_90d_x100=row["expected_90d_x100"],
            clv_fils=row["clv_fils"],
            rfm=None if None in rfm else rfm,
            segment=row["rfm_segment"],
            next_family=row["next_family"],
            next_brand=row["next_brand"],
            next_why=row["next_why"],
            reason=row["reason"] or "no_purchases",
            model_status=row["model_status"] or "none",
            computed_at=row["computed_at"],
        )

    def shopper_staff_of(self, customer_id: str) -> str | None:
        value = direct.scalar(self._session, _SHOPPER_STAFF, {"c": customer_id})
        return None if value is None else str(value)


_INSIGHT = TypedSelect(
    CustomerAnalytics,
    (
        "orders_count",
        "purchases",
        "lifetime_value_fils",
        "average_order_fils",
        "last_purchase_at",
        "mean_gap_days",
        "p_alive_pm",
        "expected_90d_x100",
        "clv_fils",
        "rfm_r",
        "rfm_f",
        "rfm_m",
        "rfm_segment",
        "next_family",
        "next_brand",
        "next_why",
        "reason",
        "model_status",
        "computed_at",
    ),
    "WHERE customer_id = :c AND deleted = 0",
)
_SHOPPER_STAFF = (
    "SELECT s.staff_id FROM personal_shopper_assignments AS a JOIN personal_shoppers AS s ON s.id = a.shopper_id "
    "WHERE a.customer_id = :c AND a.deleted = 0 AND a.ended_at IS NULL ORDER BY a.assigned_at DESC LIMIT 1"
)
