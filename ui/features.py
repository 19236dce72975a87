"""Where each feature plugs its pages and customer tabs into the shell."""

from __future__ import annotations

from typing import TYPE_CHECKING

from core.ports import AppServices

if TYPE_CHECKING:
    from ui.main_window import MainWindow


def install(window: MainWindow, services: AppServices) -> None:
    """Called once by MainWindow after the shell is built."""
    del window, services
