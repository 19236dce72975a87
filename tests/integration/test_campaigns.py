"""Campaigns on a real store: the service's checks, and the executor's runs (who is greeted on which day, the
control group, opt-outs, reruns)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, time
from itertools import permutations
from pathlib import Path

import pytest
from sqlalchemy import func, select

from core.campaigns.audience import AudienceDefinition, Exclusions, LastPurchase
from core.campaigns.executor import CampaignExecutor
from core.campaigns.model import CONTROL, CampaignDefinition, CampaignKind, Message, Offer, Variant
from core.campaigns.schedule import Repeat, Schedule
from core.campaigns.service import CampaignService
from core.kernel.errors import Conflict, PermissionDenied, ValidationError, ValidationErrors
from core.kernel.hlc import Timestamp
from core.kernel.replication import merge_register, stamp
from core.messaging.templates import CAMPAIGN_BIRTHDAY, CAMPAIGN_WIN_BACK
from core.staff.auth import Actor, Role
from storage.bootstrap import Services, build_services
from storage.db import Store
from storage.schema import CampaignExecution, ChangeLog, Communication, MessageTemplate
from tests.campaign_world import Person, add_people, empty_store, staff_actor, system_actor, utc
from tests.clock import TestClock

START = utc(2027, 2, 1, 5, 0)  # 09:00 in Dubai
WITH_OFFER_AR = "مرحباً {first_name}، {offer} حتى {valid_until}"


@pytest.fixture
def world(tmp_path: Path) -> Iterator[tuple[Store, TestClock]]:
    clock = TestClock(START, tick=False)
    store = empty_store(tmp_path / "campaigns.sqlite", START)
    yield store, clock
    store.close()


def _services(store: Store, clock: TestClock) -> tuple[Services, Actor]:
    services = build_services(store, clock)
    return services, staff_actor(store, Role.MANAGER)


def _birthday_campaign(**more: object) -> CampaignDefinition:
    values: dict[str, object] = {
        "name": "Birthdays",
        "kind": CampaignKind.BIRTHDAY,
        "message": Message(template_key=CAMPAIGN_BIRTHDAY),
        "schedule": Schedule(Repeat.DAILY, time_of_day=time(10, 0)),
    }
    values.update(more)
    return CampaignDefinition(**values)  # type: ignore[arg-type]


def _scheduled(services: Services, manager: Actor, definition: CampaignDefinition) -> str:
    record = services.campaigns.create(manager, definition)
    services.campaigns.schedule(manager, record.id)
    return record.id


def _run_due(store: Store, services: Services, clock: TestClock) -> None:
    from storage.uow import uow_factory

    CampaignExecutor(uow_factory(store, clock), clock, system_actor(store)).run_due()


def _ledger(store: Store, campaign_id: str) -> list[CampaignExecution]:
    with store.read_session() as session:
        rows = session.scalars(select(CampaignExecution).where(CampaignExecution.campaign_id == campaign_id))
        return list(rows)


def _messages(store: Store) -> list[Communication]:
    with store.read_session() as session:
        return list(session.scalars(select(Communication)))


# -- birthdays ----------------------------------------------------------------------------------------------------


def test_a_29_february_birthday_is_greeted_on_28_february_in_a_common_year_only(
    world: tuple[Store, TestClock],
) -> None:
    store, clock = world
    on_28 = Person(birthday=date(1990, 2, 28))
    on_29 = Person(birthday=date(1992, 2, 29))
    on_1_march = Person(birthday=date(1985, 3, 1))
    nobody = Person(birthday=None)
    add_people(store, START, [on_28, on_29, on_1_march, nobody])
    services, manager = _services(store, clock)
    campaign = _scheduled(services, manager, _birthday_campaign())

    clock.at = utc(2027, 2, 28, 6, 0)  # 10:00 on 28 February 2027 in Dubai: a common year
    _run_due(store, services, clock)
    assert {e.customer_id for e in _ledger(store, campaign)} == {on_28.id, on_29.id}
    assert {e.occurrence for e in _ledger(store, campaign)} == {"2027-02-28"}

    clock.at = utc(2028, 2, 28, 6, 0)  # a leap year: 29 February comes
    _run_due(store, services, clock)
    in_2028 = {e.customer_id for e in _ledger(store, campaign) if e.occurrence == "2028-02-28"}
    assert in_2028 == {on_28.id}
    clock.at = utc(2028, 2, 29, 6, 0)
    _run_due(store, services, clock)
    on_leap_day = {e.customer_id for e in _ledger(store, campaign) if e.occurrence == "2028-02-29"}
    assert on_leap_day == {on_29.id}
    assert nobody.id not in {e.customer_id for e in _ledger(store, campaign)}


def test_new_years_eve_is_the_dubai_date(world: tuple[Store, TestClock]) -> None:
    store, clock = world
    eve = Person(birthday=date(1980, 12, 31))
    new_year = Person(birthday=date(1981, 1, 1))
    add_people(store, START, [eve, new_year])
    services, manager = _services(store, clock)
    clock.at = utc(2026, 12, 30, 12, 0)
    campaign = _scheduled(services, manager, _birthday_campaign())

    clock.at = utc(2026, 12, 31, 19, 59)  # 23:59 on 31 December in Dubai
    _run_due(store, services, clock)
    assert {(e.customer_id, e.occurrence) for e in _ledger(store, campaign)} == {(eve.id, "2026-12-31")}
    clock.at = utc(2026, 12, 31, 20, 1)  # 00:01 on 1 January in Dubai: today's run is at 10:00
    _run_due(store, services, clock)
    assert len(_ledger(store, campaign)) == 1
    clock.at = utc(2027, 1, 1, 6, 0)  # 10:00 on 1 January in Dubai (still 31 December's night in some zones)
    _run_due(store, services, clock)
    assert {(e.customer_id, e.occurrence) for e in _ledger(store, campaign)} == {
        (eve.id, "2026-12-31"),
        (new_year.id, "2027-01-01"),
    }


def _greeted(store: Store, campaign_id: str) -> set[tuple[str, str | None]]:
    return {(e.customer_id, e.occurrence) for e in _ledger(store, campaign_id)}


def test_an_export_customer_abroad_is_greeted_at_10_in_their_zone_on_their_date(
    world: tuple[Store, TestClock],
) -> None:
    store, clock = world
    dubai = Person(birthday=date(1990, 5, 1))
    home_with_a_zone = Person(birthday=date(1990, 5, 1), time_zone="Europe/London")  # not export: the UAE
    london = Person(birthday=date(1990, 5, 1), segment="export", time_zone="Europe/London")
    tokyo = Person(birthday=date(1990, 5, 1), segment="export", time_zone="Asia/Tokyo")
    la = Person(birthday=date(1990, 5, 1), segment="export", time_zone="America/Los_Angeles")
    la_30_april = Person(birthday=date(1990, 4, 30), segment="export", time_zone="America/Los_Angeles")
    abroad_unknown = Person(birthday=None, segment="export", time_zone="Europe/London")
    add_people(store, START, [dubai, home_with_a_zone, london, tokyo, la, la_30_april, abroad_unknown])
    services, manager = _services(store, clock)
    campaign = _scheduled(services, manager, _birthday_campaign())

    clock.at = utc(2027, 5, 1, 0, 30)  # 04:30 on 1 May in Dubai, 09:30 in Tokyo, 17:30 on 30 April in LA
    _run_due(store, services, clock)
    assert _greeted(store, campaign) == {(la_30_april.id, "2027-04-30")}
    clock.at = utc(2027, 5, 1, 1, 0)  # 10:00 in Tokyo
    _run_due(store, services, clock)
    assert _greeted(store, campaign) == {(la_30_april.id, "2027-04-30"), (tokyo.id, "2027-05-01")}
    clock.at = utc(2027, 5, 1, 6, 0)  # 10:00 in Dubai, 07:00 in London (BST)
    _run_due(store, services, clock)
    assert {c for c, _ in _greeted(store, campaign)} == {la_30_april.id, tokyo.id, dubai.id, home_with_a_zone.id}
    clock.at = utc(2027, 5, 1, 8, 59)
    _run_due(store, services, clock)
    assert london.id not in {c for c, _ in _greeted(store, campaign)}
    clock.at = utc(2027, 5, 1, 9, 0)  # 10:00 in London
    _run_due(store, services, clock)
    assert (london.id, "2027-05-01") in _greeted(store, campaign)
    clock.at = utc(2027, 5, 1, 16, 59)
    _run_due(store, services, clock)
    assert la.id not in {c for c, _ in _greeted(store, campaign)}
    clock.at = utc(2027, 5, 1, 17, 0)  # 10:00 on 1 May in Los Angeles (PDT)
    _run_due(store, services, clock)
    _run_due(store, services, clock)  # a second round reaches nobody again
    greeted = _greeted(store, campaign)
    assert (la.id, "2027-05-01") in greeted and len(greeted) == 6
    assert abroad_unknown.id not in {c for c, _ in greeted}
    assert len(_messages(store)) == len(_ledger(store, campaign))  # no control share: one message each


def test_a_zone_round_reaches_nobody_twice_and_writes_nothing_when_nobody_is_due(
    world: tuple[Store, TestClock],
) -> None:
    store, clock = world
    london = Person(birthday=date(1990, 5, 1), segment="export", time_zone="Europe/London")
    add_people(store, START, [london])
    services, manager = _services(store, clock)
    campaign = _scheduled(services, manager, _birthday_campaign())
    clock.at = utc(2027, 5, 1, 9, 30)
    _run_due(store, services, clock)
    with store.read_session() as session:
        logged = session.scalar(select(func.count()).select_from(ChangeLog))
    from storage.uow import uow_factory

    executor = CampaignExecutor(uow_factory(store, clock), clock, system_actor(store))
    assert executor.run_abroad() == []
    with store.read_session() as session:
        assert session.scalar(select(func.count()).select_from(ChangeLog)) == logged
    assert _greeted(store, campaign) == {(london.id, "2027-05-01")}


def test_registration_anniversary_is_not_in_the_first_year(world: tuple[Store, TestClock]) -> None:
    store, clock = world
    two_years = Person(registered=utc(2025, 2, 9, 21, 0))  # 01:00 on 10 February in Dubai
    this_year = Person(registered=utc(2027, 1, 10, 6, 0))
    other_day = Person(registered=utc(2025, 2, 9, 12, 0))  # 9 February in Dubai
    add_people(store, START, [two_years, this_year, other_day])
    services, manager = _services(store, clock)
    definition = _birthday_campaign(name="Anniversaries", kind=CampaignKind.ANNIVERSARY)
    campaign = _scheduled(services, manager, definition)
    clock.at = utc(2027, 2, 10, 6, 30)
    _run_due(store, services, clock)
    assert {e.customer_id for e in _ledger(store, campaign)} == {two_years.id}


# -- win-back, weekly -----------------------------------------------------------------------------------------------


def test_weekly_monday_win_back_reaches_who_has_not_bought_for_60_days(world: tuple[Store, TestClock]) -> None:
    store, clock = world
    monday = utc(2027, 3, 15, 6, 30)  # Monday 15 March 2027, 10:30 in Dubai
    lapsed = Person(last_sale_days=90)
    recent = Person(last_sale_days=10)
    never = Person()
    add_people(store, monday, [lapsed, recent, never])
    services, manager = _services(store, clock)
    clock.at = utc(2027, 3, 12, 6, 0)  # a Friday
    definition = CampaignDefinition(
        name="We miss you",
        kind=CampaignKind.WIN_BACK,
        audience=AudienceDefinition(last_purchase=LastPurchase(from_days=60)),
        message=Message(template_key=CAMPAIGN_WIN_BACK),
        schedule=Schedule(Repeat.WEEKLY, time_of_day=time(10, 0), weekday=0),
    )
    campaign = _scheduled(services, manager, definition)
    clock.at = utc(2027, 3, 14, 6, 30)  # Sunday: last Monday's run came before the campaign was scheduled
    _run_due(store, services, clock)
    assert _ledger(store, campaign) == []
    clock.at = monday
    _run_due(store, services, clock)
    assert {(e.customer_id, e.occurrence) for e in _ledger(store, campaign)} == {(lapsed.id, "2027-W11")}
    clock.at = utc(2027, 3, 22, 6, 30)  # the next Monday: they have still not bought
    _run_due(store, services, clock)
    assert {e.occurrence for e in _ledger(store, campaign)} == {"2027-W11", "2027-W12"}


# -- variants, control, reruns, opt-outs -----------------------------------------------------------------------------


def test_control_gets_no_message_and_a_rerun_sends_nothing_new(world: tuple[Store, TestClock]) -> None:
    store, clock = world
    people = [Person(birthday=date(1990, 2, 1)) for _ in range(400)]
    add_people(store, START, people)
    services, manager = _services(store, clock)
    clock.at = utc(2027, 1, 31, 12, 0)
    definition = _birthday_campaign(
        variants=(
            Variant("A", 1, Message(texts={"en": "Happy birthday {first_name}!", "ar": "عيد سعيد يا {first_name}!"})),
            Variant("B", 1, Message(texts={"en": "{name}, a gift: {offer}", "ar": "{name}، هدية: {offer}"})),
        ),
        offer=Offer("bonus_points", 200, 30, 1000),
        control_percent=20,
    )
    campaign = _scheduled(services, manager, definition)
    clock.at = utc(2027, 2, 1, 6, 0)
    _run_due(store, services, clock)
    ledger = _ledger(store, campaign)
    assert len(ledger) == 400
    control = [e for e in ledger if e.variant == CONTROL]
    assert all(e.outcome == "control" and e.communication_id is None for e in control)
    assert 40 <= len(control) <= 120  # 20 % of 400, give or take the hash
    sent = [e for e in ledger if e.variant != CONTROL]
    assert all(e.outcome == "queued" and e.communication_id for e in sent)
    messages = _messages(store)
    assert len(messages) == len(sent)
    assert {m.customer_id for m in messages}.isdisjoint({e.customer_id for e in control})
    by_id = {m.id: m for m in messages}
    b = next(e for e in sent if e.variant == "B")
    assert "200 bonus points" in by_id[b.communication_id or ""].body
    with store.read_session() as session:
        templates = list(session.scalars(select(MessageTemplate).where(MessageTemplate.key.like("campaign.%"))))
        logged = session.scalar(
            select(func.count()).select_from(ChangeLog).where(ChangeLog.entity == "campaign_executions")
        )
    assert templates and all(t.promotional for t in templates)
    assert logged == 400  # every ledger row has its change-log row

    # Run the same occurrence again, as a restarted or second executor would: nothing new.
    from storage.uow import uow_factory

    executor = CampaignExecutor(uow_factory(store, clock), clock, system_actor(store))
    record = services.campaigns.get(manager, campaign)
    from core.campaigns.schedule import latest

    occurrence = latest(record.definition.schedule, clock.now())
    assert occurrence is not None and occurrence.key == "2027-02-01"
    services.campaigns.pause(manager, campaign)
    services.campaigns.schedule(manager, campaign)
    again = executor.run(services.campaigns.get(manager, campaign), occurrence)
    assert (again.queued, again.control, again.refused) == (0, 0, 0)
    assert len(_messages(store)) == len(messages)
    assert len(_ledger(store, campaign)) == 400


def test_a_second_executor_that_read_the_same_page_skips_who_the_first_reached(
    world: tuple[Store, TestClock], monkeypatch: pytest.MonkeyPatch
) -> None:
    store, clock = world
    add_people(store, START, [Person(birthday=date(1990, 2, 1)) for _ in range(30)])
    services, manager = _services(store, clock)
    clock.at = utc(2027, 1, 31, 12, 0)
    campaign = _scheduled(services, manager, _birthday_campaign())
    clock.at = utc(2027, 2, 1, 6, 0)
    from storage.uow import uow_factory

    first = CampaignExecutor(uow_factory(store, clock), clock, system_actor(store))
    second = CampaignExecutor(uow_factory(store, clock), clock, system_actor(store))
    (_record, occurrence), *_ = second.due()
    first.run_due()
    # The second read its page before the first committed: the page still lists everyone.
    from storage.repositories.campaigns import SqlCampaignRepository

    unfiltered = SqlCampaignRepository.recipients
    monkeypatch.setattr(
        SqlCampaignRepository,
        "recipients",
        lambda self, query, day_of, _occurrence, after, limit: unfiltered(self, query, day_of, "-", after, limit),
    )
    services.campaigns.pause(manager, campaign)
    services.campaigns.schedule(manager, campaign)
    late = second.run(services.campaigns.get(manager, campaign), occurrence)
    assert (late.queued, late.control, late.skipped) == (0, 0, 30)
    assert len(_messages(store)) == 30
    assert len(_ledger(store, campaign)) == 30


def test_the_database_refuses_a_second_row_for_one_recipient_and_occurrence(world: tuple[Store, TestClock]) -> None:
    store, clock = world
    person = Person(birthday=date(1990, 2, 1))
    add_people(store, START, [person])
    services, manager = _services(store, clock)
    campaign = services.campaigns.create(manager, _birthday_campaign()).id
    from sqlalchemy.exc import IntegrityError

    from storage.uow import SqlUnitOfWork

    for row_id, fails in (("a" * 36, False), ("b" * 36, True)):
        with SqlUnitOfWork(store, clock, system_actor(store)) as uow:
            uow.session.add(
                CampaignExecution(
                    id=row_id, campaign_id=campaign, customer_id=person.id, occurrence="2027-02-01", variant="A"
                )
            )
            if fails:
                with pytest.raises(IntegrityError):
                    uow.commit()
            else:
                uow.commit()


def test_a_customer_who_opted_out_gets_no_message(world: tuple[Store, TestClock]) -> None:
    store, clock = world
    keen = Person(birthday=date(1990, 2, 1))
    withdrew = Person(birthday=date(1990, 2, 1), withdrawn=True)
    never_agreed = Person(birthday=date(1990, 2, 1), promotional=False)
    add_people(store, START, [keen, withdrew, never_agreed])
    services, manager = _services(store, clock)
    clock.at = utc(2027, 1, 31, 12, 0)
    excluded = _scheduled(services, manager, _birthday_campaign(name="Excluded"))
    kept = _scheduled(
        services,
        manager,
        _birthday_campaign(name="Kept", audience=AudienceDefinition(exclude=Exclusions(opted_out=False))),
    )
    clock.at = utc(2027, 2, 1, 6, 0)
    _run_due(store, services, clock)
    assert {e.customer_id for e in _ledger(store, excluded)} == {keen.id}  # left out by the audience
    outcomes = {e.customer_id: e.outcome for e in _ledger(store, kept)}
    assert outcomes == {keen.id: "queued", withdrew.id: "refused", never_agreed.id: "refused"}  # by the rules
    assert {m.customer_id for m in _messages(store)} == {keen.id}


def test_a_campaign_paused_mid_run_stops_and_finishes_the_run_when_resumed(world: tuple[Store, TestClock]) -> None:
    store, clock = world
    people = [Person(birthday=date(1990, 2, 1)) for _ in range(50)]
    add_people(store, START, people)
    services, manager = _services(store, clock)
    clock.at = utc(2027, 1, 31, 12, 0)
    campaign = _scheduled(services, manager, _birthday_campaign())
    clock.at = utc(2027, 2, 1, 6, 0)
    from storage.uow import uow_factory

    writes = [0]
    make = uow_factory(store, clock)

    def pausing_between_batches(actor: Actor | None) -> object:
        if actor is not None:
            writes[0] += 1
            if writes[0] == 2:  # after the first batch: a manager pauses from another window
                services.campaigns.pause(manager, campaign)
        return make(actor)

    executor = CampaignExecutor(pausing_between_batches, clock, system_actor(store), batch=20)  # type: ignore[arg-type]
    (report,) = executor.run_due()
    assert not report.finished and len(_ledger(store, campaign)) == 20
    assert services.campaigns.get(manager, campaign).status == "paused"
    assert executor.run_due() == []  # paused: nothing runs
    clock.at = utc(2027, 2, 1, 9, 0)
    services.campaigns.schedule(manager, campaign)
    (resumed,) = executor.run_due()
    assert resumed.finished and resumed.occurrence == "2027-02-01"
    assert {e.customer_id for e in _ledger(store, campaign)} == {p.id for p in people}
    assert len(_ledger(store, campaign)) == 50


def test_a_runs_writes_merged_over_an_earlier_pause_elsewhere_leave_it_paused(world: tuple[Store, TestClock]) -> None:
    """The executor's changes to the campaign row, as they replicate, merged (per field, last writer wins) into a
    replica where a manager paused the campaign before them: the pause stands, whatever order they arrive in."""
    store, clock = world
    add_people(store, START, [Person(birthday=date(1990, 2, 1)) for _ in range(3)])
    services, manager = _services(store, clock)
    clock.at = utc(2027, 1, 31, 12, 0)
    daily = _scheduled(services, manager, _birthday_campaign())
    clock.at = utc(2027, 2, 1, 6, 0)
    with store.read_session() as session:
        before = session.scalar(select(func.max(ChangeLog.branch_seq)))
    _run_due(store, services, clock)
    assert len(_ledger(store, daily)) == 3
    with store.read_session() as session:
        run_changes = [
            (dict(c.payload), stamp(c.hlc, c.branch_id))
            for c in session.scalars(select(ChangeLog).where(ChangeLog.branch_seq > before, ChangeLog.row_id == daily))
        ]
    assert run_changes, "the run records the occurrence it finished"
    assert all("status" not in change for change, _ in run_changes), "a run never writes the status"
    paused_earlier = stamp(Timestamp(1, 0, "till-dxb").encode(), "DXB1")  # older than every stamp of the run
    for order in permutations(run_changes):
        values = {"id": daily, "status": "paused", "last_occurrence": None}
        stamps = dict.fromkeys(("status", "last_occurrence"), paused_earlier)
        for change, change_stamp in order:
            merge = merge_register(values, stamps, change, change_stamp)
            values.update(merge.fields)
            stamps.update(merge.stamps)
        assert (values["status"], values["last_occurrence"]) == ("paused", "2027-02-01")


def test_a_one_off_is_completed_by_its_run(world: tuple[Store, TestClock]) -> None:
    store, clock = world
    add_people(store, START, [Person(birthday=date(1990, 2, 1))])
    services, manager = _services(store, clock)
    once = _scheduled(
        services,
        manager,
        _birthday_campaign(kind=CampaignKind.BROADCAST, schedule=Schedule(Repeat.ONCE, at=utc(2027, 2, 1, 6, 0))),
    )
    clock.at = utc(2027, 2, 1, 6, 5)
    _run_due(store, services, clock)
    record = services.campaigns.get(manager, once)
    assert (record.status, len(_ledger(store, once))) == ("completed", 1)


def test_a_paused_campaign_does_not_run(world: tuple[Store, TestClock]) -> None:
    store, clock = world
    add_people(store, START, [Person(birthday=date(1990, 2, 1))])
    services, manager = _services(store, clock)
    clock.at = utc(2027, 1, 31, 12, 0)
    campaign = _scheduled(services, manager, _birthday_campaign())
    services.campaigns.pause(manager, campaign)
    clock.at = utc(2027, 2, 1, 6, 0)
    _run_due(store, services, clock)
    assert _ledger(store, campaign) == []


# -- the service's checks ---------------------------------------------------------------------------------------------


def test_scheduling_refuses_an_empty_audience_a_past_moment_and_an_unconfirmed_large_one(
    world: tuple[Store, TestClock],
) -> None:
    store, clock = world
    add_people(store, START, [Person(birthday=date(1990, 5, 5)) for _ in range(3)])
    services, manager = _services(store, clock)
    nobody = services.campaigns.create(manager, _birthday_campaign(audience=AudienceDefinition(segments=("vip",))))
    with pytest.raises(ValidationError) as empty:
        services.campaigns.schedule(manager, nobody.id)
    assert empty.value.field == "audience"
    assert services.campaigns.get(manager, nobody.id).status == "draft"  # nothing half-scheduled

    past = services.campaigns.create(
        manager, _birthday_campaign(name="Once", schedule=Schedule(Repeat.ONCE, at=utc(2027, 1, 1, 8, 0)))
    )
    with pytest.raises(ValidationError) as late:
        services.campaigns.schedule(manager, past.id)
    assert late.value.field == "schedule.at"

    large = CampaignService(services.campaigns._uow, clock, large_audience=2)
    big = large.create(manager, _birthday_campaign(name="Big"))
    with pytest.raises(Conflict) as confirm:
        large.schedule(manager, big.id)
    assert confirm.value.params == {"count": 3, "limit": 2}
    assert large.schedule(manager, big.id, confirm_large=True).campaign.status == "scheduled"


def test_a_send_time_in_quiet_hours_is_moved_and_the_manager_told(world: tuple[Store, TestClock]) -> None:
    store, clock = world
    add_people(store, START, [Person(birthday=date(1990, 5, 5))])
    services, manager = _services(store, clock)
    record = services.campaigns.create(
        manager, _birthday_campaign(schedule=Schedule(Repeat.DAILY, time_of_day=time(6, 30)))
    )
    done = services.campaigns.schedule(manager, record.id)
    assert [n.params for n in done.notices] == [{"time": "08:00"}]
    assert done.campaign.definition.schedule.time_of_day == time(8, 0)


def test_bad_campaigns_are_refused_with_every_field_named(world: tuple[Store, TestClock]) -> None:
    store, clock = world
    services, manager = _services(store, clock)
    bad = CampaignDefinition(
        name=" ",
        kind="spam",
        message=Message(texts={"en": "Hi {loyalty_secret}"}),
        offer=Offer("voucher", 5000, 30, None),
        control_percent=80,
    )
    with pytest.raises(ValidationErrors) as refused:
        services.campaigns.create(manager, bad)
    fields = {e.field for e in refused.value.errors}
    assert {"name", "kind", "message", "offer.cap", "control_percent"} <= fields
    assert any(e.params.get("variable") == "loyalty_secret" for e in refused.value.errors)
    assert "Write the message in Arabic too." in {e.message for e in refused.value.errors}
    cashier = staff_actor(store, Role.CASHIER)
    with pytest.raises(PermissionDenied):
        services.campaigns.create(cashier, _birthday_campaign())
    with store.read_session() as session:
        assert session.scalar(select(func.count()).select_from(CampaignExecution)) == 0


def test_a_campaign_round_trips_through_its_register_row(world: tuple[Store, TestClock]) -> None:
    store, clock = world
    services, manager = _services(store, clock)
    definition = _birthday_campaign(
        variants=(
            Variant("A", 3, Message(template_key=CAMPAIGN_BIRTHDAY)),
            Variant(
                "B",
                1,
                Message(
                    texts={
                        "en": "Hello {first_name}, {offer} until {valid_until}",
                        "ar": "مرحباً {first_name}، {offer} حتى {valid_until}",
                    }
                ),
            ),
        ),
        offer=Offer("discount_code", 15, 14, 500),
        control_percent=10,
        channel="sms",
    )
    made = services.campaigns.create(manager, definition)
    assert made.definition == definition.validated()
    assert made.status == "draft"
    assert [c.id for c in services.campaigns.list(manager)] == [made.id]
    assert services.campaigns.preview_count(manager, AudienceDefinition()) == 0
