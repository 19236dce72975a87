"""Head office finds a survey by its code with one look-up by key: codes are taken in as invitations are
pushed (tests/faults/test_survey_page.py), and filled once from the invitation rows a head office held before
it kept them."""

from __future__ import annotations

from pathlib import Path

import orjson
from sqlalchemy import delete, insert

from sync.headoffice import models as m
from sync.headoffice.store import HeadOfficeStore
from sync.headoffice.survey_tokens import FILLED
from sync.headoffice.surveys import answer_id, code_of, find, record


def _invitation(row_id: str, token: str, kind: str = "product_review") -> dict[str, object]:
    data = {
        "id": row_id,
        "branch_id": "branch-a",
        "kind": kind,
        "customer_id": "customer-1",
        "token": token,
        "expires_at": "2030-01-01T20:00:00+00:00",
        "answered_at": None,
    }
    return {
        "entity": "survey_invitations",
        "row_id": row_id,
        "branch_id": "branch-a",
        "data": orjson.dumps(data).decode(),
        "field_hlc": "{}",
        "change_seq": 1,
    }


def test_codes_held_before_are_filled_once_and_an_answer_is_one_row(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'ho.sqlite'}"
    store = HeadOfficeStore(url)
    with store.writer.begin() as conn:
        conn.execute(insert(m.rows), [_invitation("inv-1", "PRD4W9ZY"), _invitation("inv-2", "lower0ne")])
        conn.execute(delete(m.counters).where(m.counters.c.name == FILLED))  # as before the table existed
    assert find(store, "PRD4W9ZY") is None
    store.close()

    store = HeadOfficeStore(url)
    try:
        survey = find(store, "PRD4W9ZY")
        assert survey is not None
        assert (survey.invitation_id, survey.branch_id, survey.scale, survey.answered) == (
            "inv-1",
            "branch-a",
            "rating",
            False,
        )
        assert code_of("lower0ne") is None and find(store, "LOWER0NE") is None, "not a drawn code: not taken"
        assert code_of("prd4w9zy") == "PRD4W9ZY"
        assert record(store, survey, 5, "Lovely") is True
        assert record(store, survey, 1, None) is False, "the second answer is not kept"
        kept = store.merged_rows("communications")
        assert list(kept) == [answer_id("PRD4W9ZY")] and kept[answer_id("PRD4W9ZY")]["reply_id"] == "rating:PRD4W9ZY:5"
        found = find(store, "PRD4W9ZY")
        assert found is not None and found.answered
    finally:
        store.close()
