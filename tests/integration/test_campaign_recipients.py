"""A campaign batch reads its customers with their promotional consent folded by SQL
(``offer_recipients``): each must be routed and greeted exactly as the profile and the consent ledger folded
in Python route and greet them (core.messaging.promotional.promotional_route, handlers.names_of), whatever the
ledger holds: grants and withdrawals of one purpose or both, changes on a channel that sends nothing, ties on
when a change happened broken by when it was written and then by id, addresses found invalid in another case
or with spaces, landlines, missing addresses and names, erased customers."""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from core.kernel.ids import new_id
from core.messaging.consent import MESSAGE_CHANNELS
from core.messaging.handlers import names_of
from core.messaging.promotional import PromotionalWriter, promotional_route
from core.staff.auth import Role
from storage.db import Store
from storage.schema import ConsentChangeRow, Customer
from storage.uow import SqlUnitOfWork
from tests.campaign_world import empty_store, staff_actor, utc
from tests.clock import TestClock

NOW = utc(2027, 3, 1, 6, 0)
PEOPLE = 400


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    store = empty_store(tmp_path / "recipients.sqlite", NOW)
    yield store
    store.close()


def _mobile(rng: random.Random, n: int) -> str | None:
    return rng.choice([f"+97150{n:07d}", f"+97155{n:07d}", f"+9714{n:07d}", "+4915112345678", None])


def _email(rng: random.Random, n: int) -> str | None:
    return rng.choice([f"guest{n}@example.ae", f"Guest{n}@Example.AE", "not-an-address", None])


def _changes(rng: random.Random, customer: Customer) -> list[ConsentChangeRow]:
    base = NOW - timedelta(days=200)
    # Few distinct instants, so that changes tie on when they happened (and some on when they were written).
    instants = [base + timedelta(days=d) for d in (0, 10, 10, 10)]
    rows = []
    for _ in range(rng.randrange(0, 7)):
        channel = rng.choice([*MESSAGE_CHANNELS, "sms", "phone"])
        action = rng.choice(["grant", "grant", "withdraw", "invalid"])
        address: str | None = None
        if action == "invalid" or rng.random() < 0.2:
            own = customer.email if channel == "email" else customer.mobile
            address = rng.choice([own, f" {own.upper()} " if own else None, "+971509999999", None])
        occurred = rng.choice(instants)
        rows.append(
            ConsentChangeRow(
                id=new_id(),
                created_at=occurred + timedelta(seconds=rng.choice([0, 5, 9])),
                customer_id=customer.id,
                channel=channel,
                purpose=rng.choice([None, "promotional", "transactional"]),
                action=action,
                source="till",
                occurred_at=occurred,
                address=address,
            )
        )
    return rows


def _people(store: Store) -> list[str]:
    rng = random.Random(15)
    clock = TestClock(NOW, tick=False)
    ids = []
    with SqlUnitOfWork(store, clock, staff_actor(store, Role.ADMIN)) as uow:
        for n in range(PEOPLE):
            customer = Customer(
                id=new_id(),
                number=f"C{n:07d}",
                first_name_en=rng.choice([f"Guest{n}", None]),
                last_name_en=rng.choice(["Khan", None]),
                first_name_ar=rng.choice([f"ضيف{n}", None]),
                last_name_ar=rng.choice(["خان", None]),
                mobile=_mobile(rng, n),
                email=_email(rng, n),
                preferred_language=rng.choice(["ar", "en"]),
                preferred_channel=rng.choice(["whatsapp", "sms", "email", "phone"]),
                consent_whatsapp=rng.random() < 0.5,
                consent_sms=rng.random() < 0.5,
                consent_email=rng.random() < 0.5,
                deleted=n % 50 == 7,
            )
            uow.session.add(customer)
            uow.session.add_all(_changes(rng, customer))
            ids.append(customer.id)
        uow.commit()
    return ids


def test_a_batch_read_routes_and_greets_every_customer_as_their_profile_and_ledger_do(store: Store) -> None:
    ids = _people(store)
    clock = TestClock(NOW, tick=False)
    routed = {channel: 0 for channel in (None, *MESSAGE_CHANNELS)}
    with SqlUnitOfWork(store, clock, None) as uow:
        recipients = uow.campaigns.offer_recipients([*ids, new_id()])  # one nobody has
        writer = PromotionalWriter(uow)
        erased = 0
        for customer_id in ids:
            profile = uow.customers.get(customer_id)
            if profile is None:
                erased += 1
                assert customer_id not in recipients
                continue
            recipient = recipients[customer_id]
            assert (recipient.number, recipient.branch_id) == (profile.number, profile.branch_id)
            for language in ("ar", "en"):
                assert names_of(recipient, language) == names_of(profile, language)
            for channel in (None, *MESSAGE_CHANNELS):
                expected = promotional_route(uow, profile, channel)
                assert writer.route_offer(recipient, channel) == expected, (customer_id, channel)
                routed[channel] += expected is not None
        assert len(recipients) == PEOPLE - erased
    assert erased == PEOPLE // 50
    # The store is varied enough that every way routes some customers and refuses others.
    assert all(0 < count < PEOPLE - erased for count in routed.values()), routed


def test_a_change_that_happened_later_wins_over_one_written_later(store: Store) -> None:
    clock = TestClock(NOW, tick=False)
    customer_id = new_id()
    early, late = NOW - timedelta(days=9), NOW - timedelta(days=2)
    with SqlUnitOfWork(store, clock, staff_actor(store, Role.ADMIN)) as uow:
        uow.session.add(
            Customer(id=customer_id, number="C1", mobile="+971501234567", preferred_channel="sms", deleted=False)
        )
        for action, occurred, written in (("grant", late, early), ("withdraw", early, late)):
            uow.session.add(
                ConsentChangeRow(
                    id=new_id(),
                    created_at=written,
                    customer_id=customer_id,
                    channel="sms",
                    purpose=None,
                    action=action,
                    source="till",
                    occurred_at=occurred,
                )
            )
        uow.commit()
    with SqlUnitOfWork(store, clock, None) as uow:
        recipient = uow.campaigns.offer_recipients([customer_id])[customer_id]
        assert recipient.promotional == frozenset({"sms"})
        with pytest.raises(ValueError):
            recipient.allows("sms", "transactional")
