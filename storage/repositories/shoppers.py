"""Personal-shopper queries: profiles with their load, assignments, VIP lists, visits, follow-ups, performance.

Loads are counted from the assignment rows (never stored), so two tills can never disagree on a stored count.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, case, exists, func, or_, select
from sqlalchemy.orm import Session, aliased

from core.customers.model import Segment
from core.kernel.ids import new_id
from core.shoppers.matching import CustomerNeeds, ShopperProfile
from core.shoppers.model import (
    AssignmentRecord,
    CustomerBrief,
    FlaggedVisit,
    FollowUpItem,
    FollowUpStatus,
    OrderSummary,
    QueueEntry,
    QueueReason,
    ShopperCandidateStaff,
    VipRow,
    VisitRecord,
)
from storage import direct
from storage.changelog import WRITE_KEY
from storage.db import Store
from storage.schema import (
    Branch,
    Customer,
    CustomerHistory,
    CustomerPreference,
    FollowUp,
    LoyaltyAccount,
    Order,
    OrderLine,
    PersonalShopper,
    PersonalShopperAssignment,
    Staff,
    VipVisit,
)

GLANCE_FAMILIES = 4
GLANCE_BRANDS = 3

_A = PersonalShopperAssignment
_P = PersonalShopper


def _active_assignment() -> ColumnElement[bool]:
    return and_(_A.ended_at.is_(None), _A.deleted.is_(False))


def _load_subquery() -> Any:
    return (
        select(_A.shopper_id.label("shopper_id"), func.count().label("n"))
        .where(_active_assignment())
        .group_by(_A.shopper_id)
        .subquery()
    )


def _shopper_select() -> Select[Any]:
    # Columns, not entities: matching reads every shopper on each call, and building ORM objects (with their
    # per-field clock stamps) costs more than the query.
    load = _load_subquery()
    return (
        select(
            _P.id,
            _P.staff_id,
            Staff.branch_id,
            _P.languages,
            _P.specialties,
            _P.experience_years,
            _P.capacity,
            _P.active,
            Staff.name_en,
            Staff.name_ar,
            Branch.name_en,
            Branch.name_ar,
            func.coalesce(load.c.n, 0),
        )
        .join(Staff, Staff.id == _P.staff_id)
        .outerjoin(Branch, Branch.id == Staff.branch_id)
        .outerjoin(load, load.c.shopper_id == _P.id)
        .where(_P.deleted.is_(False))
    )


SHOPPERS_SQL = (
    "SELECT ps.id, ps.staff_id, s.branch_id, ps.languages, ps.specialties, ps.experience_years, ps.capacity, "
    "ps.active, s.name_en, s.name_ar, b.name_en, b.name_ar, coalesce(l.n, 0) FROM personal_shoppers ps "
    "JOIN staff s ON s.id = ps.staff_id LEFT JOIN branches b ON b.id = s.branch_id "
    "LEFT JOIN (SELECT shopper_id, count(*) AS n FROM personal_shopper_assignments "
    "WHERE ended_at IS NULL AND deleted = 0 GROUP BY shopper_id) l ON l.shopper_id = ps.id "
    "WHERE ps.deleted = 0 {active} ORDER BY s.name_en, ps.id"
)


def _profile(row: Any) -> ShopperProfile:
    sid, staff_id, branch_id, languages, specialties, years, capacity, active, name_en, name_ar, b_en, b_ar, load = row
    return ShopperProfile(
        id=sid,
        staff_id=staff_id,
        branch_id=branch_id,
        name_en=name_en,
        name_ar=name_ar,
        languages=tuple(languages or ()),
        specialties=tuple(specialties or ()),
        experience_years=years,
        capacity=capacity,
        active=active,
        load=int(load),
        branch_name_en=b_en or "",
        branch_name_ar=b_ar or "",
    )


def _name(first: str | None, last: str | None) -> str:
    return " ".join(p for p in (first, last) if p)


def _brief(c: Customer) -> CustomerBrief:
    return CustomerBrief(
        id=c.id,
        number=c.number,
        name_en=_name(c.first_name_en, c.last_name_en),
        name_ar=_name(c.first_name_ar, c.last_name_ar),
        segment=Segment(c.segment),
        preferred_language=c.preferred_language,
        branch_id=c.branch_id,
    )


def _visit(v: VipVisit) -> VisitRecord:
    return VisitRecord(
        id=v.id,
        customer_id=v.customer_id,
        shopper_id=v.shopper_id,
        visited_at=v.visited_at,
        duration_minutes=v.duration_minutes,
        products_tried=tuple(v.products_tried or ()),
        products_bought=tuple(v.products_bought or ()),
        order_id=v.order_id,
        mood=v.mood,
        notes=v.notes,
        next_follow_up=v.next_follow_up,
        customer_not_vip=v.customer_not_vip,
    )


def _signed_total() -> ColumnElement[int]:
    # A return takes the sale back, whichever sign the till recorded its total with.
    return case((Order.kind == "return", -func.abs(Order.total_fils)), else_=Order.total_fils)


class SqlShopperRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    # -- profiles ------------------------------------------------------------------------------------------
    def shoppers(self, include_inactive: bool) -> list[ShopperProfile]:
        # Matching reads every shopper on each call: plain SQL, the JSON lists decoded here.
        sql = SHOPPERS_SQL.format(active="" if include_inactive else "AND ps.active = 1")
        rows = direct.rows(self._session, sql)
        return [
            _profile((*r[:3], json.loads(r[3] or "[]"), json.loads(r[4] or "[]"), *r[5:7], bool(r[7]), *r[8:]))
            for r in rows
        ]

    def shopper(self, shopper_id: str) -> ShopperProfile | None:
        row = self._session.execute(_shopper_select().where(_P.id == shopper_id)).first()
        return None if row is None else _profile(row)

    def shopper_by_staff(self, staff_id: str) -> ShopperProfile | None:
        row = self._session.execute(_shopper_select().where(_P.staff_id == staff_id)).first()
        return None if row is None else _profile(row)

    def staff_without_profile(self) -> list[ShopperCandidateStaff]:
        rows = self._session.execute(
            select(Staff.id, Staff.branch_id, Staff.name_en, Staff.name_ar)
            .where(
                Staff.role == "personal_shopper",
                Staff.active.is_(True),
                ~exists().where(_P.staff_id == Staff.id),
            )
            .order_by(Staff.name_en)
        )
        return [ShopperCandidateStaff(*r) for r in rows]

    def staff_role(self, staff_id: str) -> tuple[str, str] | None:
        row = self._session.execute(select(Staff.role, Staff.branch_id).where(Staff.id == staff_id)).first()
        return None if row is None else (row[0], row[1])

    def add_shopper(self, staff_id: str, branch_id: str, values: dict[str, object]) -> str:
        # The row is the writing branch's, as every row is (head office refuses one naming another branch); the
        # shopper's own branch, ``branch_id``, is their staff record's, which is where the reads take it from.
        del branch_id
        shopper = _P(id=new_id(), staff_id=staff_id, **values)
        self._session.add(shopper)
        self._session.flush()
        return shopper.id

    def update_shopper(self, shopper_id: str, changes: dict[str, object]) -> None:
        row = self._session.get(_P, shopper_id)
        assert row is not None
        for name, value in changes.items():
            setattr(row, name, value)
        self._session.flush()

    # -- customers -----------------------------------------------------------------------------------------
    def customer(self, customer_id: str) -> CustomerBrief | None:
        row = self._session.get(Customer, customer_id)
        return None if row is None or row.deleted else _brief(row)

    def customer_needs(self, customer_id: str) -> CustomerNeeds | None:
        row = self._session.get(Customer, customer_id)
        if row is None:
            return None
        declared_f: list[str] = []
        declared_b: list[str] = []
        learned_f: dict[str, int] = defaultdict(int)
        learned_b: dict[str, int] = defaultdict(int)
        prefs = self._session.execute(
            select(CustomerPreference.source, CustomerPreference.families, CustomerPreference.brands).where(
                CustomerPreference.customer_id == customer_id, CustomerPreference.deleted.is_(False)
            )
        )
        for source, families, brands in prefs:
            if source == "declared":
                declared_f += [f for f in families or () if f not in declared_f]
                declared_b += [b for b in brands or () if b not in declared_b]
            else:
                for f in families or ():
                    learned_f[f] += 1
                for b in brands or ():
                    learned_b[b] += 1
        for family, brand, quantity in self._session.execute(
            select(OrderLine.family, OrderLine.brand, func.sum(OrderLine.quantity))
            .join(Order, Order.id == OrderLine.order_id)
            .where(Order.customer_id == customer_id, Order.kind == "sale")
            .group_by(OrderLine.family, OrderLine.brand)
        ):
            if family:
                learned_f[family] += int(quantity)
            if brand:
                learned_b[brand] += int(quantity)
        return CustomerNeeds(
            customer_id=customer_id,
            preferred_language=row.preferred_language,
            home_branch_id=row.branch_id,
            declared_families=tuple(declared_f),
            declared_brands=tuple(declared_b),
            learned_families=tuple(sorted(learned_f.items())),
            learned_brands=tuple(sorted(learned_b.items())),
        )

    # -- assignments ---------------------------------------------------------------------------------------
    def _assignments(self, customer_id: str) -> Select[Any]:
        return (
            select(_A, Staff.name_en, Staff.name_ar)
            .join(_P, _P.id == _A.shopper_id)
            .join(Staff, Staff.id == _P.staff_id)
            .where(_A.customer_id == customer_id, _A.deleted.is_(False))
        )

    @staticmethod
    def _assignment(row: Any) -> AssignmentRecord:
        a, name_en, name_ar = row
        return AssignmentRecord(
            id=a.id,
            customer_id=a.customer_id,
            shopper_id=a.shopper_id,
            shopper_name_en=name_en,
            shopper_name_ar=name_ar,
            assigned_at=a.assigned_at,
            ended_at=a.ended_at,
            reason=a.reason,
            capacity_override=a.capacity_override,
        )

    def active_assignment(self, customer_id: str) -> AssignmentRecord | None:
        row = self._session.execute(
            self._assignments(customer_id).where(_A.ended_at.is_(None)).order_by(_A.assigned_at.desc()).limit(1)
        ).first()
        return None if row is None else self._assignment(row)

    def assignments(self, customer_id: str) -> list[AssignmentRecord]:
        rows = self._session.execute(
            self._assignments(customer_id).order_by(_A.ended_at.is_not(None), _A.assigned_at.desc(), _A.id.desc())
        )
        return [self._assignment(r) for r in rows]

    def add_assignment(
        self, customer_id: str, shopper_id: str, at: datetime, reason: str | None, override: bool
    ) -> str:
        row = _A(
            id=new_id(),
            shopper_id=shopper_id,
            customer_id=customer_id,
            assigned_at=at,
            ended_at=None,
            reason=reason,
            capacity_override=override,
        )
        self._session.add(row)
        self._session.flush()
        return row.id

    def end_assignment(self, assignment_id: str, at: datetime) -> None:
        row = self._session.get(_A, assignment_id)
        assert row is not None
        row.ended_at = at
        self._session.flush()

    def record_history(self, customer_id: str, action: str, changes: dict[str, list[object]]) -> None:
        staff_id = self._session.info[WRITE_KEY].staff_id
        self._session.add(CustomerHistory(customer_id=customer_id, staff_id=staff_id, action=action, changes=changes))
        self._session.flush()

    def vip_queue(self, diamond_ids: list[str]) -> list[QueueEntry]:
        active_shopper = (
            select(_A.customer_id)
            .join(_P, _P.id == _A.shopper_id)
            .where(_active_assignment(), _P.active.is_(True), _A.customer_id == Customer.id)
        )
        vip = Customer.segment == Segment.VIP.value
        if diamond_ids:
            vip = or_(vip, Customer.id.in_(diamond_ids))
        rows = self._session.scalars(
            select(Customer)
            .where(Customer.deleted.is_(False), vip, ~exists(active_shopper))
            .order_by(Customer.updated_at, Customer.number)
        ).all()
        if not rows:
            return []
        # Customers whose assignment is still open, but with a shopper made inactive.
        stranded = {
            customer_id: (name_en, name_ar, since)
            for customer_id, name_en, name_ar, since in self._session.execute(
                select(_A.customer_id, Staff.name_en, Staff.name_ar, _P.updated_at)
                .join(_P, _P.id == _A.shopper_id)
                .join(Staff, Staff.id == _P.staff_id)
                .where(_active_assignment(), _P.active.is_(False), _A.customer_id.in_([c.id for c in rows]))
            )
        }
        out = []
        for c in rows:
            if c.id in stranded:
                name_en, name_ar, since = stranded[c.id]
                out.append(QueueEntry(_brief(c), None, QueueReason.SHOPPER_INACTIVE, since, name_en, name_ar))
            else:
                out.append(QueueEntry(_brief(c), None, QueueReason.NO_SHOPPER, c.updated_at))
        out.sort(key=lambda e: (e.since, e.customer.number))
        return out

    # -- a shopper's VIPs ----------------------------------------------------------------------------------
    def vip_rows(self, shopper_id: str) -> list[VipRow]:
        assigned = self._session.execute(
            select(Customer, _A.assigned_at)
            .join(_A, _A.customer_id == Customer.id)
            .where(_A.shopper_id == shopper_id, _active_assignment(), Customer.deleted.is_(False))
        ).all()
        ids = [c.id for c, _at in assigned]
        if not ids:
            return []
        last_visit: dict[str, datetime] = dict(
            self._session.execute(  # type: ignore[arg-type]
                select(VipVisit.customer_id, func.max(VipVisit.visited_at))
                .where(VipVisit.customer_id.in_(ids))
                .group_by(VipVisit.customer_id)
            ).all()
        )
        follow = {
            customer_id: (int(n), first)
            for customer_id, n, first in self._session.execute(
                select(FollowUp.customer_id, func.count(), func.min(FollowUp.due_on))
                .where(
                    FollowUp.shopper_id == shopper_id,
                    FollowUp.status == FollowUpStatus.OPEN.value,
                    FollowUp.deleted.is_(False),
                    FollowUp.customer_id.in_(ids),
                )
                .group_by(FollowUp.customer_id)
            )
        }
        families, brands = self._tastes(ids)
        rows = [
            VipRow(
                customer=_brief(c),
                mobile=c.mobile,
                birthday=c.birthday,
                created_at=c.created_at,
                assigned_at=at,
                last_visit_at=last_visit.get(c.id),
                open_follow_ups=follow.get(c.id, (0, None))[0],
                next_follow_up_on=follow.get(c.id, (0, None))[1],
                families=families.get(c.id, ()),
                brands=brands.get(c.id, ()),
            )
            for c, at in assigned
        ]
        rows.sort(key=lambda r: (r.customer.name_en.casefold(), r.customer.number))
        return rows

    def _tastes(self, ids: Sequence[str]) -> tuple[dict[str, tuple[str, ...]], dict[str, tuple[str, ...]]]:
        """Preferences at a glance: declared first, then what the customer buys most."""
        declared_f: dict[str, list[str]] = defaultdict(list)
        declared_b: dict[str, list[str]] = defaultdict(list)
        for customer_id, _source, fams, brs in self._session.execute(
            select(
                CustomerPreference.customer_id,
                CustomerPreference.source,
                CustomerPreference.families,
                CustomerPreference.brands,
            )
            .where(CustomerPreference.customer_id.in_(ids), CustomerPreference.deleted.is_(False))
            .order_by(CustomerPreference.source, CustomerPreference.created_at)
        ):
            declared_f[customer_id] += list(fams or ())
            declared_b[customer_id] += list(brs or ())
        bought_f: dict[str, list[tuple[int, str]]] = defaultdict(list)
        bought_b: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        for customer_id, family, brand, quantity in self._session.execute(
            select(Order.customer_id, OrderLine.family, OrderLine.brand, func.sum(OrderLine.quantity))
            .join(OrderLine, OrderLine.order_id == Order.id)
            .where(Order.customer_id.in_(ids), Order.kind == "sale")
            .group_by(Order.customer_id, OrderLine.family, OrderLine.brand)
        ):
            if family:
                bought_f[customer_id].append((int(quantity), family))
            if brand:
                bought_b[customer_id][brand] += int(quantity)

        def merged(first: Iterable[str], then: Iterable[str], limit: int) -> tuple[str, ...]:
            return tuple(dict.fromkeys([*first, *then]))[:limit]

        families: dict[str, tuple[str, ...]] = {}
        brands: dict[str, tuple[str, ...]] = {}
        for customer_id in ids:
            totals: dict[str, int] = defaultdict(int)
            for quantity, family in bought_f.get(customer_id, []):
                totals[family] += quantity
            by_family = sorted(totals, key=lambda f: (-totals[f], f))
            by_brand = sorted(bought_b.get(customer_id, {}), key=lambda b: (-bought_b[customer_id][b], b))
            families[customer_id] = merged(declared_f.get(customer_id, []), by_family, GLANCE_FAMILIES)
            brands[customer_id] = merged(declared_b.get(customer_id, []), by_brand, GLANCE_BRANDS)
        return families, brands

    # -- follow-ups ----------------------------------------------------------------------------------------
    def _follow_up_select(self) -> Select[Any]:
        return (
            select(FollowUp, Customer, Staff.name_en, Staff.name_ar)
            .join(Customer, Customer.id == FollowUp.customer_id)
            .join(_P, _P.id == FollowUp.shopper_id)
            .join(Staff, Staff.id == _P.staff_id)
            .where(FollowUp.deleted.is_(False))
        )

    @staticmethod
    def _follow_up(row: Any) -> FollowUpItem:
        f, c, name_en, name_ar = row
        return FollowUpItem(
            id=f.id,
            customer_id=c.id,
            customer_name_en=_name(c.first_name_en, c.last_name_en),
            customer_name_ar=_name(c.first_name_ar, c.last_name_ar),
            shopper_id=f.shopper_id,
            shopper_name_en=name_en,
            shopper_name_ar=name_ar,
            due_on=f.due_on,
            note=f.note,
            status=FollowUpStatus(f.status),
            visit_id=f.visit_id,
        )

    def follow_ups(self, shopper_id: str | None, due_until: date | None) -> list[FollowUpItem]:
        query = self._follow_up_select().where(FollowUp.status == FollowUpStatus.OPEN.value)
        if shopper_id is not None:
            query = query.where(FollowUp.shopper_id == shopper_id)
        if due_until is not None:
            query = query.where(FollowUp.due_on <= due_until)
        rows = self._session.execute(query.order_by(FollowUp.due_on, Customer.first_name_en, FollowUp.id))
        return [self._follow_up(r) for r in rows]

    def follow_up(self, follow_up_id: str) -> FollowUpItem | None:
        row = self._session.execute(self._follow_up_select().where(FollowUp.id == follow_up_id)).first()
        return None if row is None else self._follow_up(row)

    def set_follow_up_status(self, follow_up_id: str, status: FollowUpStatus) -> None:
        row = self._session.get(FollowUp, follow_up_id)
        assert row is not None
        row.status = status.value
        self._session.flush()

    # -- visits and orders ---------------------------------------------------------------------------------
    def count_visits(self, shopper_id: str, since: datetime) -> int:
        return int(
            self._session.scalar(
                select(func.count())
                .select_from(VipVisit)
                .where(VipVisit.shopper_id == shopper_id, VipVisit.visited_at >= since)
            )
            or 0
        )

    def _order_items(self, order_ids: list[str]) -> dict[str, list[str]]:
        items: dict[str, list[str]] = defaultdict(list)
        for order_id, name, quantity in self._session.execute(
            select(OrderLine.order_id, OrderLine.product_name, OrderLine.quantity)
            .where(OrderLine.order_id.in_(order_ids))
            .order_by(OrderLine.order_id, OrderLine.id)
        ):
            items[order_id].append(name if quantity == 1 else f"{name} ×{quantity}")
        return items

    def recent_orders(self, customer_id: str, limit: int) -> list[OrderSummary]:
        orders = self._session.scalars(
            select(Order)
            .where(Order.customer_id == customer_id, Order.kind == "sale")
            .order_by(Order.created_at.desc(), Order.id.desc())
            .limit(limit)
        ).all()
        items = self._order_items([o.id for o in orders])
        return [OrderSummary(o.id, o.number, o.created_at, o.total_fils, tuple(items.get(o.id, []))) for o in orders]

    def order_for_visit(self, order_id: str) -> tuple[str | None, OrderSummary] | None:
        order = self._session.get(Order, order_id)
        if order is None:
            return None
        items = self._order_items([order.id])
        summary = OrderSummary(order.id, order.number, order.created_at, order.total_fils, tuple(items[order.id]))
        return order.customer_id, summary

    def add_visit(self, values: dict[str, object]) -> str:
        visit = VipVisit(id=new_id(), **values)
        self._session.add(visit)
        self._session.flush()
        return visit.id

    def add_follow_up(self, values: dict[str, object]) -> str:
        row = FollowUp(id=new_id(), status=FollowUpStatus.OPEN.value, **values)
        self._session.add(row)
        self._session.flush()
        return row.id

    def visits(self, customer_id: str, limit: int) -> list[VisitRecord]:
        rows = self._session.scalars(
            select(VipVisit)
            .where(VipVisit.customer_id == customer_id)
            .order_by(VipVisit.visited_at.desc(), VipVisit.id.desc())
            .limit(limit)
        )
        return [_visit(v) for v in rows]

    def flagged_visits(self, since: datetime) -> list[FlaggedVisit]:
        rows = self._session.execute(
            select(VipVisit, Customer, Staff.name_en, Staff.name_ar)
            .join(Customer, Customer.id == VipVisit.customer_id)
            .join(_P, _P.id == VipVisit.shopper_id)
            .join(Staff, Staff.id == _P.staff_id)
            .where(VipVisit.customer_not_vip.is_(True), VipVisit.visited_at >= since)
            .order_by(VipVisit.visited_at.desc(), VipVisit.id.desc())
        )
        return [
            FlaggedVisit(
                _visit(v),
                _name(c.first_name_en, c.last_name_en),
                _name(c.first_name_ar, c.last_name_ar),
                name_en,
                name_ar,
            )
            for v, c, name_en, name_ar in rows
        ]

    # -- performance ---------------------------------------------------------------------------------------
    def performance(
        self, since: datetime, retention_since: datetime
    ) -> list[tuple[ShopperProfile, int, int, int, int]]:
        shoppers = self.shoppers(True)
        visits: dict[str, int] = dict(
            self._session.execute(  # type: ignore[arg-type]
                select(VipVisit.shopper_id, func.count())
                .where(VipVisit.visited_at >= since)
                .group_by(VipVisit.shopper_id)
            ).all()
        )
        # A customer's purchases count for the shopper they were with when they bought.
        sales: dict[str, int | None] = dict(
            self._session.execute(  # type: ignore[arg-type]
                select(_A.shopper_id, func.sum(_signed_total()))
                .join(Order, Order.customer_id == _A.customer_id)
                .where(
                    _A.deleted.is_(False),
                    Order.created_at >= _A.assigned_at,
                    or_(_A.ended_at.is_(None), Order.created_at < _A.ended_at),
                    Order.created_at >= since,
                )
                .group_by(_A.shopper_id)
            ).all()
        )
        recent = aliased(Order)
        retained: dict[str, int] = dict(
            self._session.execute(  # type: ignore[arg-type]
                select(_A.shopper_id, func.count(func.distinct(_A.customer_id)))
                .where(
                    _active_assignment(),
                    exists().where(
                        recent.customer_id == _A.customer_id,
                        recent.kind == "sale",
                        recent.created_at >= retention_since,
                    ),
                )
                .group_by(_A.shopper_id)
            ).all()
        )
        return [
            (s, s.load, int(visits.get(s.id, 0)), int(sales.get(s.id) or 0), int(retained.get(s.id, 0)))
            for s in shoppers
        ]


class CachedTierLookup:
    """Customers' loyalty tiers as ``loyalty_accounts.tier`` caches them (kept in line with the points ledger
    by the loyalty feature). Reads on its own short read-only session."""

    def __init__(self, store: Store) -> None:
        self._store = store

    def tier_of(self, customer_id: str) -> str | None:
        with self._store.read_session() as session:
            return session.scalar(
                select(LoyaltyAccount.tier).where(
                    LoyaltyAccount.customer_id == customer_id, LoyaltyAccount.deleted.is_(False)
                )
            )

    def tiers_of(self, customer_ids: list[str]) -> dict[str, str]:
        with self._store.read_session() as session:
            rows = session.execute(
                select(LoyaltyAccount.customer_id, LoyaltyAccount.tier).where(
                    LoyaltyAccount.customer_id.in_(customer_ids), LoyaltyAccount.deleted.is_(False)
                )
            )
            return {customer_id: tier for customer_id, tier in rows}

    def customers_in_tier(self, tier: str) -> list[str]:
        with self._store.read_session() as session:
            return list(
                session.scalars(
                    select(LoyaltyAccount.customer_id).where(
                        LoyaltyAccount.tier == tier, LoyaltyAccount.deleted.is_(False)
                    )
                )
            )
