"""Customers' inbound messages handled on a real store: survey answers (typed digits, list and button ids),
refusals and the polite word back, replies threaded on an open ticket, new tickets, unknown numbers, and each
message handled once."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from sqlalchemy import text

from core.customers.model import CustomerDraft, CustomerProfile
from core.feedback.ports import InvitationRecord
from core.feedback.service import invite
from core.feedback.whatsapp import nps_list, rating_buttons, reply_id
from core.inbound.service import ALREADY, EXPIRED, FOREIGN, TOLD, UNKNOWN_SURVEY, InboundRecord
from core.kernel.ids import new_id, stable_id
from core.messaging.dispatch import Dispatcher
from core.messaging.rules import ConsentSendPolicy
from core.messaging.templates import SURVEY_VIP_SERVICE
from core.staff.auth import Actor
from core.tickets.model import RESPONSE_MAX, Status, TicketDraft
from storage.bootstrap import Services
from storage.db import Store
from storage.outbox import SqlOutbox
from storage.schema import Communication
from storage.uow import uow_factory
from sync.messaging.webhooks import InboundMessage, parse_whatsapp
from tests import webhook_signing as w
from tests.clock import TestClock
from tests.dispatching import gateway
from tests.providers import GRAPH_VERSION, PHONE_NUMBER_ID, WHATSAPP_TOKEN, FakeProviders


def person(first: str, mobile: str, language: str = "en") -> CustomerDraft:
    return CustomerDraft(
        first_name_en=first,
        last_name_en="Haddad",
        mobile=mobile,
        preferred_language=language,
        preferred_channel="whatsapp",
        consent_whatsapp=True,
        consent=(("whatsapp", "transactional", True),),
    )


@pytest.fixture
def noor(services: Services, cashier: Actor) -> CustomerProfile:
    return services.customers.create(cashier, person("Noor", "050 444 5566"))


@pytest.fixture
def salma(services: Services, cashier: Actor) -> CustomerProfile:
    return services.customers.create(cashier, person("Salma", "050 777 8899", "ar"))


def rows(store: Store, sql: str, **params: object) -> list[tuple[object, ...]]:
    with store.read_engine.connect() as conn:
        return [tuple(r) for r in conn.execute(text(sql), params)]


def count(store: Store, sql: str, **params: object) -> int:
    return int(rows(store, sql, **params)[0][0] or 0)


def invitation(services: Services, actor: Actor, customer: CustomerProfile, *, days: int = 7) -> InvitationRecord:
    """A survey sent a minute ago, open for ``days`` days."""
    now = services.clock.now()
    record = InvitationRecord(
        id=new_id(),
        kind="general",
        customer_id=customer.id,
        order_id=None,
        visit_id=None,
        token=new_id()[-8:].upper().replace("-", "A"),
        sent_at=now - timedelta(minutes=1),
        expires_at=now + timedelta(days=days),
        communication_id=None,
        answered_at=None,
    )
    with uow_factory(services.store, services.clock)(actor) as uow:
        uow.feedback.add_invitation(record)
        uow.commit()
    return record


def received(
    services: Services,
    actor: Actor,
    customer: CustomerProfile | None,
    body: str,
    *,
    reply: str | None = None,
    channel: str = "whatsapp",
    sender: str = "+971504445566",
    at: datetime | None = None,
) -> str:
    """An inbound message as head office keeps it and the branch pulls it (here written at the branch)."""
    row = Communication(
        id=new_id(),
        customer_id=customer.id if customer else None,
        channel=channel,
        direction="inbound",
        recipient=sender,
        body=body,
        status="received",
        reply_id=reply,
        created_at=at or services.clock.now(),
    )
    with uow_factory(services.store, services.clock)(actor) as uow:
        uow.session.add(row)  # type: ignore[attr-defined]
        uow.commit()
    return row.id


def outcome(services: Services, message_id: str) -> tuple[object, ...]:
    (found,) = rows(
        services.store, "SELECT outcome, ref, detail FROM inbound_handled WHERE message_id = :m", m=message_id
    )
    return found


def outbound_to(services: Services, customer: CustomerProfile) -> list[str]:
    found = rows(
        services.store,
        "SELECT body FROM communications WHERE customer_id = :c AND direction = 'outbound' ORDER BY created_at",
        c=customer.id,
    )
    return [str(r[0]) for r in found]


def test_a_typed_score_answers_the_open_survey_once(services: Services, cashier: Actor, noor: CustomerProfile) -> None:
    survey = invitation(services, cashier, noor)
    message = received(services, cashier, noor, "٩ ممتاز، شكراً")
    assert services.inbound.run().outcomes == {"answered": 1}
    feedback_id = stable_id("feedback", survey.id)
    assert outcome(services, message)[:2] == ("answered", feedback_id)
    ((nps, comment, customer),) = rows(
        services.store, "SELECT nps, comment, customer_id FROM customer_feedback WHERE id = :f", f=feedback_id
    )
    assert (nps, comment, customer) == (9, "ممتاز، شكراً", noor.id)
    assert (
        count(
            services.store, "SELECT count(*) FROM loyalty_transactions WHERE reason = :r", r=f"feedback:{feedback_id}"
        )
        == 1
    )

    # Pulled again, run again, handled directly again: nothing more.
    before = count(services.store, "SELECT count(*) FROM change_log")
    assert services.inbound.run().handled == 0
    with uow_factory(services.store, services.clock)(None) as uow:
        again = uow.inbound.get(message)
    assert again is not None and services.inbound.handle(again) == "repeated"
    assert count(services.store, "SELECT count(*) FROM change_log") == before
    assert count(services.store, "SELECT count(*) FROM customer_feedback WHERE invitation_id = :i", i=survey.id) == 1


def test_a_reply_to_a_closed_survey_is_refused_and_the_customer_told(
    services: Services, cashier: Actor, clock: TestClock, salma: CustomerProfile
) -> None:
    survey = invitation(services, cashier, salma, days=1)
    clock.advance(days=2)
    message = received(services, cashier, salma, "8", sender="+971507778899")
    assert services.inbound.run().outcomes == {"refused": 1}
    assert outcome(services, message) == ("refused", survey.id, EXPIRED)
    assert count(services.store, "SELECT count(*) FROM customer_feedback WHERE invitation_id = :i", i=survey.id) == 0
    assert outbound_to(services, salma) == [TOLD[EXPIRED]["ar"]], "in her language, inside the window she opened"
    assert count(services.store, "SELECT count(*) FROM support_tickets") == 0, "a refused answer opens no ticket"


def test_no_word_back_when_the_store_says_not_to(
    services: Services, cashier: Actor, manager: Actor, clock: TestClock, noor: CustomerProfile
) -> None:
    with uow_factory(services.store, services.clock)(manager) as uow:
        uow.settings.save_setting("inbound.refusal_reply", "0")
        uow.commit()
    invitation(services, cashier, noor, days=1)
    clock.advance(days=2)
    message = received(services, cashier, noor, "10")
    services.inbound.run()
    assert outcome(services, message)[0] == "refused" and outbound_to(services, noor) == []


def test_a_list_reply_from_a_webhook_answers_and_a_second_tap_is_refused(
    services: Services, cashier: Actor, noor: CustomerProfile, salma: CustomerProfile
) -> None:
    survey = invitation(services, cashier, noor)
    listing = nps_list("m-1", "971504445566", "en", survey.token)
    row = listing.sections[0].rows[2]
    assert (row.title, row.id) == ("8", reply_id("nps", survey.token, 8))
    t = int(services.clock.now().timestamp())
    body = w.whatsapp_body(
        messages=[
            {
                "from": "971504445566",
                "id": f"wamid.{n}",
                "timestamp": str(t + n),
                "type": "interactive",
                "interactive": {"type": "list_reply", "list_reply": {"id": row.id, "title": row.title}},
            }
            for n in (1, 2)
        ]
    )
    parsed = [e for e in parse_whatsapp(body) if isinstance(e, InboundMessage)]
    assert [m.reply_id for m in parsed] == [row.id, row.id]
    first, second = (received(services, cashier, noor, m.text or "", reply=m.reply_id) for m in parsed)
    services.inbound.run()
    assert outcome(services, first)[0] == "answered"
    assert outcome(services, second) == ("refused", survey.id, ALREADY)
    assert rows(services.store, "SELECT nps FROM customer_feedback WHERE invitation_id = :i", i=survey.id) == [(8,)]
    assert outbound_to(services, noor) == [TOLD[ALREADY]["en"]]

    # Salma's tap on a button naming Noor's survey (a shared phone, a forwarded message): not hers to answer.
    button = rating_buttons("m-2", "971507778899", "ar", survey.token).buttons[0]
    taken = received(services, cashier, salma, button.title, reply=button.id, sender="+971507778899")
    services.inbound.run()
    assert outcome(services, taken) == ("refused", survey.id, FOREIGN)
    assert outbound_to(services, salma) == [TOLD[FOREIGN]["ar"]]


@pytest.mark.parametrize("instant", [datetime(2026, 12, 7, 7, 0, tzinfo=UTC)])  # 11:00 on a Monday in Dubai
def test_a_message_on_an_open_ticket_is_threaded_and_moves_it_back_to_work(
    services: Services, cashier: Actor, clock: TestClock, noor: CustomerProfile
) -> None:
    ticket = services.tickets.open(cashier, TicketDraft(noor.id, "Bottle leaks"))
    services.tickets.move(cashier, ticket.id, "waiting")
    clock.advance(minutes=5)
    message = received(services, cashier, noor, "Here is the receipt number: 1042")
    assert services.inbound.run().outcomes == {"threaded": 1}
    found, responses = services.tickets.get(cashier, ticket.id)
    assert found.status is Status.IN_PROGRESS
    # The five minutes it waited for the customer (inside opening hours) do not count against its deadline.
    assert ticket.due_at is not None and found.due_at is not None
    assert timedelta(minutes=5) <= found.due_at - ticket.due_at < timedelta(minutes=5, seconds=1)  # the clock ticks
    assert found.waiting_since is None
    assert [(r.body, r.staff_id, r.internal) for r in responses] == [("Here is the receipt number: 1042", None, False)]
    assert rows(services.store, "SELECT communication_id FROM ticket_responses") == [(message,)]
    assert outcome(services, message)[1:] == (responses[0].id, ticket.id)


def test_a_new_message_opens_a_ticket_and_a_long_hostile_one_is_cleaned(
    services: Services, cashier: Actor, noor: CustomerProfile
) -> None:
    long = "The cap broke\u202e\n" + ("عطر رائع لكن الغطاء مكسور " * 800)  # about 21 kB, with an RLO
    assert len(long.encode()) > 20_000
    message = received(services, cashier, noor, long)
    sms = received(services, cashier, noor, "Do you have oud?", channel="sms")
    assert services.inbound.run().outcomes == {"opened": 1, "threaded": 1}
    ((ticket_id, source, source_id, customer, subject, description, status),) = rows(
        services.store,
        "SELECT id, source, source_id, customer_id, subject, description, status FROM support_tickets",
    )
    assert (source, source_id, customer, subject, status) == ("whatsapp", message, noor.id, "The cap broke", "open")
    assert len(str(description)) <= 4000 and "\u202e" not in str(description)
    assert str(description).startswith("The cap broke\nعطر رائع")
    assert rows(services.store, "SELECT body FROM communications WHERE id = :m", m=message) == [(long,)], "all kept"
    # The SMS that followed is the customer's word on that open ticket (an SMS alone opens none by default).
    assert outcome(services, sms)[0::2] == ("threaded", ticket_id)


def test_an_sms_alone_opens_no_ticket_unless_the_store_says_so(
    services: Services, cashier: Actor, manager: Actor, noor: CustomerProfile
) -> None:
    first = received(services, cashier, noor, "Do you have oud?", channel="sms")
    services.inbound.run()
    assert outcome(services, first)[0] == "nothing"
    with uow_factory(services.store, services.clock)(manager) as uow:
        uow.settings.save_setting("inbound.tickets_from", "whatsapp,sms")
        uow.commit()
    second = received(services, cashier, noor, "Any news about the oud?", channel="sms")
    services.inbound.run()
    assert outcome(services, second)[0] == "opened"
    assert rows(services.store, "SELECT source, subject FROM support_tickets") == [("sms", "Any news about the oud?")]


def test_a_number_no_customer_has_opens_nothing_and_is_listed(
    services: Services, cashier: Actor, manager: Actor
) -> None:
    message = received(services, cashier, None, "Hi, is the Dubai Mall branch open?", sender="+971509999999")
    stop = received(services, cashier, None, "STOP", sender="+971509999998")
    assert services.inbound.run().outcomes == {"unknown_sender": 2}
    assert count(services.store, "SELECT count(*) FROM support_tickets") == 0
    listed = services.inbound.unknown_senders(manager)
    assert [m.id for m in listed] == [stop, message] and all(isinstance(m, InboundRecord) for m in listed)
    assert listed[1].sender == "+971509999999"


def test_opt_outs_and_messages_without_text_open_nothing(
    services: Services, cashier: Actor, noor: CustomerProfile
) -> None:
    stop = received(services, cashier, noor, "إلغاء")
    photo = received(services, cashier, noor, "")
    services.inbound.run()
    assert (outcome(services, stop)[0], outcome(services, photo)[0]) == ("opt_out", "no_text")
    assert count(services.store, "SELECT count(*) FROM support_tickets") == 0


def test_old_messages_wait_for_nobody_and_other_branches_messages_are_not_ours(
    services: Services, cashier: Actor, clock: TestClock, noor: CustomerProfile
) -> None:
    received(services, cashier, noor, "Hello from last week", at=clock.now() - timedelta(days=5))
    with uow_factory(services.store, services.clock)(cashier) as uow:
        other = uow.session.execute(  # type: ignore[attr-defined]
            text("SELECT id FROM branches WHERE id != :b LIMIT 1"), {"b": services.store.branch_id}
        ).scalar()
    assert other, "the demo chain has another branch"
    theirs = Communication(
        id=new_id(),
        branch_id=other,
        customer_id=noor.id,
        channel="whatsapp",
        direction="inbound",
        recipient="+971504445566",
        body="For the other branch",
        status="received",
        created_at=clock.now(),
    )
    with uow_factory(services.store, services.clock)(cashier) as uow:
        uow.session.add(theirs)  # type: ignore[attr-defined]
        uow.commit()
    assert services.inbound.run().handled == 0
    assert count(services.store, "SELECT count(*) FROM support_tickets") == 0


def test_the_list_and_buttons_keep_to_whatsapp_limits() -> None:
    from core.messaging.outbound import validate_whatsapp

    listing = nps_list("m", "971504445566", "ar", "ABCD2345")
    assert validate_whatsapp(listing) is listing
    assert [r.title for r in listing.sections[0].rows] == [str(n) for n in range(10, 0, -1)]
    buttons = rating_buttons("m", "971504445566", "en", "ABCD2345")
    assert validate_whatsapp(buttons) is buttons and len(buttons.buttons) == 3
    assert (
        json.dumps([b.id for b in buttons.buttons]) == '["rating:ABCD2345:5", "rating:ABCD2345:3", "rating:ABCD2345:1"]'
    )
    assert RESPONSE_MAX == 4000


@pytest.fixture
def fake() -> Iterator[FakeProviders]:
    server = FakeProviders().start()
    yield server
    server.stop()


def test_inside_the_window_the_survey_goes_as_a_list_outside_as_the_template(
    services: Services,
    cashier: Actor,
    clock: TestClock,
    fake: FakeProviders,
    noor: CustomerProfile,
    salma: CustomerProfile,
) -> None:
    received(services, cashier, noor, "Thank you for today!")  # Noor wrote: her 24 h window is open
    made = {}
    with uow_factory(services.store, services.clock)(cashier) as uow:
        for who in (noor, salma):
            found = invite(
                uow, who, "vip_service", SURVEY_VIP_SERVICE, clock.now(), timedelta(hours=2), 7, visit_id=who.id
            )
            assert found is not None
            made[who.id] = found
        uow.commit()
    (listed,) = rows(
        services.store,
        "SELECT template_id, interactive FROM communications WHERE id = :m",
        m=made[noor.id].communication_id,
    )
    assert listed[0] is None and json.loads(str(listed[1]))["type"] == "list"
    (templated,) = rows(
        services.store,
        "SELECT template_id, interactive FROM communications WHERE id = :m",
        m=made[salma.id].communication_id,
    )
    assert templated[0] is not None and templated[1] is None

    clock.advance(hours=3)
    fake.open_whatsapp_window("+971504445566")
    policy = ConsentSendPolicy(uow_factory(services.store, clock))
    dispatcher = Dispatcher(SqlOutbox(services.store), gateway(fake.url, clock), clock, policy=policy, concurrency=1)
    try:
        assert dispatcher.run_once().sent == 2
    finally:
        dispatcher.close()
    assert fake.violations == []
    sent = {r.json["to"]: r.json for r in fake.of("whatsapp")}
    interactive = sent["971504445566"]["interactive"]
    code = made[noor.id].token
    assert interactive["type"] == "list" and interactive["action"]["button"] == "Choose a score"
    assert [r["id"] for r in interactive["action"]["sections"][0]["rows"]] == [
        f"nps:{code}:{n}" for n in range(10, 0, -1)
    ]
    assert "reply 0" in interactive["body"]["text"]
    assert sent["971507778899"]["type"] == "template"


def test_the_fake_refuses_a_list_past_whatsapp_limits(fake: FakeProviders) -> None:
    """The fake checks what Meta documents (providers.md §1): eleven rows, a row title of 25 characters."""

    def listing(rows: list[dict[str, str]]) -> dict[str, object]:
        return {
            "messaging_product": "whatsapp",
            "recipient_type": "individual",
            "to": "971504445566",
            "type": "interactive",
            "interactive": {
                "type": "list",
                "body": {"text": "Score?"},
                "action": {"button": "Choose", "sections": [{"rows": rows}]},
            },
        }

    eleven = [{"id": f"r{n}", "title": str(n)} for n in range(11)]
    with httpx.Client(timeout=10) as client:
        for rows_ in (eleven, [{"id": "r", "title": "x" * 25}], eleven[:10]):
            answer = client.post(
                f"{fake.url}/{GRAPH_VERSION}/{PHONE_NUMBER_ID}/messages",
                json=listing(rows_),
                headers={"Authorization": f"Bearer {WHATSAPP_TOKEN}"},
            )
            assert answer.status_code == (200 if rows_ is not eleven and len(rows_) == 10 else 400)
    assert fake.violations == [
        "whatsapp: list: 1 to 10 sections, 1 to 10 rows in all",
        "whatsapp: row title 1 to 24",
    ]


def test_the_inbound_command_handles_a_store_once_and_prints_the_counts(
    store_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``main.py inbound`` on a store with nothing to handle (a demo store's messages predate it): no counts."""
    import main

    assert main.main(["--db", str(store_path), "inbound"]) == 0
    assert json.loads(capsys.readouterr().out) == {}


