"""The dispatcher on a real store file, sending to the fake providers over loopback: what it records, how it
retries, when it gives up, and how late provider statuses land."""

from __future__ import annotations

import random
import threading
from collections.abc import Iterator, Sequence
from datetime import datetime, timedelta

import pytest

from core.kernel.bus import EventBus
from core.kernel.events import TierUpgraded
from core.messaging import handlers as messaging_handlers
from core.messaging.dispatch import Dispatcher, apply_provider_status
from core.messaging.outbox import RetryPolicy, provider_status
from core.messaging.ports import Accepted, OutboundMessage, Record, StatusApplied
from core.purchases.service import PurchaseService
from core.staff.auth import Actor
from storage.bootstrap import Services
from storage.outbox import SqlOutbox
from storage.uow import uow_factory
from sync.messaging.gateway import ChannelGateway
from tests.clock import TestClock
from tests.dispatching import correlation_ids, gateway, queue_messages, rows
from tests.integration.test_events import silver_sale
from tests.providers import FakeProviders, server_error, unifonic_error

POLICY = RetryPolicy(max_attempts=3, base=timedelta(seconds=10), cap=timedelta(seconds=60))


@pytest.fixture
def fake() -> Iterator[FakeProviders]:
    server = FakeProviders().start()
    yield server
    server.stop()


@pytest.fixture
def dispatcher(services: Services, clock: TestClock, fake: FakeProviders) -> Iterator[Dispatcher]:
    made = Dispatcher(
        SqlOutbox(services.store), gateway(fake.url, clock), clock, retry=POLICY, rng=random.Random(5), concurrency=4
    )
    yield made
    made.close()


def message(services: Services, message_id: str) -> dict[str, object]:
    found = rows(services.store, "SELECT * FROM communications WHERE id = :m", m=message_id)
    return dict(found[0]._mapping)


def history(services: Services, message_id: str) -> list[tuple[str, str | None]]:
    found = rows(
        services.store,
        "SELECT status, provider_code FROM communication_events WHERE message_id = :m ORDER BY at, rowid",
        m=message_id,
    )
    return [(r[0], r[1]) for r in found]


def test_a_queued_sms_is_sent_recorded_and_logged(
    services: Services, cashier: Actor, dispatcher: Dispatcher, fake: FakeProviders
) -> None:
    [sms] = queue_messages(services.store, services.clock, cashier, 1, body="مرحبا")  # Arabic: UCS-2, 1 part
    done = dispatcher.run_once()
    assert done.claimed == 1 and done.sent == 1
    assert correlation_ids(fake) == [sms] and fake.violations == []
    row = message(services, sms)
    assert row["status"] == "sent" and row["attempts"] == 1 and row["provider"] == "unifonic"
    assert str(row["provider_message_id"]).startswith("40") and row["cost_fils"] == 5  # 0.05 AED a part
    assert row["sent_at"] is not None and row["next_attempt_at"] is None
    assert history(services, sms) == [("sending", None), ("sent", None)]
    logged = rows(
        services.store,
        "SELECT entity, op FROM change_log WHERE row_id = :m OR row_id IN "
        "(SELECT id FROM communication_events WHERE message_id = :m) ORDER BY branch_seq",
        m=sms,
    )
    assert sorted(tuple(r) for r in logged) == [
        ("communication_events", "insert"),
        ("communication_events", "insert"),
        ("communications", "insert"),
        ("communications", "update"),
    ]
    assert rows(services.store, "SELECT count(*) FROM outbox_leases")[0][0] == 0
    assert dispatcher.run_once().claimed == 0  # nothing is sent twice


