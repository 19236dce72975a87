"""A store of a few hundred customers with everything an audience filter reads, and a Python oracle of it.

The world is drawn from a seeded random source as plain Python values first (``World``), then written to a
real store through units of work (so every row carries its change-log row, as the app writes them). The
oracle (``members``) answers an audience definition from the Python values alone, with the rules stated in
core: consent folded by ``core.messaging.consent.fold``, the cap counted by ``core.messaging.rules``, days
counted by ``core.campaigns.audience.days_ago``. The SQL of storage.repositories.audience must agree with it.
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlalchemy import select

from core.campaigns.audience import AudienceDefinition, brand_key
from core.campaigns.audience_query import days_ago
from core.customers.model import Channel, Emirate, Language, Segment
from core.kernel.ids import new_id
from core.loyalty.rules import Tier
from core.messaging.consent import MESSAGE_CHANNELS, ConsentRecord, fold
from core.messaging.rules import DEFAULT_RULES, RulesConfig
from core.purchases.products import Family
from core.staff.auth import Actor, Role
from storage.db import Store, open_store
from storage.schema import (
    Campaign,
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
    Staff,
)
from storage.seed.demo import seed_demo
from storage.uow import SqlUnitOfWork
from tests.clock import TestClock

BRANDS = ["Perfume & Oud", "perfume & oud ", "Maison Arabia", "Atelier Frais", "دار العود"]
STATUSES = ["queued", "sending", "sent", "failed", "dead", "delivered", "read"]
LEFT = {"sending", "sent", "delivered", "read"}


@dataclass
class Sale:
    id: str
    at: datetime
    total: int
    kind: str  # sale | return
    lines: list[tuple[str, str]]  # (family, brand)


@dataclass
class Message:
    at: datetime  # created and last changed
    status: str
    promotional: bool
    outbound: bool = True


@dataclass
class Person:
    id: str
    number: str
    segment: str
    emirate: str | None
    language: str
    channel: str
    birthday: date | None
    deleted: bool = False
    tier: str | None = None
    account_deleted: bool = False
    points: list[int] = field(default_factory=list)
    sales: list[Sale] = field(default_factory=list)
    preferences: list[tuple[list[str], list[str], bool]] = field(default_factory=list)  # families, brands, deleted
    consent: list[ConsentRecord] = field(default_factory=list)
    messages: list[Message] = field(default_factory=list)
    shopper: str | None = None  # "active" | "inactive" | "ended"
    executions: list[tuple[str, datetime]] = field(default_factory=list)  # (campaign id, at)


@dataclass
class World:
    now: datetime
    people: list[Person]
    campaigns: list[str]
    rules: RulesConfig = DEFAULT_RULES

    def members(self, d: AudienceDefinition, campaign_id: str | None = None) -> set[str]:
        checked = d.validated()  # brands compared by their keys, as the service does
        return {p.id for p in self.people if self.selects(checked, p, campaign_id)}

    def selects(self, d: AudienceDefinition, p: Person, campaign_id: str | None) -> bool:
        now = self.now
        if p.deleted:
            return False
        if d.segments and p.segment not in d.segments:
            return False
        if d.emirates and p.emirate not in d.emirates:
            return False
        if d.languages and p.language not in d.languages:
            return False
        if d.channels and p.channel not in d.channels:
            return False
        if d.birthday_months and (p.birthday is None or p.birthday.month not in d.birthday_months):
            return False
        has_account = p.tier is not None and not p.account_deleted
        if d.tiers and not (has_account and p.tier in d.tiers):
            return False
        if d.has_personal_shopper is not None and (p.shopper == "active") != d.has_personal_shopper:
            return False
        sales = [s for s in p.sales if s.kind == "sale"]
        if d.last_purchase is not None:
            lp = d.last_purchase
            if not sales:
                ok = lp.never
            elif not lp.has_window:
                ok = not lp.never
            else:
                ago = days_ago(max(s.at for s in sales), now)
                ok = (lp.from_days is None or ago >= lp.from_days) and (lp.to_days is None or ago <= lp.to_days)
            if not ok:
                return False
        prefs = [(f, b) for f, b, deleted in p.preferences if not deleted]
        for wanted, is_family in ((d.families, True), (d.brands, False)):
            if not wanted:
                continue
            in_prefs = any(
                (v if is_family else brand_key(v)) in wanted for f, b in prefs for v in (f if is_family else b)
            )
            in_sales = any((fam if is_family else brand_key(brand)) in wanted for s in sales for fam, brand in s.lines)
            found = {"preferences": in_prefs, "purchases": in_sales, "either": in_prefs or in_sales}[d.taste_from]
            if not found:
                return False
        ex = d.exclude
        if ex.other_campaigns_within_days is not None:
            since = now - timedelta(days=ex.other_campaigns_within_days)
            if any(at >= since and c != campaign_id for c, at in p.executions):
                return False
        if ex.opted_out:
            state = fold(p.id, p.consent, None)
            channels = (ex.channel,) if ex.channel else MESSAGE_CHANNELS
            if not any(state.allows(ch, "promotional") for ch in channels):
                return False
        promos = [m for m in p.messages if m.outbound and m.promotional]
        if ex.messaged_within_days is not None:
            since = now - timedelta(days=ex.messaged_within_days)
            if any(m.status != "dead" and m.at >= since for m in promos):
                return False
        if ex.capped:
            period = timedelta(days=self.rules.cap_days)
            left = [m for m in promos if m.status in LEFT and now - period < m.at <= now]
            if len(left) >= self.rules.cap:
                return False
        if not d.points.open:
            points = sum(p.points) if has_account else 0
            if not d.points.holds(points):
                return False
        if not d.spend_fils.open:
            spend = sum(-abs(s.total) if s.kind == "return" else s.total for s in p.sales)
            if not d.spend_fils.holds(spend):
                return False
        return True


def draw(rng: random.Random, now: datetime, count: int) -> World:
    """``count`` customers whose attributes fall on and around every boundary a filter has."""
    campaigns = [new_id(), new_id()]
    people: list[Person] = []
    # Instants near the boundaries: Dubai midnights, the cap's period, whole days back.
    local_midnight = datetime.combine(now.astimezone(DEFAULT_RULES.zone).date(), datetime.min.time())
    midnight = local_midnight.replace(tzinfo=DEFAULT_RULES.zone).astimezone(UTC)

    def moment(max_days: int) -> datetime:
        kind = rng.random()
        # Often on the day counts filters are written with (today, a week, a month, a quarter, half a year).
        days = rng.randint(0, max_days) if rng.random() < 0.7 else rng.choice([0, 1, 7, 29, 30, 31, 90, 180])
        days = min(days, max_days)
        if kind < 0.3:  # just either side of a local midnight
            return midnight - timedelta(days=days) + timedelta(seconds=rng.choice([-1, 0, 1]))
        if kind < 0.45:  # a whole number of days before now, to the microsecond
            return now - timedelta(days=days) + timedelta(microseconds=rng.choice([-1, 0, 1]))
        return now - timedelta(days=days, seconds=rng.randint(0, 86_399))

    for i in range(count):
        birthday = None
        if rng.random() < 0.85:
            birthday = rng.choice(
                [
                    date(2000, 2, 29),
                    date(1996, 2, 29),
                    date(1999, 2, 28),
                    date(2001, 3, 1),
                    date(1990, 1, 31),
                    date(rng.randint(1950, 2006), rng.randint(1, 12), rng.randint(1, 28)),
                ]
            )
        person = Person(
            id=new_id(),
            number=f"AUD-{i:06d}",
            segment=rng.choice(list(Segment)).value,
            emirate=rng.choice([None, *(e.value for e in Emirate)]),
            language=rng.choice(list(Language)).value,
            channel=rng.choice(list(Channel)).value,
            birthday=birthday,
            deleted=rng.random() < 0.04,
        )
        if rng.random() < 0.75:
            person.tier = rng.choice(list(Tier)).value
            person.account_deleted = rng.random() < 0.05
            person.points = [rng.choice([-500, 100, 250, 1000, 2500, 5000]) for _ in range(rng.randint(0, 3))]
        for _ in range(rng.choice([0, 0, 1, 1, 2, 3, 4])):
            lines = [(rng.choice(list(Family)).value, rng.choice(BRANDS)) for _ in range(rng.randint(1, 2))]
            person.sales.append(
                Sale(new_id(), moment(400), rng.choice([50_000, 100_000, 150_000, 200_000, 350_000]), "sale", lines)
            )
        if person.sales and rng.random() < 0.25:
            sold = rng.choice(person.sales)
            total = rng.choice([sold.total, -sold.total, sold.total // 2])
            person.sales.append(Sale(new_id(), sold.at + timedelta(days=1), total, "return", sold.lines[:1]))
        for _ in range(rng.choice([0, 0, 1, 1, 2])):
            families = rng.sample([f.value for f in Family], rng.randint(0, 3))
            brands = rng.sample(BRANDS, rng.randint(0, 2))
            person.preferences.append((families, brands, rng.random() < 0.1))
        base = now - timedelta(days=rng.randint(1, 300))
        for _ in range(rng.choice([0, 1, 1, 2, 3, 5])):
            # Changes often share an instant, so the order written (then the id) decides, as in fold.
            at = base if rng.random() < 0.4 else base + timedelta(minutes=rng.randint(-5, 5))
            person.consent.append(
                ConsentRecord(
                    customer_id=person.id,
                    channel=rng.choice(MESSAGE_CHANNELS),
                    purpose=rng.choice([None, "promotional", "promotional", "transactional"]),
                    action=rng.choice(["grant", "grant", "withdraw", "invalid"]),
                    source="till",
                    occurred_at=at,
                    address="050 000 0000",
                    id=new_id(),
                    created_at=now - timedelta(days=rng.choice([0, 0, 1])),
                )
            )
        for _ in range(rng.choice([0, 1, 2, 3, 4, 5])):
            at = moment(20) if rng.random() < 0.7 else now - timedelta(days=DEFAULT_RULES.cap_days)
            person.messages.append(Message(min(at, now), rng.choice(STATUSES), rng.random() < 0.7, rng.random() < 0.9))
        if rng.random() < 0.15:  # at the cap, or one short of it because the oldest is exactly a period ago
            cap_days = DEFAULT_RULES.cap_days
            for k in range(DEFAULT_RULES.cap):
                at = now - timedelta(days=rng.randint(0, cap_days - 1), hours=rng.randint(0, 20))
                if k == 0 and rng.random() < 0.3:
                    at = now - timedelta(days=cap_days)
                person.messages.append(Message(at, rng.choice(sorted(LEFT)), True))
        person.shopper = rng.choice([None, None, None, "active", "inactive", "ended"])
        for _ in range(rng.choice([0, 0, 0, 1, 2])):
            person.executions.append((rng.choice(campaigns), moment(60)))
        people.append(person)
    return World(now, people, campaigns)


def admin(store: Store) -> Actor:
    with store.read_session() as session:
        member = session.scalars(select(Staff).where(Staff.role == Role.ADMIN.value)).first()
        assert member is not None
        return Actor(member.id, store.branch_id, Role.ADMIN)


def write(path: Path, world: World) -> None:
    """The world in a new store at ``path``: branches, staff and shoppers from the demo seed, then every
    customer and what belongs to them, written through units of work."""
    store = open_store(path)
    try:
        seed_demo(store, customers=0, loyalty=False, now=world.now - timedelta(days=900))
        actor = admin(store)
        clock = TestClock(world.now, tick=False)
        with SqlUnitOfWork(store, clock, actor) as uow:
            s = uow.session
            shoppers = list(s.scalars(select(PersonalShopper).order_by(PersonalShopper.id)))
            active, inactive = shoppers[0], shoppers[1]
            inactive.active = False
            templates = {}
            for promotional in (True, False):
                templates[promotional] = new_id()
                s.add(
                    MessageTemplate(
                        id=templates[promotional],
                        key="offer" if promotional else "receipt",
                        channel="sms",
                        language="en",
                        body="…",
                        variables=[],
                        promotional=promotional,
                    )
                )
            for cid in world.campaigns:
                s.add(Campaign(id=cid, name="Campaign", kind="seasonal"))
            for p in world.people:
                _customer(s, p, active, inactive, world.now)
            uow.commit()
        # A message's last change is written at its own instant: one unit of work per instant.
        by_instant: dict[datetime, list[tuple[Person, Message]]] = defaultdict(list)
        for p in world.people:
            for m in p.messages:
                by_instant[m.at].append((p, m))
        for at, batch in sorted(by_instant.items()):
            with SqlUnitOfWork(store, TestClock(at, tick=False), actor) as uow:
                for p, m in batch:
                    uow.session.add(
                        Communication(
                            id=new_id(),
                            created_at=m.at,
                            customer_id=p.id,
                            channel="sms",
                            direction="outbound" if m.outbound else "inbound",
                            template_id=templates[m.promotional],
                            recipient="+971500000000",
                            body="…",
                            status=m.status,
                        )
                    )
                uow.commit()
    finally:
        store.close()


def _customer(s: object, p: Person, active: PersonalShopper, inactive: PersonalShopper, now: datetime) -> None:
    add = s.add  # type: ignore[attr-defined]
    add(
        Customer(
            id=p.id,
            number=p.number,
            first_name_en="Customer",
            last_name_en=p.number,
            segment=p.segment,
            emirate=p.emirate,
            birthday=p.birthday,
            preferred_language=p.language,
            preferred_channel=p.channel,
            deleted=p.deleted,
        )
    )
    if p.tier is not None:
        account = new_id()
        add(
            LoyaltyAccount(
                id=account, customer_id=p.id, card_number=f"L{p.number}", tier=p.tier, deleted=p.account_deleted
            )
        )
        for points in p.points:
            add(LoyaltyTransaction(id=new_id(), account_id=account, kind="adjust", points=points))
    for sale in p.sales:
        add(
            Order(
                id=sale.id,
                created_at=sale.at,
                number=f"O-{sale.id[-12:]}",
                customer_id=p.id,
                kind=sale.kind,
                net_fils=sale.total,
                vat_fils=0,
                total_fils=sale.total,
                tenders={"card": sale.total},
            )
        )
        for family, brand in sale.lines:
            add(
                OrderLine(
                    id=new_id(),
                    created_at=sale.at,
                    order_id=sale.id,
                    sku="SKU",
                    product_name="Product",
                    brand=brand,
                    family=family,
                    quantity=1,
                    unit_price_fils=sale.total,
                    net_fils=sale.total,
                    vat_fils=0,
                )
            )
    for families, brands, deleted in p.preferences:
        add(
            CustomerPreference(
                id=new_id(), customer_id=p.id, source="declared", families=families, brands=brands, deleted=deleted
            )
        )
    for r in p.consent:
        add(
            ConsentChangeRow(
                id=r.id,
                created_at=r.created_at,
                customer_id=p.id,
                channel=r.channel,
                purpose=r.purpose,
                action=r.action,
                source=r.source,
                occurred_at=r.occurred_at,
                address=r.address,
            )
        )
    if p.shopper is not None:
        add(
            PersonalShopperAssignment(
                id=new_id(),
                shopper_id=(inactive if p.shopper == "inactive" else active).id,
                customer_id=p.id,
                assigned_at=now - timedelta(days=30),
                ended_at=now - timedelta(days=1) if p.shopper == "ended" else None,
            )
        )
    for campaign_id, at in p.executions:
        add(CampaignExecution(id=new_id(), created_at=at, campaign_id=campaign_id, customer_id=p.id))
