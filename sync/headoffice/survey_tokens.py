"""Survey invitations' codes at head office (``ho_survey_tokens``): code → invitation, kept as invitation rows
are pushed (sync.headoffice.apply) and filled once from the rows already held, so the survey page
(sync.headoffice.surveys) finds an invitation by its code with one look-up by key, never a search."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

import orjson
from sqlalchemy import Connection, insert, select
from sqlalchemy.dialects import postgresql, sqlite

from sync.headoffice import models as m

ENTITY = "survey_invitations"
FILLED = "survey_tokens_filled"  # the ho_counters row saying the table holds every invitation's code
# core.feedback.service.CODE_ALPHABET, CODE_LENGTH: what a branch draws (upper case; no 0/O, 1/I).
CODE = re.compile(r"[A-HJ-NP-Z2-9]{8}")


def entries(found: Iterable[tuple[str, str, dict[str, Any]]]) -> list[dict[str, str]]:
    """(invitation id, owning branch, row fields) as ho_survey_tokens rows; a code not of the drawn form is
    not taken (its page answers 404)."""
    return [
        {"token": fields["token"], "invitation_id": row_id, "branch_id": branch}
        for row_id, branch, fields in found
        if isinstance(fields.get("token"), str) and CODE.fullmatch(fields["token"])
    ]


def take(conn: Connection, rows: list[dict[str, str]]) -> None:
    """Keeps the codes; one another invitation holds already stays that one's."""
    if rows:
        dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
        conn.execute(dialect.insert(m.survey_tokens).on_conflict_do_nothing(), rows)


def backfill(conn: Connection) -> int:
    """Fills the table from every invitation row head office holds, once (ho_counters remembers it)."""
    c = m.counters.c
    if conn.execute(select(c.value).where(c.name == FILLED)).first() is not None:
        return 0
    r = m.rows.c
    found = entries(
        (row.row_id, row.branch_id, orjson.loads(row.data))
        for row in conn.execute(select(r.row_id, r.branch_id, r.data).where(r.entity == ENTITY))
    )
    take(conn, found)
    conn.execute(insert(m.counters).values(name=FILLED, value=1))
    return len(found)
