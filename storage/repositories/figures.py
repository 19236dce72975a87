"""The dashboards' precomputed figures in the store's analytics_figures table (0029), and the reader of the
store's history that a standalone recompute starts from.

A run's figures replace the previous ones in one transaction, through the raw connection: the table is local
and derived (no change log: nothing of it replicates; a branch of a chain refills it from head office's), and a
run writes a few hundred JSON documents at once."""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import UTC, datetime

from core.analytics.customers import DeclaredPreferences
from core.analytics.figures import ALL, Figure, FigureKey, FigureOptions
from core.analytics.frame import OrdersFrame
from core.analytics.reader import read_declared_preferences, read_facts, read_orders_frame
from storage.db import Store

_INSERT = (
    "INSERT INTO analytics_figures (dashboard, period, branch_id, segment, computed_at, payload) "
    "VALUES (?, ?, ?, ?, ?, ?)"
)


def _db_time(moment: datetime) -> str:
    return moment.astimezone(UTC).replace(tzinfo=None).isoformat(sep=" ")


def _moment(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


class SqlFigures:
    def __init__(self, store: Store) -> None:
        self._store = store

    def replace(self, figures: Iterable[Figure], *, only_branches: Iterable[str] | None = None) -> None:
        """The run's figures, the previous ones gone; ``only_branches``: replace those branches' rows only (a
        pull from head office brings the chain's and this branch's)."""
        rows = [
            (
                f.key.dashboard,
                f.key.period,
                f.key.branch_id,
                f.key.segment,
                _db_time(f.computed_at),
                json.dumps(f.payload, separators=(",", ":"), ensure_ascii=False),
            )
            for f in figures
        ]
        with self._store.raw() as conn:
            conn.execute("BEGIN IMMEDIATE")
            try:
                if only_branches is None:
                    conn.execute("DELETE FROM analytics_figures")
                else:
                    conn.executemany(
                        "DELETE FROM analytics_figures WHERE branch_id = ?", [(b,) for b in set(only_branches)]
                    )
                conn.executemany(_INSERT, rows)
                conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                raise

    def load(self, key: FigureKey) -> Figure | None:
        with self._store.raw() as conn:
            row = conn.execute(
                "SELECT computed_at, payload FROM analytics_figures "
                "WHERE dashboard = ? AND period = ? AND branch_id = ? AND segment = ?",
                (key.dashboard, key.period, key.branch_id, key.segment),
            ).fetchone()
        if row is None:
            return None
        return Figure(key, _moment(row[0]), json.loads(row[1]))

    def options(self) -> FigureOptions:
        """From the chain-wide sales figures of the longest period: the branches and segments they list."""
        found = self.load(FigureKey("sales", "all", ALL, ALL))
        if found is None:
            return FigureOptions()
        branches = tuple((str(b[0]), str(b[1]), str(b[2])) for b in found.payload.get("branches", []) if len(b) == 3)
        with self._store.raw() as conn:
            have = {r[0] for r in conn.execute("SELECT DISTINCT branch_id FROM analytics_figures")}
        return FigureOptions(
            tuple(b for b in branches if b[0] in have),
            tuple(str(s) for s in found.payload.get("segments", [])),
            found.computed_at,
        )


class SqlHistory:
    """The store's whole history as one frame with its facts (core.analytics.reader); with ``lines``, its order
    lines too and, for the customer rows' next likely purchase, the preferences customers declared."""

    def __init__(self, store: Store, *, lines: bool = False) -> None:
        self._store = store
        self._lines = lines

    def read(self) -> OrdersFrame:
        with self._store.raw() as conn:
            frame = read_orders_frame(conn, lines=self._lines)
            read_facts(conn, frame)
        return frame

    def declared(self, frame: OrdersFrame) -> DeclaredPreferences:
        with self._store.raw() as conn:
            return read_declared_preferences(conn, frame)
