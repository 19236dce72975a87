"""The daily expiry job of a store without a head office: which expiry runs it makes itself, and when.

With a head office, head office decides expiry runs and branches pull the results (DESIGN.md); a standalone
store is its own head office, so it expires gift cards and points itself. It does so when a manager or an
administrator signs in, at most once per day — the store's day in Asia/Dubai, so the run after 20:00 UTC
belongs to the next day, and 31 December 23:59 in Dubai is still the old year. Points expiry needs
the loyalty permission (administrators); gift-card expiry does not. The runs themselves are the services'
own (``GiftCardService.expire_due``, ``LoyaltyService.run_expiry``); this module only decides.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Protocol

from core.kernel.ports import Clock
from core.loyalty.service import ExpiryRun
from core.offline.allowances import LinkState
from core.staff.auth import Actor, Permission, Role

RUNS_EXPIRY = (Role.MANAGER, Role.ADMIN)


class LinkStateSource(Protocol):
    def link_state(self) -> LinkState: ...


@dataclass(frozen=True)
class DailyExpiryRun:
    day: date
    gift_cards_expired: int
    points: ExpiryRun | None  # None: the actor may not run points expiry


@dataclass(frozen=True)
class ClaimedExpiry:
    day: date
    run: Callable[[], DailyExpiryRun]  # slow (a pass over every card and account): run it off the main thread


class DailyExpiry:
    """Hands out each day's expiry run once: ``claim`` at sign-in gives the run (or None), and ``release``
    gives the day back after a failed run, so the next sign-in that day retries it."""

    def __init__(
        self,
        clock: Clock,
        link: LinkStateSource,
        expire_gift_cards: Callable[[Actor], int],
        expire_points: Callable[[Actor], ExpiryRun],
    ) -> None:
        self._clock = clock
        self._link = link
        self._expire_gift_cards = expire_gift_cards
        self._expire_points = expire_points
        self._claimed: date | None = None

    def claim(self, actor: Actor | None) -> ClaimedExpiry | None:
        """The expiry run due now that ``actor`` signed in, or None: nobody signed in, a role that does not
        run expiry, a store with a head office, or today's run already claimed."""
        if actor is None or actor.role not in RUNS_EXPIRY:
            return None
        if self._link.link_state() != LinkState.STANDALONE:
            return None
        today = self._clock.today()
        if self._claimed == today:
            return None
        self._claimed = today
        points = actor.can(Permission.RUN_LOYALTY)

        def run() -> DailyExpiryRun:
            cards = self._expire_gift_cards(actor)
            return DailyExpiryRun(today, cards, self._expire_points(actor) if points else None)

        return ClaimedExpiry(today, run)

    def release(self, day: date) -> None:
        """``day``'s run failed: the next sign-in that day tries again (a later day's claim stands)."""
        if self._claimed == day:
            self._claimed = None
