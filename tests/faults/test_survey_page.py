"""The survey page head office serves for SMS and email surveys, on loopback: the invitation reaches head office
by push, its page asks the question in Arabic or English, an answer posted there is kept once as an inbound
message of the invitation's branch, and that branch alone answers the survey from it after its pull (points, a
low score's ticket, the comment). Hostile requests: malformed or unknown codes, other methods and content types,
oversize bodies, scores out of range and markup in the comment change nothing and never fail the server."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import text

from core.feedback.ports import InvitationRecord
from core.kernel.ids import new_id
from storage.bootstrap import Services, build_services
from storage.uow import uow_factory
from sync.headoffice.guard import RequestLimits
from sync.headoffice.surveys import answer_id
from tests.clock import TestClock
from tests.faults.support import Branch, chain

HIND = "+971501234567"
FORM = {"Content-Type": "application/x-www-form-urlencoded"}


def _rows(branch: Branch, sql: str, **params: Any) -> list[tuple[Any, ...]]:
    with branch.store.read_engine.connect() as conn:
        return [tuple(r) for r in conn.execute(text(sql), params)]


def _on_test_clock(branch: Branch, clock: TestClock) -> Services:
    services = build_services(branch.store, clock, link=branch.worker)
    branch.worker.after_pull[:] = [services.inbound.run]
    return services


def _invite(branch: Branch, clock: TestClock, customer: str, kind: str, token: str, days: int = 7) -> InvitationRecord:
    survey = InvitationRecord(
        id=new_id(),
        kind=kind,
        customer_id=customer,
        order_id=None,
        visit_id=None,
        token=token,
        sent_at=clock.now() - timedelta(hours=1),
        expires_at=clock.now() + timedelta(days=days),
        communication_id=None,
        answered_at=None,
    )
    with uow_factory(branch.store, clock)(branch.actor) as uow:
        uow.feedback.add_invitation(survey)
        uow.commit()
    return survey


@pytest.mark.parametrize("engine", ["sqlite", "postgresql"])
def test_an_answer_on_the_page_is_kept_once_and_answered_by_the_home_branch(
    tmp_path: Path, engine: str, request: pytest.FixtureRequest
) -> None:
    url = None
    if engine == "postgresql":  # the store a real chain runs on: its upsert, its placeholders
        url = str(request.getfixturevalue("postgres")).replace("postgresql://", "postgresql+psycopg://")
    with (
        chain(tmp_path, ("DXB1", "DXB2"), url=url) as (ho, server, (a, b)),
        httpx.Client(base_url=server.url, timeout=10) as web,
    ):
        clock = TestClock(ho.now())
        _on_test_clock(a, clock), _on_test_clock(b, clock)
        hind = a.new_customer("Hind", HIND)
        nps = _invite(a, clock, hind, "post_purchase", "HND2K7QX")
        review = _invite(a, clock, hind, "product_review", "PRD4W9ZY")
        _invite(a, clock, hind, "general", "EXP3M8TA", days=-2)
        assert web.get("/s/HND2K7QX").status_code == 404, "not pushed yet: head office does not know it"
        a.sync()

        english = web.get("/s/hnd2k7qx?lang=en")  # a code is read in any case
        assert english.status_code == 200 and english.headers["content-type"].startswith("text/html")
        assert "How likely are you to recommend Perfume &amp; Oud to a friend?" in english.text
        assert 'value="0"' in english.text and 'value="10"' in english.text and "<script" not in english.text
        assert "script-src" not in english.headers["content-security-policy"]
        assert english.headers["x-frame-options"] == "DENY" and english.headers["cache-control"] == "no-store"
        arabic = web.get("/s/HND2K7QX", headers={"Accept-Language": "ar-AE"})
        assert 'lang="ar" dir="rtl"' in arabic.text and "ما مدى احتمال أن توصي صديقاً بالعطور والعود؟" in arabic.text
        rating = web.get("/s/PRD4W9ZY?lang=en").text
        assert "How would you rate the product" in rating and 'value="5"' in rating and 'value="0"' not in rating

        # Hostile requests: nothing is looked up for a malformed code, nothing written for a bad answer.
        assert web.get("/s/ABCDEFGH").status_code == 404  # well formed, unknown
        for bad in ("HND2K7Q0", "HND2K7QXX", "%3Cscript%3E", "HND2K7Q%00"):
            page = web.get(f"/s/{bad}")
            assert page.status_code == 404 and "<script>" not in page.text, bad
        assert web.get("/s/EXP3M8TA").status_code == 410
        assert web.put("/s/HND2K7QX", content=b"score=9").status_code == 405
        assert web.post("/s/HND2K7QX", json={"score": 9}).status_code == 415
        assert web.post("/s/HND2K7QX", content=b"score=9&comment=" + b"x" * 20_000, headers=FORM).status_code == 413
        chunked = iter([b"score=9&comment=", *[b"x" * 4096] * 5])  # no Content-Length: bounded as it streams
        assert web.post("/s/HND2K7QX", content=chunked, headers=FORM).status_code == 413
        assert web.post("/s/HND2K7QX", content=b"\xff\xfe=9", headers=FORM).status_code == 400
        refused = web.post("/s/HND2K7QX", data={"score": "11", "comment": "<b>oops</b>", "lang": "en"})
        assert (
            refused.status_code == 400 and "&lt;b&gt;oops&lt;/b&gt;" in refused.text and "<b>oops" not in refused.text
        )
        assert web.post("/s/PRD4W9ZY", data={"score": "0"}).status_code == 400, "a rating is 1 to 5"
        assert ho.merged_rows("communications") == {}

        comment = "The oud is lovely\u202e but the box came dented"
        thanks = web.post("/s/HND2K7QX?lang=en", data={"score": "4", "comment": comment, "lang": "en"})
        assert thanks.status_code == 200 and "Thank you! We have received your answer." in thanks.text
        again = web.post("/s/HND2K7QX", data={"score": "10", "lang": "en"})
        assert again.status_code == 200 and "already received" in again.text
        assert "already received" in web.get("/s/HND2K7QX?lang=en").text
        assert web.post("/s/PRD4W9ZY", data={"score": "5", "comment": "عطر رائع"}).status_code == 200
        kept = ho.merged_rows("communications")
        assert set(kept) == {answer_id("HND2K7QX"), answer_id("PRD4W9ZY")}
        row = kept[answer_id("HND2K7QX")]
        assert (row["channel"], row["direction"], row["reply_id"], row["customer_id"]) == (
            "web",
            "inbound",
            "nps:HND2K7QX:4",
            hind,
        )
        assert row["branch_id"] == a.store.branch_id and row["body"] == "The oud is lovely but the box came dented"

        a.sync()  # pulls both answers, then handles them
        assert _rows(a, "SELECT outcome FROM inbound_handled") == [("answered",), ("answered",)]
        assert _rows(
            a, "SELECT nps, rating, kind, comment, low_score FROM customer_feedback WHERE invitation_id = :i", i=nps.id
        ) == [(4, None, "general", "The oud is lovely but the box came dented", 1)]
        assert _rows(
            a, "SELECT nps, rating, kind, comment FROM customer_feedback WHERE invitation_id = :i", i=review.id
        ) == [(None, 5, "product", "عطر رائع")]
        assert _rows(a, "SELECT count(*) FROM support_tickets") == [(1,)], "the low score opened a ticket"
        a.sync(rounds=2)
        b.sync(rounds=2)
        for branch in (a, b):
            assert _rows(branch, "SELECT count(*) FROM customer_feedback") == [(2,)]
        assert _rows(b, "SELECT count(*) FROM inbound_handled") == [(0,)], "DXB2 handles none of DXB1's answers"
        assert _rows(a, "SELECT count(*) FROM inbound_handled") == [(2,)]


def test_each_address_is_rate_limited_on_the_survey_page(tmp_path: Path) -> None:
    limits = RequestLimits(link_rate=0.001, link_burst=3)
    with (
        chain(tmp_path, ("DXB1",), app={"limits": limits}) as (_ho, server, _branches),
        httpx.Client(base_url=server.url, timeout=10) as web,
    ):
        answers = [web.get("/s/ABCDEFGH").status_code for _ in range(5)]
    assert answers[:3] == [404, 404, 404] and answers[3:] == [429, 429]
