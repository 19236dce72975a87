"""The ticket queue's in-memory filter: what each filter keeps, the queue's order, SLA states at a given moment,
and that narrowing the last answer as the user types gives exactly what a fresh search gives."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import UTC, datetime, timedelta

from core.tickets.queue import (
    UNASSIGNED,
    WORKING_STATUSES,
    QueueEntry,
    QueueIndex,
    QueueQuery,
    QueueSnapshot,
    SlaBounds,
    SlaState,
    haystack,
    haystacks,
)

NOW = datetime(2026, 12, 4, 12, 30, tzinfo=UTC)
BOUNDS = SlaBounds(NOW, NOW + timedelta(hours=2))


def entry(n: int, **changes: object) -> QueueEntry:
    base = QueueEntry(
        id=f"t{n}",
        number=f"DXB1-T{n:06d}-AB12",
        branch_id="b1",
        branch_code="DXB1",
        customer_id=f"c{n}",
        customer_name_en="Noor Haddad",
        customer_name_ar="نور حداد",
        mobile="+971504445566",
        subject="Bottle leaks",
        category="product",
        priority="medium",
        status="open",
        assignee_id=None,
        assignee_name_en="",
        assignee_name_ar="",
        source="till",
        order_id=None,
        feedback_id=None,
        opened_at=NOW - timedelta(days=1, minutes=n),
        due_at=NOW + timedelta(hours=5 + n),
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def index(*entries: QueueEntry) -> QueueIndex:
    return QueueIndex(QueueSnapshot(list(entries), BOUNDS))


def ids(found: list[QueueEntry]) -> list[str]:
    return [e.id for e in found]


def test_working_tickets_come_first_by_deadline_then_done_ones_newest_first() -> None:
    q = index(
        entry(1, due_at=NOW + timedelta(hours=9)),
        entry(2, status="closed", opened_at=NOW - timedelta(days=3)),
        entry(3, due_at=NOW - timedelta(hours=1)),
        entry(4, status="resolved", opened_at=NOW - timedelta(days=1)),
    )
    assert ids(q.entries) == ["t3", "t1", "t4", "t2"]


def test_sla_states_at_a_moment() -> None:
    assert BOUNDS.state(entry(1, due_at=NOW - timedelta(minutes=1))) is SlaState.OVERDUE
    assert BOUNDS.state(entry(1, due_at=NOW)) is SlaState.OVERDUE
    assert BOUNDS.state(entry(1, due_at=NOW + timedelta(hours=1))) is SlaState.SOON
    assert BOUNDS.state(entry(1, due_at=NOW + timedelta(hours=3))) is SlaState.ON_TIME
    assert BOUNDS.state(entry(1, due_at=NOW - timedelta(hours=3), status="resolved")) is SlaState.DONE


def test_each_filter_keeps_what_it_says() -> None:
    q = index(
        entry(1, priority="urgent", assignee_id="s1"),
        entry(2, status="waiting", branch_id="b2"),
        entry(3, status="closed"),
        entry(4, due_at=NOW - timedelta(hours=2)),
        entry(5, due_at=NOW - timedelta(hours=2), status="resolved"),
    )
    assert ids(q.filter(QueueQuery(status=WORKING_STATUSES))) == ["t4", "t1", "t2"]
    assert ids(q.filter(QueueQuery(status="closed"))) == ["t3"]
    assert ids(q.filter(QueueQuery(priority="urgent"))) == ["t1"]
    assert ids(q.filter(QueueQuery(assignee="s1"))) == ["t1"]
    assert set(ids(q.filter(QueueQuery(assignee=UNASSIGNED)))) == {"t2", "t3", "t4", "t5"}
    assert ids(q.filter(QueueQuery(branch_id="b2"))) == ["t2"]
    assert ids(q.filter(QueueQuery(overdue=True))) == ["t4"], "a resolved ticket is not overdue"


def test_text_matches_number_subject_names_and_the_mobile_as_typed() -> None:
    q = index(entry(1), entry(2, subject="Wrong engraving", mobile="+971551112233", customer_name_ar="فاطمة"))
    assert ids(q.filter(QueueQuery(text="ENGRAV"))) == ["t2"]
    assert ids(q.filter(QueueQuery(text="t000001"))) == ["t1"]
    assert ids(q.filter(QueueQuery(text="055 111"))) == ["t2"]
    assert ids(q.filter(QueueQuery(text="٠٥٥١١١"))) == ["t2"], "Arabic-Indic digits"
    assert ids(q.filter(QueueQuery(text="+971 55 111"))) == ["t2"]
    assert ids(q.filter(QueueQuery(text="فاطمه"))) == ["t2"], "ة and ه fold together"
    assert ids(q.filter(QueueQuery(text="noor"))) == ["t1", "t2"]


def test_narrowing_as_the_user_types_gives_what_a_fresh_search_gives() -> None:
    rng = random.Random(16)
    words = ["bottle", "leak", "engraving", "gift", "wrap", "oud", "points", "refund", "tester"]
    entries = [
        entry(
            n,
            subject=" ".join(rng.sample(words, 2)),
            priority=rng.choice(["low", "medium", "high", "urgent"]),
            status=rng.choice(["open", "in_progress", "waiting", "resolved", "closed"]),
            due_at=NOW + timedelta(hours=rng.randint(-10, 30)),
        )
        for n in range(300)
    ]
    typing = index(*entries)
    for keys in ["gift wr", "oudx", "leak", "e"]:
        for priority in [None, "high"]:
            shown = ""
            for ch in keys:
                shown += ch
                query = QueueQuery(text=shown, priority=priority, status=WORKING_STATUSES)
                assert typing.filter(query) == index(*entries).filter(query), shown
            while shown:  # and back out with backspace
                shown = shown[:-1]
                query = QueueQuery(text=shown, priority=priority, status=WORKING_STATUSES)
                assert typing.filter(query) == index(*entries).filter(query), shown


def test_new_bounds_move_the_overdue_filter() -> None:
    q = index(entry(1, due_at=NOW + timedelta(minutes=30)))
    assert q.filter(QueueQuery(overdue=True)) == []
    q.set_bounds(SlaBounds(NOW + timedelta(hours=1), NOW + timedelta(hours=3)))
    assert ids(q.filter(QueueQuery(overdue=True))) == ["t1"]


def test_the_overdue_count_of_any_answer_is_a_bisection() -> None:
    q = index(
        entry(1, due_at=NOW - timedelta(hours=3), subject="leak"),
        entry(2, due_at=NOW - timedelta(hours=1), subject="engraving"),
        entry(3, due_at=NOW + timedelta(hours=1), subject="leak"),
        entry(4, status="closed", due_at=NOW - timedelta(days=3), subject="leak"),
    )
    assert q.overdue_count(q.positions(QueueQuery())) == 2
    assert q.overdue_count(q.positions(QueueQuery(text="leak"))) == 1
    assert q.overdue_count(q.positions(QueueQuery(text="engraving"))) == 1
    assert q.overdue_count(q.positions(QueueQuery(status="closed"))) == 0


def test_the_haystacks_folded_together_are_the_haystacks_folded_one_by_one() -> None:
    entries = [
        entry(1, subject="STRASSE ﻿ß İstanbul", customer_name_ar="فاطمة الكتبي"),
        entry(2, subject="زجاجة مكسورة ٠٥٠", mobile=None, customer_name_en=""),
        entry(3, subject="Ünicode ﬁ ligature"),
    ]
    assert haystacks(entries) == [haystack(e) for e in entries]


def test_one_ticket_changed_takes_its_new_place_and_text() -> None:
    q = index(entry(1), entry(2), entry(3))
    moved = replace(q.entries[0], status="closed", subject="Wrong engraving")
    after = q.with_entry(moved, moved.id)
    assert ids(after.entries) == ["t2", "t3", "t1"], "closed: after the working ones"
    assert ids(after.filter(QueueQuery(text="engraving"))) == ["t1"]
    assert after.filter(QueueQuery(text="leaks", status=WORKING_STATUSES)) == after.filter(
        QueueQuery(status=WORKING_STATUSES)
    )
    assert ids(q.with_entry(None, "t2").entries) == ["t1", "t3"]


def test_a_ticket_waiting_for_the_customer_is_paused_not_overdue_and_follows_the_running_ones() -> None:
    running = entry(1, due_at=NOW + timedelta(hours=30))
    late = entry(2, due_at=NOW - timedelta(hours=1))
    waiting = entry(3, status="waiting", due_at=NOW - timedelta(hours=3))  # its clock stands still
    closed = entry(4, status="closed", due_at=NOW - timedelta(hours=9))
    q = index(closed, waiting, running, late)
    assert ids(q.entries) == ["t2", "t1", "t3", "t4"]
    assert [BOUNDS.state(e) for e in q.entries] == [
        SlaState.OVERDUE,
        SlaState.ON_TIME,
        SlaState.PAUSED,
        SlaState.DONE,
    ]
    assert ids(q.filter(QueueQuery(overdue=True))) == ["t2"]
    assert q.overdue_count(q.positions(QueueQuery())) == 1
