"""What a chain must hold once it is quiet (DESIGN.md fault 15), as checks that return every violation they
find with the offending ids, so a randomized scenario reports all that broke rather than the first.

Two families. **Convergence**: every replica holds the same rows, every ledger event is held once and
byte-identical everywhere, balances are their ledger's sums, no branch_seq is missing, nothing is pending.
**Money sense across branches**, read from head office's union of the ledgers: a card never gets back more
than was taken off it, a receipt never takes back more than it sold, a tier's upgrade bonus is paid at most once,
a card expires once, no authorisation is left holding money. Where a limit cannot be kept by keying the
effect to its cause (a partial refund or return made at two branches apart), head office must have raised an
exception naming the event: the limit may then be exceeded, but not silently.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select

from core.kernel.replication import CAUSE_KEYED
from core.loyalty.rules import TIER_ORDER, ProgramRules, tier_for
from core.offline.allowances import DecreaseKind
from storage.db import Store
from storage.schema import Base, Ledger, Register
from sync.headoffice import models as m
from sync.headoffice.store import HeadOfficeStore
from sync.protocol import ExceptionRecord
from tests.faults.support import Branch, registers

EXAMPLES = 6  # offending ids shown per invariant; the count says how many there are


@dataclass(frozen=True)
class Violation:
    invariant: str
    subject: str
    detail: str = ""


def report(violations: list[Violation]) -> str:
    """One paragraph per broken invariant: how many subjects broke it and the first few, with their figures."""
    by_invariant: dict[str, list[Violation]] = defaultdict(list)
    for v in violations:
        by_invariant[v.invariant].append(v)
    lines = [f"{len(by_invariant)} invariant(s) broken:"]
    for invariant, found in by_invariant.items():
        lines.append(f"- {invariant}: {len(found)}")
        lines.extend(f"    {v.subject} {v.detail}".rstrip() for v in found[:EXAMPLES])
        if len(found) > EXAMPLES:
            lines.append(f"    ... and {len(found) - EXAMPLES} more")
    return "\n".join(lines)


def tables(kind: type) -> list[str]:
    return sorted(
        mapper.class_.__tablename__
        for mapper in Base.registry.mappers
        if issubclass(mapper.class_, kind) and hasattr(mapper.class_, "__tablename__")
    )


def rows_by_id(store: Store, table: str) -> dict[str, tuple[Any, ...]]:
    """Every row of ``table`` as stored (all columns, the raw SQLite values), by id."""
    with store.read_engine.connect() as conn:
        cols = [r[1] for r in conn.exec_driver_sql(f"PRAGMA table_info({table})")]
        at = cols.index("id")
        return {r[at]: tuple(r) for r in conn.exec_driver_sql(f"SELECT {', '.join(cols)} FROM {table}")}


# -- convergence ------------------------------------------------------------------------------------------------


def convergence(ho: HeadOfficeStore, branches: list[Branch]) -> list[Violation]:
    found: list[Violation] = []
    found += _ledgers_agree(ho, branches)
    found += _registers_agree(branches)
    found += _balances_are_sums(ho, branches)
    found += _no_gaps(ho, branches)
    for b in branches:
        for kind in DecreaseKind:
            pending = b.services.offline.pending_total(kind)
            if pending:
                found.append(Violation("offline approval still pending", b.code, f"{kind.value}: {pending}"))
    return found


def _ledgers_agree(ho: HeadOfficeStore, branches: list[Branch]) -> list[Violation]:
    found = []
    for table in tables(Ledger):
        held = {b.code: rows_by_id(b.store, table) for b in branches}
        union = set().union(*held.values())
        for code, rows in held.items():
            for missing in sorted(union - rows.keys()):
                found.append(Violation("ledger event missing at a branch", missing, f"{table} at {code}"))
        first = branches[0].code
        for row_id in sorted(union & held[first].keys()):
            versions = {code: rows[row_id] for code, rows in held.items() if row_id in rows}
            if len(set(versions.values())) > 1:
                differing = sorted(c for c, v in versions.items() if v != versions[first])
                found.append(Violation("ledger event not byte-identical", row_id, f"{table}: {first} vs {differing}"))
        at_ho = set(ho.merged_rows(table))
        for row_id in sorted(union - at_ho):
            found.append(Violation("ledger event missing at head office", row_id, table))
        for row_id in sorted(at_ho - union):
            found.append(Violation("ledger event only at head office", row_id, table))
    c = m.changes.c
    with ho.reader.connect() as conn:
        twice = conn.execute(
            select(c.entity, c.row_id, func.count())
            .where(c.op == "insert", c.entity.in_(tables(Ledger)))
            .group_by(c.entity, c.row_id)
            .having(func.count() > 1)
        ).all()
    # An effect keyed by its cause (core.kernel.replication.CAUSE_KEYED) that several branches wrote while apart
    # is logged once per branch (each branch_seq is that branch's) and held as one row, the first insert: the
    # checks above find a second row or a different version at any replica.
    rows = {table: ho.merged_rows(table) for table in {r[0] for r in twice}}
    found += [
        Violation("ledger event held more than once", r[1], f"{r[0]} x{r[2]}")
        for r in twice
        if (r[0], rows[r[0]].get(r[1], {}).get("kind")) not in CAUSE_KEYED
    ]
    return found


def _registers_agree(branches: list[Branch]) -> list[Violation]:
    found = []
    for table in tables(Register):
        held = {b.code: registers(b.store, table) for b in branches}
        first = branches[0].code
        for row_id in sorted(set().union(*held.values())):
            versions = {code: rows.get(row_id) for code, rows in held.items()}
            if len(set(versions.values())) > 1:
                differing = sorted(c for c, v in versions.items() if v != versions[first])
                found.append(Violation("registers differ", row_id, f"{table}: {first} vs {differing}"))
    return found


def _balances_are_sums(ho: HeadOfficeStore, branches: list[Branch]) -> list[Violation]:
    found = []
    for kind, table, subject_field, amount_field in (
        (DecreaseKind.GIFT_CARD, "gift_card_transactions", "card_id", "amount_fils"),
        (DecreaseKind.POINTS, "loyalty_transactions", "account_id", "points"),
    ):
        sums: Counter[str] = Counter()
        for row in ho.merged_rows(table).values():
            sums[row[subject_field]] += int(row[amount_field])
        at_ho = ho.balances(kind.value)
        for subject in sorted(set(sums) | set(at_ho)):
            seen = {"ledger": sums[subject], "head office": at_ho.get(subject, 0)}
            seen.update({b.code: b.balance(kind, subject) for b in branches})
            if len(set(seen.values())) > 1:
                found.append(Violation("balance is not its ledger's sum", subject, f"{kind.value}: {seen}"))
    return found


def _no_gaps(ho: HeadOfficeStore, branches: list[Branch]) -> list[Violation]:
    found = []
    c = m.changes.c
    for b in branches:
        with b.store.read_engine.connect() as conn:
            local = [r[0] for r in conn.exec_driver_sql("SELECT branch_seq FROM change_log ORDER BY branch_seq")]
        with ho.reader.connect() as conn:
            pushed = [
                r[0]
                for r in conn.execute(select(c.branch_seq).where(c.origin == b.store.branch_id).order_by(c.branch_seq))
            ]
        if local != list(range(1, len(local) + 1)):
            found.append(Violation("branch_seq gap", b.code, f"in its change log: {_gaps(local)}"))
        if pushed != local:
            found.append(
                Violation("branch_seq gap", b.code, f"head office holds {_gaps(pushed)}, the branch {len(local)}")
            )
    return found


def _gaps(seqs: list[int]) -> str:
    missing = sorted(set(range(1, (max(seqs) if seqs else 0) + 1)) - set(seqs))
    return f"1..{max(seqs, default=0)} missing {missing[:10]}" if missing else f"1..{max(seqs, default=0)}"


# -- money sense across branches ----------------------------------------------------------------------------------


def money_sense(ho: HeadOfficeStore, rules: ProgramRules | None = None) -> list[Violation]:
    rules = rules or ProgramRules()
    exceptions = naming_rows(ho, ho.exceptions(limit=100_000))
    found: list[Violation] = []
    found += refunds_within_redemptions(ho.merged_rows("gift_card_transactions").values(), exceptions)
    found += returns_within_sales(ho.merged_rows("orders").values(), ho.merged_rows("order_lines").values(), exceptions)
    found += one_bonus_per_tier(ho.merged_rows("loyalty_transactions").values(), rules)
    # Not checked yet: bonus_paid_for_every_tier_reached. A tier reached only by adding up two branches' points
    # is head office's to pay (DESIGN.md: tiers are decided from the accepted ledger), which it does not do yet.
    found += one_expiry_per_card(ho.merged_rows("gift_card_transactions").values())
    found += no_holds_left(ho)
    found += overspend_within_offline_approvals(ho, exceptions)
    return found


def naming_rows(ho: HeadOfficeStore, exceptions: list[ExceptionRecord]) -> list[ExceptionRecord]:
    """Head office names the event of an exception by the pushed change that carried it (its ``event_id`` in
    ``ho_changes``); a ledger row is known by its own id. Each exception here names the row its change wrote,
    so that it can be matched with the ledger's events (an id that is no change's is kept as it is)."""
    c = m.changes.c
    named = sorted({e.event_id for e in exceptions})
    rows: dict[str, str] = {}
    with ho.reader.connect() as conn:
        for start in range(0, len(named), 500):
            part = named[start : start + 500]
            rows.update({r[0]: r[1] for r in conn.execute(select(c.event_id, c.row_id).where(c.event_id.in_(part)))})
    return [e.model_copy(update={"event_id": rows.get(e.event_id, e.event_id)}) for e in exceptions]


def _flagged(exceptions: Iterable[ExceptionRecord], events: set[str], subjects: set[str]) -> bool:
    """Head office raised an exception for one of these events (or on one of these subjects, by id)."""
    return any(e.event_id in events or e.subject_id in subjects for e in exceptions)


def refunds_within_redemptions(events: Iterable[dict[str, Any]], exceptions: list[ExceptionRecord]) -> list[Violation]:
    """Per card: value put back (refunds) ≤ value taken off (redemptions), or an exception on a refund event."""
    redeemed: Counter[str] = Counter()
    refunded: Counter[str] = Counter()
    refund_ids: dict[str, set[str]] = defaultdict(set)
    for e in events:
        if e["kind"] == "redeem":
            redeemed[e["card_id"]] -= int(e["amount_fils"])
        elif e["kind"] == "refund":
            refunded[e["card_id"]] += int(e["amount_fils"])
            refund_ids[e["card_id"]].add(e["id"])
    found = []
    for card, back in sorted(refunded.items()):
        if back > redeemed[card] and not _flagged(
            (x for x in exceptions if x.subject_id == card), refund_ids[card], set()
        ):
            found.append(
                Violation(
                    "refunds exceed redemptions",
                    card,
                    f"redeemed {redeemed[card]} fils, refunded {back} fils in {len(refund_ids[card])} refunds, "
                    "no exception at head office",
                )
            )
    return found


def returns_within_sales(
    orders: Iterable[dict[str, Any]], lines: Iterable[dict[str, Any]], exceptions: list[ExceptionRecord]
) -> list[Violation]:
    """Per receipt and product line (sku at a price): quantity returned ≤ quantity sold, and the money given
    back ≤ the receipt's total; or an exception on one of its returns."""
    sales = {o["id"]: o for o in orders if o["kind"] == "sale"}
    returns: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for o in orders:
        if o["kind"] == "return":
            returns[o["original_order_id"]].append(o)
    lines_of: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for line in lines:
        lines_of[line["order_id"]].append(line)

    def key(line: dict[str, Any]) -> str:
        return f"{line['sku']}@{line['unit_price_fils']}"

    found = []
    for sale_id, taken_back in sorted(returns.items()):
        sale = sales.get(sale_id)
        if sale is None:
            found.append(Violation("return of an unknown sale", sale_id))
            continue
        sold: Counter[str] = Counter()
        for line in lines_of[sale_id]:
            sold[key(line)] += int(line["quantity"])
        back: Counter[str] = Counter()
        events = {r["id"] for r in taken_back}
        for r in taken_back:
            for line in lines_of[r["id"]]:
                back[key(line)] -= int(line["quantity"])  # a return's lines are negative
                events.add(line["id"])
        refunded = -sum(int(r["total_fils"]) for r in taken_back)
        over = {k: (sold[k], n) for k, n in back.items() if n > sold[k]}
        if (over or refunded > int(sale["total_fils"])) and not _flagged(exceptions, events, {sale_id}):
            detail = ", ".join(f"{k} sold {s} returned {n}" for k, (s, n) in sorted(over.items()))
            found.append(
                Violation(
                    "returns exceed the sale",
                    sale_id,
                    f"{len(taken_back)} returns; {detail or 'quantities within'}; "
                    f"total {sale['total_fils']} fils, given back {refunded} fils, no exception at head office",
                )
            )
    return found


