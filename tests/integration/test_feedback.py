"""Survey invitations and answers on a real store: the invitation a sale owes, one answer per invitation, the
points it earns, a low score's event, and NPS counted per group."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import text

from core.customers.model import CustomerDraft
from core.feedback.service import MAX_COMMENT, Answer
from core.kernel.errors import NotFound, PermissionDenied, ValidationError
from core.kernel.events import DomainEvent, LowScoreReceived
from core.kernel.ids import stable_id
from core.purchases.model import LineDraft, SaleDraft, TenderDraft
from core.shoppers.model import VisitDraft
from core.staff.auth import Actor, Role
from storage.bootstrap import Services, build_services
from storage.db import Store
from storage.outbox import SqlOutbox
from storage.uow import uow_factory
from tests.clock import INSTANTS, TestClock
from tests.conftest import actor_for

pytestmark = pytest.mark.instants


def one(store: Store, sql: str, **params: object) -> tuple[object, ...]:
    with store.read_engine.connect() as conn:
        row = conn.execute(text(sql), params).first()
    assert row is not None, sql
    return tuple(row)


def count(store: Store, sql: str, **params: object) -> int:
    with store.read_engine.connect() as conn:
        return int(conn.execute(text(sql), params).scalar() or 0)


def setting(services: Services, actor: Actor, key: str, value: str) -> None:
    with uow_factory(services.store, services.clock)(actor) as uow:
        uow.settings.save_setting(key, value)
        uow.commit()


def small_sale(customer_id: str | None) -> SaleDraft:
    oud = LineDraft("OUD-ROY-50", "Royal Oud", "Perfume & Oud", "oud", 50, 1, 89_000)
    return SaleDraft(customer_id, (oud,), TenderDraft(cash_fils=100_000))


class Heard:
    def __init__(self) -> None:
        self.events: list[DomainEvent] = []

    def low(self) -> list[LowScoreReceived]:
        return [e for e in self.events if isinstance(e, LowScoreReceived)]


@pytest.fixture
def heard() -> Heard:
    return Heard()


@pytest.fixture
def services(store: Store, clock: TestClock, heard: Heard) -> Services:
    return build_services(store, clock, handlers=[{DomainEvent: [lambda e, _uow: heard.events.append(e)]}])


def sold(services: Services, cashier: Actor) -> tuple[str, str, str]:
    """A sale to a known customer: (customer id, order id, the survey's code)."""
    who = services.customers.search("moh")[0].id
    sale = services.purchases.record_sale(cashier, small_sale(who))
    (code,) = one(services.store, "SELECT token FROM survey_invitations WHERE order_id = :o", o=sale.order.id)
    return who, sale.order.id, str(code)


def balance_of(store: Store, customer_id: str, reason_like: str) -> int:
    return count(
        store,
        "SELECT sum(t.points) FROM loyalty_transactions AS t JOIN loyalty_accounts AS a ON a.id = t.account_id "
        "WHERE a.customer_id = :c AND t.reason LIKE :r",
        c=customer_id,
        r=reason_like,
    )


def test_a_sale_owes_a_survey_held_in_the_outbox_until_it_is_due(
    services: Services, cashier: Actor, clock: TestClock
) -> None:
    now = clock.now()
    _who, order_id, code = sold(services, cashier)
    kind, sent_at, message_id = one(
        services.store,
        "SELECT kind, sent_at, communication_id FROM survey_invitations WHERE order_id = :o",
        o=order_id,
    )
    assert kind == "post_purchase" and len(code) == 8
    due = datetime.fromisoformat(str(sent_at)).replace(tzinfo=UTC)
    assert timedelta(hours=24) <= due - now < timedelta(hours=24, minutes=1)
    body, status, next_attempt = one(
        services.store, "SELECT body, status, next_attempt_at FROM communications WHERE id = :m", m=message_id
    )
    assert status == "queued" and code in str(body) and "0" in str(body) and "10" in str(body)
    assert next_attempt is not None
    assert count(services.store, "SELECT count(*) FROM change_log WHERE entity = 'survey_invitations'") == 1
    outbox = SqlOutbox(services.store)
    early = outbox.claim("test", now + timedelta(hours=23), now + timedelta(hours=24), 100)
    assert message_id not in [m.id for m in early]
    later = due + timedelta(seconds=1)
    assert message_id in [m.id for m in outbox.claim("test", later, later + timedelta(minutes=2), 100)]
    # An anonymous sale owes none.
    services.purchases.record_sale(cashier, small_sale(None))
    assert count(services.store, "SELECT count(*) FROM survey_invitations") == 1


def test_a_customer_without_consent_is_not_sent_the_survey(services: Services, cashier: Actor) -> None:
    amal = services.customers.create(cashier, CustomerDraft(first_name_en="Amal", mobile="+971501112233"))
    sale = services.purchases.record_sale(cashier, small_sale(amal.id))
    (status,) = one(
        services.store,
        "SELECT c.status FROM survey_invitations AS i JOIN communications AS c ON c.id = i.communication_id "
        "WHERE i.order_id = :o",
        o=sale.order.id,
    )
    (receipt_status,) = one(
        services.store,
        "SELECT status FROM communications WHERE customer_id = :c AND id <> "
        "(SELECT communication_id FROM survey_invitations WHERE order_id = :o)",
        c=amal.id,
        o=sale.order.id,
    )
    assert status == receipt_status == "refused"  # no consent recorded: neither goes


def test_one_answer_per_invitation_with_points_once(services: Services, cashier: Actor, heard: Heard) -> None:
    who, order_id, code = sold(services, cashier)
    result = services.feedback.answer(cashier, code.lower(), who, Answer(nps=9, kind="service", comment="Lovely"))
    assert result.points == 10 and not result.low and result.sentiment == "positive"
    row = one(
        services.store,
        "SELECT nps, kind, comment, sentiment, invitation_id, low_score FROM customer_feedback WHERE id = :f",
        f=result.feedback_id,
    )
    assert row[:4] == (9, "service", "Lovely", "positive") and row[5] in (0, False)
    assert count(services.store, "SELECT count(*) FROM change_log WHERE row_id = :f", f=result.feedback_id) == 1
    assert one(services.store, "SELECT answered_at IS NOT NULL FROM survey_invitations WHERE token = :t", t=code)[0]
    assert balance_of(services.store, who, "feedback:%") == 10
    # Answered before its message was due: the message is not sent.
    assert one(
        services.store,
        "SELECT c.status FROM survey_invitations AS i JOIN communications AS c ON c.id = i.communication_id "
        "WHERE i.token = :t",
        t=code,
    ) == ("dead",)
    with pytest.raises(ValidationError, match="already answered"):
        services.feedback.answer(cashier, code, who, Answer(nps=10))
    with pytest.raises(ValidationError, match="already answered"):
        services.feedback.answer_at_till(cashier, order_id, Answer(nps=10))
    assert balance_of(services.store, who, "feedback:%") == 10
    assert heard.low() == []


def test_bad_answers_are_refused_and_nothing_is_written(services: Services, cashier: Actor) -> None:
    who, _order_id, code = sold(services, cashier)
    other = services.customers.create(cashier, CustomerDraft(first_name_en="Other", mobile="+971501119999"))
    for answer, field in (
        (Answer(nps=11), "nps"),
        (Answer(nps=-1), "nps"),
        (Answer(rating=0), "rating"),
        (Answer(rating=6), "rating"),
        (Answer(nps=5, kind="praise"), "kind"),
    ):
        with pytest.raises(ValidationError) as refused:
            services.feedback.answer(cashier, code, who, answer)
        assert refused.value.field == field
    with pytest.raises(ValidationError, match="another customer"):
        services.feedback.answer(cashier, code, other.id, Answer(nps=9))
    with pytest.raises(ValidationError, match="another customer"):
        services.feedback.answer(cashier, code, None, Answer(nps=9))
    with pytest.raises(NotFound):
        services.feedback.answer(cashier, "NOSUCH23", who, Answer(nps=9))
    shopper = actor_for(services, Role.PERSONAL_SHOPPER)
    with pytest.raises(PermissionDenied):
        services.feedback.low_scores_waiting(shopper)
    assert count(services.store, "SELECT count(*) FROM customer_feedback") == 0


def test_a_survey_expires_at_midnight_in_dubai(services: Services, cashier: Actor, clock: TestClock) -> None:
    who, _order_id, code = sold(services, cashier)
    sent, expires = one(services.store, "SELECT sent_at, expires_at FROM survey_invitations WHERE token = :t", t=code)
    sent_at = datetime.fromisoformat(str(sent)).replace(tzinfo=UTC)
    expires_at = datetime.fromisoformat(str(expires)).replace(tzinfo=UTC)
    dubai_sent = sent_at + timedelta(hours=4)
    # Seven days after the day it is sent in Dubai, at 24:00 there (20:00 UTC).
    assert (expires_at + timedelta(hours=4)).date() == dubai_sent.date() + timedelta(days=8)
    assert expires_at.hour == 20 and expires_at.minute == 0
    late = TestClock(expires_at, tick=False)
    refused = build_services(services.store, late)
    with pytest.raises(ValidationError, match="closed on") as closed:
        refused.feedback.answer(cashier, code, who, Answer(nps=8))
    assert closed.value.params["date"] == (dubai_sent.date() + timedelta(days=7)).isoformat()
    in_time = build_services(services.store, TestClock(expires_at - timedelta(minutes=1), tick=False))
    assert in_time.feedback.answer(cashier, code, who, Answer(nps=8)).points == 10


def test_new_years_eve_in_dubai_and_month_end() -> None:
    from core.feedback.service import expires_at

    # 23:59 on 31 December in Dubai, sent a day later: the 1 January survey closes at the end of 8 January.
    sent = INSTANTS["new_years_eve_dubai"] + timedelta(hours=24)
    assert expires_at(sent, 7) == datetime(2027, 1, 8, 20, 0, tzinfo=UTC)
    # 31 January at 16:00 in Dubai, three days: 3 February ends at 20:00 UTC.
    assert expires_at(INSTANTS["month_end"], 3) == datetime(2027, 2, 3, 20, 0, tzinfo=UTC)


def test_a_long_comment_is_cut_and_bidi_controls_dropped(services: Services, cashier: Actor) -> None:
    who, _order_id, code = sold(services, cashier)
    comment = "\u202egood\u2066 service\u2069 " + "x" * 20_000
    result = services.feedback.answer(cashier, code, who, Answer(nps=10, comment=comment))
    assert result.comment is not None and len(result.comment) == MAX_COMMENT
    assert result.comment.startswith("good service ")
    (kept,) = one(services.store, "SELECT comment FROM customer_feedback WHERE id = :f", f=result.feedback_id)
    assert kept == result.comment


def test_an_empty_answer_closes_the_survey_without_points(services: Services, cashier: Actor) -> None:
    who, _order_id, code = sold(services, cashier)
    result = services.feedback.answer(cashier, code, who, Answer(comment=" \u202e "))
    assert result.points == 0 and result.comment is None
    assert balance_of(services.store, who, "feedback:%") == 0
    with pytest.raises(ValidationError, match="already answered"):
        services.feedback.answer(cashier, code, who, Answer(nps=10))


def test_points_for_feedback_follow_the_setting(services: Services, cashier: Actor, manager: Actor) -> None:
    setting(services, manager, "feedback.points", "0")
    who, _order_id, code = sold(services, cashier)
    assert services.feedback.answer(cashier, code, who, Answer(nps=7)).points == 0
    setting(services, manager, "feedback.points", "25")
    who, _order_id, code = sold(services, cashier)
    assert services.feedback.answer(cashier, code, who, Answer(rating=4)).points == 25
    assert balance_of(services.store, who, "feedback:%") == 25


@pytest.mark.parametrize(
    ("answer", "low"),
    [
        (Answer(nps=6), True),
        (Answer(nps=7), False),
        (Answer(rating=2), True),
        (Answer(rating=3), False),
        (Answer(nps=9, kind="complaint"), True),
        (Answer(nps=9, comment="Terrible service, very rude and slow"), True),
    ],
)
def test_a_low_score_is_stated_and_waits_for_the_manager(
    services: Services, cashier: Actor, manager: Actor, heard: Heard, answer: Answer, low: bool
) -> None:
    who, order_id, code = sold(services, cashier)
    result = services.feedback.answer(cashier, code, who, answer)
    assert result.low is low
    waiting = [f.id for f in services.feedback.low_scores_waiting(manager)]
    if low:
        (event,) = heard.low()
        assert (event.feedback_id, event.customer_id, event.order_id) == (result.feedback_id, who, order_id)
        assert waiting == [result.feedback_id]
    else:
        assert heard.low() == [] and waiting == []


def test_answers_at_the_till(services: Services, cashier: Actor) -> None:
    anonymous = services.purchases.record_sale(cashier, small_sale(None))
    result = services.feedback.answer_at_till(cashier, anonymous.order.id, Answer(nps=10))
    assert result.points == 0 and result.feedback_id == stable_id("feedback", "order", anonymous.order.id)
    with pytest.raises(ValidationError, match="already answered"):
        services.feedback.answer_at_till(cashier, anonymous.order.id, Answer(nps=3))
    who, order_id, code = sold(services, cashier)
    known = services.feedback.answer_at_till(cashier, order_id, Answer(nps=8))
    assert known.points == 10
    with pytest.raises(ValidationError, match="already answered"):
        services.feedback.answer(cashier, code, who, Answer(nps=8))
    with pytest.raises(NotFound):
        services.feedback.answer_at_till(cashier, "no-such-order", Answer(nps=8))


def test_a_vip_visit_owes_a_service_survey(services: Services, cashier: Actor, clock: TestClock) -> None:
    noura = next(s for s in services.staff.staff_of_branch(services.store.branch_id) if s.role == Role.PERSONAL_SHOPPER)
    shopper = Actor(noura.id, noura.branch_id, noura.role, noura.name_en)
    who = services.customers.search("moh")[0].id
    visit = services.shoppers.log_visit(shopper, VisitDraft(customer_id=who, visited_at=clock.now()))
    kind, visit_id = one(services.store, "SELECT kind, visit_id FROM survey_invitations WHERE customer_id = :c", c=who)
    assert (kind, visit_id) == ("vip_service", visit.id)


def test_nps_per_month_and_branch(services: Services, cashier: Actor, manager: Actor, clock: TestClock) -> None:
    scores = [10, 9, 9, 8, 3]
    for score in scores:
        sale = services.purchases.record_sale(cashier, small_sale(None))
        services.feedback.answer_at_till(cashier, sale.order.id, Answer(nps=score))
    since, until = clock.now() - timedelta(days=40), clock.now() + timedelta(days=1)
    (branch,) = services.feedback.nps(manager, "branch", since, until, min_answers=5)
    assert branch.counts.group == services.store.branch_id
    assert (branch.counts.promoters, branch.counts.passives, branch.counts.detractors) == (3, 1, 1)
    assert branch.score == pytest.approx(40.0)
    months = services.feedback.nps(manager, "month", since, until)
    assert [(m.counts.group, m.counts.answers, m.enough_data) for m in months] == [
        ((clock.now() + timedelta(hours=4)).strftime("%Y-%m"), 5, False)
    ]
    for grouping in ("shopper", "segment", "campaign"):
        assert sum(f.counts.answers for f in services.feedback.nps(manager, grouping, since, until)) == 5
    with pytest.raises(ValueError):
        services.feedback.nps(manager, "colour", since, until)


def test_a_reply_answers_the_customers_open_survey(services: Services, cashier: Actor, clock: TestClock) -> None:
    who, _order_id, code = sold(services, cashier)
    with pytest.raises(ValidationError, match="no open survey"):
        services.feedback.answer_reply(cashier, who, "9")  # its message is not sent before tomorrow
    later = build_services(services.store, clock.shifted(hours=25))
    with pytest.raises(ValidationError, match="no customer has"):
        later.feedback.answer_reply(cashier, None, "9")
    with pytest.raises(ValidationError) as refused:
        later.feedback.answer_reply(cashier, who, "11")
    assert refused.value.field == "nps"
    result = later.feedback.answer_reply(cashier, who, "٩، خدمة ممتازة")
    assert result.comment == "خدمة ممتازة" and result.points == 10
    (nps, invitation) = one(
        services.store, "SELECT nps, invitation_id FROM customer_feedback WHERE id = :f", f=result.feedback_id
    )
    assert nps == 9
    assert invitation == one(services.store, "SELECT id FROM survey_invitations WHERE token = :t", t=code)[0]
    with pytest.raises(ValidationError, match="no open survey"):
        later.feedback.answer_reply(cashier, who, "10")


@pytest.mark.parametrize(
    ("answer", "priority", "subject"),
    [
        (
            Answer(nps=2, comment="The oud I bought smells nothing like the tester\nand nobody called back"),
            "high",
            "NPS 2/10 · The oud I bought smells nothing like the tester",
        ),
        (Answer(rating=2), "medium", "★ 2/5"),
        (Answer(nps=8, kind="complaint", comment="الطلب وصل متأخر"), "high", "NPS 8/10 · الطلب وصل متأخر"),
    ],
)
def test_a_low_score_opens_a_ticket_linked_to_the_answer_the_order_and_the_customer(
    services: Services, cashier: Actor, manager: Actor, answer: Answer, priority: str, subject: str
) -> None:
    who, order_id, code = sold(services, cashier)
    result = services.feedback.answer(cashier, code, who, answer)
    (ticket,) = services.tickets.find(manager)
    assert (ticket.customer_id, ticket.order_id, ticket.feedback_id) == (who, order_id, result.feedback_id)
    assert (ticket.source, ticket.source_id, ticket.status) == ("feedback", result.feedback_id, "open")
    assert (ticket.priority, ticket.subject) == (priority, subject)
    assert ticket.description == (answer.comment or "")
    assert ticket.due_at is not None and ticket.due_at > services.clock.now()
    # One ticket per answer, whichever till takes it: its id is the answer's.
    assert ticket.id == stable_id("ticket-from-feedback", result.feedback_id)


def test_a_good_or_anonymous_answer_opens_no_ticket(services: Services, cashier: Actor, manager: Actor) -> None:
    who, _order_id, code = sold(services, cashier)
    services.feedback.answer(cashier, code, who, Answer(nps=9, comment="Lovely oud, thank you"))
    anonymous = services.purchases.record_sale(cashier, small_sale(None))
    assert services.feedback.answer_at_till(cashier, anonymous.order.id, Answer(nps=1)).low
    assert services.tickets.find(manager) == []
