"""DESIGN.md fault 6: a branch killed (SIGKILL) after applying a pull, before its cursor is saved."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from core.offline.allowances import DecreaseKind
from storage.db import open_store
from storage.replica import SqlReplica
from tests.faults.support import ROOT, balance, chain, chain_template, ledger, open_branch, registers


def run_branch(store: Path, die_at: str) -> int:
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "tests.faults.processes",
            "branch",
            "--store",
            str(store),
            "--die-at",
            die_at,
            "--pull-page",
            "7",
        ],
        cwd=ROOT,
        timeout=60,
    ).returncode


@pytest.mark.parametrize("die_at", ["pull-applied", "pull-cursor"])
def test_6_branch_killed_inside_a_pull_loses_and_doubles_nothing(tmp_path: Path, die_at: str) -> None:
    with chain(tmp_path, ("DXB1",)) as (ho, server, (a,)):
        card = a.issue_card(70_000)
        a.sync()
        a.redeem(DecreaseKind.GIFT_CARD, card, 25_000)
        for i in range(5):
            a.new_customer(f"Guest{i}", f"+97155{i:07d}")
        a.sync()
        b = open_branch(chain_template(tmp_path), tmp_path, "DXB2", ho, server.url)
        path = b.store.path
        b.close()  # the branch runs as its own process from here on

        assert run_branch(path, die_at) == -9, "the branch process was killed inside its first pull page"
        store = open_store(path)
        replica = SqlReplica(store)
        assert replica.pull_cursor() == 0, "the page and its cursor are one transaction: neither survived"
        with store.read_engine.connect() as conn:
            assert conn.exec_driver_sql("SELECT count(*) FROM customers").scalar() == 0
        store.close()

        assert run_branch(path, "never") == 0, "restarted, it pulls everything"
        store = open_store(path)
        try:
            assert balance(store, DecreaseKind.GIFT_CARD, card) == 45_000, "nothing doubled"
            assert ledger(store, "gift_card_transactions") == a.ledger("gift_card_transactions")
            assert registers(store, "customers") == a.registers("customers")
            assert SqlReplica(store).pull_cursor() == ho.head()
        finally:
            store.close()
