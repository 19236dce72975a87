"""The campaigns register and its executions ledger (core.campaigns): a campaign's row with its definition,
variants and schedule as JSON; a run's recipients page by page; who an occurrence has reached."""

from __future__ import annotations

import functools
import itertools
import json
from collections.abc import Sequence
from datetime import date, timedelta

from sqlalchemy import ColumnElement, Select, and_, bindparam, exists, func, literal, not_, select
from sqlalchemy.orm import Session, aliased

from core.campaigns.audience_query import AudienceQuery
from core.campaigns.model import CampaignDefinition
from core.campaigns.offers import CodeHolder, Redemption
from core.campaigns.ports import BackInStock, CampaignRecord, DayOf, Execution, WaitingFor
from core.campaigns.results import OtherTouch, Purchase, RedemptionFact, ResultFacts, Touch
from core.customers.model import HOME_ZONE, Channel, Language, Segment
from core.loyalty.rules import ProgramRules
from core.messaging.consent import MESSAGE_CHANNELS, address_key
from core.messaging.promotional import OfferRecipient
from storage import direct
from storage.ledger import append
from storage.repositories.audience import C, conditions
from storage.repositories.loyalty import SqlLoyaltyRepository
from storage.schema import (
    Campaign,
    CampaignExecution,
    Communication,
    CommunicationEvent,
    Customer,
    OfferRedemption,
    Order,
    RestockInterest,
)


def _latest_promotional(channel: str) -> str:
    """Whether the channel's latest change of promotional consent (a change of both purposes included) is a
    grant, in the order consent.fold applies them (the stored times are fixed-width text: they sort as times);
    NULL when it has none (the profile's checkboxes never grant an offer)."""
    return (
        "(SELECT k.action = 'grant' FROM consent_changes k WHERE k.customer_id = c.id"
        f" AND k.channel = '{channel}' AND k.action != 'invalid'"
        " AND (k.purpose IS NULL OR k.purpose = 'promotional')"
        " ORDER BY k.occurred_at DESC, k.created_at DESC, k.id DESC LIMIT 1)"
    )


_OFFER_RECIPIENTS_SQL = (
    "SELECT c.id, c.number, c.branch_id, c.first_name_en, c.last_name_en, c.first_name_ar, c.last_name_ar,"
    " c.mobile, c.email, c.preferred_language, c.preferred_channel, "
    + ", ".join(_latest_promotional(channel) for channel in MESSAGE_CHANNELS)
    + ", EXISTS (SELECT 1 FROM consent_changes k WHERE k.customer_id = c.id AND k.action = 'invalid')"
    " FROM customers c WHERE c.id IN (SELECT value FROM json_each(:ids)) AND c.deleted = 0"
)
_INVALID_ADDRESSES_SQL = (
    "SELECT customer_id, channel, address FROM consent_changes"
    " WHERE customer_id IN (SELECT value FROM json_each(:ids)) AND action = 'invalid'"
)
_STATUS_SQL = "SELECT status FROM campaigns WHERE id = :id AND deleted = 0"
# Through the unique index (campaign, customer, occurrence): one look-up per customer of the page.
_EXECUTED_SQL = (
    "SELECT customer_id FROM campaign_executions WHERE campaign_id = :c AND occurrence = :o"
    " AND customer_id IN (SELECT value FROM json_each(:ids))"
)
_LANGUAGES = {language.value: language for language in Language}
_CHANNELS = {channel.value: channel for channel in Channel}
# Each (whatsapp, sms, email) answer of _latest_promotional → the channels granted.
_GRANTED = {
    flags: frozenset(channel for channel, flag in zip(MESSAGE_CHANNELS, flags, strict=True) if flag)
    for flags in itertools.product((None, 0, 1), repeat=len(MESSAGE_CHANNELS))
}

WAITING, NOTIFIED = "waiting", "notified"  # a wait-list entry's statuses (core.loyalty)

# Asia/Dubai keeps UTC+4 all year: a registration's local date is its UTC instant four hours on.
DUBAI_OFFSET = "+4 hours"


def _month_days(day: date, kind: str) -> list[str]:
    """The "MM-DD" a customer's date has to be to be greeted on ``day``: a 29 February one on 28 February of
    a common year."""
    days = [day.strftime("%m-%d")]
    if kind == "birthday" or kind == "anniversary":
        leap = day.year % 4 == 0 and (day.year % 100 != 0 or day.year % 400 == 0)
        if (day.month, day.day) == (2, 28) and not leap:
            days.append("02-29")
    return days


