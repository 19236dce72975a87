"""Reads a till's store into column arrays for analytics (core.analytics.frame).

One pass per table through the DB-API cursor, in pages: a Python object per row would cost more than the
computations that follow. Times come out of SQLite as Unix seconds (``unixepoch``), so no text is parsed here.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from core.analytics.frame import RETURN, SALE, OrdersFrame

PAGE = 50_000


def _index(values: list[str]) -> dict[str, int]:
    return {value: i for i, value in enumerate(values)}


def read_orders_frame(conn: Any, *, lines: bool = True) -> OrdersFrame:
    """The store's customers, orders and (if ``lines``) order lines, from a DB-API connection."""
    cursor = conn.cursor()
    customer_ids: list[str] = []
    created: list[int] = []
    for customer_id, at in cursor.execute("SELECT id, unixepoch(created_at) FROM customers ORDER BY id"):
        customer_ids.append(customer_id)
        created.append(at or 0)
    customers = _index(customer_ids)
    branch_ids = [row[0] for row in cursor.execute("SELECT id FROM branches ORDER BY id")]
    branches = _index(branch_ids)

    order_ids: list[str] = []
    who: list[int] = []
    where: list[int] = []
    when: list[int] = []
    net: list[int] = []
    kinds: list[int] = []
    cursor.execute("SELECT id, customer_id, branch_id, unixepoch(created_at), net_fils, kind FROM orders ORDER BY id")
    while page := cursor.fetchmany(PAGE):
        for order_id, customer_id, branch_id, at, net_fils, kind in page:
            order_ids.append(order_id)
            who.append(customers.get(customer_id, -1) if customer_id else -1)
            where.append(branches.get(branch_id, -1))
            when.append(at or 0)
            returned = kind == "return"
            # A return's net is stored as the goods' value; for analytics it takes money back.
            net.append(-abs(net_fils) if returned else net_fils)
            kinds.append(RETURN if returned else SALE)
    frame = OrdersFrame(
        customer_ids=customer_ids,
        customer_created_at=np.array(created, dtype=np.int64),
        branch_ids=branch_ids,
        order_ids=order_ids,
        order_customer=np.array(who, dtype=np.int32),
        order_branch=np.array(where, dtype=np.int32),
        order_at=np.array(when, dtype=np.int64),
        order_net_fils=np.array(net, dtype=np.int64),
        order_kind=np.array(kinds, dtype=np.int8),
    )
    if lines:
        _read_lines(cursor, frame)
    cursor.close()
    return frame


def _read_lines(cursor: Any, frame: OrdersFrame) -> None:
    orders = _index(frame.order_ids)
    families: dict[str, int] = {}
    brands: dict[str, int] = {}
    of: list[int] = []
    fam: list[int] = []
    brand: list[int] = []
    net: list[int] = []
    cursor.execute("SELECT order_id, family, brand, net_fils FROM order_lines")
    while page := cursor.fetchmany(PAGE):
        for order_id, family, brand_name, net_fils in page:
            index = orders.get(order_id)
            if index is None:
                continue
            of.append(index)
            fam.append(families.setdefault(family or "", len(families)))
            brand.append(brands.setdefault(brand_name or "", len(brands)))
            net.append(net_fils)
    frame.line_order = np.array(of, dtype=np.int32)
    frame.line_family = np.array(fam, dtype=np.int32)
    frame.line_brand = np.array(brand, dtype=np.int32)
    frame.line_net_fils = np.array(net, dtype=np.int64)
    frame.families = list(families)
    frame.brands = list(brands)
