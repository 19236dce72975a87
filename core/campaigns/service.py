"""Campaigns for managers: create, edit, schedule, pause and complete them; count an audience; list them and
see when each runs next. The campaign pages call this; the executor (core.campaigns.executor) runs them.

Every call checks the role (MANAGE_CAMPAIGNS) and writes in one unit of work with its change-log row, so a
campaign made at a standalone store or at head office replicates like any register.

Scheduling is where a campaign is checked against the world, and refused with a clear message with nothing
changed: an audience that selects nobody; one larger than ``large_audience`` unless the manager confirms it a
second time; a one-off moment already past. Runs that fell before the campaign was scheduled (or resumed) are
not owed: scheduling a draft marks the latest one done, so the first run is the next one; a paused campaign
that resumes finishes the run it was in. A send time outside the
allowed hours for offers is moved to the next allowed minute and the manager told (``Scheduled.notices``),
since the dispatcher would hold every message until then anyway.
"""

from __future__ import annotations

import builtins
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from typing import Protocol

from core.campaigns.audience import AudienceDefinition
from core.campaigns.audience_query import resolve
from core.campaigns.audience_service import AudienceUnitOfWork
from core.campaigns.calendar import OccasionCalendar
from core.campaigns.executor import CampaignExecutor
from core.campaigns.model import TRANSITIONS, CampaignDefinition, CampaignStatus
from core.campaigns.ports import CampaignRecord, CampaignUnitOfWork
from core.campaigns.results import CampaignResults, ResultsRepository, results
from core.campaigns.schedule import Occurrence, Repeat, latest, upcoming
from core.kernel.clock import DUBAI
from core.kernel.errors import Conflict, NotFound, ValidationError
from core.kernel.events import ProductBackInStock
from core.kernel.i18n import QT_TRANSLATE_NOOP
from core.kernel.ids import new_id
from core.kernel.ports import Clock
from core.kernel.text import clean_text
from core.messaging.rules import DEFAULT_RULES, RulesConfig, next_allowed
from core.staff.auth import Actor, Permission

LARGE_AUDIENCE = 50_000  # recipients above which scheduling asks for a second confirmation

NO_CAMPAIGN = QT_TRANSLATE_NOOP("core", "This campaign no longer exists.")
NOT_EDITABLE = QT_TRANSLATE_NOOP("core", "Pause the campaign before changing it.")
BAD_TRANSITION = QT_TRANSLATE_NOOP("core", "The campaign cannot go from its present status to that one.")
NO_AUDIENCE = QT_TRANSLATE_NOOP("core", "The audience selects no customer: widen it before scheduling.")
CONFIRM_LARGE = QT_TRANSLATE_NOOP(
    "core", "The campaign would reach {count} customers, more than {limit}: confirm to schedule it."
)
IN_THE_PAST = QT_TRANSLATE_NOOP("core", "The time to send is already past: choose a later one.")
NO_OCCASION_DATE = QT_TRANSLATE_NOOP("core", "The occasion has no date in the coming year.")
MOVED_INTO_HOURS = QT_TRANSLATE_NOOP(
    "core", "Offers are sent only during the allowed hours: the campaign will send at {time} instead."
)
NOBODY_WAITING = QT_TRANSLATE_NOOP("core", "Nobody is waiting for {sku}: there is nobody to tell.")
EDITABLE = (CampaignStatus.DRAFT, CampaignStatus.PAUSED, CampaignStatus.SCHEDULED)
SKU_MAX = 40


class CampaignServiceUnitOfWork(CampaignUnitOfWork, AudienceUnitOfWork, Protocol):
    campaign_results: ResultsRepository


@dataclass(frozen=True)
class Scheduled:
    campaign: CampaignRecord
    audience: int  # recipients if it ran now
    notices: list[ValidationError]  # what was changed, and why (translatable)


