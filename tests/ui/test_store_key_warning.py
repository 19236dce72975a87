"""Where the computer has no keyring the store's key is in a 0600 file: the status bar says so to a manager or
an administrator (who can act on it), not to a cashier, and in Arabic too."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.staff.auth import Role
from storage import keys
from storage.bootstrap import Services
from tests.conftest import actor_for
from ui.i18n import LanguageSwitch
from ui.status import BranchStatusBar


@pytest.mark.parametrize(("role", "told"), [(Role.MANAGER, True), (Role.ADMIN, True), (Role.CASHIER, False)])
def test_the_key_file_is_told_to_whom_can_act_on_it(qtbot, services: Services, role: Role, told: bool) -> None:  # type: ignore[no-untyped-def]
    bar = BranchStatusBar(services)
    qtbot.addWidget(bar)
    assert services.store.cipher is not None and keys.key_in_file(services.store.cipher.store_id)
    bar.set_actor(actor_for(services, role))
    assert bar.key_warning.isVisibleTo(bar) is told
    assert "keyring" in bar.key_warning.text()


def test_no_word_of_it_where_the_key_is_in_the_keyring(  # type: ignore[no-untyped-def]
    qtbot, services: Services, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv(keys.KEY_DIR_ENV, str(tmp_path / "empty"))  # as if the key were in the keyring
    bar = BranchStatusBar(services)
    qtbot.addWidget(bar)
    bar.set_actor(actor_for(services, Role.ADMIN))
    assert not bar.key_warning.isVisibleTo(bar)


def test_the_warning_reads_in_arabic(qtbot, services: Services, language: LanguageSwitch) -> None:  # type: ignore[no-untyped-def]
    language.set_language("ar")
    bar = BranchStatusBar(services)
    qtbot.addWidget(bar)
    bar.set_actor(actor_for(services, Role.MANAGER))
    assert "مفتاح" in bar.key_warning.text() and "سلسلة مفاتيح" in bar.key_warning.toolTip()
