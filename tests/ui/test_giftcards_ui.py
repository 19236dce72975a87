"""The cashier's gift-card flow clicked through: sell, find by typing, scanning and the camera, redeem."""

from __future__ import annotations

import threading
from pathlib import Path

import cv2
import numpy as np
import pytest
import qrcode
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox

from core.giftcards.codes import generate_code, qr_payload
from core.giftcards.service import IssueRequest
from core.staff.auth import Role
from storage.bootstrap import Services
from tests.conftest import actor_for
from tests.ui.conftest import sign_in
from ui.main_window import MainWindow
from ui.ops import wait_for_background


@pytest.fixture(autouse=True)
def always_yes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)


def open_page(qtbot, window: MainWindow, username: str, pin: str):  # type: ignore[no-untyped-def]
    sign_in(qtbot, window, username, pin)
    window.workspace.show_page("giftcards")
    wait_for_background()
    return window.workspace.stack.currentWidget()


def test_sell_then_find_and_redeem_with_receipt(qtbot, window: MainWindow, services: Services) -> None:  # type: ignore[no-untyped-def]
    page = open_page(qtbot, window, "aisha.cashier", "1111")
    page.tabs.setCurrentIndex(1)
    page.preset_buttons[2].click()  # AED 500
    assert "500.00" in page.sell_total.text() and "no VAT" in page.sell_total.text()
    page.recipient.setText("مريم")
    page.from_name.setText("Khalid")
    page.occasion.setCurrentIndex(page.occasion.findData("eid"))
    page.sell()
    wait_for_background()
    card = page.panel.card
    assert card is not None and card.balance_fils == 50_000 and card.recipient_name == "مريم"
    assert "Sold 1 card" in page.sell_result.text()
    assert card.from_name == "Khalid" and services.giftcards.get(card.id).from_name == "Khalid"
    slip = page.receipt.toPlainText()
    assert "Gift card sale" in slip and "From: Khalid" in slip and "Card value 500.00" in slip
    assert card.code not in slip and card.code[-4:] in slip  # masked: the slip cannot spend the card

    page.panel.clear()
    page.code_edit.setText(card.code.replace("-", "").lower())
    page.find_typed()
    wait_for_background()
    assert page.panel.card is not None and page.panel.card.id == card.id
    assert page.panel.balance.text() == "AED 500.00"
    page.amount.setText("120.50")
    page.redeem()
    wait_for_background()
    assert page.panel.card.balance_fils == 37_950
    voucher = page.receipt.toPlainText()
    assert "Paid with the card 120.50" in voucher and "Balance left 379.50" in voucher and page.receipt.isVisible()
    assert "Gift card voucher" in voucher and card.code not in voucher
    assert page.panel.ledger.rowCount() == 2
    assert services.giftcards.get(card.id).balance_fils == 37_950


def test_errors_say_what_to_do_and_write_nothing(qtbot, window: MainWindow, services: Services) -> None:  # type: ignore[no-untyped-def]
    page = open_page(qtbot, window, "aisha.cashier", "1111")
    cashier = actor_for(services, __import__("core.staff.auth", fromlist=["Role"]).Role.CASHIER)
    card = services.giftcards.issue(cashier, IssueRequest(20_000))
    page.code_edit.setText(card.code[:-1] + ("A" if card.code[-1] != "A" else "B"))
    page.find_typed()
    wait_for_background()
    assert "typing mistake" in page.message.text() and page.panel.card is None
    page.find_scanned(qr_payload(card.code))
    wait_for_background()
    page.amount.setText("300")
    page.redeem()
    wait_for_background()
    assert "holds only" in page.message.text()
    assert services.giftcards.get(card.id).balance_fils == 20_000
    page.find_scanned(card.code)
    assert page.message.text() == "This card is already open."


def _video_with_qr(path: Path, payload: str) -> None:
    qr = qrcode.QRCode(border=4, box_size=6)
    qr.add_data(payload)
    image = np.array(qr.make_image(fill_color="black", back_color="white").convert("RGB"))[:, :, ::-1]
    frame = np.full((480, 640, 3), 235, np.uint8)
    h, w = image.shape[:2]
    frame[40 : 40 + h, 120 : 120 + w] = image
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"MJPG"), 15, (640, 480))
    blank = np.full((480, 640, 3), 200, np.uint8)
    for i in range(40):
        writer.write(blank if i < 5 else frame)
    writer.release()


