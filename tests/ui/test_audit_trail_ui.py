"""The administrators' audit trail: what it lists, its filters, paging and its CSV with formulas defused."""

from __future__ import annotations

import csv
import itertools
from datetime import date
from pathlib import Path

from PySide6.QtCore import Qt

from core.customers.model import CustomerDraft
from core.privacy.audit import KIND_SENSITIVE_READ
from core.staff.auth import Role
from storage.bootstrap import Services
from tests.conftest import actor_for
from tests.ui.conftest import sign_in
from ui.main_window import MainWindow
from ui.ops import wait_for_background
from ui.pages.audit import trail
from ui.pages.audit.trail import AuditTrailPage

EID = "784-1990-1234567-6"


def test_an_admin_browses_filters_pages_and_exports_the_trail(  # type: ignore[no-untyped-def]
    qtbot, window: MainWindow, services: Services, tmp_path: Path, monkeypatch
) -> None:
    monkeypatch.setattr(trail, "TRAIL_PAGE", 10)  # pages of ten: the demo's trail runs to several
    cashier = actor_for(services, Role.CASHIER)
    hostile = services.customers.create(
        cashier,
        CustomerDraft(
            first_name_en='=HYPERLINK("http://x")',
            mobile="+971 50 999 1212",
            emirates_id=EID,
            birthday=date(1990, 1, 2),
        ),
    )
    services.customers.reveal(cashier, hostile.id, "emirates_id")
    sign_in(qtbot, window, "admin", "4444")
    assert "audit_trail" in window.workspace.page_keys()
    window.workspace.show_page("audit_trail")
    page = window.workspace.findChild(AuditTrailPage)
    assert page is not None and page.isVisible()
    wait_for_background()
    rows = page.model.rows
    assert rows[0].action == "signed_in"  # the admin's own sign-in, newest of all
    read = next(r for r in rows if r.kind == KIND_SENSITIVE_READ)
    assert read.customer_id == hostile.id and read.fields == ("emirates_id",) and read.staff_id == cashier.staff_id
    assert all(a.at >= b.at for a, b in itertools.pairwise(rows))  # newest first
    created = next(i for i, r in enumerate(rows) if r.kind == "history" and r.customer_id == hostile.id)
    shown = page.model.data(page.model.index(created, 6), Qt.ItemDataRole.DisplayRole)
    assert "1234567" not in str(shown) and "784-" in str(shown)

    page.kind.setCurrentIndex(page.kind.findData(KIND_SENSITIVE_READ))
    wait_for_background()
    assert [r.kind for r in page.model.rows] == [KIND_SENSITIVE_READ]  # the demo reveals nothing
    page.kind.setCurrentIndex(0)
    page.period.setCurrentIndex(page.period.count() - 1)  # everything: the demo's history is long
    wait_for_background()
    assert page._more and len(page.model.rows) == 10 and page.more_button.isEnabled()
    page.load_more()
    wait_for_background()
    assert len(page.model.rows) == 20
    ids = [r.id for r in page.model.rows]
    assert len(set(ids)) == 20, "the next page follows on, without repeats"
    page.customer_filter.setText(hostile.number)
    page.refresh()
    wait_for_background()
    assert {r.customer_id for r in page.model.rows} == {hostile.id} and len(page.model.rows) == 2

    out = tmp_path / "trail.csv"
    assert page._actor is not None
    page.export_to(out, page._actor, page.filter())
    wait_for_background()
    with out.open(encoding="utf-8") as fh:
        lines = list(csv.DictReader(fh))
    assert len(lines) == 2 and page.message.text() == "Exported 2 entries."
    assert all(line["customer"].startswith("'=") for line in lines), "a formula is written as text"
    assert "1234567" not in out.read_text(encoding="utf-8")


def test_only_an_admin_is_offered_the_trail(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    sign_in(qtbot, window, "fatima.manager", "3333")
    assert "audit_trail" not in window.workspace.page_keys()
    assert "feedback_dashboard" in window.workspace.page_keys()
