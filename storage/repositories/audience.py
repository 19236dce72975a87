"""An audience (core.campaigns.audience) compiled to one SQL statement: its count, or a page of its ids.

Every filter is a condition on one row of ``customers``: a column test, or a subquery correlated with the
customer that an index answers (migration 0014 added those it lacked). Nothing is materialised per customer
first: with a selective filter the statement looks at the few customers that pass it, and the sums (spend,
points) are computed only for those. Values are bound parameters, lists included (SQLAlchemy's expanding IN).

What each filter reads, and how it matches its definition in core:
- tier: the loyalty account's cached tier (head office's last decision), an account not tombstoned;
- points: the sum of the account's ledger (no account: 0);
- spend: sales less returns, total with VAT (a return counts against the sale whatever sign it was stored with);
- last purchase: the customer's latest sale falls in the window, i.e. one sale in it and none after it;
- families and brands: ``customer_preferences`` (declared or learned, any row not tombstoned; a JSON list that
  does not read is taken as empty, so one bad row cannot fail every count) and/or the lines of their sales;
- opted out: the latest grant or withdrawal of promotional consent on the channel, ordered as
  ``core.messaging.consent.fold`` orders the ledger (when it happened, when written, id), is a grant;
- capped: as ``core.messaging.rules.cap_frees_at`` counts: promotional messages that left in (now - period, now].
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    ColumnElement,
    ScalarSelect,
    Select,
    and_,
    case,
    exists,
    func,
    literal,
    not_,
    or_,
    select,
    true,
)
from sqlalchemy.orm import Session

from core.campaigns.audience import AudienceDefinition
from core.campaigns.audience_query import AudienceQuery
from core.messaging.consent import Action, Purpose
from storage.repositories.messaging import LEFT
from storage.schema import (
    CampaignExecution,
    Communication,
    ConsentChangeRow,
    Customer,
    CustomerPreference,
    LoyaltyAccount,
    LoyaltyTransaction,
    MessageTemplate,
    Order,
    OrderLine,
    PersonalShopper,
    PersonalShopperAssignment,
)

C = Customer.__table__.alias("c")


def _sales(*more: ColumnElement[bool]) -> ColumnElement[bool]:
    # SELECT 1, not SELECT *: SQLite then answers from ix_orders_customer_kind_created without the rows.
    return exists(select(literal(1)).select_from(Order).where(Order.customer_id == C.c.id, Order.kind == "sale", *more))


def _spend() -> ScalarSelect[Any]:
    signed = case((Order.kind == "return", -func.abs(Order.total_fils)), else_=Order.total_fils)
    return select(func.coalesce(func.sum(signed), 0)).where(Order.customer_id == C.c.id).scalar_subquery()


def _points() -> ScalarSelect[Any]:
    la, lt = LoyaltyAccount, LoyaltyTransaction
    return (
        select(func.coalesce(func.sum(lt.points), 0))
        .join(la, la.id == lt.account_id)
        .where(la.customer_id == C.c.id, la.deleted.is_(False))
        .scalar_subquery()
    )


def _in_span(value: ScalarSelect[Any], low: int | None, high: int | None) -> ColumnElement[bool]:
    if low is not None and high is not None:
        return value.between(low, high)  # the sum is worked out once (SQLite evaluates BETWEEN's left once)
    if low is not None:
        return value >= low
    return value <= high


def _json_values(column: Any) -> Any:
    """The values of a stored JSON list, read as empty when the text is not JSON."""
    safe = case((func.json_valid(column) == 1, column), else_=literal("[]"))
    return func.json_each(safe).table_valued("value")


def _taste(d: AudienceDefinition, values: tuple[str, ...], family: bool) -> ColumnElement[bool]:
    """A preference or a sale line in one of ``values`` (families, or brand keys)."""
    p = CustomerPreference
    listed = _json_values(p.families if family else p.brands)
    pref_value = listed.c.value if family else func.lower(func.trim(listed.c.value))
    in_preferences = exists(
        select(literal(1))
        .select_from(p)
        .join(listed, true())
        .where(p.customer_id == C.c.id, p.deleted.is_(False), pref_value.in_(values))
    )
    line_value = OrderLine.family if family else func.lower(func.trim(OrderLine.brand))
    in_purchases = exists(
        select(literal(1))
        .select_from(Order)
        .join(OrderLine, OrderLine.order_id == Order.id)
        .where(Order.customer_id == C.c.id, Order.kind == "sale", line_value.in_(values))
    )
    if d.taste_from == "preferences":
        return in_preferences
    if d.taste_from == "purchases":
        return in_purchases
    return or_(in_preferences, in_purchases)


def _promotional_consent(channel: str) -> ColumnElement[bool]:
    r = ConsentChangeRow
    latest = (
        select(r.action)
        .where(
            r.customer_id == C.c.id,
            r.channel == channel,
            r.action.in_([Action.GRANT.value, Action.WITHDRAW.value]),
            or_(r.purpose.is_(None), r.purpose == Purpose.PROMOTIONAL.value),
        )
        .order_by(r.occurred_at.desc(), r.created_at.desc(), r.id.desc())
        .limit(1)
        .scalar_subquery()
    )
    return latest == Action.GRANT.value


def _promotional_messages(*more: ColumnElement[bool]) -> Any:
    m, t = Communication, MessageTemplate
    return (
        select(func.count())
        .select_from(m)
        .join(t, t.id == m.template_id)
        .where(m.customer_id == C.c.id, m.direction == "outbound", t.promotional.is_(True), *more)
    )


def conditions(q: AudienceQuery) -> list[ColumnElement[bool]]:
    """The statement's WHERE, cheapest tests first: columns of the customer row, then look-ups in small or
    well-indexed tables, then the sums."""
    d = q.definition
    out: list[ColumnElement[bool]] = [C.c.deleted.is_(False)]
    for column, values in (
        (C.c.segment, d.segments),
        (C.c.emirate, d.emirates),
        (C.c.preferred_language, d.languages),
        (C.c.preferred_channel, d.channels),
    ):
        if values:
            out.append(column.in_(values))
    if d.birthday_months:
        out.append(func.substr(C.c.birthday, 6, 2).in_([f"{m:02d}" for m in d.birthday_months]))
    if d.tiers:
        la = LoyaltyAccount
        out.append(C.c.id.in_(select(la.customer_id).where(la.tier.in_(d.tiers), la.deleted.is_(False))))
    if d.has_personal_shopper is not None:
        a, s = PersonalShopperAssignment, PersonalShopper
        looked_after = exists(
            select(literal(1))
            .select_from(a)
            .join(s, s.id == a.shopper_id)
            .where(
                a.customer_id == C.c.id,
                a.ended_at.is_(None),
                a.deleted.is_(False),
                s.active.is_(True),
                s.deleted.is_(False),
            )
        )
        out.append(looked_after if d.has_personal_shopper else not_(looked_after))
    if d.last_purchase is not None:
        out.append(_last_purchase(q))
    if d.families:
        out.append(_taste(d, d.families, family=True))
    if d.brands:
        out.append(_taste(d, d.brands, family=False))
    ex = d.exclude
    if q.executions_since is not None:
        e = CampaignExecution
        others = [e.customer_id == C.c.id, e.created_at >= q.executions_since]
        if q.campaign_id is not None:
            others.append(e.campaign_id != q.campaign_id)
        out.append(not_(exists(select(literal(1)).select_from(e).where(*others))))
    if ex.opted_out:
        out.append(or_(*(_promotional_consent(channel) for channel in q.consent_channels)))
    if q.messaged_since is not None:
        m = Communication
        recent = _promotional_messages(m.status != "dead", m.created_at >= q.messaged_since)
        out.append(not_(exists(recent.with_only_columns(literal(1)))))
    if ex.capped:
        m = Communication
        left = _promotional_messages(m.status.in_(LEFT), m.updated_at > q.cap_since, m.updated_at <= q.now)
        out.append(left.scalar_subquery() < q.cap)
    if not d.points.open:
        out.append(_in_span(_points(), d.points.min, d.points.max))
    if not d.spend_fils.open:
        out.append(_in_span(_spend(), d.spend_fils.min, d.spend_fils.max))
    return out


def _last_purchase(q: AudienceQuery) -> ColumnElement[bool]:
    lp = q.definition.last_purchase
    assert lp is not None
    window = q.purchase_window
    never = not_(_sales())
    if window is None:
        return never if lp.never else _sales()
    inside = [Order.created_at >= window.start] if window.start is not None else []
    if window.end is not None:
        inside.append(Order.created_at < window.end)
    latest_inside = _sales(*inside)
    if window.end is not None:
        latest_inside = and_(latest_inside, not_(_sales(Order.created_at >= window.end)))
    return or_(latest_inside, never) if lp.never else latest_inside


def count_statement(q: AudienceQuery) -> Select[tuple[int]]:
    return select(func.count()).select_from(C).where(*conditions(q))


def page_statement(q: AudienceQuery, after: str | None, limit: int) -> Select[tuple[str]]:
    where = conditions(q)
    if after is not None:
        where.append(C.c.id > after)
    return select(C.c.id).where(*where).order_by(C.c.id).limit(limit)


class SqlAudienceRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def count(self, query: AudienceQuery) -> int:
        return int(self._session.execute(count_statement(query)).scalar_one())

    def page(self, query: AudienceQuery, after: str | None, limit: int) -> list[str]:
        return list(self._session.execute(page_statement(query, after, limit)).scalars())


__all__ = ["SqlAudienceRepository", "conditions", "count_statement", "page_statement"]
