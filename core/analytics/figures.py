"""The dashboards' precomputed figures: the recompute that makes them, and the service the page reads them from.

A recompute is a list of steps run in order, each reporting its progress: read the history (one frame), the
per-customer figures, then every dashboard for every filter (core.analytics.dashboards), then store them, all
at once, replacing the previous run's. Reading a dashboard is then one stored document by its key, so the page
opens in milliseconds whatever the size of the history (benchmarks/bench_analytics.py).

Where it runs: head office computes the chain's figures (nightly and on demand) and each branch pulls those of
the chain and of its own branch; a standalone store runs the same steps in the background (main.py, and the
page's "Recompute now"). The steps do not know which: they are given a reader of the history.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt

from core.analytics.customers import CustomerAnalyticsResult, DeclaredPreferences, compute_customer_analytics
from core.analytics.dashboards import DASHBOARDS, PERIODS, Prepared, compute
from core.analytics.frame import OrdersFrame
from core.kernel.clock import local
from core.kernel.errors import ValidationError
from core.kernel.i18n import QT_TRANSLATE_NOOP
from core.kernel.ports import Clock
from core.loyalty.rules import ProgramRules
from core.staff.auth import Actor, Permission

ALL = ""  # the chain, or every segment
Progress = Callable[[str, int, int], None]  # step, done, of


@dataclass(frozen=True)
class FigureKey:
    dashboard: str
    period: str
    branch_id: str = ALL
    segment: str = ALL


@dataclass(frozen=True)
class Figure:
    key: FigureKey
    computed_at: datetime
    payload: dict[str, Any]

    def to_json(self) -> dict[str, Any]:
        return {
            "dashboard": self.key.dashboard,
            "period": self.key.period,
            "branch_id": self.key.branch_id,
            "segment": self.key.segment,
            "computed_at": self.computed_at.isoformat(),
            "payload": self.payload,
        }

    @classmethod
    def from_json(cls, value: dict[str, Any]) -> Figure:
        """What ``to_json`` wrote (head office's answer); a malformed one is refused."""
        try:
            key = FigureKey(
                str(value["dashboard"]), str(value["period"]), str(value["branch_id"]), str(value["segment"])
            )
            at = datetime.fromisoformat(str(value["computed_at"]))
            payload = value["payload"]
        except (KeyError, TypeError, ValueError):
            raise ValidationError(QT_TRANSLATE_NOOP("core", "These figures cannot be read."), "figures") from None
        if key.dashboard not in DASHBOARDS or key.period not in PERIODS or not isinstance(payload, dict):
            raise ValidationError(QT_TRANSLATE_NOOP("core", "These figures cannot be read."), "figures")
        return cls(key, at if at.tzinfo else at.replace(tzinfo=UTC), payload)


@dataclass(frozen=True)
class FigureOptions:
    """What the filters offer: the branches (id, English, Arabic) and segments figures were computed for, and
    when they were computed (None: never)."""

    branches: tuple[tuple[str, str, str], ...] = ()
    segments: tuple[str, ...] = ()
    computed_at: datetime | None = None


class FiguresRepository(Protocol):
    def replace(self, figures: Iterable[Figure]) -> None:
        """Stores a whole run's figures in one transaction, the previous run's gone."""
        ...

    def load(self, key: FigureKey) -> Figure | None: ...

    def options(self) -> FigureOptions: ...


SaveRows = Callable[[CustomerAnalyticsResult, OrdersFrame], object]  # writes the customer rows of a result


class HistoryReader(Protocol):
    def read(self) -> OrdersFrame:
        """The whole history with its facts (``frame.extra``) filled."""
        ...

    def declared(self, frame: OrdersFrame) -> DeclaredPreferences:
        """The families and brands the frame's customers declared (the next likely purchase counts them)."""
        ...


@dataclass
class CustomerFigures:
    """Per customer (indexed like the frame's customers): what customer_analytics holds."""

    orders_count: npt.NDArray[np.int64]
    lifetime_fils: npt.NDArray[np.int64]
    average_order_fils: npt.NDArray[np.int64]
    last_purchase_at: npt.NDArray[np.int64]  # Unix seconds, 0 for none


def figures_of(result: CustomerAnalyticsResult) -> CustomerFigures:
    """The customers' figures with the lifetime value of the models (core.analytics.customers: BG/NBD and
    Gamma-Gamma, the next 12 months) where they have one, the spend so far where they have not (one purchase,
    returns only, a history too short to fit)."""
    modelled = np.isfinite(result.lifetime_value_fils)
    value = np.where(modelled, np.rint(np.nan_to_num(result.lifetime_value_fils)), result.net_fils)
    return CustomerFigures(
        orders_count=result.orders.astype(np.int64),
        lifetime_fils=value.astype(np.int64),
        average_order_fils=result.average_order_fils.astype(np.int64),
        last_purchase_at=result.last_purchase_at.astype(np.int64),
    )


def per_customer_models(frame: OrdersFrame, now: int) -> CustomerFigures:
    """``figures_of`` the models fitted on ``frame`` without their held-back check (which only decides whether
    the customer rows call the figures a prediction)."""
    return figures_of(compute_customer_analytics(frame, datetime.fromtimestamp(now, UTC), validation=False))


# The per-customer step of a recompute that saves no customer rows (a standalone store's and head office's both
# save them): the models' lifetime value feeds the customers dashboard's CLV distribution.
PER_CUSTOMER: Callable[[OrdersFrame, int], CustomerFigures] = per_customer_models


@dataclass
class Run:
    """One recompute's state as its steps fill it."""

    now: datetime
    rules: ProgramRules
    frame: OrdersFrame | None = None
    customers: CustomerFigures | None = None
    analytics: CustomerAnalyticsResult | None = None  # when the customer rows are saved from this run
    figures: list[Figure] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)


