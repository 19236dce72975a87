"""Where each feature plugs its pages and customer tabs into the shell."""

from __future__ import annotations

from typing import TYPE_CHECKING

from core.app import AppServices

if TYPE_CHECKING:
    from ui.main_window import MainWindow
    from ui.pages.customers.service_tabs import CustomerTicketsTab
    from ui.pages.tickets.queue_page import TicketQueuePage


def install(window: MainWindow, services: AppServices) -> None:
    """Called once by MainWindow after the shell is built."""
    install_gift_cards(window, services)
    install_loyalty(window, services)
    install_personal_shoppers(window, services)
    install_sync(window, services)
    install_receipts(window, services)
    install_daily_jobs(window, services)
    install_outbox(window, services)
    install_campaigns(window, services)
    install_messaging(window, services)
    install_campaign_pages(window, services)
    customer_tickets = install_customer_service(window, services)
    install_customer_insights(window, services)
    install_ticket_jobs(window, services)
    queue = install_tickets(window, services)
    customer_tickets.open_ticket.connect(queue.open_ticket)  # a ticket chosen on the customer screen: its view
    install_feedback_dashboard(window, services)
    install_analytics(window, services)
    install_audit_trail(window, services)
    install_erasure(window, services)


def install_audit_trail(window: MainWindow, services: AppServices) -> None:
    """The administrators' audit trail: customer changes, sensitive fields shown, security events."""
    from core.staff.auth import Permission
    from ui.pages.audit.trail import AuditTrailPage

    workspace = window.workspace
    page = AuditTrailPage(services, workspace)
    workspace.add_page("audit_trail", page, Permission.VIEW_AUDIT_TRAIL, page.page_title)
    workspace.actor_changed.connect(page.set_actor)


def install_erasure(window: MainWindow, services: AppServices) -> None:
    """The customer screen's erasure line: the request's status, and a manager's "Request erasure…"."""
    from ui.pages.customers.erasure import ErasureLine

    workspace = window.workspace
    line = ErasureLine(services, workspace.customers)
    workspace.customers.add_notice(line)
    workspace.actor_changed.connect(line.set_actor)
    workspace.customers.customer_opened.connect(line.show_customer)


def install_analytics(window: MainWindow, services: AppServices) -> None:
    """The business dashboards (managers); a standalone store recomputes their figures in the background once
    a day when someone signs in and none of that day exist (in a chain they come from head office)."""
    from PySide6.QtCore import QCoreApplication

    from core.staff.auth import Actor, Permission
    from ui.ops import run_in_background
    from ui.pages.analytics.page import AnalyticsPage

    workspace = window.workspace
    page = AnalyticsPage(services, workspace)
    workspace.add_page(
        "analytics",
        page,
        Permission.VIEW_ANALYTICS,
        lambda: QCoreApplication.translate("AnalyticsPage", "Business dashboards"),
    )
    workspace.actor_changed.connect(page.set_actor)
    analytics = services.analytics
    ran: list[object] = []

    def signed_in(actor: object) -> None:
        if not isinstance(actor, Actor) or not analytics.computes_here:
            return
        today = services.clock.today()
        if today in ran:
            return
        ran.append(today)

        def run() -> object:
            return None if analytics.is_fresh(today) else analytics.recompute_in_background()

        run_in_background(run, lambda _run: None, lambda _error: ran.remove(today))

    workspace.actor_changed.connect(signed_in)


def install_feedback_dashboard(window: MainWindow, services: AppServices) -> None:
    """The managers' feedback dashboard: NPS, sentiment, themes and the low scores waiting."""
    from PySide6.QtCore import QCoreApplication

    from core.staff.auth import Permission
    from ui.pages.feedback.dashboard import FeedbackDashboardPage

    workspace = window.workspace
    page = FeedbackDashboardPage(services, workspace)
    workspace.add_page(
        "feedback_dashboard",
        page,
        Permission.VIEW_FEEDBACK,
        lambda: QCoreApplication.translate("FeedbackDashboardPage", "Customer feedback"),
    )
    workspace.actor_changed.connect(page.set_actor)


