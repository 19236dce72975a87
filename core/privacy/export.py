"""Everything held about one customer, for the customer: a manager's export, audited, streamed section by section.

The export reads every table that holds something about the customer (storage's ``CustomerRecords``) in one
read transaction, so the JSON and the PDF written from it agree with each other and with one moment of the
store, and hands each record to the writers as it is read: a customer with 100,000 events costs the memory of
one page of rows, not of their history (benchmarks/bench_export.py measures both).

The audit row is written, and committed, before the first record is read: an export that crashes or is
cancelled half way has still been recorded. It is a ``security_events`` row of kind ``customer_export``
rather than a customer-history action: security events replicate to head office like the history, but they
are the trail the access audit reads, and an export is a read, not a change to the customer; an erasure that
empties the history keeps it, since it names the customer only by id.

Values are made plain here, once, for both writers: times in ISO-8601 with the Asia/Dubai offset, dates in
ISO-8601, every ``*_fils`` amount kept in fils and given beside it as AED text (``*_aed``).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import IO, Any, Protocol

from core.kernel.clock import local
from core.kernel.errors import DomainError, NotFound
from core.kernel.i18n import QT_TRANSLATE_NOOP
from core.kernel.money import format_aed
from core.kernel.ports import Clock, UnitOfWork, UnitOfWorkFactory
from core.staff.auth import Actor, Permission

# The sections of an export, in the order they are written; the keys of the JSON document. "customer" is the
# profile itself (one object); every other section is a list.
SECTIONS: tuple[str, ...] = (
    "preferences",
    "analytics",
    "history",
    "orders",
    "order_lines",
    "loyalty_accounts",
    "loyalty_transactions",
    "reward_claims",
    "gift_cards",
    "gift_card_transactions",
    "messages",
    "message_events",
    "consent_changes",
    "feedback",
    "survey_invitations",
    "tickets",
    "ticket_responses",
    "vip_visits",
    "follow_ups",
    "restock_interests",
    "shopper_assignments",
    "campaign_messages",
    "offer_redemptions",
    "security_events",
)
FORMATS = ("json", "pdf")
AUDIT_KIND = "customer_export"

Record = dict[str, Any]


class CustomerRecords(Protocol):
    """What storage holds about one customer, read in the unit of work's (read) transaction."""

    def profile(self, customer_id: str) -> Record | None:
        """The customer's own row, every field; None for an unknown id."""
        ...

    def count(self, section: str, customer_id: str) -> int: ...

    def rows(self, section: str, customer_id: str) -> Iterator[Record]:
        """The section's rows, oldest first, fetched a page at a time as they are consumed."""
        ...


class ExportUnitOfWork(UnitOfWork, Protocol):
    customer_records: CustomerRecords

    def security_event(self, kind: str, detail: dict[str, object]) -> None: ...


class ExportSink(Protocol):
    """Where an export goes (the JSON file, the PDF): told each section, then each of its records, in order."""

    def begin(self, customer: Record) -> None: ...

    def section(self, name: str, count: int) -> None: ...

    def record(self, record: Record) -> None: ...

    def finish(self) -> None: ...


class ExportCancelled(DomainError):
    """The person exporting stopped it; what was written so far is incomplete."""


@dataclass(frozen=True)
class SectionStart:
    name: str
    count: int  # the section's records
    total: int  # the records of every section of the export


@dataclass(frozen=True)
class ExportSummary:
    customer_id: str
    counts: dict[str, int]
    audited_at: datetime

    @property
    def records(self) -> int:
        return sum(self.counts.values())


# An item of the stream: the customer's profile first (a dict under "customer"), then for each section its
# start and its records.
ExportItem = SectionStart | Record

Progress = Callable[[int, int], None]  # records done, records in all


