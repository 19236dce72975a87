"""Orders and their lines: sales and returns. Orders are ledger rows: written once, never changed."""

from __future__ import annotations

from datetime import UTC
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from core.loyalty.ports import LineRecord, OrderRecord, PurchasedLine
from storage import direct, ledger
from storage.schema import Branch, Order, OrderLine, Staff

COUNTER_KEY = "order_counter"
_BRANCH_SQL = "SELECT code, name_en, name_ar FROM branches WHERE id = :b"


def _line(row: OrderLine) -> LineRecord:
    return LineRecord(
        id=row.id,
        sku=row.sku,
        name=row.product_name,
        brand=row.brand or "",
        family=row.family or "",
        size_ml=row.size_ml,
        quantity=row.quantity,
        unit_price_fils=row.unit_price_fils,
        net_fils=row.net_fils,
        vat_fils=row.vat_fils,
    )


class SqlOrderRepository:
    def __init__(self, session: Session, branch_id: str | None, terminal_id: str) -> None:
        self._session = session
        self._branch_id = branch_id
        self._terminal = terminal_id
        self._branch_row: tuple[str, str, str] | None = None

    def _branch(self) -> tuple[str, str, str]:
        """(code, English name, Arabic name) of the writing actor's branch, read once per unit of work."""
        if self._branch_row is None:
            row = direct.first(self._session, _BRANCH_SQL, {"b": self._branch_id})
            self._branch_row = (row[0], row[1], row[2]) if row else ("BR", "", "")
        return self._branch_row

    def next_number(self, kind: str) -> str:
        """Receipt numbers: branch, S(ale) or R(eturn), this till's counter, and the till's tag so two tills
        of one branch (each with its own store) never print the same number."""
        value = direct.next_counter(self._session, COUNTER_KEY)
        letter = "R" if kind == "return" else "S"
        tag = direct.till_tag(self._terminal)
        return f"{self._branch()[0]}-{letter}{value:06d}-{tag}"

    def add(self, values: dict[str, object], lines: list[dict[str, object]]) -> tuple[str, list[str]]:
        order_id = ledger.append(self._session, Order, [values])[0]
        # Ids made in order keep the lines in the order they were rung up.
        line_ids = ledger.append(self._session, OrderLine, [{**line, "order_id": order_id} for line in lines])
        return order_id, line_ids

    def branch_names(self) -> tuple[str, str]:
        _code, name_en, name_ar = self._branch()
        return name_en, name_ar

    def _records(self, where: Any, limit: int | None = None) -> list[OrderRecord]:
        self._session.flush()
        staff = aliased(Staff)
        query = (
            select(Order, staff.name_en, staff.name_ar, Branch.name_en, Branch.name_ar)
            .outerjoin(staff, staff.id == Order.staff_id)
            .outerjoin(Branch, Branch.id == Order.branch_id)
            .where(where)
            .order_by(Order.created_at.desc(), Order.id.desc())
        )
        if limit is not None:
            query = query.limit(limit)
        rows = self._session.execute(query).all()
        if not rows:
            return []
        ids = [r[0].id for r in rows]
        lines: dict[str, list[LineRecord]] = {i: [] for i in ids}
        for line in self._session.scalars(select(OrderLine).where(OrderLine.order_id.in_(ids)).order_by(OrderLine.id)):
            lines[line.order_id].append(_line(line))
        return [
            OrderRecord(
                id=o.id,
                number=o.number,
                kind=o.kind,
                created_at=o.created_at,
                customer_id=o.customer_id,
                original_order_id=o.original_order_id,
                staff_id=o.staff_id,
                staff_name=s_en or "",
                staff_name_ar=s_ar or "",
                branch_name=b_en or "",
                branch_name_ar=b_ar or "",
                net_fils=o.net_fils,
                vat_fils=o.vat_fils,
                total_fils=o.total_fils,
                tenders=dict(o.tenders or {}),
                lines=tuple(lines[o.id]),
                branch_id=o.branch_id,
            )
            for o, s_en, s_ar, b_en, b_ar in rows
        ]

    def get(self, order_id: str) -> OrderRecord | None:
        found = self._records(Order.id == order_id)
        return found[0] if found else None

    def by_number(self, number: str) -> OrderRecord | None:
        found = self._records(Order.number == number)
        return found[0] if found else None

    def returns_of(self, order_id: str) -> list[OrderRecord]:
        # orders.original_order_id has no index; the customer's index narrows the search first.
        customer_id = self._session.scalar(select(Order.customer_id).where(Order.id == order_id))
        owner = Order.customer_id == customer_id if customer_id else Order.customer_id.is_(None)
        found = self._records(owner & (Order.original_order_id == order_id))
        return sorted(found, key=lambda r: (r.created_at, r.id))

    def for_customer(self, customer_id: str, limit: int) -> list[OrderRecord]:
        return self._records(Order.customer_id == customer_id, limit)

    def purchased_lines(self, customer_id: str) -> list[PurchasedLine]:
        self._session.flush()
        rows = self._session.execute(
            select(
                Order.created_at,
                OrderLine.sku,
                OrderLine.product_name,
                OrderLine.brand,
                OrderLine.family,
                OrderLine.size_ml,
                OrderLine.quantity,
                OrderLine.unit_price_fils,
            )
            .join(OrderLine, OrderLine.order_id == Order.id)
            .where(Order.customer_id == customer_id)
        ).all()
        return [
            PurchasedLine(
                at=at if at.tzinfo else at.replace(tzinfo=UTC),
                sku=sku,
                name=name,
                brand=brand or "",
                family=family or "",
                size_ml=size,
                quantity=qty,
                unit_price_fils=price,
            )
            for at, sku, name, brand, family, size, qty, price in rows
        ]