def zone_condition(zone: str) -> ColumnElement[bool]:
    """The customers who live in ``zone`` (core.customers.model.customer_zone, in SQL)."""
    abroad = and_(C.c.segment == Segment.EXPORT.value, C.c.time_zone.is_not(None))
    if zone == HOME_ZONE:
        return not_(and_(abroad, C.c.time_zone != HOME_ZONE))
    return and_(abroad, C.c.time_zone == zone)


def day_condition(day_of: DayOf) -> ColumnElement[bool]:
    days = _month_days(day_of.day, day_of.kind)
    if day_of.kind == "birthday":
        # A birthday is stored as 'YYYY-MM-DD'; a customer without one is never selected.
        found = and_(C.c.birthday.is_not(None), func.substr(C.c.birthday, 6, 5).in_(days))
    else:
        # The anniversary of the day they registered, a Dubai date (where the store is), wherever they live now.
        local = func.datetime(C.c.created_at, DUBAI_OFFSET)
        found = and_(
            func.strftime("%m-%d", local).in_(days),
            func.strftime("%Y", local) < f"{day_of.day.year:04d}",  # not in the year they registered
        )
    return found if day_of.zone is None else and_(found, zone_condition(day_of.zone))


@functools.lru_cache(maxsize=16)
def _recipients_statement(
    query: AudienceQuery, day_of: DayOf | WaitingFor | None, occurrence: str
) -> Select[tuple[str]]:
    """The next page (from the id ``:after``, ``:limit`` of them) of the audience of ``query`` (and of the day, for
    a birthday or anniversary run; waiting for the product, for a restock alert) that ``occurrence`` of its
    campaign has not reached yet, in id order."""
    where = conditions(query)
    if isinstance(day_of, WaitingFor):
        r = RestockInterest
        waiting = select(r.customer_id).where(
            r.back_in_stock == day_of.occurrence, r.status == WAITING, r.deleted.is_(False)
        )
        where.append(C.c.id.in_(waiting))
    elif day_of is not None:
        where.append(day_condition(day_of))
    # Those this occurrence already reached are left out by the unique index: a resumed run reads on from
    # where it stopped instead of paging through them again.
    e = CampaignExecution
    reached = select(literal(1)).where(
        e.campaign_id == query.campaign_id, e.customer_id == C.c.id, e.occurrence == occurrence
    )
    where.append(not_(exists(reached)))
    where.append(C.c.id > bindparam("after"))
    return select(C.c.id).where(*where).order_by(C.c.id).limit(bindparam("limit"))


class SqlCampaignRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    # -- the register --------------------------------------------------------------------------------------------
    def add(self, campaign_id: str, definition: CampaignDefinition, status: str) -> None:
        row = Campaign(id=campaign_id, status=status)
        _fill(row, definition)
        self._session.add(row)

    def get(self, campaign_id: str) -> CampaignRecord | None:
        row = self._session.get(Campaign, campaign_id)
        if row is None or row.deleted:
            return None
        definition = CampaignDefinition.from_json(
            row.name, row.kind, row.audience, row.definition, row.variants, row.schedule
        )
        return CampaignRecord(row.id, row.status, definition, row.last_occurrence, row.created_at, row.updated_at)

    def save(self, campaign_id: str, definition: CampaignDefinition) -> None:
        row = self._session.get(Campaign, campaign_id)
        assert row is not None
        _fill(row, definition)

    def set_status(self, campaign_id: str, status: str) -> None:
        row = self._session.get(Campaign, campaign_id)
        assert row is not None
        if row.status != status:
            row.status = str(status)

    def finish_occurrence(self, campaign_id: str, occurrence: str, status: str | None = None) -> None:
        row = self._session.get(Campaign, campaign_id)
        assert row is not None
        row.last_occurrence = occurrence
        if status is not None and row.status != status:
            row.status = str(status)

    def ids(self, statuses: tuple[str, ...] = ()) -> list[str]:
        c = Campaign
        query = select(c.id).where(c.deleted.is_(False)).order_by(c.created_at, c.id)
        if statuses:
            query = query.where(c.status.in_([str(s) for s in statuses]))
        return list(self._session.scalars(query))

    # -- a run ---------------------------------------------------------------------------------------------------
    def recipients(
        self, query: AudienceQuery, day_of: DayOf | WaitingFor | None, occurrence: str, after: str | None, limit: int
    ) -> list[str]:
        # Every page of a run is the same statement from a later id: built once (building it and its cache key
        # took twice as long as SQLite's answer) and read as plain ids (every id is after "").
        statement = _recipients_statement(query, day_of, occurrence)
        found = self._session.connection().execute(statement, {"after": after or "", "limit": limit})
        return list(found.scalars().all())

    # -- restock alerts ------------------------------------------------------------------------------------------
    def mark_back_in_stock(self, sku: str, occurrence: str) -> int:
        r = RestockInterest
        rows = self._session.scalars(
            select(r).where(r.sku == sku, r.status == WAITING, r.deleted.is_(False)).order_by(r.id)
        ).all()
        for row in rows:
            row.back_in_stock = occurrence
        return len(rows)

    def back_in_stock(self) -> list[BackInStock]:
        r = RestockInterest
        found = self._session.execute(
            select(r.back_in_stock, r.sku, func.min(r.product_name))
            .where(r.back_in_stock.is_not(None), r.status == WAITING, r.deleted.is_(False))
            .group_by(r.back_in_stock, r.sku)
            .order_by(r.back_in_stock)
        )
        return [BackInStock(str(occurrence), str(sku), str(name)) for occurrence, sku, name in found]

    def notified(self, occurrence: str, customer_ids: list[str]) -> None:
        if not customer_ids:
            return
        r = RestockInterest
        rows = self._session.scalars(
            select(r).where(r.back_in_stock == occurrence, r.customer_id.in_(customer_ids), r.status == WAITING)
        )
        for row in rows:
            row.status = NOTIFIED

    def zones(self) -> list[str]:
        # Through the partial index on time_zone: the few customers who have one, never the whole table.
        found = select(Customer.time_zone).where(
            Customer.time_zone.is_not(None),
            Customer.time_zone != HOME_ZONE,
            Customer.segment == Segment.EXPORT.value,
            Customer.deleted.is_(False),
        )
        return sorted({str(z) for z in self._session.scalars(found.distinct())})

    def status(self, campaign_id: str) -> str | None:
        # Plain SQL (storage.direct): asked before every page of a run, where loading the campaign's row and
        # reading its definition cost 5 ms.
        found = direct.first(self._session, _STATUS_SQL, {"id": campaign_id})
        return None if found is None else str(found[0])

    def executed(self, campaign_id: str, occurrence: str, customer_ids: list[str]) -> set[str]:
        params = {"c": campaign_id, "o": occurrence, "ids": json.dumps(customer_ids)}
        return {row[0] for row in direct.rows(self._session, _EXECUTED_SQL, params)}

    def offer_recipients(self, customer_ids: list[str]) -> dict[str, OfferRecipient]:
        # One statement for a batch (the ids as a JSON list: any count, one plan), only the columns an offer's
        # routing and greeting read, the promotional consent of each channel folded by SQLite from the ledger's
        # index (customer, occurred_at); the addresses found invalid, rare, in a second look-up when any.
        params = {"ids": json.dumps(customer_ids)}
        found = direct.rows(self._session, _OFFER_RECIPIENTS_SQL, params)
        invalid: dict[str, set[tuple[str, str]]] = {}
        if any(row[-1] for row in found):
            for customer_id, channel, address in direct.rows(self._session, _INVALID_ADDRESSES_SQL, params):
                if address:  # an INVALID change without an address marks nothing (consent.fold)
                    invalid.setdefault(customer_id, set()).add((channel, address_key(address)))
        recipients: dict[str, OfferRecipient] = {}
        for row in found:
            customer_id = row[0]
            recipients[customer_id] = OfferRecipient(
                customer_id,
                row[1],
                row[2],
                row[3],
                row[4],
                row[5],
                row[6],
                row[7],
                row[8],
                _LANGUAGES[row[9]],
                _CHANNELS[row[10]],
                _GRANTED[row[11:14]],
                frozenset(invalid.get(customer_id, ())),
            )
        return recipients

    def record(self, executions: Sequence[Execution]) -> None:
        # Straight to the driver with their change-log rows (storage.ledger): a ledger row gains nothing from
        # the ORM's flush, which was a third of a campaign batch's time.
        append(
            self._session,
            CampaignExecution,
            [
                {
                    "id": e.id,
                    "campaign_id": e.campaign_id,
                    "customer_id": e.customer_id,
                    "occurrence": e.occurrence,
                    "variant": e.variant,
                    "outcome": e.outcome,
                    "communication_id": e.communication_id,
                    "offer_code": e.offer_code,
                    "offer_expires_on": e.offer_expires_on,
                    "link_token": e.link_token,
                }
                for e in executions
            ],
        )


