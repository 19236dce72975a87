"""Running a campaign's due occurrences: every recipient at most once, whoever runs it and however often.

For each due occurrence (core.campaigns.schedule) the executor pages through the audience in id order, and per
page of ``batch`` customers writes, in ONE transaction with its change-log rows, each customer's ledger row
(CampaignExecution) and their outbox message. A ledger row's id is derived from (campaign, customer,
occurrence), and a customer whose row exists is skipped, so a restart after a crash, a retry or a second
executor continues where the first stopped and never sends twice (a unique index on the three columns is the
backstop). A page that dies mid-transaction leaves nothing: not a message without its row, nor the reverse.

Each customer is assigned an arm from a hash of the two ids (core.campaigns.model.assign): the control group
gets its ledger row with the outcome ``control`` and no message; a customer no channel may carry an offer to
(no promotional consent, no working address) gets ``refused`` and no message. The messages are promotional:
the dispatcher still holds them to the allowed hours and the frequency cap when it sends.

Birthdays and registration anniversaries are the customers whose day the occurrence's day is, by their own
clocks: a daily run at 10:00 Asia/Dubai greets the customers who live in the UAE on the Dubai date, and an
export customer abroad with a time zone on record (core.customers.model.customer_zone) is greeted at 10:00
in that zone on their date there (``run_abroad``: each zone's latest occurrence, keyed by that local date, so
one birthday is one ledger row even if the customer moves). A campaign that is not daily greets everyone on
the Dubai date. A 29 February birthday is greeted on 28 February in a common year; a customer without a
birthday is skipped; an anniversary is of a registration at least a year old, on the Dubai date it happened.

A restock alert (kind ``restock``) runs when a manager marks a product back in stock, not on its schedule: one
run per return of the product (its occurrence), over the campaign's audience's customers on that product's
wait list, with the restock template's ``{product}`` filled in; those whose alert is queued become
``notified`` on the wait list in the same transaction. It stays a promotional message, though the customer
asked for it: the wording is an offer ("we will keep one for you"), the same one a personal shopper sends as
promotional; joining a wait list at the till records no consent to be messaged; and one message kind then
has one treatment (promotional consent, allowed hours, frequency cap). A customer without promotional
consent is recorded ``refused`` and stays on the wait list, where staff see them. Nobody on a wait list is
held back as control: they asked to be told. (Preferences record no favourite products; a brand learned
from purchases is not a wish for this product, so the audience is the wait list only.)

Who runs it: in a chain head office only, on its campaign node (a branch never executes: three tills would each
greet the same customer); a standalone store from its app's background. The executor writes as ``actor``, the
store's own system identity.

A campaign with a link (core.campaigns.links) fills ``{link}`` with the recipient's own short link when
``link_base`` is given (head office's public address: head office redirects it and counts the click), with a
fresh token per recipient, written with their ledger row; without ``link_base`` (a standalone store, which has
no head office to serve short links) ``{link}`` is the campaign's link itself.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from core.campaigns.audience_query import resolve
from core.campaigns.calendar import OccasionCalendar
from core.campaigns.links import new_token, short_link
from core.campaigns.model import (
    CONTROL,
    CampaignDefinition,
    CampaignKind,
    CampaignStatus,
    OfferKind,
    assign,
)
from core.campaigns.offers import offer_code
from core.campaigns.ports import BackInStock, CampaignRecord, CampaignUnitOfWork, DayOf, Execution, WaitingFor
from core.campaigns.schedule import Occurrence, Repeat, due, latest_in_zone
from core.customers.model import HOME_ZONE
from core.kernel.clock import DUBAI
from core.kernel.errors import ValidationError, ValidationErrors
from core.kernel.ids import stable_id
from core.kernel.money import fils_to_text
from core.kernel.ports import Clock
from core.messaging.ports import NewMessage
from core.messaging.promotional import OfferRecipient, PromotionalWriter
from core.messaging.routing import Route
from core.messaging.rules import DEFAULT_RULES, RulesConfig
from core.messaging.templates import CAMPAIGN_PREFIX
from core.purchases.products import by_sku
from core.staff.auth import Actor

BATCH = 500  # customers per transaction: ~0.1 s of writing, short enough that a till never waits on it
QUEUED, REFUSED = "queued", "refused"
RUNNABLE = (CampaignStatus.SCHEDULED.value, CampaignStatus.RUNNING.value)

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RunReport:
    campaign_id: str
    occurrence: str
    queued: int = 0
    refused: int = 0
    control: int = 0
    skipped: int = 0  # already in the ledger: a rerun or another executor reached them
    finished: bool = True  # False: paused before the last page
    zone: str | None = None  # a run for the customers abroad in this zone (``run_abroad``)


def execution_id(campaign_id: str, customer_id: str, occurrence: str) -> str:
    return stable_id("campaign-execution", campaign_id, customer_id, occurrence)


DAY_KINDS = (CampaignKind.BIRTHDAY, CampaignKind.ANNIVERSARY)


def day_of(definition: CampaignDefinition, day: date, zone: str = HOME_ZONE) -> DayOf | None:
    """Whose day a run of ``definition`` on ``day`` is for: a daily run, the customers living in ``zone``; a
    run that is not daily, everyone on the Dubai date; None when the campaign is not a birthday or
    anniversary."""
    if definition.kind not in DAY_KINDS:
        return None
    daily = definition.schedule.repeat == Repeat.DAILY
    return DayOf(str(definition.kind), day, zone if daily else None)


def offer_words(definition: CampaignDefinition, language: str, code: str = "") -> str:
    """The offer as a message names it ("200 bonus points", "15% off", "AED 50.00 voucher"), with the
    recipient's code when given ("15% off with the code K7M2-Q9XR"), so a built-in template carries it too."""
    offer = definition.offer
    if offer is None:
        return ""
    if offer.kind == OfferKind.BONUS_POINTS:
        words = f"{offer.value} نقطة إضافية" if language == "ar" else f"{offer.value} bonus points"
    elif offer.kind == OfferKind.DISCOUNT_CODE:
        words = f"خصم {offer.value}٪" if language == "ar" else f"{offer.value}% off"
    else:
        amount = fils_to_text(offer.value)
        words = f"قسيمة بقيمة {amount} درهم" if language == "ar" else f"an AED {amount} voucher"
    if not code:
        return words
    return f"{words} بالرمز {code}" if language == "ar" else f"{words} with the code {code}"


