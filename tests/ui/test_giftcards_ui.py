"""The cashier's gift-card flow clicked through: sell, find by typing, scanning and the camera, redeem."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest
import qrcode
from PySide6.QtWidgets import QMessageBox

from core.giftcards.codes import qr_payload
from core.giftcards.service import IssueRequest
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
