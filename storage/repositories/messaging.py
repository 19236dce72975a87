"""The outbox: message templates and the communications rows a dispatcher sends. Both replicate as registers,
so head office sees every message a branch queued and a message's status reaches every branch.

A message is queued inside the transaction of what caused it (a sale's receipt), so its cost is the sale's:
both rows are written below the ORM with their change-log rows (storage.registers), and a template known to
be in the store is not looked up again. Through the ORM a receipt added about 3.3 ms to a 2.5 ms sale.
"""

from __future__ import annotations

import weakref
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, and_, func, select, text
from sqlalchemy.orm import Session

from core.kernel.replication import is_shop
from core.loyalty.rules import ProgramRules
from core.messaging.outbox import HistoryEntry
from core.messaging.ports import MessageRecord, NewMessage, TemplateRecord
from core.messaging.templates import RECEIPT
from storage import direct
from storage.registers import DirectWrites
from storage.repositories.loyalty import SqlLoyaltyRepository
from storage.schema import Branch, Communication, CommunicationEvent, MessageTemplate, Order

# A literal, not a bound parameter: SQLite uses a partial index only when the query's own WHERE implies its
# condition, and a parameter's value is not known when the plan is made.
INBOUND = text("communications.direction = 'inbound'")

# The states of a message that reached, or is reaching, the customer.
LEFT = ("sending", "sent", "delivered", "read")


# Template ids known to be committed in a store, per engine (a store opened again starts afresh). Templates
# are never deleted (a register is only tombstoned), so an id seen committed stays true for the process.
_KNOWN_TEMPLATES: weakref.WeakKeyDictionary[Engine, set[str]] = weakref.WeakKeyDictionary()
_TEMPLATE_SQL = "SELECT 1 FROM message_templates WHERE id = :id"
_WORDING_SQL = "SELECT body, deleted FROM message_templates WHERE id = :id"
# Asked by every survey a sale queues (is the customer's WhatsApp window open?), so straight to the driver (storage.
# direct): ix_communications_inbound answers it from the index alone, the newest entry of (customer, channel).
LAST_INBOUND = direct.TypedSelect(
    Communication,
    ["created_at"],
    "WHERE customer_id = :c AND channel = :ch AND direction = 'inbound' ORDER BY created_at DESC LIMIT 1",
)
_ADDED_KEY = "message_templates_added"  # ids this transaction inserted: not known to be committed yet


