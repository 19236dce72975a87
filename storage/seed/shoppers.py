"""The demo store's VIP service: shopper profiles, their VIPs, declared tastes, past visits and follow-ups.

Called by seed_demo inside its transaction (change-log rows by construction). Its own random generator keeps
the rest of the demo data the same whether or not this runs.
"""

from __future__ import annotations

import random
from datetime import datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.kernel.clock import DUBAI
from core.kernel.ids import new_id
from storage.schema import (
    Customer,
    CustomerPreference,
    FollowUp,
    Order,
    OrderLine,
    PersonalShopper,
    PersonalShopperAssignment,
    Staff,
    VipVisit,
)

# username → (languages, specialties, years of experience, how many VIPs to give them)
PROFILES = {
    "noura.shopper": (["ar", "en"], ["oud", "oriental"], 9, 15),
    "elena.shopper": (["en", "ru", "fr"], ["western", "niche"], 6, 9),
    "hessa.shopper": (["ar", "en", "ur"], ["oud", "oriental", "niche"], 12, 8),
}
ARABIC_TASTES = [["oud", "amber"], ["oud", "musk"], ["oriental", "amber"], ["musk", "floral"], ["oud"]]
WESTERN_TASTES = [["citrus", "woody"], ["floral", "fresh"], ["woody"], ["niche", "woody"], ["fresh", "citrus"]]
BRANDS = [["Perfume & Oud"], ["Maison Arabia"], ["Atelier Frais"], ["Amouage"], ["Creed", "Perfume & Oud"], []]
TRIED = ["Royal Oud", "Amber Nights", "Taif Rose", "White Musk", "Saffron Oriental", "Sandalwood Mysore"]
TRIED += ["Bergamot Breeze", "Sea Salt Vetiver", "Cambodian Oud Oil", "Mubakhar Bakhoor"]
MOODS = ["delighted", "happy", "happy", "neutral", "undecided", "unhappy"]
NOTES_AR = [
    "تفضّل العطور الثقيلة للمساء؛ سألت عن دهن العود الكمبودي.",
    "هدية لزوجها بمناسبة العيد. تحب التغليف الفاخر.",
    "لم تعجبها رائحة الورد الطائفي هذه المرة.",
    "تريد إشعارًا عند وصول دفعة جديدة من البخور.",
]
NOTES_EN = [
    "Prefers light scents for the office; loved the bergamot.",
    "Looking for a gift for his wife's birthday next month.",
    "Found the oud too strong; try a softer blend next time.",
    "Asked to be told when the new niche collection arrives.",
]
FOLLOW_UP_NOTES = ["Call about the new oud collection", "Send photos of the gift sets", "Invite to the private launch"]


def seed_personal_shoppers(session: Session, now: datetime, rng_seed: int = 15) -> None:
    rng = random.Random(rng_seed)
    session.flush()
    staff = {s.username: s for s in session.scalars(select(Staff).where(Staff.username.in_(PROFILES)))}
    vips = list(session.scalars(select(Customer).where(Customer.segment == "vip").order_by(Customer.number)))
    taken: set[str] = set()
    for username, (languages, specialties, years, wanted) in PROFILES.items():
        member = staff.get(username)
        if member is None:
            continue
        shopper = PersonalShopper(
            id=new_id(),
            branch_id=member.branch_id,
            staff_id=member.id,
            languages=languages,
            specialties=specialties,
            experience_years=years,
            capacity=15,
            active=True,
        )
        session.add(shopper)
        # Same branch and a shared language first; an Arabic speaker takes Arabic speakers first.
        same_branch = [c for c in vips if c.id not in taken and c.branch_id == member.branch_id]
        pool = [c for c in same_branch if c.preferred_language == languages[0]]
        pool += [c for c in same_branch if c not in pool and c.preferred_language in languages]
        for customer in pool[:wanted]:
            taken.add(customer.id)
            _serve(session, rng, now, shopper, customer)
    # Some VIPs still waiting in the queue have told us their tastes, so matching has something to weigh.
    for customer in vips:
        if customer.id not in taken and rng.random() < 0.5:
            _declare_tastes(session, rng, now, customer)