@pytest.mark.camera_thread
def test_camera_reads_a_card_from_a_video_file(
    qtbot, window: MainWindow, services: Services, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    cashier = actor_for(services, __import__("core.staff.auth", fromlist=["Role"]).Role.CASHIER)
    card = services.giftcards.issue(cashier, IssueRequest(75_000))
    video = tmp_path / "till-camera.avi"
    _video_with_qr(video, qr_payload(card.code))
    monkeypatch.setenv("PERFUME_OUD_CAMERA", str(video))
    page = open_page(qtbot, window, "aisha.cashier", "1111")
    page.camera_button.setChecked(True)
    qtbot.waitUntil(lambda: wait_for_background(200) and page.panel.card is not None, timeout=15_000)
    assert page.panel.card.id == card.id and page.panel.card.balance_fils == 75_000
    page.camera_button.setChecked(False)


def test_manager_sees_liability_and_cashier_cannot_cancel(qtbot, window: MainWindow, services: Services) -> None:  # type: ignore[no-untyped-def]
    cashier = actor_for(services, __import__("core.staff.auth", fromlist=["Role"]).Role.CASHIER)
    services.giftcards.issue(cashier, IssueRequest(40_000))
    page = open_page(qtbot, window, "aisha.cashier", "1111")
    assert not page.cancel_button.isVisibleTo(page)
    window.sign_out()
    wait_for_background()
    sign_in(qtbot, window, "khalid.manager", "3333")
    window.workspace.show_page("giftcard_report")
    wait_for_background()
    report = window.workspace.stack.currentWidget()
    assert report.liability.text() == "AED 400.00"
    assert report.periods.rowCount() >= 1 and len(report.chart.series()) == 1


def test_the_card_screen_in_arabic(qtbot, window: MainWindow, services: Services, language) -> None:  # type: ignore[no-untyped-def]
    page = open_page(qtbot, window, "aisha.cashier", "1111")
    cashier = actor_for(services, __import__("core.staff.auth", fromlist=["Role"]).Role.CASHIER)
    card = services.giftcards.issue(cashier, IssueRequest(20_000, occasion="eid"))
    page.find_scanned(card.code)
    wait_for_background()
    language.set_language("ar")
    assert not page.panel.status.text().isascii()
    assert not page.panel.ledger.item(0, 1).text().isascii()
    assert "العيد" in page.panel.terms.text() and "د.إ" in page.panel.balance.text()


def _stored_balance(services: Services, card_id: str) -> int:
    """The card's balance as the store file has it, summed from its ledger rows."""
    with services.store.read_engine.connect() as conn:
        row = conn.exec_driver_sql(
            "SELECT COALESCE(SUM(amount_fils), 0) FROM gift_card_transactions WHERE card_id = ?", (card_id,)
        ).one()
    return int(row[0])


def _type_amount_and_enter(qtbot, page) -> None:  # type: ignore[no-untyped-def]
    """What a cashier does next without looking: types an amount where the cursor is, then Enter; and, in
    case the amount box still took keys, straight into it too."""
    focused = QApplication.focusWidget()
    assert focused is page.code_edit, "the cursor goes back to the code box"
    qtbot.keyClicks(focused, "150")
    qtbot.keyClick(focused, Qt.Key.Key_Return)
    wait_for_background()
    qtbot.keyClicks(page.amount, "150")
    qtbot.keyClick(page.amount, Qt.Key.Key_Return)
    page.redeem()
    wait_for_background()


@pytest.mark.parametrize(
    "unknown",
    [
        lambda code: generate_code(),  # well formed, but no such card
        lambda code: code[:-1] + ("A" if code[-1] != "A" else "B"),  # a typing mistake
    ],
    ids=["unknown", "mistyped"],
)
def test_a_failed_look_up_after_card_a_shows_no_card_and_enter_charges_nothing(
    qtbot, window: MainWindow, services: Services, unknown
) -> None:  # type: ignore[no-untyped-def]
    cashier = actor_for(services, Role.CASHIER)
    card_a = services.giftcards.issue(cashier, IssueRequest(40_000))
    page = open_page(qtbot, window, "aisha.cashier", "1111")
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    page.find_scanned(card_a.code)
    wait_for_background()
    assert page.panel.card is not None and page.panel.card.id == card_a.id
    assert QApplication.focusWidget() is page.amount  # ready for the amount, as before

    page.code_edit.setFocus()
    page.code_edit.setText(unknown(card_a.code))
    qtbot.keyClick(page.code_edit, Qt.Key.Key_Return)
    wait_for_background()

    assert page.panel.card is None and not page.panel.isVisibleTo(page)
    assert not page.actions_row.isEnabled() and page.amount.text() == ""
    assert page.message.property("error") is True
    _type_amount_and_enter(qtbot, page)
    assert page.panel.card is None
    assert _stored_balance(services, card_a.id) == 40_000
    with services.store.read_engine.connect() as conn:
        redeemed = conn.exec_driver_sql("SELECT COUNT(*) FROM gift_card_transactions WHERE kind = 'redeem'").one()
    assert redeemed[0] == 0


def test_a_wedge_scan_of_an_unknown_code_clears_card_a_too(qtbot, window: MainWindow, services: Services) -> None:  # type: ignore[no-untyped-def]
    cashier = actor_for(services, Role.CASHIER)
    card_a = services.giftcards.issue(cashier, IssueRequest(25_000))
    page = open_page(qtbot, window, "aisha.cashier", "1111")
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    page.find_scanned(card_a.code)
    wait_for_background()
    page.amount.setText("99")  # half typed when the next customer's card is scanned
    page.find_scanned(generate_code())
    assert page.panel.card is None and page.amount.text() == ""  # gone before the answer
    wait_for_background()
    assert page.panel.card is None
    _type_amount_and_enter(qtbot, page)
    assert _stored_balance(services, card_a.id) == 25_000


def test_a_slow_look_up_of_card_b_shows_no_card_while_it_runs(
    qtbot, window: MainWindow, services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    cashier = actor_for(services, Role.CASHIER)
    card_a = services.giftcards.issue(cashier, IssueRequest(30_000))
    card_b = services.giftcards.issue(cashier, IssueRequest(10_000))
    page = open_page(qtbot, window, "aisha.cashier", "1111")
    page.find_scanned(card_a.code)
    wait_for_background()
    assert page.panel.card is not None and page.panel.card.id == card_a.id
    page.amount.setText("50")

    release = threading.Event()
    started = threading.Event()
    find = services.giftcards.find

    def slow_find(actor, text):  # type: ignore[no-untyped-def]
        started.set()
        assert release.wait(10)
        return find(actor, text)

    monkeypatch.setattr(services.giftcards, "find", slow_find)
    page.code_edit.setText(card_b.code)
    page.find_typed()
    assert started.wait(5)
    # The look-up is running: card A is already gone, nothing can be taken from it.
    assert page.panel.card is None and not page.panel.isVisibleTo(page)
    assert page.amount.text() == "" and not page.actions_row.isEnabled()
    page.amount.setText("50")
    page.redeem()
    qtbot.wait(50)
    assert _stored_balance(services, card_a.id) == 30_000
    release.set()
    wait_for_background()

    assert page.panel.card is not None and page.panel.card.id == card_b.id
    assert page.panel.balance.text() == "AED 100.00" and page.actions_row.isEnabled()
    page.amount.setText("40")
    page.redeem()
    wait_for_background()
    assert _stored_balance(services, card_b.id) == 6_000
    assert _stored_balance(services, card_a.id) == 30_000


def test_an_answer_to_an_earlier_look_up_never_replaces_a_later_one(
    qtbot, window: MainWindow, services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    cashier = actor_for(services, Role.CASHIER)
    card_a = services.giftcards.issue(cashier, IssueRequest(30_000))
    card_b = services.giftcards.issue(cashier, IssueRequest(10_000))
    page = open_page(qtbot, window, "aisha.cashier", "1111")
    release = threading.Event()
    find = services.giftcards.find

    def find_a_slowly(actor, text):  # type: ignore[no-untyped-def]
        if text == card_a.code:
            assert release.wait(10)
        return find(actor, text)

    monkeypatch.setattr(services.giftcards, "find", find_a_slowly)
    page.find_scanned(card_a.code)
    page.find_scanned(card_b.code)
    qtbot.waitUntil(lambda: page.panel.card is not None)
    release.set()
    wait_for_background()
    assert page.panel.card is not None and page.panel.card.id == card_b.id
