"""Fixtures of the service-rule tests: a fake store on a still test clock, and one actor per role.

The clock does not tick (``tick=False``): a rule about "15 minutes later" or "past its expiry" is tested by
moving the clock on purpose, never by the time a test happens to take.
"""

from __future__ import annotations

from datetime import datetime

import pytest
from argon2 import PasswordHasher

from core.staff.auth import Actor, Role, StaffRecord
from tests.clock import TestClock
from tests.fakes import FakeStore

# Verifying reads the cost from the hash itself: a cheap hash keeps sign-in tests in milliseconds.
CHEAP_HASHER = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
BRANCH = "branch-dxb1"


@pytest.fixture
def still_clock(instant: datetime) -> TestClock:
    return TestClock(instant, tick=False)


@pytest.fixture
def fake(still_clock: TestClock) -> FakeStore:
    return FakeStore(still_clock, BRANCH)


def staff_member(fake: FakeStore, role: Role, pin: str = "2468", *, active: bool = True) -> StaffRecord:
    """A staff account in the fake store, with ``pin`` hashed the way sign-in checks it."""
    number = len(fake.data.staff) + 1
    record = StaffRecord(
        id=f"staff-{number}",
        branch_id=fake.branch_id,
        username=f"{role.value}{number}",
        name_en=f"{role.value.title()} {number}",
        name_ar="",
        role=role,
        pin_hash=CHEAP_HASHER.hash(pin),
        active=active,
        failed_attempts=0,
        locked_until=None,
    )
    fake.data.staff[record.id] = record
    return record


def actor_of(record: StaffRecord) -> Actor:
    return Actor(record.id, record.branch_id, record.role, record.name_en, record.name_ar)


@pytest.fixture
def cashier(fake: FakeStore) -> Actor:
    return actor_of(staff_member(fake, Role.CASHIER))


@pytest.fixture
def manager(fake: FakeStore) -> Actor:
    return actor_of(staff_member(fake, Role.MANAGER))


@pytest.fixture
def shopper_staff(fake: FakeStore) -> Actor:
    return actor_of(staff_member(fake, Role.PERSONAL_SHOPPER))
