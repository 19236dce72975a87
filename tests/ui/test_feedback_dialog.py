"""The till's quick feedback dialog: digit keys choose the score (1 then 0 is 10), Enter saves the answer to the
sale's survey, a second answer is refused in the till's language."""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import Qt
from sqlalchemy import text

from core.purchases.model import LineDraft, SaleDraft, TenderDraft
from core.staff.auth import Actor
from storage.bootstrap import Services
from tests.ui.test_sale_loyalty import add_catalog_line, choose_customer, open_sale
from ui.i18n import LanguageSwitch
from ui.loyalty_labels import event_reason
from ui.main_window import MainWindow
from ui.ops import wait_for_background
from ui.pages.purchases.feedback_dialog import QuickFeedbackDialog

SHOTS = os.environ.get("FEEDBACK_SHOTS")


def sale(services: Services, cashier: Actor) -> str:
    who = services.customers.search("moh")[0].id
    oud = LineDraft("OUD-ROY-50", "Royal Oud", "Perfume & Oud", "oud", 50, 1, 89_000)
    return services.purchases.record_sale(cashier, SaleDraft(who, (oud,), TenderDraft(cash_fils=100_000))).order.id


def shot(dialog: QuickFeedbackDialog, name: str) -> None:
    if SHOTS:
        dialog.resize(1366 // 2, dialog.sizeHint().height())
        dialog.grab().save(str(Path(SHOTS) / f"{name}.png"))


def test_digit_keys_choose_and_enter_saves(qtbot, services: Services, cashier: Actor, language: LanguageSwitch) -> None:  # type: ignore[no-untyped-def]
    order_id = sale(services, cashier)
    dialog = QuickFeedbackDialog(services, cashier, order_id)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.activateWindow()
    assert not dialog.save_button.isEnabled()
    assert dialog.focusWidget() is dialog, "keys go to the score, not to the comment"
    qtbot.keyClick(dialog, Qt.Key.Key_1)
    qtbot.keyClick(dialog, Qt.Key.Key_0)
    assert dialog.score() == 10
    qtbot.keyClick(dialog, Qt.Key.Key_7)
    assert dialog.score() == 7
    dialog.comment.setFocus()
    qtbot.keyClicks(dialog.comment, "Loved the 2 ")
    assert dialog.score() == 7, "digits in the comment are the comment's"
    dialog.comment.insertPlainText("\u202eoud")
    shot(dialog, "feedback_en")
    dialog.setFocus()
    qtbot.keyClick(dialog, Qt.Key.Key_Return)
    wait_for_background()
    assert dialog.result_value is not None and dialog.result_value.points == 10
    with services.store.read_engine.connect() as conn:
        row = conn.execute(text("SELECT nps, comment FROM customer_feedback WHERE order_id = :o"), {"o": order_id})
        assert row.one() == (7, "Loved the 2 oud")


def test_a_second_answer_is_refused_in_arabic(
    qtbot, services: Services, cashier: Actor, language: LanguageSwitch
) -> None:  # type: ignore[no-untyped-def]
    order_id = sale(services, cashier)
    first = QuickFeedbackDialog(services, cashier, order_id)
    qtbot.addWidget(first)
    first.choose(9)
    first.save()
    wait_for_background()
    language.set_language("ar")
    again = QuickFeedbackDialog(services, cashier, order_id)
    qtbot.addWidget(again)
    again.show()
    assert again.layoutDirection() == Qt.LayoutDirection.RightToLeft
    assert "يوصي" in again.question.text()
    qtbot.keyClick(again, Qt.Key.Key_3)
    again.save()
    wait_for_background()
    assert again.result_value is None
    assert again.message.text() == "تمت الإجابة عن هذا الاستبيان من قبل."
    shot(again, "feedback_ar")


def test_the_sale_page_asks_for_feedback_after_the_receipt(  # type: ignore[no-untyped-def]
    qtbot, window: MainWindow, services: Services, language: LanguageSwitch
) -> None:
    sale = open_sale(qtbot, window)
    assert not sale.feedback_button.isVisible()  # no receipt yet
    choose_customer(qtbot, sale)
    add_catalog_line(sale, 5)
    sale.rest_cash_button.click()
    wait_for_background()
    qtbot.waitUntil(lambda: sale.complete_button.isEnabled(), timeout=2000)
    qtbot.keyClick(sale, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    wait_for_background()
    assert sale.right_stack.currentWidget() is sale.receipt_box and sale.feedback_button.isVisible()
    if SHOTS:
        window.resize(1366, 768)
        window.grab().save(str(Path(SHOTS) / "sale_receipt_en.png"))
        language.set_language("ar")
        window.grab().save(str(Path(SHOTS) / "sale_receipt_ar.png"))
        language.set_language("en")
    qtbot.keyClick(sale.new_sale_button, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    dialog = sale.feedback_dialog
    assert dialog is not None and dialog.isVisible()
    qtbot.keyClick(dialog, Qt.Key.Key_9)
    qtbot.keyClick(dialog, Qt.Key.Key_Return)
    wait_for_background()
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=2000)
    assert "Feedback saved: 10 points" in sale.banner.text.text()
    assert sale.last_result is not None
    with services.store.read_engine.connect() as conn:
        row = conn.execute(
            text("SELECT nps FROM customer_feedback WHERE order_id = :o"), {"o": sale.last_result.order.id}
        )
        assert row.one() == (9,)


def test_feedback_points_are_named_on_the_ledger(language: LanguageSwitch) -> None:
    assert event_reason("bonus", "feedback:0b8f", "DXB1-S000001") == "Survey answered"
    language.set_language("ar")
    assert event_reason("bonus", "feedback:0b8f", None) == "إجابة عن استبيان"
