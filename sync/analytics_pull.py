"""A branch of a chain takes its dashboards' figures from head office (sync.headoffice.analytics): after a sync
cycle's pull, at most once per ``every``, the chain's and this branch's figures, page by page, each checked
(core.analytics.figures.Figure.from_json), then stored in one transaction in place of the previous ones. A
figure of another branch, a malformed one or more than ``MAX_FIGURES`` of them refuse the whole answer: what
the branch showed before stays."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable
from typing import Protocol

from core.analytics.figures import ALL, Figure
from core.kernel.errors import ValidationError
from core.kernel.i18n import QT_TRANSLATE_NOOP
from sync.client import HeadOfficeClient

log = logging.getLogger(__name__)
UNREADABLE = QT_TRANSLATE_NOOP("core", "These figures cannot be read.")
PAGE = 100
MAX_FIGURES = 5_000  # 4 periods × 6 dashboards × (all + segments) × (chain + this branch) is a few hundred


class FigureStore(Protocol):
    def replace(self, figures: Iterable[Figure], *, only_branches: Iterable[str] | None = None) -> None: ...


class FiguresPull:
    def __init__(
        self,
        client: HeadOfficeClient,
        figures: FigureStore,
        branch_id: str,
        every_s: float = 3600.0,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._client = client
        self._figures = figures
        self._branch_id = branch_id
        self._every = every_s
        self._monotonic = monotonic
        self._last: float | None = None
        self._computed_at: str | None = None

    def __call__(self) -> int:
        """Pulls when due; returns how many figures were stored (0 when not due or unchanged)."""
        now = self._monotonic()
        if self._last is not None and now - self._last < self._every:
            return 0
        self._last = now
        return self.pull()

    def pull(self) -> int:
        found: list[Figure] = []
        after: int | None = 0
        computed_at = None
        while after is not None:
            page = self._client.analytics_figures(after, PAGE)
            computed_at = page.get("computed_at")
            if computed_at is not None and computed_at == self._computed_at:
                return 0  # nothing new since the last pull
            for value in page.get("figures") or []:
                figure = Figure.from_json(value)
                if figure.key.branch_id not in (ALL, self._branch_id):
                    raise ValidationError(UNREADABLE, "figures")
                found.append(figure)
            if len(found) > MAX_FIGURES:
                raise ValidationError(UNREADABLE, "figures")
            following = page.get("next")
            after = following if isinstance(following, int) and following > after else None
        if not found:
            return 0
        self._figures.replace(found, only_branches=(ALL, self._branch_id))
        self._computed_at = computed_at
        return len(found)