def install_tickets(window: MainWindow, services: AppServices) -> TicketQueuePage:
    """The support-ticket queue (staff who handle tickets) and its ticket view, which can show the customer."""
    from core.staff.auth import Permission
    from ui.pages.tickets.queue_page import TicketQueuePage

    workspace = window.workspace
    page = TicketQueuePage(services, workspace)
    workspace.add_page("tickets", page, Permission.HANDLE_TICKETS, page.page_title)
    workspace.actor_changed.connect(page.set_actor)

    def show_customer(customer_id: str) -> None:
        if page.dialog is not None:
            page.dialog.accept()
        workspace.show_page("customers")
        workspace.customers.open_customer(customer_id)

    page.customer_requested.connect(show_customer)
    install_ticket_shortcut(window, services, page)
    return page


def install_ticket_shortcut(window: MainWindow, services: AppServices, queue: TicketQueuePage) -> None:
    """Ctrl+T on the customer screen opens a ticket for the customer shown, as it does at the till."""
    from PySide6.QtGui import QKeySequence, QShortcut

    from core.customers.model import CustomerProfile
    from core.staff.auth import Permission
    from ui.i18n import is_arabic
    from ui.pages.tickets.open_dialog import OpenTicketDialog

    customers = window.workspace.customers
    shown: list[CustomerProfile | None] = [None]
    dialogs: list[OpenTicketDialog] = []  # the open one, kept alive while it shows
    customers.customer_opened.connect(lambda profile: shown.__setitem__(0, profile))

    def open_ticket() -> None:
        profile, actor = shown[0], window.actor
        if profile is None or actor is None or not actor.can(Permission.HANDLE_TICKETS):
            return
        name = profile.display_name("ar" if is_arabic() else "en")
        dialog = OpenTicketDialog(services, actor, profile.id, name, parent=customers)
        dialog.opened.connect(lambda _ticket: queue.refresh())
        dialogs[:] = [dialog]
        dialog.open()

    QShortcut(QKeySequence("Ctrl+T"), customers, open_ticket)


def install_campaign_pages(window: MainWindow, services: AppServices) -> None:
    """The managers' Campaigns page: the campaigns, their editor and the calendar of occasions."""
    from PySide6.QtCore import QCoreApplication

    from core.staff.auth import Permission
    from ui.pages.campaigns.page import CampaignsPage

    workspace = window.workspace
    page = CampaignsPage(services, workspace)
    workspace.add_page(
        "campaigns",
        page,
        Permission.MANAGE_CAMPAIGNS,
        lambda: QCoreApplication.translate("CampaignsPage", "Campaigns"),
    )
    workspace.actor_changed.connect(page.set_actor)


def install_messaging(window: MainWindow, services: AppServices) -> None:
    """The managers' message templates page and the customer screen's Messages tab, which follows the open
    customer and every pull from head office."""
    from PySide6.QtCore import QCoreApplication

    from core.staff.auth import Permission
    from ui.pages.customers.messages import MessagesTab
    from ui.pages.messaging.templates_page import TemplatesPage

    workspace = window.workspace
    page = TemplatesPage(services, workspace)
    workspace.add_page(
        "message_templates",
        page,
        Permission.MANAGE_MESSAGE_TEMPLATES,
        lambda: QCoreApplication.translate("TemplatesPage", "Message templates"),
    )
    workspace.actor_changed.connect(page.set_actor)
    tab = MessagesTab(services, workspace.customers)
    workspace.customers.add_tab(tab, lambda: QCoreApplication.translate("MessagesTab", "Messages"))
    workspace.actor_changed.connect(tab.set_actor)
    workspace.customers.customer_opened.connect(tab.show_customer)
    relay = getattr(window, "sync_relay", None)
    if relay is not None:
        relay.changed.connect(tab.sync_changed)