class SqlOfferRepository:
    """The recipients' offer codes and their redemptions at the till (core.campaigns.offers)."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def holders(self, code: str) -> list[CodeHolder]:
        e = CampaignExecution
        found = self._session.execute(
            select(e.id, e.campaign_id, e.customer_id, e.offer_expires_on).where(e.offer_code == code).order_by(e.id)
        )
        return [CodeHolder(*row) for row in found]

    def redeemed(self, execution_id: str) -> bool:
        r = OfferRedemption
        return self._session.scalar(select(literal(1)).where(r.execution_id == execution_id).limit(1)) is not None

    def redemptions(self, campaign_id: str) -> int:
        r = OfferRedemption
        count = self._session.scalar(
            select(func.count(func.distinct(r.execution_id))).where(r.campaign_id == campaign_id)
        )
        return int(count or 0)

    def add_redemption(self, redemption: Redemption) -> None:
        append(
            self._session,
            OfferRedemption,
            [
                {
                    "execution_id": redemption.execution_id,
                    "campaign_id": redemption.campaign_id,
                    "customer_id": redemption.customer_id,
                    "order_id": redemption.order_id,
                    "code": redemption.code,
                    "kind": redemption.kind,
                    "discount_fils": redemption.discount_fils,
                    "points": redemption.points,
                }
            ],
        )


class SqlResultsRepository:
    """What a campaign's results are counted from (core.campaigns.results)."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def facts(self, campaign_id: str, conversion_days: int) -> ResultFacts:
        e, m, ev = CampaignExecution, Communication, CommunicationEvent
        clicked = exists(select(literal(1)).where(ev.message_id == e.communication_id, ev.status == "clicked"))
        found = self._session.execute(
            select(e.id, e.customer_id, e.variant, e.outcome, e.created_at, m.channel, m.status, m.cost_fils, clicked)
            .outerjoin(m, m.id == e.communication_id)
            .where(e.campaign_id == campaign_id)
        ).all()
        touches = [
            Touch(row[0], row[1], row[2] or "A", row[3], row[4], row[5], row[6], row[7] or 0, bool(row[8]))
            for row in found
        ]
        if not touches:
            return ResultFacts(())
        first = min(t.at for t in touches)
        last = max(t.at for t in touches) + timedelta(days=conversion_days)
        customers = select(e.customer_id).where(e.campaign_id == campaign_id).scalar_subquery()
        o, r = Order, aliased(Order)
        returned = (
            select(func.coalesce(func.sum(r.net_fils), 0))
            .where(r.original_order_id == o.id, r.kind == "return")
            .scalar_subquery()
        )
        purchases = [
            Purchase(*row)
            for row in self._session.execute(
                select(o.id, o.customer_id, o.created_at, o.net_fils + returned).where(
                    o.kind == "sale", o.customer_id.in_(customers), o.created_at >= first, o.created_at <= last
                )
            )
        ]
        others = [
            OtherTouch(*row)
            for row in self._session.execute(
                select(e.customer_id, e.created_at).where(
                    e.campaign_id != campaign_id,
                    e.outcome == "queued",
                    e.customer_id.in_(customers),
                    e.created_at >= first,
                    e.created_at <= last,
                )
            )
        ]
        rd = OfferRedemption
        redemptions = [
            RedemptionFact(*row)
            for row in self._session.execute(
                select(rd.execution_id, rd.discount_fils, rd.points).where(rd.campaign_id == campaign_id)
            )
        ]
        rules = ProgramRules.from_json(SqlLoyaltyRepository(self._session).rules_json())
        return ResultFacts(touches, purchases, others, redemptions, rules.point_value_fils)


def _fill(row: Campaign, d: CampaignDefinition) -> None:
    """Sets only what changed, so an unchanged field keeps its stamp (registers merge per field)."""
    values = {
        "name": d.name,
        "kind": str(d.kind),
        "channel": d.channel,
        "template_key": d.message.template_key,
        "audience": d.audience.to_json(),
        "definition": d.definition_json(),
        "variants": d.variants_json(),
        "schedule": d.schedule.to_json(),
    }
    for name, value in values.items():
        if getattr(row, name) != value:
            setattr(row, name, value)
