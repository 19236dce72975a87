"""Campaigns, for managers: the list of campaigns with their editor, and the calendar of the year's
occasions that seasonal campaigns run on. A results view (per campaign: sent, delivered, converted, lift) has
its place here as a third tab, opened from the list's Results action."""

from __future__ import annotations

from typing import Protocol, cast

from PySide6.QtWidgets import QTabWidget, QVBoxLayout, QWidget

from core.app import AppServices
from core.staff.auth import Actor
from ui.pages.base import RefreshingPage
from ui.pages.campaigns.calendar_view import CalendarView
from ui.pages.campaigns.campaign_list import CampaignList
from ui.pages.campaigns.results import CampaignResultsView
from ui.widgets.named import make_label, named
from ui.widgets.plain import plain_labels


class ResultsView(Protocol):
    """What the page needs of a campaign's results view."""

    def show(self, actor: Actor, campaign_id: str) -> None: ...


class CampaignsPage(RefreshingPage):
    def __init__(self, services: AppServices, parent: QWidget | None = None) -> None:
        super().__init__(services, "campaignsPage", parent)
        self.title = make_label(self, "pageTitle")
        self.tabs = named(QTabWidget(self), "campaignsTabs")
        self.campaigns = CampaignList(services, self.tabs)
        self.calendar = CalendarView(services, self.tabs)
        self.tabs.addTab(self.campaigns, "")
        self.tabs.addTab(self.calendar, "")
        self.results = self._results_view()
        if self.results is not None:
            self.tabs.addTab(cast(QWidget, self.results), "")
            self.campaigns.results_button.show()
            self.campaigns.results_requested.connect(self.show_results)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.tabs, 1)
        self.tabs.currentChanged.connect(lambda _i: self.refresh())
        self.retranslate()
        plain_labels(self)

    def _results_view(self) -> ResultsView | None:
        """The results of a campaign (ui.pages.campaigns.results.CampaignResultsView); without one the Results
        action stays hidden."""
        return CampaignResultsView(self._services, self.tabs)

    def show_results(self, campaign_id: str) -> None:
        if self.results is None or self._actor is None:
            return
        self.tabs.setCurrentWidget(cast(QWidget, self.results))
        self.results.show(self._actor, campaign_id)

    def set_actor(self, actor: Actor | None) -> None:
        super().set_actor(actor)
        self.campaigns.set_actor(actor)
        self.calendar.set_actor(actor)

    def refresh(self) -> None:
        current = self.tabs.currentWidget()
        if current is self.campaigns:
            self.campaigns.refresh()
        elif current is self.calendar:
            self.calendar.refresh()

    def retranslate(self) -> None:
        self.title.setText(self.tr("Campaigns"))
        self.tabs.setTabText(0, self.tr("Campaigns"))
        self.tabs.setTabText(1, self.tr("Calendar of occasions"))
        if self.results is not None:
            self.tabs.setTabText(2, self.tr("Results"))