def install_daily_jobs(window: MainWindow, services: AppServices) -> None:
    """A standalone store's own expiry runs (core.loyalty.daily_expiry decides which and when), started off
    the main thread when someone signs in."""
    from core.loyalty.daily_expiry import DailyExpiry
    from ui.ops import run_in_background

    job = DailyExpiry(
        services.clock,
        services.sync,
        services.giftcards.expire_due,
        services.loyalty.run_expiry,
    )

    def signed_in(actor: object) -> None:
        from core.staff.auth import Actor

        claimed = job.claim(actor if isinstance(actor, Actor) else None)
        if claimed is not None:
            run_in_background(claimed.run, lambda _run: None, lambda _error: job.release(claimed.day))

    window.workspace.actor_changed.connect(signed_in)


def install_outbox(window: MainWindow, services: AppServices) -> None:
    """A standalone store sends its own outbox (in a chain head office does, and ``services.outbox`` stays
    None): a round every few seconds on the thread pool, never two at once, never on the main thread."""
    from PySide6.QtCore import QTimer

    from ui.ops import run_in_background

    running = [False]

    def done(_result: object) -> None:
        running[0] = False

    def round_due() -> None:
        # Read at every round: main.py builds the dispatcher off the main thread after the window shows.
        dispatcher = services.outbox
        if dispatcher is not None and not running[0]:
            running[0] = True
            run_in_background(dispatcher.run_once, done, done, owner=timer)

    timer = QTimer(window)
    timer.setInterval(OUTBOX_ROUND_MS)
    timer.timeout.connect(round_due)
    timer.start()


OUTBOX_ROUND_MS = 5000


def install_campaigns(window: MainWindow, services: AppServices) -> None:
    """A standalone store runs its due campaigns (core.campaigns.executor) itself: a round every minute on the
    thread pool, never two at once, never on the main thread. In a chain there is no executor: head office
    runs the campaigns, so a customer is greeted once and not by every branch."""
    import logging

    from PySide6.QtCore import QTimer

    from ui.ops import run_in_background

    executor = services.campaign_executor
    if executor is None:
        return
    running = [False]

    def done(_result: object) -> None:
        running[0] = False

    def failed(error: BaseException) -> None:
        running[0] = False
        # The next round tries again: what was written stays, and nobody is reached twice.
        logging.getLogger(__name__).warning("a campaign round failed", exc_info=error)

    def round_due() -> None:
        if not running[0]:
            running[0] = True
            run_in_background(executor.run_due, done, failed, owner=timer)

    timer = QTimer(window)
    timer.setInterval(CAMPAIGN_ROUND_MS)
    timer.timeout.connect(round_due)
    timer.start()


CAMPAIGN_ROUND_MS = 60_000


def install_gift_cards(window: MainWindow, services: AppServices) -> None:
    from PySide6.QtCore import QCoreApplication

    from core.staff.auth import Permission
    from ui.pages.giftcards.page import GiftCardsPage
    from ui.pages.giftcards.report import GiftCardReportPage

    workspace = window.workspace
    cards = GiftCardsPage(services, workspace)
    report = GiftCardReportPage(services, workspace)
    workspace.add_page(
        "giftcards",
        cards,
        Permission.VIEW_GIFT_CARDS,
        lambda: QCoreApplication.translate("GiftCardsPage", "Gift cards"),
    )
    workspace.add_page(
        "giftcard_report",
        report,
        Permission.VIEW_GIFT_CARD_REPORTS,
        lambda: QCoreApplication.translate("GiftCardReportPage", "Gift card report"),
    )
    workspace.actor_changed.connect(cards.set_actor)
    workspace.actor_changed.connect(report.set_actor)


