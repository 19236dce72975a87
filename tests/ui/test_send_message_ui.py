"""A personal shopper sends a customer a WhatsApp template from the customer screen: the action is there for
shoppers and managers (not cashiers), the dialog previews the text in the customer's language (right to left
for Arabic), queues it, says so, and says what to do when the customer has not agreed."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from PySide6.QtCore import Qt

from core.customers.model import CustomerDraft, draft_from
from core.messaging.templates import APPOINTMENT, RESTOCK, THANK_YOU
from core.staff.auth import Actor, Role
from storage.bootstrap import Services
from storage.schema import Communication
from storage.uow import SqlUnitOfWork
from tests.ui.conftest import sign_in
from tests.ui.test_consent_ui import open_first
from ui.main_window import MainWindow
from ui.ops import wait_for_background
from ui.pages.customers.send_message import FREE_TEXT, SendMessageDialog

LAYAN = CustomerDraft(
    first_name_en="Layan",
    first_name_ar="ليان",
    last_name_en="Qasimi",
    mobile="050 321 9876",
    preferred_language="ar",
    preferred_channel="whatsapp",
    consent_whatsapp=True,
    consent=(("whatsapp", "transactional", True),),
)


def dialog_of(window: MainWindow) -> SendMessageDialog:
    found = window.workspace.customers.findChild(SendMessageDialog)
    assert found is not None
    wait_for_background()
    return found


def test_a_shopper_sends_a_thank_you_in_the_customers_language(  # type: ignore[no-untyped-def]
    qtbot, window: MainWindow, services: Services
) -> None:
    layan = services.customers.create(staff_of(services, Role.CASHIER), LAYAN)
    sign_in(qtbot, window, "noura.shopper", "2222")
    window.workspace.show_page("customers")
    page = window.workspace.customers
    open_first(qtbot, window, "Layan")
    assert page._profile is not None and page._profile.id == layan.id
    assert page.send_message_button.isVisible()
    qtbot.keyClick(page, Qt.Key.Key_M, Qt.KeyboardModifier.ControlModifier)
    dialog = dialog_of(window)
    kinds = [dialog.kind.itemData(i) for i in range(dialog.kind.count())]
    assert kinds == [RESTOCK, APPOINTMENT, THANK_YOU], "no free text: she has not written in 24 hours"
    assert dialog._context is not None and dialog.send_button.isEnabled()

    dialog.kind.setCurrentIndex(kinds.index(THANK_YOU))
    assert dialog.branch.isVisible() and not dialog.product.isVisible()
    dialog.branch.setText("دبي مول")
    assert dialog.preview.toPlainText() == "شكراً لزيارتك العطور والعود دبي مول اليوم يا ليان. سعدنا بخدمتك."
    assert dialog.preview.layoutDirection() == Qt.LayoutDirection.RightToLeft
    dialog.kind.setCurrentIndex(kinds.index(RESTOCK))
    assert dialog.message.text() == "The customer has not agreed to offers on WhatsApp."
    dialog.product.setText("Oud Royal")
    dialog.send()
    wait_for_background()
    assert dialog.message.text() == (
        "The customer has agreed to no channel for this kind of message. Record their consent on the Profile tab first."
    )

    dialog.kind.setCurrentIndex(kinds.index(THANK_YOU))
    qtbot.keyClick(dialog, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    wait_for_background()
    assert dialog.message.text().startswith("Queued for WhatsApp.")
    assert not dialog.send_button.isVisible() and dialog.cancel_button.text() == "Close"
    with services.store.read_session() as session:
        sent = session.query(Communication).filter_by(customer_id=layan.id).all()
    assert [(m.channel, m.status, m.params) for m in sent] == [("whatsapp", "queued", ["ليان", "دبي مول"])]
    dialog.close()


def test_free_text_is_offered_only_inside_the_window_and_cashiers_have_no_action(  # type: ignore[no-untyped-def]
    qtbot, window: MainWindow, services: Services
) -> None:
    sign_in(qtbot, window, "aisha.cashier", "1111")
    window.workspace.show_page("customers")
    page = window.workspace.customers
    open_first(qtbot, window, "moh")
    assert page._profile is not None and not page.send_message_button.isVisible()
    page.send_message()
    assert page.findChild(SendMessageDialog) is None

    who = page._profile
    cashier = page._actor
    assert cashier is not None
    services.customers.update(
        cashier, who.id, replace(draft_of(services, who.id), consent_whatsapp=True, mobile="0501112233")
    )
    with SqlUnitOfWork(services.store, services.clock, cashier) as uow:
        uow.session.add(
            Communication(
                customer_id=who.id,
                channel="whatsapp",
                direction="inbound",
                recipient="",
                body="hi",
                status="received",
                created_at=services.clock.now() - timedelta(hours=3),
            )
        )
        uow.commit()
    page.set_actor(staff_of(services, Role.MANAGER))
    page.open_customer(who.id)
    wait_for_background()
    assert page.send_message_button.isVisible()
    page.send_message()
    dialog = dialog_of(window)
    assert FREE_TEXT in [dialog.kind.itemData(i) for i in range(dialog.kind.count())]
    dialog.close()


def draft_of(services: Services, customer_id: str) -> CustomerDraft:
    return draft_from(services.customers.get(customer_id))


def staff_of(services: Services, role: Role) -> Actor:
    member = next(s for s in services.staff.staff_of_branch(services.store.branch_id) if s.role == role)
    return Actor(member.id, member.branch_id, member.role)