def earned_points(ho: HeadOfficeStore) -> dict[str, int]:
    """Per account, the points that count for its tier, as head office merged them."""
    b = m.balances.c
    with ho.reader.connect() as conn:
        return {r[0]: int(r[1]) for r in conn.execute(select(b.subject_id, b.earned).where(b.kind == "points"))}


def _bonuses(events: Iterable[dict[str, Any]]) -> tuple[Counter[tuple[str, str]], ...]:
    """Per (account, tier): upgrade bonuses paid, taken back, and their net points."""
    paid: Counter[tuple[str, str]] = Counter()
    taken: Counter[tuple[str, str]] = Counter()
    net: Counter[tuple[str, str]] = Counter()
    for e in events:
        if e["kind"] != "bonus" or not str(e.get("reason") or "").startswith("tier:"):
            continue
        k = (e["account_id"], str(e["reason"]).removeprefix("tier:"))
        points = int(e["points"])
        net[k] += points
        if points > 0:
            paid[k] += 1
        else:
            taken[k] += 1
    return paid, taken, net


def one_bonus_per_tier(events: Iterable[dict[str, Any]], rules: ProgramRules) -> list[Violation]:
    """Per account and tier: the upgrade bonus paid at most once more than it was taken back, never more
    than the tier's bonus in all."""
    paid, taken, net = _bonuses(events)
    found = []
    for (account, tier), count in sorted(paid.items()):
        amount = int(rules.upgrade_bonus_points.get(tier, 0))
        if count > taken[(account, tier)] + 1 or net[(account, tier)] > amount:
            found.append(
                Violation(
                    "upgrade bonus paid more than once",
                    account,
                    f"{tier}: paid {count}x, taken back {taken[(account, tier)]}x, net {net[(account, tier)]} "
                    f"points (the bonus is {amount})",
                )
            )
    return found


