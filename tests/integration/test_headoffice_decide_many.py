"""Head office's own changes written many at a time (``decide_many``) are the changes and merged rows that one
``decide`` per row writes: an insert, then an update merged over it, each a numbered change the branches pull."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest
from sqlalchemy import select

from core.kernel.replication import HEAD_OFFICE
from sync.headoffice import models as m
from sync.headoffice.store import HeadOfficeStore
from tests.clock import DEFAULT

AT = int(DEFAULT.timestamp() * 1000)


def _changes(store: HeadOfficeStore, entity: str) -> list[tuple[str, str, str, dict[str, object]]]:
    c = m.changes.c
    with store.reader.connect() as conn:
        found = conn.execute(
            select(c.row_id, c.op, c.origin, c.payload).where(c.entity == entity).order_by(c.change_seq)
        ).all()
    return [(r[0], r[1], r[2], orjson.loads(r[3])) for r in found]


def _stamped(store: HeadOfficeStore, entity: str) -> dict[str, set[str]]:
    r = m.rows.c
    with store.reader.connect() as conn:
        found = conn.execute(select(r.row_id, r.field_hlc).where(r.entity == entity)).all()
    return {row[0]: set(orjson.loads(row[1])) for row in found}


def test_many_rows_at_once_are_what_one_at_a_time_writes(tmp_path: Path) -> None:
    one = HeadOfficeStore(f"sqlite:///{tmp_path / 'one.sqlite'}", wall_ms=lambda: AT)
    many = HeadOfficeStore(f"sqlite:///{tmp_path / 'many.sqlite'}", wall_ms=lambda: AT)
    first = [
        ("row-1", {"id": "row-1", "customer_id": "c-1", "orders_count": 2, "rfm_segment": "loyal"}),
        ("row-2", {"id": "row-2", "customer_id": "c-2", "orders_count": 1, "rfm_segment": None}),
    ]
    second = [("row-1", {"orders_count": 3, "computed_at": "2026-12-03T07:30:00+00:00"})]
    try:
        for batch in (first, second):
            with one.writing() as (conn, head):
                for row_id, fields in batch:
                    head = one.decide(conn, head, "customer_analytics", row_id, fields)
                one.set_head(conn, head)
            with many.writing() as (conn, head):
                many.set_head(conn, many.decide_many(conn, head, "customer_analytics", batch))
        assert many.head() == one.head() == 3
        assert many.merged_rows("customer_analytics") == one.merged_rows("customer_analytics")
        assert many.merged_rows("customer_analytics")["row-1"] == {
            "id": "row-1",
            "customer_id": "c-1",
            "orders_count": 3,
            "rfm_segment": "loyal",
            "computed_at": "2026-12-03T07:30:00+00:00",
        }
        written = _changes(many, "customer_analytics")
        assert written == _changes(one, "customer_analytics")
        assert [(w[0], w[1], w[2]) for w in written] == [
            ("row-1", "insert", HEAD_OFFICE),
            ("row-2", "insert", HEAD_OFFICE),
            ("row-1", "update", HEAD_OFFICE),
        ]
        assert _stamped(many, "customer_analytics") == _stamped(one, "customer_analytics")
        with many.writing() as (conn, head), pytest.raises(ValueError):
            many.decide_many(conn, head, "customers", [("c-1", {"notes": "sealed one at a time"})])
    finally:
        one.close()
        many.close()