def install_loyalty(window: MainWindow, services: AppServices) -> None:
    """The till's Sale page, the reward catalog for managers, and the Loyalty tab of the customer 360."""
    from PySide6.QtCore import QCoreApplication

    from core.staff.auth import Permission
    from ui.pages.loyalty.rewards import RewardsPage
    from ui.pages.loyalty.tab import LoyaltyTab
    from ui.pages.purchases.sale import SalePage

    workspace = window.workspace
    sale = SalePage(services, workspace)
    rewards = RewardsPage(services, workspace)
    workspace.add_page("sale", sale, Permission.RECORD_SALES, lambda: QCoreApplication.translate("SalePage", "Sale"))
    workspace.add_page(
        "rewards", rewards, Permission.MANAGE_REWARDS, lambda: QCoreApplication.translate("RewardsPage", "Rewards")
    )
    workspace.actor_changed.connect(sale.set_actor)
    workspace.actor_changed.connect(rewards.set_actor)
    customers = workspace.customers
    tab = LoyaltyTab(services, customers)
    customers.add_tab(tab, lambda: QCoreApplication.translate("LoyaltyTab", "Loyalty"))
    workspace.actor_changed.connect(tab.set_actor)
    customers.customer_opened.connect(tab.show_customer)
    sale.sale_recorded.connect(lambda _result: tab.reload())


def install_personal_shoppers(window: MainWindow, services: AppServices) -> None:
    """My VIPs (the shopper's start page), the manager's VIP service page and the customer-360 tab."""
    from PySide6.QtCore import QTimer

    from core.staff.auth import Actor, Permission, Role
    from ui.pages.shoppers.admin import VipServicePage
    from ui.pages.shoppers.my_vips import CustomerVipTab, MyVipsPage

    workspace = window.workspace
    vips = MyVipsPage(services, workspace)
    admin = VipServicePage(services, workspace)
    workspace.add_page("my_vips", vips, Permission.VIEW_OWN_VIPS, vips.page_title)
    workspace.add_page("vip_service", admin, Permission.ASSIGN_SHOPPERS, admin.page_title)
    tab = CustomerVipTab(services, workspace.customers)
    workspace.customers.add_tab(tab, tab.title)
    workspace.customers.customer_opened.connect(tab.show_customer)
    workspace.actor_changed.connect(vips.set_actor)
    workspace.actor_changed.connect(admin.set_actor)
    workspace.actor_changed.connect(tab.set_actor)

    def focus_my_vips() -> None:
        if workspace.current_key() == "my_vips":
            vips.focus_filter()

    def start_page(actor: Actor | None) -> None:
        # The shell opens a shopper on My VIPs (ui.main_window.START_PAGES); the filter takes the keys.
        if actor is not None and actor.role == Role.PERSONAL_SHOPPER:
            QTimer.singleShot(0, focus_my_vips)

    workspace.actor_changed.connect(start_page)


def install_sync(window: MainWindow, services: AppServices) -> None:
    """The sync page (second in the navigation) and its exceptions page; the status bar follows the worker."""
    from PySide6.QtCore import QCoreApplication

    from core.staff.auth import Permission
    from ui.pages.sync.page import HeadOfficeSyncPage, OfflineExceptionsPage
    from ui.sync_text import SyncStatusRelay

    workspace = window.workspace
    page = HeadOfficeSyncPage(services, workspace)
    workspace.add_page(
        "sync", page, Permission.VIEW_SYNC, lambda: QCoreApplication.translate("Workspace", "Sync"), at=1
    )
    exceptions = OfflineExceptionsPage(services, workspace)
    workspace.add_page(
        "sync_exceptions",
        exceptions,
        Permission.VIEW_SYNC,
        lambda: QCoreApplication.translate("OfflineExceptionsPage", "Offline exceptions"),
    )
    workspace.actor_changed.connect(exceptions.set_actor)
    relay = SyncStatusRelay(window)
    relay.changed.connect(page.set_status)
    relay.changed.connect(window.status.sync_status)
    window.sync_relay = relay
    services.sync.subscribe(relay.changed.emit)


