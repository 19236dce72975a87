"""The shell: sign-in, then the pages the signed-in role may use, the language switch and the status bar."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import QApplication, QHBoxLayout, QListWidget, QMainWindow, QStackedWidget, QToolBar, QWidget

from core.app import AppServices
from core.staff.auth import Actor, Permission, Role
from ui.i18n import LanguageSwitch, Retranslating
from ui.pages.customers.page import CustomersPage
from ui.pages.staff.info import StaffPage
from ui.pages.staff.sign_in import SignInPage
from ui.status import BranchStatusBar
from ui.widgets.named import named
from ui.widgets.nav import KEY_ROLE, KeyHintDelegate, function_keys

# The navigation's width at the least; it grows to its longest title (the Arabic ones run longer), so a title
# is never cut and the menu never scrolls sideways.
NAV_WIDTH = 190

# The page each role lands on after signing in: the first of these the role is offered, else its first page.
# A cashier's day is mostly ringing up sales (a gift card is also taken as a tender there), so Sale; a personal
# shopper's is their VIPs; a manager's is the VIP service queue (assignments and follow-ups only they decide),
# and an administrator's is the branch's staff (lockouts to lift, who is on the till).
START_PAGES: dict[Role, tuple[str, ...]] = {
    Role.CASHIER: ("sale", "giftcards", "customers"),
    Role.PERSONAL_SHOPPER: ("my_vips", "customers"),
    Role.MANAGER: ("vip_service", "sale", "customers"),
    Role.ADMIN: ("staff", "customers"),
}

IDLE_LOCK_SETTING = "till/idle_lock_minutes"
IDLE_LOCK_DEFAULT_MINUTES = 5


def idle_lock_minutes() -> float:
    """The till's idle time before it locks, from the 'till/idle_lock_minutes' setting (0 turns it off)."""
    try:
        return max(0.0, float(str(QSettings().value(IDLE_LOCK_SETTING, IDLE_LOCK_DEFAULT_MINUTES))))
    except ValueError:
        return float(IDLE_LOCK_DEFAULT_MINUTES)


class IdleLock(QObject):
    """Watches every keyboard, mouse and touch event of the application; after ``interval_ms`` without one
    while someone is signed in, emits ``idle`` (the window goes back to sign-in)."""

    idle = Signal()
    _INPUT = frozenset(
        {
            QEvent.Type.KeyPress,
            QEvent.Type.MouseButtonPress,
            QEvent.Type.MouseMove,
            QEvent.Type.Wheel,
            QEvent.Type.TouchBegin,
            QEvent.Type.TouchUpdate,
        }
    )

    def __init__(self, parent: QObject, minutes: float) -> None:
        super().__init__(parent)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        # A coarse timer may move its deadline by 5 % (15 s of 5 minutes), earlier too: input restarts it exactly.
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.timeout.connect(self.idle)
        self.set_interval_ms(int(minutes * 60_000))
        self._watching = False

    def set_interval_ms(self, ms: int) -> None:
        self.timer.setInterval(ms)

    def arm(self) -> None:
        if self.timer.interval() > 0:
            self.timer.start()
            self._watch(True)

    def disarm(self) -> None:
        self.timer.stop()
        self._watch(False)

    def _watch(self, on: bool) -> None:
        # Every event of the application passes an application-wide filter: it is installed only while
        # someone is signed in with a lock time set, and removed at sign-out and when the window closes.
        app = QApplication.instance()
        if app is None or on == self._watching:
            return
        if on:
            app.installEventFilter(self)
        else:
            app.removeEventFilter(self)
        self._watching = on

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in self._INPUT and self.timer.isActive():
            self.timer.start()
        return False


