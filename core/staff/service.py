"""Sign-in by PIN alone, the till's brute-force throttle, and the lockouts a manager lifts.

Who is at the till is found by the PIN: PINs are unique within a branch (``hash_new_pin`` refuses a PIN a
colleague already uses). A PIN that matches nobody counts against this till, never against a person:
after ``MAX_FAILED_ATTEMPTS`` such PINs within ``LOCKOUT``, the till takes no PIN until the oldest of them is
``LOCKOUT`` old, or until a manager or administrator, choosing their own name, unlocks it. That named path
counts wrong PINs against the named account, which a manager can unlock from the Staff page. Every refusal,
sign-in and unlock is a security event (who, whom, when, which till)."""

from __future__ import annotations

import hashlib
import hmac
import math
import secrets
from datetime import datetime

from core.kernel.errors import AuthenticationFailed, NotFound, PermissionDenied
from core.kernel.i18n import QT_TRANSLATE_NOOP
from core.kernel.ports import Clock, UnitOfWorkFactory
from core.kernel.text import ascii_digits
from core.staff.auth import (
    LOCKOUT,
    MAX_FAILED_ATTEMPTS,
    Actor,
    Permission,
    Role,
    StaffRecord,
    TillLocked,
    check_pin,
    pin_matches,
)
from core.staff.ports import StaffUnitOfWork

# Which staff member a PIN last signed in, so the next sign-in verifies one argon2 hash, not the whole
# branch's. Kept in this process's memory only, under a key that dies with it; a stale entry costs one
# verification more, never a wrong sign-in (the hash is always checked).
_HINT_KEY = secrets.token_bytes(32)
_HINTS: dict[bytes, str] = {}
_HINTS_KEPT = 512


def _hint(branch_id: str, pin: str) -> bytes:
    return hmac.new(_HINT_KEY, f"{branch_id}\0{pin}".encode(), hashlib.sha256).digest()


def _minutes_until(until: datetime, now: datetime) -> int:
    return max(1, math.ceil((until - now).total_seconds() / 60))


def till_locked_until(failures: list[datetime]) -> datetime | None:
    """The end of the till's lock, given its refused PINs (oldest first) within the last ``LOCKOUT``."""
    if len(failures) < MAX_FAILED_ATTEMPTS:
        return None
    return failures[-MAX_FAILED_ATTEMPTS] + LOCKOUT


def _till_locked(until: datetime, now: datetime) -> TillLocked:
    return TillLocked(
        QT_TRANSLATE_NOOP(
            "core", "Too many wrong PINs at this till. Try again in {minutes} minutes, or a manager can unlock it."
        ),
        "pin",
        minutes=_minutes_until(until, now),
    )


def _actor(staff: StaffRecord) -> Actor:
    return Actor(staff.id, staff.branch_id, staff.role, staff.name_en, staff.name_ar)


