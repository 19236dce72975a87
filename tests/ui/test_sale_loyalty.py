"""Click through the till and the loyalty features: a sale with points, the receipt, a return from the order's
detail, the Loyalty tab of the customer 360 (card, ledger, preferences, rewards, wait list) and the reward
catalog; in English and Arabic."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QApplication
from sqlalchemy import text

from core.loyalty.rewards import RewardDraft
from core.loyalty.rules import EventKind
from core.purchases.model import LineDraft, SaleDraft, TenderDraft
from core.staff.auth import Role
from storage.bootstrap import Services
from tests.conftest import actor_for
from tests.ui.conftest import sign_in
from ui.i18n import LanguageSwitch
from ui.main_window import MainWindow
from ui.ops import wait_for_background
from ui.pages.loyalty.rewards import RewardsPage
from ui.pages.loyalty.tab import LoyaltyTab
from ui.pages.purchases.sale import SalePage


def log_size(services: Services) -> int:
    with services.store.read_engine.connect() as conn:
        return int(conn.execute(text("SELECT count(*) FROM change_log")).scalar() or 0)


def page(window: MainWindow, key: str):  # type: ignore[no-untyped-def]
    return next(p for k, p, _perm, _title in window.workspace.pages if k == key)


def loyalty_tab(window: MainWindow) -> LoyaltyTab:
    return next(w for w, _t in window.workspace.customers._extra_tabs if isinstance(w, LoyaltyTab))


def open_sale(qtbot, window: MainWindow, user: str = "aisha.cashier", pin: str = "1111") -> SalePage:  # type: ignore[no-untyped-def]
    sign_in(qtbot, window, user, pin)
    window.workspace.show_page("sale")
    sale = page(window, "sale")
    assert window.workspace.stack.currentWidget() is sale
    sale.confirm = lambda *_args: True
    return sale  # type: ignore[no-any-return]


def choose_customer(qtbot, sale: SalePage, typed: str = "moh") -> None:  # type: ignore[no-untyped-def]
    qtbot.keyClicks(sale.customer_search, typed)
    # The page's scanner filter holds fast keys back for one gap before they reach the field.
    qtbot.waitUntil(lambda: sale.customer_search.text() == typed, timeout=2000)
    qtbot.waitUntil(lambda: not sale._search_timer.isActive(), timeout=2000)
    wait_for_background()
    assert sale.customer_results.count() > 0
    qtbot.keyClick(sale.customer_search, Qt.Key.Key_Return)
    wait_for_background()
    assert sale._customer is not None


def add_catalog_line(sale: SalePage, index: int, quantity: int = 1) -> None:
    sale.product_pick.setCurrentIndex(index)
    sale._product_chosen(index)
    sale.qty_spin.setValue(quantity)
    sale.add_button.click()
    wait_for_background()


def test_roles_see_the_sale_and_the_reward_catalog(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    sign_in(qtbot, window, "aisha.cashier", "1111")
    assert "sale" in window.workspace.page_keys() and "rewards" not in window.workspace.page_keys()
    window.sign_out()
    wait_for_background()
    sign_in(qtbot, window, "noura.shopper", "2222")
    assert "sale" not in window.workspace.page_keys()
    window.sign_out()
    wait_for_background()
    sign_in(qtbot, window, "khalid.manager", "3333")
    assert {"sale", "rewards"} <= set(window.workspace.page_keys())


def test_a_sale_with_points_from_customer_to_receipt(qtbot, window: MainWindow, services: Services) -> None:  # type: ignore[no-untyped-def]
    sale = open_sale(qtbot, window)
    choose_customer(qtbot, sale)
    who = sale._customer
    assert who is not None and who.name_en in sale.customer_label.text()
    add_catalog_line(sale, 1, 2)  # Royal Oud × 2
    add_catalog_line(sale, 5)  # White Musk
    assert sale.lines_table.rowCount() == 2
    assert "2,063.25" in sale.total_label.text() and "98.25" in sale.vat_label.text()
    assert "2,151 points" not in sale.points_label.text() and "1,965" in sale.points_label.text()
    assert not sale.complete_button.isEnabled()  # nothing paid yet
    assert "Still to pay" in sale.due_label.text()
    sale.card_edit.setText("1000")
    sale.rest_cash_button.click()
    wait_for_background()
    qtbot.waitUntil(lambda: sale.complete_button.isEnabled(), timeout=2000)
    before = log_size(services)
    qtbot.keyClick(sale, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    wait_for_background()
    assert sale.right_stack.currentWidget() is sale.receipt_box
    result = sale.last_result
    assert result.points_earned == 1_965 and result.tier_after == "silver"
    html = sale.receipt.toPlainText()
    assert result.order.number in html and "2,063.25" in html and "Points earned 1,965" in html
    assert "Tax Invoice" in html and "فاتورة ضريبية" in html
    assert "Welcome to Silver!" in html
    assert log_size(services) > before
    assert sale.lines_table.rowCount() == 0
    qtbot.waitUntil(lambda: sale.recent_orders.count() > 0, timeout=2000)
    cashier = actor_for(services, Role.CASHIER)
    assert services.loyalty.card(cashier, who.id).balance == 2_065
    sale.new_sale_button.click()
    assert sale.right_stack.currentIndex() == 0 and sale._customer is None


def test_bad_lines_and_amounts_are_explained_and_nothing_is_written(
    qtbot, window: MainWindow, services: Services
) -> None:  # type: ignore[no-untyped-def]
    sale = open_sale(qtbot, window)
    before = log_size(services)
    sale.name_edit.setText("Custom attar")
    sale.qty_spin.setValue(-1)
    sale.price_edit.setText("50")
    sale.add_button.click()
    assert "quantity must be 1 or more" in sale.line_error.text() and sale.lines_table.rowCount() == 0
    sale.qty_spin.setValue(1)
    sale.price_edit.setText("-50")
    sale.add_button.click()
    assert "price cannot be negative" in sale.line_error.text()
    sale.price_edit.setText("٥٠")  # Arabic-Indic digits are amounts too
    sale.add_button.click()
    wait_for_background()
    assert sale.line_error.text() == "" and sale.lines_table.rowCount() == 1
    sale.cash_edit.setText("fifty")
    qtbot.waitUntil(lambda: "amount in dirhams" in sale.message.text(), timeout=3000)
    sale.complete()
    wait_for_background()
    assert log_size(services) == before


def test_a_return_from_the_orders_detail_gives_back_money_and_points(
    qtbot, window: MainWindow, services: Services
) -> None:  # type: ignore[no-untyped-def]
    cashier = actor_for(services, Role.CASHIER)
    who = services.customers.search("moh")[0]
    oud = LineDraft("OUD-ROY-50", "Royal Oud", "Perfume & Oud", "oud", 50, 2, 89_000)
    sold = services.purchases.record_sale(cashier, SaleDraft(who.id, (oud,), TenderDraft(cash_fils=186_900)))
    sale = open_sale(qtbot, window)
    sale.order_number.setText(sold.order.number.lower())
    sale.open_order_button.click()
    wait_for_background()
    dialog = sale.dialog
    assert dialog is not None and dialog.isVisible()
    assert sold.order.number in dialog.receipt.toPlainText()
    line_id, spin = dialog.spins[0]
    assert spin.maximum() == 2
    spin.setValue(1)
    dialog.reason.setText("gift duplicate")
    dialog.return_button.click()
    wait_for_background()
    assert dialog.message.text() == "Return recorded."
    text_now = dialog.receipt.toPlainText()
    assert "Tax Credit Note" in text_now and "Give back: Cash AED 934.50" in text_now
    assert f"Credits invoice {sold.order.number}" in text_now and "Points taken back 890" in text_now
    assert services.loyalty.card(cashier, who.id).balance == 1_780 + 100 - 890 - 100
    assert dialog.spins == []  # a return's own detail offers no return
    del line_id


def test_the_loyalty_tab_shows_the_card_ledger_and_takes_preferences_and_wait_list(
    qtbot, window: MainWindow, services: Services
) -> None:  # type: ignore[no-untyped-def]
    cashier = actor_for(services, Role.CASHIER)
    who = services.customers.search("moh")[0]
    oud = LineDraft("OUD-ROY-50", "Royal Oud", "Perfume & Oud", "oud", 50, 6, 89_000)
    services.purchases.record_sale(cashier, SaleDraft(who.id, (oud,), TenderDraft(cash_fils=10**7)))
    sign_in(qtbot, window, "aisha.cashier", "1111")
    customers = window.workspace.customers
    customers.open_customer(who.id)
    wait_for_background()
    tab = loyalty_tab(window)
    customers.tabs.setCurrentWidget(tab)
    qtbot.waitUntil(lambda: tab.view is not None, timeout=3000)
    wait_for_background()
    assert tab.tier_badge.text() == "Gold" and tab.tier_badge.property("tier") == "gold"
    assert "5,690 points" in tab.balance.text()
    assert "to reach Platinum" in tab.progress_text.text() and tab.progress.value() > 0
    assert tab.ledger_table.rowCount() == 3  # earn, Silver bonus, Gold bonus; newest first
    assert tab.ledger_table.item(0, 4).text() == "5,690"
    assert [e.kind for e in tab.view.ledger] == [EventKind.EARN, EventKind.BONUS, EventKind.BONUS]
    assert tab.orders_table.rowCount() >= 1 and tab.view.orders[0].points_earned == 5_340
    # preferences: declared form and learned summary
    tab.tabs.setCurrentIndex(2)
    assert tab.learned.text().startswith("<b>Families</b>: Oud")
    tab.notes_edit.setText("rose, saffron")
    tab.families_list.boxes["floral"].setChecked(True)
    tab.intensity_combo.setCurrentIndex(tab.intensity_combo.findData("strong"))
    tab.budget_min.setText("200")
    tab.budget_max.setText("100")
    tab.save_preferences_button.click()
    wait_for_background()
    assert "Swap them" in tab.message.text()
    tab.budget_max.setText("900")
    tab.save_preferences_button.click()
    wait_for_background()
    assert tab.message.text() == "Preferences saved."
    declared = services.loyalty.preferences(cashier, who.id).declared
    assert declared is not None and declared.favourite_notes == ("rose", "saffron") and declared.intensity == "strong"
    # wait list
    tab.tabs.setCurrentIndex(4)
    tab.wait_product.setCurrentIndex(1)
    tab.add_wait_button.click()
    wait_for_background()
    assert tab.wait_table.rowCount() == 1 and tab.wait_table.item(0, 2).text() == "Waiting"
    tab.add_wait_button.click()
    wait_for_background()
    assert "already on the wait list" in tab.message.text()


def test_rewards_are_claimed_at_the_tab_and_fulfilled_or_cancelled_by_a_manager(
    qtbot, window: MainWindow, services: Services
) -> None:  # type: ignore[no-untyped-def]
    cashier, manager = actor_for(services, Role.CASHIER), actor_for(services, Role.MANAGER)
    who = services.customers.search("moh")[0]
    oud = LineDraft("OUD-ROY-50", "Royal Oud", "Perfume & Oud", "oud", 50, 1, 89_000)
    services.purchases.record_sale(cashier, SaleDraft(who.id, (oud,), TenderDraft(cash_fils=10**6)))
    services.rewards.save(manager, RewardDraft("MINI", "Oud miniature", "عود صغير", 500, stock=3))
    services.rewards.save(manager, RewardDraft("SET", "Bakhoor set", "طقم بخور", 5_000))
    sign_in(qtbot, window, "khalid.manager", "3333")
    customers = window.workspace.customers
    customers.open_customer(who.id)
    wait_for_background()
    tab = loyalty_tab(window)
    tab.confirm = lambda *_args: True
    qtbot.waitUntil(lambda: tab.view is not None, timeout=3000)
    tab.tabs.setCurrentIndex(3)
    assert tab.offers_table.rowCount() == 2
    notes = {tab.offers_table.item(r, 0).text(): tab.offers_table.item(r, 3).text() for r in range(2)}
    assert notes["Oud miniature"] == "Can be claimed" and "needs 5000" in notes["Bakhoor set"]
    tab.offers_table.selectRow(next(r for r in range(2) if tab.offers_table.item(r, 0).text() == "Bakhoor set"))
    assert not tab.claim_button.isEnabled()
    tab.offers_table.selectRow(next(r for r in range(2) if tab.offers_table.item(r, 0).text() == "Oud miniature"))
    assert tab.claim_button.isEnabled()
    tab.claim_button.click()
    wait_for_background()
    qtbot.waitUntil(lambda: tab.claims_table.rowCount() == 1, timeout=3000)
    assert tab.claims_table.item(0, 2).text() == "Pending" and "390 points" in tab.balance.text()
    tab.claims_table.selectRow(0)
    assert tab.fulfil_button.isEnabled() and tab.cancel_claim_button.isEnabled()
    tab.cancel_claim_button.click()
    wait_for_background()
    qtbot.waitUntil(lambda: tab.claims_table.item(0, 2).text() == "Cancelled", timeout=3000)
    assert "890 points" in tab.balance.text()
    window.sign_out()
    wait_for_background()
    sign_in(qtbot, window, "aisha.cashier", "1111")
    assert not tab.fulfil_button.isVisibleTo(tab), "a cashier claims but does not fulfil"


def test_the_reward_catalog_creates_and_edits_with_errors_by_the_field(
    qtbot, window: MainWindow, services: Services
) -> None:  # type: ignore[no-untyped-def]
    sign_in(qtbot, window, "khalid.manager", "3333")
    window.workspace.show_page("rewards")
    rewards: RewardsPage = page(window, "rewards")
    wait_for_background()
    before = log_size(services)
    rewards.code.setText("EID-SET")
    rewards.points.setValue(0)
    rewards.save_button.click()
    wait_for_background()
    assert rewards.errors["name_en"].isVisibleTo(rewards) and rewards.errors["points_cost"].isVisibleTo(rewards)
    assert log_size(services) == before
    rewards.name_en.setText("Eid gift set")
    rewards.name_ar.setText("طقم هدايا العيد")
    rewards.points.setValue(2_500)
    rewards.stock_unlimited.setChecked(False)
    rewards.stock.setValue(20)
    rewards.tier_boxes["gold"].setChecked(True)
    rewards.save_button.click()
    wait_for_background()
    assert rewards.message.text() == "Saved.", [e.text() for e in rewards.errors.values()]
    qtbot.waitUntil(lambda: rewards.table.rowCount() == 1, timeout=3000)
    assert rewards.table.item(0, 0).text().strip("\u2066\u2069") == "EID-SET"
    saved = services.rewards.catalog(actor_for(services, Role.MANAGER), "eid")[0]
    assert saved.tiers == ("gold",) and saved.stock == 20
    rewards.table.selectRow(0)
    assert rewards.name_ar.text() == "طقم هدايا العيد"
    rewards.active.setChecked(False)
    rewards.save_button.click()
    wait_for_background()
    rewards.filter_combo.setCurrentIndex(rewards.filter_combo.findData("inactive"))
    rewards.refresh()
    wait_for_background()
    assert rewards.table.rowCount() == 1


def test_language_switch_mirrors_and_retranslates_the_loyalty_pages(
    qtbot, window: MainWindow, services: Services, language: LanguageSwitch
) -> None:  # type: ignore[no-untyped-def]
    cashier = actor_for(services, Role.CASHIER)
    who = services.customers.search("moh")[0]
    oud = LineDraft("OUD-ROY-50", "Royal Oud", "Perfume & Oud", "oud", 50, 2, 89_000)
    services.purchases.record_sale(cashier, SaleDraft(who.id, (oud,), TenderDraft(cash_fils=10**6)))
    sale = open_sale(qtbot, window)
    window.workspace.customers.open_customer(who.id)
    wait_for_background()
    tab = loyalty_tab(window)
    qtbot.waitUntil(lambda: tab.view is not None, timeout=3000)
    window.language_action.trigger()
    wait_for_background()
    assert QApplication.layoutDirection() == Qt.LayoutDirection.RightToLeft
    sale_title = QCoreApplication.translate("SalePage", "Sale")
    assert sale_title in [window.workspace.nav.item(i).text() for i in range(window.workspace.nav.count())]
    assert tab.tier_badge.text() == QCoreApplication.translate("loyalty", "Silver")
    assert sale.complete_button.text() == QCoreApplication.translate("SalePage", "Complete sale (Ctrl+Enter)")
    assert tab.tabs.tabText(0) == QCoreApplication.translate("LoyaltyTab", "Points history")
    index = window.workspace.customers.tabs.indexOf(tab)
    assert window.workspace.customers.tabs.tabText(index) == QCoreApplication.translate("LoyaltyTab", "Loyalty")
    window.language_action.trigger()
    wait_for_background()
    assert tab.tier_badge.text() == "Silver" and sale.complete_button.text() == "Complete sale (Ctrl+Enter)"
