"""The customer screen's export: offered to managers (not cashiers), run in the background into a chosen
folder, both files there and said so; the PDF holds searchable text in English and Arabic; a cancelled export
leaves no file behind."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtPdf import QPdfDocument

from core.privacy.export import ExportCancelled
from core.staff.auth import Role
from storage.bootstrap import Services
from tests.conftest import actor_for
from tests.export_world import NAME_AR, customer_with_everything
from tests.ui.conftest import sign_in
from tests.ui.test_consent_ui import open_first
from ui.main_window import MainWindow
from ui.ops import wait_for_background
from ui.privacy.export import ExportCustomerDialog, export_files


def pdf_text(path: Path) -> str:
    document = QPdfDocument()
    document.load(str(path))
    assert document.status() == QPdfDocument.Status.Ready
    text = "\n".join(document.getAllText(page).text() for page in range(document.pageCount()))
    document.close()
    return text


def test_a_manager_exports_a_customer_into_a_folder(  # type: ignore[no-untyped-def]
    qtbot, window: MainWindow, services: Services, tmp_path: Path
) -> None:
    world = customer_with_everything(services, actor_for(services, Role.MANAGER))
    sign_in(qtbot, window, "khalid.manager", "3333")
    window.workspace.show_page("customers")
    page = window.workspace.customers
    open_first(qtbot, window, "EXP-000001")
    assert page._profile is not None and page._profile.id == world.customer_id
    assert page.export_button.isVisible()
    qtbot.keyClick(page, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    dialog = page.findChild(ExportCustomerDialog)
    assert dialog is not None and dialog.isVisible()
    dialog.folder.setText(str(tmp_path))
    dialog.export_button.setFocus()
    qtbot.keyClick(dialog.export_button, Qt.Key.Key_Space)
    wait_for_background(60_000)
    assert dialog.files is not None, dialog.message.text()
    assert dialog.files.json.parent == tmp_path and dialog.files.pdf.exists()
    assert str(dialog.files.pdf) in dialog.message.text()
    assert dialog.progress.value() == 100
    doc = json.loads(dialog.files.json.read_text(encoding="utf-8"))
    assert doc["customer"]["number"] == "EXP-000001"

    text = pdf_text(dialog.files.pdf)
    for words in ("Customer", "Fatima", "Purchases", "Total", "AED 829.50", "Page"):
        assert words in text, words
    for words in (*NAME_AR.split(), "تصدير", "الإجمالي", "الرسائل", "صفحة"):
        assert words in text, words
    assert "GCEXPBOUGHT7Q" not in text


def test_a_cashier_is_not_offered_the_export(  # type: ignore[no-untyped-def]
    qtbot, window: MainWindow, services: Services
) -> None:
    customer_with_everything(services, actor_for(services, Role.MANAGER))
    sign_in(qtbot, window, "aisha.cashier", "1111")
    window.workspace.show_page("customers")
    page = window.workspace.customers
    open_first(qtbot, window, "EXP-000001")
    assert page._profile is not None
    assert not page.export_button.isVisible()
    qtbot.keyClick(page, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    assert page.findChild(ExportCustomerDialog) is None


def test_a_cancelled_export_leaves_no_file(qapp, services: Services, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    manager = actor_for(services, Role.MANAGER)
    world = customer_with_everything(services, manager)
    folder = tmp_path / "exports"
    folder.mkdir()
    with pytest.raises(ExportCancelled):
        export_files(services, manager, world.customer_id, "EXP-000001", folder, cancelled=lambda: True)
    assert list(folder.iterdir()) == []
