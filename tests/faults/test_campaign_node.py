"""In a chain head office executes the campaigns, through its campaign node: a branch store enrolled under a
reserved id, in sync with a real head office process on loopback. A manager schedules a campaign at a branch;
the node pulls it with every branch's customers and consent, runs it, and is killed with SIGKILL in the middle
of a batch. Restarted, it reads on from where it stopped: every customer ends with exactly one ledger row, the
messages reach head office's outbox once each, and the branches learn the outcome by pull. A branch never
executes."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import func, select

from core.campaigns.model import CONTROL, CampaignDefinition, CampaignKind, Message
from core.campaigns.schedule import Repeat, Schedule
from core.kernel.replication import CAMPAIGN_NODE
from core.messaging.templates import CAMPAIGN_BIRTHDAY
from core.staff.auth import Role
from main import build_campaign_executor, executes_campaigns
from storage.bootstrap import build_services
from storage.db import open_store
from storage.schema import Campaign, CampaignExecution, Communication
from sync.headoffice.store import HeadOfficeStore
from sync.messaging.headoffice_outbox import HeadOfficeOutbox, outbox
from sync.protocol import BranchRecord
from tests.campaign_world import Person, add_people, staff_actor, utc
from tests.clock import TestClock
from tests.faults.support import ROOT, ServerProcess, chain, chain_template, open_branch, open_node

CUSTOMERS = 1500
BATCH = 150
HOLD_AFTER = 4  # batches committed before the kill
SCHEDULED_AT = utc(2027, 4, 30, 12, 0)
RUN_AT = utc(2027, 5, 1, 6, 5)  # 10:05 on 1 May in Dubai


def _main(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(ROOT / "main.py"), *args], cwd=ROOT, capture_output=True, text=True, timeout=120
    )


def _node_round(node: Path, at: str, hold_after: int = 0) -> subprocess.Popen[str]:
    command = ["-m", "tests.faults.campaign_processes", "--node", "--store", str(node), "--at", at]
    command += ["--batch", str(BATCH), "--hold-after", str(hold_after)]
    return subprocess.Popen(
        [sys.executable, *command],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )


def _executions(path: Path) -> int:
    store = open_store(path)
    try:
        with store.read_session() as session:
            return int(session.scalar(select(func.count()).select_from(CampaignExecution)) or 0)
    finally:
        store.close()


def test_head_offices_node_killed_mid_run_resumes_and_every_recipient_is_reached_once(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'ho.sqlite'}"
    server = ServerProcess(url).start()
    ho = HeadOfficeStore(url)
    branch = None
    try:
        # The node, enrolled by the commands a chain's operator runs (nothing is due yet: it only syncs).
        issued = _main("headoffice", "--db", url, "--issue-node-code")
        assert issued.returncode == 0, issued.stderr
        node = tmp_path / "node.sqlite"
        enrolled = _main(
            "--db", str(node), "campaign-node", "--once", "--headoffice", server.url, "--code", issued.stdout.strip()
        )
        assert enrolled.returncode == 0, enrolled.stderr
        node_store = open_store(node)
        assert node_store.branch_id == CAMPAIGN_NODE and executes_campaigns(node_store)
        node_store.close()

        branch = open_branch(chain_template(tmp_path), tmp_path, "DXB1", ho, server.url)
        assert not executes_campaigns(branch.store), "a branch in a chain never executes"
        refused = _main("--db", str(branch.store.path), "campaigns", "--once")
        assert refused.returncode == 2 and "head office executes" in refused.stderr
        people = [Person(birthday=date(1970 + n % 40, 5, 1)) for n in range(CUSTOMERS)]
        people += [Person(birthday=date(1980, 5, 2)) for _ in range(30)]  # not their day
        add_people(branch.store, SCHEDULED_AT, people)
        services = build_services(branch.store, TestClock(SCHEDULED_AT, tick=False))
        manager = staff_actor(branch.store, Role.MANAGER)
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
        branch.sync()

        first = _node_round(node, RUN_AT.isoformat(), HOLD_AFTER)
        try:
            assert first.stdout is not None
            line = first.stdout.readline().strip()
            assert line == f"HOLD {HOLD_AFTER}", line
            first.send_signal(signal.SIGKILL)
            assert first.wait(30) == -signal.SIGKILL
        finally:
            if first.poll() is None:
                first.kill()
                first.wait()
        assert _executions(node) == HOLD_AFTER * BATCH, (
            "the committed batches are whole, the one in flight left nothing"
        )
        assert ho.merged_rows("campaign_executions") == {}, "killed before it pushed"

        for expected in (CUSTOMERS - HOLD_AFTER * BATCH, 0):  # the restart reads on; a second round finds nothing
            again = _node_round(node, RUN_AT.replace(minute=20).isoformat())
            out, _ = again.communicate(timeout=300)
            assert again.returncode == 0 and out.strip() == f"DONE {expected}", out

        executions = ho.merged_rows("campaign_executions")
        per_customer = Counter(e["customer_id"] for e in executions.values())
        assert set(per_customer) == {p.id for p in people[:CUSTOMERS]}
        assert set(per_customer.values()) == {1}
        assert {e["branch_id"] for e in executions.values()} == {CAMPAIGN_NODE}, "the node's own rows"
        sent = {e["communication_id"] for e in executions.values() if e["variant"] != CONTROL and e["communication_id"]}
        assert 100 <= sum(1 for e in executions.values() if e["variant"] == CONTROL) <= 200
        messages = {
            k: v for k, v in ho.merged_rows("communications").items() if v.get("direction", "outbound") == "outbound"
        }
        assert set(messages) == sent
        assert Counter(v["customer_id"] for v in messages.values()).most_common(1)[0][1] == 1
        assert not [r for r in _refusals(ho)], "head office took every row the node pushed"

        queue = HeadOfficeOutbox(ho)
        assert queue.ingest(ho.now()) == len(sent)
        assert queue.ingest(ho.now()) == 0
        with ho.reader.connect() as conn:
            queued = list(conn.execute(select(outbox.c.message_id)).scalars())
        assert sorted(queued) == sorted(sent), "each message in head office's outbox exactly once"

        branch.sync()
        record = services.campaigns.get(manager, campaign)
        assert (record.status, record.last_occurrence) == ("scheduled", "2027-05-01")
        with branch.store.read_session() as session:
            assert session.scalar(select(func.count()).select_from(CampaignExecution)) == CUSTOMERS
    finally:
        if branch is not None:
            branch.close()
        server.stop()
        ho.close()


def _refusals(ho: HeadOfficeStore) -> list[dict[str, object]]:
    from sync.headoffice.integrity import refusals

    return refusals(ho)


def test_a_pause_at_a_branch_while_the_node_runs_stands_everywhere_and_nothing_runs_after(tmp_path: Path) -> None:
    """The node has not heard of the pause when it finishes its run (it syncs between rounds): the occurrence it
    records must not carry a status that, being the later write, would undo the pause on every replica."""
    with chain(tmp_path, ("DXB1",)) as (ho, server, (branch,)):
        node = open_node(tmp_path, ho, server.url)
        try:
            people = [Person(birthday=date(1980, 5, 1 + n // 12)) for n in range(15)]  # 12 on 1 May, 3 on 2 May
            add_people(branch.store, SCHEDULED_AT, people)
            services = build_services(branch.store, TestClock(SCHEDULED_AT, tick=False))
            manager = staff_actor(branch.store, Role.MANAGER)
            campaign = services.campaigns.create(
                manager,
                CampaignDefinition(
                    name="Birthdays",
                    kind=CampaignKind.BIRTHDAY,
                    message=Message(template_key=CAMPAIGN_BIRTHDAY),
                    schedule=Schedule(Repeat.DAILY),
                ),
            ).id
            services.campaigns.schedule(manager, campaign)
            branch.sync()
            node.sync()

            def pause_at_the_branch(number: int) -> None:
                if number == 2:  # the node is between batches and does not hear of it before it finishes
                    services.campaigns.pause(manager, campaign)
                    branch.sync()

            run = build_campaign_executor(
                node.store, TestClock(RUN_AT, tick=False), batch=5, before_commit=pause_at_the_branch
            )
            (report,) = run.run_due()
            assert report.finished and report.queued == 12
            for replica in (node, branch, node, branch):
                replica.sync()

            at_branch = services.campaigns.get(manager, campaign)
            assert (at_branch.status, at_branch.last_occurrence) == ("paused", "2027-05-01")
            at_ho = ho.merged_rows("campaigns")[campaign]
            assert (at_ho["status"], at_ho["last_occurrence"]) == ("paused", "2027-05-01")
            with node.store.read_session() as session:
                assert session.scalar(select(Campaign.status).where(Campaign.id == campaign)) == "paused"

            next_day = build_campaign_executor(node.store, TestClock(RUN_AT + timedelta(days=1), tick=False))
            assert next_day.run_due() == [], "paused: the next day's birthdays are not sent"
            node.sync()
            assert len(ho.merged_rows("campaign_executions")) == 12
            assert _refusals(ho) == []
        finally:
            node.close()


def test_the_nodes_messages_name_the_customers_branch_not_head_office(tmp_path: Path) -> None:
    """Head office's node is enrolled with a branch row of its own ("HO"), which sync needs; it is no shop, so a
    campaign's {branch} names the customer's home branch."""
    with chain(tmp_path, ("DXB1",)) as (ho, server, (branch,)):
        node = open_node(tmp_path, ho, server.url)
        try:
            add_people(
                branch.store, SCHEDULED_AT, [Person(birthday=date(1980, 5, 1), language=lang) for lang in ("en", "ar")]
            )
            services = build_services(branch.store, TestClock(SCHEDULED_AT, tick=False))
            manager = staff_actor(branch.store, Role.MANAGER)
            wording = {
                "en": "Happy birthday {first_name}, from {branch}",
                "ar": "عيد ميلاد سعيد {first_name} من {branch}",
            }
            campaign = services.campaigns.create(
                manager,
                CampaignDefinition(
                    name="Birthdays",
                    kind=CampaignKind.BIRTHDAY,
                    message=Message(texts=wording),
                    schedule=Schedule(Repeat.DAILY),
                ),
            ).id
            services.campaigns.schedule(manager, campaign)
            # The operator describes the branch to head office (PUT /v1/admin/branches/{id}): the node learns it.
            ho.put_branch(BranchRecord(id=branch.store.branch_id, code="DXB1", name_en="Dubai Mall", name_ar="دبي مول"))
            branch.sync()
            node.sync()
            (report,) = build_campaign_executor(node.store, TestClock(RUN_AT, tick=False)).run_due()
            assert report.queued == 2
            with node.store.read_session() as session:
                bodies = sorted(session.scalars(select(Communication.body)))
            assert bodies == ["Happy birthday Guest0, from Dubai Mall", "عيد ميلاد سعيد ضيف1 من دبي مول"]
        finally:
            node.close()
