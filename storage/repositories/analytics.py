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
from core.analytics.ports import CustomerInsight
from core.analytics.reader import PAGE, positions, read_declared_preferences, read_orders_frame
from core.analytics.rows import INT_COLUMNS, NULL, TEXT_COLUMNS, compare, new_columns
from storage import direct
from storage.changelog import WRITE_KEY, WriteContext
from storage.direct import TypedSelect
from storage.registers import DirectWrites
from storage.schema import CustomerAnalytics

WRITE_BATCH = 20_000

_STORED = (
    "SELECT customer_id, id, field_hlc, lifetime_value_fils, orders_count, average_order_fils, churn_risk, "
    "p_alive_pm, expected_90d_x100, clv_fils, purchases, mean_gap_days, rfm_r, rfm_f, rfm_m, "
    "unixepoch(last_purchase_at), rfm_segment, next_family, next_brand, next_why, reason, model_status, "
    "last_purchase_at, computed_at FROM customer_analytics"
)


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
