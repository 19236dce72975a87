"""The business dashboards page: empty before the first recompute, "Recompute now" with its progress, every
tab rendered at 1366×768 in English and Arabic with counts behind its shares, a filter, CSV and PDF export,
and no page for a cashier."""

from __future__ import annotations

import csv
import os
from datetime import UTC, datetime
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


def test_a_store_without_history_shows_not_enough_data(qtbot) -> None:  # type: ignore[no-untyped-def]
    """Figures computed from no orders at all: every tab says so, draws no chart and shows no NaN."""
    import numpy as np

    from core.analytics.dashboards import Prepared, Scope, compute
    from core.analytics.figures import Figure, FigureKey
    from core.analytics.frame import OrdersFrame
    from ui.pages.analytics.page import DashboardTab

    none = np.zeros(0, np.int64)
    frame = OrdersFrame(
        [], none, [], [], none.astype(np.int32), none.astype(np.int32), none, none, none.astype(np.int8)
    )
    now = int(datetime(2026, 12, 31, 19, 30, tzinfo=UTC).timestamp())
    computed = compute(Prepared(frame, now), Scope("30d", now - 30 * 86400, now + 1))
    for key, payload in computed.items():
        tab = DashboardTab(key)
        qtbot.addWidget(tab)
        tab.resize(1000, 600)
        tab.show()
        tab.show_figure(Figure(FigureKey(key, "30d"), datetime(2026, 12, 31, tzinfo=UTC), payload), "Not enough data")
        assert tab.empty.isVisible() and tab.empty.text() == "Not enough data", key
        assert not tab.chart.series(), key
        texts = [
            tab.table.item(r, c).text() for r in range(tab.table.rowCount()) for c in range(tab.table.columnCount())
        ]
        assert not any("nan" in t.lower() or "inf" in t.lower() for t in texts), key
