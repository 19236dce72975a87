"""The demo store's loyalty program: points for the seeded purchases, the tiers they reach, a reward catalog.

Meant to be called by seed_demo inside its transaction, after the customers and their orders (change-log rows
by construction). The points follow the program's default rules, as if every seeded sale had been recorded
through the till: earned on the net amount, tier bonuses, lots expiring after twelve months.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.kernel.clock import local
from core.kernel.ids import new_id
from core.loyalty.ledger import account_id_for
from core.loyalty.rules import (
    EventKind,
    PointsEvent,
    ProgramRules,
    add_months,
    due_expiries,
    earn_points,
    qualifying,
    tier_for,
    tiers_crossed,
)
from storage.schema import Customer, LoyaltyAccount, LoyaltyTransaction, Order, Reward

REWARDS = [
    ("OUD-MINI", "Oud oil miniature", "دهن عود صغير", "product", 1_500, 40, 1, [], []),
    ("BKH-SET", "Bakhoor gift set", "طقم بخور هدية", "product", 4_000, 25, None, [], []),
    ("WRAP-GOLD", "Gold gift wrapping", "تغليف هدايا ذهبي", "service", 300, None, None, [], []),
    ("AED-50", "AED 50 voucher", "قسيمة بقيمة 50 درهمًا", "voucher", 1_000, None, 2, [], []),
    (
        "PRIVATE",
        "Private fragrance consultation",
        "استشارة عطرية خاصة",
        "service",
        8_000,
        10,
        1,
        ["platinum", "diamond"],
        [],
    ),
    ("CORP-BOX", "Corporate gift box", "صندوق هدايا للشركات", "product", 6_000, 15, None, [], ["corporate"]),
]


def seed_loyalty(session: Session, now: datetime, rules: ProgramRules | None = None) -> None:
    rules = rules or ProgramRules()
    today = local(now).date()
    orders: dict[str, list[Order]] = defaultdict(list)
    for order in session.scalars(select(Order).where(Order.customer_id.is_not(None)).order_by(Order.created_at)):
        orders[str(order.customer_id)].append(order)
    customers = {c.id: c for c in session.scalars(select(Customer).where(Customer.id.in_(list(orders))))}
    for customer_id, bought in orders.items():
        _seed_customer(session, customers[customer_id], bought, rules, today, now)
    for code, name_en, name_ar, kind, cost, stock, limit, tiers, segments in REWARDS:
        session.add(
            Reward(
                id=new_id(),
                code=code,
                name_en=name_en,
                name_ar=name_ar,
                kind=kind,
                points_cost=cost,
                stock=stock,
                per_customer_limit=limit,
                tiers=tiers,
                segments=segments,
                active=True,
            )
        )


def _seed_customer(
    session: Session, customer: Customer, bought: list[Order], rules: ProgramRules, today: date, now: datetime
) -> None:
    account_id = account_id_for(customer.id)
    events: list[PointsEvent] = []
    rows: list[LoyaltyTransaction] = []

    def post(kind: EventKind, points: int, at: datetime, expires: date | None, branch_id: str, **kw: object) -> None:
        events.append(PointsEvent(kind.value, points, at, expires))
        rows.append(
            LoyaltyTransaction(
                id=new_id(),
                created_at=at,
                branch_id=branch_id,
                account_id=account_id,
                kind=kind.value,
                points=points,
                expires_on=expires,
                offline_pending=False,
                **kw,
            )
        )

    for order in bought:
        day = local(order.created_at).date()
        before = tier_for(qualifying(events, day, rules).points, rules)
        lot = add_months(day, rules.expiry_months)
        earned = earn_points(order.net_fils, customer.segment, before, rules)
        post(EventKind.EARN, earned, order.created_at, lot, order.branch_id, order_id=order.id)
        after = tier_for(qualifying(events, day, rules).points, rules)
        for tier in tiers_crossed(before, after):
            bonus = int(rules.upgrade_bonus_points.get(tier.value, 0))
            if bonus:
                reason = f"tier:{tier.value}"
                post(EventKind.BONUS, bonus, order.created_at, lot, order.branch_id, order_id=order.id, reason=reason)
    for expires_on, points in due_expiries(events, today):
        post(EventKind.EXPIRE, -points, now, expires_on, customer.branch_id, reason=f"lot:{expires_on.isoformat()}")
    tier = tier_for(qualifying(events, today, rules).points, rules)
    session.add(
        LoyaltyAccount(
            id=account_id,
            branch_id=customer.branch_id,
            customer_id=customer.id,
            card_number=f"L-{customer.number}"[:20],
            tier=tier.value,
        )
    )
    session.add_all(rows)