def test_429_with_retry_after_then_5xx_then_success(
    services: Services, cashier: Actor, clock: TestClock, dispatcher: Dispatcher, fake: FakeProviders
) -> None:
    fake.script("unifonic", server_error(429, retry_after=120), server_error(503))
    [sms] = queue_messages(services.store, services.clock, cashier, 1)
    assert dispatcher.run_once().retrying == 1
    row = message(services, sms)
    assert row["status"] == "failed" and row["attempts"] == 1 and "429" in str(row["last_error"])
    clock.advance(seconds=119)
    assert dispatcher.run_once().claimed == 0  # the provider asked for two minutes
    clock.advance(seconds=2)
    assert dispatcher.run_once().retrying == 1
    clock.advance(seconds=60)  # past any backoff the policy can draw for a second failure (≤ 20 s)
    assert dispatcher.run_once().sent == 1
    row = message(services, sms)
    assert row["status"] == "sent" and row["attempts"] == 3 and row["last_error"] is None
    assert [s for s, _ in history(services, sms)] == ["sending", "failed", "sending", "failed", "sending", "sent"]
    assert correlation_ids(fake) == [sms] * 3


def test_dead_after_the_attempts_allowed(
    services: Services, cashier: Actor, clock: TestClock, dispatcher: Dispatcher, fake: FakeProviders
) -> None:
    fake.script("unifonic", *[server_error(503)] * 5)
    [sms] = queue_messages(services.store, services.clock, cashier, 1)
    for _ in range(POLICY.max_attempts):
        dispatcher.run_once()
        clock.advance(seconds=120)
    row = message(services, sms)
    assert row["status"] == "dead" and row["attempts"] == 3 and row["failed_at"] is not None
    assert dispatcher.run_once().claimed == 0 and len(fake.of("unifonic")) == 3


def test_a_permanent_refusal_is_dead_at_once_with_its_code(
    services: Services, cashier: Actor, dispatcher: Dispatcher, fake: FakeProviders
) -> None:
    fake.script("unifonic", unifonic_error("ER-05", "no route: landline"))
    [sms] = queue_messages(services.store, services.clock, cashier, 1)
    assert dispatcher.run_once().dead == 1
    row = message(services, sms)
    assert row["status"] == "dead" and row["attempts"] == 1 and str(row["last_error"]).startswith("ER-05")
    assert history(services, sms) == [("sending", None), ("dead", "ER-05")]


def test_a_rolled_back_sale_sends_nothing(
    services: Services, cashier: Actor, clock: TestClock, dispatcher: Dispatcher, fake: FakeProviders
) -> None:
    def refuse(_event: TierUpgraded, _uow: object) -> None:
        raise RuntimeError("the till lost power before the sale committed")

    bus = EventBus(messaging_handlers.HANDLERS, {TierUpgraded: [refuse]})
    failing = PurchaseService(uow_factory(services.store, clock, bus), clock, services.sync)
    who = services.customers.search("moh")[0].id
    before = rows(services.store, "SELECT count(*) FROM communications")[0][0]
    with pytest.raises(RuntimeError):
        failing.record_sale(cashier, silver_sale(who))
    assert rows(services.store, "SELECT count(*) FROM communications")[0][0] == before
    assert dispatcher.run_once().claimed == 0 and fake.requests == []
    # The same sale committed queues its messages (the tier upgrade, the receipt where the customer agreed),
    # and the dispatcher sends exactly those; the survey waits in the outbox until it is due, a day later.
    services.purchases.record_sale(cashier, silver_sale(who))
    queued = rows(
        services.store, "SELECT count(*) FROM communications WHERE status = 'queued' AND next_attempt_at IS NULL"
    )[0][0]
    assert queued >= 1
    assert dispatcher.run_once().sent == queued and len(fake.requests) == queued


