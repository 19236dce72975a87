"""Inbound replies through a chain on loopback: signed WhatsApp webhooks reach head office over HTTP, the
messages are kept for the sender's home branch, and that branch alone turns them, after its pull, into a
survey answer and a ticket; a redelivered webhook and further pulls answer nothing twice, and the other branch
learns the answer and the ticket by sync without handling anything itself."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import text

from core.feedback.ports import InvitationRecord
from core.feedback.whatsapp import nps_list
from core.kernel.ids import new_id, stable_id
from storage.bootstrap import Services, build_services
from storage.uow import uow_factory
from tests import webhook_signing as w
from tests.clock import TestClock
from tests.faults.support import Branch, chain

HIND = "+971501234567"


def _rows(branch: Branch, sql: str, **params: Any) -> list[tuple[Any, ...]]:
    with branch.store.read_engine.connect() as conn:
        return [tuple(r) for r in conn.execute(text(sql), params)]


def _post(url: str, body: bytes) -> httpx.Response:
    return httpx.post(url + "/v1/webhooks/whatsapp", content=body, headers=w.whatsapp_headers(body), timeout=10)


def _on_test_clock(branch: Branch, clock: TestClock) -> Services:
    """The branch's services on the test clock, handling inbound messages after each pull as main.py has it."""
    services = build_services(branch.store, clock, link=branch.worker)
    branch.worker.after_pull[:] = [services.inbound.run]
    return services


def test_the_home_branch_alone_answers_the_survey_and_opens_the_ticket_once(tmp_path: Path) -> None:
    with chain(tmp_path, ("DXB1", "DXB2"), app={"webhooks": w.secrets()}) as (ho, server, (a, b)):
        clock = TestClock(ho.now())
        at_a, _at_b = _on_test_clock(a, clock), _on_test_clock(b, clock)
        hind = a.new_customer("Hind", HIND)
        survey = InvitationRecord(
            id=new_id(),
            kind="post_purchase",
            customer_id=hind,
            order_id=None,
            visit_id=None,
            token="HND2K7QX",
            sent_at=clock.now() - timedelta(hours=1),
            expires_at=clock.now() + timedelta(days=7),
            communication_id=None,
            answered_at=None,
        )
        with uow_factory(a.store, clock)(a.actor) as uow:
            uow.feedback.add_invitation(survey)
            uow.commit()
        a.sync()
        b.sync()

        row = nps_list("m", HIND[1:], "en", survey.token).sections[0].rows[0]  # "10"
        t = int(clock.now().timestamp())
        messages = [
            {
                "from": HIND[1:],
                "id": "wamid.LIST1",
                "timestamp": str(t),
                "type": "interactive",
                "interactive": {
                    "type": "list_reply",
                    "list_reply": {"id": row.id, "title": row.title, "description": row.description},
                },
            },
            {
                "from": HIND[1:],
                "id": "wamid.TEXT1",
                "timestamp": str(t + 1),
                "type": "text",
                "text": {"body": "Also, the cap of my bottle came loose"},
            },
            {
                "from": "971509999999",
                "id": "wamid.TEXT2",
                "timestamp": str(t + 2),
                "type": "text",
                "text": {"body": "Hi"},
            },
        ]
        body = w.whatsapp_body(messages=messages, contacts=[{"wa_id": HIND[1:], "profile": {"name": "Hind"}}])
        assert _post(server.url, body).json()["inbound"] == 3

        a.sync()  # pulls the messages, then handles them
        handled = dict(
            (m, o)
            for m, o in _rows(
                a,
                "SELECT c.provider_message_id, h.outcome FROM inbound_handled AS h "
                "JOIN communications AS c ON c.id = h.message_id",
            )
        )
        assert handled == {"wamid.LIST1": "answered", "wamid.TEXT1": "opened", "wamid.TEXT2": "unknown_sender"}
        assert _rows(a, "SELECT nps FROM customer_feedback WHERE invitation_id = :i", i=survey.id) == [(10,)]
        assert _rows(a, "SELECT reply_id FROM communications WHERE provider_message_id = 'wamid.LIST1'") == [(row.id,)]
        ((ticket, source, customer),) = _rows(a, "SELECT id, source, customer_id FROM support_tickets")
        assert (source, customer) == ("whatsapp", hind)

        assert _post(server.url, body).json()["inbound"] == 0, "a redelivered webhook keeps nothing new"
        a.sync(rounds=2)
        b.sync(rounds=2)
        for branch in (a, b):
            assert _rows(branch, "SELECT count(*) FROM customer_feedback") == [(1,)]
            assert _rows(branch, "SELECT id FROM support_tickets") == [(ticket,)]
            assert _rows(branch, "SELECT answered_at IS NOT NULL FROM survey_invitations") == [(1,)]
        assert _rows(b, "SELECT count(*) FROM inbound_handled") == [(0,)], "DXB2 handles none of DXB1's messages"
        assert _rows(a, "SELECT count(*) FROM inbound_handled") == [(3,)]
        assert at_a.feedback.invitation(a.actor, survey.token) is not None
        assert stable_id("feedback", survey.id) in {r[0] for r in _rows(b, "SELECT id FROM customer_feedback")}