class Workspace(Retranslating, QWidget):
    """Navigation on the side, one page at a time. ``actor_changed`` tells feature pages who is signed in.
    Each offered page opens with its function key from anywhere in the window (ui.widgets.nav)."""

    actor_changed = Signal(object)  # Actor | None

    def __init__(self, services: AppServices, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.nav = named(QListWidget(self), "nav")
        self.nav.setFixedWidth(NAV_WIDTH)
        self.nav.setItemDelegate(KeyHintDelegate(self.nav))
        self.nav.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)  # long titles elide
        self.page_shortcuts: dict[str, QShortcut] = {}
        self.stack = QStackedWidget(self)
        self.customers = CustomersPage(services, self)
        self.staff = StaffPage(services, self)
        # Every page the app has: (key, page, the permission that shows it, its title in the current language).
        self.catalog: list[tuple[str, QWidget, Permission, Callable[[], str]]] = [
            ("customers", self.customers, Permission.VIEW_CUSTOMERS, lambda: self.tr("Customers")),
            ("staff", self.staff, Permission.UNLOCK_STAFF, lambda: self.tr("Staff")),
        ]
        self.pages: list[tuple[str, QWidget, Permission, Callable[[], str]]] = []
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.nav)
        layout.addWidget(self.stack, 1)
        self.nav.currentRowChanged.connect(self.stack.setCurrentIndex)
        self.actor_changed.connect(self._signed_out)
        self.actor_changed.connect(self.staff.set_actor)

    def set_actor(self, actor: Actor) -> None:
        """Offers exactly the pages the role may use."""
        while (page := self.stack.widget(0)) is not None:
            self.stack.removeWidget(page)
        self.pages = [p for p in self.catalog if actor.can(p[2])]
        for _key, page, _perm, _title in self.pages:
            self.stack.addWidget(page)
        self._hide_unoffered()
        self._bind_page_keys(self.page_keys())
        self.customers.set_actor(actor)
        self.actor_changed.emit(actor)
        self.retranslate()
        self.nav.setCurrentRow(0)

    def add_page(
        self, key: str, page: QWidget, permission: Permission, title: Callable[[], str], at: int | None = None
    ) -> None:
        """Registers a feature's page (last in the navigation, or at position ``at``); it appears for the roles
        holding ``permission``."""
        page.setParent(self)
        page.hide()
        self.catalog.insert(len(self.catalog) if at is None else at, (key, page, permission, title))

    def _hide_unoffered(self) -> None:
        # A page outside the stack is still this widget's child: shown, it would paint over the navigation and
        # its shortcuts would compete with the current page's.
        for _key, page, _perm, _title in self.catalog:
            if self.stack.indexOf(page) < 0:
                page.hide()

    def _signed_out(self, actor: Actor | None) -> None:
        if actor is None:
            self._bind_page_keys([])

    def _bind_page_keys(self, offered: list[str]) -> None:
        """A shortcut for each page offered (none when nobody is signed in); the window's, so it works
        whichever field has the focus, and only while the workspace is on screen."""
        for shortcut in self.page_shortcuts.values():
            shortcut.setEnabled(False)
            shortcut.deleteLater()
        self.page_shortcuts = {}
        keys = function_keys(key for key, _page, _perm, _title in self.catalog)
        for key in offered:
            if key in keys:
                shortcut = QShortcut(QKeySequence(keys[key]), self, lambda k=key: self.open_page(k))
                shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
                self.page_shortcuts[key] = shortcut

    def open_page(self, key: str) -> None:
        """What a page's function key does: show the page with the cursor in its first field."""
        self.show_page(key)
        page = self.stack.currentWidget()
        focused = QApplication.focusWidget()
        if page is not None and (focused is None or not page.isAncestorOf(focused)):
            page.setFocus(Qt.FocusReason.ShortcutFocusReason)
            page.focusNextChild()

    def page_keys(self) -> list[str]:
        return [key for key, _page, _perm, _title in self.pages]

    def show_page(self, key: str) -> None:
        self.nav.setCurrentRow(self.page_keys().index(key))

    def current_key(self) -> str | None:
        row = self.nav.currentRow()
        return self.pages[row][0] if 0 <= row < len(self.pages) else None

    def show_start_page(self, actor: Actor) -> None:
        """The page ``actor``'s role uses most (START_PAGES), else the first page offered."""
        keys = self.page_keys()
        start = next((key for key in START_PAGES.get(actor.role, ()) if key in keys), None)
        self.nav.setCurrentRow(keys.index(start) if start else 0)

    def retranslate(self) -> None:
        row = self.nav.currentRow()
        self.nav.clear()
        for key, _page, _perm, title in self.pages:
            self.nav.addItem(title())
            shortcut = self.page_shortcuts.get(key)
            if shortcut is not None:
                item = self.nav.item(self.nav.count() - 1)
                hint = shortcut.key().toString(QKeySequence.SequenceFormat.NativeText)
                item.setData(KEY_ROLE, hint)
                item.setToolTip(f"{title()} ({hint})")
                item.setData(Qt.ItemDataRole.AccessibleTextRole, f"{title()}, {hint}")
        self.nav.setCurrentRow(max(0, row))
        self.nav.ensurePolished()  # the style sheet's font and item padding count in the titles' width
        self.nav.setFixedWidth(max(NAV_WIDTH, self.nav.sizeHintForColumn(0) + 2 * self.nav.frameWidth() + 8))


