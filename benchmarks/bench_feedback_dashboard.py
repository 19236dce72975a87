"""The manager's feedback dashboard on 12 months and 500,000 answers: the target is every figure in < 1 s.

The app side is what the page asks for on a refresh, through the services: ``feedback.dashboard`` (NPS now,
by month, by branch and by shopper, the classes, the sentiment and the themes, from feedback_facts) and
``feedback.low_scores_list``. The bare side is the same SQL on a plain sqlite3 connection, with the same
adding up in Python. The two run in turn in one loop, each refresh of one paired with the other's beside it,
for the period of 12 months with no filter and with a branch and a survey type chosen.

Once per run it also times what the dashboard would cost without feedback_facts: the plain GROUP BY of
storage.repositories.feedback over customer_feedback (month, branch, shopper: the shopper is looked up per
answer) and the themes of every comment of the period read and matched in Python. That is why the facts are
precomputed.

The fixture (built once, under benchmarks/data/, never committed) is a demo store with 500,000 answers over
the 12 calendar months to 3 Dec 2026 (1 Jan – 3 Dec: the period "Last 12 months" shows), bulk-inserted with
executemany on the raw connection (feedback_facts is filled by its trigger, as for any answer; the themes are
tagged in bulk after), six in ten with a comment drawn from the labelled reviews of tests/data/sentiment.
Exit 1 when the app's median refresh is 1 s or more.

    .venv/bin/python benchmarks/bench_feedback_dashboard.py [--answers 500000] [--runs 3] [--passes 5]
"""

from __future__ import annotations

import argparse
import json
import random
import sqlite3
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.spread import spread, verdict
from benchmarks.stores import connect

ROOT = Path(__file__).resolve().parents[1]
NOW = datetime(2026, 12, 3, 7, 30, tzinfo=UTC)
TARGET_S = 1.0
BATCH = 50_000


