"""A campaign run over many recipients: the executor's writes against a bare executemany of the same rows.

    python benchmarks/bench_campaigns.py [--customers 100000] [--rounds 1] [--batch 500]

The store is a fixture built once under ``benchmarks/data/`` (``--rebuild`` makes it again): the demo seed's
branches and staff, then ``--customers`` customers whose birthday is the run's day, each with promotional SMS
consent in the consent ledger, bulk-inserted with ``executemany`` like ``make_store.py`` (no change log: it
must never sync). A birthday campaign with a 10 % control group is created and scheduled through the service.

Each round, on fresh copies of the fixture, one right after the other:

- **app**: ``CampaignExecutor.run_due()`` as ``main.py campaigns`` builds it: the audience paged in id order,
  per batch of ``--batch`` customers their profiles and consent read, the arm assigned, the promotional outbox
  messages (ORM, with their change-log rows) and the ledger rows (with theirs) written in one transaction;
- **bare**: the very rows the app wrote to ``campaign_executions`` and ``communications``, read back from its
  copy, inserted with ``executemany`` on a plain ``sqlite3`` connection into the other copy, the same number of
  rows per transaction; **bare+log** adds the app's change-log rows of the run the same way.

Target: the app's rows per second at least 30 % of the bare executemany's (round by round, median). Exit
status 1 on a miss.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.stores import connect

DATA = Path(__file__).resolve().parent / "data"
SCHEDULED = datetime(2027, 4, 30, 12, 0, tzinfo=UTC)
RUN_AT = datetime(2027, 5, 1, 6, 5, tzinfo=UTC)  # 10:05 in Dubai on 1 May
TARGET = 0.30


class FixedClock:
    def __init__(self, at: datetime) -> None:
        self.at = at

    def now(self) -> datetime:
        return self.at

    def today(self) -> date:
        return self.at.date()


def db_time(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


def build(path: Path, count: int) -> None:
    from core.campaigns.model import CampaignDefinition, CampaignKind, Message
    from core.campaigns.schedule import Repeat, Schedule
    from core.kernel.ids import new_id
    from core.messaging.templates import CAMPAIGN_BIRTHDAY
    from core.staff.auth import Actor, Role
    from storage.bootstrap import build_services
    from storage.db import open_store
    from storage.seed.demo import seed_demo

    partial = path.with_suffix(".partial")
    partial.unlink(missing_ok=True)
    store = open_store(partial)
    seed_demo(store, customers=0, loyalty=False, now=SCHEDULED - timedelta(days=900))
    branch = store.branch_id
    store.close()
    conn = connect(partial)
    created = db_time(SCHEDULED - timedelta(days=400))
    granted = db_time(SCHEDULED - timedelta(days=300))
    for start in range(0, count, 50_000):
        customers, consents = [], []
        for n in range(start, min(count, start + 50_000)):
            cid = new_id()
            birthday = date(1960 + n % 45, 5, 1).isoformat()
            names = (f"C{n:07d}", f"Guest{n}", f"ضيف{n}", f"+97150{n:07d}", birthday, "ar" if n % 2 else "en")
            customers.append((cid, created, created, branch, "{}", 0, *names, "sms", "regular", 0, 1, 0, ""))
            consents.append((new_id(), granted, branch, cid, "sms", "promotional", "grant", "till", granted, "{}"))
        conn.executemany(
            "INSERT INTO customers (id, created_at, updated_at, branch_id, field_hlc, deleted, number, first_name_en,"
            " first_name_ar, mobile, birthday, preferred_language, preferred_channel, segment, consent_whatsapp,"
            " consent_sms, consent_email, search_doc) VALUES (" + ", ".join("?" * 18) + ")",
            customers,
        )
        conn.executemany(
            "INSERT INTO consent_changes (id, created_at, branch_id, customer_id, channel, purpose, action, source,"
            " occurred_at, evidence) VALUES (" + ", ".join("?" * 10) + ")",
            consents,
        )
        conn.commit()
    conn.close()
    store = open_store(partial)
    services = build_services(store, FixedClock(SCHEDULED))
    with store.read_session() as session:
        from sqlalchemy import select

        from storage.schema import Staff

        manager = session.scalars(select(Staff).where(Staff.role == Role.MANAGER.value)).first()
        assert manager is not None
        actor = Actor(manager.id, branch, Role.MANAGER)
    definition = CampaignDefinition(
        name="Birthdays",
        kind=CampaignKind.BIRTHDAY,
        message=Message(template_key=CAMPAIGN_BIRTHDAY),
        schedule=Schedule(Repeat.DAILY),
        control_percent=10,
    )
    campaign = services.campaigns.create(actor, definition)
    services.campaigns.schedule(actor, campaign.id, confirm_large=True)
    store.close()
    partial.rename(path)


def run_app(path: Path, batch: int) -> tuple[float, int]:
    from main import build_campaign_executor
    from storage.db import open_store

    store = open_store(path)
    executor = build_campaign_executor(store, FixedClock(RUN_AT), batch=batch)
    started = time.perf_counter()
    reports = executor.run_due()
    elapsed = time.perf_counter() - started
    store.close()
    return elapsed, sum(r.queued + r.refused + r.control for r in reports)


def written(path: Path, since_seq: int) -> dict[str, tuple[str, list[tuple[object, ...]]]]:
    conn = connect(path)
    found = {}
    for table in ("communications", "campaign_executions", "change_log"):
        columns = [r[1] for r in conn.execute(f"PRAGMA table_info({table})")]
        where = f" WHERE branch_seq > {since_seq}" if table == "change_log" else ""
        order = " ORDER BY branch_seq" if table == "change_log" else " ORDER BY rowid"
        if table == "change_log":
            columns = [c for c in columns if c != "branch_seq"]
        rows = conn.execute(f"SELECT {', '.join(columns)} FROM {table}{where}{order}").fetchall()
        sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"
        found[table] = (sql, rows)
    conn.close()
    return found


def run_bare(path: Path, rows: dict[str, tuple[str, list[tuple[object, ...]]]], batch: int, log: bool) -> float:
    conn = connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=FULL")
    tables = ["communications", "campaign_executions"] + (["change_log"] if log else [])
    total = len(rows["campaign_executions"][1])
    per = {t: max(1, round(len(rows[t][1]) * batch / max(total, 1))) for t in tables}
    started = time.perf_counter()
    offset = {t: 0 for t in tables}
    while any(offset[t] < len(rows[t][1]) for t in tables):
        conn.execute("BEGIN IMMEDIATE")
        for t in tables:
            sql, values = rows[t]
            conn.executemany(sql, values[offset[t] : offset[t] + per[t]])
            offset[t] += per[t]
        conn.execute("COMMIT")
    elapsed = time.perf_counter() - started
    conn.close()
    return elapsed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--batch", type=int, default=500)
    parser.add_argument("--rebuild", action="store_true")
    args = parser.parse_args(argv)
    DATA.mkdir(exist_ok=True)
    fixture = DATA / f"campaigns-{args.customers}.sqlite"
    if args.rebuild or not fixture.exists():
        print(f"building {fixture.name} ...", flush=True)
        build(fixture, args.customers)
    conn = connect(fixture)
    (seq,) = conn.execute("SELECT coalesce(max(branch_seq), 0) FROM change_log").fetchone()
    conn.close()
    ratios, ratios_log = [], []
    for n in range(args.rounds):
        app_copy, bare_copy = DATA / "campaigns-app.sqlite", DATA / "campaigns-bare.sqlite"
        for copy in (app_copy, bare_copy):
            for old in copy.parent.glob(copy.name + "*"):
                old.unlink()
            shutil.copy(fixture, copy)
        app, recipients = run_app(app_copy, args.batch)
        rows = written(app_copy, seq)
        bare = run_bare(bare_copy, rows, args.batch, log=False)
        for old in bare_copy.parent.glob(bare_copy.name + "*"):
            old.unlink()
        shutil.copy(fixture, bare_copy)
        bare_log = run_bare(bare_copy, rows, args.batch, log=True)
        ratios.append(bare / app)
        ratios_log.append(bare_log / app)
        counts = {t: len(v[1]) for t, v in rows.items()}
        print(
            json.dumps(
                {
                    "round": n + 1,
                    "recipients": recipients,
                    "rows": counts,
                    "app_s": round(app, 2),
                    "bare_s": round(bare, 2),
                    "bare_with_log_s": round(bare_log, 3),
                    "app_recipients_per_s": round(recipients / app),
                }
            ),
            flush=True,
        )
    ratio, ratio_log = statistics.median(ratios), statistics.median(ratios_log)
    verdict = "ok" if ratio >= TARGET else "MISSED"
    print(f"app at {ratio:.0%} of bare executemany (target >= {TARGET:.0%}): {verdict}")
    print(f"app at {ratio_log:.0%} of bare executemany with the same change-log rows (for information)")
    return 0 if ratio >= TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
