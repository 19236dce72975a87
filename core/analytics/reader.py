"""Reads a store's history into column arrays for analytics (core.analytics.frame).

One pass per table through a DB-API (PEP 249) cursor, in pages: a Python object per row would cost more than the
computations that follow. Times come out of SQLite as Unix seconds (``unixepoch``), so no text is parsed here.
The SQL is the till's schema in SQLite's dialect; it takes a cursor, not a driver or an ORM, so the till's store
(storage.repositories.figures) and head office's in-memory copy of the chain (sync.headoffice.analytics) run the
same reader and cannot count differently.
"""

from __future__ import annotations

from array import array
from typing import Any

import numpy as np

from core.analytics.customers import DeclaredPreferences
from core.analytics.frame import EXECUTION_OUTCOMES, GIFT_CARD_KINDS, LOYALTY_KINDS, RETURN, SALE, Facts, OrdersFrame
from core.loyalty.rules import TIER_ORDER

PAGE = 50_000


def positions(values: list[str]) -> dict[str, int]:
    """Each value's index in ``values``."""
    return {value: i for i, value in enumerate(values)}


def read_orders_frame(conn: Any, *, lines: bool = True) -> OrdersFrame:
    """The store's customers, orders and (if ``lines``) order lines, from a DB-API connection."""
    cursor = conn.cursor()
    customer_ids: list[str] = []
    created: list[int] = []
    for customer_id, at in cursor.execute("SELECT id, unixepoch(created_at) FROM customers ORDER BY id"):
        customer_ids.append(customer_id)
        created.append(at or 0)
    customers = positions(customer_ids)
    branch_ids = [row[0] for row in cursor.execute("SELECT id FROM branches ORDER BY id")]
    branches = positions(branch_ids)

    # Typed arrays, not lists: five million Python ints per column would cost more memory than the frame.
    order_ids: list[str] = []
    who = array("i")
    where = array("i")
    when = array("q")
    net = array("q")
    kinds = array("b")
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
        order_customer=np.frombuffer(who, dtype=np.int32).copy(),
        order_branch=np.frombuffer(where, dtype=np.int32).copy(),
        order_at=np.frombuffer(when, dtype=np.int64).copy(),
        order_net_fils=np.frombuffer(net, dtype=np.int64).copy(),
        order_kind=np.frombuffer(kinds, dtype=np.int8).copy(),
    )
    if lines:
        _read_lines(cursor, frame)
    cursor.close()
    return frame


def _read_lines(cursor: Any, frame: OrdersFrame) -> None:
    """The order lines, each matched to its order by walking both in id order (the orders were read sorted by
    id, the lines come through their order_id index): no map of five million order ids to their index."""
    order_ids = frame.order_ids
    count = len(order_ids)
    at = 0
    families: dict[str, int] = {}
    brands: dict[str, int] = {}
    # Typed arrays, as for the orders: a chain's lines outnumber its orders.
    of, fam, brand, net = array("i"), array("i"), array("i"), array("q")
    cursor.execute(
        "SELECT order_id, family, brand, net_fils FROM order_lines WHERE order_id IS NOT NULL ORDER BY order_id"
    )
    while page := cursor.fetchmany(PAGE):
        for order_id, family, brand_name, net_fils in page:
            while at < count and order_ids[at] < order_id:
                at += 1
            if at == count or order_ids[at] != order_id:
                continue  # a line of an order the frame does not hold
            of.append(at)
            fam.append(families.setdefault(family or "", len(families)))
            brand.append(brands.setdefault(brand_name or "", len(brands)))
            net.append(net_fils)
    frame.line_order = np.frombuffer(of, dtype=np.int32).copy()
    frame.line_family = np.frombuffer(fam, dtype=np.int32).copy()
    frame.line_brand = np.frombuffer(brand, dtype=np.int32).copy()
    frame.line_net_fils = np.frombuffer(net, dtype=np.int64).copy()
    frame.families = list(families)
    frame.brands = list(brands)


