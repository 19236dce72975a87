"""The fakes stay honest: each has every method of the core Protocol it stands for (found by name anywhere
in core/, so a Protocol may move without this test changing), with the same parameter names, apart from the
methods it leaves out on purpose; and a fake unit of work rolls back and refuses writes as storage's does.
A rule test on a fake that drifted from its Protocol would pass while the real store fails."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from typing import Any

import pytest

import core
from core.staff.auth import Actor, Role
from tests.fakes import (
    FakeCustomerRepository,
    FakeGiftCardRepository,
    FakeLoyaltyRepository,
    FakeOfflineRepository,
    FakeOrderRepository,
    FakeShopperRepository,
    FakeStaffRepository,
    FakeStore,
    ReadOnly,
)

FAKES = [
    FakeCustomerRepository,
    FakeStaffRepository,
    FakeGiftCardRepository,
    FakeLoyaltyRepository,
    FakeOfflineRepository,
    FakeOrderRepository,
    FakeShopperRepository,
]


def protocols_named(name: str) -> list[type[Any]]:
    found: dict[str, type[Any]] = {}
    for module_info in pkgutil.walk_packages(core.__path__, "core."):
        module = importlib.import_module(module_info.name)
        candidate = getattr(module, name, None)
        if inspect.isclass(candidate) and getattr(candidate, "_is_protocol", False):
            found[f"{candidate.__module__}.{candidate.__qualname__}"] = candidate
    return list(found.values())


def methods(cls: type[Any]) -> dict[str, inspect.Signature]:
    return {
        name: inspect.signature(member)
        for name, member in vars(cls).items()
        if inspect.isfunction(member) and not name.startswith("_")
    }


def parameter_names(signature: inspect.Signature) -> list[str]:
    return [p.name for p in signature.parameters.values() if p.name != "self"]


@pytest.mark.parametrize("fake", FAKES, ids=lambda f: f.__name__)
def test_a_fake_has_every_method_of_its_protocol(fake: type[Any]) -> None:
    protocols = protocols_named(fake.PROTOCOL)
    assert len(protocols) == 1, f"{fake.PROTOCOL}: expected one Protocol of that name in core/, found {protocols}"
    wanted = methods(protocols[0])
    have = methods(fake)
    assert set(fake.NOT_FAKED) <= set(wanted), "NOT_FAKED names a method the Protocol does not have"
    assert set(wanted) - set(have) - set(fake.NOT_FAKED) == set(), "fake it, or list it in NOT_FAKED"
    for name in set(wanted) & set(have):
        assert parameter_names(have[name]) == parameter_names(wanted[name]), name


def test_leaving_a_unit_of_work_without_commit_throws_its_writes_away(fake: FakeStore) -> None:
    clerk = Actor("staff-1", fake.branch_id, Role.CASHIER)
    with fake.uow(clerk) as uow:
        uow.security_event("kept", {})
        uow.commit()
        uow.security_event("after_commit", {})
    with pytest.raises(RuntimeError), fake.uow(clerk) as uow:
        uow.security_event("rolled_back", {})
        raise RuntimeError("the use case failed")
    assert fake.security_kinds() == ["kept"] and fake.commits == 1


def test_a_read_only_unit_of_work_refuses_writes_and_commit(fake: FakeStore) -> None:
    with fake.uow(None) as uow:
        with pytest.raises(ReadOnly):
            uow.security_event("nope", {})
        with pytest.raises(ReadOnly):
            uow.commit()
    assert fake.security_kinds() == [] and fake.commits == 0
