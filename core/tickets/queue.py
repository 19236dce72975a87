"""The ticket queue as staff filter it: every ticket of the store loaded once, filtered in memory per keystroke.

A queue of 50,000 tickets must filter as the user types in under 50 ms. A LIKE over the subject, the number and
the customer's names and mobile scans the whole table at every key (the store has no index that helps a
substring anywhere in a text), so the page reads the queue once off the main thread (``TicketService.queue``)
and builds a ``QueueIndex``: each ticket's searchable text folded once (Arabic folded, digits in ASCII, case
folded), so a keystroke is one pass of ``in`` over prepared strings. benchmarks/bench_tickets.py measures it
against SQLite doing the same filtering.

The SLA state of a ticket is read against a moment and a "due soon" bound (``SlaBounds``): overdue once its
deadline has passed, due soon when it falls within the next ``SOON_HOURS`` working hours, paused while it waits
for the customer (the SLA clock stands still then: its deadline moves on when it leaves that status), done when
resolved or closed. The page shows it in colour and in words, never in colour alone.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum

from core.kernel.text import search_fold
from core.tickets.model import DONE, Status

WAITING = Status.WAITING_FOR_CUSTOMER.value

SOON_HOURS = 2.0  # working hours: a deadline closer than this is "due soon"
UNASSIGNED = ""  # QueueQuery.assignee: nobody has the ticket


class SlaState(StrEnum):
    ON_TIME = "on_time"
    SOON = "soon"
    OVERDUE = "overdue"
    PAUSED = "paused"  # waiting for the customer: no deadline runs until they answer
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
    if status == WAITING:
        return SlaState.PAUSED
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
    """Working tickets first, the nearest deadline first; then those waiting for the customer (their SLA clock
    stands still), likewise; then resolved and closed ones, newest first."""
    entries = list(entries)

    def by_deadline(e: QueueEntry) -> tuple[bool, datetime, str]:
        return (e.due_at is None, e.due_at or e.opened_at, e.number)

    working = sorted((e for e in entries if e.status not in DONE and e.status != WAITING), key=by_deadline)
    waiting = sorted((e for e in entries if e.status == WAITING), key=by_deadline)
    done = sorted((e for e in entries if e.status in DONE), key=lambda e: (e.opened_at, e.number), reverse=True)
    return working + waiting + done


def _digits_only(text: str) -> str:
    return "".join(ch for ch in text if ch.isdigit())


def _unfolded(entry: QueueEntry) -> str:
    parts = [entry.number, entry.subject, entry.customer_name_en, entry.customer_name_ar]
    if entry.mobile:
        digits = _digits_only(entry.mobile)
        parts.append(digits)
        if digits.startswith("971"):
            parts.append("0" + digits[3:])
    return "\n".join(parts)


def haystack(entry: QueueEntry) -> str:
    """What the text filter looks in: number, subject, the customer's names and mobile (as stored, and as typed
    locally: 050…), folded as a search is."""
    return search_fold(_unfolded(entry))


_SEPARATOR = "\x1f"  # no fold touches it, and no stored text holds it (clean_text drops control characters)


def haystacks(entries: Sequence[QueueEntry]) -> list[str]:
    """``haystack`` of every entry, folded in one pass over one joined text: 50,000 separate folds cost seconds."""
    raw = [_unfolded(e) for e in entries]
    if any(_SEPARATOR in text for text in raw):
        return [search_fold(text) for text in raw]
    folded = search_fold(_SEPARATOR.join(raw)).split(_SEPARATOR)
    return folded if len(folded) == len(raw) else [search_fold(text) for text in raw]


class QueueIndex:
    """The queue in display order with each ticket's folded text, filtered without touching the store.

    A keystroke costs one ``in`` per ticket the other filters keep: the positions those filters keep are worked
    out once per combination and kept, and one more letter typed only narrows the last answer. The working
    tickets lead the queue, nearest deadline first, so the overdue ones are its first ``overdue_end``
    positions and any answer's overdue count is a bisection."""

    def __init__(self, snapshot: QueueSnapshot, folded: dict[str, str] | None = None) -> None:
        """``folded``: texts already folded, by ticket id (``with_entry`` reuses them)."""
        self.entries: list[QueueEntry] = queue_order(snapshot.entries)
        if folded is None:
            self._hay = haystacks(self.entries)
        else:
            self._hay = [folded.get(e.id) or haystack(e) for e in self.entries]
        self.position_of = {e.id: i for i, e in enumerate(self.entries)}
        self._base: dict[tuple[object, ...], list[int]] = {}
        self._last: tuple[QueueQuery, list[int]] | None = None
        self.set_bounds(snapshot.bounds)

    def set_bounds(self, bounds: SlaBounds) -> None:
        """Time has moved on: the SLA states and the overdue filter read the new moment."""
        self.bounds = bounds
        self._base.clear()
        self._last = None
        now, entries = bounds.now, self.entries
        end = 0
        while end < len(entries) and entries[end].status not in DONE and entries[end].status != WAITING:
            if (due := entries[end].due_at) is None:
                break
            if due > now:
                break
            end += 1
        self.overdue_end = end

    def __len__(self) -> int:
        return len(self.entries)

    def with_entry(self, entry: QueueEntry | None, ticket_id: str) -> QueueIndex:
        """A copy with one ticket as it now is (``entry``; None: gone), only its text folded again: what a
        change made in the ticket's view costs, rather than reading and folding the whole queue."""
        folded = {e.id: h for e, h in zip(self.entries, self._hay, strict=True) if e.id != ticket_id}
        entries = [e for e in self.entries if e.id != ticket_id]
        if entry is not None:
            entries.append(entry)
        return QueueIndex(QueueSnapshot(entries, self.bounds), folded)

    def filter(self, query: QueueQuery) -> list[QueueEntry]:
        return [self.entries[i] for i in self.positions(query)]

    def overdue_count(self, positions: Sequence[int]) -> int:
        """How many of ``positions`` (in queue order, as ``positions`` gives them) are overdue."""
        return bisect_left(positions, self.overdue_end)

    def positions(self, query: QueueQuery) -> list[int]:
        """Positions of the entries ``query`` keeps, in queue order."""
        text = search_fold(query.text.strip())
        digits = _digits_only(text)
        if digits and len(digits) == len(text.replace(" ", "").replace("+", "").replace("-", "")):
            text = digits  # a phone number as typed with spaces, a plus or dashes: its digits
        base = self._kept_by_filters(query)
        if not text:
            found = base
        else:
            narrowed = self._narrowing(query, text)
            hay = self._hay
            found = [i for i in (narrowed if narrowed is not None else base) if text in hay[i]]
        self._last = (replace(query, text=text), found)
        return found

    def _narrowing(self, query: QueueQuery, text: str) -> list[int] | None:
        if self._last is None:
            return None
        last, found = self._last
        same_filters = replace(last, text="") == replace(query, text="")
        return found if same_filters and last.text and last.text in text else None

    def _kept_by_filters(self, query: QueueQuery) -> list[int]:
        key = (query.status, query.priority, query.assignee, query.branch_id, query.overdue)
        kept = self._base.get(key)
        if kept is None:
            keep = self._predicate(query)
            entries = self.entries
            positions = range(self.overdue_end) if query.overdue else range(len(entries))
            kept = [i for i in positions if keep(entries[i])]
            self._base[key] = kept
        return kept

    def _predicate(self, query: QueueQuery) -> Callable[[QueueEntry], bool]:
        status, priority, assignee, branch = query.status, query.priority, query.assignee, query.branch_id
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
            return branch is None or e.branch_id == branch

        return keep