def build(path: Path, answers: int, seed: int = 16) -> None:
    from core.feedback.dashboard import last_months
    from core.feedback.sentiment import analyse
    from core.feedback.service import is_low
    from core.feedback.themes import LEXICON_VERSION, theme_mask
    from storage.db import open_store
    from storage.seed.demo import seed_demo

    started = time.perf_counter()
    store = open_store(path)
    seed_demo(store, customers=5000, now=NOW)
    store.close()
    rng = random.Random(seed)
    reviews = [
        json.loads(line)["text"]
        for line in (ROOT / "tests/data/sentiment/reviews.jsonl").read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    scored = {text: analyse(text) for text in reviews}
    masks = {text: theme_mask(text) for text in reviews}
    db = connect(path)
    db.execute("PRAGMA journal_mode=WAL")
    branches = [r[0] for r in db.execute("SELECT id FROM branches")]
    customers = [r[0] for r in db.execute("SELECT id FROM customers")]
    kinds = ["general"] * 5 + ["product"] * 2 + ["service"] * 2 + ["complaint"]
    start, end = last_months(NOW.date(), 12)  # the dashboard's "12 months": 1 Jan to 3 Dec 2026
    end = min(end, NOW)
    span = (end - start).total_seconds()
    moments = sorted(start + timedelta(seconds=rng.uniform(0, span)) for _ in range(answers))
    rows, tags = [], []
    for n, moment in enumerate(moments):
        score = rng.choices(range(11), weights=(2, 1, 1, 1, 2, 3, 4, 8, 14, 22, 30))[0]
        comment = rng.choice(reviews) if rng.random() < 0.6 else None
        found = scored[comment] if comment else None
        kind = rng.choice(kinds)
        feedback_id = f"fb-{n:09d}"
        rows.append(
            (
                feedback_id,
                moment.strftime("%Y-%m-%d %H:%M:%S.%f"),
                rng.choice(branches),
                rng.choice(customers),
                kind,
                score,
                comment,
                found.label if found else None,
                found.score if found else None,
                int(is_low(score, None, kind, found.label if found else None)),
            )
        )
        if comment:
            tags.append((masks[comment], feedback_id))
        if len(rows) == BATCH:
            _insert(db, rows)
            rows = []
    _insert(db, rows)
    db.executemany("UPDATE feedback_facts SET themes = ? WHERE feedback_id = ?", tags)
    db.execute(
        "INSERT INTO store_settings (key, value) VALUES ('feedback.themes_version', ?) "
        "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        (str(LEXICON_VERSION),),
    )
    db.commit()
    db.execute("ANALYZE")
    db.close()
    print(f"built {path} with {answers} answers in {time.perf_counter() - started:.0f} s")


def _insert(db: sqlite3.Connection, rows: list[tuple[object, ...]]) -> None:
    db.executemany(
        "INSERT INTO customer_feedback (id, created_at, branch_id, customer_id, kind, nps, comment, sentiment, "
        "sentiment_score, low_score) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        rows,
    )
    db.commit()


def bare_refresh(db: sqlite3.Connection, query: object) -> object:
    """The page's figures with the repository's SQL on a plain connection, added up as the service does."""
    from core.feedback.dashboard import FactCell, Option, build, months_of
    from storage.repositories import feedback as repo

    assert hasattr(query, "since")
    months = months_of(query.since, query.until)
    params: dict[str, object] = {
        "first": months[0],
        "last": months[-1],
        "since": repo._utc_text(query.since),
        "until": repo._utc_text(query.until),
    }
    where = ""
    for attribute, column in repo._FILTERS:
        value = getattr(query, attribute)
        if value is not None:
            where += f" AND {column} = :{attribute}"
            params[attribute] = value
    cells = [
        FactCell(m, b, p, s, repo._CLASSES.get(c, ""), max(0, t), n)
        for m, b, p, s, c, t, n in db.execute(repo._CELLS.format(where=where), params)
    ]
    names = {i: Option(i, en, ar) for i, en, ar in db.execute("SELECT id, name_en, name_ar FROM branches")}
    dashboard = build(query, cells, names)  # type: ignore[arg-type]
    low = db.execute(
        repo._LOW_ROWS.format(where=""),
        {"since": repo._utc_text(NOW - timedelta(days=14)), "limit": 200},
    ).fetchall()
    return dashboard, low


def on_the_fly(db: sqlite3.Connection, since: datetime, until: datetime) -> dict[str, float]:
    """What the figures cost without feedback_facts, seconds each."""
    from core.feedback.themes import theme_mask
    from storage.repositories import feedback as repo

    params = {"since": repo._utc_text(since), "until": repo._utc_text(until)}
    out = {}
    for grouping in ("month", "branch", "shopper"):
        started = time.perf_counter()
        db.execute(repo._COUNTS.format(group=repo._GROUPS[grouping]), params).fetchall()
        out[grouping] = time.perf_counter() - started
    started = time.perf_counter()
    for (comment,) in db.execute(
        "SELECT comment FROM customer_feedback WHERE created_at >= :since AND created_at < :until "
        "AND comment IS NOT NULL",
        params,
    ):
        theme_mask(comment)
    out["themes"] = time.perf_counter() - started
    return out


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--answers", type=int, default=500_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--passes", type=int, default=5)
    args = parser.parse_args()
    path = ROOT / "benchmarks" / "data" / f"feedback-{args.answers}.sqlite"
    if not path.exists():
        build(path, args.answers)

    from core.feedback.dashboard import DashboardFilter, last_months
    from core.staff.auth import Actor, Role
    from storage.bootstrap import build_services
    from storage.db import open_store
    from tests.clock import TestClock

    clock = TestClock(NOW, tick=False)
    store = open_store(path)
    services = build_services(store, clock)
    manager = next(s for s in services.staff.staff_of_branch(store.branch_id) if s.role == Role.MANAGER)
    actor = Actor(manager.id, manager.branch_id, manager.role, manager.name_en)
    since, until = last_months(clock.today(), 12)
    queries = {
        "12 months, all": DashboardFilter(since, until),
        "12 months, a branch, complaints": DashboardFilter(since, until, branch_id=store.branch_id, kind="complaint"),
    }
    db = connect(path)
    answers = db.execute("SELECT count(*) FROM customer_feedback").fetchone()[0]
    print(f"{answers} answers; dashboard refresh = dashboard() + low_scores_list(), app vs bare SQL, interleaved")
    app_medians: list[float] = []
    for run in range(args.runs):
        fly = on_the_fly(db, since, until)
        print(
            f"run {run + 1}: without feedback_facts: "
            + ", ".join(f"{k} {v * 1000:.0f} ms" for k, v in fly.items())
            + f" (sum {sum(fly.values()):.2f} s)"
        )
        for name, query in queries.items():
            app: list[float] = []
            bare: list[float] = []
            for n in range(args.passes):
                sides = ["app", "bare"] if n % 2 == 0 else ["bare", "app"]
                for side in sides:
                    started = time.perf_counter()
                    if side == "app":
                        figures = services.feedback.dashboard(actor, query)
                        services.feedback.low_scores_list(actor)
                        app.append(time.perf_counter() - started)
                    else:
                        bare_refresh(db, query)
                        bare.append(time.perf_counter() - started)
            ratio = [a / b for a, b in zip(app, bare, strict=True)]
            print(
                f"  {name}: {figures.answers} answers; app {spread(app, 's', 3)}; bare {spread(bare, 's', 3)}; "
                f"app/bare {spread(ratio, '', 2)}"
            )
            if name.endswith("all"):
                app_medians.append(statistics.median(app))
    db.close()
    store.close()
    ok = max(app_medians) < TARGET_S
    print(f"app refresh, median per run: {spread(app_medians, 's', 3)} (target < {TARGET_S:.0f} s): {verdict(ok)}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