def test_provider_statuses_in_any_order_and_twice(
    services: Services, cashier: Actor, clock: TestClock, dispatcher: Dispatcher
) -> None:
    [sms] = queue_messages(services.store, services.clock, cashier, 1)
    dispatcher.run_once()
    provider_id = str(message(services, sms)["provider_message_id"])
    outbox = SqlOutbox(services.store)
    at = clock.now()
    read = apply_provider_status(outbox, provider_id, "read", at + timedelta(seconds=9), "unifonic", now=at)
    assert read.found and read.changed and read.message_id == sms
    again = apply_provider_status(outbox, sms, "read", at + timedelta(seconds=30), "unifonic", now=at)
    assert again.found and not again.changed
    late = apply_provider_status(outbox, provider_id, "delivered", at + timedelta(seconds=4), "unifonic", now=at)
    assert late.changed
    row = message(services, sms)
    assert row["status"] == "read" and row["delivered_at"] is not None and row["read_at"] is not None
    assert [s for s, _ in history(services, sms)] == ["sending", "sent", "delivered", "read"]
    unknown = apply_provider_status(outbox, "wamid.nobody", "delivered", at, "whatsapp", now=at)
    assert not unknown.found and not unknown.changed


def test_a_status_finds_its_message_by_an_index_that_holds_no_queued_message(
    services: Services, cashier: Actor, dispatcher: Dispatcher
) -> None:
    """A queued message has no provider id yet: the index by provider id leaves it out (a sale's receipt writes
    one page less, and one more without an index by branch), and a status webhook's look-up still uses it."""
    [sent] = queue_messages(services.store, services.clock, cashier, 1)
    dispatcher.run_once()
    [queued] = queue_messages(services.store, services.clock, cashier, 1)
    assert message(services, queued)["provider_message_id"] is None
    [(provider_id,)] = rows(services.store, "SELECT provider_message_id FROM communications WHERE id = :m", m=sent)
    assert provider_id
    # index_list: (seq, name, unique, origin, partial)
    partial = {r[1]: r[4] for r in rows(services.store, "PRAGMA index_list(communications)")}
    assert partial["ix_communications_provider_message_id"] == 1
    assert "ix_communications_branch_id" not in partial  # nothing looks messages up by branch
    plan = rows(
        services.store,
        "EXPLAIN QUERY PLAN SELECT id FROM communications WHERE provider_message_id = :ref ORDER BY created_at LIMIT 1",
        ref=provider_id,
    )
    assert any("ix_communications_provider_message_id" in str(r[-1]) for r in plan), plan


def test_the_dispatcher_asks_the_consent_rules_at_send_time(
    services: Services, cashier: Actor, clock: TestClock, fake: FakeProviders
) -> None:
    """A customer who replies STOP after a message was queued gets nothing: the rules are read when it is sent."""
    from core.messaging.consent import Action, ConsentChange, Source
    from core.messaging.rules import ConsentSendPolicy

    [kept, stopped] = queue_messages(services.store, services.clock, cashier, 2)
    customer = str(message(services, stopped)["customer_id"])
    assert message(services, kept)["customer_id"] != customer
    other = str(message(services, kept)["customer_id"])
    with uow_factory(services.store, clock)(cashier) as uow:
        uow.consents.add(ConsentChange(other, "sms", None, Action.GRANT, Source.TILL, clock.now()))
        uow.consents.add(ConsentChange(customer, "sms", None, Action.WITHDRAW, Source.KEYWORD, clock.now()))
        uow.commit()
    policy = ConsentSendPolicy(uow_factory(services.store, clock))
    made = Dispatcher(
        SqlOutbox(services.store), gateway(fake.url, clock), clock, policy=policy, retry=POLICY, concurrency=2
    )
    try:
        made.run_once()
    finally:
        made.close()
    assert correlation_ids(fake) == [kept]
    assert message(services, kept)["status"] == "sent"
    refused = message(services, stopped)
    assert refused["status"] == "dead" and refused["attempts"] == 0 and refused["provider_message_id"] is None


class Recording(SqlOutbox):
    """The store's outbox, noting each transaction's records; the first transaction waits until every send of
    the round is done, so the results that finish meanwhile wait for one transaction together. Records of
    ``poisoned`` cannot be written."""

    def __init__(self, services: Services, sends: threading.Semaphore, poisoned: str | None = None) -> None:
        super().__init__(services.store)
        self.groups: list[list[str]] = []
        self.sends = sends
        self.poisoned = poisoned

    def update_many(self, records: Sequence[Record], now: datetime) -> list[StatusApplied]:
        self.groups.append([ref for ref, _step in records])
        if len(self.groups) == 1:
            for _ in range(4):
                assert self.sends.acquire(timeout=10)
        if self.poisoned in self.groups[-1]:
            raise RuntimeError("this row cannot be written")
        return super().update_many(records, now)


