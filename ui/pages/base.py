"""What every page and tab that acts for the signed-in staff member starts from: the app's services, the actor
(None until someone signs in) and the object name the style sheet and the tests find it by."""

from __future__ import annotations

from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QWidget

from core.app import AppServices
from core.staff.auth import Actor
from ui.i18n import Retranslating


class ServicePage(Retranslating, QWidget):
    """A screen, or a tab of one, that calls core services on behalf of ``set_actor``'s staff member."""

    def __init__(self, services: AppServices, name: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        if name:
            self.setObjectName(name)
        self._services = services
        self._actor: Actor | None = None

    def set_actor(self, actor: Actor | None) -> None:
        self._actor = actor


class RefreshingPage(ServicePage):
    """A page of data that others change while it is hidden (a till, head office, another manager): it reads
    the data again each time it is shown."""

    def refresh(self) -> None:
        raise NotImplementedError

    def showEvent(self, event: QShowEvent) -> None:
        self.refresh()
        super().showEvent(event)
