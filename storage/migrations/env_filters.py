"""What autogenerate compares: everything but the hand-made FTS5 index and its shadow tables."""

from __future__ import annotations


def include_object(obj: object, name: str | None, type_: str, reflected: bool, compare_to: object) -> bool:
    return not (type_ == "table" and name is not None and name.startswith("customer_search"))
