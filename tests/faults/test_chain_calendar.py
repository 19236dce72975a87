"""An occasion's announced date is a chain-wide fact: recorded at one branch it reaches the other branches and head
office's campaign node by sync; two branches that record the same occurrence while apart end with the same date
everywhere; a removal replicates; and the node's seasonal campaign runs on the announced day, not the calculated
one. Head office and its two branches on loopback, each store a real SQLite file."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from core.campaigns.calendar import Occasion, Override
from core.campaigns.calendar_service import CalendarService
from core.campaigns.model import CampaignDefinition, CampaignKind, Message
from core.campaigns.schedule import Repeat, Schedule
from core.kernel.clock import SystemClock
from core.messaging.templates import CAMPAIGN_SEASONAL
from core.staff.auth import Actor, Role
from main import build_campaign_executor
from storage.bootstrap import build_services
from storage.uow import uow_factory
from sync.headoffice.integrity import refusals
from tests.campaign_world import Person, add_people, utc
from tests.clock import TestClock
from tests.faults.support import Branch, chain, open_node

EID_1448 = date(2027, 3, 9)  # Umm al-Qura's 1 Shawwal 1448


def _manager(branch: Branch) -> Actor:
    staff = branch.services.staff.staff_of_branch(branch.store.branch_id)
    member = next(s for s in staff if s.role == Role.MANAGER)
    return Actor(member.id, member.branch_id, member.role, member.name_en)


def test_an_announced_date_reaches_every_branch_and_the_nodes_seasonal_campaign(tmp_path: Path) -> None:
    with chain(tmp_path, ("DXB1", "DXB2")) as (ho, server, (a, b)):
        node = open_node(tmp_path, ho, server.url)
        try:
            node_calendar = CalendarService(uow_factory(node.store, SystemClock()))
            everyone = (a.services.calendar, b.services.calendar, node_calendar)

            def sync_all() -> None:
                for replica in (a, b, node, a):
                    replica.sync()

            sighted = Override(Occasion.EID_AL_FITR, 1448, date(2027, 3, 10))
            a.services.calendar.set_override(_manager(a), sighted)
            sync_all()
            assert [c.overrides() for c in everyone] == [[sighted]] * 3

            # Both branches record the same occurrence while apart: one date wins, the same everywhere.
            a.services.calendar.set_override(_manager(a), Override(Occasion.EID_AL_FITR, 1448, date(2027, 3, 8)))
            later = Override(Occasion.EID_AL_FITR, 1448, date(2027, 3, 11))
            b.services.calendar.set_override(_manager(b), later)
            arafat = Override(Occasion.ARAFAT_DAY, 1448, date(2027, 5, 16))
            b.services.calendar.set_override(_manager(b), arafat)
            sync_all()
            assert [c.overrides() for c in everyone] == [[later, arafat]] * 3, "the later write wins everywhere"

            a.services.calendar.remove_override(_manager(a), arafat)
            sync_all()
            assert [c.overrides() for c in everyone] == [[later]] * 3, "a removal replicates"
            assert refusals(ho) == []

            # A seasonal campaign made at DXB1 runs at head office's node on the announced day.
            made_at = utc(2027, 3, 1, 8, 0)
            add_people(a.store, made_at, [Person() for _ in range(20)])
            services = build_services(a.store, TestClock(made_at, tick=False))
            campaign = services.campaigns.create(
                _manager(a),
                CampaignDefinition(
                    name="Eid al-Fitr",
                    kind=CampaignKind.SEASONAL,
                    occasion=Occasion.EID_AL_FITR.value,
                    message=Message(template_key=CAMPAIGN_SEASONAL),
                    schedule=Schedule(Repeat.YEARLY),
                ),
            ).id
            services.campaigns.schedule(_manager(a), campaign)
            sync_all()
            calculated_day = build_campaign_executor(node.store, TestClock(utc(2027, 3, 9, 6, 5), tick=False))
            assert calculated_day.due() == [], "not on Umm al-Qura's date: the UAE announced another"
            announced_day = build_campaign_executor(node.store, TestClock(utc(2027, 3, 11, 6, 5), tick=False))
            ((record, occurrence),) = announced_day.due()
            assert (record.id, occurrence.day) == (campaign, later.date) and later.date != EID_1448
            report = announced_day.run(record, occurrence)
            assert report.queued == 20
            sync_all()
            assert services.campaigns.get(_manager(a), campaign).last_occurrence == occurrence.key
            assert len(ho.merged_rows("campaign_executions")) == 20
        finally:
            node.close()
