"""The audit-trail browser's use cases: the trail of one store, filtered and paged, for an admin."""

from __future__ import annotations

from typing import Protocol

from core.kernel.ports import Clock, UnitOfWork, UnitOfWorkFactory
from core.privacy.audit import TRAIL_PAGE, TrailChoices, TrailCursor, TrailEntry, TrailFilter
from core.staff.auth import Actor, Permission


class AuditTrailRepository(Protocol):
    def entries(self, where: TrailFilter, before: TrailCursor | None, limit: int) -> list[TrailEntry]:
        """Customer changes and security events matching ``where``, newest first, older than ``before``."""
        ...

    def choices(self) -> TrailChoices: ...


class AuditTrailUnitOfWork(UnitOfWork, Protocol):
    audit_trail: AuditTrailRepository


class AuditTrailService:
    def __init__(self, uow: UnitOfWorkFactory[AuditTrailUnitOfWork], clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    def entries(
        self, actor: Actor, where: TrailFilter, limit: int = TRAIL_PAGE, before: TrailCursor | None = None
    ) -> list[TrailEntry]:
        """One page of the trail, newest first; the next page is the one ``before`` the last entry's
        ``cursor`` (a page costs the same however deep it is)."""
        actor.require(Permission.VIEW_AUDIT_TRAIL)
        with self._uow(None) as uow:
            return uow.audit_trail.entries(where, before, max(1, min(limit or TRAIL_PAGE, 5000)))

    def choices(self, actor: Actor) -> TrailChoices:
        actor.require(Permission.VIEW_AUDIT_TRAIL)
        with self._uow(None) as uow:
            return uow.audit_trail.choices()
