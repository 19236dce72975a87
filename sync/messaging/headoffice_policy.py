"""Head office's send rules: the rules a standalone store applies (core.messaging.rules.decide: consent per
channel and purpose, a working address, quiet hours, caps, WhatsApp's 24 h window), over head office's rows.

Head office keeps the branches' rows as JSON documents (sync.headoffice.models): customers as merged register
rows, consent changes as ledger inserts in the change log, messages (outbound and inbound) as register rows.
None of them can be found by customer with an index of the document, so this module keeps three small
indexes of its own, filled from the change feed after a cursor (``message_facts_seq``): a customer's consent
rows, their messages, and when each of their channels last received a message *from* them. A look-up reads
the indexes up to the cursor, then the few changes written after it, so a STOP that landed a moment ago is
seen even before the indexes catch up. Catching up is a write, done at most every ``CATCH_UP_EVERY`` seconds
(and at start), never for every message.

A customer document head office cannot read (hostile or damaged bytes) is treated as no customer: the
message is refused (``no_customer``), never sent and never a crash.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import Any

import orjson
from sqlalchemy import Column, Connection, MetaData, String, Table, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import DBAPIError

from core.customers.model import Channel, CustomerProfile, Emirate, Language, Segment
from core.messaging.consent import ConsentRecord, fold
from core.messaging.ports import Decision, OutboundMessage
from core.messaging.rules import DEFAULT_RULES, RulesConfig, decide, needs_window
from sync.headoffice import models as m
from sync.headoffice.store import HeadOfficeStore, iso

metadata = MetaData()

consent_of = Table(
    "ho_consent_of",
    metadata,
    Column("customer_id", String(36), primary_key=True),
    Column("row_id", String(36), primary_key=True),
)
messages_of = Table(
    "ho_messages_of",
    metadata,
    Column("customer_id", String(36), primary_key=True),
    Column("message_id", String(36), primary_key=True),
)
last_inbound = Table(
    "ho_last_inbound",
    metadata,
    Column("customer_id", String(36), primary_key=True),
    Column("channel", String(10), primary_key=True),
    Column("at", String(40), nullable=False),  # ISO-8601 UTC
)

CURSOR = "message_facts_seq"
PAGE = 5000
CATCH_UP_EVERY = 2.0  # seconds (monotonic) between two catch-ups of the indexes
LEFT = ("sending", "sent", "delivered", "read")
ENTITIES = ("communications", "consent_changes")


def _when(value: Any) -> datetime | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else None


def profile_of_document(data: dict[str, Any]) -> CustomerProfile | None:
    """A customer as a branch pushed it, or None when the document is not one."""
    try:
        text = {name: data.get(name) for name in ("first_name_en", "last_name_en", "first_name_ar", "last_name_ar")}
        birthday = data.get("birthday")
        return CustomerProfile(
            id=str(data["id"]),
            number=str(data.get("number") or ""),
            branch_id=str(data.get("branch_id") or ""),
            first_name_en=text["first_name_en"],
            last_name_en=text["last_name_en"],
            first_name_ar=text["first_name_ar"],
            last_name_ar=text["last_name_ar"],
            mobile=data.get("mobile") if isinstance(data.get("mobile"), str) else None,
            email=data.get("email") if isinstance(data.get("email"), str) else None,
            segment=Segment(data.get("segment") or Segment.REGULAR),
            emirate=Emirate(data["emirate"]) if data.get("emirate") else None,
            area=data.get("area"),
            address_line=data.get("address_line"),
            po_box=data.get("po_box"),
            birthday=date.fromisoformat(birthday) if isinstance(birthday, str) and birthday else None,
            preferred_language=Language(data.get("preferred_language") or Language.ARABIC),
            preferred_channel=Channel(data.get("preferred_channel") or Channel.WHATSAPP),
            consent_whatsapp=data.get("consent_whatsapp") is True,
            consent_sms=data.get("consent_sms") is True,
            consent_email=data.get("consent_email") is True,
            emirates_id=None,
            notes=None,
            created_at=_when(data.get("created_at")) or datetime.min,
            updated_at=_when(data.get("updated_at")) or datetime.min,
        )
    except (KeyError, ValueError, TypeError):
        return None


def _record(data: dict[str, Any]) -> ConsentRecord | None:
    occurred = _when(data.get("occurred_at"))
    if occurred is None or not isinstance(data.get("channel"), str) or not isinstance(data.get("action"), str):
        return None
    purpose = data.get("purpose")
    evidence = data.get("evidence")
    return ConsentRecord(
        customer_id=str(data.get("customer_id")),
        channel=data["channel"],
        purpose=purpose if isinstance(purpose, str) else None,
        action=data["action"],
        source=str(data.get("source") or ""),
        occurred_at=occurred,
        address=data.get("address") if isinstance(data.get("address"), str) else None,
        evidence=evidence if isinstance(evidence, dict) else {},
        id=str(data.get("id") or ""),
        branch_id=str(data.get("branch_id") or ""),
        created_at=_when(data.get("created_at")),
    )


class MessageFacts:
    """What the rules read of a customer at head office, kept findable by customer."""

    def __init__(self, store: HeadOfficeStore) -> None:
        self.store = store
        try:
            metadata.create_all(store.writer)
        except DBAPIError:  # another dispatcher starting at the same moment made them first
            metadata.create_all(store.writer)
        with store.writer.begin() as conn:
            c = m.counters.c
            if conn.execute(select(c.value).where(c.name == CURSOR)).first() is None:
                conn.execute(insert(m.counters).values(name=CURSOR, value=0))
        self._lock = threading.Lock()
        self._caught_up_at: float | None = None
        self.catch_up()

    def catch_up(self) -> int:
        """Indexes the changes written since the cursor; returns how many were read."""
        c, counters = m.changes.c, m.counters.c
        read = 0
        while True:
            with self.store.reader.connect() as conn:
                if self.store.counter(conn, CURSOR) >= self.store.counter(conn, "change_seq"):
                    return read
            with self.store.writer.begin() as conn:
                cursor = conn.execute(
                    select(counters.value).where(counters.name == CURSOR).with_for_update()
                ).scalar_one()
                head = self.store.counter(conn, "change_seq")
                found = conn.execute(
                    select(c.change_seq, c.entity, c.row_id, c.payload)
                    .where(c.change_seq > cursor, c.change_seq <= head, c.entity.in_(ENTITIES), c.op == "insert")
                    .order_by(c.change_seq)
                    .limit(PAGE)
                ).all()
                self._index(conn, [(entity, row_id, payload) for _seq, entity, row_id, payload in found])
                moved = found[-1][0] if len(found) == PAGE else head
                conn.execute(update(m.counters).where(counters.name == CURSOR).values(value=moved))
            read += len(found)
            if len(found) < PAGE:
                return read

    def _index(self, conn: Connection, found: Iterable[tuple[str, str, str]]) -> None:
        consents: list[dict[str, str]] = []
        messages: list[dict[str, str]] = []
        inbound: dict[tuple[str, str], datetime] = {}
        for entity, row_id, payload in found:
            try:
                data = orjson.loads(payload)
            except orjson.JSONDecodeError:
                continue
            customer = data.get("customer_id") if isinstance(data, dict) else None
            if not isinstance(customer, str) or not customer:
                continue
            if entity == "consent_changes":
                consents.append({"customer_id": customer, "row_id": row_id})
            elif data.get("direction") == "inbound":
                at, channel = _when(data.get("created_at")), data.get("channel")
                if at is not None and isinstance(channel, str):
                    key = (customer, channel)
                    inbound[key] = max(inbound.get(key, at), at)
            else:
                messages.append({"customer_id": customer, "message_id": row_id})
        dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
        if consents:
            conn.execute(dialect.insert(consent_of).on_conflict_do_nothing(), consents)
        if messages:
            conn.execute(dialect.insert(messages_of).on_conflict_do_nothing(), messages)
        for (customer, channel), at in inbound.items():
            kept = conn.execute(
                select(last_inbound.c.at).where(
                    last_inbound.c.customer_id == customer, last_inbound.c.channel == channel
                )
            ).scalar()
            if kept is None:
                conn.execute(insert(last_inbound).values(customer_id=customer, channel=channel, at=iso(at)))
            elif kept < iso(at):
                conn.execute(
                    update(last_inbound)
                    .where(last_inbound.c.customer_id == customer, last_inbound.c.channel == channel)
                    .values(at=iso(at))
                )

    def maybe_catch_up(self) -> None:
        with self._lock:
            now = time.monotonic()
            if self._caught_up_at is not None and now - self._caught_up_at < CATCH_UP_EVERY:
                return
            self._caught_up_at = now
        self.catch_up()

    # -- reading ----------------------------------------------------------------------------------------------

    def tail(self, conn: Connection, customer_id: str) -> list[tuple[str, str, dict[str, Any]]]:
        """(entity, row id, document) of the consent changes and messages of the customer written after the
        cursor: the indexes do not hold them yet."""
        c = m.changes.c
        cursor = self.store.counter(conn, CURSOR)
        out = []
        for entity, row_id, payload in conn.execute(
            select(c.entity, c.row_id, c.payload).where(
                c.change_seq > cursor,
                # ``entity || ''``: not the (entity, row_id) index, which would read every message and consent
                # row ever written (40 ms at 20,000 customers); the change_seq range is a few seconds' changes.
                (c.entity + "").in_(ENTITIES),
                c.op == "insert",
                c.payload.contains(customer_id),
            )
        ):
            data = orjson.loads(payload)
            if isinstance(data, dict) and data.get("customer_id") == customer_id:
                out.append((entity, row_id, data))
        return out

    def customer(self, conn: Connection, customer_id: str) -> CustomerProfile | None:
        r = m.rows.c
        found = conn.execute(select(r.data).where(r.entity == "customers", r.row_id == customer_id)).scalar()
        if found is None:
            return None
        data = self.store.crypto.open("customers", customer_id, orjson.loads(found))  # its birthday is sealed
        return profile_of_document(data) if isinstance(data, dict) and data.get("deleted") is not True else None

    def consent(
        self, conn: Connection, customer_id: str, tail: list[tuple[str, str, dict[str, Any]]]
    ) -> list[ConsentRecord]:
        c = m.changes.c
        ids = select(consent_of.c.row_id).where(consent_of.c.customer_id == customer_id)
        found = conn.execute(
            select(c.row_id, c.payload).where(c.entity == "consent_changes", c.op == "insert", c.row_id.in_(ids))
        ).all()
        documents = {row_id: orjson.loads(payload) for row_id, payload in found}
        documents.update({row_id: data for entity, row_id, data in tail if entity == "consent_changes"})
        records = [
            _record(d) for d in documents.values() if isinstance(d, dict) and d.get("customer_id") == customer_id
        ]
        return [r for r in records if r is not None]

    def promotional_sent_since(
        self, conn: Connection, customer_id: str, since: datetime, tail: list[tuple[str, str, dict[str, Any]]]
    ) -> list[datetime]:
        r = m.rows.c
        ids = {
            row_id
            for (row_id,) in conn.execute(
                select(messages_of.c.message_id).where(messages_of.c.customer_id == customer_id)
            )
        }
        ids |= {row_id for entity, row_id, data in tail if entity == "communications"}
        if not ids:
            return []
        documents = [
            orjson.loads(d)
            for (d,) in conn.execute(select(r.data).where(r.entity == "communications", r.row_id.in_(ids)))
        ]
        templates = {str(d.get("template_id")) for d in documents if d.get("template_id")}
        promotional = {
            row_id
            for row_id, data in conn.execute(
                select(r.row_id, r.data).where(r.entity == "message_templates", r.row_id.in_(templates))
            )
            if orjson.loads(data).get("promotional") is True
        }
        out = []
        for d in documents:
            left = _when(d.get("sent_at")) or _when(d.get("updated_at"))
            if d.get("template_id") in promotional and d.get("status") in LEFT and left is not None and left >= since:
                out.append(left)
        return out

    def last_inbound(
        self, conn: Connection, customer_id: str, channel: str, tail: list[tuple[str, str, dict[str, Any]]]
    ) -> datetime | None:
        kept = conn.execute(
            select(last_inbound.c.at).where(
                last_inbound.c.customer_id == customer_id, last_inbound.c.channel == channel
            )
        ).scalar()
        times = [t for t in [_when(kept)] if t is not None]
        for entity, _row_id, data in tail:
            inbound = entity == "communications" and data.get("direction") == "inbound"
            if inbound and data.get("channel") == channel and (at := _when(data.get("created_at"))) is not None:
                times.append(at)
        return max(times) if times else None


class HeadOfficeSendPolicy:
    """core.messaging.ports.SendPolicy at head office: ``decide`` over head office's rows."""

    def __init__(self, store: HeadOfficeStore, config: RulesConfig | None = None) -> None:
        self.config = config or DEFAULT_RULES
        self.facts = MessageFacts(store)
        self.store = store

    def decide(self, message: OutboundMessage, now: datetime) -> Decision:
        self.facts.maybe_catch_up()
        consent = None
        sent: list[datetime] = []
        last: datetime | None = None
        customer_id = message.customer_id
        if customer_id:
            with self.store.reader.connect() as conn:
                profile = self.facts.customer(conn, customer_id)
                if profile is not None:
                    tail = self.facts.tail(conn, customer_id)
                    consent = fold(customer_id, self.facts.consent(conn, customer_id, tail), profile)
                    if message.promotional:
                        since = now - timedelta(days=self.config.cap_days)
                        sent = self.facts.promotional_sent_since(conn, customer_id, since, tail)
                    if needs_window(message):
                        last = self.facts.last_inbound(conn, customer_id, message.channel, tail)
        return decide(message, now, consent, sent, self.config, last_inbound=last)
