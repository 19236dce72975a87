"""The ticket queue as staff filter it: every ticket of the store loaded once, filtered in memory per keystroke.

A queue of 50,000 tickets must filter as the user types in under 50 ms. A LIKE over the subject, the number and
the customer's names and mobile scans the whole table at every key (the store has no index that helps a
substring anywhere in a text), so the page reads the queue once off the main thread (``TicketService.queue``)
and builds a ``QueueIndex``: each ticket's searchable text folded once (Arabic folded, digits in ASCII, case
folded), so a keystroke is one pass of ``in`` over prepared strings. benchmarks/bench_tickets.py measures it
against SQLite doing the same filtering.

The SLA state of a ticket is read against a moment and a "due soon" bound (``SlaBounds``): overdue once its
deadline has passed, due soon when it falls within the next ``SOON_HOURS`` working hours, done when resolved or
closed. The page shows it in colour and in words, never in colour alone.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from core.kernel.text import search_fold
from core.tickets.model import DONE

SOON_HOURS = 2.0  # working hours: a deadline closer than this is "due soon"
UNASSIGNED = ""  # QueueQuery.assignee: nobody has the ticket


class SlaState(StrEnum):
    ON_TIME = "on_time"
    SOON = "soon"
    OVERDUE = "overdue"
    DONE = "done"  # resolved or closed: no deadline runs


@dataclass(frozen=True, slots=True)
class QueueEntry:
    """One row of the queue: the ticket and the names the queue shows beside it, read in one query."""

    id: str
    number: str
    branch_id: str
    branch_code: str
    customer_id: str
    customer_name_en: str
    customer_name_ar: str
    mobile: str | None
    subject: str
    category: str
    priority: str
    status: str
    assignee_id: str | None
    assignee_name_en: str
    assignee_name_ar: str
    source: str
    order_id: str | None
    feedback_id: str | None
    opened_at: datetime
    due_at: datetime | None


@dataclass(frozen=True)
class SlaBounds:
    """``now``, and the moment ``SOON_HOURS`` of the branch's working time after it."""

    now: datetime
    soon_until: datetime

    def state(self, entry: QueueEntry) -> SlaState:
        return sla_state(entry.status, entry.due_at, self)


def sla_state(status: str, due_at: datetime | None, bounds: SlaBounds) -> SlaState:
    if status in DONE:
        return SlaState.DONE
    if due_at is None:
        return SlaState.ON_TIME
    if due_at <= bounds.now:
        return SlaState.OVERDUE
    if due_at <= bounds.soon_until:
        return SlaState.SOON
    return SlaState.ON_TIME


@dataclass(frozen=True)
class QueueSnapshot:
    entries: list[QueueEntry]
    bounds: SlaBounds


WORKING_STATUSES = "working"  # QueueQuery.status: open, in progress or waiting for the customer


@dataclass(frozen=True)
class QueueQuery:
    """What the page's filters say. ``status`` a Status value or WORKING_STATUSES; ``assignee`` a staff id or
    UNASSIGNED; None is no filter. ``overdue`` keeps the working tickets past their deadline at ``bounds``."""

    text: str = ""
    status: str | None = None
    priority: str | None = None
    assignee: str | None = None
    branch_id: str | None = None
    overdue: bool = False


def queue_order(entries: Iterable[QueueEntry]) -> list[QueueEntry]:
    """Working tickets first, the nearest deadline first; then resolved and closed ones, newest first."""
    working = sorted(
        (e for e in entries if e.status not in DONE),
        key=lambda e: (e.due_at is None, e.due_at or e.opened_at, e.number),
    )
    done = sorted((e for e in entries if e.status in DONE), key=lambda e: (e.opened_at, e.number), reverse=True)
    return working + done


def _digits_only(text: str) -> str:
    return "".join(ch for ch in text if ch.isdigit())


def haystack(entry: QueueEntry) -> str:
    """What the text filter looks in: number, subject, the customer's names and mobile (as stored, and as typed
    locally: 050…), folded as a search is."""
    parts = [entry.number, entry.subject, entry.customer_name_en, entry.customer_name_ar]
    if entry.mobile:
        digits = _digits_only(entry.mobile)
        parts.append(digits)
        if digits.startswith("971"):
            parts.append("0" + digits[3:])
    return search_fold("\n".join(parts))


class QueueIndex:
    """The queue in display order with each ticket's folded text, filtered without touching the store."""

    def __init__(self, snapshot: QueueSnapshot) -> None:
        self.bounds = snapshot.bounds
        self.entries: list[QueueEntry] = queue_order(snapshot.entries)
        self._hay = [haystack(e) for e in self.entries]
        self._last: tuple[QueueQuery, list[int]] | None = None

    def set_bounds(self, bounds: SlaBounds) -> None:
        """Time has moved on: the SLA states and the overdue filter read the new moment."""
        self.bounds = bounds
        self._last = None

    def __len__(self) -> int:
        return len(self.entries)

    def filter(self, query: QueueQuery) -> list[QueueEntry]:
        return [self.entries[i] for i in self.positions(query)]

    def positions(self, query: QueueQuery) -> list[int]:
        """Positions of the entries ``query`` keeps, in queue order. Typing one more letter only narrows the
        last answer, so the search then looks at the rows that still matched rather than all of them."""
        text = search_fold(query.text.strip())
        digits = _digits_only(text)
        if digits and len(digits) == len(text.replace(" ", "").replace("+", "").replace("-", "")):
            text = digits  # a phone number as typed with spaces, a plus or dashes: its digits
        narrowed = self._narrowing(query, text)
        candidates: Sequence[int] = narrowed if narrowed is not None else range(len(self.entries))
        keep = self._predicate(query)
        hay = self._hay
        entries = self.entries
        if text:
            found = [i for i in candidates if text in hay[i] and keep(entries[i])]
        else:
            found = [i for i in candidates if keep(entries[i])]
        self._last = (QueueQuery(**{**query.__dict__, "text": text}), found)
        return found

    def _narrowing(self, query: QueueQuery, text: str) -> list[int] | None:
        if self._last is None:
            return None
        last, found = self._last
        same_filters = {**last.__dict__, "text": ""} == {**query.__dict__, "text": ""}
        return found if same_filters and last.text and last.text in text else None

    def _predicate(self, query: QueueQuery) -> Callable[[QueueEntry], bool]:
        status, priority, assignee, branch = query.status, query.priority, query.assignee, query.branch_id
        now = self.bounds.now
        done = DONE

        def keep(e: QueueEntry) -> bool:
            if status is not None:
                if status == WORKING_STATUSES:
                    if e.status in done:
                        return False
                elif e.status != status:
                    return False
            if priority is not None and e.priority != priority:
                return False
            if assignee is not None and (e.assignee_id or UNASSIGNED) != assignee:
                return False
            if branch is not None and e.branch_id != branch:
                return False
            return not query.overdue or (e.status not in done and e.due_at is not None and e.due_at <= now)

        return keep
