"""How replicas merge, as pure rules shared by the branch store and head office (DESIGN.md, offline-first).

- ledger rows: union by id — a row already present is never touched again;
- register rows: last writer wins *per field*, ordered by the hybrid logical clock, branch id breaking ties;
  an update that arrives before its row is kept until the row comes (``merge_register``).

A field's stamp is kept in the row's ``field_hlc`` as text: ``"<hlc>"`` for a write made in this store (its
branch is this store's branch) or ``"<hlc>|<branch id>"`` for a write that came from elsewhere. Comparing
``(wall_ms, counter, branch, node)`` gives every replica the same winner whatever order changes arrive in.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from typing import Any, NamedTuple

from core.kernel.hlc import Timestamp

# Columns that are the replication machinery's own, never merged as fields.
NOT_FIELDS = frozenset({"id", "field_hlc", "updated_at", "search_doc"})
HEAD_OFFICE = "headoffice"  # the branch id head office's own decisions carry
# The branch id of head office's campaign node (sync.headoffice.node): a branch store head office runs to execute
# the chain's campaigns, enrolled like a till under this reserved id, so the rows it writes (executions, the
# campaign messages) are its own and checked like any branch's. A till in a chain never executes; this one does.
CAMPAIGN_NODE = "0c4e6a1d-5a5e-5c1b-8e0d-4f6f66696365"


def is_shop(branch_id: str) -> bool:
    """Whether ``branch_id`` is a shop: every branch row but head office's campaign node's (code "HO"), which
    replicates like a branch's so that sync knows whose rows the node wrote, but is never one a person picks,
    reads among the branches, or is told to visit."""
    return branch_id != CAMPAIGN_NODE


# Records only head office writes: a till takes them from head office's own changes (or its snapshot), and head
# office refuses them in a branch's push, so a till cannot create or move another branch's staff.
DECIDED_BY_HEAD_OFFICE = ("branches", "staff")


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


class Merge(NamedTuple):
    """What one change does to one register row: the fields it wins, their stamps, and the row's state after it."""

    outcome: str  # MERGED | UNCHANGED | CREATED | ORPHAN
    fields: dict[str, Any]
    stamps: dict[str, str]


MERGED = "merged"  # a row in place took some fields
UNCHANGED = "unchanged"  # a row in place already held something newer for every field
CREATED = "created"  # the row now has every column it needs and can be put in place
ORPHAN = "orphan"  # the row is still missing columns it needs: keep what it has, put nothing in place


def merge_register(
    current: Mapping[str, Any],
    current_stamps: Mapping[str, str],
    incoming: Mapping[str, Any],
    incoming_stamp: str,
    *,
    incoming_stamps: Mapping[str, str] | None = None,
    required: AbstractSet[str] | None = None,
    local_branch: str = "",
) -> Merge:
    """Merges a register change (or a snapshot row) into a row; the one rule of the branch store and head office.

    A field wins only when its stamp is strictly newer than the one it would replace, so applying a change
    twice, or an older one late, changes nothing, and every replica ends with the same winner whatever order
    the changes came in. Every field of ``incoming`` carries ``incoming_stamp`` unless ``incoming_stamps``
    names its own (a snapshot row). Bookkeeping columns (NOT_FIELDS) are never merged: a row takes them only
    while it has none.

    ``required`` is ``None`` for a row in place. For a row that is not in place it names the columns a row
    needs, and ``current`` is what is kept of the row so far (empty when nothing is). A change whose row is
    missing is an **orphan**: an update that overtook its row's insert (a head office restored from a backup,
    a snapshot taken between the two). Its fields are kept with their stamps, as a partial row, and merged
    like any other change; when the insert arrives it merges into them. So an orphan is neither dropped nor
    overwritten by the older insert behind it, and the row ends as if the insert had come first. A store
    that keeps rows as documents (head office) passes no required columns: the partial row is its row.
    """
    if not current and not current_stamps:
        # Nothing to beat: a new row, the bulk of a backlog, taken whole without a comparison.
        fields = dict(incoming)
        fields.pop("field_hlc", None)
        if incoming_stamps:
            stamps = {name: incoming_stamps.get(name, incoming_stamp) for name in fields if name not in NOT_FIELDS}
        else:
            stamps = {name: incoming_stamp for name in fields if name not in NOT_FIELDS}
        if required is None:
            return Merge(MERGED if stamps else UNCHANGED, fields, stamps)
        return Merge(CREATED if required <= fields.keys() else ORPHAN, fields, stamps)
    fields = {}
    stamps = {}
    change_key: StampKey | None = None  # decoded once a change, and only when a field has a stamp to beat
    for name, value in incoming.items():
        if name in NOT_FIELDS:
            if name != "field_hlc" and name not in current:
                fields[name] = value
            continue
        ours = current_stamps.get(name)
        if incoming_stamps:
            theirs = incoming_stamps.get(name, incoming_stamp)
            if ours and stamp_key(theirs, local_branch) <= stamp_key(ours, local_branch):
                continue
        else:
            theirs = incoming_stamp
            if ours:
                if change_key is None:
                    change_key = stamp_key(theirs, local_branch)
                if change_key <= stamp_key(ours, local_branch):
                    continue
        fields[name] = value
        stamps[name] = theirs
    if required is None:
        return Merge(MERGED if stamps else UNCHANGED, fields, stamps)
    complete = all(name in fields or name in current for name in required)
    return Merge(CREATED if complete else ORPHAN, fields, stamps)


def newest(stamps: Iterable[str]) -> str | None:
    """The newest HLC (without branch) among stored stamps, for the local clock to observe. Encoded stamps
    are fixed-width and sort like the stamps themselves, so the text is compared without decoding it."""
    return max((hlc_of(text) for text in stamps if text), default=None)


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

# Effects that must happen once per cause carry an id derived from the cause (DESIGN.md): two branches that
# acted on the same cause while apart write the same row id, each with its own who and when. Head office keeps
# the first insert it receives as the row (it alone moves the balance) and serves only that one, and a replica
# that pulls it takes it in place of its own version, so every replica ends with the same row.
CAUSE_KEYED = frozenset({("loyalty_transactions", "bonus"), ("gift_card_transactions", "expire")})
