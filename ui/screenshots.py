"""Renders every main screen to PNG, in English and in Arabic, offscreen — for reviewers."""

from __future__ import annotations

from pathlib import Path

from core.app import AppServices


def render_all(out_dir: Path, services: AppServices) -> list[Path]:
    """Signs in as the demo administrator (PIN 4444) and grabs each screen; needs a demo store."""
    from PySide6.QtWidgets import QWidget

    from core.staff.auth import Role
    from ui import features
    from ui.app import make_application
    from ui.main_window import MainWindow
    from ui.ops import wait_for_background

    out_dir.mkdir(parents=True, exist_ok=True)
    branch = services.branch()
    assert branch is not None
    app, language = make_application([])
    written: list[Path] = []

    def grab(widget: QWidget, name: str) -> None:
        wait_for_background()
        app.processEvents()
        path = out_dir / f"{name}.png"
        widget.grab().save(str(path))
        written.append(path)

    for lang in ("en", "ar"):
        language.set_language(lang)
        window = MainWindow(services, language, features.install)
        window.resize(1366, 768)  # the till screen
        window.show()
        grab(window, f"{lang}-01-sign-in")
        staff = services.staff.staff_of_branch(branch.id)
        admin = next(s for s in staff if s.role == Role.ADMIN)
        window.enter(services.staff.sign_in(admin.id, "4444"))
        wait_for_background()
        window.workspace.show_page("customers")  # an administrator starts on the Staff page
        page = window.workspace.customers
        page.search.setText("محمد" if lang == "ar" else "moh")
        page.run_search()
        wait_for_background()
        grab(window, f"{lang}-02-customer-search")
        if page.results.rows:
            page.open_customer(page.results.rows[0].id)
            wait_for_background()
            grab(window, f"{lang}-03-customer-profile")
            page.tabs.setCurrentIndex(1)
            grab(window, f"{lang}-04-customer-history")
            page.tabs.setCurrentIndex(0)
        page.new_customer()
        page.form.edits["mobile"].setText("123")
        page.save()
        wait_for_background()
        grab(window, f"{lang}-05-new-customer-errors")
        for key in ("sync", "staff"):
            window.workspace.show_page(key)
            grab(window, f"{lang}-06-{key}")
        _gift_cards(window, services, grab, lang)
        _campaigns(window, services, grab, lang)
        _every_page_and_tab(window, grab, lang)
        window.close()
        window.deleteLater()
        app.processEvents()
    return written


def _gift_cards(window: object, services: AppServices, grab: object, lang: str) -> None:
    """A card sold, partly redeemed and refunded, found again; the sell tab; the manager's report."""
    from core.giftcards.service import IssueRequest
    from ui.ops import wait_for_background

    workspace = window.workspace  # type: ignore[attr-defined]
    actor = window.actor  # type: ignore[attr-defined]
    card = services.giftcards.issue(
        actor,
        IssueRequest(50_000, occasion="eid", recipient_name="مريم الكعبي", message="عيد مبارك وكل عام وأنتم بخير"),
    )
    services.giftcards.redeem(actor, card.id, 12_500)
    services.giftcards.refund(actor, card.id, 2_500, "Returned: Taif Rose 50 ml")
    workspace.show_page("giftcards")
    page = workspace.stack.currentWidget()
    page.find_scanned(card.code)
    wait_for_background()
    grab(window, f"{lang}-07-gift-card")  # type: ignore[operator]
    page.tabs.setCurrentIndex(1)
    page.preset_buttons[2].click()
    grab(window, f"{lang}-08-gift-card-sell")  # type: ignore[operator]
    page.tabs.setCurrentIndex(0)
    workspace.show_page("giftcard_report")
    wait_for_background()
    grab(window, f"{lang}-09-gift-card-report")  # type: ignore[operator]


def _campaigns(window: object, services: AppServices, grab: object, lang: str) -> None:
    """The campaigns list, each tab of the editor (and its refusals), and the calendar of occasions."""
    from datetime import time

    from core.campaigns.audience import AudienceDefinition
    from core.campaigns.model import CampaignDefinition, Message
    from core.campaigns.schedule import Repeat, Schedule
    from ui.ops import wait_for_background
    from ui.pages.campaigns.page import CampaignsPage
    from ui.widgets.tables import select_row

    workspace = window.workspace  # type: ignore[attr-defined]
    actor = window.actor  # type: ignore[attr-defined]
    if lang == "en":  # made once: the Arabic pass shows the same campaigns
        services.campaigns.create(
            actor,
            CampaignDefinition(
                name="Birthday wishes",
                kind="birthday",
                message=Message("campaign.birthday"),
                schedule=Schedule(Repeat.DAILY, None, time(10, 0)),
            ),
        )
        services.campaigns.create(
            actor,
            CampaignDefinition(
                name="تهنئة عيد الفطر",
                kind="seasonal",
                occasion="eid_al_fitr",
                audience=AudienceDefinition(segments=("vip",)),
                message=Message(None, {"en": "Eid Mubarak, {first_name}!", "ar": "عيد مبارك يا {first_name}!"}),
                schedule=Schedule(Repeat.YEARLY, None, time(9, 0)),
            ),
        )
    workspace.show_page("campaigns")
    page = workspace.stack.currentWidget()
    assert isinstance(page, CampaignsPage)
    page.tabs.setCurrentIndex(0)
    wait_for_background()
    grab(window, f"{lang}-40-campaigns")  # type: ignore[operator]
    select_row(page.campaigns.table, 1)
    page.campaigns.edit()
    editor = page.campaigns.editor
    assert editor is not None
    for index in range(editor.tabs.count()):
        editor.tabs.setCurrentIndex(index)
        wait_for_background()
        grab(editor, f"{lang}-41-campaign-editor-{index}")  # type: ignore[operator]
    editor.name.clear()
    editor.offer.has_offer.setChecked(True)
    editor.save()
    for index in range(editor.tabs.count()):
        editor.tabs.setCurrentIndex(index)
        grab(editor, f"{lang}-42-campaign-editor-errors-{index}")  # type: ignore[operator]
    editor.reject()
    page.tabs.setCurrentIndex(1)
    wait_for_background()
    grab(window, f"{lang}-43-calendar")  # type: ignore[operator]
    page.tabs.setCurrentIndex(0)
    select_row(page.campaigns.table, 1)
    if page.campaigns.results_button.isVisible():
        page.campaigns.results_button.click()
        wait_for_background()
        grab(window, f"{lang}-44-campaign-results")  # type: ignore[operator]
        page.tabs.setCurrentIndex(0)


def _every_page_and_tab(window: object, grab: object, lang: str) -> None:
    """Every page the administrator is offered, and every tab of the customer 360 on a seeded customer."""
    from ui.ops import wait_for_background

    workspace = window.workspace  # type: ignore[attr-defined]
    for number, key in enumerate(workspace.page_keys(), start=10):
        workspace.show_page(key)
        wait_for_background()
        grab(window, f"{lang}-{number}-page-{key}")  # type: ignore[operator]
    workspace.show_page("customers")
    page = workspace.customers
    page.search.setText("al")
    page.run_search()
    wait_for_background()
    if page.results.rows:
        page.open_customer(page.results.rows[0].id)
        wait_for_background()
        for index in range(2, page.tabs.count()):
            page.tabs.setCurrentIndex(index)
            wait_for_background()
            grab(window, f"{lang}-30-customer-tab-{index}")  # type: ignore[operator]
        page.tabs.setCurrentIndex(0)
