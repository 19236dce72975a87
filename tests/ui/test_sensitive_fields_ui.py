"""The customer screen shows the Emirates ID, birthday and notes masked; Show reveals one (one audit row each
press), an edit keeps what it did not reveal, and a revealed value stays shown through a redraw."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from PySide6.QtCore import Qt
from sqlalchemy import func, select

from core.customers.model import draft_from
from core.privacy.audit import SENSITIVE_READ
from core.staff.auth import Role
from storage.bootstrap import Services
from storage.schema import SecurityEvent
from tests.conftest import actor_for
from tests.ui.conftest import sign_in
from tests.ui.test_consent_ui import open_first
from ui.main_window import MainWindow
from ui.ops import wait_for_background

EID = "784-1990-1234567-6"


def reads(services: Services) -> int:
    with services.store.read_session() as session:
        return int(session.scalar(select(func.count()).where(SecurityEvent.kind == SENSITIVE_READ)) or 0)


def test_masked_until_shown_and_each_show_is_audited(  # type: ignore[no-untyped-def]
    qtbot, window: MainWindow, services: Services
) -> None:
    first = services.customers.search("moh")[0]
    manager = actor_for(services, Role.MANAGER)
    shown = draft_from(services.customers.get(first.id))
    services.customers.update(
        manager,
        first.id,
        replace(shown, withheld=frozenset(), emirates_id=EID, birthday=date(1988, 3, 9), notes="Prefers oud, no musk"),
    )
    sign_in(qtbot, window, "aisha.cashier", "1111")
    window.workspace.show_page("customers")
    page = window.workspace.customers
    open_first(qtbot, window, "moh")
    form = page.form
    assert page._profile is not None and page._profile.id == first.id
    assert form.masks["emirates_id"].isVisible() and form.masks["emirates_id"].text() == "784-••••-•••••••-6"
    assert not form.edits["emirates_id"].isVisible() and "1234567" not in form.edits["emirates_id"].text()
    assert form.notes.toPlainText() == "" and not form.notes.isVisible()
    assert "1988" not in page.subheader.text()
    before = reads(services)

    qtbot.mouseClick(form.show_buttons["emirates_id"], Qt.MouseButton.LeftButton)
    wait_for_background()
    qtbot.waitUntil(lambda: form.edits["emirates_id"].isVisible())
    assert form.edits["emirates_id"].text() == EID and not form.show_buttons["emirates_id"].isVisible()
    assert reads(services) == before + 1
    for _ in range(3):  # redraws and a language change read nothing again
        form.repaint()
        page.retranslate()
    page.revert()
    assert form.edits["emirates_id"].text() == EID and reads(services) == before + 1

    form.edits["first_name_en"].setText("Mohammed R")
    page.save()
    wait_for_background()
    assert page.message.text() == "Saved."
    manager_sees = services.customers.reveal(manager, first.id, "notes")
    assert manager_sees == "Prefers oud, no musk", "a save with the notes masked kept them"
    assert services.customers.reveal(manager, first.id, "birthday") == date(1988, 3, 9)