class StaffService:
    def __init__(self, uow: UnitOfWorkFactory[StaffUnitOfWork], clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    def staff_of_branch(self, branch_id: str) -> list[StaffRecord]:
        with self._uow(None) as uow:
            return [s for s in uow.staff.by_branch(branch_id) if s.active]

    def till_locked_until(self, branch_id: str) -> datetime | None:
        """When this till takes PINs again, or None when it takes them now."""
        now = self._clock.now()
        with self._uow(None) as uow:
            until = till_locked_until(uow.staff.till_sign_in_failures(now - LOCKOUT))
        return until if until is not None and until > now else None

    def sign_in_by_pin(self, branch_id: str, pin: str) -> Actor:
        """The active staff member of ``branch_id`` whose PIN this is, or AuthenticationFailed. A PIN that
        matches nobody counts against this till (TillLocked once too many have), never against a person."""
        now = self._clock.now()
        digits = ascii_digits(pin or "").strip()
        with self._uow(None) as uow:
            failures = uow.staff.till_sign_in_failures(now - LOCKOUT)
            staff = [s for s in uow.staff.by_branch(branch_id) if s.active]
        until = till_locked_until(failures)
        if until is not None and until > now:
            raise _till_locked(until, now)
        member = self._identify(branch_id, digits, staff)
        if member is None:
            till = Actor("", branch_id, Role.CASHIER)  # the till itself: no person is blamed for a wrong PIN
            attempts = len(failures) + 1
            until = till_locked_until([*failures, now])
            with self._uow(till) as uow:
                uow.staff.log_security_event("signin_failed", {"attempts": attempts, "by": "pin"})
                if until is not None:
                    uow.staff.log_security_event("signin_locked", {"attempts": attempts, "by": "pin"})
                uow.commit()
            if until is not None:
                raise _till_locked(until, now)
            raise AuthenticationFailed(
                QT_TRANSLATE_NOOP("core", "Wrong PIN. {left} attempts left before this till locks."),
                "pin",
                left=MAX_FAILED_ATTEMPTS - attempts,
            )
        if not member.active:  # pragma: no cover - only active staff are candidates
            raise AuthenticationFailed(QT_TRANSLATE_NOOP("core", "This staff account is disabled."))
        if member.locked_until is not None and member.locked_until > now:
            raise AuthenticationFailed(
                QT_TRANSLATE_NOOP("core", "Your account is locked for {minutes} minutes. Ask a manager to unlock it."),
                "pin",
                minutes=_minutes_until(member.locked_until, now),
            )
        actor = _actor(member)
        with self._uow(actor) as uow:
            if member.failed_attempts or member.locked_until:
                uow.staff.set_lockout(member.id, 0, None)
            uow.staff.log_security_event("signed_in", {"by": "pin"})
            uow.commit()
        return actor

    def _identify(self, branch_id: str, digits: str, staff: list[StaffRecord]) -> StaffRecord | None:
        key = _hint(branch_id, digits)
        hinted = _HINTS.get(key)
        ordered = sorted(staff, key=lambda s: s.id != hinted)  # the hinted member first, if still there
        for member in ordered:
            if pin_matches(member, digits):
                if len(_HINTS) >= _HINTS_KEPT:
                    _HINTS.clear()
                _HINTS[key] = member.id
                return member
        return None

    def sign_in(self, staff_id: str, pin: str) -> Actor:
        """The named path: an Actor for this staff member, or AuthenticationFailed. Wrong PINs count against
        this account (locked after ``MAX_FAILED_ATTEMPTS``); the failure count is saved either way."""
        now = self._clock.now()
        with self._uow(None) as uow:
            staff = uow.staff.get(staff_id)
        if staff is None:
            raise NotFound(QT_TRANSLATE_NOOP("core", "This staff account no longer exists."))
        actor = _actor(staff)
        try:
            check_pin(staff, pin, now)
        except AuthenticationFailed as failure:
            if failure.field == "pin" and failure.message == QT_TRANSLATE_NOOP("core", "Wrong PIN."):
                attempts = staff.failed_attempts + 1
                locked = now + LOCKOUT if attempts >= MAX_FAILED_ATTEMPTS else None
                with self._uow(actor) as uow:
                    uow.staff.set_lockout(staff.id, 0 if locked else attempts, locked)
                    uow.staff.log_security_event("signin_locked" if locked else "signin_failed", {"attempts": attempts})
                    uow.commit()
                if locked:
                    raise AuthenticationFailed(
                        QT_TRANSLATE_NOOP(
                            "core", "Too many wrong PINs. Try again in {minutes} minutes or ask a manager."
                        ),
                        "pin",
                        minutes=int(LOCKOUT.total_seconds() // 60),
                    ) from failure
                raise AuthenticationFailed(
                    QT_TRANSLATE_NOOP("core", "Wrong PIN. {left} attempts left before the account locks."),
                    "pin",
                    left=MAX_FAILED_ATTEMPTS - attempts,
                ) from failure
            raise
        if staff.failed_attempts or staff.locked_until:
            with self._uow(actor) as uow:
                uow.staff.set_lockout(staff.id, 0, None)
                uow.commit()
        return actor

    def unlock_till(self, staff_id: str, pin: str) -> Actor:
        """A manager or administrator, choosing their own name, lifts this till's lock and is signed in. Wrong
        PINs count against that account, as on every named sign-in."""
        actor = self.sign_in(staff_id, pin)
        if not actor.can(Permission.UNLOCK_STAFF):
            raise PermissionDenied(QT_TRANSLATE_NOOP("core", "Only a manager or an administrator can unlock the till."))
        with self._uow(actor) as uow:
            uow.staff.log_security_event("till_unlocked", {"by": "pin"})
            uow.commit()
        return actor

    def unlock(self, actor: Actor, staff_id: str) -> StaffRecord:
        """Lifts a staff member's lockout: who did it, for whom and when is audited with the change."""
        actor.require(Permission.UNLOCK_STAFF)
        with self._uow(actor) as uow:
            member = uow.staff.get(staff_id)
            if member is None or member.branch_id != actor.branch_id:
                raise NotFound(QT_TRANSLATE_NOOP("core", "This staff account no longer exists."))
            uow.staff.set_lockout(member.id, 0, None)
            uow.staff.log_security_event(
                "staff_unlocked",
                {
                    "staff_id": member.id,
                    "was_locked_until": member.locked_until.isoformat() if member.locked_until else None,
                },
            )
            unlocked = uow.staff.get(member.id)
            uow.commit()
        assert unlocked is not None
        return unlocked