class SqlMessageRepository:
    """``branch_id``: the branch writing (whose name a message may give); None for a reader."""

    def __init__(self, session: Session, branch_id: str | None = None) -> None:
        self._session = session
        self._branch_id = branch_id

    def ensure_template(
        self,
        template_id: str,
        key: str,
        channel: str,
        language: str,
        body: str,
        variables: list[str],
        *,
        promotional: bool = False,
    ) -> None:
        session = self._session
        engine = session.get_bind()
        assert isinstance(engine, Engine)
        known = _KNOWN_TEMPLATES.setdefault(engine, set())
        if template_id in known:
            return
        added: set[str] = session.info.setdefault(_ADDED_KEY, set())
        if template_id in added:
            return
        if direct.scalar(session, _TEMPLATE_SQL, {"id": template_id}) is not None:
            known.add(template_id)
            return
        row = {
            "id": template_id,
            "key": key,
            "channel": channel,
            "language": language,
            "body": body,
            "variables": variables,
            "promotional": promotional,
        }
        writes = DirectWrites(session)
        writes.insert(MessageTemplate, row)
        writes.execute()
        added.add(template_id)

    def queue(
        self,
        customer_id: str | None,
        channel: str,
        recipient: str,
        body: str,
        template_id: str | None,
        *,
        status: str = "queued",
        error: str | None = None,
        params: Sequence[str] | None = None,
        due_at: datetime | None = None,
        interactive: Mapping[str, Any] | None = None,
    ) -> str:
        row = {
            "customer_id": customer_id,
            "channel": channel,
            "direction": "outbound",
            "template_id": template_id,
            "recipient": recipient,
            "body": body,
            "status": status,
            "attempts": 0,
            "last_error": error,
            "params": None if params is None else [str(p) for p in params],
            "next_attempt_at": due_at,
            "interactive": None if interactive is None else dict(interactive),
        }
        writes = DirectWrites(self._session)
        message_id = writes.insert(Communication, row)
        writes.execute()
        return message_id

    def queue_many(self, messages: Sequence[NewMessage]) -> None:
        # Straight to the driver with their change-log rows (storage.registers), as ``queue`` writes one: a
        # campaign queues thousands, and the ORM's flush of each new row was the larger part of a batch's time.
        rows = [
            {
                "id": m.id,
                "customer_id": m.customer_id,
                "channel": m.channel,
                "direction": "outbound",
                "template_id": m.template_id,
                "recipient": m.recipient,
                "body": m.body,
                "status": "queued",
                "attempts": 0,
                "params": None if m.params is None else [str(p) for p in m.params],
            }
            for m in messages
        ]
        if rows:
            writes = DirectWrites(self._session)
            writes.insert_many(Communication, rows)
            writes.execute()

    def sent_since(self, customer_id: str, template_ids: list[str], since: datetime) -> int:
        c = Communication
        return int(
            self._session.scalar(
                select(func.count())
                .select_from(c)
                .where(c.customer_id == customer_id, c.template_id.in_(template_ids), c.created_at >= since)
            )
            or 0
        )

    def promotional_sent_since(self, customer_id: str, since: datetime) -> list[datetime]:
        # A message's last change is when it left (or later, when a status came): close enough for a cap
        # counted in days, and it needs no column of its own.
        c, t = Communication, MessageTemplate
        return list(
            self._session.scalars(
                select(c.updated_at)
                .join(t, t.id == c.template_id)
                .where(
                    c.customer_id == customer_id,
                    c.direction == "outbound",
                    t.promotional.is_(True),
                    c.status.in_(LEFT),
                    c.updated_at >= since,
                )
            )
        )

    # -- a manager's wording ------------------------------------------------------------------------------------
    def wording(self, template_id: str) -> str | None:
        # Plain SQL (storage.direct): every receipt asks, inside its sale, and the ORM's identity-map look-up
        # cost a sale more than the rest of its message.
        row = direct.first(self._session, _WORDING_SQL, {"id": template_id})
        return None if row is None or row[1] else str(row[0])

    def save_wording(
        self, template_id: str, key: str, channel: str, language: str, body: str, variables: list[str]
    ) -> None:
        row = self._session.get(MessageTemplate, template_id)
        if row is None:
            self._session.add(
                MessageTemplate(
                    id=template_id,
                    key=key,
                    channel=channel,
                    language=language,
                    body=body,
                    variables=variables,
                    promotional=False,
                )
            )
            return
        if row.body != body:
            row.body = body
        if list(row.variables or []) != variables:
            row.variables = variables
        if row.deleted:
            row.deleted = False

    def templates(self, keys: list[str]) -> list[TemplateRecord]:
        t = MessageTemplate
        found = self._session.scalars(select(t).where(t.key.in_(keys), t.deleted.is_(False)))
        return [TemplateRecord(r.id, r.key, r.channel, r.language, r.body, r.updated_at) for r in found]

    def branch_name(self, language: str, home: str = "") -> str:
        branch_id = self._branch_id if self._branch_id is None or is_shop(self._branch_id) else home
        if not branch_id or not is_shop(branch_id):
            return ""
        with self._session.no_autoflush:
            branch = self._session.get(Branch, branch_id)
        if branch is None:
            return ""
        first, other = (branch.name_ar, branch.name_en) if language == "ar" else (branch.name_en, branch.name_ar)
        return first or other or ""

    def point_value_fils(self) -> int:
        return ProgramRules.from_json(SqlLoyaltyRepository(self._session).rules_json()).point_value_fils

    # -- a customer's Messages tab ---------------------------------------------------------------------------------
    def for_customer(self, customer_id: str, limit: int) -> list[MessageRecord]:
        c, t, o = Communication, MessageTemplate, Order
        # A receipt is written in the transaction of its sale, so both rows carry the same created_at: that is
        # how the tab names the order a receipt confirmed, with no column of its own.
        receipt_of = and_(
            t.key == RECEIPT,
            o.customer_id == c.customer_id,
            o.created_at == c.created_at,
            o.kind == "sale",
        )
        query = (
            select(c, t.key, t.promotional, o.number)
            .outerjoin(t, t.id == c.template_id)
            .outerjoin(o, receipt_of)
            .where(c.customer_id == customer_id, c.deleted.is_(False))
            .order_by(c.created_at.desc(), c.id.desc())
            .limit(limit)
        )
        records: list[MessageRecord] = []
        seen: set[str] = set()
        for row, key, promotional, order_number in self._session.execute(query):
            if row.id in seen:  # two sales to one customer in one instant: the first order found is named
                continue
            seen.add(row.id)
            records.append(
                MessageRecord(
                    id=row.id,
                    created_at=row.created_at,
                    direction=row.direction or "outbound",
                    channel=row.channel,
                    status=row.status,
                    body=row.body,
                    recipient=row.recipient,
                    template_key=key,
                    promotional=bool(promotional),
                    provider=row.provider,
                    cost_fils=row.cost_fils,
                    last_error=row.last_error,
                    order_number=order_number,
                    attempts=row.attempts or 0,
                )
            )
        return records

    def history(self, message_id: str) -> list[HistoryEntry]:
        e = CommunicationEvent
        found = self._session.scalars(select(e).where(e.message_id == message_id).order_by(e.at, e.created_at, e.id))
        return [HistoryEntry(r.status, r.at, r.provider, r.provider_code, r.detail) for r in found]

    def last_inbound(self, customer_id: str, channel: str) -> datetime | None:
        found = LAST_INBOUND.first(self._session, {"c": customer_id, "ch": channel})
        return None if found is None else found["created_at"]
