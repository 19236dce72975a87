"""The status bar: who and where, the sync state; the store file for administrators; the changes not yet at
head office where there is a head office.

A cashier has no use for a file path, and "Unsynced changes: 3,887" on a standalone till (which never syncs)
reads as a fault: each is shown only to whom it means something.
"""

from __future__ import annotations

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QStatusBar, QWidget

from core.app import AppServices
from core.offline.allowances import LinkState, SyncStatus
from core.staff.auth import Actor, Permission, Role
from core.tickets.service import ManagerAlerts
from ui import labels
from ui.i18n import Retranslating, local_name, ltr, number
from ui.ops import run_in_background
from ui.sync_text import problem_text, state_text, summary
from ui.widgets.elided import ElidedLabel
from ui.widgets.named import make_label
from ui.widgets.plain import as_plain, plain_labels

REFRESH_MS = 3000
_KEY_TOLD = (Role.MANAGER, Role.ADMIN)


class BranchStatusBar(Retranslating, QStatusBar):
    sync_status = Signal(object)  # SyncStatus from the sync worker (via ui.sync_text.SyncStatusRelay)

    def __init__(self, services: AppServices, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._services = services
        self._actor: Actor | None = None
        self._unsynced = 0
        self._sync: SyncStatus | None = None
        self.sync_status.connect(self.set_sync_status)
        self.staff = make_label(self, "statusStaff")
        # The store's path can be long (a profile folder); it gives up width rather than widen the window past
        # the till's 1366 px, the whole path in its tooltip.
        self.location = ElidedLabel(self)
        self.location.setObjectName("statusLocation")
        self.sync = make_label(self, "statusSync")
        self.pending = make_label(self, "statusPending")
        self.alerts = make_label(self, "statusAlerts")  # the manager's ticket alerts (set_alerts)
        self.alerts.hide()
        self.key_warning = make_label(self, "statusKeyWarning")  # no keyring: the store's key is in a file
        self.key_warning.hide()
        self._key_in_file = services.store_key_in_file()
        self._alerts: ManagerAlerts | None = None
        self.addWidget(self.staff)
        self.addWidget(self.location, 1)
        self.addPermanentWidget(self.key_warning)
        self.addPermanentWidget(self.alerts)
        self.addPermanentWidget(self.sync)
        self.addPermanentWidget(self.pending)
        self._timer = QTimer(self)
        self._timer.timeout.connect(self.refresh)
        self._timer.start(REFRESH_MS)
        self.retranslate()
        self.refresh()
        plain_labels(self)

    def set_sync_status(self, status: SyncStatus) -> None:
        self._sync = status
        self._unsynced = status.unsynced
        self._show_sync()
        self._show_unsynced(status.unsynced)

    def set_actor(self, actor: Actor | None) -> None:
        self._actor = actor
        self._alerts = None
        self.retranslate()

    def set_alerts(self, alerts: ManagerAlerts | None) -> None:
        """What the manager is alerted to (ui.features.install_ticket_jobs reads it): low scores nobody has
        taken and overdue tickets escalated; hidden when there is none or for whom it is not meant."""
        self._alerts = alerts
        self._show_alerts()

    def _show_alerts(self) -> None:
        alerts = self._alerts
        meant = self._actor is not None and self._actor.can(Permission.MANAGE_TICKETS)
        if alerts is None or alerts.count == 0 or not meant:
            self.alerts.hide()
            return
        parts = []
        if alerts.low_scores:
            parts.append(self.tr("Low scores waiting: %1").replace("%1", number(alerts.low_scores)))
        if alerts.overdue:
            parts.append(self.tr("Overdue tickets: %1").replace("%1", number(alerts.overdue)))
        self.alerts.setText("⚠ " + " · ".join(parts))
        self.alerts.setToolTip(" ".join(ltr(n) for n in alerts.numbers))
        self.alerts.show()

    def enrolled(self) -> bool:
        """Whether this store has a head office to sync with (a standalone store has no "unsynced")."""
        state = self._sync.state if self._sync is not None else self._services.sync.link_state()
        return state != LinkState.STANDALONE

    def refresh(self) -> None:
        if self.enrolled():
            run_in_background(self._services.unsynced_changes, self._show_unsynced)
        else:
            self._show_unsynced(0)

    def _show_unsynced(self, count: int) -> None:
        self._unsynced = count
        self.pending.setText(self.tr("Unsynced changes: %1").replace("%1", number(count)))
        self.pending.setVisible(self.enrolled())

    def retranslate(self) -> None:
        branch = self._services.branch()
        branch_name = local_name(branch.name_en, branch.name_ar) if branch else ""
        if self._actor is None:
            self.staff.setText(self.tr("Not signed in · %1").replace("%1", branch_name))
        else:
            self.staff.setText(
                self.tr("%1 (%2) · %3")
                .replace("%1", local_name(self._actor.display_name, self._actor.display_name_ar))
                .replace("%2", labels.role(self._actor.role))
                .replace("%3", branch_name)
            )
        self.location.setText(self.tr("Store: %1").replace("%1", ltr(self._services.store_location())))
        self.location.setToolTip(as_plain(self._services.store_location()))
        self.location.setVisible(self._actor is not None and self._actor.role == Role.ADMIN)
        # Told to whom can act on it (a manager, an admin), not to a cashier at the till.
        self.key_warning.setVisible(self._key_in_file and self._actor is not None and self._actor.role in _KEY_TOLD)
        self.key_warning.setText("⚠ " + self.tr("Store key in a file (no keyring)"))
        self.key_warning.setToolTip(
            self.tr(
                "This computer has no system keyring, so the key that encrypts the store is kept in a file only "
                "this user account can read. Anyone who signs in as this user can read the store."
            )
        )
        self._show_sync()
        self._show_unsynced(self._unsynced)
        self._show_alerts()

    def _show_sync(self) -> None:
        status = self._sync
        if status is not None and status.state != LinkState.STANDALONE:
            self.sync.setText(summary(status))
            self.sync.setToolTip(as_plain(status.detail or problem_text(status.problem)))
        else:
            self.sync.setText(state_text(LinkState.STANDALONE))