def _read(reader: HistoryReader) -> Callable[[Run, Progress], None]:
    def step(run: Run, progress: Progress) -> None:
        progress("read", 0, 1)
        run.frame = reader.read()
        progress("read", 1, 1)

    return step


def _customers(reader: HistoryReader, rows: SaveRows | None) -> Callable[[Run, Progress], None]:
    """The per-customer step: the models' figures for the CLV chart; where the run also saves the customer rows
    (customer_analytics), the models with their held-back check and each customer's next likely purchase from the
    declared preferences, computed once for both."""

    def step(run: Run, progress: Progress) -> None:
        frame = run.frame
        assert frame is not None
        progress("customers", 0, 1)
        if rows is None:
            run.customers = PER_CUSTOMER(frame, int(run.now.timestamp()))
        else:
            run.analytics = compute_customer_analytics(frame, run.now, declared=reader.declared(frame))
            run.customers = figures_of(run.analytics)
        progress("customers", 1, 1)

    return step


def _rows(save: SaveRows) -> Callable[[Run, Progress], None]:
    def step(run: Run, progress: Progress) -> None:
        assert run.analytics is not None and run.frame is not None
        progress("customer rows", 0, 1)
        save(run.analytics, run.frame)
        run.analytics = None  # its arrays are not needed by the dashboards
        progress("customer rows", 1, 1)

    return step


def _aggregates(run: Run, progress: Progress) -> None:
    frame = run.frame
    assert frame is not None
    prepared = Prepared(frame, int(run.now.timestamp()), run.rules)
    if run.customers is not None:
        prepared.customer_lifetime = run.customers.lifetime_fils
    facts = prepared.facts
    names = {key: list(value) for key, value in facts.names.items()}
    branch_names = [[b, *facts.names.get(b, (b, b))] for b in frame.branch_ids]
    scopes = prepared.scopes()
    for done, scope in enumerate(scopes):
        branch = frame.branch_ids[scope.branch] if scope.branch >= 0 else ALL
        segment = facts.segments[scope.segment] if scope.segment >= 0 else ALL
        for dashboard, payload in compute(prepared, scope).items():
            payload["branches"] = branch_names
            payload["segments"] = facts.segments
            if dashboard in ("shoppers", "engagement"):
                payload["names"] = names
            run.figures.append(Figure(FigureKey(dashboard, scope.period, branch, segment), run.now, payload))
        progress("aggregates", done + 1, len(scopes))


