"""The audit-trail browser's use cases: the trail of one store, filtered and paged, for an admin."""

from __future__ import annotations

from typing import Protocol

from core.kernel.ports import Clock, UnitOfWork, UnitOfWorkFactory
from core.privacy.audit import TRAIL_PAGE, TrailChoices, TrailEntry, TrailFilter
from core.staff.auth import Actor, Permission


class AuditTrailRepository(Protocol):
    def entries(self, where: TrailFilter, offset: int, limit: int) -> list[TrailEntry]:
        """Customer changes and security events matching ``where``, newest first."""
        ...

    def choices(self) -> TrailChoices: ...


class AuditTrailUnitOfWork(UnitOfWork, Protocol):
    audit_trail: AuditTrailRepository


class AuditTrailService:
    def __init__(self, uow: UnitOfWorkFactory[AuditTrailUnitOfWork], clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    def entries(self, actor: Actor, where: TrailFilter, offset: int = 0, limit: int = TRAIL_PAGE) -> list[TrailEntry]:
        """One page of the trail, newest first; the next page starts at ``offset + limit``."""
        actor.require(Permission.VIEW_AUDIT_TRAIL)
        with self._uow(None) as uow:
            return uow.audit_trail.entries(where, max(0, offset), max(1, min(limit, 5000)))

    def choices(self, actor: Actor) -> TrailChoices:
        actor.require(Permission.VIEW_AUDIT_TRAIL)
        with self._uow(None) as uow:
            return uow.audit_trail.choices()
