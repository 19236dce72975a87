"""The business dashboards page: empty before the first recompute, "Recompute now" with its progress, every
tab rendered at 1366×768 in English and Arabic with counts behind its shares, a filter, CSV and PDF export,
and no page for a cashier."""

from __future__ import annotations

import csv
import os
from pathlib import Path

from storage.bootstrap import Services
from tests.ui.conftest import sign_in
from ui.main_window import MainWindow
from ui.ops import wait_for_background
from ui.pages.analytics.export import write_csv, write_pdf
from ui.pages.analytics.page import AnalyticsPage


def open_page(qtbot, window: MainWindow) -> AnalyticsPage:  # type: ignore[no-untyped-def]
    sign_in(qtbot, window, "khalid.manager", "3333")
    window.workspace.show_page("analytics")
    wait_for_background()
    page = window.workspace.stack.currentWidget()
    assert isinstance(page, AnalyticsPage)
    return page


def test_recompute_tabs_filters_export_and_arabic(  # type: ignore[no-untyped-def]
    qtbot, window: MainWindow, services: Services, language, tmp_path: Path
) -> None:
    window.resize(1366, 768)
    page = open_page(qtbot, window)
    # The sign-in's background recompute may already have run; the button runs it again, with its progress.
    assert page.recompute_button.isVisibleTo(page)
    page.recompute()
    assert page.bar.isVisibleTo(page)
    qtbot.waitUntil(lambda: wait_for_background(100) and not page.bar.isVisibleTo(page), timeout=60_000)
    qtbot.waitUntil(lambda: wait_for_background(100) and page.current().figure is not None, timeout=10_000)
    assert page.stamp.text().startswith("Computed at")
    assert page.branch.count() > 1 and page.segment.count() > 1
    out = Path(os.environ.get("SCREENSHOTS_DIR", tmp_path))
    for lang in ("en", "ar"):
        language.set_language(lang)
        wait_for_background()
        for i in range(page.tabs.count()):
            page.tabs.setCurrentIndex(i)
            qtbot.waitUntil(lambda: wait_for_background(100) and page.current().figure is not None, timeout=10_000)
            tab = page.current()
            assert tab.figure is not None and tab.figure.key.dashboard == tab.key
            for table in range(tab.which.count()):
                tab.which.setCurrentIndex(table)  # every table fills without an error
            tab.which.setCurrentIndex(0)
            assert window.grab().save(str(out / f"Analytics-{i}-{lang}.png"))
        if lang == "ar":
            assert page.title.text() != "Business dashboards" and not page.tabs.tabText(0).isascii()
    language.set_language("en")
    page.tabs.setCurrentIndex(1)  # customers: the CLV shares show their counts
    qtbot.waitUntil(lambda: wait_for_background(100) and page.current().key == "customers", timeout=10_000)
    tab = page.current()
    tab.which.setCurrentIndex(tab.which.findData("clv"))
    assert tab.table.rowCount() > 0 and " of " in tab.table.item(0, 2).text()
    # A filter: one branch's figures.
    page.branch.setCurrentIndex(1)
    qtbot.waitUntil(
        lambda: wait_for_background(100) and tab.figure is not None and tab.figure.key.branch_id != "",
        timeout=10_000,
    )
    csv_path, pdf_path = tmp_path / "customers.csv", tmp_path / "customers.pdf"
    write_csv(tab.figure, csv_path)
    with csv_path.open(encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    assert rows[0][:2] == ["dashboard", "customers"] and any(r[0] == "clv" for r in rows)
    write_pdf(tab, page.tabs.tabText(1), page.stamp.text(), pdf_path)
    assert pdf_path.read_bytes().startswith(b"%PDF")
    window.sign_out()
    wait_for_background()
    sign_in(qtbot, window, "aisha.cashier", "1111")
    assert "analytics" not in window.workspace.page_keys()
