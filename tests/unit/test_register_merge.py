"""The one register merge (core.kernel.replication.merge_register) that the branch store and head office share."""

from __future__ import annotations

from itertools import permutations
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from core.kernel.hlc import Timestamp
from core.kernel.replication import CREATED, MERGED, ORPHAN, UNCHANGED, merge_register, stamp

REQUIRED = frozenset({"id", "number", "mobile"})
Row = tuple[dict[str, Any], dict[str, str]]


def apply(row: Row | None, change: dict[str, Any], change_stamp: str, *, required: bool) -> Row:
    """A replica in miniature: a row in place merges; a row not in place is kept until it is complete."""
    values, stamps = row or ({}, {})
    merge = merge_register(
        values, stamps, change, change_stamp, required=REQUIRED if required and row is None else None
    )
    return {**values, **merge.fields}, {**stamps, **merge.stamps}


def hlc(wall_ms: int, counter: int = 0, node: str = "t-a") -> str:
    return Timestamp(wall_ms, counter, node).encode()


changes = st.lists(
    st.tuples(
        st.dictionaries(st.sampled_from(["first_name_en", "notes", "area", "email"]), st.text(max_size=3), min_size=1),
        st.integers(0, 5),  # few distinct walls, so that ties are common
        st.integers(0, 2),
        st.sampled_from(["DXB1", "AUH1", "headoffice"]),
    ),
    min_size=1,
    max_size=6,
    unique_by=lambda item: item[1:],  # one stamp, one change: a clock never issues a stamp twice
)


@given(changes, st.randoms())
def test_any_order_gives_the_same_row(items: list[tuple[dict[str, Any], int, int, str]], rnd: Any) -> None:
    stamped = [
        ({"id": "c1", **fields}, stamp(hlc(1000 + wall, counter), branch)) for fields, wall, counter, branch in items
    ]
    results = []
    for _ in range(4):
        order = stamped[:]
        rnd.shuffle(order)
        row: Row = ({}, {})
        for change, change_stamp in order:
            row = apply(row, change, change_stamp, required=False)
        results.append(row)
    assert all(r == results[0] for r in results)


@given(changes)
def test_applying_a_change_again_changes_nothing(items: list[tuple[dict[str, Any], int, int, str]]) -> None:
    row: Row = ({}, {})
    for fields, wall, counter, branch in items:
        change, change_stamp = {"id": "c1", **fields}, stamp(hlc(1000 + wall, counter), branch)
        row = apply(row, change, change_stamp, required=False)
        assert merge_register(*row, change, change_stamp).outcome == UNCHANGED


def test_the_writer_and_a_receiver_agree_on_the_winner() -> None:
    """The writing branch keeps its own stamps without a branch; everyone else sees them with it."""
    own, theirs = hlc(2000), stamp(hlc(2000), "AUH1")
    at_dxb = merge_register({"notes": "mine"}, {"notes": own}, {"notes": "theirs"}, theirs, local_branch="DXB1")
    at_auh = merge_register(
        {"notes": "theirs"}, {"notes": hlc(2000)}, {"notes": "mine"}, stamp(own, "DXB1"), local_branch="AUH1"
    )
    at_ho = merge_register({"notes": "mine"}, {"notes": stamp(own, "DXB1")}, {"notes": "theirs"}, theirs)
    assert at_dxb.outcome == UNCHANGED, "DXB1 > AUH1 at the same instant: its own write stays"
    assert at_auh.outcome == MERGED and at_auh.fields == {"notes": "mine"}
    assert at_ho.outcome == UNCHANGED


def test_a_tie_of_clocks_goes_to_the_greater_branch_in_either_order() -> None:
    same = hlc(5000, 3)
    for first, second in permutations([("a", "AUH1"), ("d", "DXB1")]):
        row: Row = ({}, {})
        for value, branch in (first, second):
            row = apply(row, {"notes": value}, stamp(same, branch), required=False)
        assert row[0]["notes"] == "d"


def test_the_newest_stamp_wins_over_the_branch() -> None:
    row = apply(None, {"notes": "old"}, stamp(hlc(1000), "ZZZ9"), required=False)
    row = apply(row, {"notes": "new"}, stamp(hlc(1001), "AAA1"), required=False)
    assert row[0]["notes"] == "new" and row[1]["notes"].endswith("|AAA1")


def test_an_orphan_is_kept_and_the_insert_merges_into_it() -> None:
    insert = {"id": "c1", "number": "N1", "mobile": "+971501234567", "notes": "", "updated_at": "t1"}
    update = {"id": "c1", "notes": "prefers oud", "updated_at": "t2"}
    s_insert, s_update = stamp(hlc(1000), "DXB1"), stamp(hlc(2000), "AUH1")

    orphan = merge_register({}, {}, update, s_update, required=REQUIRED)
    assert orphan.outcome == ORPHAN, "mobile and number are missing: nothing can be put in place"
    assert orphan.fields == update and orphan.stamps == {"notes": s_update}, "bookkeeping is kept, not stamped"

    created = merge_register(orphan.fields, orphan.stamps, insert, s_insert, required=REQUIRED)
    assert created.outcome == CREATED
    late = ({**orphan.fields, **created.fields}, {**orphan.stamps, **created.stamps})
    assert late[0]["notes"] == "prefers oud", "the insert's older notes do not win by arriving later"
    assert late[0]["updated_at"] == "t2", "bookkeeping is taken only where the row has none"

    in_order = apply(None, insert, s_insert, required=True)
    in_order = apply(in_order, update, s_update, required=False)
    assert {k: v for k, v in late[0].items() if k != "updated_at"} == {
        k: v for k, v in in_order[0].items() if k != "updated_at"
    }
    assert late[1] == in_order[1]


def test_a_new_row_with_what_it_needs_is_created_and_field_hlc_never_merges() -> None:
    insert = {"id": "c1", "number": "N1", "mobile": "+9715", "field_hlc": {}, "notes": "x"}
    merge = merge_register({}, {}, insert, stamp(hlc(1), "DXB1"), required=REQUIRED)
    assert merge.outcome == CREATED
    assert "field_hlc" not in merge.fields
    assert set(merge.stamps) == {"number", "mobile", "notes"}


def test_a_snapshot_row_brings_each_field_its_own_stamp() -> None:
    older, newer = stamp(hlc(1000), "DXB1"), stamp(hlc(3000), "DXB1")
    merge = merge_register(
        {"notes": "kept", "area": "old"},
        {"notes": stamp(hlc(2000), "AUH1"), "area": stamp(hlc(2000), "AUH1")},
        {"notes": "snap", "area": "snap"},
        newer,
        incoming_stamps={"notes": older, "area": newer},
    )
    assert merge.fields == {"area": "snap"} and merge.stamps == {"area": newer}
