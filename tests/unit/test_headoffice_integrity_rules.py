"""Who may write a register row at head office (sync.headoffice.integrity), without a server: the owner any
field, another branch the shared ones, nobody the fields of a row head office does not hold yet beyond those."""

from __future__ import annotations

from typing import Any

import msgspec
import pytest

from sync.headoffice.integrity import MalformedRow, NotYours, check_register_write, check_rows
from sync.protocol import Change

A, B = "branch-a", "branch-b"


def record(op: str, origin: str = A, entity: str = "customers") -> dict[str, Any]:
    return {"entity": entity, "row_id": "c1", "op": op, "origin": origin}


def held(owner: str | None) -> dict[str, Any]:
    return {"data": {"id": "c1", "first_name_en": "Ali", **({"branch_id": owner} if owner else {})}}


def test_the_owner_writes_any_field_another_branch_only_the_shared_ones() -> None:
    check_register_write(record("update"), {"id": "c1", "number": "X-1", "deleted": True}, held(A))
    check_register_write(record("update", B), {"id": "c1", "email": "a@example.com", "notes": "VIP"}, held(A))
    for fields in ({"number": "X-1"}, {"deleted": True}):
        with pytest.raises(NotYours, match=next(iter(fields))):
            check_register_write(record("update", B), {"id": "c1", **fields}, held(A))
    with pytest.raises(NotYours, match="tier"):
        check_register_write(record("update", B, "gift_cards"), {"id": "c1", "tier": "gold"}, held(A))


def test_a_row_head_office_has_not_got_takes_shared_fields_until_its_insert_comes() -> None:
    check_register_write(record("update", B), {"id": "c1", "email": "a@example.com"}, None)
    with pytest.raises(NotYours, match="not held"):
        check_register_write(record("update", B), {"id": "c1", "number": "X-1"}, None)
    check_register_write(record("insert", A), {"id": "c1", "branch_id": A}, held(None))  # completes the orphan
    with pytest.raises(NotYours, match="another branch"):
        check_register_write(record("insert", B), {"id": "c1", "branch_id": B, "number": "X-1"}, held(A))


def test_a_row_every_branch_keys_alike_may_be_inserted_twice_if_it_agrees() -> None:
    """A loyalty account is opened under its customer's id at any till: the second insert is the same row."""
    same = {"id": "c1", "branch_id": B, "created_at": "2026-01-02T00:00:00", "first_name_en": "Ali"}
    check_register_write(record("insert", B), same, held(A))
    with pytest.raises(NotYours, match="first_name_en differ"):
        check_register_write(record("insert", B, "gift_cards"), {**same, "first_name_en": "Omar"}, held(A))


def change(entity: str, op: str, payload: bytes, row_id: str = "c1") -> Change:
    return Change(1, "e1", A, entity, row_id, op, msgspec.Raw(payload), "000000000000001.00000.t", "2026-01-01")


def test_an_update_names_neither_its_writer_nor_its_creation_and_keeps_its_id() -> None:
    assert check_rows(A, [change("customers", "update", b'{"id": "c1", "email": "a@example.com"}')])
    for payload in (b'{"id": "c1", "branch_id": "branch-a"}', b'{"id": "c1", "created_at": "2026-01-01T00:00:00"}'):
        with pytest.raises(MalformedRow, match="unknown field"):
            check_rows(A, [change("customers", "update", payload)])
    with pytest.raises(MalformedRow, match="row_id"):
        check_rows(A, [change("customers", "update", b'{"id": "c2"}')])
    with pytest.raises(NotYours, match="ledger"):
        check_rows(A, [change("orders", "update", b'{"id": "c1"}')])
