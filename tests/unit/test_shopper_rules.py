"""Personal-shopper rules on fakes: a shopper takes VIPs up to their capacity, and past it only by a manager's
override with a reason that stays on the assignment and in the customer's history; inactive shoppers and
non-VIP customers are refused; a transfer ends the old assignment (so the old shopper has room again)."""

from __future__ import annotations

import pytest

from core.customers.model import CustomerDraft
from core.customers.service import CustomerService
from core.kernel.errors import Conflict, PermissionDenied, ValidationError, ValidationErrors
from core.shoppers.model import ShopperDraft
from core.shoppers.service import ShopperService
from core.staff.auth import Actor, Role
from tests.clock import TestClock
from tests.fakes import FakeStore
from tests.unit.conftest import staff_member


@pytest.fixture
def shoppers(fake: FakeStore, still_clock: TestClock) -> ShopperService:
    return ShopperService(fake.uow, still_clock)


def vip(fake: FakeStore, actor: Actor, n: int, segment: str = "vip") -> str:
    draft = CustomerDraft(first_name_en=f"Guest{n}", mobile=f"050 000 {n:04d}", segment=segment)
    return CustomerService(fake.uow, fake.clock).create(actor, draft).id


def shopper(shoppers: ShopperService, fake: FakeStore, manager: Actor, capacity: int) -> str:
    staff = staff_member(fake, Role.PERSONAL_SHOPPER)
    return shoppers.create_profile(manager, ShopperDraft(staff.id, capacity=capacity)).id


def test_a_full_shopper_takes_no_one_without_an_override(
    shoppers: ShopperService, fake: FakeStore, manager: Actor
) -> None:
    noura = shopper(shoppers, fake, manager, capacity=2)
    for n in (1, 2):
        shoppers.assign(manager, vip(fake, manager, n), noura)
    third = vip(fake, manager, 3)
    with pytest.raises(ValidationError) as refused:
        shoppers.assign(manager, third, noura)
    assert refused.value.params == {"name": fake.data.shoppers[noura].name_en, "load": 2, "capacity": 2}
    with pytest.raises(ValidationError) as no_reason:
        shoppers.assign(manager, third, noura, override=True)
    assert no_reason.value.field == "reason"
    assert len(fake.data.assignments) == 2


def test_an_override_is_kept_on_the_assignment_and_in_the_history(
    shoppers: ShopperService, fake: FakeStore, manager: Actor
) -> None:
    noura = shopper(shoppers, fake, manager, capacity=1)
    shoppers.assign(manager, vip(fake, manager, 1), noura)
    third = vip(fake, manager, 2)
    record = shoppers.assign(manager, third, noura, override=True, reason="asked for her by name")
    assert record.capacity_override and record.reason == "asked for her by name"
    history = [entry for cid, entry in fake.data.customer_history if cid == third][-1]
    assert history.action == "shopper_assigned"
    assert history.changes["capacity_override"] == (None, "2/1")
    assert shoppers.shoppers(manager)[0].load == 2


def test_an_override_with_room_left_is_no_override(shoppers: ShopperService, fake: FakeStore, manager: Actor) -> None:
    noura = shopper(shoppers, fake, manager, capacity=3)
    record = shoppers.assign(manager, vip(fake, manager, 1), noura, override=True, reason="preferred")
    assert not record.capacity_override


def test_only_those_who_may_assign_or_override_do(
    shoppers: ShopperService, fake: FakeStore, manager: Actor, cashier: Actor, shopper_staff: Actor
) -> None:
    noura = shopper(shoppers, fake, manager, capacity=3)
    guest = vip(fake, manager, 1)
    for someone in (cashier, shopper_staff):
        with pytest.raises(PermissionDenied):
            shoppers.assign(someone, guest, noura)
    assert fake.data.assignments == []


def test_inactive_shoppers_and_non_vip_customers_are_refused(
    shoppers: ShopperService, fake: FakeStore, manager: Actor
) -> None:
    noura = shopper(shoppers, fake, manager, capacity=3)
    regular = vip(fake, manager, 1, segment="regular")
    with pytest.raises(ValidationError) as not_vip:
        shoppers.assign(manager, regular, noura)
    assert not_vip.value.field == "customer_id"
    shoppers.update_profile(manager, noura, ShopperDraft(fake.data.shoppers[noura].staff_id, capacity=3, active=False))
    with pytest.raises(ValidationError) as inactive:
        shoppers.assign(manager, vip(fake, manager, 2), noura)
    assert inactive.value.field == "shopper_id"
    assert fake.data.assignments == []


def test_a_transfer_ends_the_old_assignment_and_frees_a_place(
    shoppers: ShopperService, fake: FakeStore, manager: Actor
) -> None:
    noura = shopper(shoppers, fake, manager, capacity=1)
    omar = shopper(shoppers, fake, manager, capacity=1)
    guest = vip(fake, manager, 1)
    shoppers.assign(manager, guest, noura)
    with pytest.raises(Conflict):
        shoppers.assign(manager, guest, omar)  # a second shopper only by transfer
    with pytest.raises(ValidationError):
        shoppers.transfer(manager, guest, omar, "")  # a transfer needs its reason
    shoppers.transfer(manager, guest, omar, "speaks Farsi")
    history = shoppers.assignment_history(manager, guest)
    assert [(a.shopper_id, a.ended_at is None) for a in history] == [(omar, True), (noura, False)]
    loads = {s.id: s.load for s in shoppers.shoppers(manager)}
    assert loads == {noura: 0, omar: 1}
    shoppers.assign(manager, vip(fake, manager, 2), noura)  # her place is free again


def test_a_profile_is_for_a_personal_shopper_account_and_only_one(
    shoppers: ShopperService, fake: FakeStore, manager: Actor, cashier: Actor
) -> None:
    with pytest.raises(ValidationError):
        shoppers.create_profile(manager, ShopperDraft(cashier.staff_id))
    staff = staff_member(fake, Role.PERSONAL_SHOPPER)
    shoppers.create_profile(manager, ShopperDraft(staff.id))
    with pytest.raises(Conflict):
        shoppers.create_profile(manager, ShopperDraft(staff.id))
    with pytest.raises(ValidationErrors) as bad:
        shoppers.create_profile(manager, ShopperDraft(staff_member(fake, Role.PERSONAL_SHOPPER).id, capacity=0))
    assert {e.field for e in bad.value.errors} == {"capacity"}
