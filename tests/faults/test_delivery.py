"""DESIGN.md faults 3, 4, 5 and 7: pushes that arrive twice, late, out of order, half-applied or forged."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from core.offline.allowances import DecreaseKind
from sync.client import HeadOfficeClient, SyncFailure
from sync.credentials import CredentialStore
from sync.headoffice import models as m
from sync.headoffice.store import HeadOfficeStore
from tests.faults.proxy import DROP_RESPONSE, DUPLICATE, REPLAY_LATER
from tests.faults.support import Branch, ServerProcess, chain, chain_template, open_branch, wait_until_up


def held_by_headoffice(ho: HeadOfficeStore, branch_id: str) -> list[int]:
    c = m.changes.c
    with ho.reader.connect() as conn:
        return [r[0] for r in conn.execute(select(c.branch_seq).where(c.origin == branch_id).order_by(c.branch_seq))]


def write_some(branch: Branch, customers: int = 6) -> None:
    for i in range(customers):
        branch.new_customer(f"Guest{i}", f"+97150{i:07d}")


def test_3_lost_response_then_retry_duplicates_nothing(tmp_path: Path) -> None:
    with chain(tmp_path, ("DXB1",), proxies=True, push_batch=4) as (ho, _server, (a,)):
        write_some(a)  # 12 changes: a customer and its audit row each
        a.proxy.script("/v1/push", DROP_RESPONSE)  # type: ignore[union-attr]
        with pytest.raises(SyncFailure):
            a.sync()  # head office committed the first batch; the answer never came back
        assert held_by_headoffice(ho, a.store.branch_id) == [1, 2, 3, 4]
        assert a.replica.pushed_seq() == 0, "the branch does not know yet"
        a.sync()  # the retry resends seq 1-4 first
        assert held_by_headoffice(ho, a.store.branch_id) == list(range(1, 13))
        assert len(ho.merged_rows("customers")) == 6
        assert a.replica.unsynced() == 0


def test_4_duplicates_reordering_replays_and_gaps_are_as_if_delivered_once(tmp_path: Path) -> None:
    with chain(tmp_path, ("DXB1", "DXB2")) as (ho, server, (a, b)):
        card = a.issue_card(90_000)
        write_some(a, 8)
        changes = a.replica.changes_after(0, 100)  # 2 + 16 changes
        batches = [changes[i : i + 6] for i in range(0, len(changes), 6)]
        secret = CredentialStore(a.store.path).load(a.store.branch_id)
        client = HeadOfficeClient(server.url, a.store.branch_id, secret or "")

        def key(batch: list[dict]) -> str:  # type: ignore[type-arg]
            return f"{a.store.branch_id}:{batch[0]['branch_seq']}-{batch[-1]['branch_seq']}"

        first = client.push(batches[0], key(batches[0]))
        assert first.acked_seq == 6
        again = client.push(batches[0], key(batches[0]))  # the same batch twice
        assert (again.acked_seq, again.applied) == (6, 0)
        gap = client.push(batches[2], key(batches[2]))  # seq 13-18 while 7-12 is missing: held back
        assert gap.held and gap.acked_seq == 6
        assert held_by_headoffice(ho, a.store.branch_id) == list(range(1, 7))
        late = client.push(batches[1], key(batches[1]))  # the missing batch: it and the held one apply
        assert late.acked_seq == 18 and not late.held
        replay = client.push(batches[0], key(batches[0]))  # an old batch replayed after newer ones
        assert (replay.acked_seq, replay.applied) == (18, 0)
        overlap = client.push(changes[3:15], "overlapping-retry")  # a retry with other batch bounds
        assert overlap.acked_seq == 18 and overlap.applied == 0
        client.close()
        assert held_by_headoffice(ho, a.store.branch_id) == list(range(1, 19))
        assert ho.balances("gift_card") == {card: 90_000}

        # The same through a proxy that duplicates and replays the worker's own requests.
        write_some(b, 5)
        b_proxy_branch = open_branch(
            chain_template(tmp_path), tmp_path, "AUH1", ho, server.url, upstream_port=server.port, push_batch=3
        )
        try:
            write_some(b_proxy_branch, 6)
            b_proxy_branch.proxy.script("/v1/push", DUPLICATE, REPLAY_LATER, DUPLICATE, delay_s=0.3)  # type: ignore[union-attr]
            for _ in range(6):
                try:
                    b_proxy_branch.sync()
                except SyncFailure:
                    continue
            import time

            time.sleep(0.5)  # let the replayed request land after everything else
            b_proxy_branch.sync()
            assert held_by_headoffice(ho, b_proxy_branch.store.branch_id) == list(range(1, 13))
            b.sync()
            a.sync()
            b_proxy_branch.sync()
            assert a.registers("customers") == b.registers("customers") == b_proxy_branch.registers("customers")
        finally:
            b_proxy_branch.close()


def test_5_headoffice_dies_inside_a_batch_all_or_nothing(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'ho.sqlite'}"
    ho = HeadOfficeStore(db)  # the schema, the branch's enrolment code; the server is a separate process
    dying = ServerProcess(db)
    dying.start("-m", "tests.faults.processes", "headoffice", "--crash-after", "7")

    a = open_branch(chain_template(tmp_path), tmp_path, "DXB1", ho, dying.url, push_batch=20)
    try:
        write_some(a, 10)  # 20 changes: one batch
        with pytest.raises(SyncFailure):
            a.sync()
        assert dying.proc is not None and dying.proc.wait(10) == -9, "killed with SIGKILL inside the batch"
        assert held_by_headoffice(ho, a.store.branch_id) == [], "nothing of the half-written batch survived"
        with ho.reader.connect() as conn:
            assert conn.execute(select(func.count()).select_from(m.rows)).scalar() == 0
        again = ServerProcess(db, port=dying.port).start()
        try:
            wait_until_up(again.url)
            a.sync()
            assert held_by_headoffice(ho, a.store.branch_id) == list(range(1, 21))
            assert len(ho.merged_rows("customers")) == 10
        finally:
            again.stop()
    finally:
        a.close()
        ho.close()


def test_7_same_key_different_body_is_refused_and_applies_nothing(tmp_path: Path) -> None:
    with chain(tmp_path, ("DXB1",)) as (ho, server, (a,)):
        card = a.issue_card(10_000)
        changes = a.replica.changes_after(0, 10)
        secret = CredentialStore(a.store.path).load(a.store.branch_id) or ""
        client = HeadOfficeClient(server.url, a.store.branch_id, secret)
        client.push(changes[:1], "k-1")
        forged = [dict(changes[1], payload={"card_id": card, "kind": "redeem", "amount_fils": 999_999})]
        with pytest.raises(SyncFailure) as refused:
            client.push(forged, "k-1")
        assert refused.value.status == 409
        assert held_by_headoffice(ho, a.store.branch_id) == [1]
        # A branch_seq already held for another event (a store restored from an old copy) is refused too.
        other = dict(changes[0], event_id="01900000-0000-7000-8000-000000000000")
        with pytest.raises(SyncFailure) as reused:
            client.push([other], "k-2")
        assert reused.value.status == 409
        # Another branch's secret cannot push as this one.
        with pytest.raises(SyncFailure) as forged_branch:
            HeadOfficeClient(server.url, a.store.branch_id, "not-the-secret").push(changes[1:], "k-3")
        assert forged_branch.value.status == 401
        client.push(changes[1:], "k-4")
        client.close()
        assert ho.balances("gift_card") == {card: 10_000}
        assert a.balance(DecreaseKind.GIFT_CARD, card) == 10_000
