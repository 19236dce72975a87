"""Click through the VIP service as a shopper and a manager: My VIPs, logging a visit, matching and assigning,
capacity override, profiles, follow-ups and the performance chart; in English and Arabic."""

from __future__ import annotations

from datetime import timedelta

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from sqlalchemy import text

from core.customers.model import CustomerDraft
from core.kernel.clock import local
from core.shoppers.model import ShopperDraft
from core.staff.auth import Role
from storage.bootstrap import Services
from tests.conftest import actor_for
from tests.ui.conftest import sign_in
from ui.i18n import LanguageSwitch
from ui.main_window import MainWindow
from ui.ops import wait_for_background
from ui.pages.shoppers.admin import VipServicePage
from ui.pages.shoppers.my_vips import CustomerVipTab, MyVipsPage, select_row


def log_size(services: Services) -> int:
    with services.store.read_engine.connect() as conn:
        return int(conn.execute(text("SELECT count(*) FROM change_log")).scalar() or 0)


def page(window: MainWindow, key: str):  # type: ignore[no-untyped-def]
    return next(p for k, p, _perm, _title in window.workspace.pages if k == key)


def open_shopper(qtbot, window: MainWindow) -> MyVipsPage:  # type: ignore[no-untyped-def]
    sign_in(qtbot, window, "noura.shopper", "2222")
    qtbot.waitUntil(lambda: window.workspace.stack.currentWidget() is page(window, "my_vips"), timeout=2000)
    vips = page(window, "my_vips")
    qtbot.waitUntil(lambda: vips._data is not None, timeout=3000)
    wait_for_background()
    return vips  # type: ignore[no-any-return]


