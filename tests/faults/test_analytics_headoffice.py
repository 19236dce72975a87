"""Head office computes the chain's dashboards from what the branches pushed, on an administrator's request with
its progress, and serves each branch the chain's figures and its own, a bounded page at a time, to signed
requests only; the figures are the ones a till computes from the same history."""

from __future__ import annotations

import time
from datetime import datetime
from pathlib import Path

import httpx
import pytest

from core.analytics.figures import FigureKey, recompute
from core.purchases.model import LineDraft, SaleDraft, TenderDraft
from storage.bootstrap import build_services
from storage.repositories.figures import SqlFigures, SqlHistory
from sync.analytics_pull import FiguresPull
from sync.client import SyncFailure
from sync.headoffice.store import HeadOfficeConfig
from tests.clock import TestClock
from tests.faults.support import Branch, chain, generous

OUD = LineDraft("OUD-ROY-100", "Royal Oud", "Perfume & Oud", "oud", 100, 1, 120_000)
ADMIN = {"Authorization": "Bearer letmein"}


def sell(branch: Branch, count: int) -> None:
    services = build_services(branch.store, TestClock(), link=branch.worker)
    customer = branch.new_customer("Mariam", f"+97150{abs(hash(branch.code)) % 10_000_000:07d}")
    for _ in range(count):
        services.purchases.record_sale(branch.actor, SaleDraft(customer, (OUD,), TenderDraft(cash_fils=126_000)))


def test_the_chains_figures_are_computed_at_head_office_and_pulled_by_each_branch(tmp_path: Path) -> None:
    config = HeadOfficeConfig(admin_token="letmein", default_allowances=generous())
    with chain(tmp_path, ("DXB1", "DXB2"), config=config) as (_ho, server, (a, b)):
        sell(a, 2)
        sell(b, 1)
        for branch in (a, b, a):
            branch.sync()

        assert httpx.post(server.url + "/v1/admin/analytics/recompute").status_code == 401
        started = httpx.post(server.url + "/v1/admin/analytics/recompute", headers=ADMIN)
        assert started.status_code == 202
        deadline = time.monotonic() + 60
        while True:
            status = httpx.get(server.url + "/v1/admin/analytics/status", headers=ADMIN).json()
            if not status["running"] and status["computed_at"]:
                break
            assert time.monotonic() < deadline, status
            time.sleep(0.1)
        assert status["error"] == "" and status["step"] == "save" and status["done"] == status["of"] == 1

        stored = FiguresPull(a.worker.client, SqlFigures(a.store), a.store.branch_id).pull()
        assert stored > 0
        figures = SqlFigures(a.store)
        chain_sales = figures.load(FigureKey("sales", "all"))
        own = figures.load(FigureKey("sales", "all", a.store.branch_id))
        assert chain_sales is not None and own is not None
        assert chain_sales.payload["totals"]["orders"] == 3 and own.payload["totals"]["orders"] == 2
        assert figures.load(FigureKey("sales", "all", b.store.branch_id)) is None  # never another branch's

        # The same figures a till computes from the same history (branch a has pulled b's sales).
        local: list = []
        recompute(SqlHistory(a.store), local.extend, datetime.fromisoformat(status["computed_at"]))  # HO's moment
        mine = next(f for f in local if f.key == FigureKey("sales", "all"))
        assert mine.payload["totals"] == chain_sales.payload["totals"]
        assert mine.payload["tables"]["month"] == chain_sales.payload["tables"]["month"]
        people = next(f for f in local if f.key == FigureKey("customers", "all"))
        assert people.payload["totals"] == figures.load(FigureKey("customers", "all")).payload["totals"]

        # Bounded, signed, never a 500.
        page = a.worker.client.analytics_figures(0, 10)
        assert len(page["figures"]) == 10 and page["next"] == 10
        assert len(a.worker.client.analytics_figures(0, 100)["figures"]) == stored
        with pytest.raises(SyncFailure):
            a.worker.client.analytics_figures(0, 101)
        assert httpx.get(server.url + "/v1/analytics/figures").status_code in (401, 422)
        assert httpx.get(server.url + "/v1/analytics/figures?after=-1").status_code in (401, 422)
        assert a.worker.client.analytics_figures(10**6, 100)["figures"] == []
