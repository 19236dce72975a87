"""What autogenerate compares: everything but the hand-made FTS5 index and its shadow tables, and the index on
an expression (the email's domain), which SQLAlchemy cannot read back from SQLite (it warns and skips it)."""

from __future__ import annotations

EXPRESSION_INDEXES = frozenset({"ix_customers_email_domain"})


def include_object(obj: object, name: str | None, type_: str, reflected: bool, compare_to: object) -> bool:
    if type_ == "index" and name in EXPRESSION_INDEXES:
        return False
    return not (type_ == "table" and name is not None and name.startswith("customer_search"))
