"""Sign-in with a PIN and lockout after repeated failures."""

from __future__ import annotations

from core.kernel.errors import AuthenticationFailed, NotFound
from core.kernel.i18n import QT_TRANSLATE_NOOP
from core.kernel.ports import Clock, UnitOfWorkFactory
from core.staff.auth import LOCKOUT, MAX_FAILED_ATTEMPTS, Actor, StaffRecord, check_pin
from core.staff.ports import StaffUnitOfWork


class StaffService:
    def __init__(self, uow: UnitOfWorkFactory[StaffUnitOfWork], clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    def staff_of_branch(self, branch_id: str) -> list[StaffRecord]:
        with self._uow(None) as uow:
            return [s for s in uow.staff.by_branch(branch_id) if s.active]

    def sign_in(self, staff_id: str, pin: str) -> Actor:
        """An Actor for the staff member, or AuthenticationFailed. The failure count is saved either way."""
        now = self._clock.now()
        with self._uow(None) as uow:
            staff = uow.staff.get(staff_id)
        if staff is None:
            raise NotFound(QT_TRANSLATE_NOOP("core", "This staff account no longer exists."))
        actor = Actor(staff.id, staff.branch_id, staff.role, staff.name_en, staff.name_ar)
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
