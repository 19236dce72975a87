"""The manager's feedback dashboard: its figures, a filter that changes them, the low scores waiting shown as
plain text, the CSV export, and the page in Arabic."""

from __future__ import annotations

import csv
import os
from pathlib import Path

from core.feedback.service import Answer
from core.purchases.model import LineDraft, SaleDraft, TenderDraft
from core.staff.auth import Role
from storage.bootstrap import Services
from tests.conftest import actor_for
from tests.ui.conftest import sign_in
from ui.main_window import MainWindow
from ui.ops import wait_for_background
from ui.pages.feedback.dashboard import FeedbackDashboardPage, write_dashboard_csv

MARKUP = "<b>Rude</b> staff, waited 40 minutes"
FORMULA = '=HYPERLINK("http://x")'


def bare(text: str) -> str:
    """Text without its direction isolates."""
    return text.translate({c: None for c in range(0x2066, 0x206A)})


def answers(services: Services) -> None:
    cashier = actor_for(services, Role.CASHIER)
    customer = services.customers.search("moh")[0].id
    oud = LineDraft("OUD-ROY-50", "Royal Oud", "Perfume & Oud", "oud", 50, 1, 89_000)
    given = [
        (customer, Answer(nps=2, comment=MARKUP)),
        (None, Answer(nps=10, comment="The oud is excellent")),
        (None, Answer(nps=9)),
        (None, Answer(nps=8, kind="complaint", comment=FORMULA)),
    ]
    for who, answer in given:
        sale = services.purchases.record_sale(cashier, SaleDraft(who, (oud,), TenderDraft(cash_fils=100_000)))
        services.feedback.answer_at_till(cashier, sale.order.id, answer)


def open_dashboard(qtbot, window: MainWindow) -> FeedbackDashboardPage:  # type: ignore[no-untyped-def]
    sign_in(qtbot, window, "khalid.manager", "3333")
    window.workspace.show_page("feedback_dashboard")
    wait_for_background()
    page = window.workspace.stack.currentWidget()
    assert isinstance(page, FeedbackDashboardPage)
    qtbot.waitUntil(lambda: wait_for_background(100) and page.dashboard is not None, timeout=10_000)
    wait_for_background()
    return page


def test_figures_filters_low_scores_and_export(qtbot, window: MainWindow, services: Services, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    answers(services)
    page = open_dashboard(qtbot, window)
    assert page.dashboard is not None and page.dashboard.overall.counts.answers == 4
    assert bare(page.nps_value.text()) == "+25"  # 2 promoters, 1 detractor of 4
    assert "4 answers with a score" in page.nps_detail.text()
    assert page.few_mark.isVisibleTo(page)
    assert "Promoters (9–10) 2 (50.0 %)" in page.classes.text()
    band, line, few = page.chart.series()  # the interval, the score, and a ring on each month of few answers
    assert line.count() == 1 and few.count() == 1 and band.upperSeries().at(0).y() > band.lowerSeries().at(0).y()
    assert page.branch_table.rowCount() == 1 and "(few answers)" in bare(page.branch_table.item(0, 2).text())
    themes = {page.themes_table.item(r, 0).text(): page.themes_table.item(r, 1).text() for r in range(8)}
    assert themes["Oud quality"] == "1" and themes["Waiting"] == "1" and themes["Staff and service"] == "1"

    # The low scores waiting: the detractor and the complaint, newest first, as plain text, with their tickets.
    low = page.low_table
    assert low.rowCount() == 2
    comments = {bare(low.item(r, 2).text()) for r in range(2)}
    assert comments == {MARKUP, FORMULA}
    row = next(r for r in range(2) if bare(low.item(r, 2).text()) == MARKUP)
    assert bare(low.item(row, 1).text()) == "2/10" and low.item(row, 5).text() != "No ticket"

    # A filter changes the figures: the complaints alone.
    page.kind.setCurrentIndex(page.kind.findData("complaint"))
    qtbot.waitUntil(lambda: wait_for_background(100) and page.dashboard.filter.kind == "complaint", timeout=10_000)
    assert page.dashboard.overall.counts.answers == 1 and bare(page.nps_value.text()) == "0"
    page.kind.setCurrentIndex(0)
    qtbot.waitUntil(lambda: wait_for_background(100) and page.dashboard.filter.kind is None, timeout=10_000)

    out = tmp_path / "feedback.csv"
    write_dashboard_csv(page.dashboard, page.low_scores, out)
    with out.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    overall = next(r for r in rows if r["table"] == "overall")
    assert (overall["answers"], overall["nps"], overall["few_answers"]) == ("4", "25.0", "1")
    assert float(overall["nps_low"]) < 0 < 25 < float(overall["nps_high"])
    branch = next(r for r in rows if r["table"] == "branch")
    assert branch["name"] and branch["promoters"] == "2"
    theme = next(r for r in rows if r["table"] == "theme" and r["key"] == "oud")
    assert (theme["answers"], theme["positive"]) == ("1", "1")
    low_rows = [r for r in rows if r["table"] == "low_score"]
    assert {r["comment"] for r in low_rows} == {MARKUP, "'" + FORMULA}
    tickets = {r["comment"]: r["ticket"] for r in low_rows}
    assert tickets[MARKUP] and tickets["'" + FORMULA] == ""  # no ticket without a customer


def test_the_dashboard_in_arabic_and_not_for_a_cashier(  # type: ignore[no-untyped-def]
    qtbot, window: MainWindow, services: Services, language, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    answers(services)
    window.resize(1366, 768)
    page = open_dashboard(qtbot, window)
    out = Path(os.environ.get("SCREENSHOTS_DIR", tmp_path))
    for tab in range(page.tabs.count()):
        page.tabs.setCurrentIndex(tab)
        assert window.grab().save(str(out / f"FeedbackDashboard-{tab}-en.png"))
    language.set_language("ar")
    wait_for_background()
    for tab in range(page.tabs.count()):
        page.tabs.setCurrentIndex(tab)
        assert window.grab().save(str(out / f"FeedbackDashboard-{tab}-ar.png"))
    page.tabs.setCurrentIndex(0)
    assert page.title.text() == "آراء العملاء"
    assert page.tabs.tabText(2) == "درجات منخفضة بانتظار المتابعة"
    assert page.branch.itemText(0) == "كل الفروع"
    assert "٪" in page.classes.text() and not page.sentiment.text().isascii()
    assert not page.themes_table.item(0, 0).text().isascii()
    assert not page.nps_detail.text().isascii()
    language.set_language("en")
    window.sign_out()
    wait_for_background()
    sign_in(qtbot, window, "aisha.cashier", "1111")
    assert "feedback_dashboard" not in window.workspace.page_keys()