class Counting:
    def __init__(self, inner: ChannelGateway, sends: threading.Semaphore) -> None:
        self.inner, self.sends = inner, sends

    def send(self, message: OutboundMessage) -> Accepted:
        try:
            return self.inner.send(message)
        finally:
            self.sends.release()


def test_results_that_finish_together_are_recorded_in_one_transaction(
    services: Services, cashier: Actor, clock: TestClock, fake: FakeProviders
) -> None:
    sent = queue_messages(services.store, clock, cashier, 4)
    sends = threading.Semaphore(0)
    outbox = Recording(services, sends)
    made = Dispatcher(outbox, Counting(gateway(fake.url, clock), sends), clock, retry=POLICY, concurrency=4)
    try:
        done = made.run_once()
    finally:
        made.close()
    assert done.sent == 4 and sorted(correlation_ids(fake)) == sorted(sent)
    assert len(outbox.groups[0]) == 1 and len(outbox.groups) < 4  # the three others shared transactions
    assert sorted(ref for group in outbox.groups for ref in group) == sorted(sent)
    assert {message(services, m)["status"] for m in sent} == {"sent"}
    assert all(len(history(services, m)) == 2 for m in sent)


def test_a_result_that_cannot_be_written_fails_alone(
    services: Services, cashier: Actor, clock: TestClock, fake: FakeProviders
) -> None:
    sent = queue_messages(services.store, clock, cashier, 4)
    sends = threading.Semaphore(0)
    outbox = Recording(services, sends, poisoned=sent[2])
    made = Dispatcher(outbox, Counting(gateway(fake.url, clock), sends), clock, retry=POLICY, concurrency=4)
    try:
        done = made.run_once()
    finally:
        made.close()
    assert done.sent == 3 and done.unrecorded == 1 and done.outcomes[sent[2]] == "unrecorded"
    assert {message(services, m)["status"] for m in sent if m != sent[2]} == {"sent"}
    # Still queued and leased: sent again once the lease runs out, never lost.
    assert message(services, sent[2])["status"] == "queued" and history(services, sent[2]) == []
    assert rows(services.store, "SELECT count(*) FROM outbox_leases WHERE message_id = :m", m=sent[2])[0][0] == 1
    assert dispatcher_claims_nothing(services, clock, fake)


def dispatcher_claims_nothing(services: Services, clock: TestClock, fake: FakeProviders) -> bool:
    again = Dispatcher(SqlOutbox(services.store), gateway(fake.url, clock), clock, retry=POLICY, concurrency=1)
    try:
        return again.run_once().claimed == 0
    finally:
        again.close()


def test_two_results_for_one_message_in_one_transaction_apply_in_order(
    services: Services, cashier: Actor, clock: TestClock, dispatcher: Dispatcher
) -> None:
    [sms] = queue_messages(services.store, clock, cashier, 1)
    dispatcher.run_once()
    provider_id = str(message(services, sms)["provider_message_id"])
    at = clock.now()
    outbox = SqlOutbox(services.store)
    done = outbox.update_many(
        [
            (sms, lambda state: provider_status(state, "delivered", at + timedelta(seconds=4), "unifonic")),
            (provider_id, lambda state: provider_status(state, "read", at + timedelta(seconds=9), "unifonic")),
            (sms, lambda state: provider_status(state, "delivered", at + timedelta(seconds=5), "unifonic")),
        ],
        at,
    )
    assert [(d.found, d.changed) for d in done] == [(True, True), (True, True), (True, False)]
    row = message(services, sms)
    assert row["status"] == "read" and row["delivered_at"] is not None and row["read_at"] is not None
    assert [s for s, _ in history(services, sms)] == ["sending", "sent", "delivered", "read"]
