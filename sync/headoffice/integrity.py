"""What head office believes of a pushed row: nothing it has not checked (DESIGN.md, fault 18).

A till is a machine in a mall; an enrolled branch's credentials can be used to send anything. Before a batch
changes anything, every row in it is checked, and one bad row refuses the whole batch (409 or 422, naming the
change and the problem), the refusal is kept in ``ho_refusals``, and nothing else changes:

- **its shape** (422): the entity is one the branches have; an insert brings every column the branch store
  requires, an update only columns that may change; every value has its column's JSON type (an integer is an
  integer: ``amount_fils: 1.5`` or ``true`` is refused, not rounded), fits the column's length and a 64-bit
  integer, and no column is unknown. The rules are the branch models' own, read off them into
  ``sync/entities.json`` (storage/schema/wire.py), so head office and the branch store cannot disagree;
- **whose it is** (409): the ``branch_id`` inside a row is the pushing branch's, as the change's envelope is
  (checked by sync.headoffice.apply); a row's ``id`` is the change's ``row_id``;
- **ledgers are append-only** (409): a ledger row is inserted once, by the branch that writes it. An update of
  a ledger row, or an insert under a ledger row id head office already holds, is refused;
- **registers have an owner** (409): the branch whose insert created the row (its ``branch_id``). The owner may
  change any field but the row's identity (``id``, ``branch_id``, ``created_at``). Another branch may change
  only the fields listed in ``SHARED``: the ones the branch app edits wherever the customer happens to be.
  An insert of a row another branch owns is refused. An update of a row head office does not hold yet has no
  known owner, so it is held to the shared fields too.

Which fields are shared, and why (anything not listed is the owner's alone):

- customers: the profile, edited at any branch; not the customer number (the card's identity) or the
  tombstone (erasure and duplicate merges are head office's decisions);
- customer_preferences: declared and learned tastes, recorded wherever the customer shops;
- loyalty_accounts: ``tier``, the cached figure a branch settles after a sale (head office decides it again);
- rewards: the catalogue a manager edits at any branch, and the stock a claim anywhere takes one from;
- reward_claims, restock_interests, follow_ups: their status (fulfilled, notified, done...) wherever it happens;
- personal_shoppers: a manager's edits of the profile (languages, specialties, capacity, active);
- personal_shopper_assignments: its end (a customer reassigned at another branch);
- support_tickets: status, priority, category and assignee, worked on at any branch, and what follows from
  them: the SLA deadline (set again with the priority or a reopen) and the escalation of an overdue ticket;
- campaigns: ``status`` and ``last_occurrence``, what head office's campaign node writes as it executes a
  campaign a branch's manager made (and a manager elsewhere in the chain pauses or resumes);
- calendar_overrides: an occasion's announced date is a chain-wide fact keyed by (year, occasion), recorded at
  whichever branch hears it first: every field but the row's identity, last writer wins.

Gift cards, messages, templates and analytics change only at the branch that made them.

Cost: one msgspec decode per row into a typed struct built once per entity (in C, about a microsecond), a
dict look-up for the owner, and one indexed look-up per batch for the ledger row ids.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Annotated, Any

import msgspec
import orjson
from sqlalchemy import insert, select

from core.kernel.replication import CAUSE_KEYED
from sync.headoffice import models as m
from sync.headoffice.store import BadBatch, HeadOfficeError, HeadOfficeStore, iso
from sync.protocol import Change

log = logging.getLogger(__name__)

SCHEMA = Path(__file__).resolve().parents[1] / "entities.json"
IDENTITY = frozenset({"id", "branch_id", "created_at"})  # fixed when the row is made
BOOKKEEPING = frozenset({"field_hlc", "updated_at"})  # written with an insert, never by an update
INT64 = Annotated[int, msgspec.Meta(ge=-(2**63), le=2**63 - 1)]
ID_LENGTH = 36

# Registers head office alone writes in a chain: derived rows it computes from the whole chain's history (each
# customer's analytics, sync.headoffice.analytics). A branch's change of one is checked like any other, then
# acknowledged and dropped (sync.headoffice.apply), not refused: a standalone store joining the chain pushes the
# rows it computed for itself, and a refusal would stop its sync for good. Kept, they would be a second row for
# the customer beside head office's, under another id, at every branch.
WRITTEN_BY_HEAD_OFFICE = frozenset({"customer_analytics"})
# Registers whose rows are facts about the chain, not one branch's: any branch may write every field.
CHAIN_WIDE = frozenset({"calendar_overrides"})
# The fields a branch may change in a register row another branch owns (see the module's docstring).
_CUSTOMER_FIXED = IDENTITY | BOOKKEEPING | {"number", "deleted"}
SHARED: dict[str, frozenset[str]] = {
    "customer_preferences": frozenset(
        {
            "families",
            "brands",
            "sizes_ml",
            "favourite_notes",
            "occasions",
            "dislikes",
            "intensity",
            "budget_min_fils",
            "budget_max_fils",
        }
    ),
    "loyalty_accounts": frozenset({"tier"}),
    "rewards": frozenset(
        {
            "name_en",
            "name_ar",
            "kind",
            "points_cost",
            "stock",
            "per_customer_limit",
            "tiers",
            "segments",
            "valid_from",
            "valid_until",
            "image",
            "active",
        }
    ),
    "reward_claims": frozenset({"status"}),
    "restock_interests": frozenset({"status"}),
    "follow_ups": frozenset({"status"}),
    "personal_shoppers": frozenset({"languages", "specialties", "experience_years", "capacity", "active"}),
    "personal_shopper_assignments": frozenset({"ended_at"}),
    "support_tickets": frozenset(
        {
            "status",
            "priority",
            "category",
            "assigned_staff_id",
            "due_at",
            "escalated_to",
            "escalated_at",
            "waiting_since",
            "survey_sent_at",
        }
    ),
    "campaigns": frozenset({"status", "last_occurrence"}),
}


class MalformedRow(BadBatch):
    """A pushed row that does not fit its entity (422)."""


class NotYours(HeadOfficeError):
    """A pushed row that writes what the pushing branch does not own, or rewrites a ledger row (409)."""

    status = 409


_TYPES: dict[str, Any] = {
    "bool": bool,
    "int": INT64,
    "float": float,
    "date": date,
    "datetime": datetime,
    "object": dict[str, Any],
    "array": list[Any],
    "any": Any,
}


def _wire_type(spec: Mapping[str, Any]) -> Any:
    if spec["type"] == "str":
        length = spec["max_length"]
        kind: Any = Annotated[str, msgspec.Meta(max_length=length)] if length else str
    else:
        kind = _TYPES[spec["type"]]
    # A column with a default takes null: the branch store fills the default in (storage.replica), as here.
    return kind if spec["required"] else kind | None


@dataclass(frozen=True)
class EntityRules:
    name: str
    ledger: bool
    insert: msgspec.json.Decoder[Any]
    update: msgspec.json.Decoder[Any] | None  # None for a ledger: never updated
    shared: frozenset[str]


def _rules(name: str, entity: Mapping[str, Any]) -> EntityRules:
    columns: Mapping[str, Mapping[str, Any]] = entity["columns"]
    ledger = entity["class"] == "ledger"
    fields: list[Any] = []
    for column, spec in columns.items():
        if column == "field_hlc":
            fields.append((column, dict[str, str], msgspec.UNSET))
        elif spec["required"]:
            fields.append((column, _wire_type(spec)))
        else:
            fields.append((column, _wire_type(spec), msgspec.UNSET))
    fields.sort(key=lambda f: len(f) == 3)  # required fields first, as a struct wants them
    insert_type = msgspec.defstruct(f"{name}_insert", fields, forbid_unknown_fields=True)
    update = None
    if not ledger:
        changeable = [
            (column, _wire_type({**spec, "required": False}), msgspec.UNSET)
            for column, spec in columns.items()
            if column not in IDENTITY | BOOKKEEPING
        ]
        identity = ("id", Annotated[str, msgspec.Meta(max_length=ID_LENGTH)])
        update_type = msgspec.defstruct(f"{name}_update", [identity, *changeable], forbid_unknown_fields=True)
        update = msgspec.json.Decoder(update_type)
    shared = SHARED.get(name, frozenset())
    if name == "customers":
        shared = frozenset(columns) - _CUSTOMER_FIXED
    if name in CHAIN_WIDE:
        shared = frozenset(columns) - IDENTITY - BOOKKEEPING
    return EntityRules(name, ledger, msgspec.json.Decoder(insert_type), update, shared)


def load_rules(path: Path = SCHEMA) -> dict[str, EntityRules]:
    document = orjson.loads(path.read_bytes())
    return {name: _rules(name, entity) for name, entity in document.items()}


ENTITIES = load_rules()


def _short(text: str, limit: int = 60) -> str:
    """A value from the branch, cut to a size fit to quote back in a refusal."""
    return text if len(text) <= limit else text[:limit] + "…"


def _where(i: int, change: Change) -> str:
    return f"change {i} (branch_seq {change.branch_seq}, {_short(change.entity)} {_short(change.row_id)})"


def check_rows(branch_id: str, changes: list[Change]) -> list[dict[str, Any]]:
    """Every change's payload checked against its entity and its writer; the payloads, decoded. Raises
    MalformedRow or NotYours for the first change that fails: the batch is then refused whole."""
    payloads: list[dict[str, Any]] = []
    for i, change in enumerate(changes):
        rules = ENTITIES.get(change.entity)
        if rules is None:
            raise MalformedRow(f"{_where(i, change)}: unknown entity")
        if len(change.event_id) > ID_LENGTH or len(change.staff_id or "") > ID_LENGTH:
            raise MalformedRow(f"{_where(i, change)}: event_id and staff_id are at most {ID_LENGTH} characters")
        if change.op == "update":
            if rules.update is None:
                raise NotYours(f"{_where(i, change)}: a ledger row is never updated, only inserted once")
            decoder = rules.update
        else:
            decoder = rules.insert
        raw = bytes(change.payload)
        try:
            decoder.decode(raw)
        except msgspec.ValidationError as exc:
            raise MalformedRow(f"{_where(i, change)}: {exc}") from exc
        payload: dict[str, Any] = orjson.loads(raw)
        if payload["id"] != change.row_id:
            raise MalformedRow(f"{_where(i, change)}: the row's id is not the change's row_id")
        writer = payload.get("branch_id")
        if writer is not None and writer != branch_id:
            raise NotYours(f"{_where(i, change)}: the row's branch_id is another branch's; a branch writes as itself")
        payloads.append(payload)
    return payloads


Query = Callable[[str, tuple[Any, ...], list[str]], list[Any]]


# CAUSE_KEYED (core.kernel.replication): every other ledger row id is one branch's own, written once.


def check_ledger_inserts(records: list[dict[str, Any]], payloads: list[dict[str, Any]], query: Query) -> None:
    """A ledger row id is written once in the whole chain: refuses an insert under an id head office holds
    already, or twice in one batch, unless it is an effect keyed by its cause (``CAUSE_KEYED``). ``payloads``
    are the records' rows, in the same order. ``query`` runs ``sql`` with ``IN ({marks})`` over ids, in chunks."""
    by_entity: dict[str, list[str]] = {}
    for record, payload in zip(records, payloads, strict=True):
        entity = record["entity"]
        if ENTITIES[entity].ledger and (entity, payload.get("kind")) not in CAUSE_KEYED:
            by_entity.setdefault(entity, []).append(record["row_id"])
    sql = f"SELECT row_id FROM {m.changes.name} WHERE entity = ? AND op = 'insert' AND row_id IN ({{marks}})"
    for entity, ids in by_entity.items():
        if len(set(ids)) != len(ids):
            raise NotYours(f"{entity}: one ledger row is inserted twice in this batch")
        held = query(sql, (entity,), ids)
        if held:
            raise NotYours(f"{entity} {_short(held[0][0])}: head office already holds this ledger row")


