"""Reads a till's store into column arrays for analytics (core.analytics.frame).

One pass per table through the DB-API cursor, in pages: a Python object per row would cost more than the
computations that follow. Times come out of SQLite as Unix seconds (``unixepoch``), so no text is parsed here.
"""

from __future__ import annotations

import json
from array import array
from datetime import UTC, datetime
from typing import Any

import numpy as np
import numpy.typing as npt
from sqlalchemy.orm import Session

from core.analytics.customers import CustomerAnalyticsResult, DeclaredPreferences, Reason
from core.analytics.frame import EXECUTION_OUTCOMES, GIFT_CARD_KINDS, LOYALTY_KINDS, RETURN, SALE, Facts, OrdersFrame
from core.analytics.next_purchase import Why
from core.analytics.ports import CustomerInsight
from core.analytics.rfm import SEGMENTS
from core.loyalty.rules import TIER_ORDER
from storage import direct
from storage.changelog import WRITE_KEY, WriteContext
from storage.direct import TypedSelect
from storage.registers import DirectWrites
from storage.schema import CustomerAnalytics

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


def read_declared_preferences(conn: Any, frame: OrdersFrame) -> DeclaredPreferences:
    """The families and brands customers declared (``customer_preferences``, source 'declared')."""
    customers = _index(frame.customer_ids)
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
        customers = _index(frame.customer_ids)
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
                changed = np.zeros(len(page), bool)
                differs: dict[str, npt.NDArray[np.bool_]] = {}
                for offset, name in enumerate(INT_COLUMNS, start=3):
                    stored = np.array([NULL if v is None else v for v in columns[offset]], np.int64)
                    fresh = new[name][np.where(known, index, 0)]
                    differs[name] = (stored != fresh) & known
                    changed |= _changed(name, stored, fresh) & known
                for offset, name in enumerate(TEXT_COLUMNS, start=3 + len(INT_COLUMNS)):
                    stored_text = np.array(columns[offset], dtype=object)
                    fresh_text = new[name][np.where(known, index, 0)]
                    differs[name] = (stored_text != fresh_text) & known
                    changed |= differs[name]
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
    customers = _index(frame.customer_ids)
    branches = _index(frame.branch_ids)
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
    shoppers = _index(facts.shopper_ids)
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
    campaign_index = _index(facts.campaign_ids)
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
