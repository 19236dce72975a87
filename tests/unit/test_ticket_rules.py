"""Ticket lifecycle, input checks, and what two branches' offline edits of a ticket merge to."""

from __future__ import annotations

from itertools import permutations
from typing import Any

import pytest

from core.kernel.errors import ValidationError
from core.kernel.hlc import Timestamp
from core.kernel.replication import merge_register, stamp
from core.tickets.model import (
    RESPONSE_MAX,
    Status,
    TicketDraft,
    check_transition,
    clean_response,
    parse_priority,
    parse_status,
    validate_draft,
)

S = Status


@pytest.mark.parametrize(
    ("current", "target"),
    [
        (S.OPEN, S.IN_PROGRESS),
        (S.IN_PROGRESS, S.WAITING_FOR_CUSTOMER),
        (S.WAITING_FOR_CUSTOMER, S.IN_PROGRESS),
        (S.WAITING_FOR_CUSTOMER, S.RESOLVED),
        (S.RESOLVED, S.CLOSED),
        (S.RESOLVED, S.OPEN),
        (S.CLOSED, S.OPEN),
    ],
)
def test_allowed_moves(current: Status, target: Status) -> None:
    check_transition(current, target)


@pytest.mark.parametrize(
    ("current", "target", "message"),
    [
        (S.OPEN, S.CLOSED, "Resolve the ticket before closing it."),
        (S.IN_PROGRESS, S.CLOSED, "Resolve the ticket before closing it."),
        (S.CLOSED, S.RESOLVED, "A closed ticket can only be reopened."),
        (S.CLOSED, S.IN_PROGRESS, "A closed ticket can only be reopened."),
        (S.RESOLVED, S.IN_PROGRESS, "A resolved ticket can only be closed or reopened."),
        (S.CLOSED, S.CLOSED, "This ticket is already closed."),
        (S.OPEN, S.OPEN, "The ticket already has this status."),
    ],
)
def test_refused_moves_say_why(current: Status, target: Status, message: str) -> None:
    with pytest.raises(ValidationError) as caught:
        check_transition(current, target)
    assert caught.value.message == message


def test_unknown_status_and_priority_are_refused() -> None:
    with pytest.raises(ValidationError, match="Unknown ticket status: done"):
        parse_status("done")
    with pytest.raises(ValidationError, match="Unknown ticket priority: critical"):
        parse_priority("critical")


def test_draft_is_cleaned_and_checked() -> None:
    values = validate_draft(TicketDraft("c1", "  Bottle leaked  ", source="feedback", source_id="f1"))
    assert values["subject"] == "Bottle leaked"
    assert values["feedback_id"] == "f1"
    with pytest.raises(ValidationError) as caught:
        validate_draft(TicketDraft("c1", "Leak", source="whatsapp"))
    assert caught.value.field == "source_id"
    with pytest.raises(ValidationError) as caught:
        validate_draft(TicketDraft("c1", "Leak\u202e", source="till"))
    assert caught.value.field == "subject"
    with pytest.raises(ValidationError):
        validate_draft(TicketDraft("c1", "Leak", category="misc"))


def test_a_20_kb_response_is_refused() -> None:
    with pytest.raises(ValidationError) as caught:
        clean_response("x" * 20_000)
    assert caught.value.params == {"max": RESPONSE_MAX, "length": 20_000}
    assert clean_response(" Called the customer.\n") == "Called the customer."


# -- merging two branches' offline edits: the generic per-field last writer wins gives the rules of model.py --------


def at(wall: int, branch: str) -> str:
    return stamp(Timestamp(1_000 + wall, 0, f"till-{branch}").encode(), branch)


def merged(base: dict[str, Any], *changes: tuple[dict[str, Any], str]) -> list[dict[str, Any]]:
    """The row each replica ends with, for every order the changes can arrive in."""
    results = []
    for order in permutations(changes):
        values, stamps = dict(base), dict.fromkeys(base, at(0, "HO"))
        for change, change_stamp in order:
            merge = merge_register(values, stamps, change, change_stamp)
            values.update(merge.fields)
            stamps.update(merge.stamps)
        results.append(values)
    return results


BASE = {"id": "t1", "status": "resolved", "priority": "medium", "assigned_staff_id": "s0"}


def test_a_reopen_after_a_close_elsewhere_wins() -> None:
    close = ({"id": "t1", "status": "closed"}, at(5, "DXB1"))
    reopen = ({"id": "t1", "status": "open"}, at(9, "AUH1"))
    assert all(r["status"] == "open" for r in merged(BASE, close, reopen))


def test_a_close_after_a_reopen_elsewhere_wins() -> None:
    reopen = ({"id": "t1", "status": "open"}, at(5, "AUH1"))
    close = ({"id": "t1", "status": "closed"}, at(9, "DXB1"))
    assert all(r["status"] == "closed" for r in merged(BASE, reopen, close))


def test_closed_twice_from_two_branches_is_closed_once() -> None:
    a = ({"id": "t1", "status": "closed"}, at(5, "DXB1"))
    b = ({"id": "t1", "status": "closed"}, at(5, "AUH1"))  # the same wall time: the branch id breaks the tie
    assert merged(BASE, a, b) == [{**BASE, "status": "closed"}] * 2


def test_assignee_and_priority_are_the_later_writes_field_by_field() -> None:
    dubai = ({"id": "t1", "priority": "urgent", "assigned_staff_id": "s1"}, at(3, "DXB1"))
    abu_dhabi = ({"id": "t1", "priority": "low"}, at(7, "AUH1"))  # a deliberate downgrade, made later
    for row in merged(BASE, dubai, abu_dhabi):
        assert row["priority"] == "low"
        assert row["assigned_staff_id"] == "s1"  # untouched by the later change: Dubai's assignment stands
