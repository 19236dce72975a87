"""Customer 360: search as you type, open, edit, create, and see every change made to the customer."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QTableView,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from core.app import AppServices
from core.customers.model import CustomerProfile, CustomerSummary, HistoryEntry
from core.kernel.errors import DomainError, ValidationErrors
from core.messaging.consent import ConsentState
from core.staff.auth import Actor, Permission
from ui import labels
from ui.i18n import (
    Retranslating,
    date_text,
    datetime_text,
    error_text,
    field_errors,
    in_ui_direction,
    is_arabic,
    local_name,
    ltr,
    phone_text,
)
from ui.ops import run_in_background
from ui.pages.customers.form import CustomerForm
from ui.typeahead import TypeAhead
from ui.widgets.forms import say
from ui.widgets.panes import panes
from ui.widgets.plain import as_plain, plain_labels
from ui.widgets.tables import read_only, set_empty_text

# A customer as the page shows them: the profile, and their consent when the signed-in staff may read it.
Found = tuple[CustomerProfile, ConsentState | None]

Index = QModelIndex | QPersistentModelIndex


class ResultsModel(QAbstractTableModel):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.rows: list[CustomerSummary] = []

    def set_rows(self, rows: list[CustomerSummary]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 4

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole or orientation != Qt.Orientation.Horizontal:
            return None
        return [self.tr("Name"), self.tr("Mobile"), self.tr("Segment"), self.tr("Number")][section]

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            name = local_name(row.name_en, row.name_ar)
            return [name, phone_text(row.mobile), labels.segment(row.segment), ltr(row.number)][index.column()]
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() == 1:
            return int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft)
        if role == Qt.ItemDataRole.UserRole:
            return row.id
        return None


class CustomersPage(Retranslating, QWidget):
    """Other features add their own tabs (loyalty card, VIP service…) with ``add_tab`` and follow
    ``customer_opened`` to show the open customer; the page itself knows nothing about them."""

    customer_opened = Signal(object)  # CustomerProfile | None (None: a new customer is being made)

    def __init__(self, services: AppServices, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._extra_tabs: list[tuple[QWidget, Callable[[], str]]] = []
        self.setObjectName("customersPage")
        self._services = services
        self._actor: Actor | None = None
        self._profile: CustomerProfile | None = None
        self._consent: ConsentState | None = None
        self._creating = False
        self._revealed: dict[str, object] = {}  # sensitive values shown for the open customer (each read audited)

        left = self._build_search()
        right = self._build_customer()

        splitter = panes(self, left, right, (2, 3))
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)

        self._typeahead = TypeAhead(
            self, self.search.text, lambda text: self._services.customers.search(text), self._show_results, self._failed
        )
        self._debounce = self._typeahead.timer
        self.search.textChanged.connect(lambda _t: self._typeahead.typed())
        self.search.returnPressed.connect(self._open_first)
        self.search.installEventFilter(self)
        self.table.activated.connect(self._open_index)
        self.table.clicked.connect(self._open_index)
        self.new_button.clicked.connect(self.new_customer)
        self.save_button.clicked.connect(self.save)
        self.revert_button.clicked.connect(self.revert)
        self.send_message_button.clicked.connect(self.send_message)
        self.form.reveal_requested.connect(self.reveal)
        self.export_button.clicked.connect(self.export_data)
        QShortcut(QKeySequence("Ctrl+M"), self, self.send_message)
        QShortcut(QKeySequence("Ctrl+E"), self, self.export_data)
        QShortcut(QKeySequence("Ctrl+F"), self, self.focus_search)
        QShortcut(QKeySequence("Ctrl+N"), self, self.new_customer)
        QShortcut(QKeySequence("Ctrl+S"), self, self.save)
        self._show_detail(False)
        self.retranslate()
        plain_labels(self)

    # -- building ------------------------------------------------------------------------------------------
    def _build_search(self) -> QWidget:
        """Left: the search box, the results, their count and "new customer"."""
        self.search = QLineEdit(self)
        self.search.setObjectName("customerSearch")
        self.search.setClearButtonEnabled(True)
        self.results = ResultsModel(self)
        self.table = QTableView(self)
        self.table.setObjectName("customerResults")
        self.table.setModel(self.results)
        read_only(self.table, rows=True, single=True, striped=True)
        self.count = QLabel(self)
        self.count.setObjectName("hint")
        self.count.setWordWrap(True)  # the hint under an empty list wraps rather than widen the window past 1366
        self.new_button = QPushButton(self)
        self.new_button.setObjectName("newCustomer")
        left = QWidget(self)
        ll = QVBoxLayout(left)
        ll.setContentsMargins(0, 0, 0, 0)
        ll.addWidget(self.search)
        ll.addWidget(self.table, 1)
        bottom = QHBoxLayout()
        bottom.addWidget(self.count, 1)
        bottom.addWidget(self.new_button)
        ll.addLayout(bottom)
        return left

    def _build_customer(self) -> QWidget:
        """Right: the open customer's name, the profile form and history in tabs, or the empty state."""
        self.header = QLabel(self)
        self.header.setObjectName("customerName")
        self.subheader = QLabel(self)
        self.subheader.setObjectName("subtitle")
        self.form = CustomerForm(self, today=self._services.clock.today)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.form)
        self.message = QLabel(self)
        self.message.setObjectName("message")
        self.message.setWordWrap(True)
        self.save_button = QPushButton(self)
        self.save_button.setObjectName("primary")
        self.revert_button = QPushButton(self)
        buttons = QHBoxLayout()
        buttons.addWidget(self.message, 1)
        buttons.addWidget(self.revert_button)
        buttons.addWidget(self.save_button)
        profile_tab = QWidget(self)
        pl = QVBoxLayout(profile_tab)
        pl.addWidget(scroll, 1)
        pl.addLayout(buttons)
        self.history = QTreeWidget(self)
        self.history.setObjectName("customerHistory")
        self.history.setColumnCount(4)
        self.history.setAlternatingRowColors(True)
        self.history.header().setStretchLastSection(True)
        self.tabs = QTabWidget(self)
        self.tabs.addTab(profile_tab, "")
        self.tabs.addTab(self.history, "")
        self.empty = QLabel(self)
        self.empty.setObjectName("emptyState")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)
        right = QWidget(self)
        rl = QVBoxLayout(right)
        rl.setContentsMargins(12, 0, 0, 0)
        self.send_message_button = QPushButton(self)
        self.send_message_button.setObjectName("sendMessage")
        self.export_button = QPushButton(self)
        self.export_button.setObjectName("exportCustomerData")
        heading = QHBoxLayout()
        heading.addWidget(self.header, 1)
        heading.addWidget(self.send_message_button)
        rl.addLayout(heading)
        # On the line of the customer's number, not the name's: the name's line has no room left at 1366 px.
        # Features' notices about the open customer (its erasure request and status) share that line too: a line
        # of their own would push the tabs past 768 px in Arabic.
        facts = QHBoxLayout()
        facts.addWidget(self.subheader, 1)
        self._notices = QHBoxLayout()
        facts.addLayout(self._notices)
        facts.addWidget(self.export_button)
        rl.addLayout(facts)
        rl.addWidget(self.tabs, 1)
        rl.addWidget(self.empty, 1)
        return right

    # -- search ---------------------------------------------------------------------------------------------
    def set_actor(self, actor: Actor | None) -> None:
        self._actor = actor

    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def run_search(self) -> None:
        """Searches what the box holds now (a burst of keys is not waited for)."""
        self._typeahead.search_now()

    def searching(self) -> bool:
        """A search for the text in the box is still to come."""
        return self._typeahead.busy()

    def _show_results(self, rows: list[CustomerSummary]) -> None:
        self.results.set_rows(rows)
        self.table.resizeColumnToContents(1)
        self._show_count()

    def _show_count(self) -> None:
        if not self.search.text().strip():
            self.count.setText(self.tr("Type a name, mobile, email or customer number."))
        elif not self.results.rows:
            self.count.setText(self.tr("No customer found. Press Ctrl+N to add one."))
        else:
            self.count.setText(self.tr("%n customer(s) shown", "", len(self.results.rows)))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            watched is self.search
            and event.type() == QEvent.Type.KeyPress
            and event.key() == Qt.Key.Key_Down  # type: ignore[attr-defined]
            and self.results.rows
        ):
            self.table.setFocus()
            self.table.selectRow(0)
            return True
        return super().eventFilter(watched, event)

    def _open_first(self) -> None:
        if self._debounce.isActive():
            self.run_search()
        if self.results.rows:
            self.open_customer(self.results.rows[0].id)

    def _open_index(self, index: QModelIndex) -> None:
        self.open_customer(str(self.results.data(index, Qt.ItemDataRole.UserRole)))

    # -- one customer ---------------------------------------------------------------------------------------
    def open_customer(self, customer_id: str) -> None:
        actor = self._actor
        run_in_background(
            lambda: self._with_consent(actor, self._services.customers.get(customer_id)),
            self._show_found,
            self._failed,
        )

    def _with_consent(self, actor: Actor | None, profile: CustomerProfile) -> Found:
        """Runs off the main thread: the profile with its consent as the ledger has it."""
        return profile, self._services.consents.state(actor, profile.id) if actor else None

    def _show_found(self, found: Found) -> None:
        self._show_profile(*found)

    def _show_profile(self, profile: CustomerProfile, consent: ConsentState | None = None) -> None:
        if self._profile is None or self._profile.id != profile.id:
            self._revealed = {}
        self._profile = profile
        self._consent = consent
        self._creating = False
        self.form.set_profile(profile, consent)
        self._apply_revealed()
        editable = profile.erased_at is None  # an erased customer's profile is head office's tombstone
        for widget in (self.form, self.save_button, self.revert_button):
            widget.setEnabled(editable)
        self.message.clear()
        self._show_detail(True)
        self._update_header()
        self._load_history()
        self.customer_opened.emit(profile)

    def reveal(self, name: str) -> None:
        """Asks the service for the open customer's full ``name`` (it audits the read: one row per press),
        off the main thread, and shows it in the form until another customer is opened."""
        profile, actor = self._profile, self._actor
        if profile is None or actor is None or self._creating:
            return
        button = self.form.show_buttons[name]
        run_in_background(
            lambda: self._services.customers.reveal(actor, profile.id, name),
            lambda value: self._shown_in_full(profile.id, name, value),
            self._failed,
            busy=[button],
            owner=self,
        )

    def _shown_in_full(self, customer_id: str, name: str, value: object) -> None:
        if self._profile is None or self._profile.id != customer_id:
            return  # another customer was opened meanwhile
        self._revealed[name] = value
        self.form.reveal(name, value)
        self._update_header()

    def _apply_revealed(self) -> None:
        for name, value in self._revealed.items():
            self.form.reveal(name, value)

    def add_notice(self, widget: QWidget) -> None:
        """Adds a feature's notice on the line under the customer's name; the feature shows and hides it."""
        self._notices.addWidget(widget)

    def add_tab(self, widget: QWidget, title: Callable[[], str]) -> None:
        """Adds a tab after Profile and History; ``title`` is called again whenever the language changes."""
        self._extra_tabs.append((widget, title))
        self.tabs.addTab(widget, title())

    def _load_history(self) -> None:
        profile, actor = self._profile, self._actor
        if profile is None or actor is None:
            self.history.clear()
            return
        run_in_background(lambda: self._services.customers.history(actor, profile.id), self._show_history, self._failed)

    def _show_history(self, entries: list[HistoryEntry]) -> None:
        """One line per change (when, who, where, what), its fields underneath: old → new."""
        self.history.clear()
        for entry in entries:
            item = QTreeWidgetItem(
                [
                    datetime_text(entry.at),
                    local_name(entry.staff_name, entry.staff_name_ar),
                    local_name(entry.branch_name, entry.branch_name_ar),
                    labels.history_action(entry.action),
                ]
            )
            for name, (old, new) in entry.changes.items():
                change = self.tr("%1: %2 → %3")
                text = (
                    change.replace("%1", labels.field(name))
                    .replace("%2", self._value_text(name, old))
                    .replace("%3", self._value_text(name, new))
                )
                item.addChild(QTreeWidgetItem([text]))
            self.history.addTopLevelItem(item)
            for i in range(item.childCount()):
                if (child := item.child(i)) is not None:
                    child.setFirstColumnSpanned(True)
        if entries and (newest := self.history.topLevelItem(0)) is not None:
            newest.setExpanded(True)
        for col in range(3):
            self.history.resizeColumnToContents(col)

    @staticmethod
    def _value_text(name: str, value: object) -> str:
        if value in (None, ""):
            return "—"
        if isinstance(value, bool):
            return labels.yes_no(value)
        if name == "segment":
            return labels.segment(str(value))
        if name == "emirate":
            return labels.emirate(str(value))
        if name == "preferred_language":
            return labels.language(str(value))
        if name == "preferred_channel":
            return labels.channel(str(value))
        if name == "mobile":
            return phone_text(str(value))
        if name in ("email", "emirates_id", "birthday", "po_box"):
            return ltr(str(value))
        return str(value)

    def new_customer(self) -> None:
        self._revealed = {}
        self._profile = None
        self._consent = None
        self._creating = True
        self.form.set_profile(None)
        for widget in (self.form, self.save_button, self.revert_button):
            widget.setEnabled(True)
        typed = self.search.text().strip()
        if typed and any(ch.isdigit() for ch in typed):
            self.form.edits["mobile"].setText(typed)
        elif typed:
            target = "first_name_ar" if any("\u0600" <= ch <= "\u06ff" for ch in typed) else "first_name_en"
            self.form.edits[target].setText(typed)
        self.message.clear()
        self.history.clear()
        self._show_detail(True)
        self.tabs.setCurrentIndex(0)
        self._update_header()
        self.customer_opened.emit(None)

    def save(self) -> None:
        actor = self._actor
        if actor is None or not (self._creating or self._profile):
            return
        draft = self.form.draft()
        profile = self._profile
        if self._creating:
            run_in_background(
                lambda: self._with_consent(actor, self._services.customers.create(actor, draft)),
                self._saved,
                self._failed,
                busy=[self.save_button],
            )
        elif profile is not None:
            run_in_background(
                lambda: self._with_consent(actor, self._services.customers.update(actor, profile.id, draft)),
                self._saved,
                self._failed,
                busy=[self.save_button],
            )

    def _saved(self, found: Found) -> None:
        self._show_profile(*found)
        say(self.message, self.tr("Saved."))
        self.run_search()

    def revert(self) -> None:
        if self._profile is not None:
            self.form.set_profile(self._profile, self._consent)
            self._apply_revealed()
        elif self._creating:
            self.new_customer()
        self.message.clear()

    def _failed(self, error: BaseException) -> None:
        if isinstance(error, ValidationErrors):
            loose = self.form.show_errors(field_errors(error))
            self.tabs.setCurrentIndex(0)
            say(self.message, loose or self.tr("Check the fields marked in red."), error=True)
        elif isinstance(error, DomainError):
            say(self.message, error_text(error), error=True)
            QMessageBox.warning(self, self.tr("Customer"), as_plain(error_text(error)))
        else:
            raise error

    def send_message(self) -> None:
        """A WhatsApp message to the open customer (ui.pages.customers.send_message)."""
        from ui.pages.customers.send_message import SendMessageDialog

        profile, actor = self._profile, self._actor
        if profile is None or actor is None or self._creating or not actor.can(Permission.MESSAGE_CUSTOMERS):
            return
        branch = self._services.branch()
        names = (branch.name_en, branch.name_ar) if branch else ("", "")
        name = profile.display_name("ar" if is_arabic() else "en")
        dialog = SendMessageDialog(self._services, actor, profile.id, name, branch_names=names, parent=self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    def export_data(self) -> None:
        """Everything held about the open customer, as JSON and a bilingual PDF (ui.privacy.export); managers and
        administrators only, and the service refuses anyone else too."""
        from ui.privacy.export import ExportCustomerDialog

        profile, actor = self._profile, self._actor
        if profile is None or actor is None or self._creating or not actor.can(Permission.EXPORT_CUSTOMER_DATA):
            return
        name = profile.display_name("ar" if is_arabic() else "en")
        dialog = ExportCustomerDialog(self._services, actor, profile.id, profile.number, name, parent=self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    def _show_detail(self, visible: bool) -> None:
        self.tabs.setVisible(visible)
        self.header.setVisible(visible)
        if not visible:
            self.send_message_button.setVisible(False)
            self.export_button.setVisible(False)
        self.subheader.setVisible(visible)
        self.empty.setVisible(not visible)

    def _update_header(self) -> None:
        profile = self._profile
        actor = self._actor
        self.send_message_button.setVisible(
            profile is not None
            and profile.erased_at is None
            and actor is not None
            and actor.can(Permission.MESSAGE_CUSTOMERS)
        )
        self.export_button.setVisible(
            profile is not None and actor is not None and actor.can(Permission.EXPORT_CUSTOMER_DATA)
        )
        if profile is None:
            self.header.setText(self.tr("New customer"))
            self.subheader.setText(self.tr("Fill in at least a first name and a mobile number."))
            return
        self.header.setText(profile.display_name("ar" if is_arabic() else "en"))
        parts = [ltr(profile.number), labels.segment(profile.segment)]
        if profile.emirate:
            parts.append(labels.emirate(profile.emirate))
        birthday = profile.birthday or self._revealed.get("birthday")
        if isinstance(birthday, date):
            parts.append(self.tr("Birthday %1").replace("%1", date_text(birthday)))
        self.subheader.setText(in_ui_direction("  ·  ".join(parts)))

    def retranslate(self) -> None:
        self.search.setPlaceholderText(self.tr("Search by name, mobile, email or customer number (Ctrl+F)"))
        self.new_button.setText(self.tr("New customer (Ctrl+N)"))
        self.save_button.setText(self.tr("Save (Ctrl+S)"))
        self.revert_button.setText(self.tr("Undo changes"))
        self.send_message_button.setText(self.tr("Send message… (Ctrl+M)"))
        self.export_button.setText(self.tr("Export data… (Ctrl+E)"))
        self.export_button.setToolTip(self.tr("Export this customer's data as JSON and as a PDF in English and Arabic"))
        self.tabs.setTabText(0, self.tr("Profile"))
        self.tabs.setTabText(1, self.tr("History"))
        for widget, title in self._extra_tabs:
            self.tabs.setTabText(self.tabs.indexOf(widget), title())
        self.history.setHeaderLabels([self.tr("When"), self.tr("Staff"), self.tr("Branch"), self.tr("What")])
        self.empty.setText(self.tr("Find a customer on the left, or add a new one."))
        set_empty_text(self.table, self.tr("No customers to show: type a name, mobile or number above."))
        self.results.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, 3)
        self.results.layoutChanged.emit()
        self._show_count()
        if not self.tabs.isHidden():  # a customer is open, whether or not this page is the one shown
            self._update_header()
            self._load_history()