class MainWindow(Retranslating, QMainWindow):
    """The shell. ``install_features`` (ui.features.install, passed by whoever builds the window) plugs the
    feature pages in; the shell does not import them, since they are written against it."""

    # Set by ui.features.install_sync: the window holds the relay so it lives as long as the worker calls it.
    sync_relay: QObject

    def __init__(
        self,
        services: AppServices,
        language: LanguageSwitch,
        install_features: Callable[[MainWindow, AppServices], None],
    ) -> None:
        super().__init__()
        self.setObjectName("mainWindow")
        self._services = services
        self._language = language
        self._install_features = install_features
        self.actor: Actor | None = None
        self.resize(1280, 800)

        self.stack = QStackedWidget(self)
        self.sign_in = SignInPage(services, self)
        self.workspace = Workspace(services, self)
        self.stack.addWidget(self.sign_in)
        self.stack.addWidget(self.workspace)
        self.setCentralWidget(self.stack)
        self.status = BranchStatusBar(services, self)
        self.setStatusBar(self.status)

        self.toolbar = named(QToolBar(self), "toolbar")
        self.toolbar.setMovable(False)
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, self.toolbar)
        self.language_action = named(QAction(self), "switchLanguage")
        self.language_action.setShortcut(QKeySequence("Ctrl+L"))
        self.language_action.triggered.connect(self.toggle_language)
        self.sign_out_action = QAction(self)
        self.sign_out_action.setShortcut(QKeySequence("Ctrl+Q"))
        self.sign_out_action.triggered.connect(self.sign_out)
        # The next cashier takes the till without a restart: back to the PIN prompt, nothing half-typed kept.
        self.switch_action = named(QAction(self), "switchCashier")
        self.switch_action.setShortcut(QKeySequence("F12"))
        self.switch_action.triggered.connect(self.sign_out)
        self.toolbar.addAction(self.language_action)
        self.toolbar.addAction(self.switch_action)
        self.toolbar.addAction(self.sign_out_action)
        self.idle_lock = IdleLock(self, idle_lock_minutes())
        self.idle_lock.idle.connect(self.lock_when_idle)

        self.sign_in.signed_in.connect(self.enter)
        self._features_installed = False
        self.retranslate()
        self.sign_out()

    def toggle_language(self) -> None:
        self._language.set_language("en" if self._language.current == "ar" else "ar")

    def enter(self, actor: Actor) -> None:
        if not self._features_installed:
            # Built at the first sign-in, not at start: the sign-in screen is up as soon as the store is open.
            self._install_features(self, self._services)
            self._features_installed = True
        self.actor = actor
        self.workspace.set_actor(actor)
        self.status.set_actor(actor)
        self.stack.setCurrentWidget(self.workspace)
        self.sign_out_action.setVisible(True)
        self.switch_action.setVisible(True)
        self.workspace.show_start_page(actor)
        if self.workspace.current_key() == "customers":
            self.workspace.customers.focus_search()
        self.idle_lock.arm()

    def lock_when_idle(self) -> None:
        """Nobody touched the till for the idle time: whoever was signed in is signed out."""
        if self.actor is not None:
            self.sign_out()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.idle_lock.disarm()
        super().closeEvent(event)

    def sign_out(self) -> None:
        self.actor = None
        self.status.set_actor(None)
        self.workspace.customers.set_actor(None)
        self.workspace.actor_changed.emit(None)
        self.stack.setCurrentWidget(self.sign_in)
        self.sign_out_action.setVisible(False)
        self.switch_action.setVisible(False)
        self.idle_lock.disarm()
        self.sign_in.load()

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Perfume & Oud — Branch Companion"))
        # The switch names the language it switches to, in that language.
        self.language_action.setText("English" if self._language.current == "ar" else "العربية")
        self.language_action.setToolTip(self.tr("Switch language (Ctrl+L)"))
        self.sign_out_action.setText(self.tr("Sign out"))
        self.switch_action.setText(self.tr("Switch cashier"))
        self.switch_action.setToolTip(self.tr("Back to the PIN prompt for the next cashier (F12)"))
