from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from core.kernel.errors import AuthenticationFailed, PermissionDenied, ValidationError
from core.staff.auth import LOCKOUT, MAX_FAILED_ATTEMPTS, Role, StaffRecord, TillLocked, hash_new_pin
from storage.bootstrap import Services, build_services
from storage.db import Store
from storage.seed.demo import STAFF
from tests.clock import TestClock


def test_pin_sign_in_and_lockout(store: Store) -> None:
    clock = TestClock(datetime(2026, 11, 25, 9, 0, tzinfo=UTC), tick=False)
    services: Services = build_services(store, clock)
    cashier = next(s for s in services.staff.staff_of_branch(store.branch_id) if s.username == "aisha.cashier")
    actor = services.staff.sign_in(cashier.id, "١١١١")  # Arabic-Indic digits accepted
    assert actor.role == Role.CASHIER
    for attempt in range(1, MAX_FAILED_ATTEMPTS):
        with pytest.raises(AuthenticationFailed) as err:
            services.staff.sign_in(cashier.id, "9999")
        assert err.value.params["left"] == MAX_FAILED_ATTEMPTS - attempt
    with pytest.raises(AuthenticationFailed) as err:
        services.staff.sign_in(cashier.id, "9999")
    assert "Too many" in err.value.english()
    with pytest.raises(AuthenticationFailed):
        services.staff.sign_in(cashier.id, "1111")  # right PIN, still locked
    clock.advance(minutes=16)
    assert services.staff.sign_in(cashier.id, "1111").staff_id == cashier.id
    with store.read_engine.connect() as conn:
        kinds = [r[0] for r in conn.exec_driver_sql("SELECT kind FROM security_events ORDER BY created_at")]
    assert kinds.count("signin_failed") == MAX_FAILED_ATTEMPTS - 1 and kinds.count("signin_locked") == 1


def _by_username(services: Services, store: Store) -> dict[str, StaffRecord]:
    return {s.username: s for s in services.staff.staff_of_branch(store.branch_id)}


def _events(store: Store) -> list[tuple[str, str | None, str, dict[str, object]]]:
    with store.read_engine.connect() as conn:
        rows = conn.exec_driver_sql(
            "SELECT kind, staff_id, created_at, detail FROM security_events ORDER BY rowid"
        ).fetchall()
    return [(kind, staff_id, at, json.loads(detail)) for kind, staff_id, at, detail in rows]


def test_the_pin_alone_says_who_and_a_wrong_pin_counts_against_the_till_not_a_person(store: Store) -> None:
    clock = TestClock(datetime(2026, 11, 25, 9, 0, tzinfo=UTC), tick=False)
    services = build_services(store, clock)
    staff = _by_username(services, store)
    for username, pin in (("rahul.cashier", "1112"), ("aisha.cashier", "١١١١"), ("khalid.manager", "3333")):
        actor = services.staff.sign_in_by_pin(store.branch_id, pin)
        assert actor.staff_id == staff[username].id
    for attempt in range(1, MAX_FAILED_ATTEMPTS):
        with pytest.raises(AuthenticationFailed) as wrong:
            services.staff.sign_in_by_pin(store.branch_id, "1113")  # Rahul's PIN, one digit off
        assert not isinstance(wrong.value, TillLocked)
        assert wrong.value.params["left"] == MAX_FAILED_ATTEMPTS - attempt
    with pytest.raises(TillLocked) as locked:
        services.staff.sign_in_by_pin(store.branch_id, "9999")
    assert locked.value.params["minutes"] == 15
    with pytest.raises(TillLocked):
        services.staff.sign_in_by_pin(store.branch_id, "1112")  # the right PIN waits too: no guessing on
    assert services.staff.till_locked_until(store.branch_id) == clock.now() + LOCKOUT
    after = _by_username(services, store)
    assert all(s.failed_attempts == 0 and s.locked_until is None for s in after.values()), "nobody was blamed"
    failed = [e for e in _events(store) if e[0] in ("signin_failed", "signin_locked")]
    assert [e[0] for e in failed] == ["signin_failed"] * MAX_FAILED_ATTEMPTS + ["signin_locked"]
    assert {e[1] for e in failed} == {None}
    clock.advance(minutes=15, seconds=1)
    assert services.staff.till_locked_until(store.branch_id) is None
    assert services.staff.sign_in_by_pin(store.branch_id, "1112").staff_id == staff["rahul.cashier"].id
    with pytest.raises(AuthenticationFailed) as fresh:
        services.staff.sign_in_by_pin(store.branch_id, "0000")
    assert fresh.value.params["left"] == MAX_FAILED_ATTEMPTS - 1, "a sign-in starts the count again"


