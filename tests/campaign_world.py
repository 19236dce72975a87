"""Stores for the campaign tests: the demo seed's branches and staff with no customers, then exactly the
customers a test states, written through units of work (so each row has its change-log row)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlalchemy import select

from core.kernel.ids import new_id
from core.staff.auth import Actor, Role
from storage.db import Store, open_store
from storage.schema import ConsentChangeRow, Customer, Order, Staff
from storage.seed.demo import seed_demo
from storage.uow import SqlUnitOfWork
from tests.clock import TestClock


@dataclass
class Person:
    birthday: date | None = None
    registered: datetime | None = None  # created_at; the store's instant when None
    promotional: bool = True  # granted promotional consent on SMS
    withdrawn: bool = False  # then withdrew it
    last_sale_days: int | None = None  # days before the store's instant of their only sale
    language: str = "en"
    segment: str = "regular"
    time_zone: str | None = None
    id: str = field(default_factory=new_id)


def empty_store(path: Path, now: datetime) -> Store:
    store = open_store(path)
    seed_demo(store, customers=0, loyalty=False, now=now - timedelta(days=900))
    return store


def staff_actor(store: Store, role: Role) -> Actor:
    with store.read_session() as session:
        member = session.scalars(select(Staff).where(Staff.role == role.value)).first()
        assert member is not None
        return Actor(member.id, store.branch_id, role, member.name_en)


def system_actor(store: Store) -> Actor:
    """Who a standalone store's executor writes as (main.py does the same)."""
    return Actor("", store.branch_id, Role.ADMIN, "campaigns")


def add_people(store: Store, now: datetime, people: list[Person], *, per_transaction: int = 2000) -> None:
    actor = staff_actor(store, Role.ADMIN)
    clock = TestClock(now, tick=False)
    for start in range(0, len(people), per_transaction):
        with SqlUnitOfWork(store, clock, actor) as uow:
            s = uow.session
            for n, p in enumerate(people[start : start + per_transaction], start=start):
                s.add(
                    Customer(
                        id=p.id,
                        created_at=p.registered or now - timedelta(days=400),
                        number=f"C{n:07d}",
                        first_name_en=f"Guest{n}",
                        first_name_ar=f"ضيف{n}",
                        mobile=f"+97150{n:07d}",
                        birthday=p.birthday,
                        preferred_language=p.language,
                        preferred_channel="sms",
                        segment=p.segment,
                        time_zone=p.time_zone,
                    )
                )
                if p.promotional:
                    _consent(s, p.id, "grant", now - timedelta(days=300))
                if p.withdrawn:
                    _consent(s, p.id, "withdraw", now - timedelta(days=5))
                if p.last_sale_days is not None:
                    at = now - timedelta(days=p.last_sale_days)
                    s.add(
                        Order(
                            id=new_id(),
                            created_at=at,
                            number=f"O-{n:07d}",
                            customer_id=p.id,
                            kind="sale",
                            net_fils=10_000,
                            vat_fils=500,
                            total_fils=10_500,
                            tenders={"card": 10_500},
                        )
                    )
            uow.commit()


def _consent(session: object, customer_id: str, action: str, at: datetime) -> None:
    session.add(  # type: ignore[attr-defined]
        ConsentChangeRow(
            id=new_id(),
            created_at=at,
            customer_id=customer_id,
            channel="sms",
            purpose="promotional",
            action=action,
            source="till",
            occurred_at=at,
            address=None,
        )
    )


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)  # type: ignore[misc]
