"""Support tickets (a register) and their responses (a ledger: both branches' notes survive a merge)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from core.kernel.ids import new_id
from core.staff.auth import Role
from core.tickets.model import (
    WORKING,
    Category,
    Priority,
    ResponseRecord,
    Source,
    Status,
    TicketFilter,
    TicketRecord,
)
from storage import direct, ledger
from storage.schema import Customer, Staff, SupportTicket, TicketResponse

COUNTER_KEY = "ticket_counter"
_BRANCH_CODE_SQL = "SELECT code FROM branches WHERE id = :b"


def _record(row: SupportTicket) -> TicketRecord:
    return TicketRecord(
        id=row.id,
        number=row.number,
        branch_id=row.branch_id,
        customer_id=row.customer_id,
        subject=row.subject,
        description=row.description,
        category=Category(row.category),
        priority=Priority(row.priority),
        status=Status(row.status),
        assigned_staff_id=row.assigned_staff_id,
        source=Source(row.source),
        source_id=row.source_id,
        order_id=row.order_id,
        feedback_id=row.feedback_id,
        opened_at=row.created_at,
        due_at=row.due_at,
        escalated_to=row.escalated_to,
        escalated_at=row.escalated_at,
        waiting_since=row.waiting_since,
        survey_sent_at=row.survey_sent_at,
    )


class SqlTicketRepository:
    def __init__(self, session: Session, branch_id: str | None, terminal_id: str) -> None:
        self._session = session
        self._branch_id = branch_id
        self._terminal = terminal_id

    def next_number(self) -> str:
        """Branch code, T, this till's counter and the till's tag: unique across the chain without asking
        anyone, as receipt numbers are (storage.repositories.purchases)."""
        code = direct.scalar(self._session, _BRANCH_CODE_SQL, {"b": self._branch_id}) or "BR"
        value = direct.next_counter(self._session, COUNTER_KEY)
        tag = direct.till_tag(self._terminal)
        return f"{code}-T{value:06d}-{tag}"

    def customer_exists(self, customer_id: str) -> bool:
        row = self._session.get(Customer, customer_id)
        return row is not None and not row.deleted

    def staff_at(self, staff_id: str) -> tuple[str, str, bool] | None:
        row = self._session.get(Staff, staff_id)
        return None if row is None else (row.role, row.branch_id, row.active)

    def branch_manager(self, branch_id: str) -> str | None:
        query = (
            select(Staff.id)
            .where(Staff.branch_id == branch_id, Staff.role == Role.MANAGER.value, Staff.active.is_(True))
            .order_by(Staff.username)
            .limit(1)
        )
        return self._session.scalar(query)

    def add(self, values: Mapping[str, object]) -> str:
        fields = dict(values)
        row = SupportTicket(id=str(fields.pop("id", None) or new_id()), **fields)
        self._session.add(row)
        self._session.flush()
        return row.id

    def get(self, ticket_id: str) -> TicketRecord | None:
        row = self._session.get(SupportTicket, ticket_id)
        return None if row is None or row.deleted else _record(row)

    def update(self, ticket_id: str, changes: Mapping[str, object]) -> None:
        row = self._session.get(SupportTicket, ticket_id)
        assert row is not None
        for name, value in changes.items():
            setattr(row, name, value)
        self._session.flush()

    def add_response(self, values: Mapping[str, object]) -> str:
        return ledger.append(self._session, TicketResponse, [dict(values)])[0]

    def responses(self, ticket_id: str) -> list[ResponseRecord]:
        """Oldest first; responses written at two branches in the same instant keep one order everywhere (id)."""
        self._session.flush()
        query = (
            select(TicketResponse)
            .where(TicketResponse.ticket_id == ticket_id)
            .order_by(TicketResponse.created_at, TicketResponse.id)
        )
        return [
            ResponseRecord(r.id, r.ticket_id, r.staff_id, r.body, r.internal, r.created_at)
            for r in self._session.scalars(query)
        ]

    def last_responses(self, ticket_ids: list[str]) -> dict[str, datetime]:
        """The time of each ticket's latest response (tickets without one are left out)."""
        if not ticket_ids:
            return {}
        r = TicketResponse
        query = select(r.ticket_id, func.max(r.created_at)).where(r.ticket_id.in_(ticket_ids)).group_by(r.ticket_id)
        return {ticket_id: at for ticket_id, at in self._session.execute(query)}

    def find(self, criteria: TicketFilter, limit: int) -> list[TicketRecord]:
        t = SupportTicket
        query: Any = select(t).where(t.deleted.is_(False))
        if criteria.status is not None:
            query = query.where(t.status == criteria.status)
        if criteria.priority is not None:
            query = query.where(t.priority == criteria.priority)
        if criteria.assignee is not None:
            query = query.where(t.assigned_staff_id == criteria.assignee)
        if criteria.customer_id is not None:
            query = query.where(t.customer_id == criteria.customer_id)
        if criteria.overdue_at is not None:
            # A ticket waiting for the customer is not overdue: its clock stands still (core.tickets.sla).
            query = query.where(
                t.status.in_([s.value for s in WORKING]),
                t.status != Status.WAITING_FOR_CUSTOMER.value,
                t.due_at < criteria.overdue_at,
            )
        if criteria.text:
            like = f"%{criteria.text.lower().replace('%', '').replace('_', '')}%"
            query = query.where(
                or_(
                    func.lower(t.number).like(like),
                    func.lower(t.subject).like(like),
                    func.lower(t.description).like(like),
                )
            )
        query = query.order_by(t.created_at.desc(), t.id.desc()).limit(limit)
        return [_record(row) for row in self._session.scalars(query)]
