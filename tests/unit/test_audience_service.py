"""The audience service on an in-memory repository: roles, one resolved moment for every page, keyset pages."""

from __future__ import annotations

from types import TracebackType
from typing import Self

import pytest

from core.campaigns.audience import AudienceDefinition, LastPurchase
from core.campaigns.audience_query import AudienceQuery
from core.campaigns.audience_service import AudienceService
from core.kernel.errors import PermissionDenied, ValidationError
from core.staff.auth import Actor, Role
from tests.clock import TestClock


class ListedAudience:
    """Every query selects ``ids``; remembers the queries it was asked."""

    def __init__(self, ids: list[str]) -> None:
        self.ids = sorted(ids)
        self.asked: list[AudienceQuery] = []

    def count(self, query: AudienceQuery) -> int:
        self.asked.append(query)
        return len(self.ids)

    def page(self, query: AudienceQuery, after: str | None, limit: int) -> list[str]:
        self.asked.append(query)
        return [i for i in self.ids if after is None or i > after][:limit]


class ReadOnlyUnitOfWork:
    def __init__(self, audiences: ListedAudience, opened: list[Actor | None], actor: Actor | None) -> None:
        self.audiences = audiences
        opened.append(actor)

    def __enter__(self) -> Self:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        return None

    def raise_event(self, event: object) -> None:
        raise AssertionError("counting raises no events")

    def commit(self) -> None:
        raise AssertionError("counting writes nothing")

    def on_rollback(self, undo: object) -> None:
        return None


MANAGER = Actor("m", "b", Role.MANAGER)


def service(ids: list[str], clock: TestClock) -> tuple[AudienceService, ListedAudience, list[Actor | None]]:
    repo = ListedAudience(ids)
    opened: list[Actor | None] = []
    return AudienceService(lambda actor: ReadOnlyUnitOfWork(repo, opened, actor), clock), repo, opened


def test_pages_follow_the_ids_and_share_one_moment() -> None:
    clock = TestClock()
    svc, repo, opened = service([f"c{i:03d}" for i in range(25)], clock)
    pages = svc.members(MANAGER, AudienceDefinition(last_purchase=LastPurchase(to_days=30)), page_size=10)
    first = next(pages)
    clock.advance(days=2)  # the executor takes its time between pages
    rest = list(pages)
    assert [len(p) for p in [first, *rest]] == [10, 10, 5]
    assert [i for p in [first, *rest] for i in p] == repo.ids
    assert len({q.now for q in repo.asked}) == 1  # "within 30 days" means the same days on every page
    assert opened == [None, None, None]  # read-only units of work, one per page


def test_an_exact_multiple_of_the_page_ends_with_an_empty_ask_and_no_empty_page() -> None:
    svc, _repo, _opened = service([f"c{i}" for i in range(4)], TestClock())
    assert list(svc.members(MANAGER, AudienceDefinition(), page_size=2)) == [["c0", "c1"], ["c2", "c3"]]


def test_only_managers_and_administrators_count() -> None:
    svc, _repo, opened = service(["a"], TestClock())
    assert svc.count(Actor("x", "b", Role.ADMIN), AudienceDefinition()) == 1
    for role in (Role.CASHIER, Role.PERSONAL_SHOPPER):
        with pytest.raises(PermissionDenied):
            svc.count(Actor("x", "b", role), AudienceDefinition())
    assert opened == [None]  # a refusal opens no unit of work


def test_a_page_size_out_of_bounds_is_refused() -> None:
    svc, _repo, _opened = service(["a"], TestClock())
    for size in (0, 50_001):
        with pytest.raises(ValidationError):
            svc.members(MANAGER, AudienceDefinition(), page_size=size)