def install_receipts(window: MainWindow, services: AppServices) -> None:
    """Receipts and printer: the seller's details on tax invoices and this till's printer (managers, admins)."""
    from PySide6.QtCore import QCoreApplication

    from core.staff.auth import Permission
    from ui.receipts.settings_page import ReceiptSettingsPage

    workspace = window.workspace
    page = ReceiptSettingsPage(services, workspace)
    workspace.add_page(
        "receipts",
        page,
        Permission.MANAGE_BRANCH_SETTINGS,
        lambda: QCoreApplication.translate("ReceiptSettingsPage", "Printing"),
    )
    workspace.actor_changed.connect(page.set_actor)


def install_customer_service(window: MainWindow, services: AppServices) -> CustomerTicketsTab:
    """The customer screen's Feedback and Tickets tabs; the Tickets tab, whose ``open_ticket`` says which ticket
    was chosen there."""
    from ui.pages.customers.service_tabs import CustomerFeedbackTab, CustomerTicketsTab

    workspace = window.workspace
    customers = workspace.customers
    feedback = CustomerFeedbackTab(services, customers)
    tickets = CustomerTicketsTab(services, customers)
    for tab in (feedback, tickets):
        customers.add_tab(tab, tab.title)
        workspace.actor_changed.connect(tab.set_actor)
        customers.customer_opened.connect(tab.show_customer)
    return tickets


def install_customer_insights(window: MainWindow, services: AppServices) -> None:
    """The customer screen's Insights tab: lifetime value, churn risk, segment and next likely purchase."""
    from ui.pages.customers.insights_tab import CustomerInsightsTab

    workspace = window.workspace
    tab = CustomerInsightsTab(services, workspace.customers)
    workspace.customers.add_tab(tab, tab.title)
    workspace.actor_changed.connect(tab.set_actor)
    workspace.customers.customer_opened.connect(tab.show_customer)


def install_ticket_jobs(window: MainWindow, services: AppServices) -> None:
    """The branch escalates overdue tickets to its manager every few minutes, as the store's own system
    identity (nobody need be signed in), and shows a signed-in manager their alerts in the status bar. Both on
    the thread pool, never two rounds at once."""
    import logging

    from PySide6.QtCore import QTimer

    from core.staff.auth import Actor, Permission
    from core.tickets.service import system_actor
    from ui.ops import run_in_background

    running = [False]
    branch = services.branch()
    system = system_actor(branch.id if branch else "")
    status = window.status
    signed_in: list[Actor | None] = [None]

    def done(_result: object) -> None:
        running[0] = False
        alerts_due()

    def failed(error: BaseException) -> None:
        running[0] = False
        logging.getLogger(__name__).warning("an escalation round failed", exc_info=error)

    def escalation_due() -> None:
        if not running[0]:
            running[0] = True
            run_in_background(lambda: services.tickets.escalate(system), done, failed, owner=timer)

    def alerts_due() -> None:
        actor = signed_in[0]
        if actor is None or not actor.can(Permission.MANAGE_TICKETS):
            status.set_alerts(None)
            return
        run_in_background(lambda: services.tickets.manager_alerts(actor), status.set_alerts, owner=status)

    timer = QTimer(window)
    timer.setInterval(ESCALATION_ROUND_MS)
    timer.timeout.connect(escalation_due)
    timer.start()
    alerts = QTimer(window)
    alerts.setInterval(ALERTS_ROUND_MS)
    alerts.timeout.connect(alerts_due)
    alerts.start()

    def actor_changed(actor: object) -> None:
        signed_in[0] = actor if isinstance(actor, Actor) else None
        alerts_due()

    window.workspace.actor_changed.connect(actor_changed)


ESCALATION_ROUND_MS = 5 * 60_000
ALERTS_ROUND_MS = 30_000