class CustomerDataExport:
    """``stream`` yields everything held about one customer; ``export`` hands it to writers. Both refuse staff
    without ``EXPORT_CUSTOMER_DATA`` (managers and administrators) and an unknown customer, and audit the export
    before reading it."""

    def __init__(self, uow: UnitOfWorkFactory[ExportUnitOfWork], clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    def stream(self, actor: Actor, customer_id: str, formats: Sequence[str] = ("json",)) -> Iterator[ExportItem]:
        """Checks and audits now; the records are read as the returned iterator is consumed. Closing the
        iterator early ends the read transaction."""
        actor.require(Permission.EXPORT_CUSTOMER_DATA)
        with self._uow(actor) as uow:
            if uow.customer_records.profile(customer_id) is None:
                raise NotFound(QT_TRANSLATE_NOOP("core", "There is no customer with this id: {id}."), id=customer_id)
            uow.security_event(
                AUDIT_KIND,
                {
                    "customer_id": customer_id,
                    "formats": [f for f in formats if f in FORMATS],
                    "sections": ["customer", *SECTIONS],
                },
            )
            uow.commit()
        return self._read(customer_id)

    def _read(self, customer_id: str) -> Iterator[ExportItem]:
        with self._uow(None) as uow:
            records = uow.customer_records
            profile = records.profile(customer_id)
            if profile is None:  # erased between the audit and the read
                raise NotFound(QT_TRANSLATE_NOOP("core", "There is no customer with this id: {id}."), id=customer_id)
            yield plain_record(profile)
            # Counted first, in the same transaction: the progress bar knows the whole from the start.
            counts = {name: records.count(name, customer_id) for name in SECTIONS}
            total = sum(counts.values())
            for name in SECTIONS:
                yield SectionStart(name, counts[name], total)
                for row in records.rows(name, customer_id):
                    yield plain_record(row)

    def export(
        self,
        actor: Actor,
        customer_id: str,
        sinks: Sequence[ExportSink],
        formats: Sequence[str] = FORMATS,
        progress: Progress | None = None,
        cancelled: Callable[[], bool] | None = None,
        every: int = 250,
    ) -> ExportSummary:
        """Writes the customer's data to every sink in one pass over the store. ``progress`` hears of every
        ``every`` records; ``cancelled`` is asked as often, and a yes raises ``ExportCancelled`` (the sinks
        are left unfinished: the caller removes their files)."""
        audited_at = self._clock.now()
        items = self.stream(actor, customer_id, formats)
        counts: dict[str, int] = {}
        try:
            first = next(items)
            assert isinstance(first, dict)
            for sink in sinks:
                sink.begin(first)
            done, total = 0, 0
            for item in items:
                if isinstance(item, SectionStart):
                    if cancelled is not None and cancelled():
                        raise ExportCancelled(QT_TRANSLATE_NOOP("core", "The export was cancelled."))
                    counts[item.name] = item.count
                    total = item.total
                    for sink in sinks:
                        sink.section(item.name, item.count)
                    continue
                for sink in sinks:
                    sink.record(item)
                done += 1
                if done % every == 0:
                    if cancelled is not None and cancelled():
                        raise ExportCancelled(QT_TRANSLATE_NOOP("core", "The export was cancelled."))
                    if progress is not None:
                        progress(done, total)
            for sink in sinks:
                sink.finish()
            if progress is not None:
                progress(done, done)
        finally:
            close = getattr(items, "close", None)
            if close is not None:
                close()
        return ExportSummary(customer_id, counts, audited_at)


def plain(value: Any) -> Any:
    """A stored value as the export shows it: times with the Dubai offset, dates ISO, the rest as JSON has it."""
    if isinstance(value, datetime):
        return local(value).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    return value


def plain_record(row: Record) -> Record:
    out: Record = {}
    for key, value in row.items():
        out[key] = plain(value)
        if key.endswith("_fils") and isinstance(value, int) and not isinstance(value, bool):
            out[key[: -len("_fils")] + "_aed"] = format_aed(value)
    return out


class JsonExportWriter:
    """The export as one JSON document, written as it comes: ``{"customer": {...}, "orders": [...], ...}``.
    Each record is one line of the file, so a reader can also take it line by line."""

    def __init__(self, out: IO[str], exported_at: datetime, exported_by: str) -> None:
        self._out = out
        self._exported_at = exported_at
        self._exported_by = exported_by
        self._first_in_section = True
        self._in_section = False

    def begin(self, customer: Record) -> None:
        head = {"format": "perfume-oud-customer-export/1", "exported_at": plain(self._exported_at)}
        head["exported_by"] = self._exported_by
        self._out.write("{\n" + _dumps("export") + ": " + _dumps(head) + ",\n")
        self._out.write(_dumps("customer") + ": " + _dumps(customer))

    def section(self, name: str, count: int) -> None:
        self._close_section()
        self._out.write(",\n" + _dumps(name) + ": [")
        self._in_section = True
        self._first_in_section = True

    def record(self, record: Record) -> None:
        self._out.write(("\n  " if self._first_in_section else ",\n  ") + _dumps(record))
        self._first_in_section = False

    def finish(self) -> None:
        self._close_section()
        self._out.write("\n}\n")
        self._out.flush()

    def _close_section(self) -> None:
        if self._in_section:
            self._out.write("]" if self._first_in_section else "\n]")
            self._in_section = False


def _dumps(value: Any) -> str:
    # Arabic as written, not as \u escapes: the file is for a person as much as for a program.
    return json.dumps(value, ensure_ascii=False, default=str)
