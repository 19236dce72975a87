"""How replicas merge, as pure rules shared by the branch store and head office (DESIGN.md, offline-first).

- ledger rows: union by id — a row already present is never touched again;
- register rows: last writer wins *per field*, ordered by the hybrid logical clock, branch id breaking ties.

A field's stamp is kept in the row's ``field_hlc`` as text: ``"<hlc>"`` for a write made in this store (its
branch is this store's branch) or ``"<hlc>|<branch id>"`` for a write that came from elsewhere. Comparing
``(wall_ms, counter, branch, node)`` gives every replica the same winner whatever order changes arrive in.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from core.kernel.hlc import Timestamp

# Columns that are the replication machinery's own, never merged as fields.
NOT_FIELDS = frozenset({"id", "field_hlc", "updated_at", "search_doc"})
HEAD_OFFICE = "headoffice"  # the branch id head office's own decisions carry


@dataclass(frozen=True, order=True)
class StampKey:
    wall_ms: int
    counter: int
    branch: str
    node: str


def stamp(hlc: str, branch_id: str) -> str:
    return f"{hlc}|{branch_id}"


def stamp_key(text: str | None, local_branch: str = "") -> StampKey:
    """The order of a stored stamp; a stamp without a branch is this store's own (``local_branch``)."""
    if not text:
        return StampKey(-1, -1, "", "")
    hlc, _, branch = text.partition("|")
    ts = Timestamp.decode(hlc)
    return StampKey(ts.wall_ms, ts.counter, branch or local_branch, ts.node)


def hlc_of(text: str) -> str:
    return text.partition("|")[0]


def merge_fields(
    current: Mapping[str, Any],
    current_stamps: Mapping[str, str],
    incoming: Mapping[str, Any],
    incoming_stamp: str,
    *,
    incoming_stamps: Mapping[str, str] | None = None,
    local_branch: str = "",
) -> tuple[dict[str, Any], dict[str, str]]:
    """The fields of ``incoming`` that win over ``current``, and their stamps.

    Every field of ``incoming`` carries ``incoming_stamp`` unless ``incoming_stamps`` names its own (a
    snapshot row). A field wins only when its stamp is strictly newer: applying the same change twice, or an
    older one late, changes nothing.
    """
    won: dict[str, Any] = {}
    stamps: dict[str, str] = {}
    for name, value in incoming.items():
        if name in NOT_FIELDS:
            continue
        theirs = (incoming_stamps or {}).get(name, incoming_stamp)
        if stamp_key(theirs, local_branch) > stamp_key(current_stamps.get(name), local_branch):
            won[name] = value
            stamps[name] = theirs
    return won, stamps


def newest(stamps: Iterable[str]) -> str | None:
    """The newest HLC (without branch) among stored stamps, for the local clock to observe. Encoded stamps
    are fixed-width and sort like the stamps themselves, so the text is compared without decoding it."""
    return max((hlc_of(text) for text in stamps if text), default=None)


def is_register(op: str, payload: Mapping[str, Any]) -> bool:
    """Register rows are the ones with per-field stamps: an update, or an insert carrying ``field_hlc``.
    Ledger rows are only ever inserted, and carry none. Every field a change writes takes the change's own
    stamp, so a register insert's ``field_hlc`` is written empty: it is the mark, not the stamps."""
    return op == "update" or "field_hlc" in payload


@dataclass(frozen=True)
class MoneyLedger:
    """A ledger whose events move a balance: head office sums them per subject and finds overspends."""

    kind: str  # gift_card | points (core.offline.allowances.DecreaseKind values)
    subject_field: str
    amount_field: str


MONEY_LEDGERS = {
    "gift_card_transactions": MoneyLedger("gift_card", "card_id", "amount_fils"),
    "loyalty_transactions": MoneyLedger("points", "account_id", "points"),
}