def test_a_shopper_starts_on_my_vips_and_sees_them_at_a_glance(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    vips = open_shopper(qtbot, window)
    assert set(window.workspace.page_keys()) >= {"customers", "my_vips"}
    assert "vip_service" not in window.workspace.page_keys()
    assert window.workspace.nav.currentItem().text() == "My VIPs"
    assert vips.title.text() == "My VIPs" and "Noura Al Shamsi" in vips.summary.text()
    assert not vips.shopper.isVisibleTo(vips), "a shopper has no shopper picker"
    data = vips._data
    assert data is not None and vips.table.rowCount() == len(data.customers) > 0
    assert vips.selected_card() is not None, "the first VIP is shown at once"
    card = vips.selected_card()
    assert card.customer.display_name() in vips.detail_title.text()
    qtbot.waitUntil(lambda: vips.visits.count() > 0, timeout=2000)
    assert vips.due.rowCount() == len(data.due)
    first = data.customers[0]
    vips.filter.setText(first.customer.number)
    visible = [r for r in range(vips.table.rowCount()) if not vips.table.isRowHidden(r)]
    assert visible == [0]


def test_log_a_visit_from_my_vips_with_a_follow_up(qtbot, window: MainWindow, services: Services) -> None:  # type: ignore[no-untyped-def]
    vips = open_shopper(qtbot, window)
    card = vips.selected_card()
    assert card is not None
    before = log_size(services)
    qtbot.keyClick(vips, Qt.Key.Key_F2)
    dialog = vips.visit_dialog
    qtbot.waitUntil(dialog.isVisible, timeout=2000)
    wait_for_background()
    assert dialog.title.text() == card.customer.display_name()
    assert not dialog.not_vip.isVisibleTo(dialog)
    dialog.tried.setText("Royal Oud، Amber Nights, ")
    if dialog.order.count() > 1:
        dialog.order.setCurrentIndex(1)
        assert dialog.bought.text(), "choosing the purchase fills what was bought"
    dialog.mood_buttons["delighted"].click()
    dialog.notes.setPlainText("Loved the oud; back before Eid.")
    dialog.follow.setChecked(True)
    dialog.follow_note.setText("Send gift-set photos")
    qtbot.keyClick(dialog, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    wait_for_background()
    assert not dialog.isVisible()
    assert vips.message.text() == "Visit saved."
    assert log_size(services) == before + 5  # the visit, its follow-up, its survey with message and template
    visits = services.shoppers.visits(window.actor, card.customer.id, 1)  # type: ignore[arg-type]
    assert visits[0].products_tried == ("Royal Oud", "Amber Nights") and visits[0].mood == "delighted"
    wait_for_background()
    refreshed = next(c for c in vips._data.customers if c.customer.id == card.customer.id)  # type: ignore[union-attr]
    assert refreshed.open_follow_ups == card.open_follow_ups + 1


def test_a_visit_in_the_future_is_refused_by_the_field_and_nothing_is_written(
    qtbot, window: MainWindow, services: Services
) -> None:  # type: ignore[no-untyped-def]
    vips = open_shopper(qtbot, window)
    vips.log_visit()
    dialog = vips.visit_dialog
    wait_for_background()
    before = log_size(services)
    dialog.set_when(local(services.clock.now()) + timedelta(days=2))
    dialog.save()
    wait_for_background()
    assert dialog.isVisible()
    assert dialog.errors["visited_at"].text() == "A visit cannot be dated in the future."
    assert dialog.errors["visited_at"].isVisibleTo(dialog)
    assert log_size(services) == before
    dialog.reject()


def test_a_follow_up_is_marked_done_from_the_start_page(qtbot, window: MainWindow, services: Services) -> None:  # type: ignore[no-untyped-def]
    vips = open_shopper(qtbot, window)
    if vips.due.rowCount() == 0:
        card = vips.selected_card()
        actor = window.actor
        assert card is not None and actor is not None
        from core.shoppers.model import VisitDraft

        services.shoppers.log_visit(
            actor,
            VisitDraft(card.customer.id, local(services.clock.now()), next_follow_up=services.clock.today()),
        )
        vips.refresh()
        wait_for_background()
    due = vips.due.rowCount()
    select_row(vips.due, 0)
    vips.done_button.click()
    wait_for_background()
    assert vips.message.text() == "Follow-up marked done."
    assert vips.due.rowCount() == due - 1


def test_manager_matches_assigns_and_overrides_capacity(qtbot, window: MainWindow, services: Services) -> None:  # type: ignore[no-untyped-def]
    cashier, manager = actor_for(services, Role.CASHIER), actor_for(services, Role.MANAGER)
    created = [
        services.customers.create(cashier, CustomerDraft(first_name_en=name, mobile=f"+97155000111{n}", segment="vip"))
        for n, name in enumerate(("Reem", "Hamdan", "Sultan"))
    ]
    # Noura is made full, so the override path shows.
    noura = next(s for s in services.shoppers.shoppers(manager) if s.name_en == "Noura Al Shamsi")
    if noura.load == 0:
        services.shoppers.assign(manager, created[0].id, noura.id)
    load = max(noura.load, 1)
    services.shoppers.update_profile(
        manager, noura.id, ShopperDraft(noura.staff_id, noura.languages, noura.specialties, capacity=load)
    )
    sign_in(qtbot, window, "khalid.manager", "3333")
    assert {"my_vips", "vip_service"} <= set(window.workspace.page_keys())
    window.workspace.show_page("vip_service")
    admin: VipServicePage = page(window, "vip_service")
    matching = admin.matching
    qtbot.waitUntil(lambda: matching.queue.rowCount() > 0, timeout=3000)
    waiting = matching.queue.rowCount()
    select_row(matching.queue, 0)
    qtbot.waitUntil(lambda: matching._result is not None, timeout=3000)
    wait_for_background()
    result = matching._result
    assert result is not None and matching.candidates.rowCount() == len(result.candidates)
    candidate = matching.selected_candidate()
    assert candidate is not None and not candidate.full
    assert matching.reasons.count() == len(candidate.reasons)
    assert any("preferred language" in matching.reasons.item(i).text() for i in range(matching.reasons.count()))
    full = [r for r, c in enumerate(result.candidates) if c.full]
    assert full, "Noura is listed although full"
    select_row(matching.candidates, full[0])
    assert not matching.assign_button.isEnabled(), "a full shopper cannot be picked without an override"
    assert matching.override.isEnabled()
    matching.override.setChecked(True)
    assert not matching.assign_button.isEnabled(), "an override needs a reason"
    matching.reason.setText("Asked for her by name")
    assert matching.assign_button.isEnabled()
    matching.override.setChecked(False)
    matching.reason.clear()
    select_row(matching.candidates, 0)
    before = log_size(services)
    chosen = matching.selected_candidate()
    assert chosen is not None
    matching.assign_button.click()
    wait_for_background()
    assert matching.message.text() == f"Assigned to {chosen.shopper.name_en}."
    assert log_size(services) == before + 2
    qtbot.waitUntil(lambda: matching.queue.rowCount() == waiting - 1, timeout=3000)
    wait_for_background()
    assert matching._result is not None and matching._result.current is not None
    assert matching.transfer_button.isEnabled() is False, "a transfer needs a reason"


def test_manager_sees_profiles_follow_ups_and_the_performance_chart(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    sign_in(qtbot, window, "khalid.manager", "3333")
    window.workspace.show_page("vip_service")
    admin: VipServicePage = page(window, "vip_service")
    admin.tabs.setCurrentWidget(admin.shoppers)
    qtbot.waitUntil(lambda: admin.shoppers.table.rowCount() >= 3, timeout=3000)
    select_row(admin.shoppers.table, 0)
    assert admin.shoppers._editing is not None
    assert admin.shoppers.capacity.value() == admin.shoppers._editing.capacity
    admin.tabs.setCurrentWidget(admin.follow_ups)
    wait_for_background()
    assert admin.follow_ups.overdue_title.text().startswith("Overdue follow-ups")
    admin.tabs.setCurrentWidget(admin.performance)
    qtbot.waitUntil(lambda: admin.performance.table.rowCount() >= 3, timeout=3000)
    series = admin.performance.chart.series()
    assert len(series) == 1 and len(series[0].barSets()) == 3
    window.workspace.show_page("my_vips")
    vips = page(window, "my_vips")
    qtbot.waitUntil(lambda: vips._data is not None, timeout=3000)
    assert vips.shopper.isVisibleTo(vips) and vips.shopper.count() >= 3
    assert vips.title.text() == "VIP customers"


def test_a_cashier_has_no_vip_pages_and_the_customer_tab_says_so(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    sign_in(qtbot, window, "aisha.cashier", "1111")
    assert not {"my_vips", "vip_service"} & set(window.workspace.page_keys())
    customers = window.workspace.customers
    tab = next(
        customers.tabs.widget(i)
        for i in range(customers.tabs.count())
        if isinstance(customers.tabs.widget(i), CustomerVipTab)
    )
    customers.open_customer(customers._services.customers.search("moh")[0].id)
    wait_for_background()
    assert "personal shoppers and managers" in tab.shopper.text()
    assert not tab.log_button.isVisibleTo(tab)


def test_pages_mirror_in_arabic(qtbot, window: MainWindow, language: LanguageSwitch, services: Services) -> None:  # type: ignore[no-untyped-def]
    vips = open_shopper(qtbot, window)
    window.language_action.trigger()
    wait_for_background()
    assert QApplication.layoutDirection() == Qt.LayoutDirection.RightToLeft
    assert vips.isRightToLeft()
    select_row(vips.table, 0)
    assert vips.selected_card() is not None, "rows can be chosen in a right-to-left table"
    vips.log_visit()
    dialog = vips.visit_dialog
    wait_for_background()
    assert dialog.isRightToLeft() and not dialog.when.isRightToLeft()
    assert dialog.when.text().startswith(str(local(services.clock.now()).year)), "the date reads left to right"
    dialog.reject()
    assert not vips.grab().isNull()
    window.language_action.trigger()