class CampaignService:
    def __init__(
        self,
        uow: Callable[[Actor | None], CampaignServiceUnitOfWork],
        clock: Clock,
        *,
        rules: RulesConfig = DEFAULT_RULES,
        calendar: Callable[[], OccasionCalendar] | None = None,
        large_audience: int = LARGE_AUDIENCE,
    ) -> None:
        self._uow = uow
        self._clock = clock
        self._rules = rules
        self._calendar = calendar or OccasionCalendar
        self.large_audience = large_audience

    # -- reading ---------------------------------------------------------------------------------------------

    def list(self, actor: Actor, statuses: tuple[str, ...] = ()) -> builtins.list[CampaignRecord]:
        actor.require(Permission.MANAGE_CAMPAIGNS)
        with self._uow(None) as uow:
            found = [uow.campaigns.get(i) for i in uow.campaigns.ids(statuses)]
        return [r for r in found if r is not None]

    def get(self, actor: Actor, campaign_id: str) -> CampaignRecord:
        actor.require(Permission.MANAGE_CAMPAIGNS)
        with self._uow(None) as uow:
            return _existing(uow, campaign_id)

    def preview_count(self, actor: Actor, audience: AudienceDefinition, campaign_id: str | None = None) -> int:
        """How many customers ``audience`` selects now (the builder's live count)."""
        actor.require(Permission.MANAGE_CAMPAIGNS)
        query = resolve(audience, self._clock.now(), rules=self._rules, campaign_id=campaign_id)
        with self._uow(None) as uow:
            return uow.audiences.count(query)

    def results(self, actor: Actor, campaign_id: str) -> CampaignResults:
        """The campaign's funnel, conversions, revenue, cost and ROI per variant and channel, and its lift
        against the control group, and the variant leading on its chosen metric (core.campaigns.results). Reads
        only."""
        actor.require(Permission.MANAGE_CAMPAIGNS)
        with self._uow(None) as uow:
            record = _existing(uow, campaign_id)
            days = record.definition.conversion_days
            facts = uow.campaign_results.facts(campaign_id, days)
        return results(campaign_id, facts, days, metric=record.definition.metric)

    def upcoming(self, actor: Actor, campaign_id: str, count: int = 5) -> builtins.list[Occurrence]:
        """When the campaign runs next (at most ``count`` runs)."""
        record = self.get(actor, campaign_id)
        now = self._clock.now()
        return upcoming(record.definition.schedule, now, count, self._occasion_days(record.definition, now))

    def due_occurrences(self, actor: Actor) -> builtins.list[tuple[CampaignRecord, Occurrence]]:
        """What an executor would run now."""
        actor.require(Permission.MANAGE_CAMPAIGNS)
        return CampaignExecutor(self._uow, self._clock, actor, rules=self._rules, calendar=self._calendar).due()

    # -- writing ---------------------------------------------------------------------------------------------

    def create(self, actor: Actor, definition: CampaignDefinition) -> CampaignRecord:
        """A new draft; ValidationErrors naming every wrong field, nothing written then."""
        actor.require(Permission.MANAGE_CAMPAIGNS)
        checked = definition.validated()
        campaign_id = new_id()
        with self._uow(actor) as uow:
            uow.campaigns.add(campaign_id, checked, CampaignStatus.DRAFT)
            uow.commit()
        return self.get(actor, campaign_id)

    def update(self, actor: Actor, campaign_id: str, definition: CampaignDefinition) -> CampaignRecord:
        """Changes a draft, paused or scheduled campaign (a scheduled one goes back to draft, to be checked
        again when scheduled); a running or completed one is refused."""
        actor.require(Permission.MANAGE_CAMPAIGNS)
        checked = definition.validated()
        with self._uow(actor) as uow:
            record = _existing(uow, campaign_id)
            if record.status not in EDITABLE:
                raise Conflict(NOT_EDITABLE, "status")
            uow.campaigns.save(campaign_id, checked)
            if record.status == CampaignStatus.SCHEDULED:
                uow.campaigns.set_status(campaign_id, CampaignStatus.DRAFT)
            uow.commit()
        return self.get(actor, campaign_id)

    def schedule(self, actor: Actor, campaign_id: str, *, confirm_large: bool = False) -> Scheduled:
        """Makes a draft or paused campaign run on its schedule. Refuses an empty audience, a large one not
        confirmed (Conflict, with the count) and a one-off moment in the past; moves a send time outside the
        allowed hours to the next allowed minute and says so in ``notices``."""
        actor.require(Permission.MANAGE_CAMPAIGNS)
        now = self._clock.now()
        with self._uow(actor) as uow:
            record = _existing(uow, campaign_id)
            _check_transition(record.status, CampaignStatus.SCHEDULED)
            d = record.definition
            notices: builtins.list[ValidationError] = []
            schedule = d.schedule
            if schedule.repeat == Repeat.ONCE and schedule.at is not None and schedule.at <= now:
                raise ValidationError(IN_THE_PAST, "schedule.at")
            days = self._occasion_days(d, now)
            nxt = upcoming(schedule, now, 1, days)
            if not nxt:
                raise ValidationError(NO_OCCASION_DATE, "occasion")
            allowed = next_allowed(nxt[0].moment, self._rules)
            if allowed != nxt[0].moment:
                moved = allowed.astimezone(DUBAI).time()
                schedule = schedule.with_time(moved)
                notices.append(ValidationError(MOVED_INTO_HOURS, "schedule.time", time=moved.strftime("%H:%M")))
                d = replace(d, schedule=schedule)
                uow.campaigns.save(campaign_id, d)
            count = uow.audiences.count(resolve(d.audience, now, rules=self._rules, campaign_id=campaign_id))
            if count == 0:
                raise ValidationError(NO_AUDIENCE, "audience")
            if count > self.large_audience and not confirm_large:
                raise Conflict(CONFIRM_LARGE, "audience", count=count, limit=self.large_audience)
            # Runs that came before it was first scheduled are not owed: the first run is the next one. A paused
            # campaign that resumes finishes the run it was in (those reached are skipped).
            before = latest(d.schedule, now, days) if record.status == CampaignStatus.DRAFT else None
            if before is not None and before.key != record.last_occurrence:
                uow.campaigns.finish_occurrence(campaign_id, before.key, CampaignStatus.SCHEDULED)
            else:
                uow.campaigns.set_status(campaign_id, CampaignStatus.SCHEDULED)
            uow.commit()
        return Scheduled(self.get(actor, campaign_id), count, notices)

    def back_in_stock(self, actor: Actor, sku: str) -> int:
        """Marks a product back in stock: every customer still on its wait list is to be told by the restock
        campaign (core.campaigns.executor), in a run of its own for this return. Audited (a security event
        with the SKU and the run) and announced (ProductBackInStock), in one transaction. Returns how many
        wait-list entries it will tell; refuses a product nobody waits for, writing nothing."""
        actor.require(Permission.MANAGE_CAMPAIGNS)
        code = (clean_text(sku, "sku", max_length=SKU_MAX, required=True) or "").upper()
        occurrence = restock_occurrence()
        with self._uow(actor) as uow:
            waiting = uow.campaigns.mark_back_in_stock(code, occurrence)
            if waiting == 0:
                raise ValidationError(NOBODY_WAITING, "sku", sku=code)
            uow.security_event("product_back_in_stock", {"sku": code, "occurrence": occurrence, "waiting": waiting})
            uow.raise_event(ProductBackInStock(code, occurrence, waiting))
            uow.commit()
        return waiting

    def pause(self, actor: Actor, campaign_id: str) -> CampaignRecord:
        """Stops a scheduled or running campaign; a running one stops before its next batch."""
        return self._move(actor, campaign_id, CampaignStatus.PAUSED)

    def complete(self, actor: Actor, campaign_id: str) -> CampaignRecord:
        """Ends a campaign for good (a recurring one runs no more)."""
        return self._move(actor, campaign_id, CampaignStatus.COMPLETED)

    def _move(self, actor: Actor, campaign_id: str, status: CampaignStatus) -> CampaignRecord:
        actor.require(Permission.MANAGE_CAMPAIGNS)
        with self._uow(actor) as uow:
            record = _existing(uow, campaign_id)
            _check_transition(record.status, status)
            uow.campaigns.set_status(campaign_id, status)
            uow.commit()
        return self.get(actor, campaign_id)

    def _occasion_days(self, d: CampaignDefinition, now: datetime) -> builtins.list[date]:
        if d.schedule.repeat != Repeat.YEARLY or d.occasion is None:
            return []
        calendar = self._calendar()
        year = now.astimezone(UTC).year
        return [o.date for y in (year, year + 1) for o in calendar.occasions(y) if o.occasion == d.occasion]


def restock_occurrence() -> str:
    """A new name for a product's return: "restock-" and twelve random hex digits (the ledger's occurrence
    column holds 20 characters)."""
    return "restock-" + new_id()[-12:]


def _existing(uow: CampaignUnitOfWork, campaign_id: str) -> CampaignRecord:
    record = uow.campaigns.get(campaign_id)
    if record is None:
        raise NotFound(NO_CAMPAIGN, "campaign")
    return record


def _check_transition(before: str, after: CampaignStatus) -> None:
    if after not in TRANSITIONS.get(CampaignStatus(before), frozenset()):
        raise Conflict(BAD_TRANSITION, "status")


__all__ = ["LARGE_AUDIENCE", "CampaignService", "Scheduled"]
