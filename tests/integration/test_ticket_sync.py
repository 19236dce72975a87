"""Two branches work on one ticket while offline; head office and both branches end with the same ticket."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.kernel.errors import DomainError
from core.staff.auth import Actor, Role
from core.tickets.model import Status, TicketDraft
from storage.bootstrap import build_services
from tests.clock import TestClock
from tests.faults.support import Branch, chain


def handler(branch: Branch) -> Actor:
    return Actor(branch.actor.staff_id, branch.actor.branch_id, Role(branch.actor.role), branch.actor.display_name)


def test_a_reopen_after_a_close_elsewhere_wins_and_every_note_is_kept(tmp_path: Path) -> None:
    with chain(tmp_path) as (_ho, _server, (a, b)):
        clock = TestClock()
        tickets_a = build_services(a.store, clock, link=a.worker).tickets
        tickets_b = build_services(b.store, clock.shifted(), link=b.worker).tickets
        customer = a.new_customer("Hamad", "+971501234567")
        ticket = tickets_a.open(handler(a), TicketDraft(customer, "Bottle leaks"))
        tickets_a.move(handler(a), ticket.id, "resolved")
        a.sync()
        b.sync()
        assert tickets_b.get(handler(b), ticket.id)[0].status is Status.RESOLVED

        # Offline: Dubai closes it and notes why; a little later Abu Dhabi hears from the customer, reopens it and
        # notes that. Neither has synced.
        tickets_a.move(handler(a), ticket.id, "closed")
        note_a = tickets_a.note(handler(a), ticket.id, "Replacement handed over.")
        tickets_b.move(handler(b), ticket.id, "open")
        note_b = tickets_b.note(handler(b), ticket.id, "Customer says the new bottle leaks too.")

        for branch in (a, b, a):
            branch.sync()
        got_a, responses_a = tickets_a.get(handler(a), ticket.id)
        got_b, responses_b = tickets_b.get(handler(b), ticket.id)
        assert got_a.status is got_b.status is Status.OPEN, "the later reopen wins over the earlier close"
        assert {r.id for r in responses_a} == {note_a.id, note_b.id}, "both branches' notes are kept"
        assert responses_a == responses_b, "in one order everywhere"
        assert a.registers("support_tickets") == b.registers("support_tickets")


def test_a_ticket_closed_at_two_branches_offline_ends_closed_once_with_both_notes(tmp_path: Path) -> None:
    with chain(tmp_path) as (_ho, _server, (a, b)):
        clock = TestClock()
        tickets_a = build_services(a.store, clock, link=a.worker).tickets
        tickets_b = build_services(b.store, clock.shifted(), link=b.worker).tickets
        customer = a.new_customer("Hamad", "+971501234567")
        ticket = tickets_a.open(handler(a), TicketDraft(customer, "Cap broken"))
        tickets_a.move(handler(a), ticket.id, "resolved")
        a.sync()
        b.sync()

        # Offline, both close it, each with a note.
        tickets_a.move(handler(a), ticket.id, "closed")
        note_a = tickets_a.note(handler(a), ticket.id, "Closed at Dubai Mall.")
        tickets_b.move(handler(b), ticket.id, "closed")
        note_b = tickets_b.note(handler(b), ticket.id, "Closed at Yas Mall.")
        for branch in (a, b, a):
            branch.sync()
        got_a, responses_a = tickets_a.get(handler(a), ticket.id)
        got_b, responses_b = tickets_b.get(handler(b), ticket.id)
        assert got_a.status is got_b.status is Status.CLOSED
        assert {r.id for r in responses_a} == {note_a.id, note_b.id} and responses_a == responses_b
        assert a.registers("support_tickets") == b.registers("support_tickets")

        # Closing it a third time, anywhere, says so and writes nothing.
        before = a.registers("support_tickets")
        with pytest.raises(DomainError) as refused:
            tickets_b.move(handler(b), ticket.id, "closed")
        assert "already closed" in refused.value.message
        assert a.registers("support_tickets") == before