class CampaignExecutor:
    """``run_due()`` runs every campaign whose occurrence is due now; ``run(campaign, occurrence)`` one.
    ``before_commit(n)`` is called with each batch's number just before it commits (tests kill there)."""

    def __init__(
        self,
        uow: Callable[[Actor | None], CampaignUnitOfWork],
        clock: Clock,
        actor: Actor,
        *,
        rules: RulesConfig = DEFAULT_RULES,
        calendar: Callable[[], OccasionCalendar] | None = None,
        batch: int = BATCH,
        before_commit: Callable[[int], None] | None = None,
        link_base: str | None = None,
    ) -> None:
        self._uow = uow
        self._clock = clock
        self._actor = actor
        self._rules = rules
        self._calendar = calendar or OccasionCalendar
        self._batch = batch
        self._before_commit = before_commit
        self._link_base = link_base

    # -- what is due ---------------------------------------------------------------------------------------------

    def _runnable(self) -> list[CampaignRecord]:
        """Each scheduled or running campaign, oldest first. A campaign whose stored definition no longer reads
        is left out (and logged): one bad row never stops the others."""
        records: list[CampaignRecord] = []
        with self._uow(None) as uow:
            for campaign_id in uow.campaigns.ids(RUNNABLE):
                try:
                    record = uow.campaigns.get(campaign_id)
                except (ValidationError, ValidationErrors) as error:
                    log.warning("campaign %s cannot be read: %s", campaign_id, error.english())
                    continue
                if record is not None:
                    records.append(record)
        return records

    def due(self, now: datetime | None = None) -> list[tuple[CampaignRecord, Occurrence]]:
        """Each scheduled or running campaign with its due occurrence, oldest campaign first."""
        moment = now or self._clock.now()
        found: list[tuple[CampaignRecord, Occurrence]] = []
        for record in self._runnable():
            if record.definition.kind == CampaignKind.RESTOCK:
                continue  # it runs when a product comes back (run_restocks), not on its schedule
            occurrence = due(
                record.definition.schedule, moment, record.last_occurrence, self._occasion_days(record, moment)
            )
            if occurrence is not None:
                found.append((record, occurrence))
        return found

    def _occasion_days(self, record: CampaignRecord, now: datetime) -> Iterable[date]:
        occasion = record.definition.occasion
        if record.definition.schedule.repeat != Repeat.YEARLY or occasion is None:
            return ()
        calendar = self._calendar()
        days: list[date] = []
        for year in (now.year - 1, now.year, now.year + 1):
            days.extend(o.date for o in calendar.occasions(year) if o.occasion == occasion)
        return days

    # -- running -------------------------------------------------------------------------------------------------

    def run_due(self) -> list[RunReport]:
        now = self._clock.now()
        reports = [self.run(record, occurrence) for record, occurrence in self.due(now)]
        return reports + self.run_abroad(now) + self.run_restocks(now)

    def run(self, record: CampaignRecord, occurrence: Occurrence) -> RunReport:
        # The status is the manager's (core.campaigns.model, "Who writes the status"): a run writes only the
        # occurrence it finished, and "completed" when that was a one-off's only run.
        d = record.definition
        report = self._sweep(record, occurrence, day_of(d, occurrence.day))
        if not report.finished:
            return report
        status = CampaignStatus.COMPLETED if d.schedule.repeat == Repeat.ONCE else None
        with self._uow(self._actor) as uow:
            current = uow.campaigns.get(record.id)
            if current is not None and current.status in RUNNABLE:
                uow.campaigns.finish_occurrence(record.id, occurrence.key, status)
                uow.commit()
        return report

    def run_abroad(self, now: datetime | None = None) -> list[RunReport]:
        """The daily birthday and anniversary campaigns for the customers abroad: in each zone they live in,
        the latest occurrence by that zone's clock. The campaign's status and last occurrence are left alone (a
        zone's run is asked for again on every round, and reaches only whom the ledger lacks: one query when
        nobody); a report only for a run that reached someone."""
        moment = now or self._clock.now()
        with self._uow(None) as uow:
            zones = uow.campaigns.zones()
        if not zones:
            return []
        reports: list[RunReport] = []
        for record in self._runnable():
            d = record.definition
            if d.kind not in DAY_KINDS or d.schedule.repeat != Repeat.DAILY:
                continue
            for zone in zones:
                occurrence = latest_in_zone(d.schedule, moment, zone)
                if occurrence is None:
                    continue
                report = self._sweep(record, occurrence, day_of(d, occurrence.day, zone), zone)
                if report.queued or report.refused or report.control or not report.finished:
                    reports.append(report)
        return reports

    def run_restocks(self, now: datetime | None = None) -> list[RunReport]:
        """The restock alerts: for each product a manager marked back in stock (core.campaigns.service
        ``back_in_stock``) that still has customers waiting to be told, a run of the oldest scheduled restock
        campaign over its audience's customers waiting for it, named by that return's occurrence. Those whose
        alert is queued leave the wait list as ``notified`` in the same transaction; whom no channel may
        reach keep waiting (a later return tries again, and staff see them on the wait list). Without a
        scheduled restock campaign nobody is told, and the returns wait for one."""
        moment = now or self._clock.now()
        with self._uow(None) as uow:
            returns = uow.campaigns.back_in_stock()
        if not returns:
            return []
        campaigns = [r for r in self._runnable() if r.definition.kind == CampaignKind.RESTOCK]
        if not campaigns:
            return []
        record = campaigns[0]  # one alert per return, however many restock campaigns there are
        reports: list[RunReport] = []
        for back in returns:
            occurrence = Occurrence(back.occurrence, moment, moment.astimezone(DUBAI).date())
            report = self._sweep(record, occurrence, WaitingFor(back.occurrence), product=back)
            if report.queued or report.refused or not report.finished:
                reports.append(report)
        return reports

    def _sweep(
        self,
        record: CampaignRecord,
        occurrence: Occurrence,
        only: DayOf | WaitingFor | None,
        zone: str | None = None,
        *,
        product: BackInStock | None = None,
    ) -> RunReport:
        """Every page of the occurrence's audience (of the day, for a birthday or anniversary run)."""
        query = resolve(record.definition.audience, self._clock.now(), rules=self._rules, campaign_id=record.id)
        counts = {QUEUED: 0, REFUSED: 0, CONTROL: 0, "skipped": 0}
        after: str | None = None
        number = 0
        while True:
            with self._uow(None) as reader:
                ids = reader.campaigns.recipients(query, only, occurrence.key, after, self._batch)
            if not ids:
                break
            number += 1
            if not self._write_batch(record, occurrence, ids, number, counts, product):
                return RunReport(record.id, occurrence.key, *_counts(counts), finished=False, zone=zone)
            if len(ids) < self._batch:
                break
            after = ids[-1]
        return RunReport(record.id, occurrence.key, *_counts(counts), zone=zone)

    def _write_batch(
        self,
        record: CampaignRecord,
        occurrence: Occurrence,
        ids: list[str],
        number: int,
        counts: dict[str, int],
        product: BackInStock | None = None,
    ) -> bool:
        """One page in one transaction; False when the campaign was paused meanwhile (nothing written)."""
        d = record.definition
        # A customer who asked to be told a product is back is never held back as control.
        control_percent = 0 if product is not None else d.control_percent
        names = _product_names(product)
        arms = {arm.name: arm for arm in d.arms}
        expires_on = occurrence.day + timedelta(days=d.offer.validity_days) if d.offer else None
        valid_until = expires_on.isoformat() if expires_on else ""
        # A wording that places {code} itself gets the offer's words without it.
        code_in_words = {
            a.name: a.message.template_key is not None or not any("{code}" in t for t in a.message.texts.values())
            for a in d.arms
        }
        with self._uow(self._actor) as uow:
            if uow.campaigns.status(record.id) not in RUNNABLE:  # paused (or completed) meanwhile
                return False
            writer = PromotionalWriter(uow, self._rules)
            done = uow.campaigns.executed(record.id, occurrence.key, ids)
            counts["skipped"] += sum(1 for i in ids if i in done)
            # Every read of the batch first, then every write: a read in between would flush the rows so far.
            planned: list[tuple[OfferRecipient, str, Route | None]] = []
            todo = [i for i in ids if i not in done]
            recipients = uow.campaigns.offer_recipients(todo)
            channel = _channel(d)
            for customer_id in todo:
                customer = recipients.get(customer_id)
                if customer is None:
                    continue
                arm = assign(record.id, customer_id, control_percent, d.arms)
                route = None if arm == CONTROL else writer.route_offer(customer, channel)
                planned.append((customer, arm, route))
            executions: list[Execution] = []
            outbox: list[NewMessage] = []
            for customer, arm, found in planned:
                message_id: str | None = None
                code: str | None = None
                token: str | None = None
                outcome = CONTROL
                eid = execution_id(record.id, customer.id, occurrence.key)
                if arm != CONTROL:
                    outcome = REFUSED
                    if found is not None:
                        message = arms[arm].message
                        code = offer_code(eid) if expires_on else None
                        words = offer_words(d, found.language, (code or "") if code_in_words[arm] else "")
                        link = d.link or ""
                        if d.link and self._link_base:
                            token = new_token()
                            link = short_link(self._link_base, token)
                        params = {"offer": words, "valid_until": valid_until, "code": code or "", "link": link}
                        if names is not None:
                            params["product"] = names[found.language == "ar"]
                        if message.template_key is not None:
                            composed = writer.compose(customer, found, message.template_key, params)
                        else:
                            key = f"{CAMPAIGN_PREFIX}{record.id}.{arm}"
                            composed = writer.compose(customer, found, key, params, message.texts)
                        outbox.append(composed)
                        message_id = composed.id
                        outcome = QUEUED
                counts[outcome] += 1
                executions.append(
                    Execution(
                        id=eid,
                        campaign_id=record.id,
                        customer_id=customer.id,
                        occurrence=occurrence.key,
                        variant=arm,
                        outcome=outcome,
                        communication_id=message_id,
                        offer_code=code,
                        offer_expires_on=expires_on if code else None,
                        link_token=token,
                    )
                )
            uow.messages.queue_many(outbox)
            uow.campaigns.record(executions)
            if product is not None:
                uow.campaigns.notified(occurrence.key, [e.customer_id for e in executions if e.outcome == QUEUED])
            if self._before_commit is not None:
                self._before_commit(number)
            uow.commit()
        return True


def _product_names(back: BackInStock | None) -> tuple[str, str] | None:
    """The product of a restock alert in English and Arabic: the catalogue's names, else the wait list's."""
    if back is None:
        return None
    product = by_sku(back.sku)
    if product is None:
        return back.product_name, back.product_name
    return product.name_en, product.name_ar


def _channel(d: CampaignDefinition) -> str | None:
    return None if d.channel == "preferred" else d.channel


def _counts(counts: dict[str, int]) -> tuple[int, int, int, int]:
    return counts[QUEUED], counts[REFUSED], counts[CONTROL], counts["skipped"]