def _save(save: Callable[[list[Figure]], None]) -> Callable[[Run, Progress], None]:
    def step(run: Run, progress: Progress) -> None:
        progress("save", 0, 1)
        save(run.figures)
        progress("save", 1, 1)

    return step


def recompute(
    reader: HistoryReader,
    save: Callable[[list[Figure]], None],
    now: datetime,
    rules: ProgramRules | None = None,
    progress: Progress | None = None,
    rows: SaveRows | None = None,
) -> Run:
    """Runs every step in order; ``progress(step, done, of)`` after each piece of work. ``rows`` saves the
    customer rows (customer_analytics) from the same reading of the history."""
    import time

    report = progress or (lambda _step, _done, _of: None)
    run = Run(now, rules or ProgramRules())
    steps: list[tuple[str, Callable[[Run, Progress], None]]] = [
        ("read", _read(reader)),
        ("customers", _customers(reader, rows)),  # the per-customer models' step (PER_CUSTOMER above)
        *([("customer rows", _rows(rows))] if rows is not None else []),
        ("aggregates", _aggregates),
        ("save", _save(save)),
    ]
    for name, step in steps:
        started = time.perf_counter()
        step(run, report)
        run.seconds[name] = time.perf_counter() - started
    return run


def figure_size(figure: Figure) -> int:
    return len(json.dumps(figure.payload, separators=(",", ":")))


class AnalyticsService:
    """The dashboards' figures for the manager's page: read from what the last recompute stored. A standalone
    store recomputes its own (``recompute``); a branch of a chain refuses to, as head office computes them."""

    def __init__(
        self,
        figures: FiguresRepository,
        clock: Clock,
        reader: Callable[[], HistoryReader] | None = None,
        rules: Callable[[], ProgramRules] | None = None,
        customer_rows: Callable[[Actor | None, CustomerAnalyticsResult, OrdersFrame], object] | None = None,
    ) -> None:
        self._figures = figures
        self._clock = clock
        self._reader = reader
        self._rules = rules or ProgramRules
        # A standalone store's customer rows (customer_analytics: each customer's value, churn risk, segment and
        # next purchase) are saved from the same run as its figures; ``None`` is the store's unattended job.
        self._customer_rows = customer_rows

    @property
    def computes_here(self) -> bool:
        return self._reader is not None

    def options(self, actor: Actor) -> FigureOptions:
        actor.require(Permission.VIEW_ANALYTICS)
        return self._figures.options()

    def dashboard(self, actor: Actor, key: FigureKey) -> Figure | None:
        """The stored figures for ``key``; None before the first recompute (or pull)."""
        actor.require(Permission.VIEW_ANALYTICS)
        if key.dashboard not in DASHBOARDS or key.period not in PERIODS:
            raise ValidationError(QT_TRANSLATE_NOOP("core", "There is no such dashboard."), "dashboard")
        return self._figures.load(key)

    def recompute(self, actor: Actor, progress: Progress | None = None) -> Run:
        actor.require(Permission.VIEW_ANALYTICS)
        if self._reader is None:
            raise ValidationError(
                QT_TRANSLATE_NOOP("core", "Head office computes this chain's figures; they come with the next sync."),
                "recompute",
            )
        return recompute(
            self._reader(), self._figures.replace, self._clock.now(), self._rules(), progress, self._rows(actor)
        )

    def _rows(self, actor: Actor | None) -> SaveRows | None:
        save = self._customer_rows
        if save is None:
            return None
        return lambda result, frame: save(actor, result, frame)

    def is_fresh(self, today: date) -> bool:
        """Figures computed on ``today`` (Asia/Dubai) exist: the day's background recompute is done."""
        at = self._figures.options().computed_at
        return at is not None and local(at).date() >= today

    def recompute_in_background(self, progress: Progress | None = None) -> Run | None:
        """The standalone store's nightly job: no actor, as main.py runs it; None in a chain."""
        if self._reader is None:
            return None
        return recompute(
            self._reader(), self._figures.replace, self._clock.now(), self._rules(), progress, self._rows(None)
        )
