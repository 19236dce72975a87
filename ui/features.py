"""Where each feature plugs its pages and customer tabs into the shell."""

from __future__ import annotations

from typing import TYPE_CHECKING

from core.ports import AppServices

if TYPE_CHECKING:
    from ui.main_window import MainWindow


def install(window: MainWindow, services: AppServices) -> None:
    """Called once by MainWindow after the shell is built."""
    install_gift_cards(window, services)


def install_gift_cards(window: MainWindow, services: AppServices) -> None:
    from core.auth import Permission
    from ui.pages.giftcard_report import GiftCardReportPage
    from ui.pages.giftcards import GiftCardsPage

    workspace = window.workspace
    cards = GiftCardsPage(services, workspace)
    report = GiftCardReportPage(services, workspace)
    workspace.add_page("giftcards", cards, Permission.VIEW_GIFT_CARDS, lambda: cards.tr("Gift cards"))
    workspace.add_page(
        "giftcard_report", report, Permission.VIEW_GIFT_CARD_REPORTS, lambda: report.tr("Gift card report")
    )
    workspace.actor_changed.connect(cards.set_actor)
    workspace.actor_changed.connect(report.set_actor)
