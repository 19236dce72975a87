"""The manager's general satisfaction survey dialog: the audience is counted off the main thread as segments and
tiers are ticked, a send past the store's threshold needs the confirmation box, and what was sent is said, in
English and in Arabic (right to left)."""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import Qt
from sqlalchemy import text

from core.staff.auth import Actor
from storage.bootstrap import Services
from storage.uow import uow_factory
from ui import labels
from ui.i18n import LanguageSwitch
from ui.ops import wait_for_background
from ui.pages.feedback.send_survey import SendSurveyDialog

SHOTS = os.environ.get("SURVEY_SHOTS")


def shot(dialog: SendSurveyDialog, name: str) -> None:
    if SHOTS:
        dialog.resize(1366 // 2, 768 // 2 + 100)
        dialog.grab().save(str(Path(SHOTS) / f"{name}.png"))


def settle(qtbot, dialog: SendSurveyDialog) -> None:  # type: ignore[no-untyped-def]
    qtbot.waitUntil(lambda: dialog.count is not None, timeout=10_000)


def test_counts_asks_to_confirm_a_large_send_then_sends(  # type: ignore[no-untyped-def]
    qtbot, services: Services, manager: Actor, language: LanguageSwitch
) -> None:
    with uow_factory(services.store, services.clock)(manager) as uow:
        uow.settings.save_setting("feedback.general_confirm_over", "3")
        uow.commit()
    dialog = SendSurveyDialog(services, manager)
    qtbot.addWidget(dialog)
    dialog.show()
    settle(qtbot, dialog)
    everyone = dialog.count
    assert everyone is not None and everyone > 3
    assert dialog.count_label.text() == f"Customers chosen: {everyone}"
    dialog.tiers.boxes[0].setChecked(True)
    assert dialog.count is None, "a changed choice is counted again"
    settle(qtbot, dialog)
    assert dialog.count is not None and dialog.count < everyone
    dialog.tiers.boxes[0].setChecked(False)
    settle(qtbot, dialog)

    dialog.send()
    wait_for_background()
    assert dialog.confirm.isVisible() and "confirm" in dialog.message.text()
    with services.store.read_engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM survey_invitations")).scalar() == 0
    shot(dialog, "send_survey_en")
    dialog.confirm.setChecked(True)
    dialog.send()
    wait_for_background()
    assert dialog.sent is not None and dialog.sent.invited > 0
    assert dialog.message.text().startswith(f"Surveys sent: {dialog.sent.invited}.")
    assert not dialog.send_button.isEnabled() and dialog.cancel_button.text() == "Close"
    with services.store.read_engine.connect() as conn:
        sent = conn.execute(text("SELECT count(*) FROM survey_invitations WHERE kind = 'general'")).scalar()
    assert sent == dialog.sent.invited


def test_in_arabic_right_to_left(qtbot, services: Services, manager: Actor, language: LanguageSwitch) -> None:  # type: ignore[no-untyped-def]
    language.set_language("ar")
    dialog = SendSurveyDialog(services, manager)
    qtbot.addWidget(dialog)
    dialog.show()
    settle(qtbot, dialog)
    assert dialog.layoutDirection() == Qt.LayoutDirection.RightToLeft
    assert dialog.windowTitle() == "إرسال استبيان رضا"
    assert dialog.count_label.text().startswith("العملاء المختارون: ")
    shot(dialog, "send_survey_ar")
    assert labels.channel("web") == "صفحة الاستبيان", "an answer from the survey page, on the Messages tab"
