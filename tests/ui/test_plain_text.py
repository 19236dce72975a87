"""User data is shown as typed, never as markup: a customer whose every text field holds HTML, with a sale
whose product and brand hold HTML, opened on the customer page with all its tabs; no label, message box or
tooltip that shows one of those texts lets Qt render it as rich text."""

from __future__ import annotations

import re
from html import escape
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel, QTableWidget, QTreeWidget, QWidget

from core.customers.model import CustomerDraft
from core.purchases.model import LineDraft, SaleDraft, TenderDraft
from storage.bootstrap import Services
from tests.conftest import actor_for
from tests.ui.conftest import sign_in
from ui.main_window import MainWindow
from ui.ops import wait_for_background

MARKUP = {
    "first_name_en": "<b>VIP</b> Ali",
    "last_name_en": "<i>Khan</i>",
    "first_name_ar": "<b>علي</b>",
    "last_name_ar": "<u>خان</u>",
    "area": "<s>Marina</s>",
    "address_line": "<img src=x> Tower 1",
    "notes": "<h1>Loud note</h1>",
}
PRODUCT = "<b>Oud</b> Royal"
BRAND = "<img src=x>Brand"
# The markup as typed (a tag and what it wraps): left raw in a label that is not plain text, Qt renders it.
RAW = tuple(
    m.group(0)
    for value in (*MARKUP.values(), PRODUCT, BRAND)
    for m in re.finditer(r"<(\w+)[^>]*>[^<]*</\1>|<img[^>]*>", value)
)


def customer_with_markup(services: Services) -> str:
    from core.staff.auth import Role

    cashier = actor_for(services, Role.CASHIER)
    draft = CustomerDraft(mobile="050 765 4321", segment="vip", **MARKUP)  # type: ignore[arg-type]
    profile = services.customers.create(cashier, draft)
    line = LineDraft("MK-1", PRODUCT, BRAND, "oud", 50, 1, 10_000)
    services.purchases.record_sale(cashier, SaleDraft(profile.id, (line,), TenderDraft(cash_fils=10_500)))
    return profile.id


def rendered_markup(root: QWidget) -> list[str]:
    """Labels and tooltips under ``root`` that hold raw markup and would let Qt render it."""
    found = []
    for label in root.findChildren(QLabel):
        raw = [m for m in RAW if m in label.text()]
        if raw and label.textFormat() != Qt.TextFormat.PlainText:
            found.append(f"{label.objectName() or type(label.parent()).__name__}: {label.text()!r}")
    widgets = [root, *root.findChildren(QWidget)]
    for widget in widgets:
        if any(m in widget.toolTip() for m in RAW):
            found.append(f"tooltip of {widget.objectName()}: {widget.toolTip()!r}")
    for table in root.findChildren(QTableWidget):
        for row in range(table.rowCount()):
            for col in range(table.columnCount()):
                item = table.item(row, col)
                if item is not None and any(m in item.toolTip() for m in RAW):
                    found.append(f"tooltip in {table.objectName()}: {item.toolTip()!r}")
    for tree in root.findChildren(QTreeWidget):
        for i in range(tree.topLevelItemCount()):
            item = tree.topLevelItem(i)
            for col in range(tree.columnCount()):
                if any(m in item.toolTip(col) for m in RAW):
                    found.append(f"tooltip in {tree.objectName()}: {item.toolTip(col)!r}")
    return found


def test_markup_typed_into_a_customer_is_shown_as_plain_text(  # type: ignore[no-untyped-def]
    qtbot, window: MainWindow, services: Services, tmp_path: Path
) -> None:
    customer_id = customer_with_markup(services)
    sign_in(qtbot, window, "khalid.manager", "3333")
    page = window.workspace.customers
    page.open_customer(customer_id)
    wait_for_background()
    assert page._profile is not None and page._profile.id == customer_id
    seen = set()
    for index in range(page.tabs.count()):  # every tab of the customer, so each loads what it shows
        page.tabs.setCurrentIndex(index)
        wait_for_background()
        seen.update(label.text() for label in window.findChildren(QLabel))
    assert any(MARKUP["first_name_en"] in text for text in seen), "the header shows the name as typed"
    assert any(BRAND in text or escape(BRAND) in text for text in seen), "the learned brands are shown"
    page.tabs.setCurrentIndex(0)
    page.grab().save(str(tmp_path.parent / "customer_with_markup.png"))
    problems = rendered_markup(window)
    for top in QApplication.topLevelWidgets():
        if top is not window and top.isVisible():
            problems += rendered_markup(top)
    assert not problems, "\n".join(problems)


def test_no_label_of_any_page_is_left_to_guess_its_format(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    """Qt's AutoText renders whatever looks like markup; every label is plain, or rich on purpose."""
    sign_in(qtbot, window, "admin", "4444")
    for key in window.workspace.page_keys():
        window.workspace.show_page(key)
        wait_for_background()
    guessing = [
        f"{type(label.parent()).__name__}.{label.objectName()}: {label.text()!r}"
        for label in window.findChildren(QLabel)
        if label.textFormat() == Qt.TextFormat.AutoText
    ]
    assert not guessing, "\n".join(guessing)
