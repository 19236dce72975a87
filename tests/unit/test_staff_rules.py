"""Sign-in rules on fakes: each wrong PIN is counted (and kept though sign-in fails), the fifth locks the
account for 15 minutes, the right PIN clears the count, and a disabled account never signs in."""

from __future__ import annotations

import pytest

from core.kernel.errors import AuthenticationFailed, NotFound, PermissionDenied, ValidationError
from core.staff.auth import LOCKOUT, MAX_FAILED_ATTEMPTS, Role, TillLocked, hash_new_pin
from core.staff.service import StaffService
from tests.clock import TestClock
from tests.fakes import FakeStore
from tests.unit.conftest import actor_of, staff_member

PIN = "2468"


@pytest.fixture
def staff(fake: FakeStore, still_clock: TestClock) -> StaffService:
    return StaffService(fake.uow, still_clock)


def test_each_wrong_pin_is_counted_and_kept(staff: StaffService, fake: FakeStore) -> None:
    member = staff_member(fake, Role.CASHIER, PIN)
    for attempt in (1, 2):
        with pytest.raises(AuthenticationFailed) as refused:
            staff.sign_in(member.id, "1111")
        assert refused.value.params == {"left": MAX_FAILED_ATTEMPTS - attempt}
        assert fake.data.staff[member.id].failed_attempts == attempt
    assert fake.security_kinds() == ["signin_failed", "signin_failed"]


def test_the_right_pin_signs_in_and_clears_the_count(staff: StaffService, fake: FakeStore) -> None:
    member = staff_member(fake, Role.MANAGER, PIN)
    with pytest.raises(AuthenticationFailed):
        staff.sign_in(member.id, "1111")
    actor = staff.sign_in(member.id, "٢٤٦٨")  # typed in Arabic-Indic digits
    assert (actor.staff_id, actor.role) == (member.id, Role.MANAGER)
    assert fake.data.staff[member.id].failed_attempts == 0


def test_the_fifth_wrong_pin_locks_the_account_for_fifteen_minutes(
    staff: StaffService, fake: FakeStore, still_clock: TestClock
) -> None:
    member = staff_member(fake, Role.CASHIER, PIN)
    for _ in range(MAX_FAILED_ATTEMPTS - 1):
        with pytest.raises(AuthenticationFailed):
            staff.sign_in(member.id, "1111")
    with pytest.raises(AuthenticationFailed) as locked:
        staff.sign_in(member.id, "1111")
    assert locked.value.params == {"minutes": 15}
    record = fake.data.staff[member.id]
    assert record.locked_until == still_clock.now() + LOCKOUT and record.failed_attempts == 0
    assert fake.security_kinds()[-1] == "signin_locked"

    still_clock.advance(minutes=14, seconds=59)
    with pytest.raises(AuthenticationFailed) as still_locked:
        staff.sign_in(member.id, PIN)  # even the right PIN waits
    assert still_locked.value.params == {"minutes": 1}

    still_clock.advance(seconds=1)
    assert staff.sign_in(member.id, PIN).staff_id == member.id
    assert fake.data.staff[member.id].locked_until is None


def test_a_wrong_pin_while_locked_does_not_extend_the_lock(
    staff: StaffService, fake: FakeStore, still_clock: TestClock
) -> None:
    member = staff_member(fake, Role.CASHIER, PIN)
    for _ in range(MAX_FAILED_ATTEMPTS):
        with pytest.raises(AuthenticationFailed):
            staff.sign_in(member.id, "1111")
    until = fake.data.staff[member.id].locked_until
    still_clock.advance(minutes=5)
    with pytest.raises(AuthenticationFailed):
        staff.sign_in(member.id, "1111")
    assert fake.data.staff[member.id].locked_until == until
    still_clock.advance(minutes=10, seconds=1)
    assert staff.sign_in(member.id, PIN).staff_id == member.id


def test_a_disabled_account_never_signs_in_and_counts_nothing(staff: StaffService, fake: FakeStore) -> None:
    member = staff_member(fake, Role.CASHIER, PIN, active=False)
    with pytest.raises(AuthenticationFailed):
        staff.sign_in(member.id, PIN)
    assert fake.data.staff[member.id].failed_attempts == 0 and fake.commits == 0
    assert [s.id for s in staff.staff_of_branch(fake.branch_id)] == []


def test_an_unknown_account_is_not_found(staff: StaffService) -> None:
    with pytest.raises(NotFound):
        staff.sign_in("nobody", PIN)


def test_the_pin_alone_finds_the_person_and_a_wrong_one_blames_no_account(
    staff: StaffService, fake: FakeStore, still_clock: TestClock
) -> None:
    cashier = staff_member(fake, Role.CASHIER, "1111")
    manager = staff_member(fake, Role.MANAGER, "3333")
    staff_member(fake, Role.CASHIER, "5555", active=False)
    assert staff.sign_in_by_pin(fake.branch_id, "٣٣٣٣").staff_id == manager.id
    with pytest.raises(AuthenticationFailed) as wrong:
        staff.sign_in_by_pin(fake.branch_id, "5555")  # a disabled account's PIN opens nothing
    assert wrong.value.params == {"left": MAX_FAILED_ATTEMPTS - 1}
    for _ in range(MAX_FAILED_ATTEMPTS - 1):
        with pytest.raises(AuthenticationFailed):
            staff.sign_in_by_pin(fake.branch_id, "1112")
    with pytest.raises(TillLocked):
        staff.sign_in_by_pin(fake.branch_id, "1111")
    assert all(s.failed_attempts == 0 and s.locked_until is None for s in fake.data.staff.values())
    with pytest.raises(PermissionDenied):
        staff.unlock_till(cashier.id, "1111")
    assert staff.unlock_till(manager.id, "3333").role == Role.MANAGER
    assert staff.sign_in_by_pin(fake.branch_id, "1111").staff_id == cashier.id
    assert fake.security_kinds()[-2:] == ["till_unlocked", "signed_in"]


def test_a_pin_in_use_at_the_branch_is_refused_when_set(fake: FakeStore) -> None:
    member = staff_member(fake, Role.CASHIER, "1111")
    other = staff_member(fake, Role.CASHIER, "2222")
    branch = list(fake.data.staff.values())
    with pytest.raises(ValidationError) as taken:
        hash_new_pin("2222", member.id, branch)
    assert taken.value.field == "pin"
    assert hash_new_pin("2222", other.id, branch).startswith("$argon2")
    with pytest.raises(ValidationError):
        hash_new_pin("12", member.id, branch)


def test_only_a_manager_lifts_a_lockout_and_it_is_audited(
    staff: StaffService, fake: FakeStore, still_clock: TestClock
) -> None:
    member = staff_member(fake, Role.PERSONAL_SHOPPER, PIN)
    cashier = actor_of(staff_member(fake, Role.CASHIER, "1111"))
    manager = actor_of(staff_member(fake, Role.MANAGER, "3333"))
    for _ in range(MAX_FAILED_ATTEMPTS):
        with pytest.raises(AuthenticationFailed):
            staff.sign_in(member.id, "0000")
    with pytest.raises(PermissionDenied):
        staff.unlock(cashier, member.id)
    assert staff.unlock(manager, member.id).locked_until is None
    event = fake.data.security_events[-1]
    assert (event.kind, event.staff_id, event.detail["staff_id"], event.at) == (
        "staff_unlocked",
        manager.staff_id,
        member.id,
        still_clock.now(),
    )
