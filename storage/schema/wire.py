"""What a replicated row may look like on the wire, read off the models: head office checks every pushed row
against it (sync/headoffice/integrity.py). sync/ never imports storage, so the description is written to
``sync/entities.json`` (``python -m storage.schema.wire``); a test keeps the file equal to the models.

Per entity: its class (ledger or register) and per column its JSON type, whether it may be null, whether an
insert must bring it (not null, no default: the rule a replica applies to a pulled row, storage.replica),
and the longest text the column takes. ``search_doc`` is left out: a branch computes it and never sends it.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from sqlalchemy import JSON, Boolean, Column, Date, DateTime, Float, Integer, String, Table, TypeDecorator

from storage.schema import Base, Ledger, Synced

DOCUMENT = Path(__file__).resolve().parents[2] / "sync" / "entities.json"
NOT_SENT = frozenset({"search_doc"})


def _json_type(column: Column[Any]) -> str:
    kind = column.type
    if isinstance(kind, TypeDecorator):  # UTCDateTime
        kind = kind.impl_instance
    if isinstance(kind, Boolean):
        return "bool"
    if isinstance(kind, Integer):
        return "int"
    if isinstance(kind, Float):
        return "float"
    if isinstance(kind, Date):
        return "date"
    if isinstance(kind, DateTime):
        return "datetime"
    if isinstance(kind, String):
        return "str"
    if isinstance(kind, JSON):
        default = column.default
        made = getattr(getattr(default, "arg", None), "__wrapped__", None)
        return "array" if made is list else "object" if made is dict else "any"
    raise TypeError(f"{column.table.name}.{column.name}: no wire type for {kind!r}")


def describe() -> dict[str, Any]:
    """Every replicated entity, by table name, as plain data."""
    entities: dict[str, Any] = {}
    for mapper in Base.registry.mappers:
        cls = mapper.class_
        if not (isinstance(cls, type) and issubclass(cls, Synced)):
            continue
        table = mapper.local_table
        assert isinstance(table, Table)
        columns: dict[str, Any] = {}
        for column in table.columns:
            if column.name in NOT_SENT:
                continue
            has_default = column.default is not None or column.server_default is not None
            length = getattr(column.type, "length", None)
            columns[column.name] = {
                "type": _json_type(column),
                "nullable": bool(column.nullable),
                "required": not column.nullable and not has_default and column.name != "field_hlc",
                "max_length": length,
            }
        entities[table.name] = {"class": "ledger" if issubclass(cls, Ledger) else "register", "columns": columns}
    return dict(sorted(entities.items()))


def render(entities: dict[str, Any]) -> str:
    return json.dumps(entities, indent=2, sort_keys=True) + "\n"


def main() -> int:
    DOCUMENT.write_text(render(describe()), encoding="utf-8")
    print(DOCUMENT)
    return 0


if __name__ == "__main__":
    sys.exit(main())