def _lock_the_till(services: Services, store: Store) -> None:
    for _ in range(MAX_FAILED_ATTEMPTS - 1):
        with pytest.raises(AuthenticationFailed):
            services.staff.sign_in_by_pin(store.branch_id, "0000")
    with pytest.raises(TillLocked):
        services.staff.sign_in_by_pin(store.branch_id, "0000")


def test_a_manager_choosing_their_name_unlocks_the_till_and_it_is_audited(store: Store) -> None:
    clock = TestClock(datetime(2026, 11, 25, 9, 0, tzinfo=UTC), tick=False)
    services = build_services(store, clock)
    staff = _by_username(services, store)
    _lock_the_till(services, store)
    with pytest.raises(PermissionDenied):
        services.staff.unlock_till(staff["aisha.cashier"].id, "1111")
    with pytest.raises(AuthenticationFailed):
        services.staff.unlock_till(staff["khalid.manager"].id, "3334")
    assert _by_username(services, store)["khalid.manager"].failed_attempts == 1, "the named path counts"
    with pytest.raises(TillLocked):
        services.staff.sign_in_by_pin(store.branch_id, "1111")
    manager = services.staff.unlock_till(staff["khalid.manager"].id, "3333")
    assert manager.role == Role.MANAGER
    assert services.staff.till_locked_until(store.branch_id) is None
    assert services.staff.sign_in_by_pin(store.branch_id, "1111").staff_id == staff["aisha.cashier"].id
    unlocked = [e for e in _events(store) if e[0] == "till_unlocked"]
    assert [(e[1]) for e in unlocked] == [staff["khalid.manager"].id]


def test_a_locked_out_member_is_unlocked_by_a_manager_with_who_whom_and_when_audited(store: Store) -> None:
    clock = TestClock(datetime(2026, 11, 25, 9, 0, tzinfo=UTC), tick=False)
    services = build_services(store, clock)
    staff = _by_username(services, store)
    shopper = staff["noura.shopper"]
    for _ in range(MAX_FAILED_ATTEMPTS):  # the named path (a manager override gone wrong, say)
        with pytest.raises(AuthenticationFailed):
            services.staff.sign_in(shopper.id, "9999")
    with pytest.raises(AuthenticationFailed) as refused:
        services.staff.sign_in_by_pin(store.branch_id, "2222")
    assert "Ask a manager" in refused.value.english()
    cashier = services.staff.sign_in_by_pin(store.branch_id, "1111")
    with pytest.raises(PermissionDenied):
        services.staff.unlock(cashier, shopper.id)
    clock.advance(minutes=2)
    manager = services.staff.sign_in_by_pin(store.branch_id, "3333")
    record = services.staff.unlock(manager, shopper.id)
    assert record.locked_until is None and record.failed_attempts == 0
    with store.read_engine.connect() as conn:
        row = conn.exec_driver_sql(
            "SELECT e.id, e.staff_id, e.created_at, e.detail, c.staff_id FROM security_events e "
            "JOIN change_log c ON c.row_id = e.id AND c.entity = 'security_events' WHERE e.kind = 'staff_unlocked'"
        ).one()
    _id, who, when, detail, logged_by = row
    assert who == manager.staff_id == logged_by
    assert json.loads(detail)["staff_id"] == shopper.id
    assert datetime.fromisoformat(when).replace(tzinfo=UTC) == clock.now()
    assert services.staff.sign_in_by_pin(store.branch_id, "2222").staff_id == shopper.id


def test_a_pin_a_colleague_of_the_branch_uses_is_refused_when_set(store: Store) -> None:
    services = build_services(store, TestClock(datetime(2026, 11, 25, 9, 0, tzinfo=UTC)))
    staff = services.staff.staff_of_branch(store.branch_id)
    aisha = next(s for s in staff if s.username == "aisha.cashier")
    with pytest.raises(ValidationError) as taken:
        hash_new_pin("3333", "new-staff-id", staff)
    assert "already uses this PIN" in taken.value.english() and taken.value.field == "pin"
    assert hash_new_pin("1111", aisha.id, staff).startswith("$argon2")  # keeping one's own PIN is no clash


def test_the_demo_staff_have_a_pin_of_their_own_in_each_branch() -> None:
    for branch in {code for *_rest, code, _pin in STAFF}:
        pins = [pin for *_rest, code, pin in STAFF if code == branch]
        assert len(pins) == len(set(pins)), branch
    first = {role: pin for _u, _en, _ar, role, code, pin in reversed(STAFF) if code == "DXB1"}
    assert first == {Role.CASHIER: "1111", Role.PERSONAL_SHOPPER: "2222", Role.MANAGER: "3333", Role.ADMIN: "4444"}