def test_an_answer_to_a_survey_not_pulled_yet_waits_for_it_then_is_refused(
    services: Services, cashier: Actor, clock: TestClock, noor: CustomerProfile
) -> None:
    tap = reply_id("nps", "ZZZZ2345", 9)
    message = received(services, cashier, noor, "9", reply=tap)
    assert services.inbound.run().outcomes == {"waiting": 1}
    assert count(services.store, "SELECT count(*) FROM inbound_handled") == 0, "nothing recorded: tried again"
    clock.advance(hours=7)
    assert services.inbound.run().outcomes == {"refused": 1}
    assert outcome(services, message) == ("refused", None, "unknown_survey")
    assert outbound_to(services, noor) == [TOLD[UNKNOWN_SURVEY]["en"]], "seven hours on, her window is still open"


def test_a_poor_rating_button_answers_and_opens_the_low_score_ticket_in_the_same_transaction(
    services: Services, cashier: Actor, noor: CustomerProfile
) -> None:
    survey = invitation(services, cashier, noor)
    poor = rating_buttons("m", "971504445566", "en", survey.token).buttons[2]
    assert (poor.title, poor.id) == ("Poor", f"rating:{survey.token}:1")
    message = received(services, cashier, noor, poor.title, reply=poor.id)
    assert services.inbound.run().outcomes == {"answered": 1}
    feedback_id = stable_id("feedback", survey.id)
    assert rows(services.store, "SELECT rating, nps, low_score FROM customer_feedback") == [(1, None, 1)]
    assert rows(services.store, "SELECT source, source_id, customer_id, priority FROM support_tickets") == [
        ("feedback", feedback_id, noor.id, "high")
    ]
    assert outcome(services, message)[:2] == ("answered", feedback_id)