def bonus_paid_for_every_tier_reached(
    events: Iterable[dict[str, Any]], earned: dict[str, int], rules: ProgramRules
) -> list[Violation]:
    """Per account: the upgrade bonus paid at least once for every tier the merged ledger reached. A branch
    pays the bonus for a tier its own ledger reaches; one reached only by adding up several branches' points
    is head office's decision (DESIGN.md), not made yet, so ``money_sense`` does not check this."""
    paid, _taken, _net = _bonuses(events)
    found = []
    for account, points in sorted(earned.items()):
        reached = tier_for(points, rules)
        for tier in TIER_ORDER[1 : TIER_ORDER.index(reached) + 1]:
            if rules.upgrade_bonus_points.get(tier.value, 0) > 0 and not paid[(account, tier.value)]:
                found.append(
                    Violation("upgrade bonus never paid", account, f"{tier.value}: {points} qualifying points")
                )
    return found


def one_expiry_per_card(events: Iterable[dict[str, Any]]) -> list[Violation]:
    expiries: dict[str, list[int]] = defaultdict(list)
    for e in events:
        if e["kind"] == "expire":
            expiries[e["card_id"]].append(int(e["amount_fils"]))
    return [
        Violation("card expired more than once", card, f"{len(amounts)} expiries: {amounts} fils")
        for card, amounts in sorted(expiries.items())
        if len(amounts) > 1
    ]


