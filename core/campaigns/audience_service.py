"""Counting an audience and listing its members, for managers and administrators.

``count`` is what a builder calls as its filters change (debounced, off the main thread): one SQL statement,
a few hundred milliseconds over a million customers (benchmarks/bench_audience.py). ``members`` streams the
customer ids in pages, each page its own short read transaction (keyset on the id), so an executor that
writes between pages never holds a reader open across its own writes; every page is worked out at the same
resolved moment, so "bought within 180 days" does not move between the first page and the last.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Protocol

from core.campaigns.audience import AudienceDefinition
from core.campaigns.audience_query import AudienceQuery, resolve
from core.kernel.errors import ValidationError
from core.kernel.i18n import QT_TRANSLATE_NOOP
from core.kernel.ports import Clock, UnitOfWork
from core.messaging.rules import DEFAULT_RULES, RulesConfig
from core.staff.auth import Actor, Permission

PAGE_SIZE = 5_000
MAX_PAGE_SIZE = 50_000


class AudienceRepository(Protocol):
    def count(self, query: AudienceQuery) -> int:
        """How many customers the query selects."""
        ...

    def page(self, query: AudienceQuery, after: str | None, limit: int) -> list[str]:
        """The next ``limit`` customer ids the query selects, in id order, after ``after``."""
        ...


class AudienceUnitOfWork(UnitOfWork, Protocol):
    audiences: AudienceRepository


class AudienceService:
    def __init__(
        self, uow: Callable[[Actor | None], AudienceUnitOfWork], clock: Clock, rules: RulesConfig = DEFAULT_RULES
    ) -> None:
        self._uow = uow
        self._clock = clock
        self.rules = rules

    def resolve(self, actor: Actor, definition: AudienceDefinition, campaign_id: str | None = None) -> AudienceQuery:
        """The definition at this moment; refuses a role that may not build campaigns and an invalid
        definition (ValidationErrors, every wrong field)."""
        actor.require(Permission.MANAGE_CAMPAIGNS)
        return resolve(definition, self._clock.now(), rules=self.rules, campaign_id=campaign_id)

    def count(self, actor: Actor, definition: AudienceDefinition, *, campaign_id: str | None = None) -> int:
        """How many customers the definition selects now. ``campaign_id`` is the campaign being built, whose own
        executions do not exclude anyone from it."""
        query = self.resolve(actor, definition, campaign_id)
        with self._uow(None) as uow:
            return uow.audiences.count(query)

    def members(
        self,
        actor: Actor,
        definition: AudienceDefinition,
        *,
        campaign_id: str | None = None,
        page_size: int = PAGE_SIZE,
    ) -> Iterator[list[str]]:
        """The customer ids the definition selects now, in pages of ``page_size`` (id order). Checked before the
        first page is asked for: the refusal comes from this call, not from the first ``next``."""
        actor.require(Permission.MANAGE_CAMPAIGNS)  # before the arguments: a refused role hears only that
        if not 1 <= page_size <= MAX_PAGE_SIZE:
            raise ValidationError(
                QT_TRANSLATE_NOOP("core", "A page holds from 1 to {limit} customers."), "page_size", limit=MAX_PAGE_SIZE
            )
        query = self.resolve(actor, definition, campaign_id)
        return self._pages(query, page_size)

    def _pages(self, query: AudienceQuery, page_size: int) -> Iterator[list[str]]:
        after: str | None = None
        while True:
            with self._uow(None) as uow:
                ids = uow.audiences.page(query, after, page_size)
            if ids:
                yield ids
            if len(ids) < page_size:
                return
            after = ids[-1]


__all__ = ["PAGE_SIZE", "AudienceRepository", "AudienceService", "AudienceUnitOfWork"]