def read_declared_preferences(conn: Any, frame: OrdersFrame) -> DeclaredPreferences:
    """The families and brands customers declared (``customer_preferences``, source 'declared')."""
    customers = positions(frame.customer_ids)
    found: dict[str, tuple[list[int], list[str]]] = {"families": ([], []), "brands": ([], [])}
    cursor = conn.cursor()
    for column, (who, names) in found.items():
        cursor.execute(
            f"SELECT p.customer_id, j.value FROM customer_preferences AS p, json_each(p.{column}) AS j "
            "WHERE p.source = 'declared' AND p.deleted = 0 AND j.type = 'text'"
        )
        while page := cursor.fetchmany(PAGE):
            for customer_id, name in page:
                index = customers.get(customer_id)
                if index is not None and name:
                    who.append(index)
                    names.append(name)
    cursor.close()
    return DeclaredPreferences(
        family_customer=np.array(found["families"][0], np.int32),
        families=tuple(found["families"][1]),
        brand_customer=np.array(found["brands"][0], np.int32),
        brands=tuple(found["brands"][1]),
    )


def _codes(cursor: Any, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    cursor.execute(sql, params)
    out: list[tuple[Any, ...]] = []
    while page := cursor.fetchmany(PAGE):
        out.extend(page)
    return out


def read_facts(conn: Any, frame: OrdersFrame) -> Facts:
    """What the dashboards read beside the orders (core.analytics.frame.Facts), for the frame's customers and
    branches; sets ``frame.extra`` and returns it. Rows of a customer or a branch the frame does not know count
    as "none" (-1)."""
    cursor = conn.cursor()
    customers = positions(frame.customer_ids)
    branches = positions(frame.branch_ids)
    facts = Facts.empty(frame.customers)
    segments: dict[str, int] = {}
    tiers = {tier.value: i for i, tier in enumerate(TIER_ORDER)}
    home = facts.customer_branch
    segment = facts.customer_segment
    cursor.execute("SELECT branch_id, segment FROM customers ORDER BY id")
    at = 0
    while page := cursor.fetchmany(PAGE):
        for branch_id, name in page:
            home[at] = branches.get(branch_id, -1)
            segment[at] = segments.setdefault(name or "", len(segments))
            at += 1
    facts.segments = list(segments)
    accounts: dict[str, int] = {}
    for account_id, customer_id, tier in _codes(
        cursor, "SELECT id, customer_id, tier FROM loyalty_accounts WHERE deleted = 0"
    ):
        who = customers.get(customer_id, -1)
        accounts[account_id] = who
        if who >= 0:
            facts.customer_tier[who] = tiers.get(tier, -1)
    for branch_id, name_en, name_ar in _codes(cursor, "SELECT id, name_en, name_ar FROM branches"):
        facts.names[branch_id] = (name_en, name_ar)
    shopper_rows = _codes(
        cursor,
        "SELECT p.id, s.name_en, s.name_ar FROM personal_shoppers AS p JOIN staff AS s ON s.id = p.staff_id "
        "ORDER BY p.id",
    )
    facts.shopper_ids = [row[0] for row in shopper_rows]
    for shopper_id, name_en, name_ar in shopper_rows:
        facts.names[shopper_id] = (name_en, name_ar)
    shoppers = positions(facts.shopper_ids)
    for customer_id, shopper_id in _codes(
        cursor,
        "SELECT customer_id, shopper_id FROM personal_shopper_assignments WHERE deleted = 0 AND ended_at IS NULL "
        "ORDER BY assigned_at",
    ):
        who = customers.get(customer_id, -1)
        if who >= 0:
            facts.customer_shopper[who] = shoppers.get(shopper_id, -1)

    # The largest table after orders (an event per sale of a member): streamed into typed arrays.
    kinds = {kind: i for i, kind in enumerate(LOYALTY_KINDS)}
    loyalty_customer, loyalty_kind, loyalty_points, loyalty_at = array("i"), array("b"), array("q"), array("q")
    cursor.execute("SELECT account_id, kind, points, unixepoch(created_at) FROM loyalty_transactions")
    while page := cursor.fetchmany(PAGE):
        for account_id, kind, points, at in page:
            loyalty_customer.append(accounts.get(account_id, -1))
            loyalty_kind.append(kinds.get(kind, -1))
            loyalty_points.append(points)
            loyalty_at.append(at or 0)
    facts.loyalty_customer = np.frombuffer(loyalty_customer, np.int32).copy()
    facts.loyalty_kind = np.frombuffer(loyalty_kind, np.int8).copy()
    facts.loyalty_points = np.frombuffer(loyalty_points, np.int64).copy()
    facts.loyalty_at = np.frombuffer(loyalty_at, np.int64).copy()
    del loyalty_customer, loyalty_kind, loyalty_points, loyalty_at

    cards = _codes(
        cursor,
        "SELECT id, branch_id, unixepoch(created_at), initial_fils, unixepoch(expires_on, '+1 day', '-4 hours') "
        "FROM gift_cards WHERE deleted = 0 ORDER BY id",
    )
    card_index = {row[0]: i for i, row in enumerate(cards)}
    facts.card_branch = np.array([branches.get(r[1], -1) for r in cards], np.int32)
    facts.card_at = np.array([r[2] or 0 for r in cards], np.int64)
    facts.card_initial_fils = np.array([r[3] for r in cards], np.int64)
    facts.card_expires_at = np.array([r[4] or 0 for r in cards], np.int64)
    txns = _codes(
        cursor,
        "SELECT card_id, kind, amount_fils, unixepoch(created_at) FROM gift_card_transactions ORDER BY created_at",
    )
    card_kinds = {kind: i for i, kind in enumerate(GIFT_CARD_KINDS)}
    facts.card_txn_card = np.array([card_index.get(r[0], -1) for r in txns], np.int32)
    facts.card_txn_kind = np.array([card_kinds.get(r[1], -1) for r in txns], np.int8)
    facts.card_txn_fils = np.array([r[2] for r in txns], np.int64)
    facts.card_txn_at = np.array([r[3] or 0 for r in txns], np.int64)

    visits = _codes(cursor, "SELECT shopper_id, customer_id, unixepoch(visited_at) FROM vip_visits")
    facts.visit_shopper = np.array([shoppers.get(r[0], -1) for r in visits], np.int32)
    facts.visit_customer = np.array([customers.get(r[1], -1) for r in visits], np.int32)
    facts.visit_at = np.array([r[2] or 0 for r in visits], np.int64)

    # The feedback dashboard's own facts (0024): one row per answer, its shopper when it was given.
    answers = _codes(
        cursor,
        "SELECT shopper_id, branch_id, nps_class, unixepoch(created_at) FROM feedback_facts WHERE nps_class > 0",
    )
    facts.answer_shopper = np.array([shoppers.get(r[0], -1) for r in answers], np.int32)
    facts.answer_branch = np.array([branches.get(r[1], -1) for r in answers], np.int32)
    facts.answer_class = np.array([r[2] for r in answers], np.int8)
    facts.answer_at = np.array([r[3] or 0 for r in answers], np.int64)

    campaigns = _codes(cursor, "SELECT id, name FROM campaigns ORDER BY id")
    facts.campaign_ids = [row[0] for row in campaigns]
    for campaign_id, name in campaigns:
        facts.names[campaign_id] = (name, name)
    campaign_index = positions(facts.campaign_ids)
    outcomes = {outcome: i for i, outcome in enumerate(EXECUTION_OUTCOMES)}
    executions = _codes(
        cursor, "SELECT campaign_id, customer_id, outcome, unixepoch(created_at) FROM campaign_executions"
    )
    facts.execution_campaign = np.array([campaign_index.get(r[0], -1) for r in executions], np.int32)
    facts.execution_customer = np.array([customers.get(r[1], -1) for r in executions], np.int32)
    facts.execution_outcome = np.array([outcomes.get(r[2], -1) for r in executions], np.int8)
    facts.execution_at = np.array([r[3] or 0 for r in executions], np.int64)
    redemptions = _codes(cursor, "SELECT campaign_id, discount_fils, points FROM offer_redemptions")
    facts.redemption_campaign = np.array([campaign_index.get(r[0], -1) for r in redemptions], np.int32)
    facts.redemption_discount_fils = np.array([r[1] for r in redemptions], np.int64)
    facts.redemption_points = np.array([r[2] for r in redemptions], np.int64)
    cursor.close()
    frame.extra = facts
    return facts