def no_holds_left(ho: HeadOfficeStore) -> list[Violation]:
    """No amount still held: a released hold is kept for a while holding nothing (so that a late copy of its
    authorisation cannot take the amount again), and that is not money held."""
    h = m.holds.c
    with ho.reader.connect() as conn:
        left = conn.execute(select(h.hold_id, h.kind, h.subject_id, h.branch_id, h.amount).where(h.amount != 0)).all()
    return [
        Violation("hold left after quiescence", r.hold_id, f"{r.kind} {r.subject_id} {r.amount} for {r.branch_id}")
        for r in left
    ]


def overspend_within_offline_approvals(ho: HeadOfficeStore, exceptions: list[ExceptionRecord]) -> list[Violation]:
    """A balance below zero is what offline decreases took beyond it (DESIGN.md): online ones are confirmed
    against head office's balance. So per card or account, the deficit ≤ its offline decreases, and the
    points taken back by returns of a receipt that head office found returned beyond its sale (a receipt
    returned at two branches apart reverses its points at both; that exception explains it)."""
    over_returned = {e.subject_id for e in exceptions if e.kind == "return"}
    returns_of_flagged = {
        o["id"]
        for o in ho.merged_rows("orders").values()
        if o["kind"] == "return" and o.get("original_order_id") in over_returned
    }
    found = []
    for kind, table, subject_field, amount_field in (
        ("gift_card", "gift_card_transactions", "card_id", "amount_fils"),
        ("points", "loyalty_transactions", "account_id", "points"),
    ):
        offline: Counter[str] = Counter()
        for e in ho.merged_rows(table).values():
            if int(e[amount_field]) < 0 and (
                e.get("offline_pending") or (kind == "points" and e.get("order_id") in returns_of_flagged)
            ):
                offline[e[subject_field]] -= int(e[amount_field])
        for subject, value in sorted(ho.balances(kind).items()):
            if -value > offline[subject]:
                found.append(
                    Violation(
                        "overspend beyond offline approvals",
                        subject,
                        f"{kind} balance {value}, offline decreases on it {offline[subject]}",
                    )
                )
    return found
