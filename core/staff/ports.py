"""What sign-in needs from storage: the staff repository, and a unit of work holding it."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from core.kernel.ports import UnitOfWork
from core.staff.auth import StaffRecord


class StaffRepository(Protocol):
    def get(self, staff_id: str) -> StaffRecord | None: ...

    def by_branch(self, branch_id: str) -> list[StaffRecord]: ...

    def set_lockout(self, staff_id: str, failed_attempts: int, locked_until: datetime | None) -> None: ...

    def log_security_event(self, kind: str, detail: dict[str, object]) -> None: ...

    def till_sign_in_failures(self, since: datetime) -> list[datetime]:
        """When each PIN refused at this till since ``since`` was typed, oldest first; a sign-in or a manager's
        unlock at this till starts the count again."""
        ...


class StaffUnitOfWork(UnitOfWork, Protocol):
    staff: StaffRepository