# What each replica writes for itself on an insert: who and when, and the merge's own columns.
_BOOKKEEPING = frozenset({"id", "branch_id", "created_at", "updated_at", "field_hlc", "search_doc"})


def check_register_write(record: Mapping[str, Any], payload: Mapping[str, Any], row: Mapping[str, Any] | None) -> None:
    """A register change against the row head office holds (None: none yet): its owner may write any field,
    another branch only the entity's shared ones."""
    owner = row["data"].get("branch_id") if row is not None else None
    origin = record["origin"]
    if owner == origin:
        return
    entity = record["entity"]
    rules = ENTITIES[entity]
    if record["op"] == "insert":
        if owner is None or row is None:
            return  # the insert of a row whose updates came first
        # A row every branch opens under the same id (a loyalty account, keyed by its customer) may be inserted
        # by two branches while apart: the second is the same row if all it holds beyond the shared fields
        # agrees with head office's, and merges like an update. Anything else is another branch's row.
        held = row["data"]
        differs = [
            name
            for name, value in payload.items()
            if name not in rules.shared and name not in _BOOKKEEPING and held.get(name) != value
        ]
        if differs:
            raise NotYours(
                f"{entity} {_short(record['row_id'])}: the row exists and is another branch's "
                f"({', '.join(sorted(differs))} differ)"
            )
        return
    kept = [name for name in payload if name != "id" and name not in rules.shared]
    if kept:
        whose = "another branch's" if owner is not None else "not held by head office yet"
        raise NotYours(
            f"{entity} {_short(record['row_id'])}: the row is {whose}; a branch may change only "
            f"{', '.join(sorted(rules.shared)) or 'nothing'} of it, not {', '.join(sorted(kept))}"
        )


# -- the audit of refusals -------------------------------------------------------------------------------------
def audit_refusal(store: HeadOfficeStore, branch_id: str, error: HeadOfficeError) -> None:
    """Keeps a refused push, in its own transaction: the batch's was rolled back."""
    log.warning("push from branch %s refused (%s): %s", branch_id, error.status, error)
    with store.writing() as (conn, _head):
        conn.execute(
            insert(m.refusals).values(
                branch_id=branch_id, status=error.status, detail=str(error)[:2000], refused_at=iso(store.now())
            )
        )


def refusals(store: HeadOfficeStore, branch_id: str | None = None) -> list[dict[str, Any]]:
    """The refused pushes kept, oldest first (of one branch, or of all)."""
    r = m.refusals.c
    query = select(m.refusals).order_by(r.id)
    if branch_id is not None:
        query = query.where(r.branch_id == branch_id)
    with store.reader.connect() as conn:
        return [dict(row._mapping) for row in conn.execute(query)]