def _declare_tastes(session: Session, rng: random.Random, now: datetime, customer: Customer) -> None:
    families = rng.choice(ARABIC_TASTES if customer.preferred_language == "ar" else WESTERN_TASTES)
    session.add(
        CustomerPreference(
            id=new_id(),
            branch_id=customer.branch_id,
            created_at=now,
            customer_id=customer.id,
            source="declared",
            families=list(families),
            brands=list(rng.choice(BRANDS)),
        )
    )


def _serve(session: Session, rng: random.Random, now: datetime, shopper: PersonalShopper, customer: Customer) -> None:
    assigned_at = now - timedelta(days=rng.randint(60, 400), hours=rng.randint(0, 8))
    session.add(
        PersonalShopperAssignment(
            id=new_id(),
            branch_id=shopper.branch_id,
            created_at=assigned_at,
            shopper_id=shopper.id,
            customer_id=customer.id,
            assigned_at=assigned_at,
            ended_at=None,
            reason=None,
            capacity_override=False,
        )
    )
    if rng.random() < 0.7:
        _declare_tastes(session, rng, now, customer)
    orders = list(
        session.scalars(
            select(Order)
            .where(Order.customer_id == customer.id, Order.created_at >= now - timedelta(days=150))
            .order_by(Order.created_at, Order.id)
        )
    )
    today = now.astimezone(DUBAI).date()
    planned: list[tuple[datetime, Order | None]] = []
    for _ in range(rng.randint(1, 4)):
        order = orders.pop() if orders and rng.random() < 0.6 else None
        if order is not None:
            planned.append((order.created_at - timedelta(minutes=rng.randint(10, 40)), order))
        else:
            day = today - timedelta(days=rng.randint(2, 150))
            local = datetime.combine(day, time(rng.randint(10, 21), rng.choice([0, 15, 30, 45])), DUBAI)
            planned.append((local.astimezone(now.tzinfo), None))
    planned.sort(key=lambda p: p[0])
    count = len(planned)
    for n, (visited_at, order) in enumerate(planned):
        bought = []
        if order is not None:
            bought = [
                name
                for (name,) in session.execute(select(OrderLine.product_name).where(OrderLine.order_id == order.id))
            ]
        last = n == count - 1
        # The latest visit of most VIPs leaves something to do: due today, overdue or coming up.
        follow_on = None
        if last and rng.random() < 0.75:
            follow_on = today + timedelta(days=rng.choice([0, 0, -3, -9, 2, 5, 12, 20]))
        elif not last and rng.random() < 0.3:
            follow_on = visited_at.astimezone(DUBAI).date() + timedelta(days=7)
        arabic = customer.preferred_language == "ar"
        visit = VipVisit(
            id=new_id(),
            branch_id=shopper.branch_id,
            created_at=visited_at,
            customer_id=customer.id,
            shopper_id=shopper.id,
            visited_at=visited_at,
            duration_minutes=rng.choice([15, 20, 30, 30, 45, 60, 90]),
            products_tried=rng.sample(TRIED, rng.randint(1, 4)),
            products_bought=bought,
            order_id=order.id if order is not None else None,
            mood=rng.choice(MOODS),
            notes=rng.choice(NOTES_AR if arabic else NOTES_EN),
            next_follow_up=follow_on,
            customer_not_vip=False,
        )
        session.add(visit)
        if follow_on is not None:
            session.add(
                FollowUp(
                    id=new_id(),
                    branch_id=shopper.branch_id,
                    created_at=visited_at,
                    customer_id=customer.id,
                    shopper_id=shopper.id,
                    visit_id=visit.id,
                    due_on=follow_on,
                    note=rng.choice(FOLLOW_UP_NOTES),
                    status="open" if last else "done",
                )
            )
