"""A campaign executor killed mid-run resumes where it stopped: every customer of the occurrence ends with
exactly one ledger row and at most one message (none for the control group), however often it is rerun."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections import Counter
from datetime import date
from pathlib import Path

from sqlalchemy import select

from core.campaigns.model import CONTROL, CampaignDefinition, CampaignKind, Message
from core.campaigns.schedule import Repeat, Schedule
from core.messaging.templates import CAMPAIGN_BIRTHDAY
from core.staff.auth import Role
from main import build_campaign_executor
from storage.bootstrap import build_services
from storage.schema import CampaignExecution, Communication
from tests.campaign_world import Person, add_people, empty_store, staff_actor, utc
from tests.clock import TestClock
from tests.faults.support import ROOT

CUSTOMERS = 3000
BATCH = 200
HOLD_AFTER = 6  # batches committed before the kill


def test_an_executor_killed_mid_run_resumes_and_sends_once(tmp_path: Path) -> None:
    scheduled_at = utc(2027, 4, 30, 12, 0)
    run_at = utc(2027, 5, 1, 6, 5)  # 10:05 on 1 May in Dubai
    store = empty_store(tmp_path / "store.sqlite", scheduled_at)
    people = [Person(birthday=date(1970 + n % 40, 5, 1)) for n in range(CUSTOMERS)]
    people += [Person(birthday=date(1980, 5, 2)) for _ in range(50)]  # not their day
    add_people(store, scheduled_at, people)
    services = build_services(store, TestClock(scheduled_at, tick=False))
    manager = staff_actor(store, Role.MANAGER)
    campaign = services.campaigns.create(
        manager,
        CampaignDefinition(
            name="Birthdays",
            kind=CampaignKind.BIRTHDAY,
            message=Message(template_key=CAMPAIGN_BIRTHDAY),
            schedule=Schedule(Repeat.DAILY),
            control_percent=10,
        ),
    ).id
    services.campaigns.schedule(manager, campaign)

    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tests.faults.campaign_processes",
            "--store",
            str(store.path),
            "--at",
            run_at.isoformat(),
            "--batch",
            str(BATCH),
            "--hold-after",
            str(HOLD_AFTER),
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    try:
        assert worker.stdout is not None
        line = worker.stdout.readline().strip()
        assert line == f"HOLD {HOLD_AFTER}", line
        worker.send_signal(signal.SIGKILL)
        assert worker.wait(30) == -signal.SIGKILL
    finally:
        if worker.poll() is None:
            worker.kill()
            worker.wait()

    def ledger() -> list[CampaignExecution]:
        with store.read_session() as session:
            return list(session.scalars(select(CampaignExecution)))

    def messages() -> list[Communication]:
        with store.read_session() as session:
            return list(session.scalars(select(Communication)))

    # The committed batches are whole, the one in flight left nothing.
    assert len(ledger()) == HOLD_AFTER * BATCH
    assert len(messages()) == sum(1 for e in ledger() if e.variant != CONTROL)

    clock = TestClock(run_at.replace(minute=20), tick=False)
    resumed = build_campaign_executor(store, clock, batch=BATCH).run_due()
    assert [(r.occurrence, r.skipped) for r in resumed] == [("2027-05-01", 0)]  # it reads on from where it stopped
    assert sum(r.queued + r.control + r.refused for r in resumed) == CUSTOMERS - HOLD_AFTER * BATCH
    again = build_campaign_executor(store, clock, batch=BATCH)
    assert again.run_due() == []  # the occurrence is finished: nothing is due
    record = services.campaigns.get(manager, campaign)
    from core.campaigns.schedule import latest

    occurrence = latest(record.definition.schedule, clock.now())
    assert occurrence is not None
    services.campaigns.pause(manager, campaign)
    services.campaigns.schedule(manager, campaign)
    forced = again.run(services.campaigns.get(manager, campaign), occurrence)  # a second executor, same run
    assert (forced.queued, forced.control, forced.refused) == (0, 0, 0)

    rows = ledger()
    per_customer = Counter(e.customer_id for e in rows)
    birthday_people = {p.id for p in people[:CUSTOMERS]}
    assert set(per_customer) == birthday_people
    assert set(per_customer.values()) == {1}
    sent = Counter(m.customer_id for m in messages())
    assert set(sent.values()) == {1}
    assert set(sent) == {e.customer_id for e in rows if e.variant != CONTROL}
    assert {e.communication_id for e in rows if e.variant != CONTROL} == {m.id for m in messages()}
    assert 200 <= sum(1 for e in rows if e.variant == CONTROL) <= 400
    store.close()
